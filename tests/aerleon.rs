//! The `aerleon` target's platforms: insta snapshots of each platform's policies for two
//! examples, nftables alone by default and unchanged beside other platforms, every hop named in
//! every platform's files, and the rules a platform cannot take failing the build with the
//! rule and the platform named (what `aclgen` renders from them is in `validate.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use std::path::Path;

use portolan_emit::{AerleonPlatform, Options, Output, Target, emit, emit_with};
use portolan_model::Model;
use portolan_tests as support;

fn model(files: &[(String, String)]) -> Model {
    let db = support::database(files);
    let diagnostics = portolan::diagnostics(&db);
    assert!(diagnostics.is_empty(), "{}", support::rendered(&db, &diagnostics));
    portolan::export::export(&db).model
}

fn example(name: &str) -> Model {
    model(&support::read_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name)))
}

fn build(model: &Model, platforms: &[AerleonPlatform]) -> Result<Vec<Output>, String> {
    emit_with(model, Target::Aerleon, None, &Options { aerleon: platforms.to_vec() }).map_err(|e| e.to_string())
}

/// The files of one platform's folder.
fn of_platform(outputs: &[Output], platform: AerleonPlatform) -> Vec<&Output> {
    let folder = format!("aerleon/policies/{}/", platform.folder());
    outputs.iter().filter(|o| o.path.to_string_lossy().starts_with(&folder)).collect()
}

#[test]
fn snapshots_of_every_platform() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    // three-tier has three zones; sync-proxy IPv6 addresses and UDP.
    for name in ["three-tier", "sync-proxy"] {
        let outputs = build(&example(name), AerleonPlatform::ALL).unwrap();
        for &platform in &AerleonPlatform::ALL[1..] {
            let text: String = of_platform(&outputs, platform)
                .iter()
                .map(|o| format!("=== {} ===\n{}", o.path.display(), o.text))
                .collect();
            assert!(!text.is_empty(), "{name}: no policy for {}", platform.name());
            settings.bind(|| insta::assert_snapshot!(format!("aerleon-{name}-{}", platform.name()), text));
        }
        let defs: String = outputs
            .iter()
            .filter(|o| o.path.starts_with("aerleon/def"))
            .map(|o| format!("=== {} ===\n{}", o.path.display(), o.text))
            .collect();
        settings.bind(|| insta::assert_snapshot!(format!("aerleon-{name}-def"), defs));
    }
}

#[test]
fn nftables_alone_by_default_and_the_same_beside_other_platforms() {
    for dir in support::examples() {
        let model = model(&support::read_folder(&dir));
        let default = emit(&model, Target::Aerleon).unwrap();
        assert_eq!(build(&model, &[AerleonPlatform::Nftables]).unwrap(), default, "{}", dir.display());
        let policies = |outputs: &[Output]| -> Vec<Output> {
            of_platform(outputs, AerleonPlatform::Nftables).into_iter().cloned().collect()
        };
        let all = build(&model, AerleonPlatform::ALL).unwrap();
        assert_eq!(policies(&all), policies(&default), "{}: nftables' policies change beside others", dir.display());
        let juniper = build(&model, &[AerleonPlatform::Juniper]).unwrap();
        assert!(policies(&juniper).is_empty(), "{}: nftables written though not asked", dir.display());
    }
}

#[test]
fn platforms_are_named_as_aclgen_names_them() {
    for &platform in AerleonPlatform::ALL {
        assert_eq!(AerleonPlatform::parse(platform.name()), Some(platform));
    }
    assert_eq!(AerleonPlatform::parse("junipersrx"), None);
    assert_eq!(AerleonPlatform::parse("Juniper"), None);
}

#[test]
fn every_hop_appears_in_every_platforms_files() {
    for dir in support::examples() {
        let model = model(&support::read_folder(&dir));
        let outputs = build(&model, AerleonPlatform::ALL).unwrap();
        for &platform in AerleonPlatform::ALL {
            let text: String = of_platform(&outputs, platform).iter().map(|o| o.text.as_str()).collect();
            for flow in &model.flows {
                let needle = format!("{}.{} -> {}.{}", flow.from.node, flow.from.port, flow.to.node, flow.to.port);
                assert!(text.contains(&needle), "{}: {} does not name {needle}", dir.display(), platform.name());
            }
        }
    }
}

/// A spec of a client in zone `zone` reaching a server in zone `dc`.
fn zones(zone: &str) -> Model {
    let spec = format!(
        "component S {{ listen web: https }}\ncomponent C {{ connect web: https }}\n\
         zone {zone} {{ cidr 10.1.0.0/16  node c: C {{ address 10.1.0.1 }} }}\n\
         zone dc {{ cidr 10.0.0.0/16  node s: S {{ address 10.0.0.1 }} }}\nflow c.web -> s.web \"to the server\"\n"
    );
    model(&support::split_files(&spec))
}

#[test]
fn a_zone_name_a_zone_based_platform_cannot_take_fails_the_build() {
    let reserved = zones("all");
    for platform in [AerleonPlatform::Srx, AerleonPlatform::Paloalto] {
        let error = build(&reserved, &[platform]).unwrap_err();
        assert!(error.starts_with("flow 1 (c.web -> s.web) cannot be written"), "{error}");
        assert!(error.contains(&format!("`{}`", platform.name())) && error.contains("`all`"), "{error}");
        // Host platforms have no zone in their headers.
        assert!(build(&reserved, &[AerleonPlatform::Juniper]).is_ok());
    }
    assert!(build(&zones("all2"), &[AerleonPlatform::Srx, AerleonPlatform::Paloalto]).is_ok());
    // 32 characters: longer than PAN-OS takes, not Junos.
    let long = zones(&"z".repeat(32));
    let error = build(&long, &[AerleonPlatform::Paloalto]).unwrap_err();
    assert!(error.contains("longer than the 31 characters"), "{error}");
    assert!(build(&long, &[AerleonPlatform::Srx]).is_ok());
    assert!(build(&zones(&"z".repeat(31)), &[AerleonPlatform::Paloalto]).is_ok());
}

/// A flow on `count` ports that are no range.
fn ports(count: u16) -> Model {
    let ports: Vec<String> = (0..count).map(|i| format!("tcp/{}", 2000 + 2 * i)).collect();
    let spec = format!(
        "protocol many \"Many\" = {}\ncomponent S {{ listen p: many }}\ncomponent C {{ connect p: many }}\n\
         zone dc {{ cidr 10.0.0.0/16  node s: S {{ address 10.0.0.1 }}  node c: C {{ address 10.0.0.2 }} }}\n\
         flow c.p -> s.p\n",
        ports.join(", ")
    );
    model(&support::split_files(&spec))
}

#[test]
fn more_ports_than_a_gce_rule_holds_fail_the_build() {
    let error = build(&ports(257), &[AerleonPlatform::Gce]).unwrap_err();
    assert!(error.starts_with("flow 1 (c.p -> s.p) cannot be written for Aerleon's `gce`"), "{error}");
    assert!(error.contains("257 port ranges"), "{error}");
    assert!(build(&ports(257), &[AerleonPlatform::Juniper, AerleonPlatform::K8s]).is_ok());
    assert!(build(&ports(256), &[AerleonPlatform::Gce]).is_ok());
}

#[test]
fn gce_rules_name_the_hosts_network_tag_and_deny_the_rest_of_its_egress() {
    let outputs = build(&zones("office"), &[AerleonPlatform::Gce]).unwrap();
    let file = |host: &str| {
        let path = format!("aerleon/policies/gce/pol/{host}.yaml");
        outputs.iter().find(|o| o.path.to_string_lossy() == path).unwrap().text.clone()
    };
    let server = file("s");
    assert!(server.contains("gce: default INGRESS inet\n"), "{server}");
    assert!(server.contains("        destination-tag: s\n"), "{server}");
    // Nothing leaves the server but replies: its egress holds the deny alone.
    assert!(server.contains("gce: default EGRESS inet\n    terms:\n      - name: s-deny\n"), "{server}");
    let client = file("c");
    // Nothing reaches the client: no ingress filter, GCE's implied rule denies it.
    assert!(!client.contains("INGRESS"), "{client}");
    assert!(client.contains("        source-tag: c\n        protocol: tcp\n"), "{client}");
}
