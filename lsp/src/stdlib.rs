//! How the standard library's sources reach the editor: written once, read-only, to a cache
//! folder (`$XDG_CACHE_HOME/portolan/stdlib-<version>/`, else `~/.cache/...`, else the temporary
//! folder) and named by `file://` URIs there, so that any editor opens them without help.

use std::path::{Path, PathBuf};

use portolan::stdlib;
use tower_lsp_server::ls_types::Uri;

/// The folder holding the standard library's sources for the editor.
#[derive(Clone, Debug)]
pub struct StdlibDir {
    root: Option<PathBuf>,
}

impl StdlibDir {
    /// The default folder for this version.
    pub fn default_root() -> PathBuf {
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir);
        cache.join("portolan").join(format!("stdlib-{}", env!("CARGO_PKG_VERSION")))
    }

    /// Writes the sources under `root` (those already there with the same text are kept). When
    /// that fails the standard library has no URIs: definitions in it are not offered.
    pub fn install(root: PathBuf) -> StdlibDir {
        let mut ok = true;
        for (relative, text) in stdlib::FILES {
            ok &= write_read_only(&root.join(relative), text).is_ok();
        }
        StdlibDir { root: ok.then(|| absolute(&root)) }
    }

    /// The URI of a standard-library file, from its display path `<stdlib>/std/proto.ptl`.
    pub fn uri(&self, display_path: &str) -> Option<Uri> {
        let relative = display_path.strip_prefix(stdlib::PATH_PREFIX)?;
        Uri::from_file_path(self.root.as_ref()?.join(relative))
    }

    /// The display path of the standard-library file at `path`, if it is one.
    pub fn display_path(&self, path: &Path) -> Option<String> {
        let relative = path.strip_prefix(self.root.as_ref()?).ok()?;
        let relative = relative.to_string_lossy().replace('\\', "/");
        stdlib::source(&relative)?;
        Some(format!("{}{relative}", stdlib::PATH_PREFIX))
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn write_read_only(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if let Ok(metadata) = std::fs::metadata(path) {
        let mut permissions = metadata.permissions();
        #[allow(clippy::permissions_set_readonly_false)] // the file is ours: rewritten, then read-only again
        permissions.set_readonly(false);
        std::fs::set_permissions(path, permissions)?;
    }
    std::fs::write(path, text)?;
    let mut permissions = std::fs::metadata(path)?.permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(path, permissions)
}
