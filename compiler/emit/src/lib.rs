//! The emitters of `portolan build`: one module per target, each a pure function from the
//! exported [`Model`] to files (paths relative to the output folder). Emitters never read the
//! database, do no I/O and give byte-identical output for an identical model.

mod aerleon;
mod dot;
mod file_name;
mod html;
mod ident;
mod iptables;
mod layout;
mod markdown;
pub use markdown::escape as markdown_escape;
mod mermaid;
mod nftables;
mod probes;
/// The rule plan the rule targets share: per host, the rules of its input and output chains.
pub mod rules;
mod svg;
pub mod table;
mod text;
mod xml;

use std::path::PathBuf;

use portolan_model::Model;

pub use aerleon::Platform as AerleonPlatform;

/// What a user chooses about the files besides the targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Aerleon's platforms the `aerleon` target writes policies for: nftables unless chosen.
    pub aerleon: Vec<AerleonPlatform>,
}

impl Default for Options {
    fn default() -> Options {
        Options { aerleon: vec![AerleonPlatform::Nftables] }
    }
}

/// One file an emitter writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Relative to the output folder, with `/` between folders.
    pub path: PathBuf,
    pub text: String,
}

impl Output {
    fn new(path: impl Into<PathBuf>, text: String) -> Output {
        Output { path: path.into(), text }
    }
}

/// Why an emitter could not write a hop. The build reports these as diagnostics (P603) before
/// any emitter runs; an emitter refuses rather than drop a hop if it meets one anyway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmitError {
    pub message: String,
}

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What `portolan build --emit` can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Json,
    Nftables,
    Iptables,
    Aerleon,
    Markdown,
    Html,
    Dot,
    Mermaid,
    Svg,
    Probes,
}

impl Target {
    pub const ALL: &'static [Target] = &[
        Target::Json,
        Target::Nftables,
        Target::Iptables,
        Target::Aerleon,
        Target::Markdown,
        Target::Html,
        Target::Dot,
        Target::Mermaid,
        Target::Svg,
        Target::Probes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Json => "json",
            Target::Nftables => "nftables",
            Target::Iptables => "iptables",
            Target::Aerleon => "aerleon",
            Target::Markdown => "markdown",
            Target::Html => "html",
            Target::Dot => "dot",
            Target::Mermaid => "mermaid",
            Target::Svg => "svg",
            Target::Probes => "probes",
        }
    }

    pub fn parse(text: &str) -> Option<Target> {
        Target::ALL.iter().copied().find(|t| t.name() == text.trim())
    }

    /// Firewall rules, and the probes of what they mean: every hop must name addresses (P603).
    pub fn writes_rules(self) -> bool {
        matches!(self, Target::Nftables | Target::Iptables | Target::Aerleon | Target::Probes)
    }
}

/// The files one target writes for a model, its documents titled "Ports and flows".
pub fn emit(model: &Model, target: Target) -> Result<Vec<Output>, EmitError> {
    emit_named(model, target, None)
}

/// The files one target writes for a model. The documents (`ports.md`, `ports.html`) are titled
/// after `name`, the spec's name, when there is one: the model does not know it, the caller
/// does (`portolan build` gives the spec folder's name, or the file's stem).
pub fn emit_named(model: &Model, target: Target, name: Option<&str>) -> Result<Vec<Output>, EmitError> {
    emit_with(model, target, name, &Options::default())
}

/// The files one target writes for a model, titled after `name` (see [`emit_named`]), with the
/// user's [`Options`].
pub fn emit_with(
    model: &Model,
    target: Target,
    name: Option<&str>,
    options: &Options,
) -> Result<Vec<Output>, EmitError> {
    let title = table::title(model, name);
    Ok(match target {
        Target::Json => vec![Output::new("model.json", model.to_json())],
        Target::Nftables => nftables::emit(model)?,
        Target::Iptables => iptables::emit(model)?,
        Target::Aerleon => aerleon::emit(model, &options.aerleon)?,
        Target::Markdown => vec![Output::new("ports.md", markdown::emit(model, &title))],
        Target::Html => vec![Output::new("ports.html", html::emit(model, &title))],
        Target::Dot => vec![Output::new("diagram.dot", dot::emit(model))],
        Target::Mermaid => vec![Output::new("diagram.mmd", mermaid::emit(model))],
        Target::Svg => vec![Output::new("diagram.svg", svg::emit(model))],
        Target::Probes => probes::emit(model)?,
    })
}

/// A string as one POSIX shell word, as the probe scripts quote every spec string.
pub fn shell_quote(text: &str) -> String {
    probes::quote(text)
}

/// Each host's name (every node but those on the internet, which get no rules) and the stem of
/// its files in every rule target, in model order.
pub fn host_file_stems(model: &Model) -> Vec<(String, String)> {
    let hosts: Vec<&str> = model
        .nodes
        .iter()
        .filter(|n| n.rule_addresses.origin != portolan_model::AddressOrigin::Any)
        .map(|n| n.name.as_str())
        .collect();
    hosts.iter().map(|h| h.to_string()).zip(file_name::stems(&hosts)).collect()
}

/// Each node's name and the `NAME` of the `PORTOLAN_ADDRESS_NAME` variable through which a
/// probe script takes that node's addresses.
pub fn probe_address_variables(model: &Model) -> std::collections::BTreeMap<String, String> {
    probes::address_variables(model)
}

/// How wide the SVG diagram takes a line of text to be, in pixels, at `size` pixels per em:
/// the estimate its text boxes are made from (see `spec/build.md`).
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    text::width(text, size, bold)
}

/// A rule's comment as `nft -j list ruleset` (nftables) or `iptables-save` (iptables) lists
/// it: the text the target writes for `label`, cut to what the target stores, unquoted.
/// `None` for a target that writes no firewall rules of its own.
pub fn listed_comment(target: Target, label: &str) -> Option<String> {
    let quoted = match target {
        Target::Nftables => nftables::quote(label),
        Target::Iptables => iptables::quote(label),
        _ => return None,
    };
    let inner = quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')).unwrap_or(&quoted);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        // Only iptables escapes, `\"` and `\\`; an nftables comment holds no backslash escape.
        match (target, c) {
            (Target::Iptables, '\\') => out.extend(chars.next()),
            _ => out.push(c),
        }
    }
    Some(out)
}
