//! P106: a name that two imports, or two components of one node, both provide.

use portolan_syntax::ast::{self, Ident};

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
use crate::resolved::NodeInfo;

/// Two glob imports provide different items with this name.
pub fn glob(db: &dyn Db, owner: Item<'_>, segment: &Ident, items: &[Item<'_>]) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::AmbiguousName,
        format!("`{}` is ambiguous: more than one imported module declares it", segment.name),
    )
    .primary(owner.at(db, segment.span), "could be any of these");
    for item in items {
        diagnostic =
            diagnostic.secondary(item.name_location(db), format!("declared in `{}`", item.file(db).module(db)));
    }
    let module = items.first().map(|i| i.file(db).module(db).clone()).unwrap_or_default();
    let mut diagnostic =
        diagnostic.help(format!("import the one you mean by name: `use {module}.{{{}}}`", segment.name));
    for item in items {
        let text = format!("use {}.{{{}}}", item.file(db).module(db), segment.name);
        if let Some(edit) = super::edit::add_use(db, owner.file(db), &text) {
            diagnostic = diagnostic.fix(format!("add `{text}`"), vec![edit]);
        }
    }
    diagnostic
}

/// A port name that more than one component of a node declares, or several inputs that fit.
pub fn port(
    db: &dyn Db,
    flow: Item<'_>,
    path: &ast::Path,
    node: Item<'_>,
    info: &NodeInfo<'_>,
    indices: &[u32],
) -> Diagnostic {
    let ports: Vec<String> = indices
        .iter()
        .filter_map(|&i| info.ports.get(i as usize))
        .map(|p| format!("`{}.{}.{}`", node.name(db), p.component.name(db), p.name))
        .collect();
    let mut diagnostic = Diagnostic::new(
        Code::AmbiguousName,
        format!("`{}` could mean more than one port of node `{}`", path.text(), node.name(db)),
    )
    .primary(flow.at(db, path.span), "ambiguous");
    for &i in indices {
        if let Some(port) = info.ports.get(i as usize)
            && let Some(location) = crate::resolve::port_decl_location(db, port)
        {
            diagnostic = diagnostic.secondary(location, format!("`{}` of {}", port.name, port.component.name(db)));
        }
    }
    diagnostic = diagnostic.help(format!("say which one: {}", ports.join(" or ")));
    for port in indices.iter().filter_map(|&i| info.ports.get(i as usize)) {
        let written = super::candidates::node_text(db, path, node, port);
        let text = format!("{written}.{}.{}", port.component.name(db), port.name);
        diagnostic = diagnostic.fix(format!("write `{text}`"), vec![super::edit::replace(db, flow, path.span, text)]);
    }
    diagnostic
}
