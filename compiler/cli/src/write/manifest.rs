//! The manifest, `DIR/.portolan-manifest`: what `portolan build` owns in an output folder, the
//! files it wrote (each with its target) and the folders it made, so that a later build can
//! remove what it no longer writes and nothing else. A text file, one entry a line, sorted:
//!
//! ```text
//! # Written by `portolan build`: ...
//! portolan-manifest 1
//! file nftables nftables/web.nft
//! folder nftables
//! ```

use std::collections::{BTreeMap, BTreeSet};

/// The manifest's file name in the output folder.
pub const FILE: &str = ".portolan-manifest";

const HEADER: &str = "\
# Written by `portolan build`: the files it wrote in this folder, each with its target, and the
# folders it made. A build removes the listed files of the targets it builds that it no longer
# writes, and the listed folders this leaves empty; it touches nothing that is not listed.
# Do not edit; delete this file to make the next build remove nothing.
";
const VERSION: &str = "portolan-manifest 1";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Relative paths with `/`, each with the name of the target that wrote it.
    pub files: BTreeMap<String, String>,
    /// Relative paths of folders that builds made.
    pub folders: BTreeSet<String>,
}

impl Manifest {
    /// Reads a manifest; the error names the line that is wrong.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let mut manifest = Manifest::default();
        let mut versioned = false;
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !versioned {
                if line != VERSION {
                    return Err(format!("line {number}: expected `{VERSION}`, found `{line}`"));
                }
                versioned = true;
                continue;
            }
            let bad = |why: &str| format!("line {number}: {why}: `{line}`");
            if let Some(rest) = line.strip_prefix("file ") {
                let (target, path) = rest.split_once(' ').ok_or_else(|| bad("expected `file TARGET PATH`"))?;
                check_path(path).map_err(|why| bad(&why))?;
                if target.is_empty() || !target.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                    return Err(bad("not a target name"));
                }
                manifest.files.insert(path.to_string(), target.to_string());
            } else if let Some(path) = line.strip_prefix("folder ") {
                check_path(path).map_err(|why| bad(&why))?;
                manifest.folders.insert(path.to_string());
            } else {
                return Err(bad("expected `file TARGET PATH` or `folder PATH`"));
            }
        }
        if !versioned {
            return Err(format!("no `{VERSION}` line"));
        }
        Ok(manifest)
    }

    /// The manifest's text: the header, then the files and the folders, each sorted by path.
    pub fn render(&self) -> String {
        let mut text = format!("{HEADER}{VERSION}\n");
        for (path, target) in &self.files {
            text.push_str(&format!("file {target} {path}\n"));
        }
        for path in &self.folders {
            text.push_str(&format!("folder {path}\n"));
        }
        text
    }
}

/// A path the manifest can hold: relative, inside the output folder, one line. A manifest
/// edited to name `../x` or `/etc/x` must not make a build delete it.
pub fn check_path(path: &str) -> Result<(), String> {
    let plain = |part: &str| !part.is_empty() && part != "." && part != "..";
    if path.starts_with('/') || path.contains(['\\', ':']) || path.chars().any(char::is_control) {
        return Err("not a relative path inside the folder".into());
    }
    if !path.split('/').all(plain) {
        return Err("not a plain relative path".into());
    }
    if path == FILE {
        return Err("the manifest itself".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let mut manifest = Manifest::default();
        manifest.files.insert("nftables/web.nft".into(), "nftables".into());
        manifest.files.insert("model.json".into(), "json".into());
        manifest.folders.insert("nftables".into());
        let text = manifest.render();
        assert!(text.ends_with("file json model.json\nfile nftables nftables/web.nft\nfolder nftables\n"), "{text}");
        assert_eq!(Manifest::parse(&text), Ok(manifest));
    }

    #[test]
    fn a_manifest_naming_paths_outside_the_folder_is_refused() {
        for path in ["../x", "/etc/passwd", "a/../../x", "a//b", "./a", "c:x", "a\\b", FILE] {
            let text = format!("{VERSION}\nfile json {path}\n");
            assert!(Manifest::parse(&text).is_err(), "{path} was taken");
        }
        assert!(Manifest::parse("file json a\n").is_err(), "no version line");
        assert!(Manifest::parse(&format!("{VERSION}\nfiles json a\n")).unwrap_err().contains("line 2"));
    }
}
