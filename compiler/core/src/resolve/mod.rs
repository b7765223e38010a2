//! The tracked queries that resolve each kind of item into the model (`crate::model`), and the
//! helpers they share: resolving a path to an item of an expected kind, and evaluating parameters.
//! What they find wrong they return as [`Problem`]s, which `check/` turns into diagnostics.

mod component;
mod document;
mod flow;
mod node;
mod params;
mod policy;
mod protocol;
mod zone;

pub use crate::problem::{FlowEnd, Part, Problem};
pub use component::component_info;
pub use document::document_info;
pub use flow::flow_info;
pub use flow::{End, port_decl_location};
pub use node::{PortLookup, find_port, node_info};
pub use params::ParamEnv;
pub use policy::policy_info;
pub use protocol::protocol_info;
pub use zone::zone_info;

use portolan_syntax::ast;

use crate::db::Db;
use crate::items::{Item, ItemKind};
use crate::scope::{PathError, Scope, declared_kind, module_scope, resolve_path};

/// An item a path resolved to, and the path's segments after it.
pub(crate) struct Target<'db, 'p> {
    pub item: Item<'db>,
    pub rest: &'p [ast::Ident],
    /// False when the item has a syntax error: its contents are unknown, so checks skip it.
    pub known: bool,
}

/// Resolves `path` (written inside `owner`) to an item of one of `kinds`, reporting why not.
pub(crate) fn resolve_to<'db, 'p>(
    db: &'db dyn Db,
    owner: Item<'db>,
    path: &'p ast::Path,
    kinds: &[ItemKind],
    problems: &mut Vec<Problem<'db>>,
) -> Option<Target<'db, 'p>> {
    let scope: &Scope<'db> = module_scope(db, owner.file(db));
    match resolve_path(db, scope, path, kinds) {
        Ok(target) => {
            let kind = declared_kind(db, target.item);
            if kind.is_some_and(|k| kinds.contains(&k)) {
                let known = target.item.kind(db) != ItemKind::Broken;
                Some(Target { item: target.item, rest: target.rest, known })
            } else {
                problems.push(Problem::WrongKind { span: target.span, found: target.item, kinds: kinds.to_vec() });
                None
            }
        }
        Err(error) => {
            let kinds = kinds.to_vec();
            problems.push(match error {
                PathError::NotFound { segment } => Problem::NotFound { path: path.clone(), segment, kinds },
                PathError::NotInModule { segment, module } => Problem::NotInModule { segment, module, kinds },
                PathError::ModuleNotItem { span, module } => Problem::ModuleNotItem { span, module, kinds },
                PathError::Ambiguous { segment, items } => Problem::AmbiguousGlob { segment, items },
            });
            None
        }
    }
}
