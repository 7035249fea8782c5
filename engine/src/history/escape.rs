//! Text kept as it will be written: the body of a JSON string literal.
//! Payloads are JSON text inside a JSON string (`"input":"{\"a\":1}"`), so
//! a value is serialized straight into its escaped form once, when it is
//! recorded, and reading a history copies bytes.

pub(crate) use crate::json::push_escaped;
use crate::json::{Doc, Ref, Val};

/// Appends the compact JSON text of `v`, escaped for the inside of a JSON
/// string literal (the same bytes as escaping `doc.to_json(v)`).
pub(crate) fn push_json_escaped(doc: &Doc, v: Val, out: &mut String) {
    match doc.get(v) {
        Ref::Str(s) => push_str_escaped(s, out),
        Ref::Array(a) => {
            out.push('[');
            for (n, &x) in a.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                push_json_escaped(doc, x, out);
            }
            out.push(']');
        }
        Ref::Object(o) => {
            out.push('{');
            for (n, (k, x)) in o.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                push_str_escaped(k, out);
                out.push(':');
                push_json_escaped(doc, x, out);
            }
            out.push('}');
        }
        // Numbers, booleans, null: nothing to escape.
        _ => doc.write_json(v, out),
    }
}

/// A string value's literal (`"a\nb"`), escaped again.
fn push_str_escaped(s: &str, out: &mut String) {
    out.push_str("\\\"");
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        let mut lit = String::with_capacity(s.len() + 8);
        push_escaped(s, &mut lit);
        push_escaped(&lit, out);
    } else {
        out.push_str(s);
    }
    out.push_str("\\\"");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_as_escaping_the_json_text() {
        let mut d = Doc::new();
        let text = r#"{"a":[1,2.5,true,null,"x\"y\\z\n\u0001é"],"k\"ey":{},"e":[]}"#;
        let v = d.parse(text).unwrap();
        let mut direct = String::new();
        push_json_escaped(&d, v, &mut direct);
        let mut twice = String::new();
        push_escaped(&d.to_json(v), &mut twice);
        assert_eq!(direct, twice);
        let back: serde_json::Value = serde_json::from_str(&format!("\"{direct}\"")).unwrap();
        assert_eq!(back.as_str(), Some(d.to_json(v).as_str()));
    }
}
