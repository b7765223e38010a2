//! Writing a build's files: nothing is touched until every file is staged as a temporary file
//! beside its destination, and a failure while staging removes what was staged (and the
//! folders made for it), so the output folder stays as it was. Then each file is renamed into
//! place, which replaces it whole.

use std::path::{Path, PathBuf};

use miette::{IntoDiagnostic, Result, WrapErr, miette};
use portolan::emit::Output;
use tempfile::NamedTempFile;

/// Writes the files that differ from what `out` holds; returns how many were written.
pub fn write_all(out: &Path, outputs: &[Output]) -> Result<usize> {
    let mut made: Vec<PathBuf> = Vec::new();
    let staged = stage(out, outputs, &mut made);
    let staged = match staged {
        Ok(staged) => staged,
        Err(error) => {
            for dir in made.iter().rev() {
                let _ = std::fs::remove_dir(dir);
            }
            return Err(error);
        }
    };
    let count = staged.len();
    for (file, destination) in staged {
        file.persist(&destination).map_err(|e| miette!("cannot replace `{}`: {}", destination.display(), e.error))?;
    }
    Ok(count)
}

/// Every changed file as a temporary file in its destination's folder.
fn stage(out: &Path, outputs: &[Output], made: &mut Vec<PathBuf>) -> Result<Vec<(NamedTempFile, PathBuf)>> {
    let mut staged = Vec::new();
    for output in outputs {
        let destination = out.join(&output.path);
        if std::fs::read(&destination).is_ok_and(|old| old == output.text.as_bytes()) {
            continue;
        }
        if destination.is_dir() {
            return Err(miette!("cannot write `{}`: a folder is in the way", destination.display()));
        }
        let parent = destination.parent().unwrap_or(out);
        make_dirs(parent, made)?;
        let mut file = NamedTempFile::new_in(parent)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write in `{}`", parent.display()))?;
        std::io::Write::write_all(&mut file, output.text.as_bytes())
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write `{}`", destination.display()))?;
        staged.push((file, destination));
    }
    Ok(staged)
}

/// Creates `dir` and its missing ancestors, recording each one made.
fn make_dirs(dir: &Path, made: &mut Vec<PathBuf>) -> Result<()> {
    let mut missing = Vec::new();
    let mut current = Some(dir);
    while let Some(path) = current.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
        missing.push(path.to_path_buf());
        current = path.parent();
    }
    for path in missing.into_iter().rev() {
        std::fs::create_dir(&path)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot create the folder `{}`", path.display()))?;
        made.push(path);
    }
    Ok(())
}

/// A unified diff of every file whose content in `out` differs from what would be written.
pub fn diff(out: &Path, outputs: &[Output]) -> Result<String> {
    let mut text = String::new();
    for output in outputs {
        let destination = out.join(&output.path);
        let old = match std::fs::read(&destination) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(miette!("cannot read `{}`: {e}", destination.display())),
        };
        if old == output.text {
            continue;
        }
        let name = output.path.to_string_lossy().replace('\\', "/");
        let diff = similar::TextDiff::from_lines(&old, &output.text);
        text.push_str(
            &diff.unified_diff().context_radius(3).header(&format!("a/{name}"), &format!("b/{name}")).to_string(),
        );
    }
    Ok(text)
}
