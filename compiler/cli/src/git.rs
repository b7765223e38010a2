//! A spec as it is at a git revision, read from git's objects and never from the work tree:
//! `git ls-tree` lists the `.ptl` files under the spec's folder at the revision and `git cat-file
//! --batch` reads them, into a `MemorySystem` that the core's loader reads as it reads a disk.
//! Nothing is checked out, and neither the work tree nor the index is touched.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use portolan::load::{Limits, MemorySystem, Spec};

use crate::error::{CliError, Result, error};

fn git(args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| error!("cannot run `git`: {e}").tip("a git revision is read with the `git` command"))
}

/// The commit a revision names, checked: an error when the current folder is not in a git
/// repository or the revision names no commit.
fn commit(revision: &str) -> Result<String> {
    let inside = git(&["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() {
        return Err(error!("`{revision}` is read from git, but the current folder is not in a git repository")
            .tip("compare two folders with `portolan diff OLD_DIR NEW_DIR`"));
    }
    let spec = format!("{revision}^{{commit}}");
    let found = git(&["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])?;
    let id = String::from_utf8_lossy(&found.stdout).trim().to_string();
    if !found.status.success() || id.is_empty() {
        return Err(error!("`{revision}` is neither a folder nor a revision of this repository")
            .tip("name a branch, a tag or a commit (`main`, `HEAD~1`), or a folder that exists"));
    }
    Ok(id)
}

/// `path` as git and the loader both write it: no `./` in front, no `/` behind; `.` for the
/// current folder.
fn normal(path: &Path) -> PathBuf {
    let parts: Vec<_> =
        path.components().filter(|c| !matches!(c, std::path::Component::CurDir)).map(|c| c.as_os_str()).collect();
    if parts.is_empty() { PathBuf::from(".") } else { parts.iter().collect() }
}

/// A blob of the tree: its object id and path (relative to the current folder).
struct Entry {
    id: String,
    path: PathBuf,
}

/// The files under `path` at `commit`, recursively (`git ls-tree -r -z`).
fn list(commit: &str, path: &Path) -> Result<Vec<Entry>> {
    let path_text = path.to_string_lossy();
    let listed = git(&["ls-tree", "-r", "-z", commit, "--", &path_text])?;
    if !listed.status.success() {
        return Err(error!(
            "cannot list `{path_text}` at {commit}: {}",
            String::from_utf8_lossy(&listed.stderr).trim()
        ));
    }
    let mut entries = Vec::new();
    for record in listed.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        // `<mode> SP <type> SP <object> TAB <path>`
        let text = String::from_utf8_lossy(record);
        let Some((meta, file)) = text.split_once('\t') else { continue };
        let mut fields = meta.split(' ');
        let (Some(_mode), Some(kind), Some(id)) = (fields.next(), fields.next(), fields.next()) else { continue };
        if kind == "blob" {
            entries.push(Entry { id: id.to_string(), path: PathBuf::from(file) });
        }
    }
    Ok(entries)
}

/// The contents of blobs, in order, through one `git cat-file --batch`.
fn read(ids: &[&str]) -> Result<Vec<Vec<u8>>> {
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| error!("cannot run `git cat-file`: {e}"))?;
    let input: String = ids.iter().map(|id| format!("{id}\n")).collect();
    let mut stdin = child.stdin.take().ok_or_else(|| error!("cannot write to `git cat-file`"))?;
    // Written on a thread of its own, so that neither side waits on a full pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child.stdout.take().ok_or_else(|| error!("cannot read from `git cat-file`"))?;
    let mut reader = BufReader::new(stdout);
    let mut blobs = Vec::with_capacity(ids.len());
    for id in ids {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(|e| error!("cannot read `git cat-file`: {e}"))?;
        // `<object> SP blob SP <size> LF <contents> LF`
        let size = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse::<usize>().ok())
            .ok_or_else(|| error!("git cannot read object {id}: {}", header.trim()))?;
        let mut bytes = vec![0; size + 1];
        reader.read_exact(&mut bytes).map_err(|e| error!("cannot read `git cat-file`: {e}"))?;
        bytes.pop();
        blobs.push(bytes);
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(blobs)
}

/// The spec at `path` (a folder, or a file and its folder) as it is at `revision`, loaded as
/// `portolan::load` loads one from disk, with the same names of files. An error (exit 2) when
/// there is no repository, no such revision, or nothing at `path` in it.
pub fn load(revision: &str, path: &Path) -> Result<Spec> {
    let commit = commit(revision)?;
    let path = normal(path);
    let mut entries = list(&commit, &path)?;
    if entries.is_empty() {
        return Err(error!("`{}` does not exist at `{revision}`", path.display()));
    }
    // A file: the modules it uses are read from its folder.
    if let [only] = entries.as_slice()
        && only.path == path
        && let Some(parent) = path.parent()
    {
        entries = list(&commit, &normal(parent))?;
    }
    entries.retain(|e| e.path.extension().is_some_and(|x| x == "ptl"));
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let blobs = read(&ids)?;
    let mut system = MemorySystem::new();
    for (entry, bytes) in entries.iter().zip(blobs) {
        // Paths under `.` keep it, as the loader's paths under `.` do.
        let file = if path == Path::new(".") { Path::new(".").join(&entry.path) } else { entry.path.clone() };
        system.insert(file, bytes);
    }
    portolan::load::load(&system, &path, &Limits::DEFAULT).map_err(|e| {
        let cli = CliError::new(format!("at `{revision}`: {}", e.message));
        match e.help {
            Some(tip) => cli.tip(tip),
            None => cli,
        }
    })
}
