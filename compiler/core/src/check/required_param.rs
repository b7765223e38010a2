//! P502: a parameter without a default that a node leaves unset.

use portolan_syntax::ast::NodeDecl;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::model::ParamInfo;
use crate::resolve::component_info;

pub fn diagnostic(db: &dyn Db, node: Item<'_>, decl: &NodeDecl, component: Item<'_>, param: &ParamInfo) -> Diagnostic {
    let info = component_info(db, component);
    let purpose = match (&param.title, param.docs.lines().next()) {
        (Some(title), _) => format!(" ({title})"),
        (None, Some(line)) if !line.is_empty() => format!(" ({})", line.trim_end_matches('.')),
        _ => String::new(),
    };
    let ty = param.ty.map_or("value", |t| t.name());
    let example = if ty == "port" { "<port>" } else { "<value>" };
    let mut diagnostic = Diagnostic::new(
        Code::RequiredParam,
        format!("node `{}` must set `{}`{purpose}: {} has no default for it", node.name(db), param.name, info.title),
    )
    .primary(node.at(db, decl.name.span), format!("`{}` is not set", param.name))
    .secondary(component.at(db, param.span), "declared without a default here")
    .help(format!("set it in the node's block: `{} = {example}`", param.name));
    // Offer the edit: add the setting to the node's block, or add a block.
    let last_component = decl.components.last().map_or(decl.name.span, |c| c.span);
    let (at, text) = if decl.params.is_empty() && decl.addresses.is_empty() && !text_has_block(decl) {
        (last_component.end, format!(" {{ {} = {example} }}", param.name))
    } else {
        (decl.span.end.saturating_sub(1), format!(" {} = {example} ", param.name))
    };
    let span = portolan_syntax::Span::new(at, at);
    diagnostic = diagnostic.template(format!("set `{}`", param.name), vec![Edit { location: node.at(db, span), text }]);
    diagnostic
}

fn text_has_block(decl: &NodeDecl) -> bool {
    let last = decl.components.last().map_or(decl.name.span.end, |c| c.span.end);
    let after = decl.zone.as_ref().map_or(last, |z| z.span.end);
    decl.span.end > after + 1
}
