//! The spec's policy for the exported model: its rules with the names the model gives zones and
//! nodes, in spec order. Rules with a name that did not resolve match nothing and are left out
//! (a spec that checks clean has none).

use portolan_model::policy::{Action, Policy, Require, Rule, Scope, Selector, Service, Target};
use rustc_hash::FxHashMap;

use crate::db::Db;
use crate::facts::spec_policy;
use crate::items::{Item, ItemKind};
use crate::resolve::protocol_info;
use crate::resolved::{RuleScopeInfo, Selector as SelectorInfo, ServiceMatch};

pub fn policy<'db>(
    db: &'db dyn Db,
    zones: &FxHashMap<Item<'db>, String>,
    nodes: &FxHashMap<Item<'db>, String>,
) -> Policy {
    let spec = spec_policy(db);
    let action = |a: portolan_syntax::ast::Action| match a {
        portolan_syntax::ast::Action::Allow => Action::Allow,
        portolan_syntax::ast::Action::Deny => Action::Deny,
    };
    let selector = |s: &SelectorInfo<'db>| Selector {
        any: s.any,
        targets: s
            .targets
            .iter()
            .map(|&t| {
                let name = |names: &FxHashMap<Item<'db>, String>| {
                    names.get(&t).cloned().unwrap_or_else(|| t.name(db).to_string())
                };
                if t.kind(db) == ItemKind::Zone { Target::Zone(name(zones)) } else { Target::Node(name(nodes)) }
            })
            .collect(),
    };
    let rules = spec
        .rules
        .iter()
        .filter(|r| r.valid)
        .map(|r| Rule {
            action: action(r.action),
            cleartext: r.cleartext,
            end_to_end: r.end_to_end,
            scope: match &r.scope {
                RuleScopeInfo::Between { from, to } => Scope::Between { from: selector(from), to: selector(to) },
                RuleScopeInfo::Within(zones) => Scope::Within { zones: selector(zones) },
            },
            services: r
                .services
                .iter()
                .map(|s| match s {
                    ServiceMatch::Protocol(p) => {
                        let info = protocol_info(db, *p);
                        Service::Protocol { name: info.name.to_string(), title: info.title.clone() }
                    }
                    ServiceMatch::Ports(ports) => Service::Ports { ports: ports.ranges().to_vec() },
                })
                .collect(),
            label: r.label.clone(),
        })
        .collect();
    Policy {
        default: spec.default_action().map(action),
        rules,
        requires: spec.requires.iter().map(|r| Require { level: r.level, label: r.label.clone() }).collect(),
    }
}
