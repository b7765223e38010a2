//! The lab's namespaces: made with `ip netns add`, wired with `ip -n NS` (a veth pair made
//! inside each member's namespace, its peer in the bridge's namespace), deleted when the
//! [`Namespaces`] guard drops — on success, on an error, on a panic — or by [`cleanup_all`] on
//! Ctrl-C. Every command names a namespace the lab made: nothing is added to the namespace the
//! lab runs in.

use std::io::Write as _;
use std::net::IpAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::LabError;

/// The namespaces of every lab of this process still alive, for the Ctrl-C handler.
static LIVE: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Labs made by this process: with the process id, what keeps two labs' names apart.
static RUNS: AtomicUsize = AtomicUsize::new(0);

/// Deletes every namespace of every lab of this process that is still alive.
pub fn cleanup_all() {
    let names: Vec<String> = LIVE.lock().map(|mut live| std::mem::take(&mut *live)).unwrap_or_default();
    delete(&names);
}

fn delete(names: &[String]) {
    if names.is_empty() {
        return;
    }
    let batch: String = names.iter().map(|n| format!("netns delete {n}\n")).collect();
    let _ = run_input(Command::new("ip").args(["-force", "-batch", "-"]), &batch);
}

/// Runs a command; its standard output, or what it printed on failure.
pub fn run(command: &mut Command) -> Result<String, String> {
    run_input(command, "")
}

pub fn run_input(command: &mut Command, input: &str) -> Result<String, String> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{:?}`: {e}", command.get_program()))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!(
            "{:?} {:?}: {}{}",
            command.get_program(),
            command.get_args().collect::<Vec<_>>(),
            stderr.trim(),
            stdout.trim()
        ))
    }
}

/// The namespaces of one lab: a bridge's and one per member.
pub struct Namespaces {
    pub bridge: String,
    pub members: Vec<String>,
}

impl Namespaces {
    /// Makes the bridge's namespace and the bridge in it.
    pub fn new(count: usize) -> Result<Namespaces, LabError> {
        let run_id = RUNS.fetch_add(1, Ordering::Relaxed);
        let prefix = format!("ptl{}-{run_id}", std::process::id());
        let bridge = format!("{prefix}-br");
        let members = (0..count).map(|i| format!("{prefix}-{i}")).collect();
        let lab = Namespaces { bridge: bridge.clone(), members };
        lab.add(&bridge).map_err(|e| {
            LabError::new(
                format!("network namespaces are unavailable: {e}"),
                "run the lab as root on Linux, where `ip netns add` works (in CI: a job with root)",
            )
        })?;
        run(Command::new("ip").args(["-n", &bridge, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"]))
            .map_err(|e| {
                LabError::new(format!("cannot make the lab's bridge: {e}"), "check that the bridge module is available")
            })?;
        Ok(lab)
    }

    fn add(&self, name: &str) -> Result<(), String> {
        if let Ok(mut live) = LIVE.lock() {
            live.push(name.to_string());
        }
        run(Command::new("ip").args(["netns", "add", name])).map(drop)
    }

    /// Makes member `index`'s namespace: loopback up, `eth0` with its addresses on the bridge,
    /// a default route on the link for each family; no ICMP rate limit, so that each refused
    /// UDP probe is told.
    pub fn member(&self, index: usize, addresses: &[IpAddr]) -> Result<(), String> {
        let name = &self.members[index];
        self.add(name)?;
        let peer = format!("p{index}");
        let mac = mac(index);
        let mut batch =
            format!("link set lo up\nlink add eth0 address {mac} type veth peer name {peer} netns {}\n", self.bridge);
        for addr in addresses {
            match addr {
                IpAddr::V4(a) => batch.push_str(&format!("address add {a}/32 dev eth0\n")),
                IpAddr::V6(a) => batch.push_str(&format!("address add {a}/128 dev eth0 nodad\n")),
            }
        }
        batch.push_str("link set eth0 up\nroute add 0.0.0.0/0 dev eth0\nroute add ::/0 dev eth0\n");
        run_input(Command::new("ip").args(["-n", name, "-batch", "-"]), &batch)?;
        run(Command::new("ip").args(["-n", &self.bridge, "link", "set", &peer, "master", "br0", "up"]))?;
        // Through `sh` rather than `sysctl`, which a minimal system may lack.
        let limits = "echo 0 > /proc/sys/net/ipv4/icmp_ratelimit && echo 0 > /proc/sys/net/ipv6/icmp/ratelimit";
        run(Command::new("ip").args(["netns", "exec", name, "sh", "-c", limits])).map(drop)
    }

    /// Gives member `index` a permanent neighbour entry for every other member's address. The
    /// kernel's neighbour tables are shared by all namespaces and hold about a thousand learnt
    /// entries (`gc_thresh3`): a lab of many members would overflow them (and drop packets)
    /// if each learnt its neighbours by ARP and neighbour discovery; permanent entries do not
    /// count, and the lab changes no setting of the system.
    pub fn neighbours(&self, index: usize, all: &[Vec<IpAddr>]) -> Result<(), String> {
        let mut batch = String::new();
        for (other, addresses) in all.iter().enumerate().filter(|(o, _)| *o != index) {
            let mac = mac(other);
            for addr in addresses {
                batch.push_str(&format!("neigh replace {addr} lladdr {mac} dev eth0 nud permanent\n"));
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        run_input(Command::new("ip").args(["-n", &self.members[index], "-batch", "-"]), &batch).map(drop)
    }

    pub fn bridge_up(&self) -> Result<(), String> {
        run(Command::new("ip").args(["-n", &self.bridge, "link", "set", "br0", "up"])).map(drop)
    }

    /// `ip netns exec NS program args...`
    pub fn exec(&self, index: usize, program: &str, args: &[&str]) -> Result<String, String> {
        run(Command::new("ip").args(["netns", "exec", &self.members[index], program]).args(args))
    }

    pub fn path(&self, index: usize) -> std::path::PathBuf {
        Path::new("/run/netns").join(&self.members[index])
    }
}

/// Member `index`'s MAC address: locally administered, unique in the lab.
fn mac(index: usize) -> String {
    let b = (index as u32).to_be_bytes();
    format!("02:70:{:02x}:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2], b[3])
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        let names: Vec<String> = self.members.iter().chain([&self.bridge]).cloned().collect();
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|n| !names.contains(n));
        }
        let existing: Vec<String> = names.into_iter().filter(|n| Path::new("/run/netns").join(n).exists()).collect();
        delete(&existing);
    }
}
