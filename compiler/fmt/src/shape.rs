//! What the syntax tree tells the formatter about one item: where each member starts, which
//! braces open a block, and which spans are one token (addresses, transports).
//!
//! The tree keeps no span for some keywords (`trust`, `cidr`, `address`), so those members are
//! found from the span of what follows the keyword: the code token before it starts the member.

use portolan_syntax::Span;
use portolan_syntax::ast::{self, Item};

/// How a block's braces are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BlockKind {
    /// A component, zone or policy body: one member per line.
    Item,
    /// A node body: on one line when it holds one member and no comment.
    Node,
}

/// The layout facts of one item, in byte offsets relative to the item's text.
#[derive(Debug, Default)]
pub(super) struct Shape {
    /// Byte ranges that are one token each.
    pub atoms: Vec<(usize, usize)>,
    /// Where members start (their first token, a doc comment if they have one).
    pub starts: Vec<usize>,
    /// Tokens right after a member's keyword (`trust`, `cidr`, `address`) or after a comma in
    /// such a member: the code token before each starts a member unless it is a comma.
    pub after_keyword: Vec<usize>,
    /// Tokens after a comma of a list that may go on over several lines (a `document`'s
    /// `sections`): a line break written before one is kept, the line indented one level deeper.
    pub continuations: Vec<usize>,
    /// Spans whose first `{` opens a block that their last `}` closes.
    pub blocks: Vec<(Span, BlockKind)>,
}

/// The shape of a parsed item whose text is `text`.
pub(super) fn shape(item: &Item, text: &str) -> Shape {
    let mut shape = Shape::default();
    match item {
        Item::Use(_) | Item::Flow(_) => {}
        Item::Protocol(decl) => shape.port_spec(&decl.ports, text),
        Item::Component(decl) => {
            shape.blocks.push((decl.span, BlockKind::Item));
            for param in &decl.params {
                shape.starts.push(param.span.start as usize);
            }
            for port in &decl.ports {
                shape.starts.push(port.span.start as usize);
                if let Some(ports) = &port.ports {
                    shape.port_spec(ports, text);
                }
            }
        }
        Item::Zone(decl) => {
            shape.blocks.push((decl.span, BlockKind::Item));
            for level in &decl.trust {
                shape.after_keyword.push(level.span.start as usize);
            }
            shape.addresses(&decl.cidrs);
            for node in &decl.nodes {
                shape.starts.push(node.span.start as usize);
                shape.node(node);
            }
        }
        Item::Node(decl) => shape.node(decl),
        Item::Policy(decl) => {
            shape.blocks.push((decl.span, BlockKind::Item));
            for stmt in &decl.statements {
                shape.starts.push(stmt.span().start as usize);
                if let ast::PolicyStmt::Rule(rule) = stmt {
                    for service in &rule.services {
                        if let ast::Service::Port(term) = service {
                            shape.transport(term, text);
                        }
                    }
                }
            }
        }
        Item::Document(decl) => {
            shape.blocks.push((decl.span, BlockKind::Item));
            for stmt in &decl.sections {
                shape.starts.push(stmt.span.start as usize);
                for (i, section) in stmt.sections.iter().enumerate() {
                    shape.after_keyword.push(section.name.span.start as usize);
                    if i > 0 {
                        shape.continuations.push(section.name.span.start as usize);
                    }
                }
            }
        }
    }
    shape.atoms.sort_unstable();
    shape.starts.sort_unstable();
    shape
}

impl Shape {
    fn node(&mut self, node: &ast::NodeDecl) {
        // Whether the node has a body at all is decided from its tokens.
        self.blocks.push((node.span, BlockKind::Node));
        self.addresses(&node.addresses);
        for set in &node.params {
            self.starts.push(set.span.start as usize);
        }
    }

    fn addresses(&mut self, addresses: &[ast::AddressLit]) {
        for address in addresses {
            self.atoms.push((address.span.start as usize, address.span.end as usize));
            self.after_keyword.push(address.span.start as usize);
        }
    }

    fn port_spec(&mut self, spec: &ast::PortSpec, text: &str) {
        for term in &spec.terms {
            self.transport(term, text);
        }
    }

    /// `tcp+udp` is one token; `+` elsewhere is an operator with spaces around it.
    fn transport(&mut self, term: &ast::PortTerm, text: &str) {
        let start = term.span.start as usize;
        let rest = text.get(start..).unwrap_or("");
        if let Some(word) = ["tcp+udp", "udp+tcp", "tcp", "udp"].iter().find(|w| rest.starts_with(*w)) {
            self.atoms.push((start, start + word.len()));
        }
    }
}
