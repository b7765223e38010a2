//! The listings' readers on hand-written texts: each shape the rule files write is read as what
//! it accepts, every other shape of a valid listing is an `Other` rule (drift, never dropped),
//! and a text without the listing's shape is unreadable at the JSON path or line named.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails by panicking

use portolan_drift::norm::{Dir, Housekeeping};
use portolan_drift::{Family, What, parse_iptables, parse_nft};

/// A listing of Portolan's table with one input rule of these expressions.
fn nft_rule(expr: &str) -> String {
    format!(
        r#"{{"nftables": [
  {{"metainfo": {{"json_schema_version": 1}}}},
  {{"table": {{"family": "inet", "name": "portolan", "handle": 1}}}},
  {{"set": {{"family": "inet", "name": "peers_v4", "table": "portolan", "type": "ipv4_addr", "flags": ["interval"],
            "elem": [{{"prefix": {{"addr": "10.0.0.0", "len": 31}}}}, {{"range": ["10.0.1.1", "10.0.1.3"]}}]}}}},
  {{"chain": {{"family": "inet", "table": "portolan", "name": "input", "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}}},
  {{"rule": {{"family": "inet", "table": "portolan", "chain": "input", "handle": 4, "expr": {expr}}}}}
]}}"#
    )
}

fn nft_what(expr: &str) -> What {
    let live = parse_nft(&nft_rule(expr)).unwrap();
    assert_eq!(live.rules.len(), 1);
    live.rules[0].what.clone()
}

fn accepted(what: &What) -> String {
    match what {
        What::Accept(a) => a.text(portolan_emit::rules::Direction::Input),
        other => format!("{other:?}"),
    }
}

const TCP_443: &str =
    r#"{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}"#;

#[test]
fn nft_shapes_the_rule_files_write_are_read() {
    let set =
        r#"{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@peers_v4"}}"#;
    let what = nft_what(&format!(r#"[{set}, {TCP_443}, {{"accept": null}}]"#));
    assert_eq!(accepted(&what), "tcp 443 from 10.0.0.0/31, 10.0.1.1, 10.0.1.2/31");
    let any = nft_what(&format!(r#"[{TCP_443}, {{"accept": null}}]"#));
    assert_eq!(accepted(&any), "tcp 443 from any address");
    let anonymous = r#"{"match": {"op": "==", "left": {"payload": {"protocol": "ip6", "field": "saddr"}},
        "right": {"set": ["2001:db8::1", {"prefix": {"addr": "2001:db8:1::", "len": 48}}]}}}"#;
    let ports = r#"{"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}},
        "right": {"set": [53, {"range": [7600, 7610]}]}}}"#;
    let what = nft_what(&format!(r#"[{anonymous}, {ports}, {{"accept": null}}]"#));
    assert_eq!(accepted(&what), "udp 53, 7600-7610 from 2001:db8::1, 2001:db8:1::/48");
    let lo = r#"[{"match": {"op": "==", "left": {"meta": {"key": "iif"}}, "right": "lo"}}, {"accept": null}]"#;
    assert_eq!(nft_what(lo), What::Housekeeping(vec![Housekeeping::Loopback(Dir::In)]));
    let ct = r#"[{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["related", "established"]}}, {"accept": null}]"#;
    assert_eq!(nft_what(ct), What::Housekeeping(vec![Housekeeping::Established]));
}

#[test]
fn nft_other_shapes_are_other_rules() {
    let cases = [
        // A counter, a drop, a negation, a match the rule files never write, saddr in output's
        // place, an unknown set, another verdict after the accept, a loopback in the wrong chain.
        format!(r#"[{TCP_443}, {{"counter": {{"packets": 0, "bytes": 0}}}}, {{"accept": null}}]"#),
        format!(r#"[{TCP_443}, {{"drop": null}}]"#),
        r#"[{"match": {"op": "!=", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 443}}, {"accept": null}]"#.to_string(),
        r#"[{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "tcp"}}, {"accept": null}]"#.to_string(),
        format!(r#"[{{"match": {{"op": "==", "left": {{"payload": {{"protocol": "ip", "field": "daddr"}}}}, "right": "10.0.0.1"}}}}, {TCP_443}, {{"accept": null}}]"#),
        format!(r#"[{{"match": {{"op": "==", "left": {{"payload": {{"protocol": "ip", "field": "saddr"}}}}, "right": "@nowhere"}}}}, {TCP_443}, {{"accept": null}}]"#),
        r#"[{"match": {"op": "==", "left": {"meta": {"key": "oif"}}, "right": "lo"}}, {"accept": null}]"#.to_string(),
        r#"[{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related", "new"]}}, {"accept": null}]"#.to_string(),
        r#"[{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"range": [90, 80]}}}, {"accept": null}]"#.to_string(),
    ];
    for expr in cases {
        assert_eq!(nft_what(&expr), What::Other, "{expr}");
    }
}

#[test]
fn nft_unreadable_listings_name_the_path() {
    let at = |text: &str| parse_nft(text).err().map(|e| e.at);
    assert_eq!(at(r#"{"nftables": 3}"#).as_deref(), Some("nftables"));
    assert_eq!(at(r#"{"nftables": [5]}"#).as_deref(), Some("nftables[0]"));
    assert_eq!(at(r#"{"nftables": [{"table": {"family": "inet"}}]}"#).as_deref(), Some("nftables[0].table.name"));
    let no_chain = r#"{"nftables": [{"rule": {"family": "inet", "table": "portolan", "expr": []}}]}"#;
    assert_eq!(at(no_chain).as_deref(), Some("nftables[0].rule.chain"));
    let no_expr = r#"{"nftables": [{"rule": {"family": "inet", "table": "portolan", "chain": "input"}}]}"#;
    assert_eq!(at(no_expr).as_deref(), Some("nftables[0].rule.expr"));
    assert_eq!(at(&nft_rule(r#"[{"accept": null}, "x"]"#)).as_deref(), Some("nftables[4].rule.expr[1]"));
    assert_eq!(at("{\"nftables\": [\n").as_deref(), Some("line 2 column 0"));
    // The near miss: an object kind nft may list, in Portolan's table, is drift, not an error.
    let map = r#"{"nftables": [{"table": {"family": "inet", "name": "portolan"}},
        {"map": {"family": "inet", "table": "portolan", "name": "m", "type": "ipv4_addr", "map": "verdict"}}]}"#;
    assert_eq!(parse_nft(map).unwrap().others.len(), 1);
}

#[test]
fn iptables_shapes_and_others() {
    let listing = |rule: &str| format!("*filter\n:INPUT DROP [0:0]\n:OUTPUT DROP [0:0]\n{rule}\nCOMMIT\n");
    let what = |rule: &str, family| parse_iptables(&listing(rule), family).unwrap().rules[0].what.clone();
    let multiport =
        "-A INPUT -s 10.0.0.1/32 -p tcp -m multiport --dports 135,445,1000:1010 -m comment --comment \"x\" -j ACCEPT";
    assert_eq!(accepted(&what(multiport, Family::V4)), "tcp 135, 445, 1000-1010 from 10.0.0.1");
    assert_eq!(
        accepted(&what("-A INPUT -p udp -m udp --dport 53 -j ACCEPT", Family::V6)),
        "udp 53 from any IPv6 address"
    );
    let nd = "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT";
    assert_eq!(what(nd, Family::V6), What::Housekeeping(vec![Housekeeping::Neighbour(135)]));
    for other in [
        "-A INPUT ! -s 10.0.0.1/32 -p tcp --dport 22 -j ACCEPT",
        "-A INPUT -p tcp --dport 22 -j DROP",
        "-A INPUT -p tcp --dport 22 -j LOG",
        "-A INPUT -p tcp -j ACCEPT",
        "-A INPUT -d 10.0.0.1/32 -p tcp --dport 22 -j ACCEPT",
        "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT",
        "-A OUTPUT -i lo -j ACCEPT",
        "-A INPUT -p tcp --dport 90:80 -j ACCEPT",
    ] {
        assert_eq!(what(other, Family::V4), What::Other, "{other}");
    }
    let live = parse_iptables(&listing("-A FORWARD -j ACCEPT\n-A mine -j ACCEPT"), Family::V4).unwrap();
    assert_eq!((live.rules.len(), live.not_managed.len()), (0, 2));
}

#[test]
fn iptables_unreadable_listings_name_the_line() {
    let at = |text: &str| parse_iptables(text, Family::V4).err().map(|e| e.at);
    assert_eq!(at("-A INPUT -j ACCEPT\n").as_deref(), Some("line 1"));
    assert_eq!(at("*filter\n:INPUT\nCOMMIT\n").as_deref(), Some("line 2"));
    assert_eq!(at("*filter\n-A INPUT -m comment --comment \"open\nCOMMIT\n").as_deref(), Some("line 2"));
    assert_eq!(at("# a comment\n*filter\n:INPUT DROP [0:0]\n").as_deref(), Some("line 2"));
    assert_eq!(at("*filter\n*nat\nCOMMIT\n").as_deref(), Some("line 2"));
    assert_eq!(at("COMMIT\n").as_deref(), Some("line 1"));
    // The near misses: an empty listing (nothing loaded) and counters before each rule.
    assert!(!parse_iptables("", Family::V4).unwrap().table);
    assert!(parse_iptables("*filter\n:INPUT DROP [1:2]\n[3:4] -A INPUT -j ACCEPT\nCOMMIT\n", Family::V4).is_ok());
}
