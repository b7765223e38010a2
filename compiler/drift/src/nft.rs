//! `nft -j list ruleset` read into the compared form. The JSON must have the shape libnftables
//! writes (an object with an `nftables` array of one-key objects; tables, chains and rules with
//! their `family`, `table`, `name` or `chain`; a rule's `expr` an array of objects): anything
//! else is unreadable, with its JSON path. Inside that shape every expression is taken: one the
//! spec never writes makes its rule an `Other` rule (drift), never an error and never dropped.

use std::collections::HashMap;

use portolan_model::ports::Transport;
use serde_json::{Map, Value};

use crate::norm::{Accept, Dir, Family, Housekeeping, Spans, address_value, icmpv6_type, network, prefix};
use crate::{Live, LiveChain, LiveRule, Source, Unmanaged, Unreadable, What};

const FAMILY: &str = "inet";
const TABLE: &str = "portolan";

fn unreadable(at: &str, message: impl Into<String>) -> Unreadable {
    Unreadable { at: at.to_string(), message: message.into() }
}

/// Reads a listing; an error names the JSON path (or line and column) that could not be read.
pub fn parse(text: &str) -> Result<Live, Unreadable> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let what = message.split(" at line ").next().unwrap_or(&message);
        unreadable(&format!("line {} column {}", e.line(), e.column()), format!("not JSON: {what}"))
    })?;
    let items = root
        .get("nftables")
        .and_then(Value::as_array)
        .ok_or_else(|| unreadable("nftables", "no `nftables` array: not the output of `nft -j list ruleset`"))?;
    let mut live = Live {
        source: Source::Nftables,
        table: false,
        chains: Vec::new(),
        rules: Vec::new(),
        others: Vec::new(),
        not_managed: Vec::new(),
    };
    // Portolan's sets, by name: their addresses, or `None` when an element is not one.
    let mut sets: HashMap<String, Option<(Family, Spans)>> = HashMap::new();
    let mut rules = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("nftables[{i}]");
        let Some((kind, body)) = item.as_object().filter(|o| o.len() == 1).and_then(|o| o.iter().next()) else {
            return Err(unreadable(&at, "not an object of one key (`table`, `chain`, `rule`...)"));
        };
        let at = format!("{at}.{kind}");
        if kind == "metainfo" {
            continue;
        }
        let Some(body) = body.as_object() else {
            return Err(unreadable(&at, "not an object"));
        };
        let family = string(body, "family", &at)?;
        let table = if kind == "table" { string(body, "name", &at)? } else { string(body, "table", &at)? };
        let ours = family == FAMILY && table == TABLE;
        match kind.as_str() {
            "table" => live.table |= ours,
            "set" if ours => {
                let name = string(body, "name", &at)?;
                sets.insert(name.to_string(), set_elements(body));
            }
            "chain" if ours => live.chains.push(chain(body, &at)?),
            "rule" => {
                let chain = string(body, "chain", &at)?;
                let Some(expr) = body.get("expr").and_then(Value::as_array) else {
                    return Err(unreadable(&format!("{at}.expr"), "no `expr` array"));
                };
                for (j, e) in expr.iter().enumerate() {
                    if !e.is_object() {
                        return Err(unreadable(&format!("{at}.expr[{j}]"), "an expression is not an object"));
                    }
                }
                let comment = body.get("comment").and_then(Value::as_str).map(str::to_string);
                let text = crate::nft_text::rule_text(expr);
                if ours {
                    rules.push((chain.to_string(), at, comment, text, expr));
                } else {
                    let place = format!("table {family} {table}, chain {chain}");
                    live.not_managed.push(Unmanaged { table: place, at, comment, text });
                }
            }
            "set" | "chain" => {}
            _ if ours => {
                let name = body.get("name").and_then(Value::as_str).unwrap_or("");
                live.others.push((at, format!("a {kind} `{name}`")));
            }
            _ => {}
        }
    }
    for (chain, at, comment, text, expr) in rules {
        let what = meaning(&chain, expr, &sets);
        live.rules.push(LiveRule { chain, at, comment, text, what });
    }
    Ok(live)
}

fn string<'v>(body: &'v Map<String, Value>, key: &str, at: &str) -> Result<&'v str, Unreadable> {
    body.get(key).and_then(Value::as_str).ok_or_else(|| unreadable(&format!("{at}.{key}"), "missing, or not a string"))
}

fn chain(body: &Map<String, Value>, at: &str) -> Result<LiveChain, Unreadable> {
    let name = string(body, "name", at)?.to_string();
    let base = match (body.get("type"), body.get("hook")) {
        (Some(kind), Some(hook)) => {
            let prio = body.get("prio").map_or("?".to_string(), Value::to_string);
            Some(format!("type {} hook {} priority {prio}", plain(kind), plain(hook)))
        }
        _ => None,
    };
    let policy = body.get("policy").map(plain);
    Ok(LiveChain { name, base, policy, at: at.to_string() })
}

/// A JSON value as text: a string without its quotes.
fn plain(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_string)
}

/// A set's addresses; `None` when an element is not an address, a network or a range of one
/// family (a set of ports, an element with a timeout the spec never writes...).
fn set_elements(body: &Map<String, Value>) -> Option<(Family, Spans)> {
    let family = match body.get("type").and_then(Value::as_str)? {
        "ipv4_addr" => Family::V4,
        "ipv6_addr" => Family::V6,
        _ => return None,
    };
    let elements = match body.get("elem") {
        None => return Some((family, Spans::default())),
        Some(Value::Array(elements)) => elements,
        Some(_) => return None,
    };
    let mut spans = Vec::new();
    for e in elements {
        let (f, span) = address_element(e)?;
        if f != family {
            return None;
        }
        spans.push(span);
    }
    Some((family, Spans::new(spans)))
}

/// An address, `{"prefix": ...}` or `{"range": [a, b]}`.
fn address_element(value: &Value) -> Option<(Family, (u128, u128))> {
    match value {
        Value::String(text) => network(text),
        Value::Object(o) => {
            if let Some(p) = o.get("prefix") {
                let (family, value) = address_value(p.get("addr")?.as_str()?)?;
                prefix(family, value, u32::try_from(p.get("len")?.as_u64()?).ok()?)
            } else if let Some([a, b]) = o.get("range").and_then(Value::as_array).map(Vec::as_slice) {
                let (fa, a) = address_value(a.as_str()?)?;
                let (fb, b) = address_value(b.as_str()?)?;
                (fa == fb).then_some((fa, (a, b)))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A port, `{"range": [a, b]}` or `{"set": [...]}` of those.
fn port_spans(value: &Value) -> Option<Spans> {
    let one = |v: &Value| -> Option<(u128, u128)> {
        match v {
            Value::Number(n) => n.as_u64().filter(|p| *p <= 65535).map(|p| (u128::from(p), u128::from(p))),
            Value::Object(o) => match o.get("range").and_then(Value::as_array).map(Vec::as_slice) {
                Some([a, b]) => {
                    let (a, b) = (a.as_u64().filter(|p| *p <= 65535)?, b.as_u64().filter(|p| *p <= 65535)?);
                    if a > b {
                        return None;
                    }
                    Some((u128::from(a), u128::from(b)))
                }
                _ => None,
            },
            _ => None,
        }
    };
    match value.get("set").and_then(Value::as_array) {
        Some(items) => items.iter().map(one).collect::<Option<Vec<_>>>().map(Spans::new),
        None => one(value).map(|s| Spans::new(vec![s])),
    }
}

/// What one rule's matches say, as far as they have the shapes the spec writes.
#[derive(Default)]
struct Matches {
    peers: Option<(Family, Spans)>,
    transport: Option<(Transport, Spans)>,
    established: bool,
    loopback: Option<Dir>,
    neighbour: Vec<u8>,
    count: usize,
}

/// The rule's meaning: an accept, housekeeping, or `Other` at the first expression of another
/// shape.
fn meaning(chain: &str, expr: &[Value], sets: &HashMap<String, Option<(Family, Spans)>>) -> What {
    let Some((last, matches)) = expr.split_last() else { return What::Other };
    if last.as_object().is_none_or(|o| !o.contains_key("accept")) {
        return What::Other;
    }
    let mut seen = Matches::default();
    for e in matches {
        if !one_match(chain, e, sets, &mut seen) {
            return What::Other;
        }
        seen.count += 1;
    }
    match seen {
        Matches { peers, transport: Some((transport, ports)), established: false, loopback: None, .. }
            if seen.neighbour.is_empty() && seen.count == 1 + usize::from(peers.is_some()) =>
        {
            let (v4, v6) = match peers {
                None => (Spans::full(Family::V4), Spans::full(Family::V6)),
                Some((Family::V4, spans)) => (spans, Spans::default()),
                Some((Family::V6, spans)) => (Spans::default(), spans),
            };
            What::Accept(Accept { transport, ports, v4, v6 })
        }
        Matches { peers: None, transport: None, count: 1, .. } => {
            if seen.established {
                What::Housekeeping(vec![Housekeeping::Established])
            } else if let Some(dir) = seen.loopback {
                What::Housekeeping(vec![Housekeeping::Loopback(dir)])
            } else if !seen.neighbour.is_empty() {
                What::Housekeeping(seen.neighbour.iter().map(|t| Housekeeping::Neighbour(*t)).collect())
            } else {
                What::Other
            }
        }
        _ => What::Other,
    }
}

/// Takes one `match` expression of a shape the spec writes into `seen`; false for any other.
fn one_match(chain: &str, e: &Value, sets: &HashMap<String, Option<(Family, Spans)>>, seen: &mut Matches) -> bool {
    let Some(m) = e.get("match") else { return false };
    if !matches!(m.get("op").and_then(Value::as_str), Some("==" | "in")) {
        return false;
    }
    let (Some(left), Some(right)) = (m.get("left"), m.get("right")) else { return false };
    let side = if chain == "output" { "daddr" } else { "saddr" };
    if let Some(p) = left.get("payload") {
        let (protocol, field) = (p.get("protocol").and_then(Value::as_str), p.get("field").and_then(Value::as_str));
        match (protocol, field) {
            (Some(family @ ("ip" | "ip6")), Some(f)) if f == side && seen.peers.is_none() => {
                let family = if family == "ip" { Family::V4 } else { Family::V6 };
                match addresses(right, sets) {
                    Some((f, spans)) if f == family => {
                        seen.peers = Some((family, spans));
                        true
                    }
                    _ => false,
                }
            }
            (Some(t @ ("tcp" | "udp")), Some("dport")) if seen.transport.is_none() => {
                let transport = if t == "tcp" { Transport::Tcp } else { Transport::Udp };
                match port_spans(right) {
                    Some(ports) => {
                        seen.transport = Some((transport, ports));
                        true
                    }
                    None => false,
                }
            }
            (Some("icmpv6"), Some("type")) if seen.neighbour.is_empty() => {
                let names: Vec<&Value> = match right.get("set").and_then(Value::as_array) {
                    Some(items) => items.iter().collect(),
                    None => vec![right],
                };
                let types: Option<Vec<u8>> = names
                    .iter()
                    .map(|v| v.as_str().map(str::to_string).or_else(|| v.as_u64().map(|n| n.to_string())))
                    .map(|t| t.and_then(|t| icmpv6_type(&t)))
                    .collect();
                match types {
                    Some(mut types) if !types.is_empty() => {
                        types.sort_unstable();
                        seen.neighbour = types;
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    } else if left.get("ct").and_then(|c| c.get("key")).and_then(Value::as_str) == Some("state") {
        let mut states: Vec<&str> = match right {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => return false,
        };
        states.sort_unstable();
        seen.established = states == ["established", "related"];
        seen.established
    } else if let Some(key) = left.get("meta").and_then(|c| c.get("key")).and_then(Value::as_str) {
        let dir = match (key, chain) {
            ("iif", "input") => Dir::In,
            ("oif", "output") => Dir::Out,
            _ => return false,
        };
        if right.as_str() != Some("lo") {
            return false;
        }
        seen.loopback = Some(dir);
        true
    } else {
        false
    }
}

/// The addresses a match compares with: a set (`@name`), an address, a network, a range, or an
/// anonymous set of those.
fn addresses(right: &Value, sets: &HashMap<String, Option<(Family, Spans)>>) -> Option<(Family, Spans)> {
    if let Some(name) = right.as_str().and_then(|s| s.strip_prefix('@')) {
        return sets.get(name).cloned().flatten();
    }
    let items: Vec<&Value> = match right.get("set").and_then(Value::as_array) {
        Some(items) => items.iter().collect(),
        None => vec![right],
    };
    let mut family = None;
    let mut spans = Vec::new();
    for item in items {
        let (f, span) = address_element(item)?;
        if family.is_some_and(|g| g != f) {
            return None;
        }
        family = Some(f);
        spans.push(span);
    }
    family.map(|f| (f, Spans::new(spans)))
}
