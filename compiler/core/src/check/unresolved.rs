//! P101 and P104: names and modules that nothing declares, with "did you mean".

use portolan_syntax::Span;
use portolan_syntax::ast::{self, Ident, UseDecl, UseName};

use portolan_syntax::Name;

use super::{edit, part_noun, suggest};
use crate::codes::Code;
use crate::db::{Db, Origin, SourceFile};
use crate::diagnostic::{Diagnostic, Edit};
use crate::eval::ParamType;
use crate::items::{Item, ItemKind};
use crate::resolve::{Part, component_info, node_info};
use crate::scope::{declared_kind, module_index, module_locals, module_scope, visible_names};

/// "component", "zone or node": what a reference expected.
pub(crate) fn kinds_phrase(kinds: &[ItemKind]) -> String {
    let nouns: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
    match nouns.as_slice() {
        [] => "name".to_string(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn with_suggestion(
    db: &dyn Db,
    diagnostic: Diagnostic,
    owner: Item<'_>,
    span: Span,
    name: &str,
    candidates: &[String],
) -> Diagnostic {
    match suggest(name, candidates.iter().map(String::as_str)) {
        Some(best) => diagnostic
            .help(format!("did you mean `{best}`?"))
            .fix(format!("replace with `{best}`"), vec![Edit { location: owner.at(db, span), text: best }]),
        None => diagnostic,
    }
}

/// A name that nothing in scope declares: `segment` of `path`, written in `owner`.
pub fn name(db: &dyn Db, owner: Item<'_>, path: &ast::Path, segment: &Ident, kinds: &[ItemKind]) -> Diagnostic {
    let candidates = &visible_names(db, module_scope(db, owner.file(db)), kinds);
    let what = kinds_phrase(kinds);
    let diagnostic = Diagnostic::new(Code::UnresolvedName, format!("cannot find {what} `{}`", segment.name))
        .primary(owner.at(db, segment.span), "not found in this module or its imports");
    let diagnostic = with_suggestion(db, diagnostic, owner, segment.span, &segment.name, candidates);
    if diagnostic.help.is_some() {
        return diagnostic;
    }
    let file = owner.file(db);
    // `onee.DmzServer` without `use vendor.onee`: the first segment is the alias of a module.
    if path.segments.len() > 1 && path.first().span == segment.span {
        let member = &path.segments[1].name;
        let modules: Vec<SourceFile> = importable(db, file)
            .filter(|m| m.module(db).rsplit('.').next() == Some(segment.name.as_str()))
            .filter(|&m| module_locals(db, m).get(member).is_some())
            .collect();
        if let Some(&module) = modules.first() {
            let name = module.module(db);
            let diagnostic = diagnostic.help(format!(
                "`{}` is module `{name}`, which this module does not use: `use {name}` makes `{}` available",
                segment.name,
                path.text()
            ));
            return match edit::add_use(db, file, &format!("use {name}")) {
                Some(edit) => diagnostic.fix(format!("add `use {name}`"), vec![edit]),
                None => diagnostic,
            };
        }
    }
    if path.segments.len() > 1 {
        return diagnostic;
    }
    // A name another module declares: import it.
    let declaring: Vec<SourceFile> = importable(db, file)
        .filter(|&m| {
            module_locals(db, m).all(&segment.name).any(|i| declared_kind(db, i).is_some_and(|k| kinds.contains(&k)))
        })
        .collect();
    let Some(&first) = declaring.first() else {
        return if kinds.contains(&ItemKind::Component) {
            diagnostic.help(format!(
                "no module of the spec or of the standard library declares a component `{}`",
                segment.name
            ))
        } else {
            diagnostic
        };
    };
    let name = &segment.name;
    let module = first.module(db);
    let alias = module.rsplit('.').next().unwrap_or(module);
    let mut diagnostic = diagnostic.help(format!(
        "`{name}` is declared in module `{module}`: `use {module}.{{{name}}}` imports it, or `use {module}` makes it `{alias}.{name}`"
    ));
    for module in declaring.iter().take(3) {
        let text = format!("use {}.{{{name}}}", module.module(db));
        if let Some(edit) = edit::add_use(db, file, &text) {
            diagnostic = diagnostic.fix(format!("add `{text}`"), vec![edit]);
        }
    }
    diagnostic
}

/// The modules `file` could `use` without making a cycle: the standard library's, and the
/// user's modules that do not use `file`, directly or not; sorted by name.
fn importable(db: &dyn Db, file: SourceFile) -> impl Iterator<Item = SourceFile> + '_ {
    let mut modules: Vec<SourceFile> = module_index(db, db.workspace()).values().copied().collect();
    modules.sort_by_key(|m| m.module(db).clone());
    modules.into_iter().filter(move |&m| m != file && (m.origin(db) == Origin::Stdlib || !uses(db, m, file)))
}

/// True when module `from` uses `to`, directly or through other modules.
fn uses(db: &dyn Db, from: SourceFile, to: SourceFile) -> bool {
    let mut seen = vec![from];
    let mut next = vec![from];
    while let Some(module) = next.pop() {
        for edge in &module_scope(db, module).uses {
            if edge.target == to {
                return true;
            }
            if !seen.contains(&edge.target) {
                seen.push(edge.target);
                next.push(edge.target);
            }
        }
    }
    false
}

/// `module.name` where the module has no such item.
pub fn in_module(db: &dyn Db, owner: Item<'_>, segment: &Ident, module: SourceFile, kinds: &[ItemKind]) -> Diagnostic {
    let locals = module_locals(db, module);
    let candidates: Vec<String> = locals
        .iter()
        .filter(|(_, item)| declared_kind(db, *item).is_some_and(|k| kinds.contains(&k)))
        .map(|(name, _)| name.to_string())
        .collect();
    let diagnostic = Diagnostic::new(
        Code::UnresolvedName,
        format!("module `{}` has no {} `{}`", module.module(db), kinds_phrase(kinds), segment.name),
    )
    .primary(owner.at(db, segment.span), "not in that module");
    with_suggestion(db, diagnostic, owner, segment.span, &segment.name, &candidates)
}

/// `use` of a module that no file provides.
pub fn module(db: &dyn Db, item: Item<'_>) -> Option<Diagnostic> {
    let decl: &UseDecl = item.use_decl(db)?;
    let name = decl.module.text();
    let known: Vec<String> = module_index(db, db.workspace()).keys().cloned().collect();
    let diagnostic = Diagnostic::new(Code::UnresolvedModule, format!("cannot find module `{name}`"))
        .primary(item.at(db, decl.module.span), "no file of the spec or the standard library is this module");
    Some(match suggest(&name, known.iter().map(String::as_str)) {
        Some(best) => diagnostic.help(format!("did you mean `{best}`?")).fix(
            format!("replace with `{best}`"),
            vec![Edit { location: item.at(db, decl.module.span), text: best }],
        ),
        None => diagnostic.help(
            "a module is a `.ptl` file of the spec (`use zones` is `zones.ptl`) or of the standard library (`std.*`, `vendor.*`)",
        ),
    })
}

/// `use module.{name}` where the module has no such item.
pub fn imported_name(db: &dyn Db, item: Item<'_>, name: &UseName, module: SourceFile) -> Diagnostic {
    let locals = module_locals(db, module);
    let module = module.module(db);
    let candidates: Vec<String> = locals.iter().map(|(n, _)| n.to_string()).collect();
    let diagnostic =
        Diagnostic::new(Code::UnresolvedName, format!("module `{module}` has no item `{}`", name.name.name))
            .primary(item.at(db, name.name.span), "not in that module");
    with_suggestion(db, diagnostic, item, name.name.span, &name.name.name, &candidates)
}

/// `parent.member` where the parent has no such member (a node without that port, ...).
pub fn member(
    db: &dyn Db,
    owner: Item<'_>,
    ident: &Ident,
    part: Part,
    parent: Item<'_>,
    candidates: &[Name],
) -> Diagnostic {
    let what = part_noun(part);
    let candidates: &[String] = &candidates.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let parent_kind = declared_kind(db, parent).map_or("item", |k| k.noun());
    let diagnostic = Diagnostic::new(
        Code::UnresolvedName,
        format!("{parent_kind} `{}` has no {what} `{}`", parent.name(db), ident.name),
    )
    .primary(owner.at(db, ident.span), format!("no such {what}"))
    .secondary(parent.name_location(db), format!("`{}` is declared here", parent.name(db)));
    let diagnostic = with_suggestion(db, diagnostic, owner, ident.span, &ident.name, candidates);
    if diagnostic.help.is_none() && !candidates.is_empty() {
        let mut list: Vec<&str> = candidates.iter().map(String::as_str).collect();
        list.sort_unstable();
        list.dedup();
        diagnostic
            .help(format!("its {what}s are: {}", list.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")))
    } else {
        diagnostic
    }
}

/// A name in a component that is not one of its parameters; `ty` is the type its use needs
/// (`bool` for a `when` condition, `port` for a port).
pub fn param(db: &dyn Db, component: Item<'_>, ident: &Ident, wanted: ParamType) -> Diagnostic {
    let ty = wanted.name();
    let candidates: Vec<String> = component_info(db, component).params.iter().map(|p| p.name.to_string()).collect();
    let diagnostic = Diagnostic::new(
        Code::UnresolvedName,
        format!("component `{}` has no parameter `{}`", component.name(db), ident.name),
    )
    .primary(component.at(db, ident.span), "not a parameter of this component");
    let diagnostic = with_suggestion(db, diagnostic, component, ident.span, &ident.name, &candidates);
    if diagnostic.help.is_none() {
        let example = if ty == "bool" { "false" } else { "..." };
        diagnostic.help(format!("declare it in the component: `param {}: {ty} = {example}`", ident.name))
    } else {
        diagnostic
    }
}

/// A node setting for a parameter that none of its components has.
pub fn override_target(db: &dyn Db, node: Item<'_>, set: &ast::ParamSet, components: &[Item<'_>]) -> Diagnostic {
    let mut candidates = Vec::new();
    for &component in components {
        for param in &component_info(db, component).params {
            candidates.push(param.name.to_string());
        }
    }
    let target = set.target.text();
    let diagnostic = Diagnostic::new(
        Code::UnresolvedName,
        format!("no component of node `{}` has a parameter `{target}`", node.name(db)),
    )
    .primary(node.at(db, set.target.span), "not a parameter of this node's components");
    let last = set.target.last();
    let diagnostic = with_suggestion(db, diagnostic, node, last.span, &last.name, &candidates);
    if diagnostic.help.is_none() && !candidates.is_empty() {
        candidates.sort();
        candidates.dedup();
        let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
        diagnostic.help(format!("the parameters are: {}", list.join(", ")))
    } else {
        diagnostic
    }
}

/// A flow end at a port whose `when` condition does not hold on that node.
pub fn inactive_port(db: &dyn Db, flow: Item<'_>, path: &ast::Path, node: Item<'_>, port: u32) -> Option<Diagnostic> {
    let port = node_info(db, node).ports.get(port as usize)?;
    let component = component_info(db, port.component);
    let decl = component.ports.get(port.port_index as usize);
    let condition = decl.and_then(|d| d.condition.as_ref());
    let why = match condition {
        Some(c) if c.negated => format!("`{}` is true", c.param.name),
        Some(c) => format!("`{}` is false", c.param.name),
        None => "its condition does not hold".to_string(),
    };
    let mut diagnostic = Diagnostic::new(
        Code::UnresolvedName,
        format!("port `{}` of node `{}` is switched off: {why}", port.name, node.name(db)),
    )
    .primary(flow.at(db, path.span), "this port does not exist on this node");
    if let Some(decl) = decl {
        diagnostic = diagnostic.secondary(port.component.at(db, decl.span), "declared with a `when` condition here");
    }
    if let Some(c) = condition {
        let value = (!c.negated).to_string();
        diagnostic = diagnostic.help(format!("set `{} = {value}` on node `{}`", c.param.name, node.name(db)));
        if let Some(edit) =
            edit::set_param(db, node, &node_info(db, node).components, port.component, &c.param.name, &value)
        {
            diagnostic = diagnostic.fix(format!("set `{} = {value}` on `{}`", c.param.name, node.name(db)), vec![edit]);
        }
    }
    Some(diagnostic)
}

/// A flow both of whose ends name only a node.
pub fn no_port(db: &dyn Db, flow: Item<'_>, from: &ast::Path, to: &ast::Path) -> Diagnostic {
    Diagnostic::new(Code::UnresolvedName, "a flow must name the port of at least one end")
        .primary(flow.at(db, from.span.cover(to.span)), "say which ports this flow connects")
        .help(format!("for example `flow {}.<output> -> {}`", from.text(), to.text()))
}
