//! P403: an address or network that is not valid.

use portolan_syntax::ast::AddressLit;

use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::Diagnostic;
use crate::items::Item;

pub fn diagnostic(db: &dyn Db, item: Item<'_>, address: &AddressLit, problem: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidAddress, format!("`{}` is not a valid address or network", address.text))
        .primary(item.at(db, address.span), problem.to_string())
        .help("write an IPv4 or IPv6 address, optionally with a prefix length: `10.20.1.5`, `10.20.0.0/16`, `2001:db8::/32`")
}
