//! A small JSON-with-comments reader that keeps the byte span of every key and value. It accepts
//! what the MCP configuration files contain: plain JSON, plus `//` and `/* */` comments and
//! trailing commas (OpenCode's `opencode.jsonc`, VS Code's `mcp.json`). It never fails: on the first
//! syntax error it stops, keeps every complete member read so far and reports the error's position.
//!
//! Hand-written rather than a crate: `serde_json` gives no spans, and the few dozen lines here give
//! exactly the tree the readers need (keys with spans, strings unescaped) without a dependency.

use crate::diagnostic::Span;

/// Containers nest deeper than this only in hostile input; the reader stops there (no stack overflow).
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Object(Vec<Member>),
    Array(Vec<JsonNode>),
    String(String),
    Number,
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JsonNode {
    /// The value's span, quotes and brackets included.
    pub span: Span,
    pub value: Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    /// The key's span inside its quotes.
    pub key_span: Span,
    pub value: JsonNode,
}

/// A syntax error: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub span: Span,
    pub message: String,
}

impl JsonNode {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&JsonNode> {
        self.members().iter().find(|m| m.key == key).map(|m| &m.value)
    }

    /// An object's members (empty for anything else).
    pub fn members(&self) -> &[Member] {
        match &self.value {
            Json::Object(m) => m,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Json::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn items(&self) -> &[JsonNode] {
        match &self.value {
            Json::Array(a) => a,
            _ => &[],
        }
    }
}

/// Parses `text`. The tree is `None` only when not even a first value could be read.
pub fn parse(text: &str) -> (Option<JsonNode>, Option<JsonError>) {
    let mut p = Parser { s: text.as_bytes(), text, pos: 0, error: None };
    p.ws();
    if p.pos >= p.s.len() {
        return (None, Some(JsonError { span: 0..0, message: "the file is empty".into() }));
    }
    let root = p.value(0);
    if p.error.is_none() {
        p.ws();
        if p.pos < p.s.len() {
            p.fail("unexpected text after the end of the JSON value");
        }
    }
    (root, p.error)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    error: Option<JsonError>,
}

impl Parser<'_> {
    fn fail(&mut self, message: &str) {
        if self.error.is_none() {
            let start = self.pos.min(self.s.len());
            let mut end = (start + 1).min(self.s.len());
            while end < self.s.len() && !self.text.is_char_boundary(end) {
                end += 1;
            }
            self.error = Some(JsonError { span: start..end, message: message.to_string() });
        }
    }

    /// Skips white space and comments.
    fn ws(&mut self) {
        loop {
            while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            }
            if self.s[self.pos..].starts_with(b"//") {
                while self.pos < self.s.len() && self.s[self.pos] != b'\n' {
                    self.pos += 1;
                }
            } else if self.s[self.pos..].starts_with(b"/*") {
                match memchr::memmem::find(&self.s[self.pos + 2..], b"*/") {
                    Some(i) => self.pos += 2 + i + 2,
                    None => {
                        self.fail("a `/*` comment is never closed");
                        self.pos = self.s.len();
                        return;
                    }
                }
            } else if self.pos == 0 && self.s.starts_with(b"\xEF\xBB\xBF") {
                self.pos += 3;
            } else {
                return;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<JsonNode> {
        if depth > MAX_DEPTH {
            self.fail("the JSON nests too deeply");
            return None;
        }
        let start = self.pos;
        let Some(&c) = self.s.get(self.pos) else {
            self.fail("a value is missing at the end of the file");
            return None;
        };
        let value = match c {
            b'{' => return Some(self.object(depth)),
            b'[' => return Some(self.array(depth)),
            b'"' => Json::String(self.string()?),
            b't' if self.s[self.pos..].starts_with(b"true") => {
                self.pos += 4;
                Json::Bool(true)
            }
            b'f' if self.s[self.pos..].starts_with(b"false") => {
                self.pos += 5;
                Json::Bool(false)
            }
            b'n' if self.s[self.pos..].starts_with(b"null") => {
                self.pos += 4;
                Json::Null
            }
            b'-' | b'0'..=b'9' => {
                while self.pos < self.s.len()
                    && matches!(self.s[self.pos], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    self.pos += 1;
                }
                Json::Number
            }
            _ => {
                self.fail("expected a value (an object, array, string, number, true, false or null)");
                return None;
            }
        };
        Some(JsonNode { span: start..self.pos, value })
    }

    /// Reads a string at `"`; returns its unescaped text.
    fn string(&mut self) -> Option<String> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        while self.pos < self.s.len() {
            match self.s[self.pos] {
                b'"' => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos]);
                    let esc = self.s.get(self.pos + 1).copied();
                    self.pos = (self.pos + 2).min(self.s.len());
                    match esc {
                        Some(b'n') => out.push('\n'),
                        Some(b't') => out.push('\t'),
                        Some(b'r') => out.push('\r'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'u') => {
                            let hex =
                                self.text.get(self.pos..self.pos + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
                            out.push(hex.and_then(char::from_u32).unwrap_or('\u{fffd}'));
                            self.pos = (self.pos + 4).min(self.s.len());
                        }
                        Some(c) if c.is_ascii() => out.push(c as char),
                        _ => {
                            self.pos -= 1;
                            self.fail("a string has a bad escape");
                            return None;
                        }
                    }
                    while self.pos < self.s.len() && !self.text.is_char_boundary(self.pos) {
                        self.pos += 1;
                    }
                    run = self.pos;
                }
                b'\n' => {
                    self.pos = open;
                    self.fail("a string is never closed on its line");
                    return None;
                }
                _ => self.pos += 1,
            }
        }
        self.pos = open;
        self.fail("a string is never closed");
        None
    }

    fn object(&mut self, depth: usize) -> JsonNode {
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        loop {
            self.ws();
            match self.s.get(self.pos) {
                Some(b'}') => {
                    self.pos += 1;
                    return JsonNode { span: start..self.pos, value: Json::Object(members) };
                }
                Some(b'"') => {}
                _ => {
                    self.fail("expected a quoted key or `}`");
                    return JsonNode { span: start..self.pos, value: Json::Object(members) };
                }
            }
            let key_start = self.pos + 1;
            let Some(key) = self.string() else {
                return JsonNode { span: start..self.pos, value: Json::Object(members) };
            };
            let key_span = key_start..self.pos - 1;
            self.ws();
            if self.s.get(self.pos) != Some(&b':') {
                self.fail("expected `:` after the key");
                return JsonNode { span: start..self.pos, value: Json::Object(members) };
            }
            self.pos += 1;
            self.ws();
            let Some(value) = self.value(depth + 1) else {
                return JsonNode { span: start..self.pos, value: Json::Object(members) };
            };
            members.push(Member { key, key_span, value });
            if self.error.is_some() {
                return JsonNode { span: start..self.pos, value: Json::Object(members) };
            }
            self.ws();
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => {
                    self.fail("expected `,` or `}`");
                    return JsonNode { span: start..self.pos, value: Json::Object(members) };
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> JsonNode {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.ws();
            if self.s.get(self.pos) == Some(&b']') {
                self.pos += 1;
                return JsonNode { span: start..self.pos, value: Json::Array(items) };
            }
            let Some(v) = self.value(depth + 1) else {
                return JsonNode { span: start..self.pos, value: Json::Array(items) };
            };
            items.push(v);
            if self.error.is_some() {
                return JsonNode { span: start..self.pos, value: Json::Array(items) };
            }
            self.ws();
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                _ => {
                    self.fail("expected `,` or `]`");
                    return JsonNode { span: start..self.pos, value: Json::Array(items) };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_comments_and_trailing_commas() {
        let t = "{\n  // a comment\n  \"mcp\": { \"a\": {\"x\": [1, true, null,],}, /* b */ },\n}";
        let (root, err) = parse(t);
        assert_eq!(err, None);
        let root = root.unwrap();
        let mcp = root.get("mcp").unwrap();
        let m = &mcp.members()[0];
        assert_eq!(&t[m.key_span.clone()], "a");
        assert_eq!(m.value.get("x").unwrap().items().len(), 3);
    }

    #[test]
    fn errors_keep_what_was_read() {
        let t = "{\"mcpServers\": {\"a\": {\"command\": \"x\"}, \"b\": {\"command\": }}}";
        let (root, err) = parse(t);
        let err = err.unwrap();
        assert_eq!(&t[err.span.clone()], "}");
        let servers = root.unwrap();
        let servers = servers.get("mcpServers").unwrap();
        // `b` is kept as far as it was read (no members), so its name still counts.
        assert_eq!(servers.members().iter().map(|m| m.key.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert!(servers.members()[1].value.members().is_empty());
    }

    #[test]
    fn escapes_and_hostile_input() {
        let (root, err) = parse(r#"{"k\"é": "a\u0041\n"}"#);
        assert_eq!(err, None);
        let root = root.unwrap();
        assert_eq!(root.members()[0].key, "k\"é");
        assert_eq!(root.members()[0].value.as_str(), Some("aA\n"));
        for bad in ["", "{", "[[[[", "\"abc", "{\"a\":1} x", "/* x", "{\"a\" 1}", "é", "{\"\\"] {
            let _ = parse(bad);
        }
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).1.is_some());
    }
}
