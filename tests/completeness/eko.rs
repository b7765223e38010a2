//! Eko AD Sync, "Communication Protocols": its three tables, row by row.

use super::*;

/// The page's rows. The device of every row is the connector (EkoADC) unless the row says
/// otherwise; directions follow the page's text ("EkoADC sends ...", "passed from the EkoIDMAPI
/// to the EkoADC").
const ROWS: &[Row] = &[
    // 1. Internal Communication (customer-side)
    Row { table: "Internal", device: "EkoADC", ports: "389", transport: "TCP", protocol: "LDAP", dir: Dir::Declared },
    Row { table: "Internal", device: "EkoADC", ports: "636", transport: "TCP", protocol: "LDAPS", dir: Dir::Out },
    Row { table: "Internal", device: "EkoADC", ports: "any", transport: "TCP", protocol: "FTP / SFTP", dir: Dir::Out },
    Row { table: "Internal", device: "Customer AD", ports: "636", transport: "TCP", protocol: "LDAPS", dir: Dir::In },
    Row {
        table: "Internal",
        device: "Customer File Server",
        ports: "any",
        transport: "TCP",
        protocol: "FTP / SFTP",
        dir: Dir::In,
    },
    // 2. External Communication (EkoADC to Eko): the three uses of HTTPS.
    Row {
        table: "External: user sync",
        device: "EkoADC",
        ports: "443",
        transport: "TCP",
        protocol: "HTTPS",
        dir: Dir::Out,
    },
    Row {
        table: "External: user sync",
        device: "EkoIDMAPI/Eko Backend",
        ports: "443",
        transport: "TCP",
        protocol: "HTTPS",
        dir: Dir::In,
    },
    Row {
        table: "External: authentication",
        device: "EkoADC",
        ports: "443",
        transport: "TCP",
        protocol: "HTTPS",
        dir: Dir::In,
    },
    Row {
        table: "External: authentication",
        device: "EkoIDMAPI/Eko Backend",
        ports: "443",
        transport: "TCP",
        protocol: "HTTPS",
        dir: Dir::Out,
    },
    // 3. Other Necessary Network Protocols
    Row { table: "Other", device: "EkoADC", ports: "123", transport: "TCP+UDP", protocol: "NTP", dir: Dir::Out },
    Row {
        table: "Other",
        device: "Customer Time Server",
        ports: "123",
        transport: "TCP+UDP",
        protocol: "NTP",
        dir: Dir::In,
    },
    Row { table: "Other", device: "EkoADC", ports: "53", transport: "UDP", protocol: "DNS", dir: Dir::Out },
];

/// The proxy row: "TCP/8080", with the `config.json` example's 3128.
const PROXY_ROWS: &[Row] = &[
    Row {
        table: "Other: proxy",
        device: "EkoADC",
        ports: "8080 or 3128",
        transport: "TCP",
        protocol: "Proxy Port",
        dir: Dir::Out,
    },
    Row {
        table: "External: webhooks",
        device: "EkoADC",
        ports: "443",
        transport: "TCP",
        protocol: "HTTPS",
        dir: Dir::In,
    },
];

const DEVICES: &[(&str, &str)] = &[
    ("EkoADC", "adc"),
    ("Customer AD", "dc1"),
    ("Customer File Server", "hrfiles"),
    ("EkoIDMAPI/Eko Backend", "eko"),
    ("Customer Time Server", "timesrv"),
    ("Customer DNS", "dnssrv"),
];

/// With proxies, the connector's HTTPS goes through the proxy, and webhooks come in through the
/// customer's reverse proxy, as the page allows ("from the Eko or a Customer reverse proxy").
const PROXY_DEVICES: &[(&str, &str)] = &[
    ("EkoADC", "adc"),
    ("Customer AD", "dc1"),
    ("EkoIDMAPI/Eko Backend", "eko"),
    ("Customer Time Server", "timesrv"),
    ("Customer DNS", "dnssrv"),
];

#[test]
fn eko_ad_sync_holds_every_row() {
    let example = Example::load("eko-ad-sync");
    assert_rows(&example, ROWS, DEVICES);
    assert_flows_accounted(&example, ROWS, DEVICES);
    assert_communication_sections("eko-ad-sync", ROWS);
}

/// The section of the documents a row of the page belongs in: its "Internal" and "Other" tables
/// are traffic inside the customer network (the examples' documents say so in the internal
/// section's heading), its "External" table the traffic with the Eko cloud.
fn section_of(row: &Row) -> Section {
    if row.table.starts_with("External") { Section::External } else { Section::Internal }
}

/// True when a row of a communication section (Protocol | Port | Purpose | From → To) is the
/// page's row: its protocol, transport and one of its ports ("any" for "Varies").
fn communication_row_is(cells: &[String], row: &Row) -> bool {
    let [protocol, port, ..] = cells else { return false };
    let protocol_fits = our_titles(row.protocol).contains(&protocol.as_str());
    let port_fits = match row.ports {
        "any" => port.starts_with(&format!("{} ", row.transport)),
        ports => port_words(ports).iter().any(|p| *port == format!("{} {p}", row.transport)),
    };
    protocol_fits && port_fits
}

/// Every row of the page that a connection of the example carries (not an alternative it leaves
/// out) is in the documents' communication section the page puts it in; and the reverse: every
/// row of those sections is a row of the page in the same section, but for the hops of a flow
/// through the customer's proxies, which are inside the network while the page's row is the
/// external connection they carry.
fn assert_communication_sections(name: &str, rows: &[Row]) {
    let doc = Document::load(name);
    let shown: Vec<&DocRow> =
        doc.rows.iter().filter(|r| matches!(r.section, Section::Internal | Section::External)).collect();
    assert!(!shown.is_empty(), "{name}: the documents have no communication section");
    let mut wrong = Vec::new();
    for row in rows.iter().filter(|r| r.device == "EkoADC" && r.dir != Dir::Declared) {
        let found = shown.iter().any(|r| r.section == section_of(row) && communication_row_is(&r.cells, row));
        println!(
            "{:<24} {:<6} {:<12} {:?}: {}",
            row.table,
            row.ports,
            row.protocol,
            section_of(row),
            if found { "found" } else { "WRONG" }
        );
        if !found {
            wrong.push(format!("not in the {:?} section: {row:?}", section_of(row)));
        }
    }
    for r in &shown {
        let proxied = r.cells.get(2).is_some_and(|purpose| purpose.contains(" (hop "));
        let vendor =
            rows.iter().any(|row| (proxied || section_of(row) == r.section) && communication_row_is(&r.cells, row));
        if !vendor {
            wrong.push(format!("no row of the page: {:?} {}", r.section, r.cells.join(" | ")));
        }
    }
    assert!(wrong.is_empty(), "{name}:\n{}", wrong.join("\n"));
}

#[test]
fn eko_ad_sync_proxy_holds_every_row_but_the_file_source() {
    let example = Example::load("eko-ad-sync-proxy");
    let rows: Vec<Row> = ROWS
        .iter()
        .chain(PROXY_ROWS)
        .copied()
        .filter(|r| r.device != "Customer File Server" && r.protocol != "FTP / SFTP")
        .collect();
    assert_rows(&example, &rows, PROXY_DEVICES);
    assert_flows_accounted(&example, &rows, PROXY_DEVICES);
    assert_communication_sections("eko-ad-sync-proxy", &rows);
}

/// The page's other options: LDAP (TCP/389, allowed, not recommended) and FTP, which
/// `examples/eko-ad-sync-ldap-ftp` carries.
const LDAP_FTP_ROWS: &[Row] = &[
    Row { table: "Internal", device: "EkoADC", ports: "389", transport: "TCP", protocol: "LDAP", dir: Dir::Out },
    Row { table: "Internal", device: "Customer AD", ports: "389", transport: "TCP", protocol: "LDAP", dir: Dir::In },
];

#[test]
fn eko_ad_sync_ldap_ftp_holds_the_other_options() {
    let example = Example::load("eko-ad-sync-ldap-ftp");
    let rows: Vec<Row> =
        ROWS.iter().filter(|r| !matches!(r.protocol, "LDAP" | "LDAPS")).chain(LDAP_FTP_ROWS).copied().collect();
    assert_rows(&example, &rows, DEVICES);
    assert_flows_accounted(&example, &rows, DEVICES);
    assert_communication_sections("eko-ad-sync-ldap-ftp", &rows);
    // The file source is cleartext FTP here, not SFTP.
    assert!(example.hops.iter().any(|h| h.from == "adc" && h.to == "hrfiles" && h.protocol == "ftp"));
}
