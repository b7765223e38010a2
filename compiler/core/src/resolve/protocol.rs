//! `protocol` items: default ports, transports, encryption.

use crate::db::Db;
use crate::eval::{NoNames, eval_ports};
use crate::items::Item;
use crate::resolve::Problem;
use crate::resolved::ProtocolInfo;
use portolan_model::ports::{PortSet, Transport};

#[salsa::tracked(returns(ref))]
pub fn protocol_info<'db>(db: &'db dyn Db, item: Item<'db>) -> ProtocolInfo<'db> {
    let Some(decl) = item.protocol_decl(db) else {
        let name = item.name(db).clone();
        return ProtocolInfo {
            title: name.to_uppercase(),
            name,
            docs: String::new(),
            default_ports: None,
            transports: Vec::new(),
            encrypted: false,
            problems: Vec::new(),
        };
    };
    let mut problems = Vec::new();
    let mut transports: Vec<Transport> = Vec::new();
    let mut with_ports = Vec::new();
    for term in &decl.ports.terms {
        transports.extend(crate::eval::transports_of(term.transports));
        if term.value.is_some() {
            with_ports.push(term.clone());
        }
    }
    transports.sort();
    transports.dedup();
    let default_ports = if with_ports.is_empty() {
        None
    } else {
        let spec = portolan_syntax::ast::PortSpec { terms: with_ports, span: decl.ports.span };
        let (ports, errors) = eval_ports(&spec, &mut NoNames, false);
        problems.extend(errors.into_iter().map(|error| Problem::InvalidPort { error }));
        Some(ports).filter(|p: &PortSet| !p.is_empty())
    };
    ProtocolInfo {
        name: decl.name.name.clone(),
        title: decl.title.as_ref().map_or_else(|| decl.name.name.to_uppercase(), |t| t.value.clone()),
        docs: decl.docs.text.clone(),
        default_ports,
        transports,
        encrypted: decl.encrypted.is_some(),
        problems,
    }
}
