//! Diagnostics as a JSON array, one object per diagnostic, with their fixes; lines and columns
//! are 1-based and columns count Unicode scalar values (spec/check.md documents every field).

use serde::Serialize;

use super::{Lines, Region};
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Location};

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    primary: bool,
    message: &'a str,
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    text: &'a str,
}

fn place(db: &dyn Db, lines: &mut Lines, location: Option<&Location>) -> (String, Region) {
    match location {
        Some(location) => (location.file.path(db).clone(), lines.region(db, location)),
        None => (String::new(), Region { line: 0, column: 0, end_line: 0, end_column: 0 }),
    }
}

/// The diagnostics as a pretty-printed JSON array.
pub fn json(db: &dyn Db, diagnostics: &[Diagnostic]) -> String {
    let mut text = serde_json::to_string_pretty(&json_values(db, diagnostics)).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

/// The diagnostics as JSON values, one per diagnostic.
pub fn json_values(db: &dyn Db, diagnostics: &[Diagnostic]) -> Vec<serde_json::Value> {
    let mut lines = Lines::default();
    let out: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| {
            let (file, region) = place(db, &mut lines, d.location());
            let labels = d
                .labels
                .iter()
                .map(|l| {
                    let (file, r) = place(db, &mut lines, Some(&l.location));
                    JsonLabel {
                        primary: l.primary,
                        message: &l.message,
                        file,
                        line: r.line,
                        column: r.column,
                        end_line: r.end_line,
                        end_column: r.end_column,
                    }
                })
                .collect();
            let fixes = d
                .fixes
                .iter()
                .map(|f| JsonFix {
                    title: &f.title,
                    applicability: f.applicability.as_str(),
                    edits: f
                        .edits
                        .iter()
                        .map(|e| {
                            let (file, r) = place(db, &mut lines, Some(&e.location));
                            JsonEdit {
                                file,
                                line: r.line,
                                column: r.column,
                                end_line: r.end_line,
                                end_column: r.end_column,
                                text: &e.text,
                            }
                        })
                        .collect(),
                })
                .collect();
            JsonDiagnostic {
                code: d.code.as_str(),
                name: d.code.slug(),
                severity: d.severity.as_str(),
                message: &d.message,
                file,
                line: region.line,
                column: region.column,
                end_line: region.end_line,
                end_column: region.end_column,
                labels,
                notes: &d.notes,
                help: d.help.as_deref(),
                fixes,
            }
        })
        .collect();
    out.iter().filter_map(|d| serde_json::to_value(d).ok()).collect()
}
