//! P603: a flow end that no firewall rule can name. Reported by `portolan build` for the rule
//! targets (nftables, iptables, Aerleon), not by `check`: a spec written only for documentation
//! needs no addresses.

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;
use crate::resolve::{node_info, zone_info};

/// `node` is an end of a hop of `flow`, has no `address`, and its zone states no `cidr` and is
/// not `untrusted` (which would mean any address).
pub fn diagnostic(db: &dyn Db, flow: Item<'_>, node: Item<'_>) -> Diagnostic {
    let info = node_info(db, node);
    let zone = info.zone;
    let zone_name = zone.map(|z| zone_info(db, z).name.to_string()).unwrap_or_default();
    let mut diagnostic = Diagnostic::new(
        Code::NoAddress,
        format!("no firewall rule can name `{}`: it has no address, and zone `{zone_name}` states no CIDR", info.name),
    )
    .primary(flow.name_location(db), format!("this flow needs a rule to or from `{}`", info.name))
    .secondary(node.name_location(db), "declared here without `address`");
    if let Some(zone) = zone {
        diagnostic = diagnostic.secondary(zone.name_location(db), "this zone has no `cidr`");
    }
    diagnostic
        .note("a rule names the node's addresses, else its zone's CIDRs; only an `untrusted` zone with neither means any address")
        .help(format!(
            "give the node an address (`node {}: ... {{ address <address> }}`) or its zone a `cidr`",
            info.name
        ))
}
