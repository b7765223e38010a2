//! What the fuzz targets share: how one fuzz input becomes the files of a spec.

use std::collections::BTreeSet;

/// `//- name` lines start a new file, as in the test fixtures; a later file of the same name
/// replaces an earlier one.
pub fn split_files(text: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = vec![("main.ptl".into(), String::new())];
    for line in text.split_inclusive('\n') {
        match line.trim_end().strip_prefix("//- ") {
            Some(name) if !name.is_empty() && name.len() < 40 => files.push((format!("{name}.ptl"), String::new())),
            _ => {
                if let Some((_, body)) = files.last_mut() {
                    body.push_str(line);
                }
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut unique: Vec<(String, String)> =
        files.into_iter().rev().filter(|(path, _)| seen.insert(path.clone())).collect();
    unique.reverse();
    unique
}
