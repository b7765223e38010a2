//! Reads a spec from disk with the core's loader (`portolan::load`), the one every entry point
//! uses: the same files, skip rules, limits and diagnostics as the language server.

use std::path::Path;

use portolan::load::{Limits, OsSystem, Spec};

use crate::error::{CliError, Result};

/// Loads the spec at `path`: every `.ptl` file under a folder, or one file and the modules it
/// uses from its spec's root. An error when there is nothing to load (exit 2).
pub fn load(path: &Path) -> Result<Spec> {
    portolan::load::load(&OsSystem, path, &Limits::DEFAULT).map_err(|error| {
        let cli = CliError::new(error.message);
        match error.help {
            Some(tip) => cli.tip(tip),
            None => cli,
        }
    })
}
