//! P403: an address or network that is not valid.

use portolan_syntax::ast::AddressLit;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::net::Network;

pub fn diagnostic(db: &dyn Db, item: Item<'_>, address: &AddressLit, problem: &str) -> Diagnostic {
    let diagnostic =
        Diagnostic::new(Code::InvalidAddress, format!("`{}` is not a valid address or network", address.text))
            .primary(item.at(db, address.span), problem.to_string());
    let diagnostic = diagnostic.help(
        "write an IPv4 or IPv6 address, optionally with a prefix length: `10.20.1.5`, `10.20.0.0/16`, `2001:db8::/32`",
    );
    // Host bits set: the label names the network, and writing it is the fix.
    match Network::network_of(&address.text) {
        Some(network) => diagnostic.fix(
            format!("replace with `{network}`"),
            vec![Edit { location: item.at(db, address.span), text: network.to_string() }],
        ),
        None => diagnostic,
    }
}
