//! The parser: every construct, error recovery, messages in a user's words, and properties that
//! hold for any input (no panic, spans inside the text, one broken item leaves the others alone).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use portolan_syntax::ast::*;
use portolan_syntax::{ItemSyntax, Parse, parse, reparse};
use proptest::prelude::*;

fn items(text: &str) -> Vec<Item> {
    let parse = parse(text);
    assert!(parse.errors.is_empty(), "unexpected errors: {:#?}", parse.errors);
    parse
        .items
        .iter()
        .map(|i| match &*i.item {
            ItemSyntax::Parsed(item) => item.clone(),
            ItemSyntax::Broken(b) => panic!("broken item {b:?}"),
        })
        .collect()
}

fn one(text: &str) -> Item {
    let mut all = items(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

/// The text a span covers in an item that starts at `offset`.
fn slice(text: &str, offset: u32, span: portolan_syntax::Span) -> &str {
    &text[(offset + span.start) as usize..(offset + span.end) as usize]
}

#[test]
fn use_declarations() {
    let all = items("use std.proto\nuse site as s\nuse site.*\nuse site.{web, db as database}\n");
    let kinds: Vec<_> = all
        .iter()
        .map(|i| match i {
            Item::Use(u) => (u.module.text(), u.kind.clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds[0].0, "std.proto");
    assert!(matches!(&kinds[1].1, UseKind::Module { alias: Some(a) } if a.name == "s"));
    assert!(matches!(kinds[2].1, UseKind::Glob { .. }));
    match &kinds[3].1 {
        UseKind::Names(names) => {
            assert_eq!(names.len(), 2);
            assert_eq!(names[1].binding().name, "database");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn protocols_with_ports_lists_ranges_and_both_transports() {
    let Item::Protocol(p) = one("/// HTTP over TLS.\nprotocol https \"HTTPS\" = tcp/443 encrypted") else { panic!() };
    assert_eq!(p.name.name, "https");
    assert_eq!(p.title.as_ref().unwrap().value, "HTTPS");
    assert_eq!(p.docs.text, "HTTP over TLS.");
    assert!(p.encrypted.is_some());
    let Item::Protocol(p) = one("protocol wmi = tcp/135, tcp/445") else { panic!() };
    assert_eq!(p.ports.terms.len(), 2);
    let Item::Protocol(p) = one("protocol ntp = tcp+udp/123") else { panic!() };
    assert_eq!(p.ports.terms[0].transports, Transports::Both);
    let Item::Protocol(p) = one("protocol jg = udp/7600..7610") else { panic!() };
    assert!(matches!(p.ports.terms[0].value, Some(PortValue::Range(_, _))));
    let Item::Protocol(p) = one("protocol tcp \"TCP\" = tcp") else { panic!() };
    assert!(p.ports.terms[0].value.is_none());
}

#[test]
fn components_with_params_and_every_port_attribute() {
    let text = r#"
/// 1E Server, Master Stack.
component MasterStack "1E Server (Master Stack)" {
    /// HTTPSIISPORT.
    param https_port: port = 443 "HTTPSIISPORT"
    param file_port: port
    param mail: bool = true
    listen portal: https on tcp/https_port shared "1E Portal"
    listen poke: tcp on tcp/(switch_port + 1)
    connect db: tds
    connect smtp: smtp optional when mail
    connect browser: sql_browser when not mail
    peer cluster: jgroups on udp/7600..7610
    listen proxy: http_proxy relay
    connect core: ws on tcp/3901 local ResponseStack.core
}"#;
    let Item::Component(c) = one(text) else { panic!() };
    assert_eq!(c.title.as_ref().unwrap().value, "1E Server (Master Stack)");
    assert_eq!(c.params.len(), 3);
    assert!(c.params[1].default.is_none(), "a param without default is required");
    assert_eq!(c.params[0].title.as_ref().unwrap().value, "HTTPSIISPORT");
    assert_eq!(c.params[0].docs.text, "HTTPSIISPORT.");
    let port = |name: &str| c.ports.iter().find(|p| p.name.name == name).unwrap();
    assert!(port("portal").shared.is_some());
    assert_eq!(port("db").kind, PortKind::Connect);
    assert!(port("smtp").optional.is_some());
    assert!(!port("smtp").condition.as_ref().unwrap().negated);
    assert!(port("browser").condition.as_ref().unwrap().negated);
    assert_eq!(port("cluster").kind, PortKind::Peer);
    assert!(port("proxy").relay.is_some());
    assert_eq!(port("core").local_peer.as_ref().unwrap().text(), "ResponseStack.core");
    // `switch_port + 1` is an addition of a name and a number.
    match &port("poke").ports.as_ref().unwrap().terms[0].value {
        Some(PortValue::Single(Expr { kind: ExprKind::Paren(inner), .. })) => {
            assert!(matches!(inner.kind, ExprKind::Binary(_, BinOp::Add, _)))
        }
        other => panic!("{other:?}"),
    }
    // Spans stop at the last token, not at the next member's line.
    let offset = parse(text).items[0].offset;
    assert_eq!(slice(text, offset, port("db").span), "connect db: tds");
}

#[test]
fn multiplication_binds_tighter_than_addition() {
    let expr = portolan_syntax::parse_expr("1 + 2 * 3 - 4").unwrap();
    // ((1 + (2 * 3)) - 4)
    let ExprKind::Binary(left, BinOp::Sub, _) = &expr.kind else { panic!("{expr:?}") };
    let ExprKind::Binary(_, BinOp::Add, product) = &left.kind else { panic!("{left:?}") };
    assert!(matches!(product.kind, ExprKind::Binary(_, BinOp::Mul, _)));
}

#[test]
fn zones_with_nested_nodes_replicas_addresses_and_settings() {
    let text = r#"
zone datacenter "Customer data center" {
    trust internal
    cidr 10.20.0.0/16, 2001:db8::/32
    node server "1E Server": onee.MasterStack + onee.ResponseStack
    node sql: mssql.SqlServer { named_instance = true  address 10.20.1.5 }
    node ssms[3]: kobil.Ssms { address 10.20.2.10, 10.20.2.11, 10.20.2.12  MasterStack.switch_port = 4000 + 10 }
    node clients[*]: onee.Client
}"#;
    let Item::Zone(z) = one(text) else { panic!() };
    assert_eq!(z.trust[0].name, "internal");
    assert_eq!(z.cidrs.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["10.20.0.0/16", "2001:db8::/32"]);
    assert_eq!(z.nodes.len(), 4);
    assert_eq!(z.nodes[0].components.len(), 2, "two roles on one host");
    assert_eq!(z.nodes[0].title.as_ref().unwrap().value, "1E Server");
    assert_eq!(z.nodes[1].params[0].target.text(), "named_instance");
    assert_eq!(z.nodes[1].addresses[0].text, "10.20.1.5");
    assert!(matches!(z.nodes[2].replicas.as_ref().unwrap().count, ReplicaCount::Count(3)));
    assert_eq!(z.nodes[2].params[0].target.text(), "MasterStack.switch_port");
    assert!(matches!(z.nodes[3].replicas.as_ref().unwrap().count, ReplicaCount::Any));
}

#[test]
fn top_level_nodes_name_their_zone() {
    let Item::Node(n) = one("node lonely: X in datacenter { address 10.0.0.1 }") else { panic!() };
    assert_eq!(n.zone.as_ref().unwrap().text(), "datacenter");
}

#[test]
fn flows_with_via_local_both_directions_and_labels() {
    let all = items(
        "flow server.master_db -> sql.tds \"TachyonMaster database\"\nflow adc.sync <-> idm.sync via proxy, nginx.https\nflow server.core_out -> server.core local\n",
    );
    let flows: Vec<&FlowDecl> = all.iter().map(|i| if let Item::Flow(f) = i { f } else { panic!() }).collect();
    assert_eq!(flows[0].label.as_ref().unwrap().value, "TachyonMaster database");
    assert_eq!(flows[0].direction, Direction::Forward);
    assert_eq!(flows[1].direction, Direction::Both);
    assert_eq!(flows[1].via.iter().map(Path::text).collect::<Vec<_>>(), ["proxy", "nginx.https"]);
    assert!(flows[2].local.is_some());
}

#[test]
fn policies_with_defaults_rules_within_and_requirements() {
    let text = r#"
policy ssms "Required and blocked ports for SSMS" {
    default deny
    /// The portal and the app.
    allow internet -> dmz, private on https, tcp/80 "User access"
    deny any -> ssms on tcp/8009, udp/7600..7610
    allow within private
    allow dmz -> private
    require encrypted across dmz "no cleartext out of the data center"
}"#;
    let Item::Policy(p) = one(text) else { panic!() };
    assert_eq!(p.name.as_ref().unwrap().name, "ssms");
    assert!(matches!(p.statements[0], PolicyStmt::Default { action: Action::Deny, .. }));
    let PolicyStmt::Rule(rule) = &p.statements[1] else { panic!() };
    assert_eq!(rule.docs.text, "The portal and the app.");
    assert_eq!(rule.services.len(), 2);
    assert!(matches!(rule.services[0], Service::Protocol(_)));
    let RuleScope::Between { to: Selector::Names(to), .. } = &rule.scope else { panic!() };
    assert_eq!(to.len(), 2);
    let PolicyStmt::Rule(deny) = &p.statements[2] else { panic!() };
    assert!(matches!(deny.scope, RuleScope::Between { from: Selector::Any(_), .. }));
    let PolicyStmt::Rule(within) = &p.statements[3] else { panic!() };
    assert!(matches!(within.scope, RuleScope::Within(_)));
    let PolicyStmt::Rule(all_ports) = &p.statements[4] else { panic!() };
    assert!(all_ports.services.is_empty(), "no `on`: every protocol and port");
    assert!(matches!(p.statements[5], PolicyStmt::RequireEncrypted { .. }));
}

#[test]
fn comments_docs_and_strings() {
    let text = "//! Module docs.\n// a comment\n//// not a doc\n/// A doc.\nflow a.b -> c.d \"quote \\\" and // not a comment\" // trailing\n";
    let parse = parse(text);
    assert!(parse.errors.is_empty(), "{:#?}", parse.errors);
    assert_eq!(parse.module_docs, "Module docs.");
    let ItemSyntax::Parsed(Item::Flow(f)) = &*parse.items[0].item else { panic!() };
    assert_eq!(f.docs.text, "A doc.");
    assert_eq!(f.label.as_ref().unwrap().value, "quote \" and // not a comment");
}

/// Found by fuzzing the formatter (`fmt_idempotent`): blank lines between `//!` lines each
/// became an empty line of the module docs, so formatting, which keeps one blank line of
/// several, changed the docs.
#[test]
fn blank_lines_between_module_doc_lines_count_once() {
    let text = "//! First.\n\n\n\n//! Second.\n//!\n\n//! Third.\n\n\nflow a.b -> c.d\n";
    assert_eq!(parse(text).module_docs, "First.\n\nSecond.\n\nThird.");
    assert_eq!(parse(&portolan_fmt::format(text)).module_docs, parse(text).module_docs);
}

#[test]
fn unknown_escapes_and_huge_numbers_are_errors() {
    let parse = parse("flow a.b -> c.d \"bad \\q escape\"\nprotocol p = tcp/99999999999999999999999\n");
    let messages: Vec<&str> = parse.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["unknown escape `\\q` in a string", "this number is too large"]);
}

// ---------------------------------------------------------------------------------------------
// Recovery

#[test]
fn three_independent_syntax_errors_are_three_errors_and_the_rest_parses() {
    let text = r#"
component A {
    listen portal: https on 443
}
component B { listen ok: https }
flow a.b ->
flow c.d -> e.f "intact"
zone z {
    trust internal
    node n: B { x = }
}
protocol p = tcp/443 encrypted
"#;
    let parse = parse(text);
    assert_eq!(parse.errors.len(), 3, "{:#?}", parse.errors);
    let intact: Vec<&str> = parse
        .items
        .iter()
        .filter_map(|i| match &*i.item {
            ItemSyntax::Parsed(Item::Component(c)) => Some(c.name.name.as_str()),
            ItemSyntax::Parsed(Item::Flow(_)) => Some("flow"),
            ItemSyntax::Parsed(Item::Protocol(p)) => Some(p.name.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(intact, ["B", "flow", "p"]);
    // Broken items keep the name they declare, so uses of it do not cascade.
    let broken: Vec<String> = parse
        .items
        .iter()
        .filter_map(|i| match &*i.item {
            ItemSyntax::Broken(b) => b.name.as_ref().map(|n| n.name.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(broken, ["A", "z"]);
}

#[test]
fn a_missing_closing_brace_costs_one_item() {
    let parse = parse("component A {\n  listen a: https\nflow x.o -> y.i\nprotocol p = tcp/1\n");
    assert_eq!(parse.errors.len(), 1, "{:#?}", parse.errors);
    assert_eq!(parse.items.len(), 3);
}

#[test]
fn messages_say_what_was_expected_in_a_users_words() {
    let cases = [
        ("component A { listen portal: https on 443 }", "expected a port such as `tcp/443`, found `443`"),
        ("flow a.b => c.d", "expected `->` or `<->`, found `=`"),
        ("flow a.b ->", "expected a name, but the `flow` ends here"),
        ("zone z { node n: A { x = } }", "expected a value such as `443` or `port + 1`, found `}`"),
        (
            "flow a.b -> c.d \"open",
            "expected a closing `\"` (a string ends on the line it starts), but the `flow` ends here",
        ),
        (
            "hello world",
            "expected an item: `use`, `protocol`, `component`, `zone`, `node`, `flow`, `policy` or `document`, found `hello`",
        ),
        ("policy { permit a -> b }", "found `permit`"),
        ("document { sections }", "expected a name, found `}`"),
        ("document { section devices }", "expected `sections` or `}`, found `section`"),
    ];
    for (text, message) in cases {
        let parse = parse(text);
        assert_eq!(parse.errors.len(), 1, "{text}: {:#?}", parse.errors);
        assert!(
            parse.errors[0].message.contains(message),
            "{text}:\n  got  {}\n  want {message}",
            parse.errors[0].message
        );
        assert!(!parse.errors[0].message.contains("kw_"), "rule names leak into {:?}", parse.errors[0].message);
    }
}

#[test]
fn doc_comments_on_member_lines_and_spaced_imports() {
    let text = "use zones . *\nuse site . { web , db }\nzone z {\n    /// Untrusted: the internet.\n    trust untrusted\n    /// Our range.\n    cidr 10.0.0.0/8\n    node n: A {\n        /// Where it is.\n        address 10.0.0.1\n        /// The port.\n        port = 8443\n    }\n}\n";
    let all = items(text);
    assert!(matches!(&all[0], Item::Use(u) if matches!(u.kind, UseKind::Glob { .. })));
    assert!(matches!(&all[1], Item::Use(u) if matches!(&u.kind, UseKind::Names(n) if n.len() == 2)));
    let Item::Zone(zone) = &all[2] else { panic!() };
    assert_eq!(zone.trust[0].name, "untrusted");
    assert_eq!(zone.nodes[0].addresses[0].text, "10.0.0.1");
    assert_eq!(zone.nodes[0].params[0].target.text(), "port");
}

#[test]
fn huge_and_deep_inputs_end_in_one_error() {
    let huge = "flow a.b -> c.d\n".repeat((portolan_syntax::MAX_FILE_LEN / 16) + 1);
    let result = parse(&huge);
    assert_eq!(result.errors.len(), 1);
    assert!(result.errors[0].message.starts_with("this file is 32.0 MiB"), "{}", result.errors[0].message);
    assert!(result.items.is_empty());

    let deep = format!("protocol p = tcp/{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_eq!(parse(&deep).errors[0].message, "parentheses are nested more than 256 deep");

    let long = format!("protocol p = tcp/{}", vec!["1"; 100_000].join(" + "));
    assert_eq!(parse(&long).errors[0].message, "this expression has more than 1024 terms");

    let ident = format!("zone {} {{ trust dmz }}", "a".repeat(1 << 20));
    assert!(parse_ok(&ident));
}

fn parse_ok(text: &str) -> bool {
    parse(text).errors.is_empty()
}

// ---------------------------------------------------------------------------------------------
// Properties

fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "use ",
        "protocol ",
        "component ",
        "zone ",
        "node ",
        "flow ",
        "policy ",
        "listen ",
        "connect ",
        "peer ",
        "param ",
        "on ",
        "optional ",
        "shared ",
        "relay ",
        "when ",
        "not ",
        "local ",
        "via ",
        "trust ",
        "cidr ",
        "address ",
        "in ",
        "default ",
        "allow ",
        "deny ",
        "require ",
        "encrypted ",
        "across ",
        "within ",
        "any ",
        "tcp/",
        "udp/",
        "tcp+udp/",
        "443",
        "..",
        "7600",
        "a",
        "b.c",
        "x",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "*",
        ":",
        "=",
        ",",
        "+",
        "-",
        "->",
        "<->",
        "\"s\"",
        "\"",
        "\\",
        "//c\n",
        "///d\n",
        "\n",
        " ",
        "10.0.0.1/8",
        "é",
        "\t",
    ])
}

fn program() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..60).prop_map(|tokens| tokens.concat())
}

fn check_spans(text: &str, parse: &Parse) {
    for error in &parse.errors {
        assert!(error.span.start <= error.span.end && error.span.end as usize <= text.len(), "{error:?}");
        assert!(text.is_char_boundary(error.span.start as usize) && text.is_char_boundary(error.span.end as usize));
    }
    for item in &parse.items {
        assert!((item.offset + item.len) as usize <= text.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// Any text parses without a panic, with spans inside the text, the same way twice.
    #[test]
    fn parsing_never_fails(text in program()) {
        let first = parse(&text);
        check_spans(&text, &first);
        prop_assert_eq!(first, parse(&text));
    }

    /// Arbitrary bytes as text: same.
    #[test]
    fn parsing_arbitrary_text_never_fails(text in "\\PC{0,200}") {
        let parse = parse(&text);
        check_spans(&text, &parse);
    }

    /// Breaking one item of a valid file leaves every other item exactly as it was.
    #[test]
    fn one_broken_item_leaves_the_others_alone(which in 0usize..4, garbage in program()) {
        // Garbage on one line, without braces, strings or comments that would reach past the item.
        let garbage = garbage.replace(['\n', '{', '}', '"', '/'], " ");
        let items = [
            "component A {\n    listen web: https\n}\n",
            "zone z {\n    trust internal\n    node n: A\n}\n",
            "flow n.web -> m.web \"label\"\n",
            "policy {\n    default deny\n}\n",
        ];
        let valid: String = items.concat();
        let broken: String = items
            .iter()
            .enumerate()
            .map(|(i, item)| if i == which { item.replacen('\n', &format!(" {garbage}\n"), 1) } else { item.to_string() })
            .collect();
        let (before, after) = (parse(&valid), parse(&broken));
        prop_assert!(before.errors.is_empty());
        let syntax_of = |p: &Parse, text: &str, first_line: &str| {
            p.items.iter().find(|it| text[it.offset as usize..].starts_with(first_line)).map(|it| (*it.item).clone())
        };
        for (_, item) in items.iter().enumerate().filter(|(i, _)| *i != which) {
            let first_line = item.lines().next().unwrap_or("");
            prop_assert_eq!(syntax_of(&before, &valid, first_line), syntax_of(&after, &broken, first_line));
        }
    }

    /// Parsing again after any edit, reusing the unchanged items, gives what a fresh parse gives.
    #[test]
    fn reparsing_after_an_edit_is_parsing(before in program(), at in 0usize..200, removed in 0usize..20, inserted in program()) {
        let at = before.char_indices().map(|(i, _)| i).chain([before.len()]).nth(at.min(before.chars().count())).unwrap_or(0);
        let end = before[at..].char_indices().map(|(i, _)| at + i).chain([before.len()]).nth(removed).unwrap_or(before.len());
        let after = format!("{}{}{}", &before[..at], inserted, &before[end..]);
        let previous = parse(&before);
        prop_assert_eq!(reparse(&after, &before, &previous), parse(&after));
    }
}

#[test]
fn reparsing_reuses_the_items_an_edit_left_alone() {
    let before =
        "component A {\n    listen web: https\n}\n\nflow n.web -> m.web \"one\"\nflow n.web -> m.web \"two\"\n";
    let after = before.replace("\"one\"", "\"one, edited\"");
    let previous = parse(before);
    let again = reparse(&after, before, &previous);
    assert_eq!(again, parse(&after));
    assert_eq!(again.items.len(), 3);
    // The component and the second flow are the same trees; the edited flow is a new one.
    assert!(std::sync::Arc::ptr_eq(&again.items[0].item, &previous.items[0].item));
    assert!(!std::sync::Arc::ptr_eq(&again.items[1].item, &previous.items[1].item));
    assert!(std::sync::Arc::ptr_eq(&again.items[2].item, &previous.items[2].item));
    assert_eq!(again.items[2].offset, previous.items[2].offset + ", edited".len() as u32);
}
