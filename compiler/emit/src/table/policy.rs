//! The policy section of the port-matrix documents: the rules with their labels, a zone × zone
//! matrix of the rules that apply between each pair, the cleartext the policy accepts and why,
//! and, for each node a `deny` rule names, its ports allowed or blocked from each zone.

use portolan_model::policy::{Action, Connection, HopInFlow, Policy, Rule, Scope, Selector, Service, Target};
use portolan_model::ports::{PortRange, PortSet};
use portolan_model::{HopKind, Model, Node, PortKind, Trust};

use super::{Block, Table};

pub fn blocks(model: &Model, out: &mut Vec<Block>) {
    let policy = &model.policy;
    if policy.is_empty() {
        out.push(Block::Paragraph("The spec has no policy: every hop is allowed.".into()));
        return;
    }
    out.push(Block::Paragraph(match policy.default {
        Some(Action::Deny) => {
            "Default: deny. A hop that no rule allows is denied; a deny rule wins over any allow.".into()
        }
        Some(Action::Allow) => "Default: allow. A hop that no deny rule matches is allowed.".into(),
        None => "No default is stated: a hop that no deny rule matches is allowed.".into(),
    }));
    out.push(Block::Heading(3, "Rules".into()));
    let rules = policy.rules.iter().enumerate().map(|(i, r)| rule_row(model, i, r)).collect();
    out.push(Block::Table(Table::new(&["No.", "Action", "From", "To", "On", "Why"], rules)));
    if policy.rules.iter().any(|r| r.end_to_end) {
        out.push(Block::Paragraph(
            "A rule marked end to end matches a flow by its origin and final destination, whatever proxies it goes \
             through, and decides every hop of it; the other rules match each hop by its own two ends."
                .into(),
        ));
    }
    for require in &policy.requires {
        let why = require.label.clone().map_or_else(String::new, |l| format!(": {l}"));
        out.push(Block::Paragraph(format!(
            "Required: encryption for every hop between zones whose less trusted zone is at most {}{why}.",
            require.level.as_str()
        )));
    }
    out.push(Block::Heading(3, "Zone to zone".into()));
    out.push(Block::Paragraph(
        "The rules (by number) that apply from each zone (row) to each zone (column); a rule that names nodes \
         applies to those nodes only."
            .into(),
    ));
    out.push(matrix(model, policy));
    cleartext(model, policy, out);
    for node in model.nodes.iter().filter(|n| named_by_deny(policy, n)) {
        per_node(model, policy, node, out);
    }
}

fn title(model: &Model, target: &Target) -> String {
    match target {
        Target::Zone(z) => model.zone(z).map_or(z.clone(), |z| z.title.clone()),
        Target::Node(n) => model.node(n).map_or(n.clone(), |n| n.title.clone()),
    }
}

fn selector(model: &Model, s: &Selector) -> String {
    if s.any { "any".into() } else { s.targets.iter().map(|t| title(model, t)).collect::<Vec<_>>().join(", ") }
}

fn services(rule: &Rule) -> String {
    if rule.services.is_empty() {
        return "everything".into();
    }
    let words: Vec<String> = rule
        .services
        .iter()
        .map(|s| match s {
            Service::Protocol { title, .. } => title.clone(),
            Service::Ports { ports } => PortSet::new(ports.clone()).describe(),
        })
        .collect();
    words.join(", ")
}

fn rule_row(model: &Model, index: usize, rule: &Rule) -> Vec<String> {
    let action = if rule.cleartext { "allow cleartext" } else { rule.action.as_str() };
    let action = if rule.end_to_end { format!("{action} (end to end)") } else { action.to_string() };
    let (from, to) = match &rule.scope {
        Scope::Between { from, to } => (selector(model, from), selector(model, to)),
        Scope::Within { zones } => (format!("within {}", selector(model, zones)), "the same zone".into()),
    };
    let why = rule.label.clone().unwrap_or_else(|| "—".into());
    vec![(index + 1).to_string(), action, from, to, services(rule), why]
}

/// True when a selector can take in some node of the zone.
fn touches(model: &Model, s: &Selector, zone: &str) -> bool {
    s.any
        || s.targets.iter().any(|t| match t {
            Target::Zone(z) => z == zone,
            Target::Node(n) => model.node(n).is_some_and(|n| n.zone == zone),
        })
}

fn matrix(model: &Model, policy: &Policy) -> Block {
    let mut header = vec!["From / To".to_string()];
    header.extend(model.zones.iter().map(|z| z.title.clone()));
    let default = match policy.default {
        Some(Action::Deny) => "else deny",
        _ => "else allow",
    };
    let rows = model
        .zones
        .iter()
        .map(|from| {
            let mut row = vec![from.title.clone()];
            for to in &model.zones {
                let mut cell: Vec<String> = Vec::new();
                for action in [Action::Deny, Action::Allow] {
                    let numbers: Vec<String> = policy
                        .rules
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.action == action)
                        .filter(|(_, r)| match &r.scope {
                            Scope::Between { from: f, to: t } => {
                                touches(model, f, &from.name) && touches(model, t, &to.name)
                            }
                            Scope::Within { zones } => {
                                from.name == to.name
                                    && (zones.any || zones.targets.contains(&Target::Zone(from.name.clone())))
                            }
                        })
                        .map(|(i, _)| (i + 1).to_string())
                        .collect();
                    if !numbers.is_empty() {
                        cell.push(format!("{} {}", action.as_str(), numbers.join(", ")));
                    }
                }
                cell.push(default.into());
                row.push(cell.join("; "));
            }
            row
        })
        .collect();
    Block::Table(Table { header, rows })
}

/// Cleartext hops between two zones, and the `allow cleartext` rule that accepts each.
fn cleartext(model: &Model, policy: &Policy, out: &mut Vec<Block>) {
    let mut rows = Vec::new();
    for flow in model.flows.iter().filter(|f| !f.encrypted && f.kind != HopKind::Local && f.from_zone != f.to_zone) {
        // A hop through proxies is also seen, by end-to-end rules, as its route from the first
        // hop's source to the last hop's destination.
        let ends = model.route_ends(flow);
        let (ports, flow_ports) = (flow.port_set(), ends.1.port_set());
        let hop = HopInFlow::of(flow, &ports, ends, &flow_ports);
        let Some((i, rule)) = policy.rules.iter().enumerate().find(|(_, r)| r.cleartext && r.matches_hop(&hop)) else {
            continue;
        };
        let node = |n: &str| model.node(n).map_or(n.to_string(), |n| n.title.clone());
        rows.push(vec![
            flow.label.clone().unwrap_or_else(|| format!("Flow {}", flow.route)),
            format!("{} → {}", node(&flow.from.node), node(&flow.to.node)),
            format!("{} {}", flow.protocol_title, ports.describe()),
            (i + 1).to_string(),
            rule.label.clone().unwrap_or_else(|| "—".into()),
        ]);
    }
    if !rows.is_empty() {
        out.push(Block::Heading(3, "Cleartext accepted".into()));
        out.push(Block::Paragraph(
            "Hops between zones that are not encrypted, and the `allow cleartext` rule that accepts each.".into(),
        ));
        out.push(Block::Table(Table::new(&["Route", "Hop", "Protocol and ports", "Rule", "Why"], rows)));
    }
}

fn named_by_deny(policy: &Policy, node: &Node) -> bool {
    policy.rules.iter().any(|r| {
        r.action == Action::Deny
            && matches!(&r.scope, Scope::Between { to, .. } if to.targets.contains(&Target::Node(node.name.clone())))
    })
}

/// The ports the rules name for a node, and its listeners' ports, each allowed or blocked from
/// each zone: the shape of a vendor's "blocked from outside, allowed inside" table.
fn per_node(model: &Model, policy: &Policy, node: &Node, out: &mut Vec<Block>) {
    let mut ranges: Vec<PortRange> = Vec::new();
    let mut add = |r: &PortRange| {
        if !ranges.contains(r) {
            ranges.push(*r);
        }
    };
    for rule in &policy.rules {
        let Scope::Between { to, .. } = &rule.scope else { continue };
        if !to.targets.contains(&Target::Node(node.name.clone())) {
            continue;
        }
        for service in &rule.services {
            if let Service::Ports { ports } = service {
                ports.iter().for_each(&mut add);
            }
        }
    }
    for port in node.ports.iter().filter(|p| p.kind != PortKind::Connect) {
        port.ports.iter().for_each(&mut add);
    }
    ranges.sort_by_key(|r| (r.start, r.transport.as_str(), r.end));
    let mut header = vec!["Port".to_string(), "Description".to_string()];
    header.extend(model.zones.iter().map(|z| format!("From {}", z.title)));
    let rows = ranges
        .iter()
        .map(|range| {
            let ports = PortSet::new(vec![*range]);
            let listener = node
                .ports
                .iter()
                .find(|p| p.kind != PortKind::Connect && PortSet::new(p.ports.clone()).intersects(&ports));
            let description = listener.map_or_else(|| "no listener of the node".into(), |p| p.usage.clone());
            let mut row = vec![ports.describe(), description];
            for zone in &model.zones {
                let decision = policy.decide(&HopInFlow::direct(Connection {
                    from_node: "",
                    from_zone: &zone.name,
                    to_node: &node.name,
                    to_zone: &node.zone,
                    protocol: listener.map(|p| p.protocol.as_str()),
                    ports: &ports,
                }));
                let word = if decision.allowed { "allow" } else { "block" };
                let by = decision.rule.map_or_else(|| "default".to_string(), |i| format!("rule {}", i + 1));
                row.push(format!("{word} ({by})"));
            }
            row
        })
        .collect();
    let outside: Vec<&str> =
        model.zones.iter().filter(|z| z.trust == Trust::Untrusted).map(|z| z.title.as_str()).collect();
    out.push(Block::Heading(3, format!("Allowed and blocked ports: {}", node.title)));
    out.push(Block::Paragraph(format!(
        "A deny rule names {}: its ports as the policy decides them for a connection from each zone (from outside: {}).",
        node.title,
        if outside.is_empty() { "no untrusted zone".into() } else { outside.join(", ") }
    )));
    out.push(Block::Table(Table { header, rows }));
}
