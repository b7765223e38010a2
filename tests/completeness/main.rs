//! Completeness of the standard library against the three vendor pages it encodes.
//!
//! Each vendor module holds the page's tables as data typed in from the page (device, port or
//! range, transport, protocol, direction). For each example deployment the test asserts that
//! its checked model contains every row of its tables, and the reverse: every flow of the example
//! is accounted for by some row, unless the flow's doc comment starts with `Addition:` and says
//! why it is there.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

mod eko;
mod kobil;
mod onee;

use std::path::Path;

use portolan::Database;
use portolan::facts::{file_usage, user_files};
use portolan::resolve::{flow_info, node_info, protocol_info};
use portolan_model::ports::{PortRange, PortSet, Transport};
use portolan_syntax::ast::Direction as FlowDirection;

/// Which way a row's traffic goes, seen from its device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// The device accepts connections on the port.
    In,
    /// The device opens connections to the port.
    Out,
    /// Both: listed as "Incoming Outgoing".
    InOut,
    /// Declared by the device's components, but carried by no flow between hosts: ports used
    /// inside one server, and alternatives to another row (LDAP where LDAPS is used).
    Declared,
}

/// One row of a vendor table, as the page writes it.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub table: &'static str,
    pub device: &'static str,
    /// `443`, `135 and 445`, `7600-7610`, `8080 or 3128`, `any` (the page says "Varies").
    pub ports: &'static str,
    /// `TCP`, `UDP` or `TCP+UDP`.
    pub transport: &'static str,
    /// The page's protocol name.
    pub protocol: &'static str,
    pub dir: Dir,
}

/// The protocols of the model that a page's protocol name stands for.
pub fn our_protocols(page: &str) -> &'static [&'static str] {
    match page {
        "HTTPS" => &["https"],
        "HTTP" => &["http"],
        "WebSocket (ws)" => &["ws"],
        "WebSocket Secure (wss)" => &["wss"],
        "TDS" => &["tds"],
        "WMI (DCOM)" => &["wmi"],
        "SMTP" => &["smtp"],
        "TCP" => &["tcp"],
        "LDAP" => &["ldap"],
        "LDAPS" => &["ldaps"],
        "FTP / SFTP" => &["ftp", "sftp"],
        "NTP" => &["ntp"],
        "DNS" => &["dns"],
        "Proxy Port" => &["http_proxy"],
        // KOBIL leaves the application layer of its cluster transports empty.
        "JGroups" => &["jgroups"],
        // KOBIL lists the GossipRouter's range with the application layer "HTTPS" (see the
        // module's readings): the model's protocol is `gossip`.
        "HTTPS (GossipRouter)" => &["gossip"],
        "APNs" => &["apns"],
        // KOBIL lists Redis 6769 with the application layer "HTTP", and Apple Push 2197 with
        // "HTTPS": the model's protocols are Redis's own and APNs (see vendor.kobil's readings).
        "HTTP (Redis)" => &["redis"],
        "HTTPS (APNs)" => &["apns"],
        // 1E's internal table lists 6002 as "HTTP": the Integrate Agent's WebSocket, which starts
        // as an HTTP request (see vendor.onee's readings).
        "HTTP (WebSocket upgrade)" => &["ws"],
        "Redis" => &["redis"],
        // 1E: "You will need to open UDP port 1434 used by the SQL Browser."
        "SQL Browser" => &["sql_browser"],
        other => panic!("no protocol mapping for the page's `{other}`"),
    }
}

/// The alternatives of a row's ports; each alternative is a set of ports that must all be there.
pub fn port_alternatives(row: &Row) -> Vec<Option<PortSet>> {
    let transports: &[Transport] = match row.transport {
        "TCP" => &[Transport::Tcp],
        "UDP" => &[Transport::Udp],
        "TCP+UDP" => &[Transport::Tcp, Transport::Udp],
        other => panic!("unknown transport {other}"),
    };
    if row.ports == "any" {
        return vec![None];
    }
    row.ports
        .split(" or ")
        .map(|alternative| {
            let mut ranges = Vec::new();
            for part in alternative.split(" and ") {
                let (start, end) = match part.split_once('-') {
                    Some((a, b)) => (a.trim().parse().unwrap(), b.trim().parse().unwrap()),
                    None => {
                        let port = part.trim().parse().unwrap();
                        (port, port)
                    }
                };
                for &transport in transports {
                    ranges.push(PortRange { transport, start, end });
                }
            }
            Some(PortSet::new(ranges))
        })
        .collect()
}

/// A hop of a flow, with names instead of database handles.
#[derive(Clone, Debug)]
pub struct HopView {
    pub label: String,
    /// The flow's `route N`.
    pub route: Option<u64>,
    pub docs: String,
    pub local: bool,
    pub both_ways: bool,
    pub from: String,
    pub to: String,
    /// The node the hop's flow starts at (differs from `from` after a proxy).
    pub flow_from: String,
    pub protocol: String,
    pub ports: PortSet,
    /// True for the last hop of its flow (the one that reaches the flow's destination).
    pub last: bool,
    pub first: bool,
}

/// A port of a node.
#[derive(Clone, Debug)]
pub struct PortView {
    pub node: String,
    pub name: String,
    pub protocol: String,
    pub ports: PortSet,
    pub accepts: bool,
}

/// An example deployment loaded and checked.
pub struct Example {
    pub name: &'static str,
    pub hops: Vec<HopView>,
    pub ports: Vec<PortView>,
}

impl Example {
    pub fn load(name: &'static str) -> Example {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
        let db: Database = portolan_tests::database(&portolan_tests::read_folder(&dir));
        let diagnostics = portolan::diagnostics(&db);
        assert!(
            diagnostics.is_empty(),
            "{name} does not check clean:\n{}",
            portolan_tests::rendered(&db, &diagnostics)
        );
        let mut hops = Vec::new();
        let mut ports = Vec::new();
        for &file in user_files(&db) {
            let usage = file_usage(&db, file);
            for &flow in &usage.flows {
                let info = flow_info(&db, flow);
                let count = info.hops.len();
                let flow_from = info.hops.first().map(|h| h.from.node.name(&db).to_string()).unwrap_or_default();
                for (i, hop) in info.hops.iter().enumerate() {
                    hops.push(HopView {
                        label: info.label.clone().unwrap_or_default(),
                        route: info.route,
                        docs: info.docs.clone(),
                        local: info.local,
                        both_ways: info.direction == FlowDirection::Both,
                        from: hop.from.node.name(&db).to_string(),
                        to: hop.to.node.name(&db).to_string(),
                        flow_from: flow_from.clone(),
                        protocol: hop.protocol.map(|p| protocol_info(&db, p).name.to_string()).unwrap_or_default(),
                        ports: hop.ports.clone(),
                        first: i == 0,
                        // A two-way flow between peers has one hop each way, both reaching an end.
                        last: i + 1 == count || info.direction == FlowDirection::Both && info.via.is_empty(),
                    });
                }
            }
            for &node in &usage.nodes {
                for port in &node_info(&db, node).ports {
                    ports.push(PortView {
                        node: node.name(&db).to_string(),
                        name: port.name.to_string(),
                        protocol: port.protocol.map(|p| protocol_info(&db, p).name.to_string()).unwrap_or_default(),
                        ports: port.ports.clone(),
                        accepts: port.kind.accepts(),
                    });
                }
            }
        }
        Example { name, hops, ports }
    }

    fn hop_fits(hop: &HopView, protocols: &[&str], ports: &Option<PortSet>) -> bool {
        protocols.contains(&hop.protocol.as_str()) && ports.as_ref().is_none_or(|p| hop.ports.is_superset(p))
    }

    /// True when the model carries the row for the node standing for its device.
    pub fn contains(&self, row: &Row, node: &str) -> bool {
        let protocols = our_protocols(row.protocol);
        let alternatives = port_alternatives(row);
        alternatives.iter().any(|ports| {
            // A flow through a proxy counts for its source: the proxy tunnels what it sends.
            let out = self
                .hops
                .iter()
                .any(|h| (h.from == node || h.last && h.flow_from == node) && Self::hop_fits(h, protocols, ports));
            let into = self.hops.iter().any(|h| h.to == node && Self::hop_fits(h, protocols, ports));
            match row.dir {
                Dir::Out => out,
                Dir::In => into,
                Dir::InOut => out && into,
                Dir::Declared => self.ports.iter().any(|p| {
                    p.node == node
                        && protocols.contains(&p.protocol.as_str())
                        && ports.as_ref().is_none_or(|set| p.ports.is_superset(set))
                }),
            }
        })
    }

    /// True when some row accounts for a hop: an outgoing row of its source or an incoming row of
    /// its destination.
    pub fn accounted(&self, hop: &HopView, rows: &[Row], devices: &[(&str, &str)]) -> bool {
        rows.iter().any(|row| {
            let protocols = our_protocols(row.protocol);
            let fits = port_alternatives(row).iter().any(|ports| Self::hop_fits(hop, protocols, ports));
            let nodes: Vec<&str> = devices.iter().filter(|(d, _)| *d == row.device).map(|(_, n)| *n).collect();
            fits && match row.dir {
                Dir::Out => nodes.contains(&hop.from.as_str()),
                Dir::In => nodes.contains(&hop.to.as_str()),
                Dir::InOut => nodes.contains(&hop.from.as_str()) || nodes.contains(&hop.to.as_str()),
                Dir::Declared => hop.local && nodes.contains(&hop.from.as_str()),
            }
        })
    }
}

/// Asserts an example holds every row of its tables, listing each row as it goes.
pub fn assert_rows(example: &Example, rows: &[Row], devices: &[(&str, &str)]) {
    let mut missing = Vec::new();
    for row in rows {
        let nodes: Vec<&str> = devices.iter().filter(|(d, _)| *d == row.device).map(|(_, n)| *n).collect();
        assert!(!nodes.is_empty(), "{}: no node stands for the device `{}`", example.name, row.device);
        let found = nodes.iter().any(|node| example.contains(row, node));
        println!(
            "{:<28} {:<44} {:<16} {:<8} {:<24} {:?}: {}",
            row.table,
            row.device,
            row.ports,
            row.transport,
            row.protocol,
            row.dir,
            if found { "found" } else { "MISSING" }
        );
        if !found {
            missing.push(format!("{row:?}"));
        }
    }
    assert!(missing.is_empty(), "{}: rows missing from the model:\n{}", example.name, missing.join("\n"));
}

/// Asserts every flow of an example is accounted for by a row, or is an `Addition:`: its last
/// hop (the one reaching its destination) and, for a flow through proxies, its first hop.
pub fn assert_flows_accounted(example: &Example, rows: &[Row], devices: &[(&str, &str)]) {
    assert_flows_accounted_or(example, rows, devices, |_| false);
}

/// The same, where `accounted_elsewhere` accounts for hops by another table (KOBIL's routes).
pub fn assert_flows_accounted_or(
    example: &Example,
    rows: &[Row],
    devices: &[(&str, &str)],
    accounted_elsewhere: impl Fn(&HopView) -> bool,
) {
    let mut unaccounted = Vec::new();
    for hop in &example.hops {
        if hop.docs.trim_start().starts_with("Addition:") {
            assert!(hop.docs.len() > "Addition:".len() + 10, "an addition must say why: {hop:?}");
            continue;
        }
        if (hop.first || hop.last) && !example.accounted(hop, rows, devices) && !accounted_elsewhere(hop) {
            unaccounted.push(format!("{} ({} -> {} on {} {})", hop.label, hop.from, hop.to, hop.protocol, hop.ports));
        }
    }
    assert!(
        unaccounted.is_empty(),
        "{}: flows no row of the vendor's tables accounts for (mark an intended one `/// Addition: why`):\n{}",
        example.name,
        unaccounted.join("\n")
    );
}

/// Where a row stands in the generated port matrix (`ports.md`, `ports.html`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// A device's table of the ports its connections across the network use.
    Firewall,
    /// A device's table of the ports its roles use between them on the host.
    Host,
    /// A device's table of ports declared but used by no flow.
    Unused,
    /// The consolidated inbound tables.
    Public,
    Private,
    Local,
    /// The communication sections (Protocol | Port | Purpose | From → To).
    Internal,
    External,
}

/// A row of the generated document: its section, the node it is about, and its cells.
#[derive(Clone, Debug)]
pub struct DocRow {
    pub section: Section,
    pub node: String,
    pub cells: Vec<String>,
}

/// The generated port matrix of an example, as rows.
pub struct Document {
    pub rows: Vec<DocRow>,
    /// The tables of the policy section, by heading.
    pub policy: Vec<(String, Vec<String>, Vec<Vec<String>>)>,
}

impl Document {
    pub fn load(name: &str) -> Document {
        Document::load_as(name, false)
    }

    /// The document with every default section, whatever the example's `document` picks: the
    /// consolidated inbound tables of a spec whose own document leaves them out.
    pub fn load_with_default_sections(name: &str) -> Document {
        Document::load_as(name, true)
    }

    fn load_as(name: &str, default_sections: bool) -> Document {
        use portolan_emit::table::{Block, document, heading};
        use portolan_model::Section as Part;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
        let db: Database = portolan_tests::database(&portolan_tests::read_folder(&dir));
        let mut model = portolan::export::export(&db).model;
        if default_sections {
            model.document.sections = None;
        }
        // The documents' sections by their headings, which the spec's `document` may give.
        let parts: Vec<(String, Part)> = model.document.sections().iter().map(|s| (heading(s), s.section)).collect();
        let part_of = |text: &str| parts.iter().find(|(h, _)| h == text).map(|(_, part)| *part);
        let mut rows = Vec::new();
        let mut policy = Vec::new();
        let (mut section, mut node) = (None, String::new());
        let (mut in_policy, mut heading) = (false, String::new());
        for block in document(&model, name) {
            if in_policy {
                match block {
                    Block::Heading(_, text) => heading = text,
                    Block::Table(table) => policy.push((heading.clone(), table.header, table.rows)),
                    _ => {}
                }
                continue;
            }
            match block {
                Block::Heading(2, text) if part_of(&text) == Some(Part::Policy) => in_policy = true,
                Block::Heading(2, text) => {
                    section = match part_of(&text) {
                        Some(Part::Inbound) => Some(Section::Private),
                        Some(Part::Internal) => Some(Section::Internal),
                        Some(Part::External) => Some(Section::External),
                        _ => None,
                    }
                }
                Block::Heading(3, text) => match text.as_str() {
                    "Public" => section = Some(Section::Public),
                    "Private" => section = Some(Section::Private),
                    "Local" => section = Some(Section::Local),
                    _ => {
                        // "Title (name), zone Z"
                        node = text
                            .rsplit_once("), zone ")
                            .and_then(|(head, _)| head.rsplit_once(" ("))
                            .map(|(_, n)| n.to_string())
                            .unwrap_or_default();
                        section = Some(Section::Firewall);
                    }
                },
                Block::Paragraph(text) if text.starts_with("On the host") => section = Some(Section::Host),
                Block::Paragraph(text) if text.starts_with("Declared, but used by no flow") => {
                    section = Some(Section::Unused);
                }
                Block::Table(table) => {
                    let Some(section) = section else { continue };
                    for cells in table.rows {
                        let node = match section {
                            // The consolidated tables name the device by its title.
                            Section::Public | Section::Private | Section::Local => model
                                .nodes
                                .iter()
                                .find(|n| cells.get(3) == Some(&n.title))
                                .map(|n| n.name.clone())
                                .unwrap_or_default(),
                            _ => node.clone(),
                        };
                        rows.push(DocRow { section, node, cells });
                    }
                }
                _ => {}
            }
        }
        Document { rows, policy }
    }

    /// The rows of the policy's allowed-and-blocked table of a node, by its title.
    pub fn policy_rows(&self, node_title: &str) -> Vec<Vec<String>> {
        let heading = format!("Allowed and blocked ports: {node_title}");
        self.policy.iter().filter(|(h, ..)| *h == heading).flat_map(|(_, _, rows)| rows.clone()).collect()
    }

    /// The device-table rows of a node (firewall, host and unused).
    pub fn device_rows(&self, node: &str) -> impl Iterator<Item = &DocRow> {
        self.rows
            .iter()
            .filter(move |r| r.node == node && matches!(r.section, Section::Firewall | Section::Host | Section::Unused))
    }
}

/// A row's port numbers, as a device table writes them ("TCP 135, 445").
pub fn port_words(ports: &str) -> Vec<String> {
    ports.split(" or ").flat_map(|alt| alt.split(" and ")).map(|p| p.trim().to_string()).collect()
}

/// True when a device-table row is the vendor row: same port, protocol and direction.
fn device_row_is(cells: &[String], row: &Row) -> bool {
    let [_, ports, protocol, direction, ..] = cells else { return false };
    let numbers = ports.split_once(' ').map_or(ports.as_str(), |(_, n)| n);
    let ports_fit = port_words(row.ports).iter().all(|p| numbers.split(", ").any(|n| n == p));
    let direction_fits = match row.dir {
        Dir::In => direction.starts_with("Incoming") && !direction.starts_with("Incoming Outgoing"),
        Dir::Out => direction.starts_with("Outgoing"),
        Dir::InOut => direction.starts_with("Incoming Outgoing"),
        Dir::Declared => true,
    };
    let protocol_fits = our_titles(row.protocol).iter().any(|t| protocol.starts_with(t));
    ports_fit && direction_fits && protocol_fits
}

/// The protocol titles of the model for a page's protocol name.
pub fn our_titles(page: &str) -> Vec<&'static str> {
    our_protocols(page)
        .iter()
        .map(|p| match *p {
            "https" => "HTTPS",
            "http" => "HTTP",
            "ws" => "WebSocket (ws)",
            "wss" => "WebSocket Secure (wss)",
            "tds" => "TDS",
            "wmi" => "WMI (DCOM)",
            "smtp" => "SMTP",
            "tcp" => "TCP",
            "ldap" => "LDAP",
            "ldaps" => "LDAPS",
            "ftp" => "FTP",
            "sftp" => "SFTP",
            "ntp" => "NTP",
            "dns" => "DNS",
            "http_proxy" => "HTTP proxy",
            other => panic!("no title for {other}"),
        })
        .collect()
}

/// A vendor row's Configurable cell, as the page words it (a distinctive part of it).
#[derive(Clone, Copy, Debug)]
pub struct Configurable {
    pub row: Row,
    /// Words the generated cell must contain (case-insensitive).
    pub says: &'static str,
    /// The section its device-table row must be in.
    pub section: Section,
}

/// Asserts each vendor row's Configurable cell and section in the generated document, for the
/// nodes that stand for its device.
pub fn assert_configurable(name: &str, doc: &Document, rows: &[Configurable], devices: &[(&str, &str)]) {
    let mut wrong = Vec::new();
    for expected in rows {
        let nodes: Vec<&str> = devices.iter().filter(|(d, _)| *d == expected.row.device).map(|(_, n)| *n).collect();
        assert!(!nodes.is_empty(), "{name}: no node stands for `{}`", expected.row.device);
        let candidates: Vec<&DocRow> =
            nodes.iter().flat_map(|n| doc.device_rows(n)).filter(|r| device_row_is(&r.cells, &expected.row)).collect();
        let says = expected.says.to_lowercase();
        let found = candidates
            .iter()
            .any(|r| r.section == expected.section && r.cells.get(5).is_some_and(|c| c.to_lowercase().contains(&says)));
        println!(
            "{:<24} {:<36} {:<6} {:<24} {:?} {:?} `{}`: {}",
            expected.row.table,
            expected.row.device,
            expected.row.ports,
            expected.row.protocol,
            expected.row.dir,
            expected.section,
            expected.says,
            if found { "found" } else { "WRONG" }
        );
        if !found {
            let seen: Vec<String> =
                candidates.iter().map(|r| format!("{:?}: {}", r.section, r.cells.join(" | "))).collect();
            wrong.push(format!("{:?} `{}`; the document has:\n  {}", expected.row, expected.says, seen.join("\n  ")));
        }
    }
    assert!(wrong.is_empty(), "{name}: rows whose Configurable cell or section differ:\n{}", wrong.join("\n"));
}

/// The reverse: every firewall row of the nodes standing for the vendor's devices is a row of
/// the vendor's tables, and no vendor row that is not a firewall row is shown as one; but for
/// `additions`, (node, port cell) pairs of flows the example documents as `Addition:`.
pub fn assert_firewall_rows_are_vendor_rows(
    name: &str,
    doc: &Document,
    rows: &[Row],
    devices: &[(&str, &str)],
    additions: &[(&str, &str)],
) {
    let mut extra = Vec::new();
    for (device, node) in devices {
        for r in doc.device_rows(node).filter(|r| r.section == Section::Firewall) {
            let vendor = rows.iter().any(|row| {
                row.dir != Dir::Declared
                    && devices.iter().any(|(d, n)| n == node && *d == row.device)
                    && device_row_is(&r.cells, row)
            });
            let addition = additions.iter().any(|(n, p)| n == node && r.cells.get(1).is_some_and(|c| c == p));
            if !vendor && !addition {
                extra.push(format!("{device} ({node}): {}", r.cells.join(" | ")));
            }
        }
    }
    extra.sort();
    extra.dedup();
    assert!(extra.is_empty(), "{name}: firewall rows no vendor row accounts for:\n{}", extra.join("\n"));
}
