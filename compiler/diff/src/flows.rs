//! Flows of the two models matched by their ends and proxies (`from`, `to`, `via`, old node names
//! read through the renames), several flows with the same ends in order; then, of the flows left,
//! one old and one new flow between the same two ports are one flow whose proxies changed (moved
//! to another path: a change of `via`, not a removal and an addition); each pair's hops
//! compared one by one: protocol, ports, the decision (the rule or default that decides it; not
//! where it is written, which moves with every line above it).

use std::collections::VecDeque;

use portolan_model::ports::PortSet;
use portolan_model::{DecidedBy, Decision, End, Flow, Model, Route, Verdict};
use rustc_hash::FxHashMap;

use crate::names::Renames;
use crate::{Change, ChangeKind, Field};

/// A flow's identity: its two ends and its proxies, in the new spec's names.
type Key<'a> = (&'a str, &'a str, &'a str, &'a str, Vec<&'a str>);

fn key<'a>(route: &'a Route, node: impl Fn(&'a str) -> &'a str) -> Key<'a> {
    (
        node(&route.from.node),
        &route.from.port,
        node(&route.to.node),
        &route.to.port,
        route.via.iter().map(|v| node(v)).collect(),
    )
}

/// `a.x -> b.y via p`, `a.x <-> b.y`, `local a.x -> a.y`.
fn ends(route: &Route) -> String {
    let arrow = if route.bidirectional { "<->" } else { "->" };
    let local = if route.local { "local " } else { "" };
    let via = if route.via.is_empty() { String::new() } else { format!(" via {}", route.via.join(", ")) };
    format!("{local}{} {arrow} {}{via}", route.from, route.to)
}

pub fn compare(old: &Model, new: &Model, renames: &Renames) -> Vec<Change> {
    let mut by_key: FxHashMap<Key, VecDeque<usize>> = FxHashMap::default();
    for (o, route) in old.routes.iter().enumerate() {
        by_key.entry(key(route, |n| renames.node(n))).or_default().push_back(o);
    }
    let mut taken = vec![false; old.routes.len()];
    // For each new flow, the old flow it is (by its ends and proxies), if any.
    let mut paired: Vec<Option<usize>> = new
        .routes
        .iter()
        .map(|route| {
            let o = by_key.get_mut(&key(route, |n| n)).and_then(VecDeque::pop_front)?;
            taken[o] = true;
            Some(o)
        })
        .collect();
    // A flow whose proxies changed keeps its ends: of the flows left on each side, the one old
    // and the one new flow between the same two ports are the same flow, moved to another path.
    let ends_key = |route: &Route, node: &dyn Fn(&str) -> String| {
        (node(&route.from.node), route.from.port.clone(), node(&route.to.node), route.to.port.clone())
    };
    let mut left_old: FxHashMap<_, Vec<usize>> = FxHashMap::default();
    for (o, route) in old.routes.iter().enumerate().filter(|(o, _)| !taken[*o]) {
        left_old.entry(ends_key(route, &|n| renames.node(n).to_string())).or_default().push(o);
    }
    let mut left_new: FxHashMap<_, Vec<usize>> = FxHashMap::default();
    for (n, route) in new.routes.iter().enumerate().filter(|(n, _)| paired[*n].is_none()) {
        left_new.entry(ends_key(route, &|n| n.to_string())).or_default().push(n);
    }
    for (ends, news) in &left_new {
        if let ([n], Some([o])) = (news.as_slice(), left_old.get(ends).map(Vec::as_slice)) {
            paired[*n] = Some(*o);
            taken[*o] = true;
        }
    }
    let mut out = Vec::new();
    for (route, before) in new.routes.iter().zip(&paired) {
        match before.and_then(|o| old.routes.get(o)) {
            None => out.push(whole(new, route, ChangeKind::Added)),
            Some(before) => {
                let fields = fields(old, before, new, route);
                if !fields.is_empty() {
                    out.push(Change { fields, detail: String::new(), ..whole(new, route, ChangeKind::Changed) });
                }
            }
        }
    }
    for (route, _) in old.routes.iter().zip(&taken).filter(|(_, taken)| !**taken) {
        out.push(whole(old, route, ChangeKind::Removed));
    }
    out
}

fn whole(model: &Model, route: &Route, change: ChangeKind) -> Change {
    let detail = match hops(model, route).as_slice() {
        [hop] => hop_text(hop),
        hops => hops
            .iter()
            .map(|hop| format!("hop {}: {} -> {}, {}", hop.hop, hop.from, hop.to, hop_text(hop)))
            .collect::<Vec<_>>()
            .join("; "),
    };
    Change {
        change,
        name: ends(route),
        old_name: None,
        route: Some(route.number),
        label: route.label.clone(),
        detail,
        fields: Vec::new(),
    }
}

/// `HTTPS on TCP 443, allowed by ...`.
fn hop_text(hop: &Flow) -> String {
    let decision = hop.decision.as_ref().map_or("no policy decides (local)".to_string(), Decision::describe);
    format!("{} on {}, {decision}", hop.protocol_title, PortSet::new(hop.ports.clone()).describe())
}

/// What a decision is, without where its rule is written.
fn decision_key(decision: Option<&Decision>) -> Option<(Verdict, DecidedBy, Option<&str>, Option<&str>)> {
    decision.map(|d| (d.action, d.by, d.rule.as_deref(), d.label.as_deref()))
}

fn hops<'m>(model: &'m Model, route: &Route) -> Vec<&'m Flow> {
    route.hops.iter().filter_map(|&i| model.flows.get(i)).collect()
}

fn optional(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

/// True when nothing [`fields`] compares differs: the common case, decided without formatting.
fn same(old: &Model, before: &Route, new: &Model, after: &Route) -> bool {
    let (a, b) = (hops(old, before), hops(new, after));
    before.from == after.from
        && before.to == after.to
        && before.via == after.via
        && before.label == after.label
        && before.declared_number == after.declared_number
        && before.bidirectional == after.bidirectional
        && before.local == after.local
        && a.len() == b.len()
        && a.iter().zip(&b).all(|(a, b)| {
            a.protocol == b.protocol
                && a.ports == b.ports
                && decision_key(a.decision.as_ref()) == decision_key(b.decision.as_ref())
        })
}

fn fields(old: &Model, before: &Route, new: &Model, after: &Route) -> Vec<Field> {
    let mut fields = Vec::new();
    if same(old, before, new, after) {
        return fields;
    }
    let mut field = |name: String, a: String, b: String| {
        if a != b {
            fields.push(Field::new(name, a, b));
        }
    };
    let end = |e: &End| e.to_string();
    field("from".into(), end(&before.from), end(&after.from));
    field("to".into(), end(&before.to), end(&after.to));
    field("via".into(), before.via.join(", "), after.via.join(", "));
    field("label".into(), optional(&before.label), optional(&after.label));
    let number = |r: &Route| r.declared_number.map_or(String::new(), |n| n.to_string());
    field("route number".into(), number(before), number(after));
    field("two-way".into(), before.bidirectional.to_string(), after.bidirectional.to_string());
    field("local".into(), before.local.to_string(), after.local.to_string());
    let (old_hops, new_hops) = (hops(old, before), hops(new, after));
    let several = old_hops.len() > 1 || new_hops.len() > 1;
    let count = old_hops.len().max(new_hops.len());
    for i in 0..count {
        let prefix = if several { format!("hop {} ", i + 1) } else { String::new() };
        match (old_hops.get(i), new_hops.get(i)) {
            (Some(&a), Some(&b)) => {
                field(format!("{prefix}protocol"), a.protocol.clone(), b.protocol.clone());
                let ports = |h: &Flow| PortSet::new(h.ports.clone()).describe();
                field(format!("{prefix}ports"), ports(a), ports(b));
                if decision_key(a.decision.as_ref()) != decision_key(b.decision.as_ref()) {
                    let text = |h: &Flow| h.decision.as_ref().map_or(String::new(), Decision::describe);
                    field(format!("{prefix}decision"), text(a), text(b));
                }
            }
            (Some(&a), None) => field(format!("hop {}", i + 1), format!("{} -> {}", a.from, a.to), String::new()),
            (None, Some(&b)) => field(format!("hop {}", i + 1), String::new(), format!("{} -> {}", b.from, b.to)),
            (None, None) => {}
        }
    }
    fields
}
