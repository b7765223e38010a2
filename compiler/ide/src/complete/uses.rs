//! Completion in `use` items: module paths segment by segment (`std.`, `vendor.eko`, the spec's
//! own modules), `*` and `{` after a whole module, and the module's items not yet listed inside
//! `{...}`.

use super::{Completion, CompletionKind, item_completion};
use crate::NameKind;
use portolan::db::{Db, SourceFile};
use portolan::items::parse_file;
use portolan::scope::{module_index, module_locals};

/// The words that start an item at the beginning of a line.
const ITEM_KEYWORDS: [&str; 8] = ["use", "protocol", "component", "zone", "node", "flow", "policy", "document"];

/// Where in a `use` item the cursor is.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum UseContext<'t> {
    /// Writing the module path: the segments before the last dot (`""` for none).
    Path(&'t str),
    /// Inside the braces of `use module.{...}`: the module, and the names already listed.
    Names(&'t str, Vec<&'t str>),
    /// After the path (an alias, a closed list): nothing to offer.
    Elsewhere,
}

/// Reads the `use` item the text before the cursor ends in, if it does.
pub(super) fn context(before: &str) -> Option<UseContext<'_>> {
    let rest = use_text(before)?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    if let Some(brace) = rest.find('{') {
        let module = rest[..brace].trim().strip_suffix('.').map(str::trim_end);
        return Some(match module {
            Some(module) if !rest[brace..].contains('}') => {
                let mut listed: Vec<&str> = rest[brace + 1..].split(',').collect();
                // The last one is the name being written.
                listed.pop();
                let names = listed.iter().filter_map(|n| n.split_whitespace().next()).collect();
                UseContext::Names(module, names)
            }
            _ => UseContext::Elsewhere,
        });
    }
    let path = rest.trim_start();
    if path.contains(char::is_whitespace) {
        return Some(UseContext::Elsewhere);
    }
    Some(UseContext::Path(path.rfind('.').map_or("", |dot| &path[..dot])))
}

/// The text after `use` up to the cursor, when the nearest line above that starts with an item
/// keyword starts with `use` (a list in braces may span lines).
fn use_text(before: &str) -> Option<&str> {
    let mut end = before.len();
    loop {
        let start = before[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = before[start..end].trim_start();
        let keyword = ITEM_KEYWORDS.iter().find(|k| {
            line.strip_prefix(**k).is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t', '\r', '{']))
        });
        if let Some(keyword) = keyword {
            let at = end - line.len() + keyword.len();
            return (*keyword == "use").then(|| &before[at..]);
        }
        if start == 0 {
            return None;
        }
        end = start - 1;
    }
}

pub(super) fn completions(db: &dyn Db, file: SourceFile, context: UseContext<'_>) -> Vec<Completion> {
    let index = module_index(db, db.workspace());
    match context {
        UseContext::Path(qualifier) => {
            let mut out = Vec::new();
            let prefix = if qualifier.is_empty() { String::new() } else { format!("{qualifier}.") };
            for (module, &target) in index.iter() {
                let Some(rest) = module.strip_prefix(&prefix).filter(|r| !r.is_empty()) else { continue };
                if target == file {
                    continue;
                }
                let segments: Vec<&str> = rest.split('.').collect();
                // After `use `, whole paths and the first segment of each; after `use a.`, the
                // next segment.
                if qualifier.is_empty() || segments.len() == 1 {
                    out.push(module_completion(db, rest.to_string(), target));
                }
                if segments.len() > 1 {
                    out.push(namespace(&prefix, segments[0], index.keys()));
                }
            }
            if let Some(&module) = index.get(qualifier).filter(|&&m| m != file) {
                let name = module.module(db);
                out.push(form("*", format!("every item of `{name}`: `use {name}.*`")));
                out.push(form("{", format!("some items of `{name}`: `use {name}.{{a, b as c}}`")));
            }
            out
        }
        UseContext::Names(module, listed) => match index.get(module) {
            Some(&target) if target != file => module_locals(db, target)
                .iter()
                .filter(|(name, _)| !listed.contains(&name.as_str()))
                .filter_map(|(name, item)| item_completion(db, name.to_string(), item))
                .collect(),
            _ => Vec::new(),
        },
        UseContext::Elsewhere => Vec::new(),
    }
}

fn module_completion(db: &dyn Db, label: String, module: SourceFile) -> Completion {
    let detail = summary(&parse_file(db, module).module_docs).or_else(|| Some(format!("module {}", module.module(db))));
    Completion { label, kind: CompletionKind::Name(NameKind::Module), detail }
}

/// `vendor.`, standing for the modules under it.
fn namespace<'a>(prefix: &str, segment: &str, modules: impl Iterator<Item = &'a String>) -> Completion {
    let under = format!("{prefix}{segment}.");
    let mut inside: Vec<&str> = modules.filter(|m| m.starts_with(&under)).map(String::as_str).collect();
    inside.sort_unstable();
    Completion {
        label: format!("{segment}."),
        kind: CompletionKind::Name(NameKind::Module),
        detail: Some(inside.join(", ")),
    }
}

fn form(label: &str, detail: String) -> Completion {
    Completion { label: label.to_string(), kind: CompletionKind::Keyword, detail: Some(detail) }
}

/// The start of a module's doc comment, up to the end of its first clause.
fn summary(docs: &str) -> Option<String> {
    let paragraph = docs.split("\n\n").next()?.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = [". ", ": ", " — "].iter().filter_map(|stop| paragraph.find(stop)).min().unwrap_or(paragraph.len());
    let clause = paragraph[..end].trim_end_matches('.');
    (!clause.is_empty()).then(|| clause.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_use_item_before_the_cursor_is_read() {
        assert_eq!(context("use "), Some(UseContext::Path("")));
        assert_eq!(context("zone z {}\nuse ven"), Some(UseContext::Path("")));
        assert_eq!(context("  use vendor."), Some(UseContext::Path("vendor")));
        assert_eq!(context("use vendor.e"), Some(UseContext::Path("vendor")));
        assert_eq!(context("use site.{"), Some(UseContext::Names("site", vec![])));
        assert_eq!(context("use site.{web, d"), Some(UseContext::Names("site", vec!["web"])));
        let multiline = context("use zones.dmz . {\n    web as w,\n    db,\n    ");
        assert_eq!(multiline, Some(UseContext::Names("zones.dmz", vec!["web", "db"])));
        assert_eq!(context("use site.{web} "), Some(UseContext::Elsewhere));
        assert_eq!(context("use site as "), Some(UseContext::Elsewhere));
        for elsewhere in ["use", "user", "flow a.b -> use", "use x\nzone z {\n    ", "// use "] {
            assert_eq!(context(elsewhere), None, "{elsewhere:?}");
        }
    }

    #[test]
    fn a_summary_is_the_first_clause_of_the_docs() {
        assert_eq!(summary("Well-known protocols: a name.\n\nMore.").as_deref(), Some("Well-known protocols"));
        assert_eq!(summary("A small\ndeployment.").as_deref(), Some("A small deployment"));
        assert_eq!(summary(""), None);
    }
}
