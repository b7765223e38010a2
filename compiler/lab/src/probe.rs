//! Listeners and probes inside the lab's namespaces, on threads: a thread enters a namespace
//! with `setns(2)` (only that thread moves; the process and every other thread stay where they
//! are), and the sockets it opens there belong to that namespace for good. One listener thread
//! per member polls its sockets (TCP: accept and close; UDP: answer each datagram); probes run
//! on a bounded pool of threads, each entering the namespace of the probe's source.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sched::{CloneFlags, setns};
use portolan_model::ports::Transport;

use crate::expect::{Outcome, Probe};

/// Moves the calling thread into the namespace at `path`.
fn enter(path: &PathBuf) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    setns(file.as_fd(), CloneFlags::CLONE_NEWNET).map_err(|e| format!("cannot enter {}: {e}", path.display()))
}

enum Socket {
    Tcp(TcpListener),
    Udp(UdpSocket),
}

/// Every member's listeners; they stop and close when this drops.
pub struct Listeners {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Listeners {
    /// Starts a listener thread per namespace and waits until each listens.
    pub fn start(members: Vec<(PathBuf, BTreeSet<(Transport, u16)>)>) -> Result<Listeners, String> {
        let stop = Arc::new(AtomicBool::new(false));
        let mut listeners = Listeners { stop: stop.clone(), threads: Vec::new() };
        let (ready, ready_rx) = mpsc::channel::<Result<(), String>>();
        let count = members.len();
        for (path, ports) in members {
            let (stop, ready) = (stop.clone(), ready.clone());
            let thread = std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || listen(&path, &ports, &stop, &ready))
                .map_err(|e| format!("cannot start a listener thread: {e}"))?;
            listeners.threads.push(thread);
        }
        for _ in 0..count {
            ready_rx.recv().map_err(|e| e.to_string())??;
        }
        Ok(listeners)
    }
}

impl Drop for Listeners {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn bind(ports: &BTreeSet<(Transport, u16)>) -> Result<Vec<Socket>, String> {
    let mut sockets = Vec::new();
    for &(transport, port) in ports {
        // `[::]` takes IPv4 too (as mapped addresses): one socket per port for both families.
        let addr = SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port);
        let socket = match transport {
            Transport::Tcp => TcpListener::bind(addr).map(Socket::Tcp),
            Transport::Udp => UdpSocket::bind(addr).map(Socket::Udp),
        }
        .map_err(|e| format!("cannot listen on {}/{port}: {e}", transport.as_str()))?;
        match &socket {
            Socket::Tcp(s) => s.set_nonblocking(true),
            Socket::Udp(s) => s.set_nonblocking(true),
        }
        .map_err(|e| e.to_string())?;
        sockets.push(socket);
    }
    Ok(sockets)
}

fn listen(
    path: &PathBuf,
    ports: &BTreeSet<(Transport, u16)>,
    stop: &AtomicBool,
    ready: &mpsc::Sender<Result<(), String>>,
) {
    let sockets = match enter(path).and_then(|()| bind(ports)) {
        Ok(sockets) => sockets,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    let mut buffer = [0u8; 512];
    while !stop.load(Ordering::Relaxed) {
        let mut fds: Vec<PollFd<'_>> = sockets
            .iter()
            .map(|s| match s {
                Socket::Tcp(l) => PollFd::new(l.as_fd(), PollFlags::POLLIN),
                Socket::Udp(u) => PollFd::new(u.as_fd(), PollFlags::POLLIN),
            })
            .collect();
        if fds.is_empty() {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        }
        if poll(&mut fds, PollTimeout::from(50u16)).unwrap_or(0) <= 0 {
            continue;
        }
        let ready: Vec<bool> =
            fds.iter().map(|fd| fd.revents().is_some_and(|r| r.contains(PollFlags::POLLIN))).collect();
        drop(fds);
        for (socket, _) in sockets.iter().zip(ready).filter(|(_, r)| *r) {
            match socket {
                Socket::Tcp(listener) => while listener.accept().is_ok() {},
                Socket::Udp(udp) => {
                    while let Ok((_, from)) = udp.recv_from(&mut buffer) {
                        let _ = udp.send_to(b"portolan\n", from);
                    }
                }
            }
        }
    }
}

/// One probe, from the calling thread's namespace.
fn probe_once(addr: SocketAddr, transport: Transport, timeout: Duration) -> Result<Outcome, String> {
    let classify = |e: std::io::Error| match e.kind() {
        ErrorKind::ConnectionRefused => Ok(Outcome::Refused),
        ErrorKind::TimedOut | ErrorKind::WouldBlock => Ok(Outcome::Dropped),
        ErrorKind::PermissionDenied => Ok(Outcome::Denied),
        _ => Err(format!("probe of {addr} ({}) failed: {e}", transport.as_str())),
    };
    match transport {
        Transport::Tcp => match TcpStream::connect_timeout(&addr, timeout) {
            Ok(_) => Ok(Outcome::Open),
            Err(e) => classify(e),
        },
        Transport::Udp => {
            let local: IpAddr =
                if addr.is_ipv6() { Ipv6Addr::UNSPECIFIED.into() } else { Ipv4Addr::UNSPECIFIED.into() };
            let socket = UdpSocket::bind(SocketAddr::new(local, 0)).map_err(|e| e.to_string())?;
            socket.connect(addr).map_err(|e| e.to_string())?;
            socket.set_read_timeout(Some(timeout)).map_err(|e| e.to_string())?;
            if let Err(e) = socket.send(b"portolan-probe\n") {
                return classify(e);
            }
            let mut buffer = [0u8; 64];
            match socket.recv(&mut buffer) {
                Ok(_) => Ok(Outcome::Open),
                Err(e) => classify(e),
            }
        }
    }
}

/// Runs the probes on at most `parallel` threads; each result in the probes' order.
pub fn run(paths: &[PathBuf], probes: &[&Probe], timeout: Duration, parallel: usize) -> Vec<Result<Outcome, String>> {
    let next = AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<Outcome, String>>>> =
        probes.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let threads = parallel.clamp(1, probes.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let builder = std::thread::Builder::new().stack_size(256 * 1024);
            let _ = builder.spawn_scoped(scope, || {
                let mut current: Option<usize> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(probe) = probes.get(i) else { break };
                    let result = (|| {
                        if current != Some(probe.from) {
                            let path = paths.get(probe.from).ok_or("no such member")?;
                            enter(path)?;
                            current = Some(probe.from);
                        }
                        probe_once(SocketAddr::new(probe.addr, probe.port), probe.transport, timeout)
                    })();
                    if let Some(slot) = results.get(i)
                        && let Ok(mut slot) = slot.lock()
                    {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten().unwrap_or_else(|| Err("the probe did not run".to_string())))
        .collect()
}
