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
    // The file source is cleartext FTP here, not SFTP.
    assert!(example.hops.iter().any(|h| h.from == "adc" && h.to == "hrfiles" && h.protocol == "ftp"));
}
