//! P403: an address or network that is not valid.

use portolan_syntax::ast::AddressLit;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Edit};
use crate::items::Item;
use crate::net::{AddressError, Network};

pub fn diagnostic(db: &dyn Db, item: Item<'_>, address: &AddressLit, error: &AddressError) -> Diagnostic {
    let problem = match error {
        AddressError::NotAnAddress { address } => format!("`{address}` is not an IPv4 or IPv6 address"),
        AddressError::BadPrefix { prefix, max } => {
            format!("`/{prefix}` is not a prefix length for this address: use 0 to {max}")
        }
        AddressError::HostBits { network } => {
            format!("`{}` has host bits set: the network is `{network}`", address.text)
        }
    };
    let diagnostic =
        Diagnostic::new(Code::InvalidAddress, format!("`{}` is not a valid address or network", address.text))
            .primary(item.at(db, address.span), problem);
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
