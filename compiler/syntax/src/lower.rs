//! Runs the pest grammar on one item's text and lowers the parse tree into the typed AST.

use pest::Parser;
use pest::iterators::Pair;

use crate::ast::*;
use crate::error::{self, SyntaxError};
use crate::grammar::{Grammar, Rule};
use crate::{BrokenItem, ItemSyntax, Name, Span};

/// Parses the text of one top-level item. Spans in the result are relative to `text`.
pub(crate) fn parse_item(text: &str) -> (Option<ItemSyntax>, Vec<SyntaxError>) {
    if let Some(error) = too_deep(text) {
        return (Some(ItemSyntax::Broken(salvage(text))), vec![error]);
    }
    match Grammar::parse(Rule::item, text) {
        Ok(mut pairs) => {
            let mut lower = Lower { errors: Vec::new() };
            let item = pairs.next().map(|pair| lower.item(pair));
            (item.map(ItemSyntax::Parsed), lower.errors)
        }
        Err(err) => {
            let error = error::from_pest(&err, text);
            (Some(ItemSyntax::Broken(salvage(text))), vec![error])
        }
    }
}

pub(crate) fn parse_expr(text: &str) -> Result<Expr, Vec<SyntaxError>> {
    match Grammar::parse(Rule::single_expr, text) {
        Ok(mut pairs) => {
            let mut lower = Lower { errors: Vec::new() };
            let expr = pairs.next().map(|pair| lower.expr(pair));
            match expr {
                Some(expr) if lower.errors.is_empty() => Ok(expr),
                _ => Err(lower.errors),
            }
        }
        Err(err) => Err(vec![error::from_pest(&err, text)]),
    }
}

/// The span of a pair without the whitespace and comments pest leaves at the end of a rule that
/// ends with an optional part.
fn span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    let len = trimmed_len(pair.as_str());
    Span::new(s.start() as u32, (s.start() + len) as u32)
}

/// The length of `text` without trailing whitespace and trailing `//` comments.
fn trimmed_len(text: &str) -> usize {
    let mut end = text.trim_end().len();
    loop {
        let line_start = text[..end].rfind('\n').map_or(0, |p| p + 1);
        match comment_start(&text[line_start..end]) {
            Some(at) => end = text[..line_start + at].trim_end().len(),
            None => return end,
        }
    }
}

/// Where a `//` comment starts in one line, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The span of a declaration without its doc comment, so that labels on it stay one line.
fn span_after_docs(pair: &Pair<'_, Rule>) -> Span {
    let whole = span(pair);
    let start = pair.clone().into_inner().find(|p| p.as_rule() != Rule::docs).map_or(whole.start, |p| span(&p).start);
    Span::new(start, whole.end)
}

fn ident(pair: Pair<'_, Rule>) -> Ident {
    Ident { name: Name::new(pair.as_str()), span: span(&pair) }
}

/// Parentheses nested deeper than [`crate::MAX_NESTING`] (outside strings and comments): an
/// error before the grammar runs, so that no input can exhaust the stack.
fn too_deep(text: &str) -> Option<SyntaxError> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => {
                depth += 1;
                if depth > crate::MAX_NESTING {
                    let at = Span::new(i as u32, i as u32 + 1);
                    return Some(
                        SyntaxError::new(
                            at,
                            format!("parentheses are nested more than {} deep", crate::MAX_NESTING),
                            "nested too deeply",
                        )
                        .with_help("write the value more simply: a port is a number, a parameter, or a short sum"),
                    );
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Reads what can be read from an item that failed to parse.
fn salvage(text: &str) -> BrokenItem {
    let mut words = WordScanner::new(text);
    let keyword = words.next_word();
    let name = match keyword.as_ref().map(|k| k.name.as_str()) {
        Some("protocol" | "component" | "zone" | "node" | "policy") => {
            words.next_word().filter(|w| !crate::chunk::ITEM_KEYWORDS.contains(&w.name.as_str()))
        }
        _ => None,
    };
    let flow_ends = match keyword.as_ref().map(|k| k.name.as_str()) {
        Some("flow") => Grammar::parse(Rule::flow_head, text).ok().and_then(|mut pairs| {
            let head = pairs.next()?;
            let mut lower = Lower { errors: Vec::new() };
            let paths: Vec<Path> =
                head.into_inner().filter(|p| p.as_rule() == Rule::path).map(|p| lower.path(p)).collect();
            let mut paths = paths.into_iter();
            Some((paths.next()?, paths.next()?))
        }),
        _ => None,
    };
    let nested_nodes = match keyword.as_ref().map(|k| k.name.as_str()) {
        Some("zone") => nested_node_names(text),
        _ => Vec::new(),
    };
    let end = text.trim_end().len() as u32;
    BrokenItem { keyword, name, flow_ends, nested_nodes, span: Span::new(0, end) }
}

fn nested_node_names(text: &str) -> Vec<Ident> {
    // Every `node NAME` outside strings and comments, wherever it stands on its line.
    let bytes = text.as_bytes();
    let mut names = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'n' if text[i..].starts_with("node")
                && (i == 0 || !is_ident_byte(bytes[i - 1]))
                && bytes.get(i + 4).is_some_and(|b| *b == b' ' || *b == b'\t') =>
            {
                let mut words = WordScanner { text, at: i + 4 };
                if let Some(name) = words.next_word() {
                    names.push(name);
                }
                i = words.at.max(i + 4);
            }
            _ => i += 1,
        }
    }
    names
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Reads identifier-like words, skipping whitespace, comments and doc comments.
struct WordScanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> WordScanner<'a> {
    fn new(text: &'a str) -> Self {
        WordScanner { text, at: 0 }
    }

    fn next_word(&mut self) -> Option<Ident> {
        let bytes = self.text.as_bytes();
        loop {
            while self.at < bytes.len() && bytes[self.at].is_ascii_whitespace() {
                self.at += 1;
            }
            if bytes[self.at..].starts_with(b"//") {
                while self.at < bytes.len() && bytes[self.at] != b'\n' {
                    self.at += 1;
                }
                continue;
            }
            break;
        }
        let start = self.at;
        while self.at < bytes.len() && (bytes[self.at].is_ascii_alphanumeric() || bytes[self.at] == b'_') {
            self.at += 1;
        }
        let word = &self.text[start..self.at];
        let first_ok = word.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        first_ok.then(|| Ident { name: Name::new(word), span: Span::new(start as u32, self.at as u32) })
    }
}

struct Lower {
    errors: Vec<SyntaxError>,
}

impl Lower {
    fn item(&mut self, pair: Pair<'_, Rule>) -> Item {
        match pair.as_rule() {
            Rule::use_decl => Item::Use(self.use_decl(pair)),
            Rule::protocol_decl => Item::Protocol(self.protocol(pair)),
            Rule::component_decl => Item::Component(self.component(pair)),
            Rule::zone_decl => Item::Zone(self.zone(pair)),
            Rule::node_decl => Item::Node(self.node(pair)),
            Rule::flow_decl => Item::Flow(self.flow(pair)),
            Rule::document_decl => Item::Document(self.document(pair)),
            _ => Item::Policy(self.policy(pair)),
        }
    }

    fn docs(&mut self, pair: Pair<'_, Rule>) -> Docs {
        let whole = span(&pair);
        let mut lines = Vec::new();
        for doc in pair.into_inner() {
            let text = doc.into_inner().next().map(|t| t.as_str()).unwrap_or("");
            let text = text.strip_prefix(' ').unwrap_or(text).trim_end();
            lines.push(text.to_string());
        }
        if lines.is_empty() { Docs::default() } else { Docs { text: lines.join("\n"), span: Some(whole) } }
    }

    fn string(&mut self, pair: Pair<'_, Rule>) -> StringLit {
        // `title` wraps `string`; accept either.
        let pair = if pair.as_rule() == Rule::title { pair.clone().into_inner().next().unwrap_or(pair) } else { pair };
        let whole = span(&pair);
        let body = pair.into_inner().find(|p| p.as_rule() == Rule::string_body);
        let (raw, body_start) = match &body {
            Some(b) => (b.as_str(), span(b).start),
            None => ("", whole.start),
        };
        StringLit { value: self.unescape(raw, body_start), span: whole }
    }

    fn unescape(&mut self, raw: &str, start: u32) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, '"')) => out.push('"'),
                Some((j, other)) => {
                    let at = Span::new(start + i as u32, start + (j + other.len_utf8()) as u32);
                    self.errors.push(
                        SyntaxError::new(at, format!("unknown escape `\\{other}` in a string"), "unknown escape")
                            .with_help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`"),
                    );
                }
                None => {}
            }
        }
        out
    }

    fn path(&mut self, pair: Pair<'_, Rule>) -> Path {
        let whole = span(&pair);
        let segments = pair.into_inner().filter(|p| p.as_rule() == Rule::ident).map(ident).collect();
        Path { segments, span: whole }
    }

    fn use_decl(&mut self, pair: Pair<'_, Rule>) -> UseDecl {
        let whole = span(&pair);
        let mut docs = Docs::default();
        let mut module = None;
        let mut kind = UseKind::Module { alias: None };
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => docs = self.docs(child),
                Rule::path => module = Some(self.path(child)),
                Rule::use_alias => {
                    let alias = child.into_inner().find(|p| p.as_rule() == Rule::ident).map(ident);
                    kind = UseKind::Module { alias };
                }
                Rule::use_glob => kind = UseKind::Glob { span: span(&child) },
                Rule::use_list => {
                    let names = child
                        .into_inner()
                        .filter(|p| p.as_rule() == Rule::use_name)
                        .map(|name| {
                            let mut idents = name.into_inner().filter(|p| p.as_rule() == Rule::ident).map(ident);
                            let name = idents.next().unwrap_or_else(empty_ident);
                            UseName { name, alias: idents.next() }
                        })
                        .collect();
                    kind = UseKind::Names(names);
                }
                _ => {}
            }
        }
        UseDecl { docs, module: module.unwrap_or_else(empty_path), kind, span: whole }
    }

    fn protocol(&mut self, pair: Pair<'_, Rule>) -> ProtocolDecl {
        let whole = span(&pair);
        let mut docs = Docs::default();
        let mut name = None;
        let mut title = None;
        let mut ports = None;
        let mut encrypted = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => docs = self.docs(child),
                Rule::ident => name = Some(ident(child)),
                Rule::title => title = Some(self.string(child)),
                Rule::port_spec => ports = Some(self.port_spec(child)),
                Rule::encrypted => encrypted = Some(span(&child)),
                _ => {}
            }
        }
        ProtocolDecl {
            docs,
            name: name.unwrap_or_else(empty_ident),
            title,
            ports: ports.unwrap_or(PortSpec { terms: Vec::new(), span: Span::EMPTY }),
            encrypted,
            span: whole,
        }
    }

    fn component(&mut self, pair: Pair<'_, Rule>) -> ComponentDecl {
        let whole = span(&pair);
        let mut docs = Docs::default();
        let mut name = None;
        let mut title = None;
        let mut params = Vec::new();
        let mut ports = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => docs = self.docs(child),
                Rule::ident => name = Some(ident(child)),
                Rule::title => title = Some(self.string(child)),
                Rule::param_decl => params.push(self.param(child)),
                Rule::port_decl => ports.push(self.port(child)),
                _ => {}
            }
        }
        ComponentDecl { docs, name: name.unwrap_or_else(empty_ident), title, params, ports, span: whole }
    }

    fn param(&mut self, pair: Pair<'_, Rule>) -> ParamDecl {
        let whole = span_after_docs(&pair);
        let mut docs = Docs::default();
        let mut name = None;
        let mut ty = None;
        let mut default = None;
        let mut title = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => docs = self.docs(child),
                Rule::ident => name = Some(ident(child)),
                Rule::param_type => ty = child.into_inner().next().map(ident),
                Rule::expr => default = Some(self.expr(child)),
                Rule::title => title = Some(self.string(child)),
                _ => {}
            }
        }
        ParamDecl {
            docs,
            name: name.unwrap_or_else(empty_ident),
            ty: ty.unwrap_or_else(empty_ident),
            default,
            title,
            span: whole,
        }
    }

    fn port(&mut self, pair: Pair<'_, Rule>) -> PortDecl {
        let whole = span_after_docs(&pair);
        let mut decl = PortDecl {
            docs: Docs::default(),
            kind: PortKind::Listen,
            kind_span: Span::EMPTY,
            name: empty_ident(),
            protocol: empty_path(),
            ports: None,
            optional: None,
            shared: None,
            relay: None,
            condition: None,
            local_peer: None,
            configurable: None,
            title: None,
            span: whole,
        };
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => decl.docs = self.docs(child),
                Rule::port_kind => {
                    decl.kind_span = span(&child);
                    decl.kind = match child.as_str() {
                        "connect" => PortKind::Connect,
                        "peer" => PortKind::Peer,
                        _ => PortKind::Listen,
                    };
                }
                Rule::ident => decl.name = ident(child),
                Rule::path => decl.protocol = self.path(child),
                Rule::port_spec => decl.ports = Some(self.port_spec(child)),
                Rule::optional => decl.optional = Some(span(&child)),
                Rule::shared => decl.shared = Some(span(&child)),
                Rule::relay => decl.relay = Some(span(&child)),
                Rule::condition => {
                    let cond_span = span(&child);
                    let mut negated = false;
                    let mut param = None;
                    for part in child.into_inner() {
                        match part.as_rule() {
                            Rule::negation => negated = true,
                            Rule::ident => param = Some(ident(part)),
                            _ => {}
                        }
                    }
                    decl.condition =
                        Some(Condition { negated, param: param.unwrap_or_else(empty_ident), span: cond_span });
                }
                Rule::local_peer => {
                    decl.local_peer = child.into_inner().find(|p| p.as_rule() == Rule::path).map(|p| self.path(p));
                }
                Rule::configurable => {
                    decl.configurable =
                        child.into_inner().find(|p| p.as_rule() == Rule::string).map(|p| self.string(p));
                }
                Rule::title => decl.title = Some(self.string(child)),
                _ => {}
            }
        }
        decl
    }

    fn address(&mut self, pair: Pair<'_, Rule>) -> AddressLit {
        AddressLit { text: pair.as_str().to_string(), span: span(&pair) }
    }

    fn zone(&mut self, pair: Pair<'_, Rule>) -> ZoneDecl {
        let whole = span(&pair);
        let mut zone = ZoneDecl {
            docs: Docs::default(),
            name: empty_ident(),
            title: None,
            trust: Vec::new(),
            cidrs: Vec::new(),
            nodes: Vec::new(),
            span: whole,
        };
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => zone.docs = self.docs(child),
                Rule::ident => zone.name = ident(child),
                Rule::title => zone.title = Some(self.string(child)),
                Rule::trust_decl => {
                    if let Some(level) = child.into_inner().find(|p| p.as_rule() == Rule::ident) {
                        zone.trust.push(ident(level));
                    }
                }
                Rule::cidr_decl => {
                    for address in child.into_inner().filter(|p| p.as_rule() == Rule::address) {
                        zone.cidrs.push(self.address(address));
                    }
                }
                Rule::node_decl => zone.nodes.push(self.node(child)),
                _ => {}
            }
        }
        zone
    }

    fn node(&mut self, pair: Pair<'_, Rule>) -> NodeDecl {
        let whole = span(&pair);
        let mut node = NodeDecl {
            docs: Docs::default(),
            name: empty_ident(),
            replicas: None,
            title: None,
            components: Vec::new(),
            zone: None,
            addresses: Vec::new(),
            params: Vec::new(),
            span: whole,
        };
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => node.docs = self.docs(child),
                Rule::ident => node.name = ident(child),
                Rule::replicas => {
                    let replica_span = span(&child);
                    let count = match child.into_inner().next() {
                        Some(n) if n.as_rule() == Rule::int => ReplicaCount::Count(self.int(&n).unwrap_or(0)),
                        _ => ReplicaCount::Any,
                    };
                    node.replicas = Some(Replicas { count, span: replica_span });
                }
                Rule::title => node.title = Some(self.string(child)),
                Rule::component_list => {
                    node.components =
                        child.into_inner().filter(|p| p.as_rule() == Rule::path).map(|p| self.path(p)).collect();
                }
                Rule::path => node.zone = Some(self.path(child)),
                Rule::address_decl => {
                    for address in child.into_inner().filter(|p| p.as_rule() == Rule::address) {
                        node.addresses.push(self.address(address));
                    }
                }
                Rule::param_set => {
                    let set_span = span(&child);
                    let mut target = None;
                    let mut value = None;
                    for part in child.into_inner() {
                        match part.as_rule() {
                            Rule::path => target = Some(self.path(part)),
                            Rule::expr => value = Some(self.expr(part)),
                            _ => {}
                        }
                    }
                    node.params.push(ParamSet {
                        target: target.unwrap_or_else(empty_path),
                        value: value.unwrap_or(Expr { kind: ExprKind::Int(Some(0)), span: set_span }),
                        span: set_span,
                    });
                }
                _ => {}
            }
        }
        node
    }

    fn flow(&mut self, pair: Pair<'_, Rule>) -> FlowDecl {
        let whole = span(&pair);
        let mut docs = Docs::default();
        let mut paths = Vec::new();
        let mut direction = Direction::Forward;
        let mut arrow_span = Span::EMPTY;
        let mut via = Vec::new();
        let mut intended = None;
        let mut local = None;
        let mut route = None;
        let mut label = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => docs = self.docs(child),
                Rule::path => paths.push(self.path(child)),
                Rule::arrow => {
                    arrow_span = span(&child);
                    if child.as_str() == "<->" {
                        direction = Direction::Both;
                    }
                }
                Rule::via => {
                    for part in child.into_inner() {
                        match part.as_rule() {
                            Rule::path => via.push(self.path(part)),
                            Rule::via_intended => intended = Some(span(&part)),
                            _ => {}
                        }
                    }
                }
                Rule::local_flow => local = Some(span(&child)),
                Rule::route_number => {
                    let route_span = span(&child);
                    let number = child.into_inner().find(|p| p.as_rule() == Rule::int).and_then(|n| self.int(&n));
                    route = Some(RouteNumber { number, span: route_span });
                }
                Rule::title => label = Some(self.string(child)),
                _ => {}
            }
        }
        let mut paths = paths.into_iter();
        FlowDecl {
            docs,
            from: paths.next().unwrap_or_else(empty_path),
            direction,
            arrow_span,
            to: paths.next().unwrap_or_else(empty_path),
            via,
            intended,
            local,
            route,
            label,
            span: whole,
        }
    }

    fn document(&mut self, pair: Pair<'_, Rule>) -> DocumentDecl {
        let whole = span(&pair);
        let mut document = DocumentDecl { docs: Docs::default(), title: None, sections: Vec::new(), span: whole };
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => document.docs = self.docs(child),
                Rule::title => document.title = Some(self.string(child)),
                Rule::sections_stmt => {
                    let stmt_span = span(&child);
                    let mut stmt = SectionsStmt {
                        docs: Docs::default(),
                        keyword: stmt_span,
                        sections: Vec::new(),
                        span: stmt_span,
                    };
                    for part in child.into_inner() {
                        match part.as_rule() {
                            Rule::docs => stmt.docs = self.docs(part),
                            Rule::kw_sections => stmt.keyword = span(&part),
                            Rule::section_ref => {
                                let mut name = empty_ident();
                                let mut title = None;
                                for piece in part.into_inner() {
                                    match piece.as_rule() {
                                        Rule::ident => name = ident(piece),
                                        Rule::title => title = Some(self.string(piece)),
                                        _ => {}
                                    }
                                }
                                stmt.sections.push(SectionRef { name, title });
                            }
                            _ => {}
                        }
                    }
                    document.sections.push(stmt);
                }
                _ => {}
            }
        }
        document
    }

    fn policy(&mut self, pair: Pair<'_, Rule>) -> PolicyDecl {
        let whole = span(&pair);
        let mut policy =
            PolicyDecl { docs: Docs::default(), name: None, title: None, statements: Vec::new(), span: whole };
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => policy.docs = self.docs(child),
                Rule::ident => policy.name = Some(ident(child)),
                Rule::title => policy.title = Some(self.string(child)),
                Rule::default_stmt => {
                    let stmt_span = span(&child);
                    let mut docs = Docs::default();
                    let mut action = Action::Deny;
                    for part in child.into_inner() {
                        match part.as_rule() {
                            Rule::docs => docs = self.docs(part),
                            Rule::action => action = action_of(&part),
                            _ => {}
                        }
                    }
                    policy.statements.push(PolicyStmt::Default { docs, action, span: stmt_span });
                }
                Rule::rule_stmt => policy.statements.push(PolicyStmt::Rule(self.rule(child))),
                Rule::require_stmt => {
                    let stmt_span = span(&child);
                    let mut docs = Docs::default();
                    let mut level = None;
                    let mut label = None;
                    for part in child.into_inner() {
                        match part.as_rule() {
                            Rule::docs => docs = self.docs(part),
                            Rule::ident => level = Some(ident(part)),
                            Rule::title => label = Some(self.string(part)),
                            _ => {}
                        }
                    }
                    policy.statements.push(PolicyStmt::RequireEncrypted {
                        docs,
                        level: level.unwrap_or_else(empty_ident),
                        label,
                        span: stmt_span,
                    });
                }
                _ => {}
            }
        }
        policy
    }

    fn rule(&mut self, pair: Pair<'_, Rule>) -> RuleStmt {
        let whole = span(&pair);
        let mut docs = Docs::default();
        let mut action = Action::Allow;
        let mut action_span = Span::EMPTY;
        let mut cleartext = None;
        let mut end_to_end = None;
        let mut selectors = Vec::new();
        let mut within = None;
        let mut services = Vec::new();
        let mut label = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::docs => docs = self.docs(child),
                Rule::action => {
                    action = action_of(&child);
                    action_span = span(&child);
                }
                Rule::allow_cleartext => {
                    action = Action::Allow;
                    action_span = span(&child);
                    cleartext = child.into_inner().find(|p| p.as_rule() == Rule::kw_cleartext).map(|p| span(&p));
                }
                Rule::end_to_end => end_to_end = Some(span(&child)),
                Rule::selector => selectors.push(self.selector(child)),
                Rule::within => {
                    within = child.into_inner().find(|p| p.as_rule() == Rule::selector).map(|p| self.selector(p));
                }
                Rule::service => {
                    if let Some(inner) = child.into_inner().next() {
                        services.push(match inner.as_rule() {
                            Rule::port_term => Service::Port(self.port_term(inner)),
                            _ => Service::Protocol(self.path(inner)),
                        });
                    }
                }
                Rule::title => label = Some(self.string(child)),
                _ => {}
            }
        }
        let scope = match within {
            Some(selector) => RuleScope::Within(selector),
            None => {
                let mut selectors = selectors.into_iter();
                let any = Selector::Any(Span::EMPTY);
                RuleScope::Between {
                    from: selectors.next().unwrap_or_else(|| any.clone()),
                    to: selectors.next().unwrap_or(any),
                }
            }
        };
        RuleStmt { docs, action, action_span, cleartext, end_to_end, scope, services, label, span: whole }
    }

    fn selector(&mut self, pair: Pair<'_, Rule>) -> Selector {
        let whole = span(&pair);
        let mut names = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::kw_any => return Selector::Any(whole),
                Rule::path => names.push(self.path(child)),
                _ => {}
            }
        }
        Selector::Names(names)
    }

    fn port_spec(&mut self, pair: Pair<'_, Rule>) -> PortSpec {
        let whole = span(&pair);
        let terms = pair.into_inner().filter(|p| p.as_rule() == Rule::port_term).map(|p| self.port_term(p)).collect();
        PortSpec { terms, span: whole }
    }

    fn port_term(&mut self, pair: Pair<'_, Rule>) -> PortTerm {
        let whole = span(&pair);
        let mut transports = Transports::Tcp;
        let mut value = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::transport => {
                    transports = match child.as_str() {
                        "udp" => Transports::Udp,
                        "tcp" => Transports::Tcp,
                        _ => Transports::Both,
                    };
                }
                Rule::port_range => {
                    let mut ends = child.into_inner().filter(|p| p.as_rule() == Rule::expr).map(|p| self.expr(p));
                    if let (Some(low), Some(high)) = (ends.next(), ends.next()) {
                        value = Some(PortValue::Range(low, high));
                    }
                }
                Rule::expr => value = Some(PortValue::Single(self.expr(child))),
                _ => {}
            }
        }
        PortTerm { transports, value, span: whole }
    }

    fn int(&mut self, pair: &Pair<'_, Rule>) -> Option<u64> {
        let parsed = pair.as_str().parse::<u64>().ok();
        if parsed.is_none() {
            self.errors.push(SyntaxError::new(span(pair), "this number is too large", "too large"));
        }
        parsed
    }

    /// Lowers `operand (op operand)*` with `*` binding tighter than `+` and `-`.
    fn expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let whole = span(&pair);
        if pair.clone().into_inner().filter(|p| p.as_rule() != Rule::bin_op).count() > crate::MAX_TERMS {
            self.errors.push(SyntaxError::new(
                whole,
                format!("this expression has more than {} terms", crate::MAX_TERMS),
                "expression too long",
            ));
            return Expr { kind: ExprKind::Int(None), span: whole };
        }
        let mut operands = Vec::new();
        let mut ops = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::bin_op => ops.push(match child.as_str() {
                    "-" => BinOp::Sub,
                    "*" => BinOp::Mul,
                    _ => BinOp::Add,
                }),
                _ => operands.push(self.operand(child)),
            }
        }
        // Fold `*` first, then `+` and `-`, left to right.
        let mut operands = operands.into_iter();
        let Some(first) = operands.next() else {
            return Expr { kind: ExprKind::Int(Some(0)), span: Span::EMPTY };
        };
        let mut terms = vec![first];
        let mut additive = Vec::new();
        for (op, operand) in ops.into_iter().zip(operands) {
            if op == BinOp::Mul {
                if let Some(left) = terms.pop() {
                    terms.push(binary(left, op, operand));
                }
            } else {
                additive.push(op);
                terms.push(operand);
            }
        }
        let mut terms = terms.into_iter();
        let mut result = terms.next().unwrap_or(Expr { kind: ExprKind::Int(Some(0)), span: Span::EMPTY });
        for (op, term) in additive.into_iter().zip(terms) {
            result = binary(result, op, term);
        }
        result
    }

    fn operand(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let whole = span(&pair);
        let kind = match pair.as_rule() {
            Rule::int => ExprKind::Int(self.int(&pair)),
            Rule::boolean => ExprKind::Bool(pair.as_str() == "true"),
            Rule::string => ExprKind::Str(self.string(pair).value),
            Rule::path => ExprKind::Name(self.path(pair)),
            _ => {
                let inner = pair.into_inner().find(|p| p.as_rule() == Rule::expr).map(|p| self.expr(p));
                let inner = inner.unwrap_or(Expr { kind: ExprKind::Int(Some(0)), span: whole });
                ExprKind::Paren(Box::new(inner))
            }
        };
        Expr { kind, span: whole }
    }
}

fn binary(left: Expr, op: BinOp, right: Expr) -> Expr {
    let span = left.span.cover(right.span);
    Expr { kind: ExprKind::Binary(Box::new(left), op, Box::new(right)), span }
}

fn action_of(pair: &Pair<'_, Rule>) -> Action {
    if pair.as_str() == "deny" { Action::Deny } else { Action::Allow }
}

fn empty_ident() -> Ident {
    Ident { name: Name::default(), span: Span::EMPTY }
}

fn empty_path() -> Path {
    Path { segments: vec![empty_ident()], span: Span::EMPTY }
}
