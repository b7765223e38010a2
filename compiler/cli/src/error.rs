//! The command's own errors — what stops it outside a spec (a missing path, an unwritable folder)
//! — printed in the one style clap prints a usage error in: `error: what`, then `tip: what to do`.

use std::fmt;
use std::io::IsTerminal;

/// An error that stops a command (exit 2).
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub tip: Option<String>,
}

pub type Result<T> = std::result::Result<T, CliError>;

impl CliError {
    pub fn new(message: impl Into<String>) -> CliError {
        CliError { message: message.into(), tip: None }
    }

    pub fn tip(mut self, tip: impl Into<String>) -> CliError {
        self.tip = Some(tip.into());
        self
    }

    /// Writes the error to standard error, coloured as clap colours its own when standard error
    /// is a terminal and `NO_COLOR` is not set.
    pub fn print(&self) {
        let color = std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal();
        eprint!("{}", self.render(color));
    }

    fn render(&self, color: bool) -> String {
        let (error, tip, reset) = if color { ("\x1b[1;31m", "\x1b[32m", "\x1b[0m") } else { ("", "", "") };
        let mut text = format!("{error}error:{reset} {}\n", self.message);
        if let Some(hint) = &self.tip {
            text.push_str(&format!("\n  {tip}tip:{reset} {hint}\n"));
        }
        text
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// `error!("cannot read `{}`", path)`: a [`CliError`] from a format string.
macro_rules! error {
    ($($arg:tt)*) => { $crate::error::CliError::new(format!($($arg)*)) };
}
pub(crate) use error;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_print_as_clap_prints_its_own() {
        let plain = CliError::new("no diagnostic code `P999`").tip("`portolan explain` lists every code");
        assert_eq!(
            plain.render(false),
            "error: no diagnostic code `P999`\n\n  tip: `portolan explain` lists every code\n"
        );
        assert_eq!(CliError::new("x").render(true), "\x1b[1;31merror:\x1b[0m x\n");
    }
}
