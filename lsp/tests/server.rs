//! The language server driven through JSON-RPC in-process: every feature's answer on a small
//! spec, snapshotted, and the answers to malformed, unknown and stale requests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

mod support;

use serde_json::{Value, json};
use support::{COMPONENTS, Client, SITE, at, find};

/// The `key` of every object of a JSON array.
fn strings<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list.as_array().map(|l| l.iter().filter_map(|v| v[key].as_str()).collect()).unwrap_or_default()
}

fn codes(diagnostics: &Value) -> Vec<String> {
    let list = diagnostics["diagnostics"].as_array().cloned().unwrap_or_default();
    list.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

/// An incremental change replacing `old` (its first occurrence in `text`) by `new`.
fn replace(text: &str, old: &str, new: &str) -> Value {
    let (line, start) = find(text, old, 0);
    let end = start + old.encode_utf16().count() as u32;
    json!({ "range": { "start": { "line": line, "character": start }, "end": { "line": line, "character": end } }, "text": new })
}

async fn change(client: &mut Client, name: &str, version: i32, changes: Vec<Value>) {
    let uri = client.uri(name);
    let params = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes });
    client.notify("textDocument/didChange", params).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_on_open_cover_the_spec_folder_with_related_information() {
    let (client, _) = Client::with_site().await;
    let site = client.diagnostics("site.ptl", 1).await;
    assert_eq!(codes(&site), ["P201", "P202"], "{site:#}");
    assert_eq!(site["version"], 1);
    // The output is declared in the other file of the folder, which was loaded from disk.
    let related = &site["diagnostics"][0]["relatedInformation"];
    assert!(related.to_string().contains("components.ptl"), "{related:#}");
    insta::assert_snapshot!("open_site_diagnostics", client.redact(&site));
    let components = client.diagnostics("components.ptl", 1).await;
    assert_eq!(codes(&components), Vec::<String>::new(), "{components:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_edits_after_non_ascii_text_land_where_the_client_means() {
    let (mut client, uri) = Client::with_site().await;
    client.diagnostics("site.ptl", 1).await;
    // `Browser` follows `"Usérs 😀"` on its line: UTF-16 columns differ from bytes and chars.
    change(&mut client, "site.ptl", 2, vec![replace(SITE, ": Browser", ": Browsr")]).await;
    let site = client.diagnostics("site.ptl", 2).await;
    assert_eq!(site["version"], 2);
    let misspelt = site["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "P101").cloned();
    let misspelt = misspelt.unwrap_or_else(|| panic!("no P101: {site:#}"));
    let (line, column) = find(SITE, "Browser", 0);
    assert_eq!(misspelt["range"]["start"], json!({ "line": line, "character": column }));
    assert_eq!(misspelt["range"]["end"], json!({ "line": line, "character": column + 6 }));
    insta::assert_snapshot!("misspelt_after_emoji", client.redact(&misspelt));

    // The quick fix puts the name back, at the same UTF-16 range.
    let params = json!({
        "textDocument": { "uri": uri },
        "range": misspelt["range"],
        "context": { "diagnostics": [] }
    });
    let actions = client.request("textDocument/codeAction", params).await;
    insta::assert_snapshot!("replace_with_suggestion", client.redact(&actions["result"]));

    // Two edits in one change, the second counted in the text the first produced.
    let edited = SITE.replace(": Browser", ": Browsr");
    let first = replace(&edited, ": Browsr", ": Browser");
    let second = replace(&edited, "\"Route 2\"", "\"Route 2 ☕\"");
    change(&mut client, "site.ptl", 3, vec![first, second]).await;
    let site = client.diagnostics("site.ptl", 3).await;
    assert_eq!(codes(&site), ["P201", "P202"], "{site:#}");
    let hover =
        client.request("textDocument/hover", at(&uri, find(SITE, "Browser", 3).0, find(SITE, "Browser", 3).1)).await;
    assert!(hover["result"]["contents"]["value"].as_str().unwrap_or("").contains("component"), "{hover:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_shows_ports_nodes_components_and_protocols() {
    let (mut client, uri) = Client::with_site().await;
    let mut answers = Vec::new();
    for (needle, shift) in
        [("app.https", 5), ("app.https", 1), ("Browser", 2), ("sql \"Database\"", 1), ("https_port =", 2)]
    {
        let (line, column) = find(SITE, needle, shift);
        let answer = client.request("textDocument/hover", at(&uri, line, column)).await;
        answers.push(answer["result"].clone());
    }
    // A port resolved on its node: the node sets `https_port = 9443`.
    let port = answers[0]["contents"]["value"].as_str().unwrap_or("");
    assert!(port.contains("TCP 9443") && port.contains("HTTPS"), "{port}");
    insta::assert_snapshot!("hovers", client.redact(&Value::Array(answers)));

    // A protocol of the standard library, hovered where a component uses it.
    let components = client.uri("components.ptl");
    let (line, column) = find(COMPONENTS, "tds \"application", 1);
    let protocol = client.request("textDocument/hover", at(&components, line, column)).await;
    insta::assert_snapshot!("hover_protocol", client.redact(&protocol["result"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definition_leads_into_other_files_and_the_standard_library() {
    let (mut client, uri) = Client::with_site().await;
    let (line, column) = find(SITE, "App {", 1);
    let component = client.request("textDocument/definition", at(&uri, line, column)).await;
    assert_eq!(component["result"]["uri"], client.uri("components.ptl"));
    let (line, column) = find(SITE, "proxy.https", 8);
    let port = client.request("textDocument/definition", at(&uri, line, column)).await;
    let components = client.uri("components.ptl");
    let (line, column) = find(COMPONENTS, "https: https relay", 9);
    let protocol = client.request("textDocument/definition", at(&components, line, column)).await;
    let target = protocol["result"]["uri"].as_str().unwrap_or("").to_string();
    assert!(target.ends_with("/std/proto.ptl"), "{protocol:#}");
    // The standard library's source is there to open, read-only.
    let path = client.stdlib.path().join("std/proto.ptl");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), portolan::stdlib::source("std/proto.ptl").unwrap());
    assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
    // Requests work inside it too, though it is no file of the spec.
    let line = protocol["result"]["range"]["start"]["line"].as_u64().unwrap() as u32;
    let inside = client.request("textDocument/hover", at(&target, line, 10)).await;
    assert!(inside["result"]["contents"]["value"].as_str().unwrap_or("").contains("HTTPS"), "{inside:#}");
    let answers = Value::Array(vec![component["result"].clone(), port["result"].clone(), protocol["result"].clone()]);
    insta::assert_snapshot!("definitions", client.redact(&answers));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_and_rename_cover_every_file() {
    let (mut client, uri) = Client::with_site().await;
    // The port `https` of `App`: declared in components.ptl, used by a flow in site.ptl.
    let (line, column) = find(SITE, "app.https", 5);
    let mut params = at(&uri, line, column);
    params["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", params).await;
    assert_eq!(references["result"].as_array().map(Vec::len), Some(2), "{references:#}");
    insta::assert_snapshot!("references_port", client.redact(&references["result"]));

    let (line, column) = find(SITE, "app \"Application\"", 1);
    let prepare = client.request("textDocument/prepareRename", at(&uri, line, column)).await;
    insta::assert_snapshot!("prepare_rename_node", client.redact(&prepare["result"]));
    let mut params = at(&uri, line, column);
    params["newName"] = json!("backend");
    let rename = client.request("textDocument/rename", params).await;
    let edits = rename["result"]["changes"][uri.as_str()].as_array().map(Vec::len);
    assert_eq!(edits, Some(2), "the node's name and the flow to it: {rename:#}");
    insta::assert_snapshot!("rename_node", client.redact(&rename["result"]));

    // Names of the standard library cannot be renamed; a new name must be a name.
    let components = client.uri("components.ptl");
    let (line, column) = find(COMPONENTS, "tds \"application", 1);
    let stdlib = client.request("textDocument/prepareRename", at(&components, line, column)).await;
    assert_eq!(stdlib["error"]["code"], -32803, "{stdlib:#}");
    let mut params = at(&uri, find(SITE, "app \"", 1).0, find(SITE, "app \"", 1).1);
    params["newName"] = json!("2fast");
    let invalid = client.request("textDocument/rename", params).await;
    assert_eq!(invalid["error"]["code"], -32803, "{invalid:#}");
    insta::assert_snapshot!(
        "rename_errors",
        format!("{}\n{}", stdlib["error"]["message"], invalid["error"]["message"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_offers_names_keywords_and_matching_ports() {
    let mut client = Client::start().await;
    let text = format!("{SITE}flow users.web -> proxy.\n");
    client.open("site.ptl", Some(&text)).await;
    let uri = client.uri("site.ptl");
    let (line, column) = find(&text, "-> proxy.", 9);
    let ports = client.request("textDocument/completion", at(&uri, line, column)).await;
    let labels = strings(&ports["result"], "label");
    // `proxy` also listens on `admin` (SSH) and has the output `app`: neither fits HTTPS.
    assert_eq!(labels, ["https"], "{ports:#}");
    insta::assert_snapshot!("complete_flow_target", client.redact(&ports["result"]));

    let (line, _) = find(&text, "-> proxy.", 0);
    let general = client.request("textDocument/completion", at(&uri, line + 1, 0)).await;
    let labels = strings(&general["result"], "label");
    for expected in ["flow", "zone", "App", "Browser", "app", "datacenter", "https", "tds"] {
        assert!(labels.contains(&expected), "`{expected}` missing from {labels:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_actions_fix_an_unmatched_output() {
    let (mut client, uri) = Client::with_site().await;
    let site = client.diagnostics("site.ptl", 1).await;
    let params = json!({
        "textDocument": { "uri": uri },
        "range": site["diagnostics"][0]["range"],
        "context": { "diagnostics": site["diagnostics"] }
    });
    let actions = client.request("textDocument/codeAction", params).await;
    let titles = strings(&actions["result"], "title");
    assert_eq!(titles, ["add a flow to sql.tds", "mark `db` optional"]);
    insta::assert_snapshot!("unmatched_output_actions", client.redact(&actions["result"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hints_tokens_folding_symbols_and_formatting() {
    let (mut client, uri) = Client::with_site().await;
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 999, "character": 0 } });
    let document = json!({ "textDocument": { "uri": uri } });

    let hints =
        client.request("textDocument/inlayHint", json!({ "textDocument": { "uri": uri }, "range": whole })).await;
    let labels = strings(&hints["result"], "label");
    assert_eq!(labels, [": tcp/443", ": tcp/9443"], "{hints:#}");
    insta::assert_snapshot!("inlay_hints", client.redact(&hints["result"]));

    let tokens = client.request("textDocument/semanticTokens/full", document.clone()).await;
    insta::assert_snapshot!("semantic_tokens", decode_tokens(SITE, &tokens["result"]["data"]));

    let folds = client.request("textDocument/foldingRange", document.clone()).await;
    insta::assert_snapshot!("folding_ranges", client.redact(&folds["result"]));

    let symbols = client.request("textDocument/documentSymbol", document.clone()).await;
    insta::assert_snapshot!("document_symbols", client.redact(&symbols["result"]));

    let found = client.request("workspace/symbol", json!({ "query": "prox" })).await;
    insta::assert_snapshot!("workspace_symbols", client.redact(&found["result"]));

    let formatting = json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 4, "insertSpaces": true } });
    let edits = client.request("textDocument/formatting", formatting).await;
    let formatted = apply(SITE, &edits["result"]);
    assert_eq!(formatted, portolan_fmt::format(SITE), "the edits give what `portolan fmt` prints");
}

/// Semantic tokens as `line:column text kind`, one a line.
fn decode_tokens(text: &str, data: &Value) -> String {
    const TYPES: [&str; 11] = [
        "comment",
        "string",
        "number",
        "keyword",
        "namespace",
        "type",
        "class",
        "struct",
        "variable",
        "property",
        "parameter",
    ];
    let numbers: Vec<u32> = data.as_array().unwrap().iter().map(|n| n.as_u64().unwrap() as u32).collect();
    let lines: Vec<&str> = text.lines().collect();
    let (mut line, mut start) = (0, 0);
    let mut out = String::new();
    for token in numbers.chunks(5) {
        if token[0] > 0 {
            start = 0;
        }
        line += token[0];
        start += token[1];
        let units: Vec<u16> = lines[line as usize].encode_utf16().collect();
        let word = String::from_utf16_lossy(&units[start as usize..(start + token[2]) as usize]);
        out.push_str(&format!("{line}:{start} {word} {} {}\n", TYPES[token[3] as usize], token[4]));
    }
    out
}

/// The text after a list of LSP edits (none overlapping), applied last to first.
fn apply(text: &str, edits: &Value) -> String {
    let mut out = text.to_string();
    let mut edits = edits.as_array().cloned().unwrap_or_default();
    edits.sort_by_key(|e| (e["range"]["start"]["line"].as_u64(), e["range"]["start"]["character"].as_u64()));
    for edit in edits.iter().rev() {
        let offset = |p: &Value| {
            let line = p["line"].as_u64().unwrap() as usize;
            let start: usize = out.split_inclusive('\n').take(line).map(str::len).sum();
            let rest = &out[start.min(out.len())..];
            let mut units = 0;
            let column = p["character"].as_u64().unwrap() as usize;
            start
                + rest
                    .char_indices()
                    .find(|(_, c)| {
                        let here = units;
                        units += c.len_utf16();
                        here >= column || *c == '\n'
                    })
                    .map_or(rest.len(), |(i, _)| i)
        };
        let (a, b) = (offset(&edit["range"]["start"]), offset(&edit["range"]["end"]));
        out.replace_range(a..b, edit["newText"].as_str().unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_unknown_out_of_range_and_stale_requests_do_not_break_the_server() {
    let (mut client, uri) = Client::with_site().await;

    // Parameters of the wrong shape: an error answer.
    let malformed = client
        .raw(json!({ "jsonrpc": "2.0", "id": 900, "method": "textDocument/hover", "params": { "textDocument": 5 } }))
        .await;
    assert_eq!(malformed["error"]["code"], -32602, "{malformed:#}");
    let unknown_method = client.request("portolan/noSuchThing", json!({})).await;
    assert_eq!(unknown_method["error"]["code"], -32601, "{unknown_method:#}");

    // A document nobody opened, in no spec folder, or not even a file: no answer, no error.
    for unknown in ["file:///nowhere/at/all.ptl", "untitled:Untitled-1", "https://example.invalid/x.ptl"] {
        let hover = client.request("textDocument/hover", at(unknown, 0, 0)).await;
        assert_eq!(hover, json!({ "jsonrpc": "2.0", "id": hover["id"], "result": null }), "{unknown}");
        let definition = client.request("textDocument/definition", at(unknown, 3, 4)).await;
        assert_eq!(definition["result"], Value::Null);
    }
    // A file of the spec folder that is not open is still answered from disk.
    let components = client.uri("components.ptl");
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": components } })).await;
    assert_eq!(symbols["result"].as_array().map(Vec::len), Some(4), "{symbols:#}");

    // Positions past the end of a line or of the file are clamped.
    for (line, character) in [(9999, 0), (3, 9999), (u32::MAX, u32::MAX)] {
        for method in ["textDocument/hover", "textDocument/definition", "textDocument/completion"] {
            let answer = client.request(method, at(&uri, line, character)).await;
            assert!(answer.get("result").is_some(), "{method} at {line}:{character}: {answer:#}");
        }
    }
    let mut params = at(&uri, 9999, 0);
    params["newName"] = json!("x");
    let rename = client.request("textDocument/rename", params).await;
    assert_eq!(rename["result"], Value::Null, "{rename:#}");

    // A change older than the document is ignored: the text stays as it was.
    change(&mut client, "site.ptl", 5, vec![replace(SITE, "\"Route 2\"", "\"Route two\"")]).await;
    change(&mut client, "site.ptl", 4, vec![json!({ "text": "this is not portolan" })]).await;
    change(&mut client, "site.ptl", 5, vec![json!({ "text": "neither is this" })]).await;
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    let names = strings(&symbols["result"], "name");
    assert!(names.contains(&"proxy.app -> app.https"), "{names:?}");
    // The server logs the ignored change; notifications may arrive after the answer above.
    client.wait_for("window/logMessage", |w| w["message"].as_str().unwrap_or("").contains("version 4")).await;

    // A change to an unknown document, and a change with an out-of-range range, are harmless.
    let params =
        json!({ "textDocument": { "uri": "file:///nowhere.ptl", "version": 2 }, "contentChanges": [{ "text": "x" }] });
    client.notify("textDocument/didChange", params).await;
    let far = json!({ "range": { "start": { "line": 500, "character": 3 }, "end": { "line": 2, "character": 900 } }, "text": "" });
    change(&mut client, "site.ptl", 6, vec![far]).await;
    let answer = client.request("textDocument/hover", at(&uri, 1, 5)).await;
    assert!(answer.get("result").is_some(), "{answer:#}");

    let shutdown = client.request("shutdown", Value::Null).await;
    assert_eq!(shutdown["result"], Value::Null, "{shutdown:#}");
    assert!(shutdown.get("error").is_none(), "{shutdown:#}");
    client.notify("exit", Value::Null).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_racing_edits_answer_or_report_content_modified() {
    let (mut client, uri) = Client::with_site().await;
    let (line, column) = find(SITE, "app.https", 5);
    let mut pending = Vec::new();
    for version in 2..40 {
        let label = format!("\"Route 2, edit {version}\"");
        let params = json!({
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [{ "text": SITE.replace("\"Route 2\"", &label) }]
        });
        pending.push(client.send("textDocument/didChange", params, false).await);
        pending.push(client.send("textDocument/hover", at(&uri, line, column), true).await);
        pending.push(
            client.send("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } }), true).await,
        );
    }
    let answers = futures::future::join_all(pending).await;
    for answer in answers.iter().filter(|a| !a.is_null()) {
        let ok = answer.get("result").is_some() || answer["error"]["code"] == -32801;
        assert!(ok, "an answer or ContentModified: {answer:#}");
    }
    // After the race, the last text is the one the server holds.
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await;
    let labels = strings(&symbols["result"], "detail");
    assert!(labels.contains(&"Route 2, edit 39"), "{labels:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standard_library_source_is_answered_against_the_spec_last_used() {
    let (mut client, site) = Client::with_site().await;
    // A second spec, in a folder of its own, that also uses the protocol `tds`.
    let other = tempfile::tempdir().unwrap();
    let text = "component Reporting \"Reports\" {\n    connect db: tds\n}\n";
    std::fs::write(other.path().join("reports.ptl"), text).unwrap();
    let reports = support::uri_of(&other.path().join("reports.ptl"));
    let params = json!({ "textDocument": { "uri": reports, "languageId": "portolan", "version": 1, "text": text } });
    client.notify("textDocument/didOpen", params).await;

    // Go to `tds` from the second spec, and open the standard library's source there.
    let definition = client.request("textDocument/definition", at(&reports, 1, 17)).await;
    let proto = definition["result"]["uri"].as_str().unwrap_or_else(|| panic!("{definition:#}")).to_string();
    let start = definition["result"]["range"]["start"].clone();
    let source = portolan::stdlib::source("std/proto.ptl").unwrap();
    let params = json!({ "textDocument": { "uri": proto, "languageId": "portolan", "version": 1, "text": source } });
    client.notify("textDocument/didOpen", params).await;
    let mut params = at(&proto, start["line"].as_u64().unwrap() as u32, start["character"].as_u64().unwrap() as u32);
    params["context"] = json!({ "includeDeclaration": true });

    let references = client.request("textDocument/references", params.clone()).await;
    let files = strings(&references["result"], "uri");
    assert!(files.contains(&reports.as_str()), "the spec it was reached from: {references:#}");
    assert!(!files.contains(&client.uri("components.ptl").as_str()), "{references:#}");

    // A request in the first spec makes it the one used.
    client.request("textDocument/hover", at(&site, 1, 5)).await;
    let references = client.request("textDocument/references", params).await;
    let files = strings(&references["result"], "uri");
    assert!(files.contains(&client.uri("components.ptl").as_str()), "{references:#}");
    assert!(!files.contains(&reports.as_str()), "{references:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_offers_module_paths_and_the_qualifiers_of_a_node_of_two_components() {
    let mut client = Client::start().await;
    let text =
        "use vendor.onee\n\nzone dc {\n    node server \"1E Server\": onee.MasterStack + onee.ResponseStack\n}\n";
    let cases = [
        ("after_use", format!("use \n{text}"), "use "),
        ("after_use_vendor", format!("use vendor.\n{text}"), "use vendor."),
        ("after_use_module", format!("use components.\n{text}"), "use components."),
        ("in_use_list", format!("use components.{{Proxy, \n{text}"), "use components.{Proxy, "),
        ("flow_from_two_components", format!("{text}flow server.\n"), "flow server."),
        ("flow_from_one_of_them", format!("{text}flow server.MasterStack.\n"), "flow server.MasterStack."),
    ];
    for (name, text, needle) in cases {
        client.open("deploy.ptl", Some(&text)).await;
        let uri = client.uri("deploy.ptl");
        let (line, column) = find(&text, needle, needle.len() as u32);
        let answer = client.request("textDocument/completion", at(&uri, line, column)).await;
        let items: Vec<String> = answer["result"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: {answer:#}"))
            .iter()
            .map(|c| format!("{} ({}) {}", c["label"].as_str().unwrap(), c["kind"], c["detail"].as_str().unwrap_or("")))
            .collect();
        insta::assert_snapshot!(format!("complete_{name}"), items.join("\n"));
        client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } })).await;
    }
}
