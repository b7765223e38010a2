//! The Portolan compiler: an incremental database of source files, name resolution, the checks,
//! the diagnostics and their renderings. No I/O: callers hand it file texts.

pub mod check;
pub mod codes;
pub mod collect;
pub mod db;
pub mod diagnostic;
pub mod eval;
pub mod export;
pub mod facts;
pub mod items;
pub mod load;
pub mod load_problem;
pub mod location;
pub mod net;
pub mod policy;
pub mod problem;
pub mod query;
pub mod render;
pub mod resolve;
pub mod resolved;
pub mod scope;
pub mod stdlib;

pub use codes::Code;
pub use collect::{diagnostics, file_diagnostics};
pub use db::{Database, Db, ExecutionLog, Origin, SourceFile, Workspace};
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Location, Severity};
pub use salsa::Durability;
