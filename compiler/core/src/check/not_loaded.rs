//! P002: a file or folder the loader left out of the spec, or read only in part (and P001 for a
//! file that is not UTF-8, which is read with U+FFFD in place of each invalid sequence).

use portolan_syntax::Span;

use crate::codes::Code;
use crate::db::Database;
use crate::diagnostic::{Diagnostic, Location};
use crate::load_problem::LoadProblem;

/// The diagnostic of one problem; a problem about a file points at the start of that file, which
/// the loader adds to the spec (empty, when it could not be read) so that the module exists.
pub fn diagnostic(db: &Database, problem: &LoadProblem) -> Diagnostic {
    let at = |file: &str, span: Span| problem.file().and_then(|_| db.file(file)).map(|f| Location::in_file(f, span));
    let mib = |bytes: u64| bytes as f64 / f64::from(1u32 << 20);
    let mut out = match problem {
        LoadProblem::NotUtf8 { file, offset, byte } => {
            // The invalid sequence became U+FFFD, three bytes long, at the same offset.
            let span = Span::new(*offset, offset + '\u{fffd}'.len_utf8() as u32);
            let diagnostic = Diagnostic::new(Code::SyntaxError, format!("`{file}` is not UTF-8 text"))
                .note("the file is checked with each invalid sequence read as U+FFFD")
                .help("save the file as UTF-8");
            return match at(file, span) {
                Some(location) => {
                    diagnostic.primary(location, format!("byte 0x{byte:02x} is not part of a UTF-8 character"))
                }
                None => diagnostic,
            };
        }
        LoadProblem::TooLarge { file, size, limit } => Diagnostic::new(
            Code::NotLoaded,
            format!("`{file}` is {:.1} MiB; a spec's files are at most {:.0} MiB, so it was not read", mib(*size), mib(*limit)),
        )
        .help("split it into several files: a folder's `.ptl` files form one spec"),
        LoadProblem::Unreadable { file, error } => {
            Diagnostic::new(Code::NotLoaded, format!("`{file}` could not be read: {error}"))
                .help("make the file readable, or move it out of the spec's folder")
        }
        LoadProblem::UnlistableFolder { folder, error } => {
            Diagnostic::new(Code::NotLoaded, format!("the folder `{folder}` could not be listed: {error}"))
                .note("its `.ptl` files are not part of the spec")
        }
        LoadProblem::TooManyFiles { folder, limit } => Diagnostic::new(
            Code::NotLoaded,
            format!("`{}` holds more than {limit} `.ptl` files, more than one spec may have; nothing was checked", shown(folder)),
        )
        .help("name the spec's own folder (`portolan check path/to/spec`): a folder of many specs is not one spec"),
        LoadProblem::TooManyEntries { folder, limit } => Diagnostic::new(
            Code::NotLoaded,
            format!("`{}` holds more than {limit} files and folders; the search for `.ptl` files stopped and nothing was checked", shown(folder)),
        )
        .help("name the spec's own folder (`portolan check path/to/spec`)"),
        LoadProblem::TooDeep { folder, limit } => Diagnostic::new(
            Code::NotLoaded,
            format!("`{folder}` is more than {limit} folders below the spec's root; its files were not read"),
        )
        .help("keep a spec's modules within a few folders of its root"),
    };
    if let Some(file) = problem.file()
        && let Some(location) = at(file, Span::new(0, 0))
    {
        out = out.primary(location, "left out of the spec");
    }
    out
}

/// The current folder, `` as a path, shown as `.`.
fn shown(folder: &str) -> &str {
    if folder.is_empty() { "." } else { folder }
}
