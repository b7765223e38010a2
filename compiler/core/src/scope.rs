//! Modules and name resolution: which file is which module, what each module declares, what it
//! imports, and what a name in it refers to.
//!
//! A module sees its own items, the names it imports, the modules it imports by alias, its glob
//! imports and the prelude (`std.proto`), in that order. Imports are not re-exported: a module's
//! items are what other modules can reach in it.

use portolan_syntax::ast::{self, UseKind};
use portolan_syntax::{Name, Span};
use rustc_hash::FxHashMap;

use crate::db::{Db, Origin, SourceFile, Workspace};
use crate::items::{Item, ItemKind, file_items};
use crate::stdlib;

/// A name bound to an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, salsa::SalsaValue)]
pub struct Binding<'db> {
    pub item: Item<'db>,
}

/// Module name → file, for every file of the workspace.
#[salsa::tracked(returns(ref))]
pub fn module_index(db: &dyn Db, ws: Workspace) -> FxHashMap<String, SourceFile> {
    let mut index = FxHashMap::default();
    // Standard-library modules win: `std.*` and `vendor.*` always mean the embedded library.
    for origin in [Origin::Stdlib, Origin::User] {
        for &file in ws.files(db) {
            if file.origin(db) == origin {
                index.entry(file.module(db).clone()).or_insert(file);
            }
        }
    }
    index
}

/// What one module declares.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct Locals<'db> {
    /// Name → positions in `items` of the items with that name, in source order.
    index: FxHashMap<Name, Vec<u32>>,
    items: Vec<Item<'db>>,
    /// Duplicate definitions.
    pub problems: Vec<ScopeProblem<'db>>,
}

impl<'db> Locals<'db> {
    /// The first item declared with this name.
    pub fn get(&self, name: &str) -> Option<Item<'db>> {
        self.all(name).next()
    }

    /// Every item declared with this name.
    pub fn all(&self, name: &str) -> impl Iterator<Item = Item<'db>> + '_ {
        self.index.get(name).into_iter().flatten().filter_map(|&i| self.items.get(i as usize).copied())
    }

    /// Every name and its first item.
    pub fn iter(&self) -> impl Iterator<Item = (&Name, Item<'db>)> + '_ {
        self.index.iter().filter_map(|(name, ids)| Some((name, *self.items.get(*ids.first()? as usize)?)))
    }
}

/// The kind of thing an item declares, looking through syntax errors.
pub fn declared_kind(db: &dyn Db, item: Item<'_>) -> Option<ItemKind> {
    match item.kind(db) {
        ItemKind::Use | ItemKind::Flow | ItemKind::Policy | ItemKind::Document => None,
        ItemKind::Broken => {
            let broken = item.broken(db)?;
            broken.name.as_ref()?;
            match broken.keyword.as_ref()?.name.as_str() {
                "protocol" => Some(ItemKind::Protocol),
                "component" => Some(ItemKind::Component),
                "zone" => Some(ItemKind::Zone),
                "node" => Some(ItemKind::Node),
                _ => None,
            }
        }
        kind => Some(kind),
    }
}

/// The items a module declares, by name.
#[salsa::tracked(returns(ref))]
pub fn module_locals(db: &dyn Db, file: SourceFile) -> Locals<'_> {
    let mut index: FxHashMap<Name, Vec<u32>> = FxHashMap::default();
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut problems = Vec::new();
    for &item in file_items(db, file) {
        if declared_kind(db, item).is_none() {
            continue;
        }
        let name = match item.kind(db) {
            ItemKind::Broken => match item.broken(db).and_then(|b| b.name.clone()) {
                Some(name) => name.name,
                None => continue,
            },
            _ => item.name(db).clone(),
        };
        let slot = index.entry(name).or_default();
        if let Some(&first) = slot.first()
            && let Some(&previous) = items.get(first as usize)
            && item.kind(db) != ItemKind::Broken
            && previous.kind(db) != ItemKind::Broken
        {
            problems.push(ScopeProblem::Duplicate { previous, item });
        }
        slot.push(items.len() as u32);
        items.push(item);
    }
    Locals { index, items, problems }
}

/// A problem found while gathering a module's names or imports, as data: `check/` words it.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub enum ScopeProblem<'db> {
    /// `item` has the name of the earlier `previous` of the same module.
    Duplicate { previous: Item<'db>, item: Item<'db> },
    /// The `use` item names a module that no file provides.
    UnknownModule { item: Item<'db> },
    /// The `use` item names its own module.
    SelfImport { item: Item<'db> },
    /// `use module.{name}` where the module has no such item.
    ImportedName { item: Item<'db>, name: ast::UseName, module: SourceFile },
}

/// A module imported by a `use`.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct ModuleImport<'db> {
    pub binding: Name,
    pub file: SourceFile,
    pub use_item: Item<'db>,
}

/// One name imported by `use a.{name}`.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct NameImport<'db> {
    pub binding: Name,
    pub item: Item<'db>,
    pub use_item: Item<'db>,
}

/// Everything a module can name.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct Scope<'db> {
    pub file: SourceFile,
    pub modules: Vec<ModuleImport<'db>>,
    pub names: Vec<NameImport<'db>>,
    /// Glob-imported modules, the prelude last.
    pub globs: Vec<SourceFile>,
    /// Unresolved modules and imported names, modules that use themselves.
    pub problems: Vec<ScopeProblem<'db>>,
    /// The `use` items of this module and the modules they name (for the import-cycle check).
    pub uses: Vec<UseEdge<'db>>,
}

#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct UseEdge<'db> {
    pub use_item: Item<'db>,
    pub target: SourceFile,
}

/// The imports of one module, resolved.
#[salsa::tracked(returns(ref))]
pub fn module_scope(db: &dyn Db, file: SourceFile) -> Scope<'_> {
    let index = module_index(db, db.workspace());
    let mut scope = Scope {
        file,
        modules: Vec::new(),
        names: Vec::new(),
        globs: Vec::new(),
        problems: Vec::new(),
        uses: Vec::new(),
    };
    for &item in file_items(db, file) {
        // Read only `use` items' syntax, so that editing a flow does not re-run this query.
        if item.kind(db) != ItemKind::Use {
            continue;
        }
        let Some(decl) = item.use_decl(db) else { continue };
        let module_name = decl.module.text();
        let Some(&target) = index.get(&module_name) else {
            scope.problems.push(ScopeProblem::UnknownModule { item });
            continue;
        };
        if target == file {
            scope.problems.push(ScopeProblem::SelfImport { item });
            continue;
        }
        scope.uses.push(UseEdge { use_item: item, target });
        match &decl.kind {
            UseKind::Module { alias } => {
                let binding = alias.as_ref().map_or_else(|| decl.module.last().name.clone(), |a| a.name.clone());
                scope.modules.push(ModuleImport { binding, file: target, use_item: item });
            }
            UseKind::Glob { .. } => scope.globs.push(target),
            UseKind::Names(names) => {
                let locals = module_locals(db, target);
                for name in names {
                    match locals.get(&name.name.name) {
                        Some(found) => scope.names.push(NameImport {
                            binding: name.binding().name.clone(),
                            item: found,
                            use_item: item,
                        }),
                        None => {
                            scope.problems.push(ScopeProblem::ImportedName { item, name: name.clone(), module: target })
                        }
                    }
                }
            }
        }
    }
    if let Some(&prelude) = index.get(stdlib::PRELUDE)
        && prelude != file
    {
        scope.globs.push(prelude);
    }
    scope
}

/// What a name resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved<'db> {
    Item(Item<'db>),
    Module(SourceFile),
}

/// Why a name did not resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unresolved<'db> {
    NotFound,
    /// Two glob imports provide different items of this name.
    Ambiguous(Vec<Item<'db>>),
}

/// Looks a single name up in a module's scope.
pub fn lookup<'db>(db: &'db dyn Db, scope: &Scope<'db>, name: &str) -> Result<Resolved<'db>, Unresolved<'db>> {
    let file = scope.file;
    if let Some(item) = module_locals(db, file).get(name) {
        return Ok(Resolved::Item(item));
    }
    if let Some(import) = scope.names.iter().find(|n| n.binding == name) {
        return Ok(Resolved::Item(import.item));
    }
    if let Some(import) = scope.modules.iter().find(|m| m.binding == name) {
        return Ok(Resolved::Module(import.file));
    }
    let mut found: Vec<Item<'db>> = Vec::new();
    let user_globs = scope.globs.iter().filter(|f| f.module(db) != stdlib::PRELUDE);
    for &glob in user_globs {
        if let Some(item) = module_locals(db, glob).get(name)
            && !found.contains(&item)
        {
            found.push(item);
        }
    }
    match found.len() {
        0 => {}
        1 => return Ok(Resolved::Item(found[0])),
        _ => return Err(Unresolved::Ambiguous(found)),
    }
    for &glob in scope.globs.iter().filter(|f| f.module(db) == stdlib::PRELUDE) {
        if let Some(item) = module_locals(db, glob).get(name) {
            return Ok(Resolved::Item(item));
        }
    }
    Err(Unresolved::NotFound)
}

/// The result of resolving a dotted path to an item: the item and the segments after it.
pub struct PathTarget<'db, 'p> {
    pub item: Item<'db>,
    pub rest: &'p [ast::Ident],
    /// The span of the segments that named the item.
    pub span: Span,
}

/// Resolves the leading segments of a path to an item (through a module alias if there is one).
///
/// `expected` disambiguates a path like `eko.EkoAdc` when the module imports `eko` and also
/// declares something named `eko`: where the local item is not of an expected kind but a module
/// alias of that name exists, the path goes through the module.
pub fn resolve_path<'db, 'p>(
    db: &'db dyn Db,
    scope: &Scope<'db>,
    path: &'p ast::Path,
    expected: &[ItemKind],
) -> Result<PathTarget<'db, 'p>, PathError<'db>> {
    let first = path.first();
    let found = match lookup(db, scope, &first.name) {
        Ok(Resolved::Item(item))
            if path.segments.len() > 1 && !declared_kind(db, item).is_some_and(|k| expected.contains(&k)) =>
        {
            match scope.modules.iter().find(|m| m.binding == first.name) {
                Some(import) => Ok(Resolved::Module(import.file)),
                None => Ok(Resolved::Item(item)),
            }
        }
        other => other,
    };
    match found {
        Ok(Resolved::Item(item)) => {
            Ok(PathTarget { item, rest: path.segments.get(1..).unwrap_or(&[]), span: first.span })
        }
        Ok(Resolved::Module(module)) => {
            let Some(second) = path.segments.get(1) else {
                return Err(PathError::ModuleNotItem { span: first.span, module });
            };
            match module_locals(db, module).get(&second.name) {
                Some(item) => Ok(PathTarget {
                    item,
                    rest: path.segments.get(2..).unwrap_or(&[]),
                    span: first.span.cover(second.span),
                }),
                None => Err(PathError::NotInModule { segment: second.clone(), module }),
            }
        }
        Err(Unresolved::NotFound) => Err(PathError::NotFound { segment: first.clone() }),
        Err(Unresolved::Ambiguous(items)) => Err(PathError::Ambiguous { segment: first.clone(), items }),
    }
}

/// Why a path did not resolve to an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError<'db> {
    NotFound { segment: ast::Ident },
    NotInModule { segment: ast::Ident, module: SourceFile },
    ModuleNotItem { span: Span, module: SourceFile },
    Ambiguous { segment: ast::Ident, items: Vec<Item<'db>> },
}

/// Every name a module can use for an item of one of these kinds, for "did you mean".
pub fn visible_names<'db>(db: &'db dyn Db, scope: &Scope<'db>, kinds: &[ItemKind]) -> Vec<String> {
    let wanted = |item: Item<'db>| declared_kind(db, item).is_some_and(|k| kinds.contains(&k));
    let mut names: Vec<String> = Vec::new();
    for (name, item) in module_locals(db, scope.file).iter() {
        if wanted(item) {
            names.push(name.to_string());
        }
    }
    for import in &scope.names {
        if wanted(import.item) {
            names.push(import.binding.to_string());
        }
    }
    for import in &scope.modules {
        for (name, item) in module_locals(db, import.file).iter() {
            if wanted(item) {
                names.push(format!("{}.{name}", import.binding));
            }
        }
    }
    for &glob in &scope.globs {
        for (name, item) in module_locals(db, glob).iter() {
            if wanted(item) {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}
