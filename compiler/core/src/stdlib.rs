//! The standard library, embedded in the binary so that `use std.proto` works from any folder.

include!(concat!(env!("OUT_DIR"), "/stdlib_files.rs"));

/// What the display path of every standard-library file starts with.
pub const PATH_PREFIX: &str = "<stdlib>/";

/// The module that every file can use without a `use`: the well-known protocols.
pub const PRELUDE: &str = "std.proto";

/// True when a module path belongs to the standard library's namespace.
pub fn is_stdlib_module(module: &str) -> bool {
    let root = module.split('.').next().unwrap_or("");
    root == "std" || root == "vendor"
}

/// The text of a standard-library file by its path under `stdlib/`.
pub fn source(relative: &str) -> Option<&'static str> {
    FILES.iter().find(|(path, _)| *path == relative).map(|(_, text)| *text)
}
