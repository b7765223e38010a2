//! A generator of specs for the formatter's properties: every kind of item and member of the
//! language, with doc comments, comments (on their own line or after code) and blank lines,
//! rendered with random whitespace.
//!
//! A spec is built once as a list of [`Piece`]s from a seed; [`render`] lays the pieces out with
//! whitespace drawn from a second seed. Two renderings of one spec differ only in whitespace that
//! the formatter must not care about (never a blank line, never a comment moving between "after
//! code" and "own line"), so they must format to the same text.

/// What a spec is made of, before whitespace.
#[derive(Clone, Debug)]
pub enum Piece {
    /// Code, written without whitespace inside (`a.b`, `.{`, `tcp+udp`, a string).
    Tok(String),
    /// A new top-level item starts: the next token begins a line.
    Item,
    /// A blank line before what follows.
    Blank,
    /// A `//` comment after code on the same line.
    Trailing(String),
    /// A `//` comment on a line of its own.
    OwnLine(String),
    /// A `///` doc comment line.
    Doc(String),
}

/// A small deterministic random source (xorshift), so a seed names a spec.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const COMMENTS: [&str; 6] =
    ["note", "zone fake { flow a.b -> c.d", "}", "\"quoted\" text", "é ü 日本", "TODO: 10.0.0.1"];
const PROTOCOLS: [&str; 4] = ["https", "tds", "ssh", "ldaps"];

/// Builds the pieces of one spec.
pub struct Builder {
    rng: Rng,
    pieces: Vec<Piece>,
    comments: usize,
}

/// What flows can connect: each node's name and the ports of its components.
struct Node {
    name: String,
    outputs: Vec<String>,
    inputs: Vec<String>,
}

struct Component {
    name: String,
    outputs: Vec<String>,
    inputs: Vec<String>,
}

impl Builder {
    pub fn spec(seed: u64) -> Vec<Piece> {
        let mut b = Builder { rng: Rng::new(seed), pieces: Vec::new(), comments: 0 };
        if b.rng.chance(50) {
            b.pieces.push(Piece::OwnLine("! Module docs.".into()));
        }
        if b.rng.chance(50) {
            b.item(&["use", "std.proto"]);
        }
        let protocols = b.rng.below(3);
        for k in 0..protocols {
            b.protocol(k);
        }
        let components: Vec<Component> = (0..1 + b.rng.below(3)).map(|k| b.component(k)).collect();
        let mut nodes = Vec::new();
        for z in 0..1 + b.rng.below(3) {
            b.zone(z, &components, &mut nodes);
        }
        for _ in 0..b.rng.below(5) {
            b.flow(&nodes);
        }
        if b.rng.chance(60) {
            b.policy();
        }
        b.pieces
    }

    fn tok(&mut self, text: &str) {
        self.maybe_comment();
        self.pieces.push(Piece::Tok(text.to_string()));
    }

    fn toks(&mut self, texts: &[&str]) {
        for text in texts {
            self.tok(text);
        }
    }

    /// Sometimes a comment before the next token.
    fn maybe_comment(&mut self) {
        if !matches!(self.pieces.last(), Some(Piece::Tok(_))) || !self.rng.chance(8) {
            return;
        }
        self.comments += 1;
        let text = format!("c{} {}", self.comments, self.rng.pick(&COMMENTS));
        self.pieces.push(if self.rng.chance(50) { Piece::Trailing(text) } else { Piece::OwnLine(text) });
    }

    /// Starts an item or a member: maybe a blank line, maybe doc comments, then the tokens.
    fn start(&mut self, item: bool, first: &str) {
        if item {
            self.maybe_comment();
            self.pieces.push(Piece::Item);
        }
        if self.rng.chance(15) {
            self.pieces.push(Piece::Blank);
        }
        // `trust`, `cidr`, `address` and settings take no doc comment.
        let documented = !matches!(first, "trust" | "cidr" | "address" | "p0");
        for line in 0..if documented { self.rng.below(3) } else { 0 } {
            self.pieces.push(Piece::Doc(format!(" Doc {line} of {first}.")));
        }
        self.pieces.push(Piece::Tok(first.to_string()));
    }

    fn item(&mut self, texts: &[&str]) {
        self.start(true, texts[0]);
        self.toks(&texts[1..]);
    }

    fn title(&mut self, percent: usize, text: &str) {
        if self.rng.chance(percent) {
            self.tok(&format!("\"{text}\""));
        }
    }

    fn protocol(&mut self, k: usize) {
        self.item(&["protocol", &format!("proto{k}")]);
        self.title(50, &format!("Proto \\\"{k}\\\""));
        self.toks(&["=", "tcp", "/", &(2000 + k).to_string()]);
        if self.rng.chance(50) {
            self.toks(&[",", "udp+tcp", "/", "5000", "..", "5010"]);
        }
        if self.rng.chance(50) {
            self.tok("encrypted");
        }
    }

    fn component(&mut self, k: usize) -> Component {
        let name = format!("C{k}");
        self.item(&["component", &name]);
        self.title(50, &format!("Component {k}"));
        self.tok("{");
        let param = self.rng.chance(50);
        if param {
            self.start(false, "param");
            self.toks(&["p0", ":", "port", "=", "4000", "+", &k.to_string()]);
            self.title(30, "P0_SETTING");
        }
        let mut component = Component { name, outputs: Vec::new(), inputs: Vec::new() };
        for j in 0..1 + self.rng.below(4) {
            let kind = *self.rng.pick(&["listen", "connect", "peer"]);
            let port = format!("x{j}");
            self.start(false, kind);
            let protocol = *self.rng.pick(&PROTOCOLS);
            self.toks(&[&port, ":", protocol]);
            if self.rng.chance(30) {
                if param {
                    self.toks(&["on", "tcp", "/", "(", "p0", "+", "1", ")"]);
                } else {
                    self.toks(&["on", "tcp", "/", "8000", "*", "2", ",", "tcp+udp", "/", "9000"]);
                }
            }
            if kind != "listen" && self.rng.chance(30) {
                self.tok("optional");
            }
            if kind == "listen" && self.rng.chance(20) {
                self.tok("shared");
            }
            if param && self.rng.chance(20) {
                self.toks(&["when", "not", "p0"]);
            }
            self.title(30, "purpose");
            if kind != "listen" {
                component.outputs.push(port.clone());
            }
            if kind != "connect" {
                component.inputs.push(port);
            }
        }
        self.tok("}");
        component
    }

    fn zone(&mut self, z: usize, components: &[Component], nodes: &mut Vec<Node>) {
        self.item(&["zone", &format!("z{z}")]);
        self.title(40, "A zone");
        self.tok("{");
        let level = *self.rng.pick(&["untrusted", "dmz", "internal", "restricted"]);
        self.start(false, "trust");
        self.tok(level);
        if self.rng.chance(60) {
            self.start(false, "cidr");
            self.tok(&format!("10.{z}.0.0/16"));
            if self.rng.chance(50) {
                self.toks(&[",", &format!("2001:db8:{z}::/48")]);
            }
        }
        for n in 0..1 + self.rng.below(3) {
            let name = format!("n{z}_{n}");
            self.start(false, "node");
            self.tok(&name);
            match self.rng.below(4) {
                0 => self.toks(&["[", "*", "]"]),
                1 => self.toks(&["[", "3", "]"]),
                _ => {}
            }
            self.title(30, "A node");
            self.tok(":");
            let first = self.rng.below(components.len());
            let mut node = Node { name, outputs: Vec::new(), inputs: Vec::new() };
            let mut used = vec![first];
            if components.len() > 1 && self.rng.chance(25) {
                used.push((first + 1) % components.len());
            }
            for (i, &c) in used.iter().enumerate() {
                if i > 0 {
                    self.tok("+");
                }
                self.tok(&components[c].name);
                node.outputs.extend(components[c].outputs.iter().cloned());
                node.inputs.extend(components[c].inputs.iter().cloned());
            }
            self.node_body(z, n);
            nodes.push(node);
        }
        self.tok("}");
    }

    fn node_body(&mut self, z: usize, n: usize) {
        if !self.rng.chance(60) {
            return;
        }
        self.tok("{");
        if self.rng.chance(70) {
            self.start(false, "address");
            self.tok(&format!("10.{z}.1.{n}"));
            if self.rng.chance(40) {
                self.toks(&[",", &format!("10.{z}.2.{n}")]);
            }
        }
        if self.rng.chance(40) {
            self.start(false, "p0");
            self.toks(&["=", "4100", "+", &n.to_string()]);
        }
        self.tok("}");
    }

    fn flow(&mut self, nodes: &[Node]) {
        let from = self.rng.pick(nodes);
        let to = self.rng.pick(nodes);
        let output = from.outputs.first().cloned().unwrap_or_else(|| "x0".into());
        let input = if to.inputs.is_empty() { "x0".to_string() } else { self.rng.pick(&to.inputs).clone() };
        let arrow = if self.rng.chance(20) { "<->" } else { "->" };
        self.item(&["flow", &format!("{}.{output}", from.name), arrow, &format!("{}.{input}", to.name)]);
        if self.rng.chance(15) {
            let via = self.rng.pick(nodes).name.clone();
            self.toks(&["via", &via]);
        }
        self.title(50, "Route \\\\ 1");
    }

    fn policy(&mut self) {
        self.item(&["policy"]);
        if self.rng.chance(50) {
            self.tok("main");
        }
        self.title(30, "Policy");
        self.tok("{");
        if self.rng.chance(70) {
            self.start(false, "default");
            let action = *self.rng.pick(&["allow", "deny"]);
            self.tok(action);
        }
        for _ in 0..self.rng.below(4) {
            let action = *self.rng.pick(&["allow", "deny"]);
            self.start(false, action);
            if self.rng.chance(30) {
                self.toks(&["within", "z0"]);
            } else {
                self.toks(&["any", "->", "z0", ",", "z1"]);
            }
            if self.rng.chance(60) {
                self.toks(&["on", "https", ",", "tcp", "/", "8443", ",", "udp", "/", "7600", "..", "7610"]);
            }
            self.title(30, "reason");
        }
        if self.rng.chance(30) {
            self.start(false, "require");
            self.toks(&["encrypted", "across", "dmz"]);
        }
        self.tok("}");
    }
}

/// Lays the pieces out with whitespace drawn from `seed`.
pub fn render(pieces: &[Piece], seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut text = String::new();
    let mut line_break = false; // the next thing must start a line (after a comment, or an item)
    let mut blank = false;
    let mut prev_punct = true;
    let mut item_keyword = false;
    for piece in pieces {
        match piece {
            Piece::Item => line_break = true,
            Piece::Blank => blank = true,
            Piece::Tok(tok) => {
                let punct = !tok.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '"');
                if text.is_empty() {
                } else if blank || line_break {
                    text.push_str(if blank { "\n\n" } else { "\n" });
                    text.push_str(indent(&mut rng));
                } else {
                    // `policy{` would not start an item: a keyword needs whitespace after it.
                    let choices: &[&str] = if (prev_punct || punct) && !item_keyword {
                        &["", " ", "  ", "\t", "\n", "\n    ", "\n\t "]
                    } else {
                        &[" ", "  ", "\t", "\n", "\n    ", "\n\t "]
                    };
                    text.push_str(rng.pick::<&str>(choices));
                }
                item_keyword = line_break && !text.is_empty() || text.is_empty();
                text.push_str(tok);
                (line_break, blank, prev_punct) = (false, false, punct);
            }
            Piece::Trailing(comment) => {
                text.push_str(rng.pick::<&str>(&[" ", "\t", "   "]));
                text.push_str(&format!("//{comment}"));
                line_break = true;
            }
            Piece::OwnLine(comment) | Piece::Doc(comment) => {
                let marker = if matches!(piece, Piece::Doc(_)) { "///" } else { "//" };
                if !text.is_empty() {
                    text.push_str(if blank { "\n\n" } else { "\n" });
                }
                text.push_str(indent(&mut rng));
                text.push_str(&format!("{marker}{comment}"));
                (line_break, blank) = (true, false);
            }
        }
        if matches!(piece, Piece::Trailing(_)) && rng.chance(30) {
            text.push_str("  "); // trailing whitespace after a comment
        }
    }
    text.push_str(rng.pick::<&str>(&["", "\n", "\n\n", "  \n"]));
    text
}

fn indent(rng: &mut Rng) -> &'static str {
    rng.pick::<&str>(&["", "  ", "    ", "\t", "        "])
}

/// The text of every comment in the pieces, in order.
pub fn comments(pieces: &[Piece]) -> Vec<String> {
    pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Trailing(c) | Piece::OwnLine(c) => Some(format!("//{c}")),
            Piece::Doc(c) => Some(format!("///{c}")),
            _ => None,
        })
        .collect()
}
