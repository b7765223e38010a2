//! `policy` items: defaults, allow/deny rules and encryption requirements, names resolved.

use portolan_syntax::Span;
use portolan_syntax::ast::{self, PolicyStmt, RuleScope, Service};

use super::resolve_to;
use crate::db::Db;
use crate::eval::{NoNames, eval_ports};
use crate::items::{Item, ItemKind};
use crate::resolve::Problem;
use crate::resolved::{DefaultInfo, PolicyInfo, RequireInfo, RuleInfo, RuleScopeInfo, Selector, ServiceMatch, Trust};

#[salsa::tracked(returns(ref))]
pub fn policy_info<'db>(db: &'db dyn Db, item: Item<'db>) -> PolicyInfo<'db> {
    let mut info = PolicyInfo { defaults: Vec::new(), rules: Vec::new(), requires: Vec::new(), problems: Vec::new() };
    let Some(decl) = item.policy_decl(db) else { return info };
    for stmt in &decl.statements {
        match stmt {
            PolicyStmt::Default { action, span, .. } => {
                info.defaults.push(DefaultInfo { policy: item, action: *action, span: *span });
            }
            PolicyStmt::Rule(rule) => {
                let errors_before = info.problems.len();
                let problems = &mut info.problems;
                let scope = match &rule.scope {
                    RuleScope::Between { from, to } => RuleScopeInfo::Between {
                        from: selector(db, item, from, problems),
                        to: selector(db, item, to, problems),
                    },
                    RuleScope::Within(zones) => RuleScopeInfo::Within(selector(db, item, zones, problems)),
                };
                let mut services = Vec::new();
                for service in &rule.services {
                    match service {
                        Service::Protocol(path) => {
                            if let Some(target) = resolve_to(db, item, path, &[ItemKind::Protocol], problems) {
                                services.push(ServiceMatch::Protocol(target.item));
                            }
                        }
                        Service::Port(term) => {
                            let spec = ast::PortSpec { terms: vec![term.clone()], span: term.span };
                            let (ports, errors) = eval_ports(&spec, &mut NoNames, true);
                            problems.extend(errors.into_iter().map(|error| Problem::InvalidPort { error }));
                            services.push(ServiceMatch::Ports(ports));
                        }
                    }
                }
                info.rules.push(RuleInfo {
                    policy: item,
                    action: rule.action,
                    cleartext: rule.cleartext.is_some(),
                    end_to_end: rule.end_to_end.is_some(),
                    action_span: rule.action_span,
                    valid: info.problems.len() == errors_before,
                    scope,
                    services,
                    label: rule.label.as_ref().map(|l| l.value.clone()),
                    span: rule.span,
                    text_span: Span::new(rule.span.start, rule.label.as_ref().map_or(rule.span.end, |l| l.span.start)),
                });
            }
            PolicyStmt::RequireEncrypted { level, label, span, .. } => match Trust::parse(&level.name) {
                Some(trust) => info.requires.push(RequireInfo {
                    policy: item,
                    level: trust,
                    label: label.as_ref().map(|l| l.value.clone()),
                    span: *span,
                }),
                None => info.problems.push(Problem::UnknownTrust { level: level.clone() }),
            },
        }
    }
    info
}

fn selector<'db>(
    db: &'db dyn Db,
    item: Item<'db>,
    selector: &ast::Selector,
    problems: &mut Vec<Problem<'db>>,
) -> Selector<'db> {
    match selector {
        ast::Selector::Any(_) => Selector { any: true, targets: Vec::new() },
        ast::Selector::Names(paths) => {
            let mut targets = Vec::new();
            for path in paths {
                if let Some(target) = resolve_to(db, item, path, &[ItemKind::Zone, ItemKind::Node], problems) {
                    targets.push(target.item);
                }
            }
            Selector { any: false, targets }
        }
    }
}
