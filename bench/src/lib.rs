//! Writes valid synthetic specs of a given size across many files, so that every stage of the
//! compiler is exercised: zones with address space and trust levels, nodes built from a local
//! component and from the standard library's, parameters and port ranges, clusters, flows
//! through a reverse proxy, and a policy with a default, rules and an encryption requirement.
//!
//! The spec checks without a diagnostic; the same size always gives the same text.
//!
//! Two more knobs measure the policy: many zones (`Size::zones`), and the policy's shape
//! (`Policy`): the estate's few broad rules, one rule that allows everything, or one `allow` per
//! pair of zones that flows use (about 36,000 rules at 200 zones and 100,000 flows).

use std::fmt::Write as _;

/// How large a spec to write.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    /// Flows in all, including the ones every node needs.
    pub flows: usize,
    /// Files the flows are spread over (the zones, components and policy have files of their own).
    pub files: usize,
    /// Zones holding services, at most [`MAX_ZONES`] (the internet and the DMZ come on top).
    pub zones: usize,
    pub policy: Policy,
}

impl Size {
    /// The estate's eight service zones and its policy.
    pub fn new(flows: usize, files: usize) -> Size {
        Size { flows, files, zones: SERVICE_ZONES, policy: Policy::Estate }
    }
}

/// The shape of the generated policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// A default, `allow within any`, broad allows, a deny and an encryption requirement.
    Estate,
    /// `default deny` and one rule that allows everything.
    OneRule,
    /// The estate's entry rules, then one `allow A -> B on https` for each pair of zones that
    /// some flow connects, in a `policy` block per source zone.
    PerZonePair,
}

/// Zones holding services by default; zone 0 is the internet and zone 1 the DMZ.
pub const SERVICE_ZONES: usize = 8;
/// At most this many service zones (each has a `10.Z.0.0/16`).
pub const MAX_ZONES: usize = 250;

/// A spec of the given size: (relative path, text) for each file.
pub fn generate(size: Size) -> Vec<(String, String)> {
    let zones = size.zones.clamp(1, MAX_ZONES);
    // Eight zones keep the estate's original proportions; many zones hold fewer services each.
    let per_zone = if zones == SERVICE_ZONES {
        (size.flows / (SERVICE_ZONES * 40)).clamp(4, 2000)
    } else {
        (size.flows / (zones * 8)).clamp(4, 2000)
    };
    let services: Vec<(usize, usize)> = (0..zones).flat_map(|z| (0..per_zone).map(move |i| (z + 2, i))).collect();
    let (flow_files, pairs) = flows(size, zones, &services);
    let policy = match size.policy {
        Policy::Estate => policy(),
        Policy::OneRule => one_rule_policy(zones),
        Policy::PerZonePair => per_pair_policy(zones, &pairs),
    };
    let mut files = vec![
        ("components.ptl".to_string(), components()),
        ("edge.ptl".to_string(), edge()),
        ("policy.ptl".to_string(), policy),
    ];
    for zone in 2..zones + 2 {
        files.push((format!("zone_{zone}.ptl"), zone_file(zone, per_zone)));
    }
    files.extend(flow_files);
    files
}

fn components() -> String {
    String::from(
        "//! The component every generated service is built from.

/// A service of the synthetic estate.
component Service \"Service\" {
    /// The service's HTTPS port.
    param port: port = 8443 \"SERVICE_PORT\"
    /// The first port of the cluster's range.
    param base: port = 7600 \"CLUSTER_BASE\"
    param clustered: bool = false \"clustered\"
    listen api: https on tcp/port \"API\"
    connect call: https optional \"calls to other services\"
    connect db: tds \"database\"
    peer mesh: jgroups on udp/base..base + 10 when clustered \"cluster\"
}
",
    )
}

fn edge() -> String {
    String::from(
        "//! The internet and the DMZ.
use std.infra

zone internet \"Internet\" {
    trust untrusted
    node clients[*] \"Clients\": infra.Browser
}

zone dmz \"DMZ\" {
    trust dmz
    cidr 192.0.2.0/24
    node edge_proxy \"Reverse proxy\": infra.ReverseProxy { address 192.0.2.10 }
}
",
    )
}

fn policy() -> String {
    String::from(
        "//! What may cross between the zones.
use edge.*

policy estate \"Synthetic estate\" {
    default deny
    allow within any
    allow any -> any on https \"service calls, the public entry among them\"
    deny internet -> any on tds \"no database from outside\"
    require encrypted across dmz \"nothing cleartext out of the estate\"
}
",
    )
}

/// `use` lines for every service zone and the edge.
fn uses(zones: usize) -> String {
    (2..zones + 2).map(|z| format!("use zone_{z}.*\n")).collect::<String>() + "use edge.*\n"
}

fn one_rule_policy(zones: usize) -> String {
    format!(
        "//! One rule that allows everything.\n{}\npolicy estate \"Synthetic estate\" {{\n    default deny\n    allow any -> any \"everything\"\n}}\n",
        uses(zones)
    )
}

/// The entry rules, then a block per source zone with one `allow` per destination zone its
/// flows reach.
fn per_pair_policy(zones: usize, pairs: &[(usize, usize)]) -> String {
    let mut text = format!(
        "//! One rule per pair of zones that flows connect.\n{}
policy estate \"Synthetic estate\" {{
    default deny
    allow within any
    allow internet -> edge_proxy on https \"public entry\"
    deny internet -> any on tds \"no database from outside\"
    require encrypted across dmz \"nothing cleartext out of the estate\"
}}
",
        uses(zones)
    );
    let mut from = usize::MAX;
    for &(a, b) in pairs {
        if a != from {
            if from != usize::MAX {
                text.push_str("}\n");
            }
            from = a;
            let name = if a == 1 { "dmz".to_string() } else { format!("zone_{a}") };
            let _ = writeln!(text, "\npolicy from_{name} \"Calls out of {name}\" {{");
        }
        let zone = |z: usize| if z == 1 { "dmz".to_string() } else { format!("zone_{z}") };
        let _ = writeln!(text, "    allow {} -> {} on https", zone(a), zone(b));
    }
    if from != usize::MAX {
        text.push_str("}\n");
    }
    text
}

fn zone_file(zone: usize, per_zone: usize) -> String {
    let mut text = format!(
        "//! Zone {zone} of the synthetic estate.\nuse std.infra\nuse components.*\n\nzone zone_{zone} \"Zone {zone}\" {{\n    trust {}\n    cidr 10.{zone}.0.0/16\n",
        if zone.is_multiple_of(2) { "internal" } else { "restricted" }
    );
    let _ = writeln!(text, "    node db_{zone} \"Database\": infra.SqlServer {{ address 10.{zone}.255.1 }}");
    for i in 0..per_zone {
        let address = format!("10.{zone}.{}.{}", i / 250, i % 250 + 1);
        if i % 50 == 7 {
            // A cluster of three, with its own range and port.
            let _ = writeln!(
                text,
                "    node svc_{zone}_{i}[3]: Service {{ address {address}, 10.{zone}.254.{}, 10.{zone}.253.{}  clustered = true  base = {}  port = {} }}",
                i % 250 + 1,
                i % 250 + 1,
                7600 + (i % 40) * 11,
                8443 + i % 7
            );
        } else {
            let _ = writeln!(text, "    node svc_{zone}_{i}: Service {{ address {address}  port = {} }}", 8443 + i % 7);
        }
    }
    text.push_str("}\n");
    text
}

/// A small deterministic generator (a linear congruential one), so specs are reproducible.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// The flow files, and the pairs of different zones their hops connect (zone 1 is the DMZ),
/// sorted.
/// Files as (relative path, text).
type Files = Vec<(String, String)>;

fn flows(size: Size, zones: usize, services: &[(usize, usize)]) -> (Files, Vec<(usize, usize)>) {
    let mut pairs = std::collections::BTreeSet::new();
    let name = |&(zone, i): &(usize, usize)| format!("svc_{zone}_{i}");
    let mut lines: Vec<String> = Vec::with_capacity(size.flows);
    // What every service needs: its database, a caller, and its cluster's own traffic.
    for (k, service) in services.iter().enumerate() {
        lines.push(format!("flow {}.db -> db_{}.tds \"database of {}\"", name(service), service.0, name(service)));
        let caller = &services[(k + 1) % services.len()];
        lines.push(format!("flow {}.call -> {}.api \"call {k}\"", name(caller), name(service)));
        pairs.insert((caller.0, service.0));
        if service.1 % 50 == 7 {
            lines.push(format!("flow {0}.mesh -> {0}.mesh \"cluster of {0}\"", name(service)));
        }
    }
    lines.push(format!("flow clients.https -> {}.api via edge_proxy \"public entry\"", name(&services[0])));
    pairs.insert((1, services[0].0));
    // The rest: calls between random services, some from the internet through the proxy.
    let mut rng = Lcg(0x5eed);
    let mut n = 0;
    while lines.len() < size.flows {
        let from = &services[rng.below(services.len())];
        let to = &services[rng.below(services.len())];
        if n % 97 == 0 {
            lines.push(format!("flow clients.https -> {}.api via edge_proxy \"public route {n}\"", name(to)));
            pairs.insert((1, to.0));
        } else if from != to {
            lines.push(format!("flow {}.call -> {}.api \"route {n}\"", name(from), name(to)));
            pairs.insert((from.0, to.0));
        }
        n += 1;
    }
    let files = size.files.max(1);
    let chunk = lines.len().div_ceil(files);
    let header = uses(zones) + "\n";
    let files = lines
        .chunks(chunk.max(1))
        .enumerate()
        .map(|(i, chunk)| (format!("flows/flows_{i:03}.ptl"), format!("{header}{}\n", chunk.join("\n"))))
        .collect();
    pairs.retain(|(a, b)| a != b);
    (files, pairs.into_iter().collect())
}
