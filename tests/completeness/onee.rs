//! 1E, "Communication Ports": the five firewall tables and the internal ports, row by row.
//!
//! The export lost the Device cell of the single-server rows: those rows are the "1E Server"
//! (the Master Stack and the Response Stack on one host), as the table's heading "1E Servers"
//! says; which stack each belongs to is written in `vendor.onee`. "400n" is the Switch client
//! port + 1: 4001 for the default client port 4000.

use super::*;

const fn row(table: &'static str, device: &'static str, ports: &'static str, protocol: &'static str, dir: Dir) -> Row {
    Row { table, device, ports, transport: "TCP", protocol, dir }
}

const SINGLE_SERVER: &[Row] = &[
    row("Single server", "1E Server", "443", "HTTPS", Dir::In),
    row("Single server", "1E Server", "80", "HTTP", Dir::In),
    row("Single server", "1E Server", "443", "HTTPS", Dir::In),
    row("Single server", "1E Server", "443", "HTTPS", Dir::Out),
    row("Single server", "1E Server", "6002", "WebSocket (ws)", Dir::InOut),
    row("Single server", "1E Server", "4000", "WebSocket Secure (wss)", Dir::In),
    row("Single server", "1E Server", "25", "SMTP", Dir::Out),
    row("Single server", "1E Server", "1433", "TDS", Dir::Out),
    row("Single server", "1E Server", "1433", "TDS", Dir::Out),
    row("Single server", "1E Server", "135 and 445", "WMI (DCOM)", Dir::Out),
    row("Single server", "1E Server", "1433", "TDS", Dir::Out),
    row("Single server", "SQL Server (TachyonMaster database)", "1433", "TDS", Dir::In),
    row("Single server", "SQL Server (TachyonResponses database)", "1433", "TDS", Dir::In),
];

const CLIENTS: &[Row] = &[
    row("1E clients", "1E Client", "4000", "WebSocket Secure (wss)", Dir::Out),
    row("1E clients", "1E Client", "443", "HTTPS", Dir::Out),
    row("1E clients", "Clients", "7766", "HTTPS", Dir::InOut),
    row("1E clients", "Browsers", "443", "HTTPS", Dir::Out),
    row("1E clients", "Browsers", "80", "HTTP", Dir::Out),
];

const REMOTE_CATALOG: &[Row] = &[
    row("Remote Catalog", "1E Server (Master Stack)", "80", "HTTP", Dir::Out),
    row("Remote Catalog", "Catalog Server", "80", "HTTP", Dir::In),
    row("Remote Catalog", "Catalog Server", "443", "HTTPS", Dir::Out),
    row("Remote Catalog", "Catalog Server", "1433", "TDS", Dir::Out),
    row("Remote Catalog", "SQL Server (1E Catalog database)", "1433", "TDS", Dir::In),
    row("Remote Catalog", "Browsers", "80", "HTTP", Dir::Out),
];

const REMOTE_RESPONSE_STACK: &[Row] = &[
    row("Remote Response Stack", "1E Server (Master Stack)", "443", "HTTPS", Dir::Out),
    row("Remote Response Stack", "1E Server (Response Stack)", "443", "HTTPS", Dir::In),
    row("Remote Response Stack", "1E Server (Master Stack)", "3901", "WebSocket (ws)", Dir::In),
    row("Remote Response Stack", "1E Server (Response Stack)", "3901", "WebSocket (ws)", Dir::Out),
    row("Remote Response Stack", "SQL Server (TachyonMaster database)", "1433", "TDS", Dir::In),
    row("Remote Response Stack", "1E Server (Response Stack)", "1433", "TDS", Dir::Out),
];

const DMZ: &[Row] = &[
    row("DMZ", "DMZ Server", "443", "HTTPS", Dir::In),
    row("DMZ", "DMZ Server", "443", "HTTPS", Dir::Out),
    row("DMZ", "DMZ Server", "3901", "WebSocket (ws)", Dir::Out),
    row("DMZ", "DMZ Server", "4001", "TCP", Dir::In),
    row("DMZ", "DMZ Server", "4000", "WebSocket Secure (wss)", Dir::In),
    row("DMZ", "DMZ Server", "80", "HTTP", Dir::Out),
    row("DMZ", "1E Server (Response Stack)", "443", "HTTPS", Dir::In),
    row("DMZ", "1E Server (Master Stack)", "443", "HTTPS", Dir::Out),
    row("DMZ", "1E Server (Response Stack)", "4001", "TCP", Dir::Out),
    row("DMZ", "1E Server (Master Stack)", "3901", "WebSocket (ws)", Dir::In),
    row("DMZ", "Internet-facing clients", "443", "HTTPS", Dir::Out),
    row("DMZ", "Internet-facing clients", "4000", "WebSocket Secure (wss)", Dir::Out),
];

/// "Ports used within the Tachyon Platform [...] should not affect firewall requirements": the
/// 1E Server declares them; no flow between hosts carries them.
const INTERNAL: &[Row] = &[
    row("Internal", "1E Server", "3900", "WebSocket (ws)", Dir::Declared),
    row("Internal", "1E Server", "3901", "WebSocket (ws)", Dir::Declared),
    row("Internal", "1E Server", "4001", "TCP", Dir::Declared),
    row("Internal", "1E Server", "443", "HTTPS", Dir::Declared),
    row("Internal", "1E Server", "80", "HTTP", Dir::Declared),
    row("Internal", "1E Server", "8081", "HTTPS", Dir::Declared),
    row("Internal", "1E Server", "6002", "HTTP (WebSocket upgrade)", Dir::Declared),
];

fn all_rows() -> Vec<Row> {
    [SINGLE_SERVER, CLIENTS, REMOTE_CATALOG, REMOTE_RESPONSE_STACK, DMZ, INTERNAL].concat()
}

const COMMON_DEVICES: &[(&str, &str)] = &[
    ("SQL Server (TachyonMaster database)", "sql"),
    ("SQL Server (TachyonResponses database)", "sql"),
    ("1E Client", "clients"),
    ("Clients", "clients"),
    ("Browsers", "admins"),
];

fn devices(own: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    COMMON_DEVICES.iter().chain(own).copied().collect()
}

#[test]
fn single_server_holds_every_row() {
    let example = Example::load("1e-single-server");
    let devices = devices(&[("1E Server", "server")]);
    assert_rows(&example, &[SINGLE_SERVER, CLIENTS, INTERNAL].concat(), &devices);
    assert_flows_accounted(&example, &all_rows(), &devices);
}

#[test]
fn remote_catalog_holds_every_row() {
    let example = Example::load("1e-remote-catalog");
    let devices = devices(&[
        ("1E Server", "server"),
        ("1E Server (Master Stack)", "server"),
        ("Catalog Server", "catalog"),
        ("SQL Server (1E Catalog database)", "catalog_sql"),
    ]);
    assert_rows(&example, REMOTE_CATALOG, &devices);
    assert_flows_accounted(&example, &all_rows(), &devices);
}

#[test]
fn remote_response_stack_holds_every_row() {
    let example = Example::load("1e-remote-response-stack");
    let devices = devices(&[
        ("1E Server", "master"),
        ("1E Server", "response"),
        ("1E Server (Master Stack)", "master"),
        ("1E Server (Response Stack)", "response"),
    ]);
    assert_rows(&example, REMOTE_RESPONSE_STACK, &devices);
    assert_flows_accounted(&example, &all_rows(), &devices);
}

#[test]
fn dmz_holds_every_row() {
    let example = Example::load("1e-dmz");
    let devices = devices(&[
        ("1E Server", "server"),
        ("1E Server (Master Stack)", "server"),
        ("1E Server (Response Stack)", "server"),
        ("DMZ Server", "dmzsrv"),
        ("Internet-facing clients", "roaming"),
        ("Clients", "roaming"),
    ]);
    assert_rows(&example, DMZ, &devices);
    assert_flows_accounted(&example, &all_rows(), &devices);
}
