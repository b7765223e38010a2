//! `synth`: writes a synthetic spec of a given size into a folder.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use portolan_bench::{Policy, SERVICE_ZONES, Size, generate};

/// Write a synthetic Portolan spec: `synth --flows 100000 --files 100 --out /tmp/spec`.
#[derive(Parser)]
struct Args {
    /// Flows in all.
    #[arg(long, default_value_t = 10_000)]
    flows: usize,
    /// Files the flows are spread over.
    #[arg(long, default_value_t = 100)]
    files: usize,
    /// Zones holding services (at most 250).
    #[arg(long, default_value_t = SERVICE_ZONES)]
    zones: usize,
    /// The policy: `estate` (a few broad rules), `one-rule`, or `per-zone-pair`.
    #[arg(long, default_value = "estate", value_parser = ["estate", "one-rule", "per-zone-pair"])]
    policy: String,
    /// The folder to write; created if missing.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let policy = match args.policy.as_str() {
        "one-rule" => Policy::OneRule,
        "per-zone-pair" => Policy::PerZonePair,
        _ => Policy::Estate,
    };
    for (path, text) in generate(Size { flows: args.flows, files: args.files, zones: args.zones, policy }) {
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
