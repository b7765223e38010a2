//! The `document` item: the port-matrix documents' title and sections, names checked.

use portolan_syntax::Span;

use crate::db::Db;
use crate::facts::user_files;
use crate::items::{Item, ItemKind, file_items};
use crate::problem::Part;
use crate::resolve::Problem;
use crate::resolved::{DocumentInfo, Section};

/// The spec's `document`: the first in the user's files, in workspace order. Any other is a
/// duplicate (P102) and has no effect.
#[salsa::tracked]
pub fn spec_document(db: &dyn Db) -> Option<Item<'_>> {
    user_files(db)
        .iter()
        .flat_map(|&file| file_items(db, file).iter().copied())
        .find(|item| item.kind(db) == ItemKind::Document)
}

#[salsa::tracked(returns(ref))]
pub fn document_info<'db>(db: &'db dyn Db, item: Item<'db>) -> DocumentInfo<'db> {
    let mut info = DocumentInfo { title: None, sections: None, problems: Vec::new() };
    let Some(decl) = item.document_decl(db) else { return info };
    if let Some(&first) = spec_document(db).as_ref().filter(|&&first| first != item && item.is_user(db)) {
        info.problems.push(Problem::SecondDocument { first });
    }
    info.title = decl.title.as_ref().map(|t| t.value.clone());
    let mut list_at: Option<Span> = None;
    for stmt in &decl.sections {
        if let Some(previous) = list_at {
            info.problems.push(Problem::SecondSections { keyword: stmt.keyword, previous });
            continue;
        }
        list_at = Some(stmt.keyword);
        let mut sections: Vec<(Section, Span)> = Vec::new();
        for name in &stmt.names {
            match Section::from_name(name.name.as_str()) {
                None => info.problems.push(Problem::UnknownSection { ident: name.clone() }),
                Some(section) => match sections.iter().find(|(s, _)| *s == section) {
                    Some(&(_, previous)) => info.problems.push(Problem::DuplicateMember {
                        part: Part::Section,
                        ident: name.clone(),
                        previous,
                    }),
                    None => sections.push((section, name.span)),
                },
            }
        }
        info.sections = Some(sections.into_iter().map(|(s, _)| s).collect());
    }
    info
}
