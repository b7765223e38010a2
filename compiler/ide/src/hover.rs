//! Hover: what the name under the cursor is, in Markdown.

use portolan_syntax::Span;
use portolan_syntax::ast::ReplicaCount;

use super::defs::Definition;
use super::index::{Ref, ref_at};
use portolan::db::{Db, SourceFile};
use portolan::eval::eval_ports;
use portolan::facts::{end_to_end, spec_policy};
use portolan::items::{Item, ItemKind, file_items, parse_file};
use portolan::policy::cite::Citer;
use portolan::policy::{HopEnds, PolicyHop, decide, policy_index};
use portolan::resolve::{ParamEnv, component_info, flow_info, node_info, protocol_info, zone_info};
use portolan::resolved::NodePort;
use portolan::scope::declared_kind;
use portolan_model::ports::{PortSet, Transport};

/// What a hover shows, and the range of the name it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

/// The hover for the name at `offset`, if there is one; elsewhere in a flow (its keyword, arrow
/// or label), the flow's hops and what the policy decided for each.
pub fn hover(db: &dyn Db, file: SourceFile, offset: u32) -> Option<Hover> {
    let Some(target) = ref_at(db, file, offset) else { return flow_hover(db, file, offset) };
    let markdown = match &target.def {
        Definition::Item(item) => item_hover(db, *item)?,
        Definition::Module(module) => module_hover(db, *module),
        Definition::Port { .. } => port_hover(db, &target)?,
        Definition::Param { .. } => param_hover(db, &target)?,
    };
    Some(Hover { span: target.span, markdown })
}

/// The flow written around `offset`: each hop, and the rule or default that decides it.
fn flow_hover(db: &dyn Db, file: SourceFile, offset: u32) -> Option<Hover> {
    let (item, decl, span) = file_items(db, file).iter().find_map(|&item| {
        let decl = item.flow_decl(db)?;
        let span = item.at(db, decl.span).absolute(db).span;
        (span.start <= offset && offset < span.end).then_some((item, decl, span))
    })?;
    let info = flow_info(db, item);
    let mut text = format!("**flow** `{} -> {}`", decl.from.text(), decl.to.text());
    if let Some(label) = &info.label {
        text.push_str(&format!(" — {label}"));
    }
    if info.local {
        text.push_str(
            "

`local`: two roles on one host; no policy applies.",
        );
        return Some(Hover { span, markdown: text });
    }
    let (policy, index) = (spec_policy(db), policy_index(db));
    let mut citer = Citer::default();
    let end_to_end = end_to_end(db, info);
    for (n, hop) in info.hops.iter().enumerate() {
        let ends = HopEnds::of(db, hop);
        let decision = citer.state(db, policy, decide(policy, index, PolicyHop::new(hop, ends, end_to_end.as_ref())));
        text.push_str(&format!(
            "\n- hop {}: `{}` → `{}` on {}: {}",
            n + 1,
            hop.from.node.name(db),
            hop.to.node.name(db),
            hop.ports.describe(),
            decision.describe()
        ));
    }
    Some(Hover { span, markdown: with_docs(text, &info.docs) })
}

fn with_docs(mut text: String, docs: &str) -> String {
    if !docs.is_empty() {
        text.push_str("\n\n");
        text.push_str(docs);
    }
    text
}

fn titled(kind: &str, name: &str, title: Option<&str>) -> String {
    match title {
        Some(title) if title != name => format!("**{kind}** `{name}` — {title}"),
        _ => format!("**{kind}** `{name}`"),
    }
}

fn item_hover(db: &dyn Db, item: Item<'_>) -> Option<String> {
    if item.kind(db) == ItemKind::Broken {
        let kind = declared_kind(db, item)?;
        return Some(format!("**{}** `{}` (has a syntax error)", kind.noun(), item.name(db)));
    }
    Some(match item.kind(db) {
        ItemKind::Protocol => protocol_hover(db, item),
        ItemKind::Component => {
            let info = component_info(db, item);
            let mut text = titled("component", &info.name, Some(&info.title));
            for (port, protocol) in info.ports.iter().zip(&info.protocols) {
                let protocol = protocol.map_or_else(|| "?".to_string(), |p| p.name(db).to_string());
                text.push_str(&format!("\n- {} `{}`: `{protocol}`", port.kind.keyword(), port.name));
            }
            with_docs(text, &info.docs)
        }
        ItemKind::Zone => {
            let info = zone_info(db, item);
            let mut text = titled("zone", &info.name, Some(&info.title));
            text.push_str(&format!("\n- trust: {}", info.trust.as_str()));
            if !info.cidrs.is_empty() {
                let cidrs: Vec<String> = info.cidrs.iter().map(ToString::to_string).collect();
                text.push_str(&format!("\n- cidr: {}", cidrs.join(", ")));
            }
            with_docs(text, &info.docs)
        }
        ItemKind::Node => node_hover(db, item),
        _ => return None,
    })
}

fn protocol_hover(db: &dyn Db, item: Item<'_>) -> String {
    let info = protocol_info(db, item);
    let text = item.file(db).text(db);
    let span = super::defs::item_span(db, item).shifted(item.offset(db));
    let source = text.get(span.start as usize..span.end as usize).unwrap_or_default().trim();
    // The declaration without its doc comment, which follows as prose.
    let declaration: Vec<&str> = source.lines().filter(|l| !l.trim_start().starts_with("///")).collect();
    let mut out = format!("```ptl\n{}\n```\n", declaration.join("\n"));
    let ports = info.default_ports.as_ref().map_or_else(
        || format!("{} (no default port)", transports(&info.transports)),
        |p| format!("{} (`{p}`)", p.describe()),
    );
    let encrypted = if info.encrypted { "encrypted" } else { "cleartext" };
    out.push_str(&format!("**protocol** `{}` — {}: {ports}, {encrypted}", info.name, info.title));
    with_docs(out, &info.docs)
}

fn transports(list: &[Transport]) -> String {
    let names: Vec<&str> = list.iter().map(|t| t.upper()).collect();
    names.join("+")
}

fn node_hover(db: &dyn Db, item: Item<'_>) -> String {
    let info = node_info(db, item);
    let name = match &info.replicas {
        Some(ReplicaCount::Count(n)) => format!("{}[{n}]", info.name),
        Some(ReplicaCount::Any) => format!("{}[*]", info.name),
        None => info.name.to_string(),
    };
    let mut text = titled("node", &name, info.title.as_deref());
    match info.zone {
        Some(zone) => {
            let zone = zone_info(db, zone);
            let title = if zone.title == zone.name.as_str() { String::new() } else { format!("{}, ", zone.title) };
            text.push_str(&format!("\n- zone: `{}` ({title}trust {})", zone.name, zone.trust.as_str()));
        }
        None => text.push_str("\n- zone: none"),
    }
    let components: Vec<String> = info
        .components
        .iter()
        .map(|&c| {
            let component = component_info(db, c);
            if component.title == component.name.as_str() {
                format!("`{}`", component.name)
            } else {
                format!("`{}` ({})", component.name, component.title)
            }
        })
        .collect();
    text.push_str(&format!(
        "\n- components: {}",
        if components.is_empty() { "none".into() } else { components.join(", ") }
    ));
    if !info.addresses.is_empty() {
        let addresses: Vec<String> = info.addresses.iter().map(ToString::to_string).collect();
        text.push_str(&format!("\n- address: {}", addresses.join(", ")));
    }
    with_docs(text, &info.docs)
}

fn module_hover(db: &dyn Db, module: SourceFile) -> String {
    with_docs(format!("**module** `{}`", module.module(db)), &parse_file(db, module).module_docs)
}

fn port_hover(db: &dyn Db, target: &Ref<'_>) -> Option<String> {
    let Definition::Port { component, name } = &target.def else { return None };
    let info = component_info(db, *component);
    let index = info.ports.iter().position(|p| &p.name == name)?;
    let port = info.ports.get(index)?;
    let protocol = info.protocols.get(index).copied().flatten();
    let mut text = format!("**{}** `{}.{}`", port.kind.keyword(), info.name, port.name);
    if let Some(title) = &port.title {
        text.push_str(&format!(" — {title}"));
    }
    match protocol {
        Some(p) => {
            let p = protocol_info(db, p);
            let encrypted = if p.encrypted { "encrypted" } else { "cleartext" };
            text.push_str(&format!("\n- protocol: `{}` ({}, {encrypted})", p.name, p.title));
        }
        None => text.push_str("\n- protocol: unresolved"),
    }
    let on_node: Option<&NodePort<'_>> = target
        .node
        .and_then(|node| node_info(db, node).ports.iter().find(|p| p.component == *component && &p.name == name));
    let (ports, pinned, active) = match on_node {
        Some(node_port) => (node_port.ports.clone(), node_port.pinned || port.kind.accepts(), node_port.active),
        None => {
            let ports = match &port.spec {
                Some(spec) => eval_ports(spec, &mut ParamEnv::new(&info.params, Default::default()), false).0,
                None => protocol.and_then(|p| protocol_info(db, p).default_ports.clone()).unwrap_or_default(),
            };
            (ports, port.spec.is_some() || port.kind.accepts(), true)
        }
    };
    text.push_str(&format!("\n- transport: {}", transports(&ports.transports())));
    let place = target.node.map_or_else(String::new, |n| format!(" on node `{}`", n.name(db)));
    text.push_str(&format!("\n- {}", ports_line(&ports, pinned, &place)));
    let mut flags: Vec<String> = Vec::new();
    for (set, flag) in [(port.optional, "optional"), (port.shared, "shared"), (port.relay, "relay")] {
        if set {
            flags.push(flag.to_string());
        }
    }
    if let Some(condition) = &port.condition {
        let not = if condition.negated { "not " } else { "" };
        flags.push(format!("when {not}{}", condition.param.name));
    }
    if !active {
        flags.push("switched off on this node".to_string());
    }
    if !flags.is_empty() {
        text.push_str(&format!("\n- {}", flags.join(", ")));
    }
    Some(with_docs(text, &port.docs))
}

fn ports_line(ports: &PortSet, pinned: bool, place: &str) -> String {
    if !pinned {
        return "port: wherever the input it is wired to listens".to_string();
    }
    if ports.is_empty() {
        return format!("port: none{place}");
    }
    format!("port: {} (`{ports}`){place}", ports.describe())
}

fn param_hover(db: &dyn Db, target: &Ref<'_>) -> Option<String> {
    let Definition::Param { component, name } = &target.def else { return None };
    let info = component_info(db, *component);
    let param = info.param(name)?;
    let ty = param.ty.map_or("?", |t| t.name());
    let mut text = format!("**param** `{}.{}`: {ty}", info.name, param.name);
    if let Some(title) = &param.title {
        text.push_str(&format!(" — setting \"{title}\""));
    }
    let mut env = ParamEnv::new(&info.params, Default::default());
    match env.value(name) {
        Some(Ok(value)) => text.push_str(&format!("\n- default: {value}")),
        _ if param.default.is_none() => text.push_str("\n- required: every node must set it"),
        _ => text.push_str("\n- default: invalid"),
    }
    if let Some(node) = target.node {
        let node_info = node_info(db, node);
        let value = node_info
            .components
            .iter()
            .position(|c| c == component)
            .and_then(|i| node_info.params.get(i))
            .and_then(|values| values.iter().find(|(n, _)| n == name))
            .and_then(|(_, v)| v.clone());
        if let Some(value) = value {
            text.push_str(&format!("\n- on node `{}`: {value}", node.name(db)));
        }
    }
    Some(with_docs(text, &param.docs))
}
