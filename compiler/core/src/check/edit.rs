//! The edits that fixes are made of: setting a parameter on a node, adding a `use`, a rule to a
//! policy, removing text. Each works from the syntax tree alone (spans relative to the item), so
//! a check that offers a fix does not read the file's text.

use portolan_syntax::Span;
use portolan_syntax::ast::NodeDecl;

use crate::db::{Db, SourceFile};
use crate::diagnostic::{Edit, Location};
use crate::facts::spec_usage;
use crate::items::{Item, ItemKind, file_items};
use crate::resolve::component_info;
use crate::resolved::NodePort;
use crate::scope::{Resolved, lookup, module_scope};

/// The edit that makes `node` set `param` of `component` to `value` (text as written): it
/// replaces the value of a setting the node already has for it, else adds the setting to the
/// node's block, else gives the node a block. The setting is written `Component.param` when
/// another of the node's `components` has a parameter of that name too. (The components are
/// passed in, so that resolving the node itself can offer this edit.)
pub fn set_param(
    db: &dyn Db,
    node: Item<'_>,
    components: &[Item<'_>],
    component: Item<'_>,
    param: &str,
    value: &str,
) -> Option<Edit> {
    let decl = node.node_decl(db)?;
    let component_name = component.name(db);
    let existing = decl.params.iter().find(|set| match set.target.segments.as_slice() {
        [name] => name.name == param,
        [owner, name] => owner.name == *component_name && name.name == param,
        _ => false,
    });
    if let Some(set) = existing {
        return Some(Edit { location: node.at(db, set.value.span), text: value.to_string() });
    }
    let target = setting_name(db, components, component, param);
    Some(add_to_block(db, node, decl, &format!("{target} = {value}")))
}

/// How a node's setting names `param` of `component`: qualified (`MasterStack.catalog_port`)
/// when another of the node's components has a parameter of that name.
pub fn setting_name(db: &dyn Db, components: &[Item<'_>], component: Item<'_>, param: &str) -> String {
    let shared = components.iter().any(|&c| c != component && component_info(db, c).param(param).is_some());
    if shared { format!("{}.{param}", component.name(db)) } else { param.to_string() }
}

/// Adds a member (`address ...`, `name = value`) to a node's block, or gives the node a block.
pub fn add_to_block(db: &dyn Db, node: Item<'_>, decl: &NodeDecl, member: &str) -> Edit {
    let last_member = decl.addresses.iter().map(|a| a.span.end).chain(decl.params.iter().map(|p| p.span.end)).max();
    let (at, text) = match last_member {
        Some(end) => (end, format!("  {member}")),
        None if has_block(decl) => (decl.span.end.saturating_sub(1), format!(" {member} ")),
        None => (head_end(decl), format!(" {{ {member} }}")),
    };
    Edit { location: node.at(db, Span::new(at, at)), text }
}

/// Where a node's declaration ends before its block: after its components, or after `in zone`.
fn head_end(decl: &NodeDecl) -> u32 {
    let last = decl.components.last().map_or(decl.name.span.end, |c| c.span.end);
    decl.zone.as_ref().map_or(last, |z| z.span.end.max(last))
}

/// True when the node's declaration goes on after its head: it has a `{ ... }` block.
pub fn has_block(decl: &NodeDecl) -> bool {
    decl.span.end > head_end(decl) + 1
}

/// The edit that imports `module` (`use vendor.onee`, `use web.{Server}`) into `file`: after the
/// file's last `use`, or before its first item.
pub fn add_use(db: &dyn Db, file: SourceFile, text: &str) -> Option<Edit> {
    let items = file_items(db, file);
    let last_use = items.iter().rev().find_map(|&item| item.use_decl(db).map(|decl| (item, decl.span)));
    match last_use {
        Some((item, span)) => {
            Some(Edit { location: item.at(db, Span::new(span.end, span.end)), text: format!("\n{text}") })
        }
        None => {
            let first = items.iter().find(|i| i.kind(db) != ItemKind::Broken).or(items.first())?;
            Some(Edit { location: first.at(db, Span::EMPTY), text: format!("{text}\n") })
        }
    }
}

/// The edit that adds a statement to a `policy` block, on its own line before the closing brace.
pub fn add_to_policy(db: &dyn Db, policy: Item<'_>, statement: &str) -> Option<Edit> {
    let decl = policy.policy_decl(db)?;
    let close = decl.span.end.saturating_sub(1);
    Some(Edit { location: policy.at(db, Span::new(close, close)), text: format!("    {statement}\n") })
}

/// True when the module of `file` names each item by the name given with it.
pub fn can_name(db: &dyn Db, file: SourceFile, names: &[(&str, Item<'_>)]) -> bool {
    let scope = module_scope(db, file);
    names.iter().all(|&(name, item)| lookup(db, scope, name) == Ok(Resolved::Item(item)))
}

/// The edit that adds `statement` to the spec's policy: to the `preferred` block, else to a block
/// in `file`, else to any block, whichever module can name `names`; else a new `policy` block
/// at the end of `file`, if its module can. `None` when no module can.
pub fn policy_statement(
    db: &dyn Db,
    preferred: Option<Item<'_>>,
    file: SourceFile,
    statement: &str,
    names: &[(&str, Item<'_>)],
) -> Option<Edit> {
    let policies = &spec_usage(db).policies;
    let in_file = policies.iter().copied().filter(|p| p.file(db) == file);
    let block = preferred
        .into_iter()
        .chain(in_file)
        .chain(policies.iter().copied())
        .find(|p| p.policy_decl(db).is_some() && can_name(db, p.file(db), names));
    match block {
        Some(policy) => add_to_policy(db, policy, statement),
        None if can_name(db, file, names) => Some(append(file, &format!("\npolicy {{\n    {statement}\n}}"))),
        None => None,
    }
}

/// The edit that adds an attribute (` optional`, ` shared`) to the declaration of a node's port
/// in its component, right after its protocol and ports; `None` for a component of the standard
/// library, which a user cannot edit.
pub fn mark_port(db: &dyn Db, port: &NodePort<'_>, attribute: &str) -> Option<Edit> {
    if !port.component.is_user(db) {
        return None;
    }
    let component = component_info(db, port.component);
    let decl = component.ports.get(port.port_index as usize)?;
    let end = decl.spec.as_ref().map_or(decl.protocol_span.end, |s| s.span.end.max(decl.protocol_span.end));
    Some(Edit { location: port.component.at(db, Span::new(end, end)), text: format!(" {attribute}") })
}

/// The edit that appends an item to the end of a file.
pub fn append(file: SourceFile, text: &str) -> Edit {
    Edit { location: Location::end_of(file), text: format!("{text}\n") }
}

/// The edit that removes the text at `span` of `item`.
pub fn remove(db: &dyn Db, item: Item<'_>, span: Span) -> Edit {
    Edit { location: item.at(db, span), text: String::new() }
}

/// The edit that replaces the text at `span` of `item`.
pub fn replace(db: &dyn Db, item: Item<'_>, span: Span, text: impl Into<String>) -> Edit {
    Edit { location: item.at(db, span), text: text.into() }
}
