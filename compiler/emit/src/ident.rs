//! Identifiers for names that a target uses as identifiers (nftables set names, Aerleon
//! network and service tokens, DOT and Mermaid node ids): mapped into the target's alphabet,
//! kept within the target's length limit, deterministically, and made unique with a numeric
//! suffix when two names map to the same identifier. A name too long for the target keeps its
//! start and ends with a short hash of the whole name ([`short_hash`]), the scheme file names
//! use too (`emit/file_name.rs`).

use std::collections::{BTreeMap, BTreeSet};

/// The characters an identifier may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// ASCII letters, digits and `_`, starting with a letter.
    Word,
    /// The same, upper case (Aerleon's convention).
    Upper,
    /// Any text: the target quotes it (DOT's quoted IDs).
    Quoted,
}

pub struct Idents {
    alphabet: Alphabet,
    max: usize,
    given: BTreeMap<String, String>,
    taken: BTreeSet<String>,
}

impl Idents {
    /// Identifiers of `alphabet`, at most `max` bytes long (`max` must leave room for a hash:
    /// at least [`HASH_LEN`] + 2).
    pub fn new(alphabet: Alphabet, max: usize) -> Idents {
        Idents { alphabet, max: max.max(HASH_LEN + 2), given: BTreeMap::new(), taken: BTreeSet::new() }
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
        let clean = sanitize(base, self.alphabet);
        let mut ident = self.fit(&clean, base);
        let mut n = 2;
        while self.taken.contains(&ident) {
            let numbered = format!("{clean}_{n}");
            ident = self.fit(&numbered, &format!("{base}\u{0}{n}"));
            n += 1;
        }
        self.taken.insert(ident.clone());
        self.given.insert(key.to_string(), ident.clone());
        (ident, true)
    }

    /// `clean` when it fits; else its start, `_` and the hash of `whole`.
    fn fit(&self, clean: &str, whole: &str) -> String {
        if clean.len() <= self.max {
            return clean.to_string();
        }
        let hash = short_hash(whole);
        let hash = if self.alphabet == Alphabet::Upper { hash.to_ascii_uppercase() } else { hash };
        format!("{}_{hash}", cut(clean, self.max - HASH_LEN - 1))
    }
}

fn sanitize(name: &str, alphabet: Alphabet) -> String {
    if alphabet == Alphabet::Quoted {
        return name.to_string();
    }
    let mut out: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "n_");
    }
    if alphabet == Alphabet::Upper { out.to_ascii_uppercase() } else { out }
}

/// The longest start of `text` of at most `max` bytes that ends on a character boundary.
pub fn cut(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// How many characters [`short_hash`] writes.
pub const HASH_LEN: usize = 16;

/// The 64-bit FNV-1a hash of the text's UTF-8 bytes as 16 lower-case hexadecimal digits: the
/// same on every platform and with every Rust version (FNV-1a is fixed arithmetic, unlike the
/// standard library's `DefaultHasher`), so a shortened name stays the same from build to build.
pub fn short_hash(text: &str) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let hash = text.bytes().fold(OFFSET, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(PRIME));
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collisions_get_suffixes_and_names_keep_their_identifier() {
        let mut idents = Idents::new(Alphabet::Word, 255);
        assert_eq!(idents.get("a.b_c"), "a_b_c");
        assert_eq!(idents.get("a_b.c"), "a_b_c_2");
        assert_eq!(idents.get("a.b_c"), "a_b_c");
        assert_eq!(idents.get("9lives"), "n_9lives");
        assert_eq!(Idents::new(Alphabet::Upper, 31).get("app-1"), "APP_1");
        assert_eq!(Idents::new(Alphabet::Quoted, 255).get("a.b \"c\""), "a.b \"c\"");
    }

    #[test]
    fn the_hash_is_fnv1a_64() {
        // The published FNV-1a test vectors.
        assert_eq!(short_hash(""), "cbf29ce484222325");
        assert_eq!(short_hash("a"), "af63dc4c8601ec8c");
        assert_eq!(short_hash("foobar"), "85944171f73967e8");
    }

    #[test]
    fn long_names_are_cut_with_a_hash_and_stay_unique() {
        for alphabet in [Alphabet::Word, Alphabet::Upper, Alphabet::Quoted] {
            let mut idents = Idents::new(alphabet, 31);
            let long = "n".repeat(300);
            let other = format!("{}m", "n".repeat(299));
            let a = idents.get(&long);
            let b = idents.get(&other);
            assert!(a.len() <= 31 && b.len() <= 31, "{a} {b}");
            assert_ne!(a, b);
            assert_eq!(idents.get(&long), a, "the same name, the same identifier");
            assert_eq!(Idents::new(alphabet, 31).get(&long), a, "stable from one build to the next");
            let exact = "x".repeat(31);
            assert_eq!(idents.get(&exact).to_ascii_lowercase(), exact, "a name that fits is kept");
        }
        let mut idents = Idents::new(Alphabet::Quoted, 40);
        let wide = "é".repeat(100);
        let ident = idents.get(&wide);
        assert!(ident.len() <= 40 && ident.starts_with('é'), "{ident}");
    }

    #[test]
    fn a_numbered_identifier_fits_too() {
        let mut idents = Idents::new(Alphabet::Word, 20);
        let a = idents.get(&format!("{}.", "a".repeat(19)));
        let b = idents.get(&format!("{}_", "a".repeat(19)));
        assert_eq!(a, format!("{}_", "a".repeat(19)));
        assert!(b.len() <= 20 && b != a, "{b}");
    }
}
