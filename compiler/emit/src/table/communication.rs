//! The communication sections of the port-matrix documents, in the shape of the Eko AD Sync
//! page: the hops that stay inside the network (`internal`) and those that cross to or from the
//! internet (`external`), one row per protocol, port and purpose.

use portolan_model::{Flow, HopKind, Model, Trust};
use rustc_hash::FxHashSet;

use super::{Block, label, table_or_none, title_of, trust};

/// Which hops a communication section lists.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Neither end in an `untrusted` zone.
    Internal,
    /// An end in an `untrusted` zone.
    External,
}

pub fn blocks(model: &Model, reach: Reach, out: &mut Vec<Block>) {
    out.push(Block::Paragraph(
        match reach {
            Reach::Internal => {
                "Connections that stay inside the network: neither end is in an untrusted zone (the internet)."
            }
            Reach::External => "Connections to or from nodes in an untrusted zone (the internet).",
        }
        .into(),
    ));
    // Repeated rows (the two hops of a two-way flow between cluster members) are written once;
    // the set keeps this linear in the number of hops.
    let mut seen: FxHashSet<Vec<String>> = FxHashSet::default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for flow in model.flows.iter().filter(|f| f.kind != HopKind::Local && reach_of(model, f) == reach) {
        let row = vec![
            flow.protocol_title.clone(),
            flow.port_set().describe(),
            purpose(model, flow),
            format!("{} → {}", title_of(model, &flow.from.node), title_of(model, &flow.to.node)),
        ];
        if seen.insert(row.clone()) {
            rows.push(row);
        }
    }
    out.push(table_or_none(&["Protocol", "Port", "Purpose", "From → To"], rows));
}

/// The flow's label; for a hop of a flow through proxies, which hop it is.
fn purpose(model: &Model, flow: &Flow) -> String {
    let hops = model.route(flow.route).map_or(0, |r| r.hops.len());
    if flow.kind == HopKind::Via && hops > 1 {
        format!("{} (hop {} of {hops})", label(flow), flow.hop)
    } else {
        label(flow)
    }
}

fn reach_of(model: &Model, flow: &Flow) -> Reach {
    let untrusted = |zone: &str| trust(model, zone) == Some(Trust::Untrusted);
    if untrusted(&flow.from_zone) || untrusted(&flow.to_zone) { Reach::External } else { Reach::Internal }
}
