//! Escaping for XML text and attribute values, shared by the HTML page and the SVG diagram.

/// Text for HTML (and XML) content and attribute values: `&`, `<`, `>`, `"` and `'` as
/// character references; control characters other than tab and newline, which XML does not
/// allow, as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
