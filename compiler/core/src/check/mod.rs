//! The checks: one file per diagnostic code (or family of codes), each defining the diagnostics it
//! reports and, for the checks that run after resolution, the check itself.
//!
//! Resolution (`crate::resolve`, `crate::scope`) returns the problems it finds as data;
//! `render.rs` turns each into its diagnostic, through the check file of its code.
//! [`item_checks`] renders an item's problems and runs the checks that need the resolved model.

pub mod ambiguous;
pub mod candidates;
pub mod cleartext;
mod describe;
pub mod document;
pub mod duplicate;
pub mod edit;
pub mod flow_direction;
pub mod import_cycle;
pub mod invalid_address;
pub mod invalid_port;
pub mod invalid_proxy;
pub mod local_flow;
pub mod missing_port;
pub mod no_address;
pub mod node_zone;
pub mod not_loaded;
pub mod param_type;
pub mod policy_violation;
pub mod port_conflict;
pub mod port_mismatch;
pub mod protocol_mismatch;
pub mod proxied_deny;
pub mod redundant_rule;
pub mod render;
pub mod replica_count;
pub mod required_param;
pub mod self_flow;
pub mod shadowed_rule;
pub mod syntax;
pub mod trust;
pub mod unmatched_input;
pub mod unmatched_output;
pub mod unreached_default;
pub mod unresolved;
pub mod unused_component;
pub mod unused_param;
pub mod unused_rule;
pub mod unused_zone;
pub mod wrong_kind;

pub use describe::{node_phrase, part_noun, port_path, port_phrase, suggest};

use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::{Item, ItemKind};
use crate::resolve::{
    Problem, component_info, document_info, flow_info, node_info, policy_info, protocol_info, zone_info,
};

/// Every diagnostic about one item that depends on the item and what it names: what its
/// resolution found, then the checks on the result.
pub fn item_checks<'db>(db: &'db dyn Db, item: Item<'db>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut problems = |problems: &[Problem<'db>]| {
        out.extend(problems.iter().filter_map(|problem| render::problem(db, item, problem)));
    };
    match item.kind(db) {
        ItemKind::Protocol => problems(&protocol_info(db, item).problems),
        ItemKind::Component => problems(&component_info(db, item).problems),
        ItemKind::Zone => problems(&zone_info(db, item).problems),
        ItemKind::Node => problems(&node_info(db, item).problems),
        ItemKind::Flow => problems(&flow_info(db, item).problems),
        ItemKind::Policy => problems(&policy_info(db, item).problems),
        ItemKind::Document => problems(&document_info(db, item).problems),
        ItemKind::Use | ItemKind::Broken => {}
    }
    match item.kind(db) {
        ItemKind::Component => {
            out.extend(unused_param::check(db, item));
            out.extend(unused_component::check(db, item));
        }
        ItemKind::Zone => out.extend(unused_zone::check(db, item)),
        ItemKind::Document => {
            if let Some(first) = crate::facts::spec_document(db).filter(|&first| first != item && item.is_user(db)) {
                out.push(duplicate::document(db, first, item));
            }
        }
        ItemKind::Node => {
            out.extend(replica_count::check(db, item));
            out.extend(unmatched_output::check(db, item));
            out.extend(unmatched_input::check(db, item));
            out.extend(port_conflict::check(db, item));
            out.extend(port_mismatch::on_the_host(db, item));
        }
        // A flow's policy and encryption checks read the spec-wide policy; they run per file, in
        // `collect::file_policy`.
        _ => {}
    }
    out
}
