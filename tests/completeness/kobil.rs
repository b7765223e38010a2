//! KOBIL mIDentity, "Network Architecture": the routes, the endpoints, the inbound ports
//! (public, private, local), the outbound ports, and the SSMS ports to block from outside.

use portolan::facts::{file_usage, spec_policy, user_files};
use portolan::policy::{HopEnds, decide, policy_index};
use portolan::resolve::node_info;
use portolan::resolved::{Endpoint, Hop};

use super::*;

/// Who stands for each component or role the page names.
const DEVICES: &[(&str, &str)] = &[
    ("Apps/Services", "apps"),
    ("KOBIL SDK", "mobile"),
    ("mID Provider", "idp"),
    ("IdP/UMA", "idp"),
    ("mID API", "idp"),
    ("mID Connector", "connector"),
    ("mID Server", "ssms"),
    ("KOBIL Pooler", "pooler"),
    ("Redis", "redis"),
    ("Database", "db"),
    ("Admin(Browser)", "admins"),
    ("Grafana", "grafana"),
    ("Callback endpoint", "callback"),
    ("mIDentity Health", "idp"),
    // Public endpoints are reached directly or "443 (via nginx)".
    ("mID Provider (public)", "idp"),
    ("mID Provider (public)", "nginx"),
    ("mID API (public)", "idp"),
    ("mID API (public)", "nginx"),
];

/// Route | From → To, as on the page (↔ for routes 10 and 11).
const ROUTES: &[(u32, &str, &str, bool)] = &[
    (1, "Apps/Services", "mID Provider", false),
    (2, "Apps/Services", "mID Provider", false),
    (3, "Apps/Services", "mID Provider", false),
    (4, "KOBIL SDK", "mID Server", false),
    (5, "Apps/Services", "mID API", false),
    (6, "IdP/UMA", "mID Connector", false),
    (7, "mID Connector", "mID Server", false),
    (8, "mID Connector", "mID Server", false),
    (9, "KOBIL Pooler", "mID Server", false),
    (10, "KOBIL Pooler", "Redis", true),
    (11, "mID Connector", "Redis", true),
    (12, "KOBIL Pooler", "Callback endpoint", false),
    (20, "mID Provider", "Database", false),
    (22, "mID Server", "Database", false),
    (30, "Admin(Browser)", "mID Provider", false),
    (31, "Admin(Browser)", "Grafana", false),
    (32, "Admin(Browser)", "mID Server", false),
    (33, "Admin(Browser)", "mID Server", false),
];

const fn tcp(table: &'static str, device: &'static str, ports: &'static str, protocol: &'static str, dir: Dir) -> Row {
    Row { table, device, ports, transport: "TCP", protocol, dir }
}

const PORTS: &[Row] = &[
    // Consolidated Endpoints: the port in each URI.
    tcp("Endpoints", "mID Provider (public)", "8443 or 443", "HTTPS", Dir::In),
    tcp("Endpoints", "mID Provider", "8444", "HTTPS", Dir::In),
    tcp("Endpoints", "mID API (public)", "443 or 8445", "HTTPS", Dir::In),
    tcp("Endpoints", "Grafana", "3000", "HTTP", Dir::In),
    tcp("Endpoints", "mID Server", "8443", "HTTPS", Dir::In),
    tcp("Endpoints", "mID Server", "443", "HTTPS", Dir::In),
    tcp("Endpoints", "mID Server", "8445", "HTTPS", Dir::In),
    tcp("Endpoints", "mID Server", "9000", "HTTP", Dir::In),
    tcp("Endpoints", "mIDentity Health", "8448", "HTTPS", Dir::In),
    // Consolidated Inbound Ports: public.
    tcp("Inbound public", "mID Provider (public)", "8443 or 443", "HTTPS", Dir::In),
    tcp("Inbound public", "mID Server", "443", "HTTPS", Dir::In),
    tcp("Inbound public", "mID API (public)", "8445 or 443", "HTTPS", Dir::In),
    // Consolidated Inbound Ports: private.
    tcp("Inbound private", "mID Provider", "8444", "HTTPS", Dir::In),
    tcp("Inbound private", "mID Connector", "8446", "HTTPS", Dir::In),
    tcp("Inbound private", "Grafana", "3000", "HTTP", Dir::In),
    Row {
        table: "Inbound private",
        device: "mID Provider",
        ports: "45688",
        transport: "UDP",
        protocol: "JGroups",
        dir: Dir::InOut,
    },
    tcp("Inbound private", "mID Server", "8445", "HTTPS", Dir::In),
    tcp("Inbound private", "mID Server", "8443", "HTTPS", Dir::In),
    tcp("Inbound private", "mID Server", "9000", "HTTP", Dir::In),
    Row {
        table: "Inbound private",
        device: "mID Server",
        ports: "7600-7610",
        transport: "UDP",
        protocol: "JGroups",
        dir: Dir::InOut,
    },
    tcp("Inbound private", "mID Server", "12001-12010", "HTTPS (GossipRouter)", Dir::InOut),
    tcp("Inbound private", "mIDentity Health", "8448", "HTTPS", Dir::In),
    // Consolidated Inbound Ports: local.
    tcp("Inbound local", "Redis", "6769", "HTTP (Redis)", Dir::In),
    // Consolidated Outbound Ports.
    tcp("Outbound", "mID Server", "2197", "HTTPS (APNs)", Dir::Out),
    tcp("Outbound", "mID Server", "443", "HTTPS", Dir::Out),
    tcp("Outbound", "KOBIL Pooler", "443", "HTTPS", Dir::Out),
    tcp("Outbound", "mID Connector", "443", "HTTPS", Dir::Out),
];

#[test]
fn kobil_mid_holds_every_route() {
    let example = Example::load("kobil-mid");
    let nodes = |device: &str| -> Vec<&str> { DEVICES.iter().filter(|(d, _)| *d == device).map(|(_, n)| *n).collect() };
    let mut missing = Vec::new();
    for &(route, from, to, both_ways) in ROUTES {
        let prefix = format!("Route {route}:");
        let hops: Vec<&HopView> = example.hops.iter().filter(|h| h.label.starts_with(&prefix)).collect();
        let starts = hops.iter().any(|h| h.first && nodes(from).contains(&h.from.as_str()));
        let ends = hops.iter().any(|h| h.last && nodes(to).contains(&h.to.as_str()));
        let direction = hops.iter().all(|h| h.both_ways == both_ways);
        let found = starts && ends && direction;
        println!(
            "Route {route:<3} {from:<16} {} {to:<20} {}",
            if both_ways { "↔" } else { "→" },
            if found { "found" } else { "MISSING" }
        );
        if !found {
            missing.push(route);
        }
    }
    assert!(missing.is_empty(), "routes missing from kobil-mid: {missing:?}");
    // Route 23, "Redis → File database", is Redis persisting its data on its own host: no network
    // traffic, so no flow (vendor.kobil says so); the Pooler listens on no port ("N/A").
    assert!(!example.hops.iter().any(|h| h.label.starts_with("Route 23:")));
    assert!(!example.ports.iter().any(|p| p.node == "pooler" && p.accepts), "the Pooler listens on no port");
}

#[test]
fn kobil_mid_holds_every_port_row() {
    let example = Example::load("kobil-mid");
    assert_rows(&example, PORTS, DEVICES);
    // The routes table accounts for the flows it lists (the page gives no port for the database).
    assert_flows_accounted_or(&example, PORTS, DEVICES, |hop| {
        ROUTES.iter().any(|(route, ..)| hop.label.starts_with(&format!("Route {route}:")))
    });
}

/// "Required Ports and blocked Ports for SSMS": Port | Description | External | Internal.
const SSMS_TABLE: &[(&str, u16, &str, bool, bool)] = &[
    ("tcp", 80, "User access to the web pages of the Portal", true, true),
    ("tcp", 443, "App access to the SSMS via the SSL", true, true),
    ("tcp", 8009, "AJP access", false, true),
    ("tcp", 8443, "Access to the management terminal / GUI", false, true),
    ("tcp", 8445, "External access to the services nodes", false, true),
    ("tcp", 9000, "Access to the configuration utility", false, true),
    ("udp", 7600, "Cluster communication via UDP", false, true),
    ("tcp", 12001, "Node registration in the cluster via TCP", false, true),
];

#[test]
fn kobil_mid_policy_is_the_ssms_table() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/kobil-mid");
    let db = portolan_tests::database(&portolan_tests::read_folder(&dir));
    let node = |name: &str| {
        user_files(&db)
            .iter()
            .flat_map(|&f| file_usage(&db, f).nodes.clone())
            .find(|n| n.name(&db) == name)
            .unwrap_or_else(|| panic!("no node {name}"))
    };
    let (outside, inside, ssms) = (node("apps"), node("admins"), node("ssms"));
    let policy = spec_policy(&db);
    for &(transport, port, description, external, internal) in SSMS_TABLE {
        let transport = if transport == "udp" { Transport::Udp } else { Transport::Tcp };
        let ports = PortSet::new(vec![PortRange { transport, start: port, end: port }]);
        for (from, expected, side) in [(outside, external, "External"), (inside, internal, "Internal")] {
            let hop = Hop {
                from: Endpoint { node: from, port: 0 },
                to: Endpoint { node: ssms, port: 0 },
                protocol: None,
                ports: ports.clone(),
                encrypted: true,
            };
            let zones = (node_info(&db, from).zone, node_info(&db, ssms).zone);
            let allowed = decide(policy, policy_index(&db), &hop, HopEnds::of(&hop, zones.0, zones.1)).allowed();
            println!("{port:<6} {description:<44} {side:<8} {}", if allowed { "allow" } else { "block" });
            assert_eq!(allowed, expected, "{side} access to SSMS {transport:?}/{port} ({description})");
        }
    }
}
