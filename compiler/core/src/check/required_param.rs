//! P502: a parameter without a default that a node leaves unset.

use portolan_syntax::ast::NodeDecl;

use super::edit;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
use crate::resolve::component_info;
use crate::resolved::ParamInfo;

/// `components` are the node's, which resolving the node has found.
pub fn diagnostic(
    db: &dyn Db,
    node: Item<'_>,
    decl: &NodeDecl,
    components: &[Item<'_>],
    component: Item<'_>,
    param: &ParamInfo,
) -> Diagnostic {
    let info = component_info(db, component);
    let purpose = match (&param.title, param.docs.lines().next()) {
        (Some(title), _) => format!(" ({title})"),
        (None, Some(line)) if !line.is_empty() => format!(" ({})", line.trim_end_matches('.')),
        _ => String::new(),
    };
    let ty = param.ty.map_or("value", |t| t.name());
    let example = if ty == "port" { "<port>" } else { "<value>" };
    let diagnostic = Diagnostic::new(
        Code::RequiredParam,
        format!("node `{}` must set `{}`{purpose}: {} has no default for it", node.name(db), param.name, info.title),
    )
    .primary(node.at(db, decl.name.span), format!("`{}` is not set", param.name))
    .secondary(component.at(db, param.span), "declared without a default here")
    .help(format!("set it in the node's block: `{} = {example}`", param.name));
    // Offer the edit: add the setting to the node's block, or give the node a block.
    match edit::set_param(db, node, components, component, &param.name, example) {
        Some(edit) => diagnostic.template(format!("set `{}`", param.name), vec![edit]),
        None => diagnostic,
    }
}
