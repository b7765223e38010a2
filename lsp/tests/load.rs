//! The language server reads a spec folder with the same loader as `portolan check`: the same
//! files, the same skip rules and limits, and the same diagnostics for what it leaves out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use support::Client;

/// The codes published for each file that has any, by path inside the folder.
fn published(client: &Client) -> BTreeMap<String, Vec<String>> {
    let mut latest: BTreeMap<String, Value> = BTreeMap::new();
    for params in client.sent("textDocument/publishDiagnostics") {
        latest.insert(params["uri"].as_str().unwrap_or("").to_string(), params);
    }
    let folder = support::uri_of(client.folder.path());
    latest
        .into_iter()
        .filter_map(|(uri, params)| {
            let codes: Vec<String> = params["diagnostics"]
                .as_array()?
                .iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect();
            let name = uri.strip_prefix(&format!("{folder}/"))?.to_string();
            (!codes.is_empty()).then_some((name, codes))
        })
        .collect()
}

/// The codes `portolan check` reports for each file (it loads with the same call), by path inside
/// the folder.
fn checked(folder: &Path) -> BTreeMap<String, Vec<String>> {
    let spec = portolan::load::load(&portolan::load::OsSystem, folder, &portolan::load::Limits::DEFAULT).unwrap();
    let mut diagnostics = spec.problems.clone();
    diagnostics.extend(portolan::diagnostics(&spec.db));
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for diagnostic in diagnostics {
        let Some(location) = diagnostic.location() else { continue };
        let path = location.file.path(&spec.db).clone();
        let name = Path::new(&path).strip_prefix(folder).map(|p| p.to_string_lossy().into_owned()).unwrap_or(path);
        out.entry(name).or_default().push(diagnostic.code.as_str().to_string());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_and_the_command_line_see_the_same_spec() {
    let mut client = Client::start().await;
    let folder = client.folder.path().to_path_buf();
    // Not UTF-8: the server used to leave it out without a word.
    std::fs::write(folder.join("latin1.ptl"), b"// caf\xe9\nprotocol latin = tcp/9\n").unwrap();
    // Too large: left out (empty) and reported.
    let mut big = b"protocol big = tcp/9\n".to_vec();
    big.resize((32 << 20) + 1, b'\n');
    std::fs::write(folder.join("big.ptl"), &big).unwrap();
    // Never part of a spec.
    for skipped in [".git/x.ptl", "target/x.ptl", "node_modules/x.ptl"] {
        std::fs::create_dir_all(folder.join(skipped).parent().unwrap()).unwrap();
        std::fs::write(folder.join(skipped), "not a spec").unwrap();
    }
    client.open("site.ptl", None).await;
    client.diagnostics("site.ptl", 1).await;
    client.diagnostics("big.ptl", 1).await;
    let server = published(&client);
    assert_eq!(server.get("latin1.ptl").map(Vec::as_slice), Some(&["P001".to_string()][..]), "{server:?}");
    assert_eq!(server.get("big.ptl").map(Vec::as_slice), Some(&["P002".to_string()][..]), "{server:?}");
    assert_eq!(server, checked(&folder));
}
