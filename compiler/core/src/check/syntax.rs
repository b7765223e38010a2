//! P001: text that does not follow the grammar.

use portolan_syntax::SyntaxError;

use crate::codes::Code;
use crate::db::SourceFile;
use crate::diagnostic::{Diagnostic, Edit, Location};

pub fn diagnostic(file: SourceFile, error: &SyntaxError) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(Code::SyntaxError, error.message.clone())
        .primary(Location::in_file(file, error.span), error.label.clone());
    if let Some(help) = &error.help {
        diagnostic = diagnostic.help(help.clone());
    }
    if let Some(suggestion) = &error.suggestion {
        let edit = Edit { location: Location::in_file(file, suggestion.span), text: suggestion.text.clone() };
        diagnostic = diagnostic.fix(suggestion.title.clone(), vec![edit]);
    }
    diagnostic
}
