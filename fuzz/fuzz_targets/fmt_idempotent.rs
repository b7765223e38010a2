//! Format any text: no panic; formatting the output again changes nothing; every comment is
//! kept; and a file that parsed without syntax errors still does after formatting, into the same
//! items (spans aside), as `tests/fmt.rs` asserts on generated specs.

#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_fmt::format;
use portolan_syntax::Parse;
use portolan_tests::comments_of;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let once = format(text);
    let twice = format(&once);
    assert_eq!(twice, once, "not idempotent; input: {text:?}");
    assert_eq!(comments_of(&once), comments_of(text), "comments changed; input: {text:?}");
    let before = portolan_syntax::parse(text);
    if before.errors.is_empty() {
        let after = portolan_syntax::parse(&once);
        assert!(after.errors.is_empty(), "formatting made syntax errors: {:?}\n{once}", after.errors);
        assert_eq!(items(&after), items(&before), "formatting changed the syntax tree; input: {text:?}\n{once}");
        assert_eq!(after.module_docs, before.module_docs, "formatting changed the module docs");
    }
});

/// Each item's syntax tree as text, spans removed: what must not change when only whitespace
/// does.
fn items(parse: &Parse) -> Vec<String> {
    parse.items.iter().map(|item| without_spans(&format!("{:?}", item.item))).collect()
}

/// `Span { start: 3, end: 9 }` becomes `Span`.
fn without_spans(debug: &str) -> String {
    const OPEN: &str = "Span { start: ";
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        out.push_str("Span");
        let after = &rest[at..];
        let close = after.find('}').map_or(after.len(), |i| i + 1);
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}
