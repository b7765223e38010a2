//! Reads a spec from disk into the database: a folder's `.ptl` files, or one file and the
//! modules of its folder that it uses.

use std::path::Path;

use miette::{IntoDiagnostic, Result, WrapErr, miette};
use portolan::{Code, Database, Diagnostic, Location};
use portolan_syntax::Span;

/// The largest file read: larger files are reported instead of read.
const MAX_FILE_BYTES: u64 = 1 << 30;

/// A spec loaded into a fresh database.
pub struct Spec {
    pub db: Database,
    /// What reading the files found: a file that is not UTF-8 is read with each invalid
    /// sequence replaced by U+FFFD and reported here (P001), so the rest is still checked.
    pub problems: Vec<Diagnostic>,
}

/// Loads the spec at `path`: every `.ptl` file under a folder, or one file plus the files of its
/// folder that it (transitively) uses.
pub fn load(path: &Path) -> Result<Spec> {
    let metadata =
        std::fs::metadata(path).into_diagnostic().wrap_err_with(|| format!("cannot read `{}`", path.display()))?;
    let mut spec = Spec { db: Database::new(), problems: Vec::new() };
    if metadata.is_dir() {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            let entry = entry.into_diagnostic().wrap_err_with(|| format!("cannot list `{}`", path.display()))?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "ptl") {
                files.push(entry.into_path());
            }
        }
        if files.is_empty() {
            return Err(miette!(help = "a spec is made of `.ptl` files", "`{}` holds no `.ptl` file", path.display()));
        }
        for file in &files {
            add(&mut spec, path, file)?;
        }
        Ok(spec)
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        add(&mut spec, &root, path)?;
        // Load the modules the spec uses from the file's folder, until none is missing.
        loop {
            let mut added = false;
            for module in portolan::analysis::missing_modules(&spec.db) {
                let candidate = root.join(format!("{}.ptl", module.replace('.', "/")));
                if candidate.is_file() && spec.db.file(&display(&candidate)).is_none() {
                    add(&mut spec, &root, &candidate)?;
                    added = true;
                }
            }
            if !added {
                break;
            }
        }
        Ok(spec)
    }
}

/// The module a file is: its path under the root, without `.ptl`, with dots for slashes.
pub fn module_name(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let mut parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.last_mut()
        && let Some(stem) = last.strip_suffix(".ptl")
    {
        *last = stem.to_string();
    }
    parts.join(".")
}

/// How a path is shown in diagnostics.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

fn add(spec: &mut Spec, root: &Path, file: &Path) -> Result<()> {
    let size =
        std::fs::metadata(file).into_diagnostic().wrap_err_with(|| format!("cannot read `{}`", file.display()))?.len();
    if size > MAX_FILE_BYTES {
        return Err(miette!("`{}` is {size} bytes; files up to 1 GiB can be checked", file.display()));
    }
    let bytes = std::fs::read(file).into_diagnostic().wrap_err_with(|| format!("cannot read `{}`", file.display()))?;
    let (text, invalid) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let byte = err.as_bytes().get(offset).copied().unwrap_or_default();
            (String::from_utf8_lossy(err.as_bytes()).into_owned(), Some((offset as u32, byte)))
        }
    };
    let source = spec.db.set_file(&display(file), &module_name(root, file), text);
    if let Some((offset, byte)) = invalid {
        // The invalid sequence became U+FFFD, three bytes long, at the same offset.
        let at = Location::in_file(source, Span::new(offset, offset + '\u{fffd}'.len_utf8() as u32));
        spec.problems.push(
            Diagnostic::new(Code::SyntaxError, format!("`{}` is not UTF-8 text", display(file)))
                .primary(at, format!("byte 0x{byte:02x} is not part of a UTF-8 character"))
                .note("the file is checked with each invalid sequence read as U+FFFD")
                .help("save the file as UTF-8"),
        );
    }
    Ok(())
}
