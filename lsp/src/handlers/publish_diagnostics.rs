//! `textDocument/publishDiagnostics`: each diagnostic with the primary label's range, the code,
//! the message with its notes and help, and the secondary labels (possibly in other files) as
//! related information.

use std::collections::HashMap;

use portolan::{Severity, collect, facts};
use tower_lsp_server::ls_types::{
    self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};

use crate::state::Snapshot;

/// One diagnostic in LSP terms; `None` when it has no location.
pub fn to_lsp(snapshot: &Snapshot, diagnostic: &portolan::Diagnostic) -> Option<lsp::Diagnostic> {
    let location = diagnostic.location()?;
    let range = snapshot.lines(location.file).range(location.span);
    let mut message = diagnostic.message.clone();
    for note in &diagnostic.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .labels
        .iter()
        .filter(|label| !label.primary && !label.message.is_empty())
        .filter_map(|label| {
            let uri = snapshot.uri(label.location.file)?;
            let range = snapshot.lines(label.location.file).range(label.location.span);
            Some(DiagnosticRelatedInformation { location: Location { uri, range }, message: label.message.clone() })
        })
        .collect();
    Some(lsp::Diagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_string())),
        source: Some("portolan".to_string()),
        message,
        related_information: if related.is_empty() { None } else { Some(related) },
        ..lsp::Diagnostic::default()
    })
}

/// The diagnostics of every user file of a spec, with the version of the open ones.
pub fn spec_diagnostics(
    snapshot: &Snapshot,
    versions: &HashMap<String, i32>,
) -> Vec<(Uri, Option<i32>, Vec<lsp::Diagnostic>)> {
    let db = &snapshot.db;
    let mut out = Vec::new();
    for &file in facts::user_files(db) {
        let Some(uri) = snapshot.uri(file) else { continue };
        let loaded = snapshot.problems.iter().filter(|d| d.location().is_some_and(|l| l.file == file));
        let diagnostics =
            loaded.chain(collect::file_diagnostics(db, file)).filter_map(|d| to_lsp(snapshot, d)).collect();
        out.push((uri, versions.get(file.path(db)).copied(), diagnostics));
    }
    out
}
