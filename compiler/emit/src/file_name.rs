//! File names made from spec names (`nftables/<host>.nft`, `iptables/<host>.iptables`,
//! `aerleon/policies/pol/<host>.yaml`): safe on Linux, macOS and Windows file systems and
//! short, and unique in a folder even where case does not count. An ordinary name is its own
//! file name; any other is shortened and ends with the hash of the whole name.

use std::collections::{BTreeMap, BTreeSet};

use super::ident::{HASH_LEN, cut, short_hash};

/// The longest file name stem, in bytes: far below the 255 bytes file systems allow, leaving
/// room for the extension and for the temporary files of `portolan build` beside it.
pub const MAX_STEM: usize = 100;

/// Names Windows reserves for devices, with or without an extension, in any case.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt0",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The file name stems of `names` (one folder's files, each name once), in the same order.
///
/// A name is its own stem when it is *ordinary*: at most [`MAX_STEM`] bytes of ASCII letters,
/// digits, `_`, `-` and `.`, not starting with `.` or `-`, not ending with `.`, not a name
/// Windows reserves (`con`, `nul.x`, `COM1`: the part before the first dot), and no other name
/// of the folder equal to it but for case. Any other name becomes its first 83 bytes with every
/// other character (and every `.`) as `_`, then `-` and the [`short_hash`] of the whole name.
/// Two stems that would still be equal but for case (a hash collision) get `-2`, `-3`, ... in
/// the order of `names`.
pub fn stems(names: &[&str]) -> Vec<String> {
    let mut stems: Vec<String> = names.iter().map(|name| stem(name)).collect();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for stem in &stems {
        *count.entry(stem.to_ascii_lowercase()).or_default() += 1;
    }
    for (stem, name) in stems.iter_mut().zip(names) {
        if count.get(&stem.to_ascii_lowercase()).is_some_and(|&n| n > 1) && stem == name {
            *stem = hashed(name);
        }
    }
    number_repeats(&mut stems);
    stems
}

/// Gives each stem equal but for case to an earlier one `-2`, `-3`, ...
fn number_repeats(stems: &mut [String]) {
    let mut taken = BTreeSet::new();
    for stem in stems {
        let base = stem.clone();
        let mut n = 2;
        while !taken.insert(stem.to_ascii_lowercase()) {
            *stem = format!("{}-{n}", cut(&base, MAX_STEM - 1 - n.to_string().len()));
            n += 1;
        }
    }
}

/// The stem of one name, not knowing the folder's other names.
fn stem(name: &str) -> String {
    if ordinary(name) { name.to_string() } else { hashed(name) }
}

fn ordinary(name: &str) -> bool {
    let first = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    !name.is_empty()
        && name.len() <= MAX_STEM
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.starts_with(['.', '-'])
        && !name.ends_with('.')
        && !RESERVED.contains(&first.as_str())
}

/// The start of the name with only letters, digits, `_` and `-`, then `-` and the hash.
fn hashed(name: &str) -> String {
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    // Not starting with `-`, and not empty.
    let clean =
        if name.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') { clean } else { format!("_{clean}") };
    format!("{}-{}", cut(&clean, MAX_STEM - HASH_LEN - 1), short_hash(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(stem: &str) {
        assert!(!stem.is_empty() && stem.len() <= MAX_STEM, "{stem}");
        assert!(stem.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')), "{stem}");
        assert!(!stem.starts_with(['.', '-']) && !stem.ends_with(['.', ' ']), "{stem}");
        let first = stem.split('.').next().unwrap_or(stem).to_ascii_lowercase();
        assert!(!RESERVED.contains(&first.as_str()), "{stem}");
    }

    #[test]
    fn ordinary_names_are_their_own_file_names() {
        let names = ["app", "ssms-1", "web_2", "dmz.proxy", "Eko_Connector", &"a".repeat(MAX_STEM)];
        assert_eq!(stems(&names), names);
    }

    #[test]
    fn other_names_are_made_safe_short_and_unique() {
        let long = "n".repeat(300);
        let huge = "z".repeat(1 << 20);
        let names = [
            long.as_str(),
            huge.as_str(),
            "con",
            "NUL.web",
            "com1",
            "a<b>c:d\"e/f\\g|h?i*j",
            "tab\tnew\nline",
            "trailing.",
            ".hidden",
            "-option",
            "..",
            "",
            "é中🚀",
            "space name ",
        ];
        let made = stems(&names);
        for stem in &made {
            safe(stem);
        }
        let unique: BTreeSet<String> = made.iter().map(|s| s.to_ascii_lowercase()).collect();
        assert_eq!(unique.len(), names.len(), "{made:?}");
        assert!(made[0].starts_with(&"n".repeat(83)), "the stem keeps the start of the name: {}", made[0]);
        assert_eq!(made[0], stems(&[long.as_str()])[0], "stable");
    }

    #[test]
    fn names_equal_but_for_case_get_distinct_file_names() {
        let names = ["Web", "web", "app", "WEB"];
        let made = stems(&names);
        assert_eq!(made[2], "app", "a name that collides with none is kept");
        let folded: BTreeSet<String> = made.iter().map(|s| s.to_ascii_lowercase()).collect();
        assert_eq!(folded.len(), 4, "{made:?}");
        assert!(made[0].starts_with("Web-") && made[1].starts_with("web-"), "{made:?}");
    }

    #[test]
    fn a_name_shaped_like_a_hashed_one_gets_its_own_hash() {
        let long = "n".repeat(300);
        let shaped = stems(&[long.as_str()])[0].clone();
        let both = stems(&[long.as_str(), shaped.as_str()]);
        assert_eq!(both[0], shaped);
        assert_ne!(both[1].to_ascii_lowercase(), shaped.to_ascii_lowercase());
        safe(&both[1]);
    }

    #[test]
    fn stems_still_equal_after_hashing_are_numbered() {
        let full = "h".repeat(MAX_STEM);
        let mut repeated = vec!["a".to_string(), "A".to_string(), "a".to_string(), full.clone(), full.clone()];
        number_repeats(&mut repeated);
        assert_eq!(repeated[..3], ["a", "A-2", "a-3"]);
        assert_eq!(repeated[4], format!("{}-2", &full[..MAX_STEM - 2]));
        for stem in &repeated {
            safe(stem);
        }
    }
}
