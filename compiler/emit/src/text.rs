//! Text in the SVG diagram: how wide a line is taken to be, and long texts wrapped over lines.
//!
//! No font is at hand when the diagram is written, so widths are estimated per character, in
//! ems, on the wide side of the usual sans-serif fonts (DejaVu Sans, the widest common one, is
//! below every figure): narrow letters and punctuation (`i l j f t r . , : ; ' ! | ( ) [ ]`)
//! 0.42, a space 0.34, other lower-case letters, digits and most punctuation 0.66, upper-case
//! letters and `# + < = > ^ ~ & _ *` and every other non-ASCII character 0.86, `M W m w @ %`
//! and wide (East Asian) characters 1.0, emoji 1.3, combining marks 0; bold adds 15 %. The
//! boxes the diagram draws around texts are made from these figures, so a text always fits
//! its box in any of those fonts.

/// How much wider than a line a word may be before it is cut.
const LONG_WORD: f64 = 1.5;

/// The estimated width of one line of text, in pixels, at `size` pixels per em.
pub fn width(text: &str, size: f64, bold: bool) -> f64 {
    let ems: f64 = text.chars().map(char_width).sum();
    ems * size * if bold { 1.15 } else { 1.0 }
}

/// How high a line is, in whole pixels: 1.25 em, rounded up.
pub fn line_height(size: f64) -> i64 {
    (size * 1.25).ceil() as i64
}

fn char_width(c: char) -> f64 {
    match c {
        ' ' => 0.34,
        'i' | 'l' | 'j' | 'f' | 't' | 'r' | 'I' | 'J' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '(' | ')' | '['
        | ']' | '`' => 0.42,
        'M' | 'W' | 'm' | 'w' | '@' | '%' => 1.0,
        'A'..='Z' | '#' | '+' | '<' | '=' | '>' | '^' | '~' | '&' | '_' | '*' => 0.86,
        c if c.is_ascii() => 0.66,
        '\u{0300}'..='\u{036f}' | '\u{200b}'..='\u{200f}' | '\u{fe00}'..='\u{fe0f}' => 0.0,
        '\u{2600}'..='\u{27bf}' | '\u{1f000}'..='\u{1faff}' => 1.3,
        '\u{1100}'..='\u{115f}'
        | '\u{2e80}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}'
        | '\u{20000}'..='\u{3fffd}' => 1.0,
        _ => 0.86,
    }
}

/// A text as one line: line breaks, tabs and other control characters become spaces, and runs
/// of blanks one space.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `text` on as many lines as it takes, none wider than `max` pixels: broken between words; a
/// word wider than a line is a line of its own (up to half as wide again), or, wider still, cut
/// where it stops fitting. At most `max_lines`
/// lines: a longer text ends its last line with `…` (the drawing gives it whole in a tooltip).
/// Never empty: a blank text is one empty line.
pub fn wrap(text: &str, max: f64, size: f64, bold: bool, max_lines: usize) -> Vec<String> {
    let text = one_line(text);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let joined = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if width(&joined, size, bold) <= max {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone: on a line of its own when it is up to half as wide again as a line,
        // else cut where it stops fitting.
        if width(word, size, bold) <= max * LONG_WORD {
            line = word.to_string();
            continue;
        }
        for c in word.chars() {
            line.push(c);
            if width(&line, size, bold) > max && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    lines.push(line);
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && width(&format!("{last}…"), size, bold) > max {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}

/// The width of the widest of `lines`, in whole pixels, rounded up.
pub fn widest(lines: &[String], size: f64, bold: bool) -> i64 {
    lines.iter().map(|l| width(l, size, bold).ceil() as i64).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_and_long_words_break() {
        let lines = wrap("TCP 443 HTTPS: Route 1: Apps/Services → mID Provider/OIDC", 120.0, 11.0, false, 8);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 11.0, false) <= 120.0), "{lines:?}");
        assert_eq!(lines.join(" "), "TCP 443 HTTPS: Route 1: Apps/Services → mID Provider/OIDC");
        let long = "n".repeat(300);
        let lines = wrap(&long, 100.0, 12.0, false, 100);
        assert!(lines.iter().all(|l| width(l, 12.0, false) <= 100.0));
        assert_eq!(lines.concat(), long);
        let word = "(SQLSERVER_RESPONSES)";
        assert_eq!(wrap(&format!("x {word} y"), 160.0, 11.0, false, 9), vec!["x", word, "y"]);
    }

    #[test]
    fn too_many_lines_end_with_an_ellipsis() {
        let lines = wrap(&"word ".repeat(200), 60.0, 12.0, false, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
        assert!(lines.iter().all(|l| width(l, 12.0, false) <= 60.0));
    }

    #[test]
    fn blank_and_control_text() {
        assert_eq!(wrap("", 50.0, 12.0, false, 3), vec![String::new()]);
        assert_eq!(wrap(" a\n\tb\u{7} ", 500.0, 12.0, false, 3), vec!["a b".to_string()]);
        // Wider than a line, one character at a time: each on its own line, never an empty one.
        let lines = wrap("🚀🚀", 5.0, 12.0, false, 9);
        assert_eq!(lines, vec!["🚀".to_string(), "🚀".to_string()]);
    }
}
