//! Zones and nodes of the two models matched: by name, then a leftover of each side paired as a
//! rename when it is the only one with its shape (a zone's trust and CIDRs; a node's components,
//! addresses and zone). What was renamed is what flows, rules and hosts are matched through.

use portolan_model::ports::PortSet;
use portolan_model::{Model, Node, Replicas, Zone};
use rustc_hash::FxHashMap;

use crate::{Change, ChangeKind, Field};

/// Old names of renamed zones and nodes, and their new names.
#[derive(Debug, Default)]
pub struct Renames {
    zones: FxHashMap<String, String>,
    nodes: FxHashMap<String, String>,
}

impl Renames {
    /// The new name of an old node: its own unless it was renamed.
    pub fn node<'a>(&'a self, old: &'a str) -> &'a str {
        self.nodes.get(old).map_or(old, String::as_str)
    }

    pub fn zone<'a>(&'a self, old: &'a str) -> &'a str {
        self.zones.get(old).map_or(old, String::as_str)
    }
}

pub struct Names {
    pub zones: Vec<Change>,
    pub nodes: Vec<Change>,
    pub renames: Renames,
}

pub fn compare(old: &Model, new: &Model) -> Names {
    let mut renames = Renames::default();
    let zone_key = |z: &Zone| (!z.cidrs.is_empty()).then(|| format!("{}|{}", z.trust.as_str(), z.cidrs.join(",")));
    let (pairs, removed) = pair(&old.zones, &new.zones, |z| &z.name, zone_key, zone_key);
    for (n, o) in pairs.iter().enumerate() {
        if let (Some(o), Some(zone)) = (o, new.zones.get(n))
            && let Some(old_zone) = old.zones.get(*o)
            && old_zone.name != zone.name
        {
            renames.zones.insert(old_zone.name.clone(), zone.name.clone());
        }
    }
    let zones = changes(&old.zones, &new.zones, &pairs, &removed, |z| &z.name, zone_detail, zone_fields);

    let node_key = |zone: &str, n: &Node| {
        let components: Vec<&str> = n.components.iter().map(|c| c.name.as_str()).collect();
        Some(format!("{}|{}|{zone}", components.join(","), n.addresses.join(",")))
    };
    let old_key = |n: &Node| node_key(renames.zone(&n.zone), n);
    let new_key = |n: &Node| node_key(&n.zone, n);
    let (pairs, removed) = pair(&old.nodes, &new.nodes, |n| &n.name, old_key, new_key);
    let mut nodes_renamed = FxHashMap::default();
    for (n, o) in pairs.iter().enumerate() {
        if let (Some(o), Some(node)) = (o, new.nodes.get(n))
            && let Some(old_node) = old.nodes.get(*o)
            && old_node.name != node.name
        {
            nodes_renamed.insert(old_node.name.clone(), node.name.clone());
        }
    }
    let nodes =
        changes(&old.nodes, &new.nodes, &pairs, &removed, |n| &n.name, node_detail, |o, n| node_fields(&renames, o, n));
    renames.nodes = nodes_renamed;
    Names { zones, nodes, renames }
}

/// For each new item, the old item it is (by name, else by a unique shape), and the old items
/// left over, in order.
fn pair<T>(
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &String,
    old_key: impl Fn(&T) -> Option<String>,
    new_key: impl Fn(&T) -> Option<String>,
) -> (Vec<Option<usize>>, Vec<usize>) {
    let by_name: FxHashMap<&str, usize> = old.iter().enumerate().rev().map(|(i, t)| (name(t).as_str(), i)).collect();
    let mut taken = vec![false; old.len()];
    let mut pairs: Vec<Option<usize>> = vec![None; new.len()];
    for (n, item) in new.iter().enumerate() {
        if let Some(&o) = by_name.get(name(item).as_str())
            && !taken[o]
        {
            taken[o] = true;
            pairs[n] = Some(o);
        }
    }
    // The leftovers of each side by shape; a shape held by exactly one item of each is a rename.
    let mut shapes: FxHashMap<String, (Vec<usize>, Vec<usize>)> = FxHashMap::default();
    for (o, item) in old.iter().enumerate().filter(|(o, _)| !taken[*o]) {
        if let Some(key) = old_key(item) {
            shapes.entry(key).or_default().0.push(o);
        }
    }
    for (n, item) in new.iter().enumerate().filter(|(n, _)| pairs[*n].is_none()) {
        if let Some(key) = new_key(item) {
            shapes.entry(key).or_default().1.push(n);
        }
    }
    for (olds, news) in shapes.values() {
        if let ([o], [n]) = (olds.as_slice(), news.as_slice()) {
            taken[*o] = true;
            pairs[*n] = Some(*o);
        }
    }
    let removed = (0..old.len()).filter(|&o| !taken[o]).collect();
    (pairs, removed)
}

/// The changes of paired lists: each new item added or changed, in order, then each old item
/// removed.
fn changes<T>(
    old: &[T],
    new: &[T],
    pairs: &[Option<usize>],
    removed: &[usize],
    name: impl Fn(&T) -> &String,
    detail: impl Fn(&T) -> String,
    fields: impl Fn(&T, &T) -> Vec<Field>,
) -> Vec<Change> {
    let change = |kind: ChangeKind, item: &T| Change {
        change: kind,
        name: name(item).clone(),
        old_name: None,
        route: None,
        label: None,
        detail: String::new(),
        fields: Vec::new(),
    };
    let mut out = Vec::new();
    for (item, paired) in new.iter().zip(pairs) {
        match paired.and_then(|o| old.get(o)) {
            None => out.push(Change { detail: detail(item), ..change(ChangeKind::Added, item) }),
            Some(before) => {
                let renamed = name(before) != name(item);
                let mut found = fields(before, item);
                if renamed || !found.is_empty() {
                    if renamed {
                        found.insert(0, Field::new("name", name(before).clone(), name(item).clone()));
                    }
                    let old_name = renamed.then(|| name(before).clone());
                    out.push(Change { old_name, fields: found, ..change(ChangeKind::Changed, item) });
                }
            }
        }
    }
    for item in removed.iter().filter_map(|&o| old.get(o)) {
        out.push(Change { detail: detail(item), ..change(ChangeKind::Removed, item) });
    }
    out
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

fn zone_detail(zone: &Zone) -> String {
    let cidrs = if zone.cidrs.is_empty() { "no CIDR".to_string() } else { list(&zone.cidrs) };
    format!("{}, {cidrs}", zone.trust.as_str())
}

fn zone_fields(old: &Zone, new: &Zone) -> Vec<Field> {
    let mut fields = Vec::new();
    compare_field(&mut fields, "title", &old.title, &new.title);
    compare_field(&mut fields, "trust", old.trust.as_str(), new.trust.as_str());
    compare_field(&mut fields, "cidrs", &list(&old.cidrs), &list(&new.cidrs));
    fields
}

fn compare_field(fields: &mut Vec<Field>, field: &str, old: &str, new: &str) {
    if old != new {
        fields.push(Field::new(field, old, new));
    }
}

fn components(node: &Node) -> String {
    node.components.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn replicas(node: &Node) -> String {
    match &node.replicas {
        None => "one host".to_string(),
        Some(Replicas::Count(n)) => format!("{n} replicas"),
        Some(Replicas::Any(_)) => "any number of replicas".to_string(),
    }
}

fn node_detail(node: &Node) -> String {
    let addresses = if node.addresses.is_empty() { "no address".to_string() } else { list(&node.addresses) };
    format!("in zone {}, {addresses}, runs {}", node.zone, components(node))
}

/// A port in words: `listen https on TCP 8443`.
fn port_text(node: &Node, name: &str) -> String {
    node.port(name).map_or(String::new(), |p| {
        let kind = match p.kind {
            portolan_model::PortKind::Listen => "listen",
            portolan_model::PortKind::Connect => "connect",
            portolan_model::PortKind::Peer => "peer",
        };
        format!("{kind} {} on {}", p.protocol, PortSet::new(p.ports.clone()).describe())
    })
}

fn node_fields(renames: &Renames, old: &Node, new: &Node) -> Vec<Field> {
    let mut fields = Vec::new();
    compare_field(&mut fields, "zone", renames.zone(&old.zone), &new.zone);
    compare_field(&mut fields, "title", &old.title, &new.title);
    compare_field(&mut fields, "addresses", &list(&old.addresses), &list(&new.addresses));
    compare_field(&mut fields, "components", &components(old), &components(new));
    compare_field(&mut fields, "replicas", &replicas(old), &replicas(new));
    for port in &new.ports {
        compare_field(
            &mut fields,
            &format!("port {}", port.name),
            &port_text(old, &port.name),
            &port_text(new, &port.name),
        );
    }
    for port in old.ports.iter().filter(|p| new.port(&p.name).is_none()) {
        compare_field(&mut fields, &format!("port {}", port.name), &port_text(old, &port.name), "");
    }
    fields
}
