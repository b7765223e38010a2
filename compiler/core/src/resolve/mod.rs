//! The tracked queries that resolve each kind of item into the model (`crate::model`), and the
//! helpers they share: resolving a path to an item of an expected kind, and evaluating parameters.

mod component;
mod flow;
mod node;
mod params;
mod policy;
mod protocol;
mod zone;

pub use component::component_info;
pub use flow::flow_info;
pub use flow::{End, port_decl_location};
pub use node::{PortLookup, find_port, node_info};
pub use params::ParamEnv;
pub use policy::policy_info;
pub use protocol::protocol_info;
pub use zone::zone_info;

use portolan_syntax::ast;

use crate::check;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::{Item, ItemKind};
use crate::scope::{PathError, Scope, declared_kind, module_scope, resolve_path, visible_names};

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
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Target<'db, 'p>> {
    let scope: &Scope<'db> = module_scope(db, owner.file(db));
    match resolve_path(db, scope, path, kinds) {
        Ok(target) => {
            let kind = declared_kind(db, target.item);
            if kind.is_some_and(|k| kinds.contains(&k)) {
                let known = target.item.kind(db) != ItemKind::Broken;
                Some(Target { item: target.item, rest: target.rest, known })
            } else {
                diagnostics.push(check::wrong_kind::diagnostic(db, owner, target.span, target.item, kinds));
                None
            }
        }
        Err(PathError::NotFound { segment }) => {
            let candidates = visible_names(db, scope, kinds);
            diagnostics.push(check::unresolved::name(db, owner, path, &segment, kinds, &candidates));
            None
        }
        Err(PathError::NotInModule { segment, module }) => {
            diagnostics.push(check::unresolved::in_module(db, owner, &segment, module, kinds));
            None
        }
        Err(PathError::ModuleNotItem { span, module }) => {
            diagnostics.push(check::wrong_kind::module(db, owner, span, module, kinds));
            None
        }
        Err(PathError::Ambiguous { segment, items }) => {
            diagnostics.push(check::ambiguous::glob(db, owner, &segment, &items));
            None
        }
    }
}
