//! The formatter: one canonical layout for a `.ptl` file (the rules are in `spec/format.md`).
//!
//! The file is split into items the way the parser splits it. A parsed item is cut into tokens
//! (comments included) and the tokens are laid out again, with the syntax tree deciding where
//! members start and which braces open blocks. Only whitespace changes: every token, comments
//! and doc comments included, is printed once, in its place. An item with a syntax error is kept
//! as written (less trailing whitespace), so formatting a broken file loses nothing.
//!
//! Two checks guard this: a formatted item must parse again as one item, else it is kept as
//! written; and the formatted file must hold the same tokens and the same items, parsed or
//! broken, as the input, else only trailing whitespace is removed.

mod lex;
mod print;
mod shape;

use portolan_syntax::{ItemSyntax, Parse, ParsedItem, ast};

/// Formats a whole file. Never fails; returns the text unchanged but for whitespace.
pub fn format(text: &str) -> String {
    let parse = portolan_syntax::parse(text);
    let formatted = layout(text, &parse);
    if same_structure(text, &parse, &formatted) { formatted } else { trim_lines(text) }
}

fn layout(text: &str, parse: &Parse) -> String {
    let first = parse.items.first().map_or(text.len(), |item| item.offset as usize);
    let mut lines = prefix_lines(&text[..first]);
    for item in &parse.items {
        let start = item.offset as usize;
        let chunk = text.get(start..start + item.len as usize).unwrap_or("");
        if !lines.is_empty() && blank_line_before(text, start) {
            lines.push(String::new());
        }
        lines.extend(item_lines(item, chunk));
    }
    join(lines)
}

/// The comments before the first item (module docs among them), at column 0.
fn prefix_lines(prefix: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in prefix.lines().map(|line| line.trim_matches(is_blank)) {
        if !line.is_empty() || lines.last().is_some_and(|l| !l.is_empty()) {
            lines.push(line.to_string());
        }
    }
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// True when a blank line separates the text before `at` from `at`.
fn blank_line_before(text: &str, at: usize) -> bool {
    let before = &text[..at];
    before[before.trim_end_matches(is_blank).len()..].bytes().filter(|&b| b == b'\n').count() >= 2
}

fn item_lines(item: &ParsedItem, chunk: &str) -> Vec<String> {
    let formatted = match &*item.item {
        ItemSyntax::Parsed(ast) => parsed_item_lines(ast, chunk),
        ItemSyntax::Broken(_) => None,
    };
    formatted.unwrap_or_else(|| verbatim(chunk))
}

/// A parsed item laid out again, if the result parses back as one item with the same tokens.
fn parsed_item_lines(ast: &ast::Item, chunk: &str) -> Option<Vec<String>> {
    let shape = shape::shape(ast, chunk);
    let tokens = lex::tokens(chunk, &shape.atoms);
    let lines = print::item_lines(chunk, &tokens, &shape)?;
    let text = join(lines.clone());
    let reparsed = portolan_syntax::parse(&text);
    let one_item = matches!(reparsed.items.as_slice(), [item] if matches!(*item.item, ItemSyntax::Parsed(_)));
    (one_item && token_texts(chunk) == token_texts(&text)).then_some(lines)
}

/// An item kept as written: trailing whitespace and trailing blank lines removed.
fn verbatim(chunk: &str) -> Vec<String> {
    let mut lines: Vec<String> = chunk.lines().map(|line| line.trim_end_matches(is_blank).to_string()).collect();
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    lines
}

/// Whitespace as the grammar knows it, the only characters the formatter adds or removes. Other
/// Unicode whitespace (a no-break space, a paragraph separator) is not whitespace to the parser:
/// removing it would change what parses.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// The fallback when the layout would change more than whitespace: trailing whitespace removed.
fn trim_lines(text: &str) -> String {
    join(verbatim(text))
}

/// Lines joined, with one final newline (none for an empty file).
fn join(lines: Vec<String>) -> String {
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// The tokens of a text, as printed: what must be equal before and after formatting.
fn token_texts(text: &str) -> Vec<&str> {
    lex::tokens(text, &[]).into_iter().map(|token| token.text(text)).collect()
}

/// True when `formatted` holds the same tokens as `text`, split into the same items, each parsed
/// or broken as before.
fn same_structure(text: &str, parse: &Parse, formatted: &str) -> bool {
    let again = portolan_syntax::parse(formatted);
    let broken = |parse: &Parse| -> Vec<bool> {
        parse.items.iter().map(|item| matches!(*item.item, ItemSyntax::Broken(_))).collect()
    };
    broken(parse) == broken(&again) && token_texts(text) == token_texts(formatted)
}

#[cfg(test)]
mod tests;
