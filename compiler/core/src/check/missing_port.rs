//! P405: a port whose protocol has no default port and that names none.

use portolan_syntax::Span;
use portolan_syntax::ast::PortDecl;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::resolve::protocol_info;

pub fn diagnostic(db: &dyn Db, component: Item<'_>, port: &PortDecl, protocol: Item<'_>) -> Diagnostic {
    let info = protocol_info(db, protocol);
    let transport = info.transports.first().map_or("tcp", |t| t.as_str());
    let diagnostic = Diagnostic::new(
        Code::MissingPort,
        format!("`{}` listens on {}, which has no default port, and names no port", port.name.name, info.title),
    )
    .primary(component.at(db, port.span), "which port does it listen on?")
    .secondary(protocol.name_location(db), format!("`{}` is declared without a port here", protocol.name(db)))
    .help(format!(
        "name the port: `{} {}: {} on {transport}/<port>`",
        port.kind.keyword(),
        port.name.name,
        port.protocol.text()
    ));
    if !component.is_user(db) {
        return diagnostic;
    }
    let at = Span::new(port.protocol.span.end, port.protocol.span.end);
    diagnostic.template(
        format!("name the port of `{}`", port.name.name),
        vec![Edit { location: component.at(db, at), text: format!(" on {transport}/<port>") }],
    )
}
