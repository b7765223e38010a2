//! The one diagnostic type: a code, a severity, a message, labelled locations (possibly in
//! several files), notes, help and suggested fixes. Checks build it; renderers, the CLI and the
//! language server only read it.

use crate::codes::Code;
pub use crate::codes::Severity;
use crate::db::Db;
pub use crate::location::Location;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub location: Location,
    pub message: String,
    pub primary: bool,
}

/// A suggested change: what a language server offers as a quick fix.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// Whether applying a fix as it is resolves its diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Applicability {
    /// Applying the edits makes the diagnostic go away (a test applies every such fix of every
    /// fixture and checks again).
    MachineApplicable,
    /// The edits insert a placeholder such as `<port>` for the user to fill in: a template, not
    /// yet a valid spec.
    HasPlaceholders,
}

impl Applicability {
    /// The name `--format json` writes: `machine-applicable`, `has-placeholders`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::MachineApplicable => "machine-applicable",
            Applicability::HasPlaceholders => "has-placeholders",
        }
    }
}

/// Replace the text at `location` with `text` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub location: Location,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The primary label comes first.
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and no labels yet.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            fixes: Vec::new(),
        }
    }

    pub fn primary(mut self, location: Location, message: impl Into<String>) -> Diagnostic {
        self.labels.insert(0, Label { location, message: message.into(), primary: true });
        self
    }

    pub fn secondary(mut self, location: Location, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label { location, message: message.into(), primary: false });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// A fix that resolves this diagnostic once applied.
    pub fn fix(mut self, title: impl Into<String>, edits: Vec<Edit>) -> Diagnostic {
        self.fixes.push(Fix { title: title.into(), edits, applicability: Applicability::MachineApplicable });
        self
    }

    /// A fix whose edits hold a placeholder (`<port>`) the user still has to fill in.
    pub fn template(mut self, title: impl Into<String>, edits: Vec<Edit>) -> Diagnostic {
        self.fixes.push(Fix { title: title.into(), edits, applicability: Applicability::HasPlaceholders });
        self
    }

    /// The primary label's location.
    pub fn location(&self) -> Option<&Location> {
        self.labels.iter().find(|l| l.primary).or(self.labels.first()).map(|l| &l.location)
    }

    /// This diagnostic with every location counted from the start of its file.
    pub fn absolute(&self, db: &dyn Db) -> Diagnostic {
        let mut out = self.clone();
        for label in &mut out.labels {
            label.location = label.location.absolute(db);
        }
        for fix in &mut out.fixes {
            for edit in &mut fix.edits {
                // Appending to a file whose last line has no newline starts a new line first.
                let text = edit.location.file.text(db);
                if edit.location.is_end_of_file() && !text.is_empty() && !text.ends_with('\n') {
                    edit.text.insert(0, '\n');
                }
                edit.location = edit.location.absolute(db);
            }
        }
        out
    }
}
