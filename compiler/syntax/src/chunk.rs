//! Splits a file into the texts of its top-level items, before any grammar runs.
//!
//! An item starts where an item keyword (`use`, `protocol`, `component`, `zone`, `node`, `flow`,
//! `policy`, `document`) is the first word on its line outside any braces, or right after the `}` that closes
//! the previous item. An item keyword at column 0 other than `node` starts a new item even inside
//! braces, so that a missing `}` costs one item, not the rest of the file. The `///` lines and blank
//! lines right above an item belong to it.

use std::ops::Range;

pub(crate) const ITEM_KEYWORDS: [&str; 8] =
    ["use", "protocol", "component", "zone", "node", "flow", "policy", "document"];

pub(crate) struct Split {
    pub module_docs: String,
    pub chunks: Vec<Range<usize>>,
}

pub(crate) fn split(text: &str) -> Split {
    let bytes = text.as_bytes();
    let mut starts: Vec<usize> = Vec::new();
    let mut depth: i64 = 0;
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end = memchr_newline(bytes, line_start);
        let first = skip_blanks(bytes, line_start, line_end);
        if first < line_end {
            let word = word_at(bytes, first);
            if let Some(word) = word.filter(|w| is_keyword_here(bytes, first, w)) {
                let at_column0 = first == line_start;
                if depth <= 0 || (at_column0 && word != "node") {
                    depth = 0;
                    starts.push(first);
                }
            }
        }
        scan_line(bytes, line_start, line_end, &mut depth, &mut starts);
        line_start = line_end + 1;
    }

    let module_docs = module_docs(text);
    let mut chunks = Vec::with_capacity(starts.len() + 1);
    let adjusted: Vec<usize> = starts.iter().map(|&start| include_docs_above(text, start)).collect();
    let first_start = adjusted.first().copied().unwrap_or(text.len());
    if !is_trivia(&text[..first_start]) {
        // Something that is not an item before the first item: parse it so it is reported.
        let begin = skip_module_docs_and_trivia(text, first_start);
        chunks.push(begin..first_start);
    }
    for (i, &start) in adjusted.iter().enumerate() {
        let end = adjusted.get(i + 1).copied().unwrap_or(text.len());
        chunks.push(start..end.max(start));
    }
    Split { module_docs, chunks }
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| from + p)
}

fn skip_blanks(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && matches!(bytes[at], b' ' | b'\t' | b'\r') {
        at += 1;
    }
    at
}

fn word_at(bytes: &[u8], at: usize) -> Option<&'static str> {
    ITEM_KEYWORDS.into_iter().find(|kw| bytes[at..].starts_with(kw.as_bytes()))
}

/// A keyword counts when a blank, a `{` or the end of input follows it (`flow.x` is a path;
/// `policy{` is a policy).
fn is_keyword_here(bytes: &[u8], at: usize, word: &str) -> bool {
    match bytes.get(at + word.len()) {
        None => true,
        Some(b) => matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'{'),
    }
}

/// Updates the brace depth across one line, skipping strings and comments; records an item
/// start after a `}` that closes the top level and is followed by an item keyword.
fn scan_line(bytes: &[u8], start: usize, end: usize, depth: &mut i64, starts: &mut Vec<usize>) {
    let mut i = start;
    while i < end {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < end && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => return,
            b'{' => {
                *depth += 1;
                i += 1;
            }
            b'}' => {
                *depth = (*depth - 1).max(0);
                i += 1;
                if *depth == 0 {
                    let next = skip_blanks(bytes, i, end);
                    if next < end && word_at(bytes, next).is_some_and(|w| is_keyword_here(bytes, next, w)) {
                        starts.push(next);
                    }
                }
            }
            _ => i += 1,
        }
    }
}

/// Moves an item's start up over the `///` lines right above it, and over the blank lines and
/// `//` comments between them.
fn include_docs_above(text: &str, start: usize) -> usize {
    let line_begin = text[..start].rfind('\n').map_or(0, |p| p + 1);
    if !text[line_begin..start].trim().is_empty() {
        return start; // the item follows a `}` on the same line
    }
    let mut result = start;
    let mut cursor = line_begin;
    while cursor > 0 {
        let prev_end = cursor - 1; // the '\n' ending the previous line
        let prev_begin = text[..prev_end].rfind('\n').map_or(0, |p| p + 1);
        let line = text[prev_begin..prev_end].trim();
        if is_doc_line(line) {
            result = prev_begin + (text[prev_begin..prev_end].len() - text[prev_begin..prev_end].trim_start().len());
        } else if !line.is_empty() && !line.starts_with("//") {
            break;
        }
        cursor = prev_begin;
    }
    result
}

fn is_doc_line(line: &str) -> bool {
    line.starts_with("///") && !line.starts_with("////")
}

fn is_trivia(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with("//")
    })
}

fn skip_module_docs_and_trivia(text: &str, end: usize) -> usize {
    let mut at = 0;
    for line in text[..end].split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() || (trimmed.starts_with("//") && !is_doc_line(trimmed)) {
            at += line.len();
        } else {
            break;
        }
    }
    at
}

/// The `//!` lines at the top of a file, markers stripped. Blank lines between them count once,
/// as in Markdown, so that the formatter, which keeps one blank line of several, leaves the docs
/// as they were.
fn module_docs(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("//!") {
            lines.push(rest.strip_prefix(' ').unwrap_or(rest).to_string());
        } else if trimmed.is_empty() && lines.last().is_some_and(|l| !l.is_empty()) {
            lines.push(String::new());
        } else if !trimmed.is_empty() {
            break;
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text).chunks.into_iter().map(|r| text[r].trim_end()).collect()
    }

    #[test]
    fn splits_at_item_keywords_outside_braces() {
        let text = "zone a {\n  node x: C\n}\nflow x.o -> y.i\n";
        assert_eq!(texts(text), vec!["zone a {\n  node x: C\n}", "flow x.o -> y.i"]);
    }

    #[test]
    fn a_missing_brace_costs_one_item() {
        let text = "component C {\n  listen a: https\nflow x.o -> y.i\n";
        assert_eq!(texts(text), vec!["component C {\n  listen a: https", "flow x.o -> y.i"]);
    }

    #[test]
    fn doc_comments_belong_to_the_next_item() {
        let text = "flow a.b -> c.d\n/// Docs.\n\n/// More.\nflow e.f -> g.h\n";
        assert_eq!(texts(text), vec!["flow a.b -> c.d", "/// Docs.\n\n/// More.\nflow e.f -> g.h"]);
    }

    #[test]
    fn comments_between_docs_and_their_item() {
        let text = "flow a.b -> c.d\n// section\n/// Docs.\n// a note\nflow e.f -> g.h\npolicy{ default deny }\n";
        assert_eq!(
            texts(text),
            vec!["flow a.b -> c.d\n// section", "/// Docs.\n// a note\nflow e.f -> g.h", "policy{ default deny }"]
        );
    }

    #[test]
    fn keywords_in_strings_and_comments_do_not_split() {
        let text = "flow a.b -> c.d \"flow x\" // flow y\n  flow.x\n";
        assert_eq!(texts(text).len(), 1);
    }

    #[test]
    fn item_after_closing_brace_on_one_line() {
        let text = "zone a { trust dmz } zone b { trust dmz }";
        assert_eq!(texts(text), vec!["zone a { trust dmz }", "zone b { trust dmz }"]);
    }

    #[test]
    fn garbage_before_the_first_item_is_kept() {
        let text = "//! Module docs.\nhello\nflow a.b -> c.d";
        assert_eq!(texts(text), vec!["hello", "flow a.b -> c.d"]);
        assert_eq!(split(text).module_docs, "Module docs.");
    }
}
