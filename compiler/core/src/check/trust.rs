//! P404: a trust level that does not exist.

use portolan_syntax::ast::Ident;

use super::suggest;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::resolved::Trust;

pub fn unknown(db: &dyn Db, item: Item<'_>, level: &Ident) -> Diagnostic {
    let levels = Trust::NAMES.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ");
    let diagnostic = Diagnostic::new(Code::InvalidTrust, format!("`{}` is not a trust level", level.name))
        .primary(item.at(db, level.span), "unknown trust level")
        .note(format!("the trust levels, least trusted first, are {levels}"));
    match suggest(&level.name, Trust::NAMES.iter().copied()) {
        Some(best) => diagnostic
            .help(format!("did you mean `{best}`?"))
            .fix(format!("replace with `{best}`"), vec![Edit { location: item.at(db, level.span), text: best }]),
        None => diagnostic,
    }
}
