//! `portolan lab`: a spec's rules proven on a real kernel. One network namespace per host (and
//! per replica, and for the internet), joined by a bridge in a namespace of its own; each host's
//! rule files loaded as `portolan build` writes them; a listener on every input port; then every
//! hop probed, and what must not get through probed too, in three passes (the rules as written,
//! each host's input chains alone, its output chains alone, so that one chain's mistake is not
//! hidden by the other side's); the probe scripts of `--emit probes` run inside the namespaces.
//!
//! The lab never touches the namespace it runs in: every command names a namespace it made,
//! every socket is opened by a thread that entered one, and every namespace is deleted when the
//! lab ends, however it ends ([`netns::Namespaces`]'s drop, [`cleanup`] for Ctrl-C).

mod expect;
mod explain;
mod net;
mod netns;
mod probe;
mod report;
mod setup;
mod topology;

use std::time::{Duration, Instant};

use portolan_emit::{Output, Target};
use portolan_model::Model;

pub use crate::report::Report;

/// Which rule files the lab loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rules {
    Nftables,
    Iptables,
}

impl Rules {
    pub fn name(self) -> &'static str {
        match self {
            Rules::Nftables => "nftables",
            Rules::Iptables => "iptables",
        }
    }

    pub fn target(self) -> Target {
        match self {
            Rules::Nftables => Target::Nftables,
            Rules::Iptables => Target::Iptables,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    pub rules: Rules,
    /// How long a probe waits before it counts as dropped; a probe that does not match is
    /// tried again with [`Options::retry_timeout`] before it counts as a mismatch.
    pub probe_timeout: Duration,
    pub retry_timeout: Duration,
    /// Probes in flight at once.
    pub parallel: usize,
    /// The lab gives up (and cleans up) after this long.
    pub deadline: Duration,
    /// At most this many hosts run their probe script (spread over the spec).
    pub script_hosts: usize,
    /// Say on stderr what the lab is doing, phase by phase, with the time taken.
    pub progress: bool,
}

impl Options {
    pub fn new(rules: Rules) -> Options {
        Options {
            rules,
            probe_timeout: Duration::from_millis(300),
            retry_timeout: Duration::from_millis(1500),
            parallel: 96,
            deadline: Duration::from_secs(600),
            script_hosts: 24,
            progress: false,
        }
    }
}

/// Why the lab could not run (exit 2): what is missing, and how to run it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabError {
    pub message: String,
    pub tip: String,
}

impl LabError {
    pub fn new(message: impl Into<String>, tip: impl Into<String>) -> LabError {
        LabError { message: message.into(), tip: tip.into() }
    }
}

impl std::fmt::Display for LabError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.tip)
    }
}

/// Deletes the namespaces of every lab still running in this process: for a Ctrl-C handler.
pub fn cleanup() {
    netns::cleanup_all();
}

/// Whether the lab can run here, and if not why: root, the tools, namespaces.
pub fn preflight(rules: Rules) -> Result<(), LabError> {
    setup::preflight(rules)
}

/// Builds the spec's rule files and probe scripts, then runs the lab.
pub fn run(model: &Model, options: &Options) -> Result<Report, LabError> {
    let emit = |target: Target| {
        portolan_emit::emit(model, target).map_err(|e| {
            LabError::new(
                format!("cannot build `{}`: {e}", target.name()),
                "fix the spec so that `portolan build` works",
            )
        })
    };
    let rules = emit(options.rules.target())?;
    let probes = emit(Target::Probes)?;
    run_with_files(model, &rules, &probes, options)
}

/// Runs the lab with the given rule files (paths as `portolan build` writes them, such as
/// `nftables/web.nft`) and probe scripts: what a test uses to load rules it has changed.
pub fn run_with_files(
    model: &Model,
    rule_files: &[Output],
    probe_files: &[Output],
    options: &Options,
) -> Result<Report, LabError> {
    let started = Instant::now();
    let say = |what: &str| {
        if options.progress {
            eprintln!("lab: {what} ({:.1} s)", started.elapsed().as_secs_f64());
        }
    };
    setup::preflight(options.rules)?;
    let stems = portolan_emit::host_file_stems(model);
    let members = topology::members(model, &stems)?;
    let dir = tempfile::tempdir().map_err(|e| LabError::new(format!("cannot make a folder: {e}"), "check TMPDIR"))?;
    for file in rule_files.iter().chain(probe_files) {
        let path = dir.path().join(&file.path);
        let written =
            path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, &file.text));
        written.map_err(|e| LabError::new(format!("cannot write {}: {e}", path.display()), "check TMPDIR"))?;
    }
    say(&format!("{} namespaces to build", members.len() + 1));
    let lab = setup::Lab::build(&members, dir.path(), options)?;
    say("namespaces built, rules loaded, listeners up");
    let check_deadline = || {
        if started.elapsed() > options.deadline {
            Err(LabError::new(
                format!("the lab took longer than {} s and was stopped", options.deadline.as_secs()),
                "a larger spec needs a longer deadline",
            ))
        } else {
            Ok(())
        }
    };
    check_deadline()?;
    let oracle = expect::Oracle::new(model);
    let probes = expect::probes(model, &members);
    let mut runs = explain::Runs::default();
    let all: Vec<usize> = (0..probes.len()).collect();
    say(&format!("{} probes planned", probes.len()));
    runs.pass(&lab, &oracle, &members, &probes, expect::Pass::AsWritten, &all, options)?;
    say(&format!("probed the rules as written ({} mismatches)", runs.mismatches.len()));
    check_deadline()?;
    let scripts = lab.scripts(model, &members, probe_files, options)?;
    say("probe scripts run");
    check_deadline()?;
    // Each side alone: what the rules as written blocked, and every mismatch.
    let again: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| oracle.expect(&members, &probes[i], expect::Pass::AsWritten).blocked() || runs.mismatched(i))
        .collect();
    let of_host = |i: &usize, to: bool| {
        let probe = &probes[*i];
        let member = if to { probe.to } else { probe.from };
        members[member].host.is_some() && !probe.local
    };
    let inputs: Vec<usize> = again.iter().copied().filter(|i| of_host(i, true)).collect();
    lab.open(setup::Chain::Output, true)?;
    runs.pass(&lab, &oracle, &members, &probes, expect::Pass::InputsOnly, &inputs, options)?;
    lab.open(setup::Chain::Output, false)?;
    say(&format!("probed the input chains alone ({} mismatches)", runs.mismatches.len()));
    check_deadline()?;
    let outputs: Vec<usize> = again.iter().copied().filter(|i| of_host(i, false)).collect();
    lab.open(setup::Chain::Input, true)?;
    runs.pass(&lab, &oracle, &members, &probes, expect::Pass::OutputsOnly, &outputs, options)?;
    lab.open(setup::Chain::Input, false)?;
    say(&format!("probed the output chains alone ({} mismatches)", runs.mismatches.len()));
    let namespaces = members.len();
    runs.explain(&lab, model, &members, &probes);
    drop(lab);
    Ok(report::Report::new(model, &members, &probes, &runs, scripts, options, namespaces, started.elapsed()))
}
