//! Syntax errors, and how pest's "expected rule" sets become words a user knows.

use crate::Span;
use crate::grammar::Rule;

/// One syntax error: where, what was expected, and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SyntaxError {
    pub span: Span,
    /// "expected a port such as `tcp/443`, found `foo`".
    pub message: String,
    /// A short text for the label under the span.
    pub label: String,
    pub help: Option<String>,
    /// An edit that repairs the error, when the help names one.
    pub suggestion: Option<Suggestion>,
}

/// Replace the text at `span` with `text`: "close the string", "remove the `;`".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Suggestion {
    pub title: String,
    pub span: Span,
    pub text: String,
}

impl SyntaxError {
    pub fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> SyntaxError {
        SyntaxError { span, message: message.into(), label: label.into(), help: None, suggestion: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> SyntaxError {
        self.help = Some(help.into());
        self
    }
}

/// Builds the error for a chunk that pest rejected.
pub(crate) fn from_pest(error: &pest::error::Error<Rule>, text: &str) -> SyntaxError {
    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let positives: Vec<Rule> = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let expected = describe_expected(&positives);
    let context = item_keyword(text);
    let (found, span) = found_at(text, pos);
    let message = match (&expected, &found) {
        (Some(expected), Found::Token(token)) => format!("expected {expected}, found {token}"),
        (Some(expected), Found::End) => match context {
            Some(kw) => format!("expected {expected}, but the `{kw}` ends here"),
            None => format!("expected {expected}, but the text ends here"),
        },
        (None, Found::Token(token)) => format!("unexpected {token}"),
        (None, Found::End) => "unexpected end of the item".to_string(),
    };
    let label = match (&expected, &found) {
        (Some(expected), _) if !expected.contains(',') && !expected.contains(" or ") => format!("expected {expected}"),
        (_, Found::Token(token)) => format!("unexpected {token}"),
        (_, Found::End) => "the item ends here".to_string(),
    };
    let mut err = SyntaxError::new(span, message, label);
    if let Some(help) = help_for(&positives, &found) {
        err = err.with_help(help);
    }
    err.suggestion = suggestion_for(&positives, &found, span, pos as u32);
    err
}

/// The edit the help describes, when it is one: close an unterminated string where its line
/// ends (`pos`, where the closing quote was expected), remove a `;`.
fn suggestion_for(positives: &[Rule], found: &Found, span: Span, pos: u32) -> Option<Suggestion> {
    if positives.contains(&Rule::string_end) {
        return Some(Suggestion { title: "close the string".into(), span: Span::new(pos, pos), text: "\"".into() });
    }
    match found {
        Found::Token(token) if token == "`;`" => {
            Some(Suggestion { title: "remove the `;`".into(), span, text: String::new() })
        }
        _ => None,
    }
}

enum Found {
    Token(String),
    End,
}

/// The token at `pos` after trivia, and the span to point at.
fn found_at(text: &str, pos: usize) -> (Found, Span) {
    let bytes = text.as_bytes();
    let mut at = pos.min(bytes.len());
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let rest = &bytes[at..];
        let is_doc = rest.starts_with(b"///") && !rest.starts_with(b"////");
        if rest.starts_with(b"//") && !is_doc {
            while at < bytes.len() && bytes[at] != b'\n' {
                at += 1;
            }
            continue;
        }
        break;
    }
    if at >= bytes.len() {
        // Point just after the last thing written, not at the next item's first line.
        let end = text.trim_end().len() as u32;
        return (Found::End, Span::new(end, end));
    }
    let rest = &text[at..];
    let first = rest.chars().next().unwrap_or(' ');
    let len = if first.is_ascii_alphanumeric() || first == '_' {
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len())
    } else if first == '"' {
        rest[1..].find(['"', '\n']).map_or(rest.len(), |p| p + 2).min(rest.len())
    } else if rest.starts_with("///") {
        3
    } else {
        first.len_utf8()
    };
    let token = &rest[..len];
    let shown = if first == '"' {
        "a string".to_string()
    } else if token == "///" {
        "a doc comment (`///` goes right before an item or member)".to_string()
    } else {
        format!("`{}`", token.escape_debug())
    };
    (Found::Token(shown), Span::new(at as u32, (at + len) as u32))
}

fn item_keyword(text: &str) -> Option<&'static str> {
    let mut words = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//"));
    let first = words.next()?;
    crate::chunk::ITEM_KEYWORDS.into_iter().find(|kw| {
        first.starts_with(kw) && first[kw.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric() && c != '_')
    })
}

/// Words for the set of rules pest tried at the error position.
fn describe_expected(positives: &[Rule]) -> Option<String> {
    let item_keywords = [
        Rule::kw_use,
        Rule::kw_protocol,
        Rule::kw_component,
        Rule::kw_zone,
        Rule::kw_node,
        Rule::kw_flow,
        Rule::kw_policy,
        Rule::kw_document,
        Rule::item_start,
        Rule::use_decl,
        Rule::protocol_decl,
        Rule::component_decl,
        Rule::zone_decl,
        Rule::flow_decl,
        Rule::policy_decl,
        Rule::document_decl,
    ];
    if positives.iter().filter(|r| item_keywords.contains(r)).count() >= 2 {
        return Some(
            "an item: `use`, `protocol`, `component`, `zone`, `node`, `flow`, `policy` or `document`".to_string(),
        );
    }
    let is_value_start = positives.contains(&Rule::int) && positives.contains(&Rule::path);
    let mut words: Vec<&'static str> = Vec::new();
    if is_value_start {
        words.push("a value such as `443` or `port + 1`");
    }
    for rule in positives {
        if is_value_start && matches!(rule, Rule::int | Rule::path | Rule::boolean | Rule::string | Rule::lparen) {
            continue;
        }
        let several: &[&'static str] = match rule {
            Rule::port_kind | Rule::port_decl => &["`listen`", "`connect`", "`peer`"],
            Rule::action | Rule::rule_stmt => &["`allow`", "`deny`"],
            _ => &[],
        };
        for word in several.iter().copied().chain(describe(*rule)) {
            if !words.contains(&word) {
                words.push(word);
            }
        }
    }
    // Keywords first, closing punctuation next, free text and the end of the item last.
    words.sort_by_key(|w| match *w {
        "the end of the item" => 3,
        "a text in double quotes" => 2,
        "`}`" | "`)`" => 1,
        _ => 0,
    });
    match words.len() {
        0 => None,
        1 => Some(words[0].to_string()),
        n => Some(format!("{} or {}", words[..n - 1].join(", "), words[n - 1])),
    }
}

fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident | Rule::path => "a name",
        Rule::int => "a number",
        Rule::string | Rule::title => "a text in double quotes",
        Rule::string_end => "a closing `\"` (a string ends on the line it starts)",
        Rule::address => "an address such as `10.0.0.1` or `10.0.0.0/16`",
        Rule::colon => "`:`",
        Rule::equals => "`=`",
        Rule::comma => "`,`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::arrow => "`->` or `<->`",
        Rule::plus => "`+`",
        Rule::dotdot => "`..`",
        Rule::kw_use => "`use`",
        Rule::kw_as => "`as`",
        Rule::kw_protocol => "`protocol`",
        Rule::kw_encrypted | Rule::encrypted => "`encrypted`",
        Rule::kw_component => "`component`",
        Rule::kw_param => "`param`",
        Rule::kw_on => "`on`",
        Rule::kw_optional | Rule::optional => "`optional`",
        Rule::kw_shared | Rule::shared => "`shared`",
        Rule::kw_relay | Rule::relay => "`relay`",
        Rule::kw_configurable | Rule::configurable => "`configurable`",
        Rule::kw_route | Rule::route_number => "`route`",
        Rule::kw_when | Rule::condition => "`when`",
        Rule::kw_not | Rule::negation => "`not`",
        Rule::kw_zone => "`zone`",
        Rule::kw_trust => "`trust`",
        Rule::kw_cidr => "`cidr`",
        Rule::kw_node => "`node`",
        Rule::kw_address => "`address`",
        Rule::kw_in => "`in`",
        Rule::kw_flow => "`flow`",
        Rule::kw_via | Rule::via => "`via`",
        Rule::kw_local | Rule::local_flow | Rule::local_peer => "`local`",
        Rule::kw_intended | Rule::via_intended => "`intended`",
        Rule::kw_policy => "`policy`",
        Rule::kw_document => "`document`",
        Rule::kw_sections | Rule::sections_stmt => "`sections`",
        Rule::section_ref => "a section such as `devices`",
        Rule::kw_default => "`default`",
        Rule::kw_require => "`require`",
        Rule::kw_across => "`across`",
        Rule::kw_within | Rule::within => "`within`",
        Rule::kw_any => "`any`",
        Rule::kw_cleartext | Rule::allow_cleartext => "`allow cleartext`",
        Rule::kw_flows | Rule::end_to_end => "`flows`",
        Rule::item_start => "an item",
        Rule::use_alias => "`as`",
        Rule::use_glob => "`.*`",
        Rule::use_list => "`.{`",
        Rule::port_spec | Rule::port_term | Rule::transport => "a port such as `tcp/443`",
        Rule::port_range => "a range such as `7600..7610`",
        Rule::param_decl => "`param`",
        Rule::param_type => "a type (`port`, `int`, `bool` or `string`)",
        Rule::expr => "a value such as `443` or `port + 1`",
        Rule::bin_op => "an operator (`+`, `-` or `*`)",
        Rule::boolean => "`true` or `false`",
        Rule::selector => "a zone or node name, or `any`",
        Rule::service => "a protocol or a port such as `https` or `tcp/8443`",
        Rule::replicas => "a replica count such as `[3]`",
        Rule::any_count => "`*`",
        Rule::component_list => "a component, such as `Server` or `module.Server`",
        Rule::address_decl => "`address`",
        Rule::param_set => "a parameter setting such as `port = 8443`",
        Rule::trust_decl => "`trust`",
        Rule::cidr_decl => "`cidr`",
        Rule::node_decl => "`node`",
        Rule::default_stmt => "`default`",
        Rule::require_stmt => "`require`",
        Rule::EOI => "the end of the item",
        _ => return None,
    })
}

fn help_for(positives: &[Rule], found: &Found) -> Option<String> {
    if positives.contains(&Rule::port_spec) || positives.contains(&Rule::transport) {
        return Some(
            "a port is a transport and a number: `tcp/443`, `udp/53`, `tcp+udp/123`, or a range `udp/7600..7610`"
                .into(),
        );
    }
    if positives.contains(&Rule::string_end) {
        return Some("close the string with `\"` before the end of the line".into());
    }
    if positives.contains(&Rule::arrow) {
        return Some("a flow goes from an output to an input: `flow node.output -> node.input`".into());
    }
    if let Found::Token(token) = found
        && token == "`;`"
    {
        return Some("Portolan needs no `;` between members; start each on its own line".into());
    }
    None
}
