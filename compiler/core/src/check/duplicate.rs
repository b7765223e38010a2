//! P102: two declarations of one name in one scope.

use portolan_syntax::Span;
use portolan_syntax::ast::{Ident, NodeDecl};

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::facts::{RouteNumberAt, SpecPolicy, file_routes, user_files};
use crate::items::Item;
use crate::resolve::Part;
use crate::scope::declared_kind;

/// A second top-level item with the name of an earlier one in the same module.
pub fn diagnostic(db: &dyn Db, previous: Item<'_>, item: Item<'_>) -> Diagnostic {
    let noun = declared_kind(db, item).map_or("item", |k| k.noun());
    let earlier = declared_kind(db, previous).map_or("item", |k| k.noun());
    Diagnostic::new(Code::DuplicateDefinition, format!("`{}` is declared twice in this module", item.name(db)))
        .primary(item.name_location(db), format!("this {noun} has the name of an earlier {earlier}"))
        .secondary(previous.name_location(db), "first declared here")
        .help("names of protocols, components, zones and nodes are unique within a module: rename one")
}

/// A second `document` in the spec: the first one titles the documents and picks their
/// sections; this one has no effect.
pub fn document(db: &dyn Db, first: Item<'_>, item: Item<'_>) -> Diagnostic {
    Diagnostic::new(Code::DuplicateDefinition, "the spec has a second `document`")
        .primary(item.name_location(db), "this `document` has no effect")
        .secondary(first.name_location(db), "the spec's `document`")
        .help("a spec has one `document`: merge the two")
}

/// A second `sections` list in one `document`: the first one says which sections there are.
pub fn sections(db: &dyn Db, document: Item<'_>, keyword: Span, previous: Span) -> Diagnostic {
    Diagnostic::new(Code::DuplicateDefinition, "this `document` has a second `sections` list")
        .primary(document.at(db, keyword), "this list has no effect")
        .secondary(document.at(db, previous), "the document's sections")
        .help("name every section in one `sections` list, in the order the documents should have them")
}

/// A second member (port, parameter, setting, trust level) with the name of an earlier one.
pub fn member(db: &dyn Db, owner: Item<'_>, part: Part, ident: &Ident, previous: Span) -> Diagnostic {
    let what = super::part_noun(part);
    Diagnostic::new(Code::DuplicateDefinition, format!("{what} `{}` is given twice", ident.name))
        .primary(owner.at(db, ident.span), format!("second {what} `{}`", ident.name))
        .secondary(owner.at(db, previous), "first given here")
}

/// A component listed a second time on one node (`onee.DmzServer + onee.DmzServer`): the node
/// runs it once; the repeat is left out, and the fix removes it.
pub fn component(
    db: &dyn Db,
    node: Item<'_>,
    decl: &NodeDecl,
    first: usize,
    again: usize,
    component: Item<'_>,
) -> Diagnostic {
    let (Some(first_path), Some(path)) = (decl.components.get(first), decl.components.get(again)) else {
        return Diagnostic::new(Code::DuplicateDefinition, "a component is listed twice on this node");
    };
    let diagnostic = Diagnostic::new(
        Code::DuplicateDefinition,
        format!("node `{}` lists component `{}` twice", node.name(db), component.name(db)),
    )
    .primary(node.at(db, path.span), "listed again here")
    .secondary(node.at(db, first_path.span), "first listed here")
    .note("a node is one host: it runs each component once, so the repeat adds nothing");
    // From the end of the component before the repeat to the end of the repeat: ` + A`.
    match again.checked_sub(1).and_then(|i| decl.components.get(i)) {
        Some(before) => diagnostic.help(format!("remove the second `{}`", path.text())).fix(
            format!("remove the second `{}`", path.text()),
            vec![super::edit::remove(db, node, Span::new(before.span.end, path.span.end))],
        ),
        None => diagnostic,
    }
}

/// More than one `default` statement across the spec's policies.
pub fn policy_defaults(db: &dyn Db, policy: &SpecPolicy<'_>) -> Vec<Diagnostic> {
    let Some(first) = policy.defaults.first() else { return Vec::new() };
    policy.defaults[1..]
        .iter()
        .map(|again| {
            Diagnostic::new(Code::DuplicateDefinition, "the policy's default is stated twice")
                .primary(again.policy.at(db, again.span), format!("`default {}` again", again.action.keyword()))
                .secondary(first.policy.at(db, first.span), "first stated here")
                .help("a spec has one default action; keep one `default` statement")
                .fix("remove this `default`", vec![super::edit::remove(db, again.policy, again.span)])
        })
        .collect()
}

/// A route number (`route N`) that two flows give: the routes table is numbered by them, so a
/// repeated number makes two rows that a reader cannot tell apart.
pub fn route_numbers(db: &dyn Db) -> Vec<Diagnostic> {
    let files = user_files(db);
    let routes: Vec<_> = files.iter().flat_map(|&file| file_routes(db, file).iter()).collect();
    let Some(highest) = routes.iter().map(|r| r.number).max() else { return Vec::new() };
    let mut first: std::collections::HashMap<u64, (Item<'_>, Span)> = std::collections::HashMap::new();
    let mut next_free = highest;
    let mut out = Vec::new();
    for &&RouteNumberAt { number, flow, span } in &routes {
        let Some(&(earlier, earlier_span)) = first.get(&number) else {
            first.insert(number, (flow, span));
            continue;
        };
        next_free = next_free.saturating_add(1);
        out.push(
            Diagnostic::new(Code::DuplicateDefinition, format!("route {number} is given to two flows"))
                .primary(flow.at(db, span), format!("`route {number}` again"))
                .secondary(earlier.at(db, earlier_span), "first given here")
                .help(format!(
                    "the routes table is numbered by `route N`, one row per number; give this flow its own number (`route {next_free}` is free)"
                ))
                .fix(
                    format!("number this flow `route {next_free}`"),
                    vec![super::edit::replace(db, flow, span, format!("route {next_free}"))],
                ),
        );
    }
    out
}
