//! `zone` items: trust level and address space.

use crate::db::Db;
use crate::items::Item;
use crate::net::Network;
use crate::resolve::{Part, Problem};
use crate::resolved::{Trust, ZoneInfo};

#[salsa::tracked(returns(ref))]
pub fn zone_info<'db>(db: &'db dyn Db, item: Item<'db>) -> ZoneInfo<'db> {
    let Some(decl) = item.zone_decl(db) else {
        return ZoneInfo {
            name: item.name(db).clone(),
            title: item.name(db).to_string(),
            docs: String::new(),
            trust: Trust::Internal,
            trust_given: false,
            cidrs: Vec::new(),
            problems: Vec::new(),
        };
    };
    let mut problems = Vec::new();
    let mut trust = None;
    for (i, level) in decl.trust.iter().enumerate() {
        if i > 0 {
            problems.push(Problem::DuplicateMember {
                part: Part::TrustLevel,
                ident: level.clone(),
                previous: decl.trust[0].span,
            });
            continue;
        }
        match Trust::parse(&level.name) {
            Some(t) => trust = Some(t),
            None => problems.push(Problem::UnknownTrust { level: level.clone() }),
        }
    }
    let mut cidrs = Vec::new();
    for cidr in &decl.cidrs {
        match Network::parse(&cidr.text) {
            Ok(network) => cidrs.push(network),
            Err(error) => problems.push(Problem::InvalidAddress { address: cidr.clone(), error }),
        }
    }
    ZoneInfo {
        name: decl.name.name.clone(),
        title: decl.title.as_ref().map_or_else(|| decl.name.name.to_string(), |t| t.value.clone()),
        docs: decl.docs.text.clone(),
        trust: trust.unwrap_or(Trust::Internal),
        trust_given: trust.is_some(),
        cidrs,
        problems,
    }
}
