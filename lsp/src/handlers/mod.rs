//! One module per group of LSP methods. Each handler is a plain function from a snapshot and the
//! request's parameters to the LSP answer; `crate::server` runs it through `crate::guard`.

pub mod actions;
pub mod completion;
pub mod decorations;
pub mod diagnostics;
pub mod formatting;
pub mod navigation;
pub mod symbols;
