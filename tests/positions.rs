//! Where a diagnostic is, in each unit a consumer counts in (spec/check.md, "Positions"): JSON
//! lines and columns are 1-based and count Unicode code points; SARIF says so with
//! `columnKind: unicodeCodePoints`; the language server's positions are 0-based UTF-16 code
//! units (the conversion in `lsp/src/convert.rs` is `LineIndex::line_col_utf16`). A label with
//! `é` (two bytes, one code point, one UTF-16 unit) and `😀` (four bytes, one code point, two
//! UTF-16 units) before the error tells the three apart.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use portolan::render;
use portolan_syntax::{LineCol, LineIndex};

const SPEC: &str = "component Web { listen https: https }\nzone dmz {\n    node web \"Wéb 😀\": Missing\n}\n";

/// The one diagnostic of the spec: `Missing` is not a component.
fn diagnostic() -> (portolan::Database, Vec<portolan::Diagnostic>) {
    let db = portolan_tests::spec(SPEC);
    let diagnostics = portolan::diagnostics(&db);
    assert_eq!(portolan_tests::codes(&diagnostics), ["P101"], "{}", portolan_tests::rendered(&db, &diagnostics));
    (db, diagnostics)
}

#[test]
fn json_columns_count_code_points_from_one() {
    let (db, diagnostics) = diagnostic();
    let json = render::json_values(&db, &diagnostics);
    // `    node web "Wéb 😀": ` is 22 code points (26 bytes, 23 UTF-16 units); `Missing` is 7.
    assert_eq!((json[0]["line"].as_u64(), json[0]["column"].as_u64()), (Some(3), Some(23)), "{:#}", json[0]);
    assert_eq!((json[0]["end_line"].as_u64(), json[0]["end_column"].as_u64()), (Some(3), Some(30)));
    assert_eq!(json[0]["labels"][0]["column"].as_u64(), Some(23));
}

#[test]
fn sarif_says_its_columns_are_code_points() {
    let (db, diagnostics) = diagnostic();
    let log: serde_json::Value = serde_json::from_str(&render::sarif(&db, &diagnostics)).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints", "{run:#}");
    let region = &run["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(3), Some(23)), "{region:#}");
    assert_eq!((region["endLine"].as_u64(), region["endColumn"].as_u64()), (Some(3), Some(30)));
}

#[test]
fn the_language_servers_positions_are_utf16_units_from_zero() {
    let (db, diagnostics) = diagnostic();
    let location = diagnostics[0].location().unwrap().absolute(&db);
    let index = LineIndex::new(SPEC);
    assert_eq!(index.line_col_utf16(SPEC, location.span.start), LineCol { line: 2, col: 23 });
    assert_eq!(index.line_col_utf16(SPEC, location.span.end), LineCol { line: 2, col: 30 });
    // The same place in code points and in bytes, to show the units differ.
    assert_eq!(index.line_col_chars(SPEC, location.span.start), LineCol { line: 2, col: 22 });
    assert_eq!(index.line_col_bytes(location.span.start), LineCol { line: 2, col: 26 });
}
