//! The `document` item: the port-matrix documents' title and sections, names checked.

use portolan_syntax::Span;

use crate::db::Db;
use crate::items::Item;
use crate::problem::Part;
use crate::resolve::Problem;
use crate::resolved::{DocumentInfo, DocumentSection, Section};

#[salsa::tracked(returns(ref))]
pub fn document_info<'db>(db: &'db dyn Db, item: Item<'db>) -> DocumentInfo<'db> {
    let mut info = DocumentInfo { title: None, sections: None, problems: Vec::new() };
    let Some(decl) = item.document_decl(db) else { return info };
    info.title = decl.title.as_ref().map(|t| t.value.clone());
    let mut list_at: Option<Span> = None;
    for stmt in &decl.sections {
        if let Some(previous) = list_at {
            info.problems.push(Problem::SecondSections { keyword: stmt.keyword, previous });
            continue;
        }
        list_at = Some(stmt.keyword);
        let mut sections: Vec<(DocumentSection, Span)> = Vec::new();
        for reference in &stmt.sections {
            let name = &reference.name;
            match Section::from_name(name.name.as_str()) {
                None => info.problems.push(Problem::UnknownSection { ident: name.clone() }),
                Some(section) => match sections.iter().find(|(s, _)| s.section == section) {
                    Some(&(_, previous)) => info.problems.push(Problem::DuplicateMember {
                        part: Part::Section,
                        ident: name.clone(),
                        previous,
                    }),
                    None => {
                        let title = reference.title.as_ref().map(|t| t.value.clone());
                        sections.push((DocumentSection { section, title }, name.span));
                    }
                },
            }
        }
        info.sections = Some(sections.into_iter().map(|(s, _)| s).collect());
    }
    info
}
