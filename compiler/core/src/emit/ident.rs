//! Identifiers for names that a target uses as identifiers (nftables set names, Aerleon
//! network and service tokens): mapped into the target's alphabet, deterministically, and made
//! unique with a numeric suffix when two names map to the same identifier.

use std::collections::{BTreeMap, BTreeSet};

pub struct Idents {
    upper: bool,
    given: BTreeMap<String, String>,
    taken: BTreeSet<String>,
}

impl Idents {
    /// Identifiers of ASCII letters, digits and `_`, starting with a letter; `upper` makes
    /// them upper case (Aerleon's convention).
    pub fn new(upper: bool) -> Idents {
        Idents { upper, given: BTreeMap::new(), taken: BTreeSet::new() }
    }

    /// The identifier of `name`: the same for the same name, different for different names.
    /// Callers ask in a fixed order, so the suffixes are stable.
    pub fn get(&mut self, name: &str) -> String {
        self.assign(name, name).0
    }

    /// The identifier of `key`, made from `base` the first time; true when it is new.
    pub fn assign(&mut self, key: &str, base: &str) -> (String, bool) {
        if let Some(ident) = self.given.get(key) {
            return (ident.clone(), false);
        }
        let base = sanitize(base, self.upper);
        let mut ident = base.clone();
        let mut n = 2;
        while self.taken.contains(&ident) {
            ident = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(ident.clone());
        self.given.insert(key.to_string(), ident.clone());
        (ident, true)
    }
}

fn sanitize(name: &str, upper: bool) -> String {
    let mut out: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "n_");
    }
    if upper { out.to_ascii_uppercase() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collisions_get_suffixes_and_names_keep_their_identifier() {
        let mut idents = Idents::new(false);
        assert_eq!(idents.get("a.b_c"), "a_b_c");
        assert_eq!(idents.get("a_b.c"), "a_b_c_2");
        assert_eq!(idents.get("a.b_c"), "a_b_c");
        assert_eq!(idents.get("9lives"), "n_9lives");
        assert_eq!(Idents::new(true).get("app-1"), "APP_1");
    }
}
