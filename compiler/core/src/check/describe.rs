//! How messages name things: nodes with their components' titles, ports with their purpose,
//! protocol and port numbers, and "did you mean" suggestions.

use crate::db::Db;
use crate::items::Item;
use crate::resolve::{Part, component_info, node_info, protocol_info};
use crate::resolved::NodePort;

/// What a part of an item is called in messages.
pub fn part_noun(part: Part) -> &'static str {
    match part {
        Part::Zone => "zone",
        Part::Component => "component",
        Part::Protocol => "protocol",
        Part::Port => "port",
        Part::Parameter => "parameter",
        Part::Setting => "setting",
        Part::TrustLevel => "trust level",
        Part::Section => "section",
    }
}

/// "`server` (1E Server (Master Stack))": a node and the title of the component at issue.
pub fn node_phrase(db: &dyn Db, node: Item<'_>, component: Option<Item<'_>>) -> String {
    let title = component.map(|c| component_info(db, c).title.clone()).or_else(|| {
        let info = node_info(db, node);
        match info.components.as_slice() {
            [one] => Some(component_info(db, *one).title.clone()),
            _ => info.title.clone(),
        }
    });
    match title {
        Some(title) if title != node.name(db).as_str() => format!("`{}` ({title})", node.name(db)),
        _ => format!("`{}`", node.name(db)),
    }
}

/// "the TachyonMaster database (TDS, TCP 1433)": a port by its purpose, protocol and ports.
pub fn port_phrase(db: &dyn Db, port: &NodePort<'_>) -> String {
    let component = component_info(db, port.component);
    let title = component.ports.get(port.port_index as usize).and_then(|p| p.title.clone());
    let protocol = port.protocol.map(|p| protocol_info(db, p).title.clone());
    let ports = if port.ports.is_empty() { None } else { Some(port.ports.describe()) };
    let detail = match (protocol, ports) {
        (Some(protocol), Some(ports)) => format!("{protocol}, {ports}"),
        (Some(protocol), None) => protocol,
        (None, Some(ports)) => ports,
        (None, None) => String::new(),
    };
    let name = match title {
        Some(title) if title.starts_with("the ") || title.starts_with("The ") => title,
        Some(title) => format!("the {title}"),
        None => format!("`{}`", port.name),
    };
    if detail.is_empty() { name } else { format!("{name} ({detail})") }
}

/// How a flow names this port of a node: `node.port`, or `node.Component.port` when another
/// component of the node has a port of the same name.
pub fn port_path(db: &dyn Db, node: Item<'_>, port: &NodePort<'_>) -> String {
    let info = node_info(db, node);
    let shared_name = info.ports.iter().filter(|p| p.name == port.name).count() > 1;
    if shared_name {
        format!("{}.{}.{}", node.name(db), port.component.name(db), port.name)
    } else {
        format!("{}.{}", node.name(db), port.name)
    }
}

/// The candidate closest to `name`, if one is close enough to be a likely misspelling. A plain
/// name is compared with the last part of dotted candidates (`MastrStack` with
/// `onee.MasterStack`); a dotted name with whole candidates (`zones.dmzz` with `zones.dmz`).
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let compared = if name.contains('.') { candidate } else { candidate.rsplit('.').next().unwrap_or(candidate) };
        let score = strsim::jaro_winkler(&name.to_lowercase(), &compared.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// A policy statement's label as messages quote it after the statement: ` (label)`, or nothing.
pub fn label_suffix(label: &Option<String>) -> String {
    label.as_ref().map_or_else(String::new, |l| format!(" ({l})"))
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggest("MasterStak", ["MasterStack", "ResponseStack"]), Some("MasterStack".into()));
        assert_eq!(suggest("MastrStack", ["onee.MasterStack"]), Some("onee.MasterStack".into()));
        assert_eq!(suggest("zzz", ["MasterStack"]), None);
        assert_eq!(suggest("zones.dmzz", ["zones.dmz", "std.proto"]), Some("zones.dmz".into()));
        assert_eq!(suggest("std.protocols", ["std.proto", "std.infra"]), Some("std.proto".into()));
    }
}
