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

const fn says(row: Row, says: &'static str) -> Configurable {
    Configurable { row, says, section: Section::Firewall }
}

const fn says_in(row: Row, says: &'static str, section: Section) -> Configurable {
    Configurable { row, says, section }
}

/// The Configurable column, row by row, in the page's words.
const SINGLE_SERVER_CONFIGURABLE: &[Configurable] = &[
    says(row("Single server", "1E Server", "443", "HTTPS", Dir::In), "HTTPSIISPORT"),
    says(row("Single server", "1E Server", "80", "HTTP", Dir::In), "Website Configuration panel"),
    says(row("Single server", "1E Server", "443", "HTTPS", Dir::Out), "not configurable"),
    says(row("Single server", "1E Server", "6002", "WebSocket (ws)", Dir::InOut), "configurable after installation"),
    says(row("Single server", "1E Server", "4000", "WebSocket Secure (wss)", Dir::In), "SwitchConfiguration"),
    says(row("Single server", "1E Server", "25", "SMTP", Dir::Out), "Yes"),
    says(row("Single server", "1E Server", "1433", "TDS", Dir::Out), "Not configurable from Setup"),
    says(row("Single server", "1E Server", "1433", "TDS", Dir::Out), "configurable in various Connectors"),
    says(row("Single server", "1E Server", "135 and 445", "WMI (DCOM)", Dir::Out), "Not configurable"),
    says(
        row("Single server", "SQL Server (TachyonMaster database)", "1433", "TDS", Dir::In),
        "Not configurable from Setup",
    ),
    says(
        row("1E clients", "1E Client", "4000", "WebSocket Secure (wss)", Dir::Out),
        "Switch=<SwitchName>:<SwitchPort>",
    ),
    says(row("1E clients", "1E Client", "443", "HTTPS", Dir::Out), "BackgroundChannelUrl"),
    says(row("1E clients", "Clients", "7766", "HTTPS", Dir::InOut), "MODELE.INTERACTION.PORT"),
    says(row("1E clients", "Browsers", "443", "HTTPS", Dir::Out), "HTTPSIISPORT"),
    says(row("1E clients", "Browsers", "80", "HTTP", Dir::Out), "Yes, during installation"),
    // "Ports used within the Tachyon Platform": not firewall rows.
    says_in(row("Internal", "1E Server", "3900", "WebSocket (ws)", Dir::In), "not recommended", Section::Unused),
    says_in(row("Internal", "1E Server", "8081", "HTTPS", Dir::In), "No", Section::Unused),
    says_in(row("Internal", "1E Server", "4001", "TCP", Dir::In), "client port + 1", Section::Unused),
    says_in(row("Internal", "1E Server", "3901", "WebSocket (ws)", Dir::In), "contact 1E for advice", Section::Host),
    says_in(row("Internal", "1E Server", "3901", "WebSocket (ws)", Dir::Out), "contact 1E for advice", Section::Host),
    says_in(row("Internal", "1E Server", "443", "HTTPS", Dir::Out), "HTTPSIISPORT", Section::Host),
];

/// The internal table's "TCP 80 | HTTP" row: the Master Stack reaching the Catalog website on the
/// host, both ends on the 1E Server's on-host table (the remote-Catalog table's words for the
/// Master Stack's side, the single-server table's for the Catalog's).
const INTERNAL_CATALOG_CONFIGURABLE: &[Configurable] = &[
    says_in(row("Internal", "1E Server", "80", "HTTP", Dir::Out), "manual configuration of 1E Server", Section::Host),
    says_in(row("Internal", "1E Server", "80", "HTTP", Dir::In), "Website Configuration panel", Section::Host),
];

const REMOTE_CATALOG_CONFIGURABLE: &[Configurable] = &[
    says(
        row("Remote Catalog", "1E Server (Master Stack)", "80", "HTTP", Dir::Out),
        "manual configuration of 1E Server",
    ),
    says(row("Remote Catalog", "Catalog Server", "80", "HTTP", Dir::In), "1E Catalog installer properties"),
    says(row("Remote Catalog", "Catalog Server", "443", "HTTPS", Dir::Out), "not configurable"),
    says(row("Remote Catalog", "Catalog Server", "1433", "TDS", Dir::Out), "1E Catalog installer properties"),
    says(
        row("Remote Catalog", "SQL Server (1E Catalog database)", "1433", "TDS", Dir::In),
        "during configuration of the SQL Server instance",
    ),
    says(row("Remote Catalog", "Browsers", "80", "HTTP", Dir::Out), "1E Catalog installer properties"),
];

const REMOTE_RESPONSE_STACK_CONFIGURABLE: &[Configurable] = &[
    says(row("Remote Response Stack", "1E Server (Master Stack)", "443", "HTTPS", Dir::Out), "HTTPSIISPORT"),
    says(
        row("Remote Response Stack", "1E Server (Response Stack)", "443", "HTTPS", Dir::In),
        "during the installation of the Response Stack",
    ),
    says(
        row("Remote Response Stack", "1E Server (Master Stack)", "3901", "WebSocket (ws)", Dir::In),
        "contact 1E for advice",
    ),
    says(
        row("Remote Response Stack", "1E Server (Response Stack)", "3901", "WebSocket (ws)", Dir::Out),
        "contact 1E for advice",
    ),
    says(
        row("Remote Response Stack", "SQL Server (TachyonMaster database)", "1433", "TDS", Dir::In),
        "Not configurable from Setup",
    ),
    says(
        row("Remote Response Stack", "1E Server (Response Stack)", "1433", "TDS", Dir::Out),
        "Not configurable from Setup",
    ),
];

const DMZ_CONFIGURABLE: &[Configurable] = &[
    says(row("DMZ", "DMZ Server", "443", "HTTPS", Dir::In), "HTTPSIISPORT"),
    says(row("DMZ", "DMZ Server", "443", "HTTPS", Dir::Out), "HTTPSIISPORT"),
    says(row("DMZ", "DMZ Server", "3901", "WebSocket (ws)", Dir::Out), "contact 1E for advice"),
    says(row("DMZ", "DMZ Server", "4001", "TCP", Dir::In), "client port + 1"),
    says(row("DMZ", "DMZ Server", "4000", "WebSocket Secure (wss)", Dir::In), "SwitchConfiguration"),
    says(row("DMZ", "1E Server (Response Stack)", "443", "HTTPS", Dir::In), "HTTPSIISPORT"),
    says(row("DMZ", "1E Server (Master Stack)", "443", "HTTPS", Dir::Out), "HTTPSIISPORT"),
    says(row("DMZ", "1E Server (Response Stack)", "4001", "TCP", Dir::Out), "client port + 1"),
    says(row("DMZ", "1E Server (Master Stack)", "3901", "WebSocket (ws)", Dir::In), "contact 1E for advice"),
    says(row("DMZ", "Internet-facing clients", "443", "HTTPS", Dir::Out), "BackgroundChannelUrl"),
    says(
        row("DMZ", "Internet-facing clients", "4000", "WebSocket Secure (wss)", Dir::Out),
        "Switch=<SwitchName>:<SwitchPort>",
    ),
];

#[test]
fn single_server_document_matches_the_page() {
    let doc = Document::load("1e-single-server");
    let devices = devices(&[("1E Server", "server")]);
    assert_configurable("1e-single-server", &doc, SINGLE_SERVER_CONFIGURABLE, &devices);
    assert_configurable("1e-single-server", &doc, INTERNAL_CATALOG_CONFIGURABLE, &devices);
    // Active Directory queries are an `Addition:` of the example.
    let additions = &[("server", "TCP 389")];
    assert_firewall_rows_are_vendor_rows(
        "1e-single-server",
        &doc,
        &[SINGLE_SERVER, CLIENTS].concat(),
        &devices,
        additions,
    );
    // "The table does not include internal communications within the Server": the roles' traffic
    // on the host is the server's on-host table, both ways, and never one of its firewall rows.
    let host: Vec<String> = doc
        .device_rows("server")
        .filter(|r| r.section == Section::Host)
        .map(|r| format!("{} {}", r.cells[1], r.cells[3]))
        .collect();
    let expected = [
        "TCP 3901 Incoming (local, on the host)",
        "TCP 80 Outgoing (local, on the host)",
        "TCP 443 Outgoing (local, on the host)",
        "TCP 443 Incoming (local, on the host)",
        "TCP 3901 Outgoing (local, on the host)",
        "TCP 80 Incoming (local, on the host)",
    ];
    assert_eq!(host, expected, "the 1E Server's on-host rows");
    // The page gives its firewall requirements per device: the document has no consolidated
    // inbound tables, whose vocabulary (public, private, local) is the KOBIL page's.
    let consolidated =
        doc.rows.iter().filter(|r| matches!(r.section, Section::Public | Section::Private | Section::Local));
    assert_eq!(consolidated.count(), 0, "the 1E document has consolidated inbound tables");
    // With the default sections, the roles' inputs reached only on the host are the Local
    // inbound table, and only it.
    let doc = Document::load_with_default_sections("1e-single-server");
    let local: Vec<&str> = doc
        .rows
        .iter()
        .filter(|r| r.section == Section::Local && r.node == "server")
        .map(|r| r.cells[0].as_str())
        .collect();
    assert_eq!(local, ["3901", "443", "80"], "the 1E Server's Local inbound rows");
}

#[test]
fn remote_catalog_document_matches_the_page() {
    let doc = Document::load("1e-remote-catalog");
    let devices = &[
        ("1E Server (Master Stack)", "server"),
        ("Catalog Server", "catalog"),
        ("SQL Server (1E Catalog database)", "catalog_sql"),
        ("Browsers", "admins"),
    ];
    assert_configurable("1e-remote-catalog", &doc, REMOTE_CATALOG_CONFIGURABLE, devices);
    let catalog_devices = &devices[1..3];
    assert_firewall_rows_are_vendor_rows("1e-remote-catalog", &doc, REMOTE_CATALOG, catalog_devices, &[]);
}

#[test]
fn remote_response_stack_document_matches_the_page() {
    let doc = Document::load("1e-remote-response-stack");
    let devices = devices(&[("1E Server (Master Stack)", "master"), ("1E Server (Response Stack)", "response")]);
    assert_configurable("1e-remote-response-stack", &doc, REMOTE_RESPONSE_STACK_CONFIGURABLE, &devices);
    // The Catalog is installed with the Master Stack: their connection stays on its host.
    assert_configurable("1e-remote-response-stack", &doc, INTERNAL_CATALOG_CONFIGURABLE, &[("1E Server", "master")]);
    // The table is "additional to the ports required for a Single-Server".
    let stacks = &[
        ("1E Server", "master"),
        ("1E Server", "response"),
        ("1E Server (Master Stack)", "master"),
        ("1E Server (Response Stack)", "response"),
    ];
    let rows = [REMOTE_RESPONSE_STACK, SINGLE_SERVER].concat();
    assert_firewall_rows_are_vendor_rows("1e-remote-response-stack", &doc, &rows, stacks, &[]);
}

#[test]
fn dmz_document_matches_the_page() {
    let doc = Document::load("1e-dmz");
    let devices = devices(&[
        ("1E Server (Master Stack)", "server"),
        ("1E Server (Response Stack)", "server"),
        ("DMZ Server", "dmzsrv"),
        ("Internet-facing clients", "roaming"),
    ]);
    assert_configurable("1e-dmz", &doc, DMZ_CONFIGURABLE, &devices);
    let dmz_devices = &[("DMZ Server", "dmzsrv")];
    assert_firewall_rows_are_vendor_rows("1e-dmz", &doc, DMZ, dmz_devices, &[]);
}

/// A named instance: "the SQL Browser service needs to be enabled to let the 1E Server
/// determine the port in use. You will need to open UDP port 1434 used by the SQL Browser." The
/// instance's own port is the deployment's ("any").
const NAMED_INSTANCE: &[Row] = &[
    Row {
        table: "Named instance",
        device: "1E Server",
        ports: "1434",
        transport: "UDP",
        protocol: "SQL Browser",
        dir: Dir::Out,
    },
    Row {
        table: "Named instance",
        device: "SQL Server (TachyonMaster database)",
        ports: "1434",
        transport: "UDP",
        protocol: "SQL Browser",
        dir: Dir::In,
    },
    Row {
        table: "Named instance",
        device: "1E Server",
        ports: "any",
        transport: "TCP",
        protocol: "TDS",
        dir: Dir::Out,
    },
    Row {
        table: "Named instance",
        device: "SQL Server (TachyonMaster database)",
        ports: "any",
        transport: "TCP",
        protocol: "TDS",
        dir: Dir::In,
    },
];

#[test]
fn named_instance_holds_the_sql_browser_rows() {
    let example = Example::load("1e-named-instance");
    let devices = devices(&[("1E Server", "server")]);
    assert_rows(&example, &[NAMED_INSTANCE, CLIENTS].concat(), &devices);
    assert_flows_accounted(&example, &[all_rows(), NAMED_INSTANCE.to_vec()].concat(), &devices);
}
