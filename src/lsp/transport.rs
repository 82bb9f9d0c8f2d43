//! A forgiving front for the server's input. tower-lsp-server decodes stdin with a tokio-util
//! `FramedRead`, which ends the stream after the first frame it cannot decode (a body that is not
//! JSON, not UTF-8, or not a JSON-RPC message; an unsupported `Content-Type`): one bad message
//! would silently end the session. This reader re-frames the input, drops (and logs to stderr)
//! every message tower-lsp-server would choke on, and passes the rest through unchanged.
//! It also makes requests whose method starts with `$/` answerable (see [`answerable`]).
//!
//! Still needed with tower-lsp-server 0.23: `tests/lsp_abuse.rs`
//! (`undecodable_messages_never_end_the_session`) sends each kind of undecodable body and checks
//! that the server keeps answering; without this front the first of them ends the session. The
//! check costs one pass over each body without building anything (see [`RequestShape`]);
//! tower-lsp-server then decodes the message as usual.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::jsonrpc;

/// Buffer between the filter task and the server.
const PIPE_CAPACITY: usize = 1 << 16;

/// Bodies larger than this are refused rather than buffered (agent files are a few KiB).
const MAX_BODY: usize = 64 << 20;

/// Header lines longer than this are read in pieces, so input without line breaks never grows a
/// buffer without bound.
const MAX_HEADER_LINE: u64 = 8 << 10;

/// Returns a stream carrying only the well-formed messages read from `input`. The filtering runs
/// in a spawned task; the stream ends when `input` does.
pub fn sanitized<I>(input: I) -> DuplexStream
where
    I: AsyncRead + Unpin + Send + 'static,
{
    let (mut tx, rx) = tokio::io::duplex(PIPE_CAPACITY);
    tokio::spawn(async move {
        let mut reader = BufReader::new(input);
        while let Some(body) = read_frame(&mut reader).await {
            let Some(body) = body else { continue };
            if !is_message(&body) {
                eprintln!("agentls warning: dropped a message that is not valid JSON-RPC ({} bytes)", body.len());
                continue;
            }
            let body = answerable(body);
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            if tx.write_all(header.as_bytes()).await.is_err() || tx.write_all(&body).await.is_err() {
                break;
            }
        }
        let _ = tx.shutdown().await;
    });
    rx
}

/// True when tower-lsp-server can decode `body` (it accepts a JSON-RPC response or request).
fn is_message(body: &[u8]) -> bool {
    serde_json::from_slice::<RequestShape>(body).is_ok() || serde_json::from_slice::<jsonrpc::Response>(body).is_ok()
}

/// Accepts exactly the JSON that [`jsonrpc::Request`] accepts, without building it: decoding the
/// `didOpen` of a large file into a `serde_json::Value` allocates and copies its whole text only
/// to throw it away, since tower-lsp-server decodes the message again.
#[derive(Deserialize)]
struct RequestShape {
    #[serde(rename = "jsonrpc")]
    _jsonrpc: Version,
    #[serde(rename = "method", default)]
    _method: String,
    #[serde(rename = "params", default)]
    _params: Option<AnyJson>,
    #[serde(rename = "id", default)]
    _id: Option<jsonrpc::Id>,
}

/// The `jsonrpc` member, which must be the string `"2.0"`.
struct Version;

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match String::deserialize(d)?.as_str() {
            "2.0" => Ok(Version),
            _ => Err(de::Error::custom("expected JSON-RPC version \"2.0\"")),
        }
    }
}

/// Any JSON value, accepted exactly when `serde_json::Value` would accept it (its nesting depth
/// limit included, since both go through `deserialize_any`), but not kept.
struct AnyJson;

impl<'de> Deserialize<'de> for AnyJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyJson)
    }
}

impl<'de> Visitor<'de> for AnyJson {
    type Value = AnyJson;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_i64<E>(self, _: i64) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_u64<E>(self, _: u64) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_f64<E>(self, _: f64) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_str<E>(self, _: &str) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_unit<E>(self) -> Result<AnyJson, E> {
        Ok(AnyJson)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyJson, A::Error> {
        while seq.next_element::<AnyJson>()?.is_some() {}
        Ok(AnyJson)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyJson, A::Error> {
        while map.next_entry::<IgnoredAny, AnyJson>()?.is_some() {}
        Ok(AnyJson)
    }
}

/// tower-lsp-server never answers a request whose method starts with `$/` (it treats every such
/// message as an optional notification), but the specification asks for MethodNotFound so the
/// client is not left waiting. Such a request is renamed to a method nobody serves, which
/// tower-lsp-server answers with MethodNotFound under the same id.
fn answerable(body: Vec<u8>) -> Vec<u8> {
    // memmem, not a byte-window scan: every `didOpen` body passes through here, and a window
    // scan of a 1 MB one costs more than the rest of this front together.
    if memchr::memmem::find(&body, b"\"$/").is_none() {
        return body;
    }
    let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(&body) else { return body };
    let has_id = v.get("id").is_some_and(|id| !id.is_null());
    let Some(method) = v.get("method").and_then(|m| m.as_str()).filter(|m| m.starts_with("$/")) else { return body };
    if !has_id {
        return body;
    }
    let renamed = format!("agentls/unsupported{method}");
    v["method"] = serde_json::Value::String(renamed);
    serde_json::to_vec(&v).unwrap_or(body)
}

/// Reads one frame: `None` at end of input, `Some(None)` for a frame that had to be skipped.
async fn read_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Option<Option<Vec<u8>>> {
    let mut len = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if (&mut *reader).take(MAX_HEADER_LINE).read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            // Blank lines between messages are noise, not a header block.
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                len = value.trim().parse::<usize>().ok();
            }
        }
    }
    let Some(len) = len else {
        eprintln!("agentls warning: skipped a header block without a usable Content-Length");
        return Some(None);
    };
    if len > MAX_BODY {
        // Skip the body without holding it, so the next message is framed correctly.
        eprintln!("agentls warning: skipped a message of {len} bytes (the limit is {MAX_BODY})");
        let mut body = (&mut *reader).take(len as u64);
        tokio::io::copy(&mut body, &mut tokio::io::sink()).await.ok()?;
        return Some(None);
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).await.ok()?;
    Some(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bad_frames_are_dropped_and_good_ones_pass() {
        let good = br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;
        let mut input = Vec::new();
        for body in [&b"{ not json"[..], &b"[1,2]"[..], &b"\xff\xfe"[..], &good[..]] {
            input.extend(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            input.extend(body);
        }
        input.extend(b"X-Garbage: 1\r\n\r\n");
        input.extend(format!("Content-Length: {}\r\nContent-Type: text/plain\r\n\r\n", good.len()).as_bytes());
        input.extend(good);
        let mut out = Vec::new();
        sanitized(std::io::Cursor::new(input)).read_to_end(&mut out).await.unwrap();
        let frame = format!("Content-Length: {}\r\n\r\n{}", good.len(), std::str::from_utf8(good).unwrap());
        assert_eq!(String::from_utf8(out).unwrap(), frame.repeat(2));
    }

    #[tokio::test]
    async fn an_oversized_body_is_skipped_and_the_next_message_still_framed() {
        let good = br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;
        let mut input = format!("Content-Length: {}\r\n\r\n", MAX_BODY + 1).into_bytes();
        input.resize(input.len() + MAX_BODY + 1, b'x');
        input.extend(format!("Content-Length: {}\r\n\r\n", good.len()).as_bytes());
        input.extend(good);
        let mut out = Vec::new();
        sanitized(std::io::Cursor::new(input)).read_to_end(&mut out).await.unwrap();
        let frame = format!("Content-Length: {}\r\n\r\n{}", good.len(), std::str::from_utf8(good).unwrap());
        assert_eq!(String::from_utf8(out).unwrap(), frame);
    }

    #[test]
    fn the_request_shape_accepts_what_the_request_type_accepts() {
        let deep =
            format!("{{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{}1{}}}", "[".repeat(200), "]".repeat(200));
        let bodies = [
            r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"text":"a\nb\u00e9"}}}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"x","params":[1,-2,3.5,true,null,{"a":{}}]}"#,
            r#"{"jsonrpc":"2.0","id":"s","method":"x","params":null,"extra":{"deep":[[]]}}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"x"}"#,
            r#"{"jsonrpc":"2.0"}"#,
            r#"{"jsonrpc":"1.0","method":"x"}"#,
            r#"{"method":"x"}"#,
            r#"{"jsonrpc":2.0,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","method":7}"#,
            r#"{"jsonrpc":"2.0","method":"x","id":1.5}"#,
            r#"{"jsonrpc":"2.0","method":"x","id":{}}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":1e999}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":"\ud800"}"#,
            r#"{"jsonrpc":"2.0","method":"x","method":"y"}"#,
            r#"{"jsonrpc":"2.0","method":"x"} trailing"#,
            r#"[{"jsonrpc":"2.0","method":"x"}]"#,
            deep.as_str(),
        ];
        for body in bodies {
            let real = serde_json::from_str::<jsonrpc::Request>(body).is_ok();
            let shape = serde_json::from_str::<RequestShape>(body).is_ok();
            assert_eq!(shape, real, "{body}");
        }
    }

    #[test]
    fn dollar_requests_are_renamed_and_dollar_notifications_kept() {
        let req = br#"{"jsonrpc":"2.0","id":4,"method":"$/x","params":{"a":"$/b"}}"#.to_vec();
        let v: serde_json::Value = serde_json::from_slice(&answerable(req)).unwrap();
        assert_eq!(v["method"], "agentls/unsupported$/x");
        assert_eq!(v["id"], 4);
        let cancel = br#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":4}}"#.to_vec();
        assert_eq!(answerable(cancel.clone()), cancel);
    }
}
