//! An nftables rule's JSON expressions written back in `nft`'s own syntax (`ip saddr @app_v4
//! tcp dport 443 accept`), so that a rule the spec does not build is shown as the user would
//! write it; an expression of another shape is shown as its JSON.

use serde_json::Value;

/// The expressions as one line, cut to a readable length.
pub fn rule_text(expr: &[Value]) -> String {
    let parts: Vec<String> = expr.iter().map(expression).collect();
    cut(parts.join(" "))
}

fn cut(text: String) -> String {
    const MAX: usize = 300;
    if text.len() <= MAX {
        return text;
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn expression(e: &Value) -> String {
    let Some((key, body)) = e.as_object().filter(|o| o.len() == 1).and_then(|o| o.iter().next()) else {
        return e.to_string();
    };
    match key.as_str() {
        "match" => {
            let (Some(left), Some(right)) = (body.get("left").and_then(operand), body.get("right").and_then(value))
            else {
                return e.to_string();
            };
            match body.get("op").and_then(Value::as_str) {
                Some("==" | "in") | None => format!("{left} {right}"),
                Some(op) => format!("{left} {op} {right}"),
            }
        }
        "accept" | "drop" | "continue" | "return" if body.is_null() => key.clone(),
        "jump" | "goto" => match body.get("target").and_then(Value::as_str) {
            Some(target) => format!("{key} {target}"),
            None => e.to_string(),
        },
        "counter" | "reject" | "log" if body.is_null() || body.is_object() => key.clone(),
        _ => e.to_string(),
    }
}

/// The left side of a match: `ip saddr`, `tcp dport`, `ct state`, `iif`.
fn operand(left: &Value) -> Option<String> {
    if let Some(p) = left.get("payload") {
        return Some(format!("{} {}", p.get("protocol")?.as_str()?, p.get("field")?.as_str()?));
    }
    if let Some(ct) = left.get("ct") {
        return Some(format!("ct {}", ct.get("key")?.as_str()?));
    }
    if let Some(meta) = left.get("meta") {
        let key = meta.get("key")?.as_str()?;
        return Some(if matches!(key, "iif" | "oif" | "iifname" | "oifname") {
            key.to_string()
        } else {
            format!("meta {key}")
        });
    }
    None
}

/// The right side: `"lo"`, `443`, `@set`, `{ 53, 80-81 }`, `10.0.0.0/8`, `established,related`.
fn value(right: &Value) -> Option<String> {
    match right {
        Value::String(s) if s.starts_with('@') => Some(s.clone()),
        Value::String(s)
            if s.parse::<std::net::IpAddr>().is_ok() || s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            Some(s.clone())
        }
        Value::String(s) => Some(format!("\"{s}\"")),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().map(value).collect::<Option<Vec<_>>>().map(|v| v.join(",")),
        Value::Object(o) => {
            if let Some(Value::Array(items)) = o.get("set") {
                let values = items.iter().map(value).collect::<Option<Vec<_>>>()?;
                Some(format!("{{ {} }}", values.join(", ")))
            } else if let Some([a, b]) = o.get("range").and_then(Value::as_array).map(Vec::as_slice) {
                Some(format!("{}-{}", value(a)?, value(b)?))
            } else if let Some(p) = o.get("prefix") {
                Some(format!("{}/{}", p.get("addr")?.as_str()?, p.get("len")?.as_u64()?))
            } else {
                None
            }
        }
        _ => None,
    }
}
