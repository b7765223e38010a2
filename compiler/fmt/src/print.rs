//! Lays out the tokens of one parsed item: members one per line, 4-space indentation, canonical
//! spacing, comments where they were. Every token is printed once, in order, as written: only
//! the whitespace between tokens changes.

use super::lex::{Kind, Token};
use super::shape::{BlockKind, Shape};

const INDENT: &str = "    ";

/// How a block's braces are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// `{`, one member per line, `}` on its own line.
    Lines,
    /// `{ member }` on one line.
    Inline,
    /// `{}`.
    Empty,
}

/// What the printer knows about each token.
struct Marks {
    line_start: Vec<bool>,
    continuation: Vec<bool>,
    open: Vec<Option<Style>>,
    close: Vec<Option<Style>>,
}

/// The lines of one item, or `None` when the shape does not match the tokens (the caller then
/// keeps the item as written).
pub(super) fn item_lines(text: &str, tokens: &[Token], shape: &Shape) -> Option<Vec<String>> {
    let marks = marks(text, tokens, shape)?;
    Some(Printer { text, tokens, marks: &marks, lines: Vec::new(), line: None }.run())
}

fn marks(text: &str, tokens: &[Token], shape: &Shape) -> Option<Marks> {
    let n = tokens.len();
    let mut marks =
        Marks { line_start: vec![false; n], continuation: vec![false; n], open: vec![None; n], close: vec![None; n] };
    let index_at = |offset: usize| tokens.binary_search_by_key(&offset, |t| t.start).ok();
    for &offset in &shape.starts {
        marks.line_start[index_at(offset)?] = true;
    }
    for &offset in &shape.after_keyword {
        let at = index_at(offset)?;
        let keyword = (0..at).rev().find(|&j| tokens[j].kind != Kind::Comment)?;
        if tokens[keyword].text(text) != "," {
            marks.line_start[keyword] = true;
        }
    }
    for &offset in &shape.continuations {
        marks.continuation[index_at(offset)?] = true;
    }
    // The keyword after a member's doc comments starts a line of its own.
    for (i, token) in tokens.iter().enumerate() {
        if token.kind == Kind::Doc
            && let Some(next) = (i + 1..n).find(|&j| !tokens[j].is_trivia())
        {
            marks.line_start[next] = true;
        }
    }
    for &(span, kind) in &shape.blocks {
        let (start, end) = (span.start as usize, span.end as usize);
        let open = tokens.iter().position(|t| t.start >= start && t.start < end && is(text, *t, "{"));
        let Some(open) = open else {
            if kind == BlockKind::Node {
                continue; // a node without a body
            }
            return None;
        };
        let close = tokens.iter().rposition(|t| t.end == end).filter(|&c| c > open && is(text, tokens[c], "}"))?;
        let inside = open + 1..close;
        let members = inside.clone().filter(|&i| marks.line_start[i]).count();
        let trivia = inside.clone().any(|i| tokens[i].is_trivia());
        let style = match (kind, members) {
            _ if trivia => Style::Lines,
            (_, 0) if inside.is_empty() => Style::Empty,
            (BlockKind::Node, 1) => Style::Inline,
            _ => Style::Lines,
        };
        marks.open[open] = Some(style);
        marks.close[close] = Some(style);
    }
    Some(marks)
}

fn is(text: &str, token: Token, punct: &str) -> bool {
    token.kind == Kind::Punct && token.text(text) == punct
}

struct Printer<'a> {
    text: &'a str,
    tokens: &'a [Token],
    marks: &'a Marks,
    lines: Vec<String>,
    line: Option<String>,
}

impl Printer<'_> {
    fn run(mut self) -> Vec<String> {
        let mut depth = 0usize; // open blocks laid out on lines
        let mut inline = 0usize; // open blocks laid out on one line
        let mut after_comment = false;
        for (i, &token) in self.tokens.iter().enumerate() {
            let newlines = self.newlines_before(i);
            let close = self.marks.close[i];
            if close == Some(Style::Lines) {
                depth = depth.saturating_sub(1);
            }
            let member = token.kind == Kind::Doc || (self.marks.line_start[i] && inline == 0);
            let own_line_comment = token.kind == Kind::Comment && (newlines > 0 || i == 0);
            let level = if close == Some(Style::Lines) || member {
                Some(depth)
            } else if own_line_comment {
                Some(self.comment_level(i, depth))
            } else if after_comment || (self.marks.continuation[i] && newlines > 0) {
                // A comment ended the line inside a member, or a list written over several lines
                // goes on: continue below it.
                Some(depth + 1)
            } else {
                None
            };
            match level {
                Some(level) => {
                    let opened_block = i > 0 && self.marks.open[i - 1] == Some(Style::Lines);
                    let blank =
                        newlines >= 2 && !opened_block && close != Some(Style::Lines) && (member || own_line_comment);
                    self.start_line(level, blank);
                }
                None => {
                    let space = if i == 0 { "" } else { self.space(i - 1, i) };
                    self.push(space);
                }
            }
            self.push(token.text(self.text));
            after_comment = token.is_trivia();
            match self.marks.open[i] {
                Some(Style::Lines) => depth += 1,
                Some(Style::Inline) => inline += 1,
                _ => {}
            }
            if close == Some(Style::Inline) {
                inline = inline.saturating_sub(1);
            }
        }
        self.finish_line();
        self.lines
    }

    fn newlines_before(&self, i: usize) -> usize {
        let from = if i == 0 { 0 } else { self.tokens[i - 1].end };
        self.text[from..self.tokens[i].start].bytes().filter(|&b| b == b'\n').count()
    }

    /// An own-line comment sits at the level of the member after it; inside a member (the next
    /// code token continues the member), one level deeper.
    fn comment_level(&self, i: usize, depth: usize) -> usize {
        let next = (i + 1..self.tokens.len()).find(|&j| self.tokens[j].kind != Kind::Comment);
        match next {
            Some(j)
                if self.tokens[j].kind != Kind::Doc && !self.marks.line_start[j] && self.marks.close[j].is_none() =>
            {
                depth + 1
            }
            _ => depth,
        }
    }

    /// The canonical space between two tokens on one line.
    fn space(&self, prev: usize, next: usize) -> &'static str {
        let (p, n) = (self.tokens[prev], self.tokens[next]);
        if n.kind == Kind::Comment {
            return " ";
        }
        match (self.marks.open[prev], self.marks.close[next]) {
            (Some(Style::Empty), _) | (_, Some(Style::Empty)) => return "",
            (Some(_), _) | (_, Some(_)) => return " ",
            _ => {}
        }
        if self.marks.open[next].is_some() {
            return " ";
        }
        let glued_right = p.kind == Kind::Punct && matches!(p.text(self.text), "(" | "[" | "." | ".." | "/" | "{");
        let glued_left =
            n.kind == Kind::Punct && matches!(n.text(self.text), "," | ":" | ")" | "[" | "]" | "." | ".." | "/" | "}");
        if glued_right || glued_left { "" } else { " " }
    }

    fn start_line(&mut self, level: usize, blank: bool) {
        self.finish_line();
        if blank && !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.line = Some(INDENT.repeat(level));
    }

    fn push(&mut self, text: &str) {
        self.line.get_or_insert_with(String::new).push_str(text);
    }

    fn finish_line(&mut self) {
        if let Some(line) = self.line.take() {
            self.lines.push(line);
        }
    }
}
