//! `markdown`: `ports.md`, the port matrices as GitHub-flavoured Markdown tables, with the
//! Mermaid diagram embedded.

use super::mermaid;
use super::table::{Block, document};
use portolan_model::Model;

pub fn emit(model: &Model, title: &str) -> String {
    let mut out = String::new();
    for block in document(model, title) {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&format!("{} {}\n\n", "#".repeat(usize::from(level)), escape(&text)));
            }
            Block::Paragraph(text) => out.push_str(&format!("{}\n\n", escape(&text))),
            Block::Diagram => out.push_str(&format!("```mermaid\n{}```\n\n", mermaid::emit(model))),
            Block::Table(table) => {
                out.push_str(&row(table.header.iter().map(|h| escape(h))));
                out.push_str(&row(table.header.iter().map(|_| "---".to_string())));
                for cells in &table.rows {
                    out.push_str(&row(cells.iter().map(|c| escape(c))));
                }
                out.push('\n');
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn row(cells: impl Iterator<Item = String>) -> String {
    let cells: Vec<String> = cells.collect();
    format!("| {} |\n", cells.join(" | "))
}

/// Text for a Markdown paragraph, heading or table cell: characters that start markup
/// (emphasis, code, links, HTML, entities, math, a cell's end `|`) are backslash-escaped, and so
/// is what would start a block at the beginning (a list marker, a heading, a quote); line breaks
/// become spaces.
pub fn escape(text: &str) -> String {
    let text: String =
        text.chars().map(|c| if c.is_control() || c == '\u{2028}' || c == '\u{2029}' { ' ' } else { c }).collect();
    let text = text.trim();
    let chars: Vec<char> = text.chars().collect();
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    // `1. ` or `1) ` at the start would begin an ordered list.
    let list = digits > 0 && chars.get(digits + 1).is_none_or(|c| c.is_whitespace());
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let starts_block = (i == 0 && matches!(c, '+' | '-' | '=')) || (list && i == digits && matches!(c, '.' | ')'));
        if starts_block
            || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' | '&' | '$')
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
