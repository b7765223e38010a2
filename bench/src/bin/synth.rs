//! `synth`: writes a synthetic spec of a given size into a folder.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use portolan_bench::{Size, generate};

/// Write a synthetic Portolan spec: `synth --flows 100000 --files 100 --out /tmp/spec`.
#[derive(Parser)]
struct Args {
    /// Flows in all.
    #[arg(long, default_value_t = 10_000)]
    flows: usize,
    /// Files the flows are spread over.
    #[arg(long, default_value_t = 100)]
    files: usize,
    /// The folder to write; created if missing.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    for (path, text) in generate(Size { flows: args.flows, files: args.files }) {
        let target = args.out.join(path);
        let written =
            target.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&target, text));
        if let Err(err) = written {
            eprintln!("cannot write {}: {err}", target.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
