//! Where a flow from an output could go: the inputs of the spec that speak its protocol, ranked
//! by how likely a user meant each (P201's suggested flows, P203's target through a forward
//! proxy), with the reason the first beats the next.
//!
//! The order: an input on a port the output is pinned to first; then an input that is not a
//! proxy's entry (a `relay` input is where a flow goes `via`, not where it ends); then an input
//! of another node than the output's own; then the input whose node the output's name, title
//! and doc comment name most ("Eko cloud: user synchronization"
//! names the node "Eko cloud"); then the zone closest to the output's (the same zone, else the
//! nearest trust level); then the order of the spec.
//!
//! Flows' checks call this while their flow is being resolved, so it reads the nodes from the
//! files' items, never from what flows use (`facts::file_usage`), which needs every flow.

use portolan_syntax::Name;

use super::port_path;
use crate::db::{Db, SourceFile};
use crate::facts::user_files;
use crate::items::{Item, ItemKind, file_items};
use crate::resolve::{component_info, node_info, protocol_info, zone_info};
use crate::resolved::NodePort;
use crate::scope::{Resolved, lookup, module_scope};

/// One input that could serve an output.
pub struct Candidate<'db> {
    pub node: Item<'db>,
    /// Index into the node's ports.
    pub port: u32,
    /// How a flow names it: `node.port`, or `node.Component.port`.
    pub path: String,
    /// Whether its ports include one the output is pinned to (always, for an output that is not).
    pub port_match: bool,
    pub relay: bool,
    /// An input of the output's own node (a cluster's members talking to each other).
    pub own: bool,
    /// The words of the output's title and docs that name this input's node or component.
    pub named: Vec<String>,
    /// 0 for the output's own zone, else 1 + the difference in trust.
    pub distance: u32,
}

impl Candidate<'_> {
    fn key(&self) -> (bool, bool, bool, std::cmp::Reverse<usize>, u32) {
        (!self.port_match, self.relay, self.own, std::cmp::Reverse(self.named.len()), self.distance)
    }
}

/// Lower-case words of three letters or more: `EkoCloud` and "Eko cloud" are both `eko`, `cloud`.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        let boundary = !c.is_alphanumeric() || (c.is_uppercase() && previous_lower);
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current).to_lowercase());
        }
        if c.is_alphanumeric() {
            current.push(c);
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    if !current.is_empty() {
        out.push(current.to_lowercase());
    }
    out.retain(|w| w.len() >= 3 && !matches!(w.as_str(), "the" | "and" | "for" | "from" | "with" | "via" | "into"));
    out.sort();
    out.dedup();
    out
}

/// The inputs, of nodes the module of `file` can name, that speak the protocol of `port` (an
/// output of `node`), best first; never an input of `node` itself unless it is a cluster, nor
/// of `exclude`.
pub fn serving_inputs<'db>(
    db: &'db dyn Db,
    file: SourceFile,
    node: Item<'db>,
    port: &NodePort<'db>,
    exclude: Option<Item<'db>>,
) -> Vec<Candidate<'db>> {
    let Some(protocol) = port.protocol else { return Vec::new() };
    let scope = module_scope(db, file);
    let component = component_info(db, port.component);
    let decl = component.ports.get(port.port_index as usize);
    let described = format!(
        "{} {} {}",
        port.name,
        decl.and_then(|d| d.title.as_deref()).unwrap_or_default(),
        decl.map_or("", |d| d.docs.as_str())
    );
    let protocol_info = protocol_info(db, protocol);
    let generic = words(&format!("{} {}", protocol_info.name, protocol_info.title));
    let described: Vec<String> = words(&described).into_iter().filter(|w| !generic.contains(w)).collect();
    let zone_trust = |n: Item<'db>| node_info(db, n).zone.map(|z| (z, zone_info(db, z).trust));
    let here = zone_trust(node);
    let mut out = Vec::new();
    for &file in user_files(db) {
        for &other in file_items(db, file).iter().filter(|i| i.kind(db) == ItemKind::Node) {
            let other_info = node_info(db, other);
            if (other == node && !other_info.is_cluster()) || Some(other) == exclude {
                continue;
            }
            if lookup(db, scope, other.name(db)) != Ok(Resolved::Item(other)) {
                continue;
            }
            for (index, input) in other_info.ports.iter().enumerate() {
                if !(input.active && input.kind.accepts() && input.protocol == Some(protocol)) {
                    continue;
                }
                let input_component = component_info(db, input.component);
                let input_title = input_component.ports.get(input.port_index as usize).and_then(|p| p.title.clone());
                let names = words(&format!(
                    "{} {} {} {} {}",
                    other.name(db),
                    other_info.title.as_deref().unwrap_or_default(),
                    input.component.name(db),
                    input_component.title,
                    input_title.unwrap_or_default()
                ));
                let named: Vec<String> = names.into_iter().filter(|w| described.contains(w)).collect();
                let distance = match (here, zone_trust(other)) {
                    (Some((a, _)), Some((b, _))) if a == b => 0,
                    (Some((_, a)), Some((_, b))) => 1 + (a as u32).abs_diff(b as u32),
                    _ => 5,
                };
                out.push(Candidate {
                    node: other,
                    port: index as u32,
                    path: port_path(db, other, input),
                    port_match: !port.pinned || input.ports.intersects(&port.ports),
                    relay: input.relay,
                    own: other == node,
                    named,
                    distance,
                });
            }
        }
    }
    out.sort_by_key(Candidate::key);
    out
}

/// Why the first candidate is ranked above the others, in words; `None` with one candidate.
pub fn why_first(db: &dyn Db, candidates: &[Candidate<'_>], source: &str, port: &NodePort<'_>) -> Option<String> {
    let [best, rest @ ..] = candidates else { return None };
    if rest.is_empty() {
        return None;
    }
    let listed = |paths: Vec<&str>| paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
    let mut reasons = Vec::new();
    if best.port_match && rest.iter().any(|c| !c.port_match) {
        let protocol = port.protocol.map(|p| protocol_info(db, p).title.clone()).unwrap_or_default();
        let ports = node_info(db, best.node).ports.get(best.port as usize).map(|p| p.ports.describe());
        reasons.push(format!(
            "`{}` serves {protocol} on {}, the port `{source}` is pinned to",
            best.path,
            ports.unwrap_or_default()
        ));
    }
    let relays: Vec<&str> = rest.iter().filter(|c| c.relay).map(|c| c.path.as_str()).collect();
    if !best.relay && !relays.is_empty() {
        let (what, verb) = if relays.len() == 1 { ("a proxy's entry", "is") } else { ("proxies' entries", "are") };
        reasons.push(format!("{} {verb} {what}, which flows go `via`", listed(relays)));
    }
    if !best.own && rest.iter().any(|c| c.own) {
        reasons.push("it is another node's".to_string());
    }
    if rest.iter().all(|c| c.named.len() < best.named.len()) {
        let node = match &node_info(db, best.node).title {
            Some(title) => format!("`{}` ({title})", best.node.name(db)),
            None => format!("`{}`", best.node.name(db)),
        };
        reasons.push(format!("the description of `{source}` names {node}"));
    }
    if reasons.is_empty() && rest.iter().all(|c| c.distance > best.distance) {
        reasons.push(if best.distance == 0 {
            format!("`{}` is in the same zone", best.node.name(db))
        } else {
            format!("`{}` is in the zone nearest in trust", best.node.name(db))
        });
    }
    if reasons.is_empty() {
        return Some("it comes first in the spec".to_string());
    }
    Some(reasons.join("; "))
}

/// A node's written name in a path that goes on to one of its ports: `proxy` of `proxy.clients`.
pub fn node_text(db: &dyn Db, path: &portolan_syntax::ast::Path, node: Item<'_>, port: &NodePort<'_>) -> String {
    let mut segments: Vec<&Name> = path.segments.iter().map(|s| &s.name).collect();
    if segments.len() > 1 && segments.last().is_some_and(|s| **s == port.name) {
        segments.pop();
    }
    if segments.len() > 1 && segments.last().is_some_and(|s| *s != node.name(db) && **s == *port.component.name(db)) {
        segments.pop();
    }
    segments.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(".")
}

/// How a path names a port of a node written `node`: `node.port`, or `node.Component.port` when
/// another component of the node has a port of that name.
pub fn port_text(db: &dyn Db, node: &str, item: Item<'_>, port: &NodePort<'_>) -> String {
    let shared = node_info(db, item).ports.iter().filter(|p| p.name == port.name).count() > 1;
    if shared { format!("{node}.{}.{}", port.component.name(db), port.name) } else { format!("{node}.{}", port.name) }
}
