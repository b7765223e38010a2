//! `zone` items: trust level and address space.

use crate::check;
use crate::db::Db;
use crate::items::Item;
use crate::model::{Trust, ZoneInfo};
use crate::net::Network;

#[salsa::tracked(returns(ref))]
pub fn zone_info<'db>(db: &'db dyn Db, item: Item<'db>) -> ZoneInfo {
    let Some(decl) = item.zone_decl(db) else {
        return ZoneInfo {
            name: item.name(db).clone(),
            title: item.name(db).to_string(),
            docs: String::new(),
            trust: Trust::Internal,
            trust_given: false,
            cidrs: Vec::new(),
            diagnostics: Vec::new(),
        };
    };
    let mut diagnostics = Vec::new();
    let mut trust = None;
    for (i, level) in decl.trust.iter().enumerate() {
        if i > 0 {
            diagnostics.push(check::duplicate::member(db, item, "trust level", level, decl.trust[0].span));
            continue;
        }
        match Trust::parse(&level.name) {
            Some(t) => trust = Some(t),
            None => diagnostics.push(check::trust::unknown(db, item, level)),
        }
    }
    let mut cidrs = Vec::new();
    for cidr in &decl.cidrs {
        match Network::parse(&cidr.text) {
            Ok(network) => cidrs.push(network),
            Err(problem) => diagnostics.push(check::invalid_address::diagnostic(db, item, cidr, &problem)),
        }
    }
    ZoneInfo {
        name: decl.name.name.clone(),
        title: decl.title.as_ref().map_or_else(|| decl.name.name.to_string(), |t| t.value.clone()),
        docs: decl.docs.text.clone(),
        trust: trust.unwrap_or(Trust::Internal),
        trust_given: trust.is_some(),
        cidrs,
        diagnostics,
    }
}
