//! A [`Doc`] value out as compact JSON text.

use super::doc::{Doc, Ref, Val};
use std::fmt::Write;

thread_local! {
    /// The buffer [`Doc::to_json`] writes into before copying the text out.
    static OUT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

impl Doc {
    /// Appends the compact JSON text of `v` to `out`.
    pub fn write_json(&self, v: Val, out: &mut String) {
        match self.get(v) {
            Ref::Null => out.push_str("null"),
            Ref::Bool(true) => out.push_str("true"),
            Ref::Bool(false) => out.push_str("false"),
            Ref::Int(i) => write_int(i, out),
            Ref::Float(f) => write_float(f, out),
            Ref::Str(s) => write_str(s, out),
            Ref::Array(a) => {
                out.push('[');
                for (n, &x) in a.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    self.write_json(x, out);
                }
                out.push(']');
            }
            Ref::Object(o) => {
                out.push('{');
                for (n, (k, x)) in o.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    write_str(k, out);
                    out.push(':');
                    self.write_json(x, out);
                }
                out.push('}');
            }
        }
    }

    /// The compact JSON text of `v`.
    pub fn to_json(&self, v: Val) -> String {
        // Written into a buffer this thread keeps, then copied out at its
        // exact size: one allocation instead of the growing string's several.
        OUT.with(|b| match b.try_borrow_mut() {
            Ok(mut b) => {
                b.clear();
                self.write_json(v, &mut b);
                let s = String::from(b.as_str());
                if b.capacity() > 1 << 20 {
                    *b = String::new();
                }
                s
            }
            Err(_) => {
                let mut s = String::new();
                self.write_json(v, &mut s);
                s
            }
        })
    }

    /// The length in bytes of the compact JSON text of `v`, without building it.
    pub fn json_len(&self, v: Val) -> usize {
        match self.get(v) {
            Ref::Null => 4,
            Ref::Bool(true) => 4,
            Ref::Bool(false) => 5,
            Ref::Str(s) => str_json_len(s),
            Ref::Int(_) | Ref::Float(_) => {
                let mut s = String::new();
                self.write_json(v, &mut s);
                s.len()
            }
            Ref::Array(a) => {
                2 + a.len().saturating_sub(1) + a.iter().map(|&x| self.json_len(x)).sum::<usize>()
            }
            Ref::Object(o) => {
                2 + o.len().saturating_sub(1)
                    + o.iter()
                        .map(|(k, x)| str_json_len(k) + 1 + self.json_len(x))
                        .sum::<usize>()
            }
        }
    }
}

/// Writes a float as JSON: integral values print without a fraction when
/// they are exact (`3.0` → `3.0` is kept as serde_json does), NaN/inf as null.
fn write_float(f: f64, out: &mut String) {
    if f.is_finite() {
        let mut b = ryu_like(f);
        if !b.contains(['.', 'e', 'E']) {
            b.push_str(".0");
        }
        out.push_str(&b);
    } else {
        out.push_str("null");
    }
}

fn ryu_like(f: f64) -> String {
    serde_json::Number::from_f64(f).map_or_else(|| "null".to_owned(), |n| n.to_string())
}

/// Writes an integer in decimal without going through `fmt`.
fn write_int(i: i64, out: &mut String) {
    let mut buf = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.push('-');
    }
    // Only ASCII digits were written: the check cannot fail.
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or("0"));
}

/// Length of the JSON string literal of `s`, quotes included.
fn str_json_len(s: &str) -> usize {
    2 + s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// Writes a JSON string literal with the escapes JSON requires.
pub(crate) fn write_str(s: &str, out: &mut String) {
    out.push('"');
    push_escaped(s, out);
    out.push('"');
}

/// Appends `s` escaped for the inside of a JSON string literal (no quotes).
pub(crate) fn push_escaped(s: &str, out: &mut String) {
    // Fast path: most strings need no escape at all.
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(s);
        return;
    }
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_lengths() {
        let mut d = Doc::new();
        let v = d
            .parse(r#"{"a\"b":"x\n\u0001y","n":[1,2.5,-0.0,1e300,-9223372036854775808,0,-7],"t":true}"#)
            .unwrap();
        let s = d.to_json(v);
        assert_eq!(s.len(), d.json_len(v));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["a\"b"], "x\n\u{1}y");
        assert_eq!(
            back["n"],
            serde_json::json!([1, 2.5, -0.0, 1e300, i64::MIN, 0, -7])
        );
    }
}
