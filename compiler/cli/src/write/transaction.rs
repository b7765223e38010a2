//! Carrying out a [`Plan`] as one transaction: every new file is first written in full as a
//! temporary file beside its destination; then each replaced file gets a backup (a hard link,
//! or a rename where the file system has no hard links), the temporary files are renamed into
//! place and the stale files moved aside; then the folders this empties are removed. Any
//! failure undoes every step done, in reverse order, so the folder is as it was. Only when all
//! succeeded are the backups removed. Every file system call goes through [`Fs`], which tests
//! replace to make any one of them fail.

use std::fs::Permissions;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

use crate::error::{Result, error};

use super::plan::Plan;

/// The file system calls a transaction makes: the seam where tests inject failures.
pub trait Fs {
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    /// Creates a file that must not exist yet with `bytes`: with `permissions`, else with the
    /// mode new files get (0666 less the umask). Leaves no file behind when it fails.
    fn create_new(&self, path: &Path, bytes: &[u8], permissions: Option<&Permissions>) -> io::Result<()>;
    fn hard_link(&self, original: &Path, link: &Path) -> io::Result<()>;
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    fn remove_dir(&self, path: &Path) -> io::Result<()>;
    fn set_permissions(&self, path: &Path, permissions: &Permissions) -> io::Result<()>;
}

/// The real file system.
pub struct RealFs;

impl Fs for RealFs {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        std::fs::create_dir(path)
    }

    fn create_new(&self, path: &Path, bytes: &[u8], permissions: Option<&Permissions>) -> io::Result<()> {
        let written = (|| -> io::Result<()> {
            // `OpenOptions` asks for mode 0666, which the umask reduces, as for any new file.
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
            io::Write::write_all(&mut file, bytes)?;
            if let Some(permissions) = permissions {
                file.set_permissions(permissions.clone())?;
            }
            Ok(())
        })();
        if written.as_ref().is_err_and(|e| e.kind() != ErrorKind::AlreadyExists) {
            let _ = std::fs::remove_file(path);
        }
        written
    }

    fn hard_link(&self, original: &Path, link: &Path) -> io::Result<()> {
        std::fs::hard_link(original, link)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir(path)
    }

    fn set_permissions(&self, path: &Path, permissions: &Permissions) -> io::Result<()> {
        std::fs::set_permissions(path, permissions.clone())
    }
}

/// What a transaction did.
#[derive(Debug, Default)]
pub struct Done {
    /// Outputs written (the manifest not counted).
    pub written: usize,
    /// Stale files removed.
    pub removed: usize,
    /// Backups that could not be removed after the build succeeded.
    pub warnings: Vec<String>,
}

/// One step done, and how to undo it.
enum Step {
    /// A folder made: undone by removing it.
    MadeDir(PathBuf),
    /// A temporary file written: removed (if it is still there).
    Temp(PathBuf),
    /// A hard link to a file about to be replaced: removed (if it is still there).
    Linked(PathBuf),
    /// A temporary file renamed over `destination`, whose old file is at `backup`: the backup
    /// is renamed back.
    Replaced { destination: PathBuf, backup: PathBuf },
    /// A file renamed to `backup`: renamed back.
    MovedAside { original: PathBuf, backup: PathBuf },
    /// A temporary file renamed to a destination where there was no file: removed.
    Placed(PathBuf),
    /// An empty folder removed: made again, with its permissions.
    RemovedDir(PathBuf, Permissions),
}

struct Journal<'f> {
    fs: &'f dyn Fs,
    steps: Vec<Step>,
    /// For the names of temporary files and backups.
    next: u64,
}

/// Carries out the plan, or undoes all it did and says why it failed.
pub fn apply(plan: &Plan, fs: &dyn Fs) -> Result<Done> {
    let mut journal = Journal { fs, steps: Vec::new(), next: 0 };
    match run(plan, &mut journal) {
        Ok(done) => Ok(journal.commit(done)),
        Err(error) => {
            let problems = journal.rollback();
            if problems.is_empty() {
                Err(error!("{error}; nothing was changed in `{}`", plan.out.display()))
            } else {
                Err(error!(
                    "{error}; and undoing the build's changes failed, so `{}` is not as it was:\n{}",
                    plan.out.display(),
                    problems.join("\n")
                ))
            }
        }
    }
}

/// Replaces one file with `bytes` in one rename, keeping its permissions: the new text is
/// written in full beside it first, so a crash or a full disk never leaves half a file.
/// `portolan fmt` rewrites files this way.
pub fn replace(path: &Path, bytes: &[u8], fs: &dyn Fs) -> io::Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let mut journal = Journal { fs, steps: Vec::new(), next: 0 };
    let temp = journal.fresh(folder, "tmp", |temp| fs.create_new(temp, bytes, permissions.as_ref()))?;
    fs.rename(&temp, path).inspect_err(|_| {
        let _ = fs.remove_file(&temp);
    })
}

fn run(plan: &Plan, journal: &mut Journal<'_>) -> std::result::Result<Done, String> {
    let fs = journal.fs;
    for folder in &plan.new_folders {
        fs.create_dir(folder).map_err(|e| format!("cannot create the folder `{}`: {e}", folder.display()))?;
        journal.steps.push(Step::MadeDir(folder.clone()));
    }
    // Every file in full first: most failures (no space, no permission) happen here.
    let mut staged = Vec::new();
    for write in &plan.writes {
        let destination = plan.out.join(&write.path);
        let folder = destination.parent().unwrap_or(&plan.out);
        let permissions = write.old.as_ref().map(|old| &old.permissions);
        let temp = journal.fresh(folder, "tmp", |temp| fs.create_new(temp, &write.bytes, permissions));
        let temp = temp.map_err(|e| format!("cannot write `{}`: {e}", destination.display()))?;
        journal.steps.push(Step::Temp(temp.clone()));
        staged.push((temp, destination, write.old.is_some()));
    }
    for (temp, destination, replaces) in staged {
        let cannot = |e: io::Error| format!("cannot write `{}`: {e}", destination.display());
        let folder = destination.parent().unwrap_or(&plan.out);
        if !replaces {
            // `rename` replaces what is there: a file that appeared since the plan is kept.
            if std::fs::symlink_metadata(&destination).is_ok() {
                return Err(format!("cannot write `{}`: something appeared there meanwhile", destination.display()));
            }
            fs.rename(&temp, &destination).map_err(cannot)?;
            journal.steps.push(Step::Placed(destination));
            continue;
        }
        // A hard link keeps the old file while the new one replaces it in one rename.
        if let Ok(backup) = journal.fresh(folder, "old", |backup| fs.hard_link(&destination, backup)) {
            journal.steps.push(Step::Linked(backup.clone()));
            fs.rename(&temp, &destination).map_err(cannot)?;
            journal.steps.push(Step::Replaced { destination, backup });
        } else {
            let backup = journal.move_aside(&destination, folder).map_err(cannot)?;
            journal.steps.push(Step::MovedAside { original: destination.clone(), backup });
            fs.rename(&temp, &destination).map_err(cannot)?;
            journal.steps.push(Step::Placed(destination));
        }
    }
    for stale in &plan.stale {
        let path = plan.out.join(&stale.path);
        // Into `out` itself, so that the folder it leaves can be removed.
        let backup =
            journal.move_aside(&path, &plan.out).map_err(|e| format!("cannot remove `{}`: {e}", path.display()))?;
        journal.steps.push(Step::MovedAside { original: path, backup });
    }
    for folder in &plan.empty_folders {
        let path = plan.out.join(folder);
        let cannot = |e: io::Error| format!("cannot remove the folder `{}`: {e}", path.display());
        let permissions = std::fs::metadata(&path).map_err(cannot)?.permissions();
        fs.remove_dir(&path).map_err(cannot)?;
        journal.steps.push(Step::RemovedDir(path, permissions));
    }
    Ok(Done {
        written: plan.writes.iter().filter(|w| !w.manifest).count(),
        removed: plan.stale.len(),
        warnings: vec![],
    })
}

impl Journal<'_> {
    /// Runs `make` on a free name in `folder` (`.portolan-PID-N.EXTENSION`), trying the next
    /// name while one is taken; the name it succeeded with.
    fn fresh(
        &mut self,
        folder: &Path,
        extension: &str,
        mut make: impl FnMut(&Path) -> io::Result<()>,
    ) -> io::Result<PathBuf> {
        let mut tries = 0;
        loop {
            let path = folder.join(format!(".portolan-{}-{}.{extension}", std::process::id(), self.next));
            self.next += 1;
            tries += 1;
            match make(&path) {
                Err(e) if e.kind() == ErrorKind::AlreadyExists && tries < 1000 => continue,
                Err(e) => return Err(e),
                Ok(()) => return Ok(path),
            }
        }
    }

    /// Renames the file `path` to a free backup name in `folder`.
    fn move_aside(&mut self, path: &Path, folder: &Path) -> io::Result<PathBuf> {
        let fs = self.fs;
        if std::fs::symlink_metadata(path)?.is_dir() {
            return Err(io::Error::new(ErrorKind::IsADirectory, "a folder is in the way"));
        }
        self.fresh(folder, "old", |backup| {
            // `rename` replaces what is there: take only a name nothing has.
            if std::fs::symlink_metadata(backup).is_ok() {
                return Err(io::Error::from(ErrorKind::AlreadyExists));
            }
            fs.rename(path, backup)
        })
    }

    /// Undoes every step, last first; what could not be undone.
    fn rollback(self) -> Vec<String> {
        let fs = self.fs;
        let gone = |result: io::Result<()>| match result {
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            other => other,
        };
        let mut problems = Vec::new();
        for step in self.steps.into_iter().rev() {
            let (result, what) = match step {
                Step::MadeDir(path) => (fs.remove_dir(&path), format!("remove the folder `{}`", path.display())),
                Step::Temp(path) | Step::Linked(path) => {
                    (gone(fs.remove_file(&path)), format!("remove `{}`", path.display()))
                }
                Step::Replaced { destination, backup } | Step::MovedAside { original: destination, backup } => (
                    fs.rename(&backup, &destination),
                    format!("put `{}` back from `{}`", destination.display(), backup.display()),
                ),
                Step::Placed(path) => (fs.remove_file(&path), format!("remove `{}`", path.display())),
                Step::RemovedDir(path, permissions) => (
                    fs.create_dir(&path).and_then(|()| fs.set_permissions(&path, &permissions)),
                    format!("make the folder `{}` again", path.display()),
                ),
            };
            if let Err(e) = result {
                problems.push(format!("  cannot {what}: {e}"));
            }
        }
        problems
    }

    /// Removes the backups: the build is done.
    fn commit(self, mut done: Done) -> Done {
        for step in &self.steps {
            if let Step::Replaced { backup, .. } | Step::MovedAside { backup, .. } = step
                && let Err(e) = self.fs.remove_file(backup)
            {
                done.warnings.push(format!("cannot remove `{}`, the old file's backup: {e}", backup.display()));
            }
        }
        done
    }
}
