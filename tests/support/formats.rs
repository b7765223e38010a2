//! Checks of what the document emitters write from spec text, shared by the tests and the
//! `build_all` fuzz target: Markdown that spec text cannot turn into markup, well-formed XML.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// GitHub Markdown from spec text: no raw HTML, code span, emphasis, link, image or list comes
/// from a title or label, and every table row has as many cells as its header. Returns the text
/// outside code blocks, for a caller to find a label in. Panics, naming `what`, otherwise.
pub fn check_markdown(text: &str, what: &str) -> String {
    let mut cells = 0;
    let mut header = None;
    let mut in_table = false;
    let mut in_code_block = false;
    let mut texts = String::new();
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => panic!("{what}: raw HTML: {html}"),
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Code(code) => panic!("{what}: a code span: {code}"),
            Event::Start(Tag::Table(_)) => (in_table, header) = (true, None),
            Event::End(TagEnd::Table) => in_table = false,
            Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead) => header = Some(cells),
            Event::End(TagEnd::TableRow) => {
                assert_eq!(Some(cells), header, "{what}: a row with a wrong number of cells")
            }
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Link { .. } | Tag::Image { .. } | Tag::List(_))) => {
                panic!("{what}: markup from spec text: {tag:?}")
            }
            Event::Text(t) if !in_code_block => texts.push_str(&t),
            _ => {}
        }
    }
    assert!(!in_table, "{what}: a table does not end");
    texts
}

/// Well-formed XML (an HTML page's doctype allowed) without a script element. Returns every
/// text node, concatenated. Panics, naming `what`, otherwise.
pub fn check_xml(text: &str, what: &str) -> String {
    let text = text.strip_prefix("<!DOCTYPE html>\n").unwrap_or(text);
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{what} is not well-formed: {e}"));
    assert!(doc.descendants().all(|n| !n.has_tag_name("script")), "{what}: a script element");
    doc.descendants().filter_map(|n| n.text()).collect()
}
