//! `portolan explain CODE`: the long explanation of a diagnostic code.

use std::process::ExitCode;

use crate::error::{Result, error};
use clap::Args;
use portolan::Code;

#[derive(Args)]
pub struct ExplainArgs {
    /// A code (`P201`) or its name (`unmatched-output`); without one, lists every code.
    pub code: Option<String>,
}

pub fn run(args: &ExplainArgs) -> Result<ExitCode> {
    match &args.code {
        None => {
            for code in Code::ALL {
                println!("{}  {:<24} {:<8} {}", code.as_str(), code.slug(), code.severity().as_str(), code.summary());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(text) => match Code::parse(text) {
            Some(code) => {
                print!("{}", code.explain());
                Ok(ExitCode::SUCCESS)
            }
            None => Err(error!("no diagnostic code `{text}`").tip("`portolan explain` lists every code")),
        },
    }
}
