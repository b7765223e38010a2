//! Reads a spec from disk with the core's loader (`portolan::load`), the one every entry point
//! uses: the same files, skip rules, limits and diagnostics as the language server.

use std::path::Path;

use miette::{Result, miette};
use portolan::load::{Limits, OsSystem, Spec};

/// Loads the spec at `path`: every `.ptl` file under a folder, or one file and the modules it
/// uses from its spec's root. An error when there is nothing to load (exit 2).
pub fn load(path: &Path) -> Result<Spec> {
    portolan::load::load(&OsSystem, path, &Limits::DEFAULT).map_err(|error| match error.help {
        Some(help) => miette!(help = help, "{}", error.message),
        None => miette!("{}", error.message),
    })
}
