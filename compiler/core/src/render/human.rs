//! Diagnostics for people: codespan-reporting, labels in every file a diagnostic touches.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label as ReportLabel, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};
use rustc_hash::FxHashMap;

use crate::db::{Db, SourceFile};
use crate::diagnostic::{Diagnostic, Severity};

/// Renders diagnostics as text, with ANSI colours when `color` is set.
pub fn human(db: &dyn Db, diagnostics: &[Diagnostic], color: bool) -> String {
    let mut files = SimpleFiles::new();
    let mut ids: FxHashMap<SourceFile, usize> = FxHashMap::default();
    let mut out: Vec<u8> = Vec::new();
    let config = Config::default();
    for diagnostic in diagnostics {
        let diagnostic = diagnostic.absolute(db);
        let mut labels = Vec::new();
        for label in &diagnostic.labels {
            let file = label.location.file;
            let id = *ids.entry(file).or_insert_with(|| files.add(file.path(db).clone(), file.text(db).clone()));
            let range = label.location.span.start as usize..label.location.span.end as usize;
            let report =
                if label.primary { ReportLabel::primary(id, range) } else { ReportLabel::secondary(id, range) };
            labels.push(report.with_message(label.message.clone()));
        }
        let severity = match diagnostic.severity {
            Severity::Error => ReportSeverity::Error,
            Severity::Warning => ReportSeverity::Warning,
        };
        let mut notes = diagnostic.notes.clone();
        if let Some(help) = &diagnostic.help {
            notes.push(format!("help: {help}"));
        }
        let report = Report::new(severity)
            .with_code(diagnostic.code.as_str())
            .with_message(diagnostic.message.clone())
            .with_labels(labels)
            .with_notes(notes);
        let written = if color {
            let mut buffer = term::termcolor::Buffer::ansi();
            let result = term::emit_to_write_style(&mut buffer, &config, &files, &report);
            out.extend_from_slice(buffer.as_slice());
            result
        } else {
            term::emit_to_io_write(&mut out, &config, &files, &report)
        };
        if written.is_err() {
            // A label outside its file's text: fall back to the message alone.
            out.extend_from_slice(
                format!("{}[{}]: {}\n", diagnostic.severity.as_str(), diagnostic.code, diagnostic.message).as_bytes(),
            );
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// "2 errors, 1 warning" or "no problems found".
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
    match (errors, warnings) {
        (0, 0) => "no problems found\n".to_string(),
        (e, 0) => format!("{}\n", plural(e, "error")),
        (0, w) => format!("{}\n", plural(w, "warning")),
        (e, w) => format!("{}, {}\n", plural(e, "error"), plural(w, "warning")),
    }
}
