//! `iptables-save` or `ip6tables-save` output read into the compared form. Lines are `#`
//! comments, `*table`, `:CHAIN POLICY [packets:bytes]`, `-A CHAIN options...` (after
//! `[packets:bytes]` with `-c`) and `COMMIT`; any other line, an unclosed quote or a table without `COMMIT` is unreadable, with its line
//! number. Portolan's rules are the filter table's INPUT and OUTPUT; every other rule is listed
//! as not managed. A rule with an option the spec never writes is an `Other` rule (drift).

use portolan_model::ports::Transport;

use crate::norm::{Accept, Dir, Family, Housekeeping, Spans, icmpv6_type, network};
use crate::{Live, LiveChain, LiveRule, Source, Unmanaged, Unreadable, What};

const TABLE: &str = "filter";
const CHAINS: [&str; 2] = ["INPUT", "OUTPUT"];

fn unreadable(line: usize, message: impl Into<String>) -> Unreadable {
    Unreadable { at: format!("line {line}"), message: message.into() }
}

/// Reads a listing of one family; an error names the line that could not be read.
pub fn parse(text: &str, family: Family) -> Result<Live, Unreadable> {
    let mut live = Live {
        source: Source::Iptables(family),
        table: false,
        chains: Vec::new(),
        rules: Vec::new(),
        others: Vec::new(),
        not_managed: Vec::new(),
    };
    let mut table: Option<(String, usize)> = None;
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('*') {
            if let Some((open, at)) = &table {
                return Err(unreadable(number, format!("a new table before the `COMMIT` of `{open}` (line {at})")));
            }
            if name.is_empty() || name.contains(char::is_whitespace) {
                return Err(unreadable(number, "`*` not followed by a table name"));
            }
            live.table |= name == TABLE;
            table = Some((name.to_string(), number));
            continue;
        }
        if line == "COMMIT" {
            if table.take().is_none() {
                return Err(unreadable(number, "`COMMIT` outside a table"));
            }
            continue;
        }
        let Some((name, _)) = &table else {
            return Err(unreadable(number, "a rule or chain outside a table (no `*filter` line before it)"));
        };
        let ours = name == TABLE;
        if let Some(rest) = line.strip_prefix(':') {
            let parts: Vec<&str> = rest.split_whitespace().collect();
            let [chain, policy, ..] = parts.as_slice() else {
                return Err(unreadable(number, "a chain line is `:CHAIN POLICY [packets:bytes]`"));
            };
            if ours && CHAINS.contains(chain) {
                let policy = (*policy != "-").then(|| policy.to_string());
                live.chains.push(LiveChain {
                    name: chain.to_string(),
                    base: None,
                    policy,
                    at: format!("line {number}"),
                });
            }
            continue;
        }
        // `iptables-save -c` writes each rule's counters first: `[packets:bytes] -A ...`.
        let line = match line.strip_prefix('[').and_then(|rest| rest.split_once(']')) {
            Some((counters, rest)) if counters.split(':').all(|n| n.parse::<u64>().is_ok()) => rest.trim_start(),
            _ => line,
        };
        let words = words(line).map_err(|m| unreadable(number, m))?;
        let (Some("-A"), Some(chain)) = (words.first().map(String::as_str), words.get(1)) else {
            return Err(unreadable(number, "not a line of `iptables-save` (`*table`, `:CHAIN`, `-A CHAIN`, `COMMIT`)"));
        };
        let options = &words[2..];
        let comment = comment(options);
        let at = format!("line {number}");
        if ours && CHAINS.contains(&chain.as_str()) {
            let what = meaning(chain, options, family);
            live.rules.push(LiveRule { chain: chain.clone(), at, comment, text: line.to_string(), what });
        } else {
            let place = format!("table {name}, chain {chain}");
            live.not_managed.push(Unmanaged { table: place, at, comment, text: line.to_string() });
        }
    }
    if let Some((open, at)) = table {
        return Err(unreadable(at, format!("the table `{open}` has no `COMMIT`: the listing is cut short")));
    }
    Ok(live)
}

/// A line cut into words as `iptables-save` quotes them: `"..."` with `\"` and `\\` inside.
fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        if c == '"' {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err("a quote that is never closed".to_string()),
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(escaped) => word.push(escaped),
                        None => return Err("a quote that is never closed".to_string()),
                    },
                    Some(other) => word.push(other),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
        }
        out.push(word);
    }
    Ok(out)
}

fn comment(options: &[String]) -> Option<String> {
    options.iter().position(|o| o == "--comment").and_then(|i| options.get(i + 1)).cloned()
}

/// Ports as `443`, `7600:7610` or `53,7600:7610`.
fn ports(text: &str) -> Option<Spans> {
    let mut spans = Vec::new();
    for part in text.split(',') {
        let (a, b) = part.split_once(':').unwrap_or((part, part));
        let (a, b) = (a.parse::<u16>().ok()?, b.parse::<u16>().ok()?);
        if a > b {
            return None;
        }
        spans.push((u128::from(a), u128::from(b)));
    }
    Some(Spans::new(spans))
}

/// The rule's meaning: an accept, housekeeping, or `Other` at the first option of another
/// shape (a negation, a match module or target the spec never writes).
fn meaning(chain: &str, options: &[String], family: Family) -> What {
    let input = chain == "INPUT";
    let mut peers: Option<Spans> = None;
    let mut protocol: Option<&str> = None;
    let mut dports: Option<Spans> = None;
    let mut established = false;
    let mut loopback = None;
    let mut neighbour = None;
    let mut accept = false;
    let mut i = 0;
    while i < options.len() {
        let option = options[i].as_str();
        let Some(value) = options.get(i + 1).map(String::as_str) else { return What::Other };
        match option {
            "-s" | "-d" if (option == "-s") == input && peers.is_none() => {
                let mut spans = Vec::new();
                for net in value.split(',') {
                    match network(net) {
                        Some((f, span)) if f == family => spans.push(span),
                        _ => return What::Other,
                    }
                }
                peers = Some(Spans::new(spans));
            }
            "-p" if protocol.is_none() => protocol = Some(value),
            "-m" if matches!(value, "tcp" | "udp" | "multiport" | "comment" | "conntrack" | "icmp6") => {}
            "--dport" | "--dports" if dports.is_none() => match ports(value) {
                Some(spans) => dports = Some(spans),
                None => return What::Other,
            },
            "--comment" => {}
            "--ctstate" => {
                let mut states: Vec<String> = value.split(',').map(str::to_ascii_uppercase).collect();
                states.sort();
                if states != ["ESTABLISHED", "RELATED"] {
                    return What::Other;
                }
                established = true;
            }
            "-i" if input && value == "lo" => loopback = Some(Dir::In),
            "-o" if !input && value == "lo" => loopback = Some(Dir::Out),
            "--icmpv6-type" if neighbour.is_none() => match icmpv6_type(value) {
                Some(t) => neighbour = Some(t),
                None => return What::Other,
            },
            "-j" if value == "ACCEPT" && i + 2 == options.len() => accept = true,
            _ => return What::Other,
        }
        i += 2;
    }
    if !accept {
        return What::Other;
    }
    let transport = match protocol {
        Some("tcp") => Some(Transport::Tcp),
        Some("udp") => Some(Transport::Udp),
        _ => None,
    };
    match (transport, dports, peers, established, loopback, neighbour) {
        (Some(transport), Some(ports), peers, false, None, None) => {
            let peers = peers.unwrap_or_else(|| Spans::full(family));
            let (v4, v6) = match family {
                Family::V4 => (peers, Spans::default()),
                Family::V6 => (Spans::default(), peers),
            };
            What::Accept(Accept { transport, ports, v4, v6 })
        }
        (None, None, None, true, None, None) if protocol.is_none() => {
            What::Housekeeping(vec![Housekeeping::Established])
        }
        (None, None, None, false, Some(dir), None) if protocol.is_none() => {
            What::Housekeeping(vec![Housekeeping::Loopback(dir)])
        }
        (None, None, None, false, None, Some(t)) if matches!(protocol, Some("ipv6-icmp" | "icmpv6")) => {
            What::Housekeeping(vec![Housekeeping::Neighbour(t)])
        }
        _ => What::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_quoting_of_iptables_save() {
        let w = words(r#"-A INPUT -m comment --comment "a \"q\" b" -j ACCEPT"#).unwrap_or_default();
        assert_eq!(w, ["-A", "INPUT", "-m", "comment", "--comment", "a \"q\" b", "-j", "ACCEPT"]);
        assert!(words(r#"-A INPUT --comment "open"#).is_err());
    }
}
