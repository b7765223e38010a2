//! P102: two declarations of one name in one scope.

use portolan_syntax::Span;
use portolan_syntax::ast::Ident;

use crate::analysis::SpecPolicy;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
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

/// A second member (port, parameter, setting, trust level) with the name of an earlier one.
pub fn member(db: &dyn Db, owner: Item<'_>, what: &str, ident: &Ident, previous: Span) -> Diagnostic {
    Diagnostic::new(Code::DuplicateDefinition, format!("{what} `{}` is given twice", ident.name))
        .primary(owner.at(db, ident.span), format!("second {what} `{}`", ident.name))
        .secondary(owner.at(db, previous), "first given here")
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
        })
        .collect()
}
