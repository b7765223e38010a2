//! The name index: every name written in an item and what it refers to, declarations included.
//! One tracked query per item (spans relative to the item's anchor, so an edit elsewhere in the
//! file does not re-run it) and one per file (spans from the start of the file).

use portolan_syntax::Span;
use portolan_syntax::ast::{self, Ident, PolicyStmt, RuleScope, Selector, Service, UseKind};

use super::defs::Definition;
use portolan::db::{Db, SourceFile};
use portolan::eval::{names_in, names_in_ports};
use portolan::items::{Item, ItemKind, NodeSyntax, file_items};
use portolan::resolve::{PortLookup, component_info, find_port, node_info};
use portolan::scope::{Resolved, Scope, declared_kind, lookup, module_index, module_locals, module_scope};

/// One name as written, and what it refers to.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct Ref<'db> {
    /// Relative to the item's anchor in [`item_refs`]; from the start of the file in [`file_refs`].
    pub span: Span,
    pub def: Definition<'db>,
    /// True where the name is declared.
    pub decl: bool,
    /// For a port or parameter named through a node (`app.https`, `port = 8443`): that node,
    /// whose settings apply.
    pub node: Option<Item<'db>>,
}

/// The names written in one item.
#[salsa::tracked(returns(ref))]
pub fn item_refs<'db>(db: &'db dyn Db, item: Item<'db>) -> Vec<Ref<'db>> {
    let mut walk = Walk { db, scope: module_scope(db, item.file(db)), out: Vec::new() };
    walk.item(item);
    walk.out
}

/// The names written in one file, in source order.
#[salsa::tracked(returns(ref))]
pub fn file_refs(db: &dyn Db, file: SourceFile) -> Vec<Ref<'_>> {
    let mut out: Vec<Ref<'_>> = Vec::new();
    for &item in file_items(db, file) {
        let offset = item.offset(db);
        out.extend(item_refs(db, item).iter().map(|r| Ref { span: r.span.shifted(offset), ..r.clone() }));
    }
    out.sort_by_key(|r| (r.span.start, r.span.end));
    out
}

/// The name at a byte offset of a file (touching it from either side).
pub fn ref_at(db: &dyn Db, file: SourceFile, offset: u32) -> Option<Ref<'_>> {
    let refs = file_refs(db, file);
    let inside = refs.iter().find(|r| r.span.start <= offset && offset < r.span.end);
    inside.or_else(|| refs.iter().find(|r| r.span.end == offset)).cloned()
}

struct Walk<'db> {
    db: &'db dyn Db,
    scope: &'db Scope<'db>,
    out: Vec<Ref<'db>>,
}

impl<'db> Walk<'db> {
    fn push(&mut self, span: Span, def: Definition<'db>, decl: bool, node: Option<Item<'db>>) {
        self.out.push(Ref { span, def, decl, node });
    }

    fn item(&mut self, item: Item<'db>) {
        let db = self.db;
        if item.kind(db) == ItemKind::Node {
            return self.node(item);
        }
        if declared_kind(db, item).is_some() {
            self.push(item.name_span(db), Definition::Item(item), true, None);
        }
        if let Some(broken) = item.broken(db) {
            if let Some((from, to)) = &broken.flow_ends {
                self.flow_end(from);
                self.flow_end(to);
            }
            return;
        }
        match item.ast(db) {
            Some(ast::Item::Use(decl)) => self.use_decl(decl),
            Some(ast::Item::Component(decl)) => self.component(item, decl),
            Some(ast::Item::Flow(decl)) => {
                for path in std::iter::once(&decl.from).chain(std::iter::once(&decl.to)).chain(&decl.via) {
                    self.flow_end(path);
                }
            }
            Some(ast::Item::Policy(decl)) => self.policy(decl),
            _ => {}
        }
    }

    /// Records the segments of a path that name a module or an item; returns the item and the
    /// segments after it.
    fn path<'p>(&mut self, path: &'p ast::Path) -> Option<(Item<'db>, &'p [Ident])> {
        let first = path.segments.first()?;
        match lookup(self.db, self.scope, &first.name) {
            Ok(Resolved::Item(item)) => {
                self.push(first.span, Definition::Item(item), false, None);
                Some((item, path.segments.get(1..).unwrap_or(&[])))
            }
            Ok(Resolved::Module(module)) => {
                self.push(first.span, Definition::Module(module), false, None);
                let second = path.segments.get(1)?;
                let item = module_locals(self.db, module).get(&second.name)?;
                self.push(second.span, Definition::Item(item), false, None);
                Some((item, path.segments.get(2..).unwrap_or(&[])))
            }
            Err(_) => None,
        }
    }

    fn use_decl(&mut self, decl: &ast::UseDecl) {
        let db = self.db;
        let Some(&target) = module_index(db, db.workspace()).get(&decl.module.text()) else { return };
        self.push(decl.module.span, Definition::Module(target), false, None);
        match &decl.kind {
            UseKind::Module { alias: Some(alias) } => self.push(alias.span, Definition::Module(target), false, None),
            UseKind::Names(names) => {
                for name in names {
                    let Some(item) = module_locals(db, target).get(&name.name.name) else { continue };
                    self.push(name.name.span, Definition::Item(item), false, None);
                    if let Some(alias) = &name.alias {
                        self.push(alias.span, Definition::Item(item), false, None);
                    }
                }
            }
            UseKind::Module { alias: None } | UseKind::Glob { .. } => {}
        }
    }

    fn param_names(&mut self, component: Item<'db>, names: Vec<(portolan_syntax::Name, Span)>) {
        let info = component_info(self.db, component);
        for (name, span) in names {
            if info.param(&name).is_some() {
                self.push(span, Definition::Param { component, name }, false, None);
            }
        }
    }

    fn component(&mut self, item: Item<'db>, decl: &ast::ComponentDecl) {
        for param in &decl.params {
            let def = Definition::Param { component: item, name: param.name.name.clone() };
            self.push(param.name.span, def, true, None);
            let mut names = Vec::new();
            if let Some(default) = &param.default {
                names_in(default, &mut names);
            }
            self.param_names(item, names);
        }
        for port in &decl.ports {
            let def = Definition::Port { component: item, name: port.name.name.clone() };
            self.push(port.name.span, def, true, None);
            self.path(&port.protocol);
            let mut names = Vec::new();
            if let Some(spec) = &port.ports {
                names_in_ports(spec, &mut names);
            }
            if let Some(condition) = &port.condition {
                names.push((condition.param.name.clone(), condition.param.span));
            }
            self.param_names(item, names);
            if let Some(path) = &port.local_peer
                && let Some((component, [name])) = self.path(path)
            {
                let def = Definition::Port { component, name: name.name.clone() };
                self.push(name.span, def, false, None);
            }
        }
    }

    fn node(&mut self, item: Item<'db>) {
        let db = self.db;
        let decl = match item.node_syntax(db) {
            Some(NodeSyntax::Parsed { decl, .. }) => decl,
            Some(NodeSyntax::Broken { name }) => {
                return self.push(name.span, Definition::Item(item), true, None);
            }
            None => return,
        };
        self.push(decl.name.span, Definition::Item(item), true, None);
        for path in decl.components.iter().chain(&decl.zone) {
            self.path(path);
        }
        let components = &node_info(db, item).components;
        for set in &decl.params {
            let (qualifier, param) = match set.target.segments.as_slice() {
                [param] => (None, param),
                [component, param] => (Some(component), param),
                _ => continue,
            };
            let named = |c: &Item<'db>| qualifier.is_none_or(|q| q.name == *c.name(db));
            let Some(&component) =
                components.iter().find(|c| named(c) && component_info(db, **c).param(&param.name).is_some())
            else {
                continue;
            };
            if let Some(qualifier) = qualifier {
                self.push(qualifier.span, Definition::Item(component), false, None);
            }
            let def = Definition::Param { component, name: param.name.clone() };
            self.push(param.span, def, false, Some(item));
        }
    }

    /// `node`, `node.port` or `node.Component.port`.
    fn flow_end(&mut self, path: &ast::Path) {
        let db = self.db;
        let Some((node, rest)) = self.path(path) else { return };
        if declared_kind(db, node) != Some(ItemKind::Node) {
            return;
        }
        let info = node_info(db, node);
        let (component, port) = match rest {
            [port] => (None, port),
            [component, port] => (Some(component), port),
            _ => return,
        };
        if let Some(qualifier) = component
            && let Some(&item) = info.components.iter().find(|c| *c.name(db) == qualifier.name)
        {
            self.push(qualifier.span, Definition::Item(item), false, None);
        }
        if let PortLookup::Found(index) = find_port(db, info, component.map(|c| c.name.as_str()), &port.name)
            && let Some(found) = info.ports.get(index as usize)
        {
            let def = Definition::Port { component: found.component, name: found.name.clone() };
            self.push(port.span, def, false, Some(node));
        }
    }

    fn policy(&mut self, decl: &ast::PolicyDecl) {
        for stmt in &decl.statements {
            let PolicyStmt::Rule(rule) = stmt else { continue };
            let selectors: Vec<&Selector> = match &rule.scope {
                RuleScope::Between { from, to } => vec![from, to],
                RuleScope::Within(zones) => vec![zones],
            };
            for selector in selectors {
                if let Selector::Names(paths) = selector {
                    for path in paths {
                        self.path(path);
                    }
                }
            }
            for service in &rule.services {
                if let Service::Protocol(path) = service {
                    self.path(path);
                }
            }
        }
    }
}
