//! P801: a `sections` name that is no section of the port-matrix documents.

use portolan_syntax::ast::Ident;

use super::suggest;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::resolved::Section;

pub fn unknown_section(db: &dyn Db, item: Item<'_>, ident: &Ident) -> Diagnostic {
    let names = Section::ALL.iter().map(|s| format!("`{}`", s.name())).collect::<Vec<_>>().join(", ");
    let diagnostic =
        Diagnostic::new(Code::UnknownSection, format!("`{}` is not a section of the documents", ident.name))
            .primary(item.at(db, ident.span), "unknown section")
            .note(format!("the sections are {names}"));
    match suggest(&ident.name, Section::ALL.iter().map(|s| s.name())) {
        Some(best) => diagnostic
            .help(format!("did you mean `{best}`?"))
            .fix(format!("replace with `{best}`"), vec![Edit { location: item.at(db, ident.span), text: best }]),
        None => diagnostic.help("remove it, or name one of the sections"),
    }
}
