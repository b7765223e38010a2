//! KOBIL mIDentity, "Network Architecture": the routes, the endpoints, the inbound ports
//! (public, private, local), the outbound ports, and the SSMS ports to block from outside.

use portolan::facts::{file_usage, spec_policy, user_files};
use portolan::policy::{HopEnds, PolicyHop, decide, policy_index};
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
        let hops: Vec<&HopView> = example.hops.iter().filter(|h| h.route == Some(u64::from(route))).collect();
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
    assert!(!example.hops.iter().any(|h| h.route == Some(23)));
    assert!(!example.ports.iter().any(|p| p.node == "pooler" && p.accepts), "the Pooler listens on no port");
}

#[test]
fn kobil_mid_holds_every_port_row() {
    let example = Example::load("kobil-mid");
    assert_rows(&example, PORTS, DEVICES);
    // The routes table accounts for the flows it lists (the page gives no port for the database).
    assert_flows_accounted_or(&example, PORTS, DEVICES, |hop| {
        ROUTES.iter().any(|(route, ..)| hop.route == Some(u64::from(*route)))
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
            let ends = HopEnds::of(&db, &hop);
            let allowed = decide(policy, policy_index(&db), PolicyHop::new(&hop, ends, None)).allowed();
            println!("{port:<6} {description:<44} {side:<8} {}", if allowed { "allow" } else { "block" });
            assert_eq!(allowed, expected, "{side} access to SSMS {transport:?}/{port} ({description})");
        }
    }
}

/// The consolidated inbound tables' section of a row of `PORTS`.
fn section_of(row: &Row) -> Option<Section> {
    match row.table {
        "Inbound public" => Some(Section::Public),
        "Inbound private" => Some(Section::Private),
        "Inbound local" => Some(Section::Local),
        _ => None,
    }
}

/// True when a row of the document's inbound tables is the vendor row: the node stands for its
/// device and the port cell starts with one of the row's ports.
fn inbound_row_is(doc_row: &DocRow, row: &Row) -> bool {
    let stands = DEVICES.iter().any(|(d, n)| *d == row.device && *n == doc_row.node);
    let first = doc_row.cells.first().map(|c| c.split(" or ").next().unwrap_or_default().to_string());
    let ports_fit = row.ports.split(" or ").any(|p| first.as_deref() == Some(p));
    stands && ports_fit
}

#[test]
fn kobil_mid_inbound_sections_are_the_pages() {
    let doc = Document::load("kobil-mid");
    let inbound: Vec<&DocRow> =
        doc.rows.iter().filter(|r| matches!(r.section, Section::Public | Section::Private | Section::Local)).collect();
    let mut wrong = Vec::new();
    for row in PORTS {
        let Some(section) = section_of(row) else { continue };
        let found = inbound.iter().any(|r| r.section == section && inbound_row_is(r, row));
        println!(
            "{:<16} {:<24} {:<12} {section:?}: {}",
            row.table,
            row.device,
            row.ports,
            if found { "found" } else { "WRONG" }
        );
        if !found {
            wrong.push(format!("{row:?} is not in the {section:?} table"));
        }
    }
    // The reverse: every inbound row of the document is a row of the same section of the page,
    // but for nginx's 443 (the page folds it into "443 (via nginx)") and the database (the page
    // gives no port for it).
    for r in &inbound {
        let vendor = PORTS.iter().any(|row| section_of(row) == Some(r.section) && inbound_row_is(r, row));
        let folded = r.node == "nginx" && r.section == Section::Public && r.cells[0] == "443";
        let unnumbered = r.node == "db";
        if !vendor && !folded && !unnumbered {
            wrong.push(format!("{:?} row no page row accounts for: {}", r.section, r.cells.join(" | ")));
        }
    }
    assert!(wrong.is_empty(), "kobil-mid:\n{}", wrong.join("\n"));
}

#[test]
fn kobil_mid_routes_table_is_numbered_by_the_page() {
    use portolan_emit::table::{Block, document};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/kobil-mid");
    let db = portolan_tests::database(&portolan_tests::read_folder(&dir));
    let model = portolan::export::export(&db).model;
    let blocks = document(&model, "kobil-mid");
    let routes = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) if t.header.first().map(String::as_str) == Some("No.") => Some(t),
            _ => None,
        })
        .next()
        .expect("a routes table");
    let numbers: Vec<&str> = routes.rows.iter().map(|r| r[0].as_str()).collect();
    let page: Vec<String> = ROUTES.iter().map(|(n, ..)| n.to_string()).collect();
    assert_eq!(&numbers[..page.len()], page.iter().map(String::as_str).collect::<Vec<_>>().as_slice());
    assert!(numbers[page.len()..].iter().all(|n| *n == "—"), "flows without a route number come last: {numbers:?}");
    // Routes through nginx show both hops' ports: users reach 443, nginx reaches 8443.
    let route1 = routes.rows.iter().find(|r| r[0] == "1").expect("route 1");
    assert_eq!(route1[4], "TCP 443 → TCP 8443");
}

#[test]
fn kobil_mid_document_shows_the_ssms_table() {
    let doc = Document::load("kobil-mid");
    let rows = doc.policy_rows("SSMS machine");
    assert!(!rows.is_empty(), "no allowed-and-blocked table for the SSMS machine");
    for &(transport, port, description, external, internal) in SSMS_TABLE {
        let row = rows
            .iter()
            .find(|r| {
                let (t, numbers) = r[0].split_once(' ').unwrap_or_default();
                t.eq_ignore_ascii_case(transport) && numbers.split('-').next() == Some(&port.to_string())
            })
            .unwrap_or_else(|| panic!("no row for {transport}/{port} ({description})"));
        let word = |allowed: bool| if allowed { "allow" } else { "block" };
        // External: from the internet; internal: from the private zone (the administrators').
        assert!(row[2].starts_with(word(external)), "{port} from the internet: {}", row[2]);
        assert!(row[4].starts_with(word(internal)), "{port} from the private zone: {}", row[4]);
    }
}
