//! What one message body is as JSON-RPC 2.0: a request, notification or response to hand to
//! the server (re-encoded from the types the server decodes, so that its decoder cannot fail on
//! it), or an error to answer in its place (-32700 parse error, -32600 invalid request).

use serde_json::{Map, Value};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// What to do with one message.
#[derive(Debug)]
pub enum Verdict {
    /// The message, encoded again, for the server.
    Forward(Vec<u8>),
    /// Answer this instead; the reason goes to the log.
    Answer(Answer, String),
    /// Nothing to answer (a malformed response, notifications in a batch); the reason goes to
    /// the log.
    Drop(String),
}

/// An error response, or one per element of a batch.
#[derive(Debug)]
pub enum Answer {
    One(Response),
    Batch(Vec<Response>),
}

impl Answer {
    /// Whether the message was not JSON at all.
    pub fn is_parse_error(&self) -> bool {
        matches!(self, Answer::One(r) if r.error().is_some_and(|e| e.code == ErrorCode::ParseError))
    }
}

/// One element of a message: what it is, or why it is not a message.
enum Kind {
    Request(Request),
    Notification(Request),
    Response(Response),
    /// Shaped as a response but malformed: answering it would be a response to a response.
    BadResponse(String),
    /// Not JSON-RPC; answered with the id it carries when that is readable.
    Invalid(Id, String),
}

pub fn check(body: &[u8]) -> Verdict {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            let why = format!("the message is not JSON: {error}");
            return Verdict::Answer(Answer::One(error_response(Id::Null, ErrorCode::ParseError, &why)), why);
        }
    };
    match value {
        Value::Array(elements) => batch(elements),
        value => match kind(value) {
            Kind::Request(request) | Kind::Notification(request) => encode(serde_json::to_vec(&request)),
            Kind::Response(response) => encode(serde_json::to_vec(&response)),
            Kind::BadResponse(why) => Verdict::Drop(why),
            Kind::Invalid(id, why) => {
                Verdict::Answer(Answer::One(error_response(id, ErrorCode::InvalidRequest, &why)), why)
            }
        },
    }
}

/// LSP has no batches: each request of one gets an invalid-request error, with its id.
fn batch(elements: Vec<Value>) -> Verdict {
    if elements.is_empty() {
        let why = "an empty batch".to_string();
        return Verdict::Answer(Answer::One(error_response(Id::Null, ErrorCode::InvalidRequest, &why)), why);
    }
    let total = elements.len();
    let mut answers = Vec::new();
    for element in elements {
        match kind(element) {
            Kind::Request(request) => {
                let id = request.id().cloned().unwrap_or_default();
                let why = format!("a batch: `{}` must be sent on its own (LSP has no batches)", request.method());
                answers.push(error_response(id, ErrorCode::InvalidRequest, &why));
            }
            Kind::Invalid(id, why) => answers.push(error_response(id, ErrorCode::InvalidRequest, &why)),
            Kind::Notification(_) | Kind::Response(_) | Kind::BadResponse(_) => {}
        }
    }
    let why = format!("a batch of {total} messages (LSP has no batches): none of them was handled");
    if answers.is_empty() { Verdict::Drop(why) } else { Verdict::Answer(Answer::Batch(answers), why) }
}

fn kind(value: Value) -> Kind {
    let Value::Object(object) = value else {
        return Kind::Invalid(Id::Null, format!("a message must be a JSON object, not {}", json_type(&value)));
    };
    let id = object.get("id").and_then(|id| serde_json::from_value::<Id>(id.clone()).ok()).unwrap_or_default();
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Kind::Invalid(id, "a message must have `\"jsonrpc\": \"2.0\"`".to_string());
    }
    match object.get("method") {
        Some(Value::String(_)) => request(object),
        Some(other) => Kind::Invalid(id, format!("`method` must be a string, not {}", json_type(other))),
        None if object.contains_key("id") && (object.contains_key("result") || object.contains_key("error")) => {
            match serde_json::from_value::<Response>(Value::Object(object)) {
                Ok(response) => Kind::Response(response),
                Err(error) => Kind::BadResponse(format!("a malformed response from the client: {error}")),
            }
        }
        None => Kind::Invalid(id, "a message must have a `method` (or be a response)".to_string()),
    }
}

fn request(object: Map<String, Value>) -> Kind {
    let has_id = object.contains_key("id");
    if let Some(id) = object.get("id")
        && serde_json::from_value::<Id>(id.clone()).is_err()
    {
        return Kind::Invalid(Id::Null, format!("`id` must be a string or an integer, not {}", json_type(id)));
    }
    match serde_json::from_value::<Request>(Value::Object(object)) {
        Ok(request) if has_id => Kind::Request(request),
        Ok(notification) => Kind::Notification(notification),
        Err(error) => Kind::Invalid(Id::Null, format!("a malformed request: {error}")),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub fn error_response(id: Id, code: ErrorCode, why: &str) -> Response {
    Response::from_error(id, Error { code, message: why.to_string().into(), data: None })
}

fn encode(encoded: serde_json::Result<Vec<u8>>) -> Verdict {
    match encoded {
        Ok(bytes) => Verdict::Forward(bytes),
        Err(error) => Verdict::Drop(format!("a message could not be encoded again: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer to a body as JSON, or what is forwarded, or why it is dropped.
    fn verdict(body: &str) -> Value {
        match check(body.as_bytes()) {
            Verdict::Forward(bytes) => {
                serde_json::json!({ "forward": serde_json::from_slice::<Value>(&bytes).unwrap() })
            }
            Verdict::Answer(Answer::One(response), _) => serde_json::to_value(response).unwrap(),
            Verdict::Answer(Answer::Batch(responses), _) => serde_json::to_value(responses).unwrap(),
            Verdict::Drop(why) => serde_json::json!({ "drop": why }),
        }
    }

    fn code_and_id(answer: &Value) -> (i64, Value) {
        (answer["error"]["code"].as_i64().unwrap_or(0), answer["id"].clone())
    }

    #[test]
    fn well_formed_messages_are_forwarded_as_the_server_decodes_them() {
        let request = r#"{"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{"x":1},"extra":true}"#;
        let forwarded = verdict(request);
        assert_eq!(forwarded["forward"]["id"], 3, "unknown fields are tolerated: {forwarded}");
        assert_eq!(forwarded["forward"].get("extra"), None);
        for body in [
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            r#"{"jsonrpc":"2.0","id":"a","method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"shutdown","params":null}"#,
            r#"{"jsonrpc":"2.0","id":4,"result":null}"#,
            r#"{"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"no"}}"#,
            // A repeated key: the last one counts, as for any JSON reader.
            r#"{"jsonrpc":"2.0","id":6,"method":"x","method":"shutdown"}"#,
        ] {
            assert!(verdict(body).get("forward").is_some(), "{body}: {}", verdict(body));
        }
    }

    #[test]
    fn text_that_is_not_json_is_a_parse_error() {
        for body in ["{this is not json", "", "{\"jsonrpc\":\"2.0\"", "\u{feff}{}"] {
            let answer = verdict(body);
            assert_eq!(code_and_id(&answer), (-32700, Value::Null), "{body:?}: {answer}");
        }
        assert!(matches!(check(&[0xff, 0xfe]), Verdict::Answer(a, _) if a.is_parse_error()));
    }

    #[test]
    fn a_malformed_response_gets_no_answer() {
        let dropped = verdict(r#"{"jsonrpc":"2.0","id":12,"error":"bad"}"#);
        assert!(dropped["drop"].as_str().unwrap().contains("malformed response"), "{dropped}");
    }

    #[test]
    fn json_that_is_not_json_rpc_is_an_invalid_request_with_its_id_when_readable() {
        for (body, id) in [
            (r#"{"foo":1}"#, Value::Null),
            ("5", Value::Null),
            (r#""initialize""#, Value::Null),
            (r#"{"jsonrpc":"1.0","id":8,"method":"initialize"}"#, Value::from(8)),
            (r#"{"id":9,"method":"initialize"}"#, Value::from(9)),
            (r#"{"jsonrpc":"2.0","id":10}"#, Value::from(10)),
            (r#"{"jsonrpc":"2.0","id":"s","method":7}"#, Value::from("s")),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#, Value::Null),
            (r#"{"jsonrpc":"2.0","id":{},"method":"shutdown"}"#, Value::Null),
            ("[]", Value::Null),
        ] {
            let answer = verdict(body);
            assert_eq!(code_and_id(&answer), (-32600, id), "{body}: {answer}");
            assert!(!answer["error"]["message"].as_str().unwrap_or("").is_empty(), "{answer}");
        }
    }

    #[test]
    fn a_batch_answers_each_request_and_each_invalid_element() {
        let answer = verdict("[1,2]");
        assert_eq!(
            answer.as_array().map(|a| a.iter().map(code_and_id).collect::<Vec<_>>()).unwrap(),
            [(-32600, Value::Null), (-32600, Value::Null)]
        );
        let body = r#"[{"jsonrpc":"2.0","id":7,"method":"workspace/symbol","params":{"query":""}},
            {"jsonrpc":"2.0","method":"initialized","params":{}}, {"foo":1}]"#;
        let answer = verdict(body);
        let answers: Vec<(i64, Value)> = answer.as_array().unwrap().iter().map(code_and_id).collect();
        assert_eq!(answers, [(-32600, Value::from(7)), (-32600, Value::Null)], "{answer}");
        assert!(answer[0]["error"]["message"].as_str().unwrap().contains("workspace/symbol"), "{answer}");
        let notifications = r#"[{"jsonrpc":"2.0","method":"initialized","params":{}}]"#;
        assert!(verdict(notifications)["drop"].as_str().unwrap().contains("batch"), "{}", verdict(notifications));
    }
}
