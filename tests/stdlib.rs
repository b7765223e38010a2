//! The standard library: free of diagnostics, and its well-known protocols agree with the
//! system's `/etc/services` wherever a protocol's service is listed there.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::collections::BTreeMap;

use portolan::Database;
use portolan::items::{ItemKind, file_items};
use portolan::resolve::protocol_info;
use portolan_model::ports::Transport;

#[test]
fn the_standard_library_has_no_diagnostics() {
    let db = Database::new();
    let diagnostics = portolan::collect::stdlib_diagnostics(&db);
    assert!(diagnostics.is_empty(), "{}", portolan::render::human(&db, &diagnostics, false));
}

/// The IANA service name of a protocol whose Portolan name differs from it. Every other
/// protocol is looked up under its own name.
fn service_name(protocol: &str) -> &str {
    match protocol {
        // SFTP runs over SSH; `/etc/services`'s `sftp` (115) is the unrelated Simple FTP.
        "sftp" => "ssh",
        "tds" => "ms-sql-s",
        "sql_browser" => "ms-sql-m",
        "dns" => "domain",
        "http_proxy" => "http-alt",
        other => other,
    }
}

/// `/etc/services` as name → (transport, port) pairs, aliases included.
fn services(text: &str) -> BTreeMap<String, Vec<(Transport, u16)>> {
    let mut map: BTreeMap<String, Vec<(Transport, u16)>> = BTreeMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let (Some(name), Some(port_proto)) = (words.next(), words.next()) else { continue };
        let Some((port, proto)) = port_proto.split_once('/') else { continue };
        let (Ok(port), transport) = (port.parse::<u16>(), proto) else { continue };
        let transport = match transport {
            "tcp" => Transport::Tcp,
            "udp" => Transport::Udp,
            _ => continue,
        };
        for alias in std::iter::once(name).chain(words) {
            map.entry(alias.to_string()).or_default().push((transport, port));
        }
    }
    map
}

#[test]
fn well_known_protocols_agree_with_etc_services() {
    let Ok(text) = std::fs::read_to_string("/etc/services") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "/etc/services is required on CI (Debian package netbase)"
        );
        eprintln!("skipping: /etc/services is missing (install netbase)");
        return;
    };
    let services = services(&text);
    let db = Database::new();
    let proto = db.file("<stdlib>/std/proto.ptl").expect("std.proto is embedded");
    let mut checked = Vec::new();
    for &item in file_items(&db, proto) {
        if item.kind(&db) != ItemKind::Protocol {
            continue;
        }
        let info = protocol_info(&db, item);
        let Some(ports) = &info.default_ports else { continue };
        let name = service_name(&info.name);
        let Some(listed) = services.get(name) else { continue };
        let ours: Vec<(Transport, u16)> =
            ports.ranges().iter().flat_map(|r| (r.start..=r.end).map(move |p| (r.transport, p))).collect();
        // Every port number of ours is one that `/etc/services` gives this service, and at
        // least one (transport, port) pair matches exactly. (NTP is registered on TCP too, but
        // Debian's file lists only UDP; extra transports are allowed, other numbers are not.)
        for (transport, port) in &ours {
            assert!(
                listed.iter().any(|(_, p)| p == port),
                "`{}` uses {}/{port}, but /etc/services gives `{name}` {listed:?}",
                info.name,
                transport.as_str()
            );
        }
        assert!(ours.iter().any(|pair| listed.contains(pair)), "`{}`: no port in common with {listed:?}", info.name);
        checked.push(info.name.to_string());
    }
    // The test must have compared the protocols that matter most.
    for required in ["https", "ldap", "ldaps", "tds", "ntp", "dns", "smtp", "ftp", "sftp"] {
        assert!(checked.iter().any(|c| c == required), "`{required}` was not checked; checked: {checked:?}");
    }
}

#[test]
fn wmi_is_both_of_its_services() {
    // WMI over DCOM is the endpoint mapper (epmap, 135) and then SMB (microsoft-ds, 445).
    let Ok(text) = std::fs::read_to_string("/etc/services") else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "/etc/services is required on CI");
        return;
    };
    let services = services(&text);
    assert!(services.get("epmap").is_some_and(|s| s.contains(&(Transport::Tcp, 135))));
    assert!(services.get("microsoft-ds").is_some_and(|s| s.contains(&(Transport::Tcp, 445))));
    let db = Database::new();
    let proto = db.file("<stdlib>/std/proto.ptl").expect("std.proto is embedded");
    let wmi = file_items(&db, proto).iter().copied().find(|i| i.name(&db) == "wmi").expect("wmi is declared");
    assert_eq!(
        protocol_info(&db, wmi).default_ports.as_ref().map(|p| p.to_string()).as_deref(),
        Some("tcp/135, tcp/445")
    );
}
