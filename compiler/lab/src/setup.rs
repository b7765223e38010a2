//! Building the lab: checking that it can run, the namespaces and their wiring, each host's
//! rule files loaded with their own load commands (`nft -f`, `iptables-restore`,
//! `ip6tables-restore`), the listeners, opening one chain's policy for a pass, and running the
//! probe scripts inside the namespaces.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use portolan_emit::Output;
use portolan_model::Model;

use crate::netns::{Namespaces, run};
use crate::probe::Listeners;
use crate::topology::Member;
use crate::{LabError, Options, Rules};

pub fn preflight(rules: Rules) -> Result<(), LabError> {
    if !nix::unistd::geteuid().is_root() {
        return Err(LabError::new(
            "the lab needs root: it makes network namespaces and loads firewall rules into them",
            "run it as root, e.g. `sudo portolan lab SPEC`, or in a CI job that runs as root",
        ));
    }
    let mut tools: Vec<(&str, &str, &str)> = vec![("ip", "-V", "iproute2")];
    match rules {
        Rules::Nftables => tools.push(("nft", "--version", "nftables")),
        Rules::Iptables => {
            tools.push(("iptables-restore", "--version", "iptables"));
            tools.push(("ip6tables-restore", "--version", "iptables"));
        }
    }
    for (tool, flag, package) in tools {
        if run(Command::new(tool).arg(flag)).is_err() {
            return Err(LabError::new(
                format!("`{tool}` is not installed, or does not run"),
                format!("install it (Debian and Ubuntu: `apt-get install {package}`)"),
            ));
        }
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chain {
    Input,
    Output,
}

/// A running lab. The listeners stop before the namespaces go (fields drop in order).
pub struct Lab {
    listeners: Option<Listeners>,
    pub namespaces: Namespaces,
    pub paths: Vec<PathBuf>,
    rules: Rules,
    /// Per member: its rule files (relative to `dir`), empty on the internet.
    files: Vec<Vec<PathBuf>>,
    dir: PathBuf,
}

/// Runs `work` for each index below `count` on up to `threads` threads; the first error.
pub fn each<F>(count: usize, threads: usize, work: F) -> Result<(), String>
where
    F: Fn(usize) -> Result<(), String> + Sync,
{
    let next = std::sync::atomic::AtomicUsize::new(0);
    let error: Mutex<Option<String>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, count.max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= count || error.lock().map(|e| e.is_some()).unwrap_or(true) {
                        break;
                    }
                    if let Err(e) = work(i)
                        && let Ok(mut slot) = error.lock()
                    {
                        slot.get_or_insert(e);
                    }
                }
            });
        }
    });
    match error.into_inner() {
        Ok(Some(e)) => Err(e),
        _ => Ok(()),
    }
}

impl Lab {
    pub fn build(members: &[Member], dir: &Path, options: &Options) -> Result<Lab, LabError> {
        let namespaces = Namespaces::new(members.len())?;
        let files: Vec<Vec<PathBuf>> = members
            .iter()
            .map(|m| match (&m.host, options.rules) {
                (None, _) => Vec::new(),
                (Some(stem), Rules::Nftables) => vec![PathBuf::from(format!("nftables/{stem}.nft"))],
                (Some(stem), Rules::Iptables) => {
                    [format!("iptables/{stem}.iptables"), format!("iptables/{stem}.ip6tables")]
                        .into_iter()
                        .map(PathBuf::from)
                        .filter(|p| dir.join(p).exists())
                        .collect()
                }
            })
            .collect();
        let paths = (0..members.len()).map(|i| namespaces.path(i)).collect();
        let mut lab = Lab { listeners: None, namespaces, paths, rules: options.rules, files, dir: dir.to_path_buf() };
        let wire = |i: usize| lab.namespaces.member(i, &members[i].addresses);
        each(members.len(), 4, wire)
            .map_err(|e| LabError::new(format!("cannot build the lab's network: {e}"), "see the message of `ip`"))?;
        let all: Vec<Vec<std::net::IpAddr>> = members.iter().map(|m| m.addresses.clone()).collect();
        let neighbours = |i: usize| lab.namespaces.neighbours(i, &all);
        each(members.len(), 4, neighbours)
            .map_err(|e| LabError::new(format!("cannot build the lab's network: {e}"), "see the message of `ip`"))?;
        lab.namespaces
            .bridge_up()
            .map_err(|e| LabError::new(format!("cannot start the lab's bridge: {e}"), "see the message of `ip`"))?;
        each(members.len(), 4, |i| lab.load(i)).map_err(|e| {
            LabError::new(format!("a rule file does not load: {e}"), "the file is loaded as `portolan build` writes it; check it with `nft -c -f` or `iptables-restore --test`")
        })?;
        let listening = members.iter().enumerate().map(|(i, m)| (lab.paths[i].clone(), m.listeners.clone())).collect();
        lab.listeners = Some(Listeners::start(listening).map_err(|e| {
            LabError::new(format!("cannot start a listener: {e}"), "two inputs of one host on the same port?")
        })?);
        Ok(lab)
    }

    /// Loads member `i`'s rule files with their own load commands.
    fn load(&self, i: usize) -> Result<(), String> {
        for file in &self.files[i] {
            let path = self.dir.join(file);
            let path = path.to_string_lossy();
            let tool = match file.extension().and_then(|e| e.to_str()) {
                Some("nft") => "nft",
                Some("ip6tables") => "ip6tables-restore",
                _ => "iptables-restore",
            };
            let args: Vec<&str> = if tool == "nft" { vec!["-f", &path] } else { vec![&path] };
            self.namespaces.exec(i, tool, &args).map_err(|e| format!("{}: {e}", file.display()))?;
        }
        Ok(())
    }

    /// The rule file and chain name that decide on a chain of member `i`, for messages.
    pub fn chain_of(&self, i: usize, chain: Chain, v6: bool) -> Option<String> {
        let files = self.files.get(i)?;
        let file = match self.rules {
            Rules::Nftables => files.first()?,
            Rules::Iptables => files.iter().find(|f| f.extension().is_some_and(|e| (e == "ip6tables") == v6))?,
        };
        let name = match (self.rules, chain) {
            (Rules::Nftables, Chain::Input) => "input",
            (Rules::Nftables, Chain::Output) => "output",
            (Rules::Iptables, Chain::Input) => "INPUT",
            (Rules::Iptables, Chain::Output) => "OUTPUT",
        };
        Some(format!("the {name} chain of `{}`", file.display()))
    }

    /// Sets a chain's policy of every host to accept (`open`) or back to drop.
    pub fn open(&self, chain: Chain, open: bool) -> Result<(), LabError> {
        let policy = if open { "accept" } else { "drop" };
        each(self.files.len(), 4, |i| {
            for file in &self.files[i] {
                let name = match chain {
                    Chain::Input => "input",
                    Chain::Output => "output",
                };
                match file.extension().and_then(|e| e.to_str()) {
                    Some("nft") => {
                        let args = ["chain", "inet", "portolan", name, "{", "policy", policy, ";", "}"];
                        self.namespaces.exec(i, "nft", &args)?;
                    }
                    ext => {
                        let tool = if ext == Some("ip6tables") { "ip6tables" } else { "iptables" };
                        let args = ["-P", &name.to_ascii_uppercase(), &policy.to_ascii_uppercase()].map(String::from);
                        let args: Vec<&str> = args.iter().map(String::as_str).collect();
                        self.namespaces.exec(i, tool, &args)?;
                    }
                }
            }
            Ok(())
        })
        .map_err(|e| LabError::new(format!("cannot set a chain's policy: {e}"), "see the tool's message"))
    }

    /// The packet counts of every rule of member `i`'s iptables chains (`iptables-save -c`),
    /// by rule text.
    pub fn counters(&self, i: usize, v6: bool) -> BTreeMap<String, u64> {
        let tool = if v6 { "ip6tables-save" } else { "iptables-save" };
        let text = self.namespaces.exec(i, tool, &["-c"]).unwrap_or_default();
        text.lines()
            .filter_map(|line| {
                let rest = line.strip_prefix('[')?;
                let (counts, rule) = rest.split_once("] ")?;
                let packets = counts.split(':').next()?.parse().ok()?;
                Some((rule.to_string(), packets))
            })
            .collect()
    }

    pub fn is_iptables(&self) -> bool {
        self.rules == Rules::Iptables
    }

    /// Runs the probe scripts of up to `options.script_hosts` hosts inside their namespaces,
    /// each destination's addresses given as the lab chose them.
    pub fn scripts(
        &self,
        model: &Model,
        members: &[Member],
        probe_files: &[Output],
        options: &Options,
    ) -> Result<Vec<ScriptRun>, LabError> {
        let variables = portolan_emit::probe_address_variables(model);
        // Each destination's addresses in the lab, of the families the probing member has.
        let env = |from: &Member| -> Vec<String> {
            let mut env: Vec<String> = vec!["PORTOLAN_PROBE_TIMEOUT=0.5".to_string()];
            for (index, node) in model.nodes.iter().enumerate() {
                let Some(variable) = variables.get(&node.name) else { continue };
                let addresses: Vec<String> = members
                    .iter()
                    .filter(|m| m.node == index)
                    .flat_map(|m| &m.addresses)
                    .filter(|a| !from.family(a.is_ipv6()).is_empty())
                    .map(|a| a.to_string())
                    .collect();
                env.push(format!("PORTOLAN_ADDRESS_{variable}={}", addresses.join(" ")));
            }
            env
        };
        // The first member of each host that has a script, spread over the spec when sampled.
        let mut runs: Vec<(usize, String)> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let Some(stem) = &member.host else { continue };
            let script = format!("probes/{stem}.sh");
            if member.replica == 0 && probe_files.iter().any(|f| f.path == Path::new(&script)) {
                runs.push((i, script));
            }
        }
        if runs.len() > options.script_hosts {
            let step = runs.len().div_ceil(options.script_hosts.max(1));
            runs = runs.into_iter().step_by(step).collect();
        }
        let results: Mutex<Vec<Option<ScriptRun>>> = Mutex::new(vec![None; runs.len()]);
        each(runs.len(), 8, |k| {
            let (i, script) = &runs[k];
            let path = self.dir.join(script);
            let output = Command::new("ip")
                .args(["netns", "exec", &self.namespaces.members[*i], "env"])
                .args(env(&members[*i]))
                .arg("sh")
                .arg(&path)
                .output()
                .map_err(|e| format!("cannot run {script}: {e}"))?;
            let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
            let code = output.status.code();
            if !matches!(code, Some(0 | 1)) {
                let stderr = String::from_utf8_lossy(&output.stderr);
                return Err(format!("{script} could not probe (exit {code:?}): {}", stderr.trim()));
            }
            let failures: Vec<String> = stdout.lines().filter(|l| l.starts_with("FAIL")).map(str::to_string).collect();
            let probes = stdout.lines().filter(|l| l.starts_with("ok ") || l.starts_with("FAIL")).count();
            let run = ScriptRun { script: script.clone(), member: *i, probes, failures, passed: code == Some(0) };
            if let Ok(mut results) = results.lock() {
                results[k] = Some(run);
            }
            Ok(())
        })
        .map_err(|e| {
            LabError::new(format!("a probe script cannot run: {e}"), "the scripts need `sh` and `bash` or `nc`")
        })?;
        Ok(results.into_inner().unwrap_or_default().into_iter().flatten().collect())
    }
}

/// What one probe script saw.
#[derive(Clone, Debug)]
pub struct ScriptRun {
    pub script: String,
    pub member: usize,
    pub probes: usize,
    pub failures: Vec<String>,
    pub passed: bool,
}
