//! P103: modules that use each other in a cycle.

use rustc_hash::FxHashMap;

use crate::codes::Code;
use crate::db::{Db, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::facts::user_files;
use crate::items::Item;
use crate::scope::module_scope;
use portolan_syntax::ast::UseDecl;

/// One diagnostic per cycle among the user's modules, on the `use` that closes it.
pub fn cycles(db: &dyn Db) -> Vec<Diagnostic> {
    let files = user_files(db);
    let index: FxHashMap<SourceFile, usize> = files.iter().enumerate().map(|(i, &f)| (f, i)).collect();
    let edges: Vec<Vec<(usize, Item<'_>)>> = files
        .iter()
        .map(|&file| {
            module_scope(db, file)
                .uses
                .iter()
                .filter_map(|edge| index.get(&edge.target).map(|&to| (to, edge.use_item)))
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for component in strongly_connected(&edges) {
        if component.len() < 2 {
            continue;
        }
        // Walk the cycle from its first module, following edges that stay inside it.
        let mut path: Vec<(usize, Item<'_>)> = Vec::new();
        let mut at = component[0];
        for _ in 0..component.len() {
            let Some(&(next, use_item)) = edges[at].iter().find(|(to, _)| component.contains(to)) else { break };
            path.push((at, use_item));
            at = next;
            if at == component[0] {
                break;
            }
        }
        let names: Vec<String> = path.iter().map(|&(m, _)| files[m].module(db).clone()).collect();
        let Some(&(_, closing)) = path.last() else { continue };
        let mut diagnostic = Diagnostic::new(
            Code::ImportCycle,
            format!("modules use each other in a cycle: {} -> {}", names.join(" -> "), names[0]),
        )
        .primary(closing.name_location(db), "this `use` closes the cycle");
        for &(_, use_item) in &path[..path.len() - 1] {
            diagnostic = diagnostic.secondary(use_item.name_location(db), "part of the cycle");
        }
        let help = if names.len() == 2 {
            "move what both modules need into a third module that both use, or merge them".to_string()
        } else {
            let uses: Vec<String> =
                names.iter().zip(names.iter().cycle().skip(1)).map(|(a, b)| format!("`{a}` uses `{b}`")).collect();
            let (last, rest) = uses.split_last().map_or((String::new(), &[][..]), |(l, r)| (l.clone(), r));
            format!(
                "{} and {last}: move what these modules need from each other into a module that uses none of them, or merge them",
                rest.join(", ")
            )
        };
        out.push(diagnostic.help(help));
    }
    out
}

/// A module that uses itself.
pub fn self_import(db: &dyn Db, item: Item<'_>, decl: &UseDecl) -> Diagnostic {
    Diagnostic::new(Code::ImportCycle, format!("module `{}` uses itself", decl.module.text()))
        .primary(item.at(db, decl.module.span), "this is the module's own name")
        .help("remove this `use`: a module's own items are always in scope")
        .fix("remove this `use`", vec![super::edit::remove(db, item, decl.span)])
}

/// Tarjan's algorithm: the strongly connected components of a graph, each sorted.
fn strongly_connected(edges: &[Vec<(usize, Item<'_>)>]) -> Vec<Vec<usize>> {
    struct State {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    let n = edges.len();
    let mut s = State {
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    // Iterative depth-first search, so that a long chain of modules cannot overflow the stack.
    for root in 0..n {
        if s.index[root].is_some() {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && s.index[v].is_none() {
                s.index[v] = Some(s.next);
                s.low[v] = s.next;
                s.next += 1;
                s.stack.push(v);
                s.on_stack[v] = true;
            }
            if let Some(&(w, _)) = edges[v].get(*child) {
                *child += 1;
                match s.index[w] {
                    None => work.push((w, 0)),
                    Some(wi) if s.on_stack[w] => s.low[v] = s.low[v].min(wi),
                    Some(_) => {}
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                s.low[parent] = s.low[parent].min(s.low[v]);
            }
            if Some(s.low[v]) == s.index[v] {
                let mut component = Vec::new();
                while let Some(w) = s.stack.pop() {
                    s.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                s.out.push(component);
            }
        }
    }
    s.out.sort();
    s.out
}
