//! Reads a spec from disk into the database: a folder's `.ptl` files, or one file and the
//! modules of its folder that it uses.

use std::path::Path;

use miette::{IntoDiagnostic, Result, WrapErr, miette};
use portolan::Database;

/// The largest file read: larger files are reported instead of read.
const MAX_FILE_BYTES: u64 = 1 << 30;

/// A spec loaded into a fresh database.
pub struct Spec {
    pub db: Database,
}

/// Loads the spec at `path`: every `.ptl` file under a folder, or one file plus the files of its
/// folder that it (transitively) uses.
pub fn load(path: &Path) -> Result<Spec> {
    let metadata =
        std::fs::metadata(path).into_diagnostic().wrap_err_with(|| format!("cannot read `{}`", path.display()))?;
    let mut db = Database::new();
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
            add(&mut db, path, file)?;
        }
        Ok(Spec { db })
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        add(&mut db, &root, path)?;
        // Load the modules the spec uses from the file's folder, until none is missing.
        loop {
            let mut added = false;
            for module in portolan::analysis::missing_modules(&db) {
                let candidate = root.join(format!("{}.ptl", module.replace('.', "/")));
                if candidate.is_file() && db.file(&display(&candidate)).is_none() {
                    add(&mut db, &root, &candidate)?;
                    added = true;
                }
            }
            if !added {
                break;
            }
        }
        Ok(Spec { db })
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

fn add(db: &mut Database, root: &Path, file: &Path) -> Result<()> {
    let size =
        std::fs::metadata(file).into_diagnostic().wrap_err_with(|| format!("cannot read `{}`", file.display()))?.len();
    if size > MAX_FILE_BYTES {
        return Err(miette!("`{}` is {size} bytes; files up to 1 GiB can be checked", file.display()));
    }
    let bytes = std::fs::read(file).into_diagnostic().wrap_err_with(|| format!("cannot read `{}`", file.display()))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            return Err(miette!(
                help = "save the file as UTF-8",
                "`{}` is not UTF-8 text (invalid byte at offset {offset})",
                file.display()
            ));
        }
    };
    db.set_file(&display(file), &module_name(root, file), text);
    Ok(())
}
