//! Completion: keywords, the names in scope, and after `node.` the ports of that node (on the
//! right-hand side of a flow, only the inputs that speak the protocol of the output on the left;
//! in a flow, the components of the node where two of them declare a port of the same name, so
//! that `node.Component.port` picks one); in `use` items, module paths and imported names.

mod uses;

use super::defs::NameKind;
use portolan::db::{Db, SourceFile};
use portolan::items::{Item, ItemKind};
use portolan::resolve::{PortLookup, component_info, find_port, node_info, protocol_info, zone_info};
use portolan::resolved::{NodeInfo, NodePort, Section};
use portolan::scope::{Resolved, Scope, declared_kind, lookup, module_locals, module_scope};

/// What kind of thing a completion inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CompletionKind {
    Keyword,
    /// A name, by what it stands for.
    Name(NameKind),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
}

/// Every word the grammar reserves somewhere.
pub const KEYWORDS: &[&str] = &[
    "use",
    "as",
    "protocol",
    "component",
    "zone",
    "node",
    "flow",
    "policy",
    "document",
    "sections",
    "param",
    "listen",
    "connect",
    "peer",
    "on",
    "optional",
    "shared",
    "relay",
    "configurable",
    "route",
    "when",
    "not",
    "local",
    "encrypted",
    "trust",
    "cidr",
    "address",
    "in",
    "via",
    "intended",
    "default",
    "allow",
    "deny",
    "within",
    "flows",
    "any",
    "require",
    "across",
    "tcp",
    "udp",
    "untrusted",
    "dmz",
    "internal",
    "restricted",
    "port",
    "int",
    "bool",
    "string",
    "true",
    "false",
];

/// Which end of a flow the cursor is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FlowSide<'t> {
    None,
    Left,
    /// The path written on the left.
    Right(&'t str),
}

/// The completions at a byte offset.
pub fn completions(db: &dyn Db, file: SourceFile, offset: u32) -> Vec<Completion> {
    let text = file.text(db);
    let mut offset = (offset as usize).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    if before.contains("//") || before.matches('"').count() % 2 == 1 {
        return Vec::new();
    }
    let word_len = before.chars().rev().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').count();
    let (prefix, word) = before.split_at(before.len() - word_len);
    if in_sections_list(&text[..offset], word) {
        return Section::ALL
            .iter()
            .map(|s| Completion {
                label: s.name().to_string(),
                kind: CompletionKind::Keyword,
                detail: Some(s.summary().to_string()),
            })
            .collect();
    }
    if let Some(context) = uses::context(&text[..offset]) {
        let mut out = uses::completions(db, file, context);
        out.sort();
        out.dedup_by(|a, b| a.label == b.label);
        return out;
    }
    let side = flow_side(prefix);
    let scope = module_scope(db, file);
    let mut out = match word.rfind('.') {
        Some(dot) => members(db, scope, &word[..dot], side),
        None if side != FlowSide::None => names(db, scope)
            .into_iter()
            .filter(|c| matches!(c.kind, CompletionKind::Name(NameKind::Node | NameKind::Module)))
            .collect(),
        None => {
            let mut out = names(db, scope);
            out.extend(KEYWORDS.iter().map(|k| Completion {
                label: k.to_string(),
                kind: CompletionKind::Keyword,
                detail: None,
            }));
            out
        }
    };
    out.sort();
    out.dedup_by(|a, b| a.label == b.label);
    out
}

/// True when the cursor, after `word`, is where a `document`'s `sections` list expects a
/// section's name: after `sections` or after one of its commas.
fn in_sections_list(before: &str, word: &str) -> bool {
    let start = match before.rfind("\ndocument") {
        Some(i) => i + 1,
        None if before.starts_with("document") => 0,
        None => return false,
    };
    let item = &before[start..before.len() - word.len()];
    let Some(at) = item.rfind("sections") else { return false };
    let tail = &item[at + "sections".len()..];
    if item.contains('}') || !tail.starts_with(char::is_whitespace) || tail.matches('"').count() % 2 == 1 {
        return false;
    }
    let tail = tail.trim_end();
    tail.is_empty() || tail.ends_with(',')
}

/// Reads `flow a.b -> ` before the cursor.
fn flow_side(prefix: &str) -> FlowSide<'_> {
    let mut words = prefix.split_whitespace();
    if words.next() != Some("flow") {
        return FlowSide::None;
    }
    let rest: Vec<&str> = words.collect();
    match rest.as_slice() {
        [] => FlowSide::Left,
        [left, "->" | "<->"] => FlowSide::Right(left),
        [joined] => match joined.strip_suffix("<->").or_else(|| joined.strip_suffix("->")) {
            Some(left) => FlowSide::Right(left),
            None => FlowSide::None,
        },
        _ => FlowSide::None,
    }
}

fn item_completion(db: &dyn Db, label: String, item: Item<'_>) -> Option<Completion> {
    let kind = NameKind::of_item(db, item)?;
    let detail = match kind {
        NameKind::Protocol => Some(protocol_info(db, item).title.clone()),
        NameKind::Component => Some(component_info(db, item).title.clone()),
        NameKind::Zone => Some(zone_info(db, item).title.clone()),
        _ => node_info(db, item).title.clone(),
    };
    Some(Completion { label, kind: CompletionKind::Name(kind), detail })
}

/// Every name the module can use unqualified.
fn names(db: &dyn Db, scope: &Scope<'_>) -> Vec<Completion> {
    let mut out = Vec::new();
    for (name, item) in module_locals(db, scope.file).iter() {
        out.extend(item_completion(db, name.to_string(), item));
    }
    for import in &scope.names {
        out.extend(item_completion(db, import.binding.to_string(), import.item));
    }
    for import in &scope.modules {
        let detail = Some(format!("module {}", import.file.module(db)));
        out.push(Completion {
            label: import.binding.to_string(),
            kind: CompletionKind::Name(NameKind::Module),
            detail,
        });
    }
    for &glob in &scope.globs {
        for (name, item) in module_locals(db, glob).iter() {
            out.extend(item_completion(db, name.to_string(), item));
        }
    }
    out
}

/// What may follow `qualifier.`.
fn members(db: &dyn Db, scope: &Scope<'_>, qualifier: &str, side: FlowSide<'_>) -> Vec<Completion> {
    let segments: Vec<&str> = qualifier.split('.').collect();
    let Some((first, rest)) = segments.split_first() else { return Vec::new() };
    let (item, rest) = match lookup(db, scope, first) {
        Ok(Resolved::Item(item)) => (item, rest),
        Ok(Resolved::Module(module)) => match rest.split_first() {
            None => {
                let locals = module_locals(db, module);
                return locals.iter().filter_map(|(name, item)| item_completion(db, name.to_string(), item)).collect();
            }
            Some((second, rest)) => match module_locals(db, module).get(second) {
                Some(item) => (item, rest),
                None => return Vec::new(),
            },
        },
        Err(_) => return Vec::new(),
    };
    match (declared_kind(db, item), rest) {
        (Some(ItemKind::Node), []) => {
            let info = node_info(db, item);
            let mut out = node_ports(db, item, None, side, scope);
            if info.components.len() > 1 && side == FlowSide::None {
                for &component in &info.components {
                    out.extend(item_completion(db, component.name(db).to_string(), component));
                }
            } else if info.components.len() > 1 {
                // A flow names a port two components declare as `node.Component.port`.
                let shared = shared_port_names(info);
                out.retain(|c| !shared.iter().any(|name| c.label == *name));
                out.extend(qualifiers(db, item, &shared, side, scope));
            }
            out
        }
        (Some(ItemKind::Node), [component]) => node_ports(db, item, Some(component), side, scope),
        (Some(ItemKind::Component), []) => {
            let info = component_info(db, item);
            let ports = info.ports.iter().zip(&info.protocols).map(|(p, protocol)| Completion {
                label: p.name.to_string(),
                kind: CompletionKind::Name(NameKind::Port),
                detail: Some(port_detail(db, p.kind.keyword(), *protocol)),
            });
            let params = info.params.iter().map(|p| Completion {
                label: p.name.to_string(),
                kind: CompletionKind::Name(NameKind::Param),
                detail: p.ty.map(|t| t.name().to_string()),
            });
            ports.chain(params).collect()
        }
        _ => Vec::new(),
    }
}

fn port_detail(db: &dyn Db, keyword: &str, protocol: Option<Item<'_>>) -> String {
    match protocol {
        Some(p) => format!("{keyword} {}", protocol_info(db, p).name),
        None => keyword.to_string(),
    }
}

/// The ports of a node that fit where the cursor is.
fn fitting_ports<'db>(
    db: &'db dyn Db,
    node: Item<'db>,
    component: Option<&str>,
    side: FlowSide<'_>,
    scope: &Scope<'db>,
) -> Vec<&'db NodePort<'db>> {
    let info = node_info(db, node);
    let wanted_protocol = match side {
        FlowSide::Right(left) => left_port(db, scope, left).and_then(|p| p.protocol),
        _ => None,
    };
    let fits = |port: &NodePort<'_>| match side {
        FlowSide::None => true,
        FlowSide::Left => port.active && port.kind.initiates(),
        FlowSide::Right(_) => {
            port.active && port.kind.accepts() && wanted_protocol.is_none_or(|p| port.protocol == Some(p))
        }
    };
    info.ports.iter().filter(|p| component.is_none_or(|c| p.component.name(db) == c)).filter(|p| fits(p)).collect()
}

fn node_ports(
    db: &dyn Db,
    node: Item<'_>,
    component: Option<&str>,
    side: FlowSide<'_>,
    scope: &Scope<'_>,
) -> Vec<Completion> {
    fitting_ports(db, node, component, side, scope)
        .into_iter()
        .map(|p| Completion {
            label: p.name.to_string(),
            kind: CompletionKind::Name(NameKind::Port),
            detail: Some(port_detail(db, p.kind.keyword(), p.protocol)),
        })
        .collect()
}

/// The names of ports that more than one component of the node declares.
fn shared_port_names<'db>(info: &'db NodeInfo<'db>) -> Vec<&'db str> {
    let mut shared: Vec<&str> = Vec::new();
    for (i, port) in info.ports.iter().enumerate() {
        let again = info.ports[..i].iter().any(|p| p.name == port.name && p.component != port.component);
        if again && !shared.contains(&port.name.as_str()) {
            shared.push(port.name.as_str());
        }
    }
    shared
}

/// The components of a node that declare a fitting port of a shared name, each with the ports
/// it is needed for.
fn qualifiers(db: &dyn Db, node: Item<'_>, shared: &[&str], side: FlowSide<'_>, scope: &Scope<'_>) -> Vec<Completion> {
    let fitting = fitting_ports(db, node, None, side, scope);
    let mut out = Vec::new();
    for &component in &node_info(db, node).components {
        let ports: Vec<String> = fitting
            .iter()
            .filter(|p| p.component == component && shared.contains(&p.name.as_str()))
            .map(|p| format!("`{}`", p.name))
            .collect();
        if ports.is_empty() {
            continue;
        }
        let title = component_info(db, component).title.clone();
        out.push(Completion {
            label: component.name(db).to_string(),
            kind: CompletionKind::Name(NameKind::Component),
            detail: Some(format!("{title}: for {}", ports.join(", "))),
        });
    }
    out
}

/// The port the left end of a flow names (`node.port` or `node.Component.port`).
fn left_port<'db>(db: &'db dyn Db, scope: &Scope<'db>, path: &str) -> Option<&'db NodePort<'db>> {
    let segments: Vec<&str> = path.split('.').collect();
    let (first, rest) = segments.split_first()?;
    let (node, rest) = match lookup(db, scope, first).ok()? {
        Resolved::Item(item) => (item, rest),
        Resolved::Module(module) => {
            let (second, rest) = rest.split_first()?;
            (module_locals(db, module).get(second)?, rest)
        }
    };
    let info = node_info(db, node);
    let found = match rest {
        [port] => find_port(db, info, None, port),
        [component, port] => find_port(db, info, Some(component), port),
        _ => return None,
    };
    match found {
        PortLookup::Found(index) => info.ports.get(index as usize),
        _ => None,
    }
}
