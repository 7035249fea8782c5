//! A [`Doc`] value out as compact JSON text.

use super::doc::{Doc, Node, Ref, Val};
use std::fmt::Write;

thread_local! {
    /// The buffer [`Doc::to_json`] writes into before copying the text out.
    static OUT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

impl Doc {
    /// Appends the compact JSON text of `v` to `out`.
    pub fn write_json(&self, v: Val, out: &mut String) {
        match self.nodes[v.0 as usize] {
            Node::Null => out.push_str("null"),
            Node::Bool(true) => out.push_str("true"),
            Node::Bool(false) => out.push_str("false"),
            Node::Int(i) => write_int(i, out),
            Node::Float(f) => write_float(f, out),
            Node::Str { off, len } => {
                write_str(&self.text[off as usize..(off + len) as usize], out)
            }
            Node::Array { off, len } => {
                let items = &self.items[off as usize..(off + len) as usize];
                out.push('[');
                if let Some((&first, rest)) = items.split_first() {
                    self.write_json(first, out);
                    for &x in rest {
                        out.push(',');
                        self.write_json(x, out);
                    }
                }
                out.push(']');
            }
            Node::Object { off, len } => {
                let entries = &self.entries[off as usize..(off + len) as usize];
                let mut sep = '{';
                for e in entries {
                    out.push(sep);
                    sep = ',';
                    write_str(self.key_str(e.key), out);
                    out.push(':');
                    self.write_json(e.val, out);
                }
                if entries.is_empty() {
                    out.push('{');
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

    /// Whether the compact JSON text of `v` is longer than `cap` bytes. It
    /// stops as soon as the answer is known, so a large value costs at most
    /// about `cap` bytes of walking, and a value reached twice (a document
    /// shares subtrees) counts twice, as its text does.
    pub fn json_len_exceeds(&self, v: Val, cap: usize) -> bool {
        // A quick walk with upper bounds first (a string escaped at worst,
        // every number at its longest); the exact one only when that fails.
        let mut left = cap;
        if self.bound_fits(v, &mut left) {
            return false;
        }
        let mut left = cap;
        !self.fits_in(v, &mut left)
    }

    /// Like [`Doc::fits_in`] with an upper bound of each scalar's length, which costs
    /// nothing to find: `\u00XX` for every string byte, 24 bytes for every number.
    fn bound_fits(&self, v: Val, left: &mut usize) -> bool {
        let take = |n: usize, left: &mut usize| match left.checked_sub(n) {
            Some(l) => {
                *left = l;
                true
            }
            None => false,
        };
        match self.get(v) {
            Ref::Null | Ref::Bool(_) => take(5, left),
            Ref::Str(s) => take(s.len() * 6 + 2, left),
            Ref::Int(_) | Ref::Float(_) => take(24, left),
            Ref::Array(a) => take(2 + a.len(), left) && a.iter().all(|&x| self.bound_fits(x, left)),
            Ref::Object(o) => {
                take(2 + o.len(), left)
                    && o.iter()
                        .all(|(k, x)| take(k.len() * 6 + 3, left) && self.bound_fits(x, left))
            }
        }
    }

    /// Subtracts the text length of `v` from `left`; `false` once it would go below 0.
    fn fits_in(&self, v: Val, left: &mut usize) -> bool {
        let take = |n: usize, left: &mut usize| match left.checked_sub(n) {
            Some(l) => {
                *left = l;
                true
            }
            None => false,
        };
        match self.get(v) {
            Ref::Null | Ref::Bool(true) => take(4, left),
            Ref::Bool(false) => take(5, left),
            Ref::Str(s) => take(str_json_len(s), left),
            Ref::Int(i) => take(int_len(i), left),
            Ref::Float(_) => take(self.json_len(v), left),
            Ref::Array(a) => {
                take(2 + a.len().saturating_sub(1), left)
                    && a.iter().all(|&x| self.fits_in(x, left))
            }
            Ref::Object(o) => {
                take(2 + o.len().saturating_sub(1), left)
                    && o.iter()
                        .all(|(k, x)| take(str_json_len(k) + 1, left) && self.fits_in(x, left))
            }
        }
    }
}

/// Length of the decimal text of `i`.
fn int_len(i: i64) -> usize {
    let mut n = i.unsigned_abs();
    let mut len = usize::from(i < 0) + 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
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

/// Whether any byte of `x` is below 0x20, a quote or a backslash (the
/// bytes a JSON string escapes), eight at a time: a byte is below `n` when
/// subtracting `n` borrows into its top bit (exact for `n` <= 0x80).
#[inline]
fn word_needs_escape(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |y: u64, n: u64| y.wrapping_sub(ONES * n) & !y & HIGH;
    (below(x, 0x20)
        | below(x ^ (ONES * u64::from(b'"')), 1)
        | below(x ^ (ONES * u64::from(b'\\')), 1))
        != 0
}

/// Whether `s` holds a byte that a JSON string escapes.
#[inline]
fn needs_escape(s: &[u8]) -> bool {
    let n = s.len();
    if n >= 8 {
        let mut chunks = s.chunks_exact(8);
        for c in &mut chunks {
            if c.first_chunk()
                .is_some_and(|w| word_needs_escape(u64::from_ne_bytes(*w)))
            {
                return true;
            }
        }
        // The last eight bytes again, overlapping the tail.
        return !chunks.remainder().is_empty()
            && s.last_chunk()
                .is_some_and(|w| word_needs_escape(u64::from_ne_bytes(*w)));
    }
    if n >= 4 {
        return match (s.first_chunk(), s.last_chunk()) {
            (Some(a), Some(b)) => word_needs_escape(
                u64::from(u32::from_ne_bytes(*a)) | (u64::from(u32::from_ne_bytes(*b)) << 32),
            ),
            _ => true,
        };
    }
    s.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// Appends `s` escaped for the inside of a JSON string literal (no quotes).
pub(crate) fn push_escaped(s: &str, out: &mut String) {
    // Fast path: most strings need no escape at all.
    if !needs_escape(s.as_bytes()) {
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
    fn finds_every_byte_that_needs_an_escape_at_every_place() {
        for n in 0..=20usize {
            let plain = "a~ Z\u{7f}é".repeat(4);
            let base: Vec<u8> = plain.bytes().take(n).collect();
            assert!(!needs_escape(&base), "{n}");
            for i in 0..n {
                for bad in [0u8, 0x1f, b'"', b'\\', b'\n'] {
                    let mut b = base.clone();
                    b[i] = bad;
                    assert!(needs_escape(&b), "length {n}, byte {i}: {bad:#x}");
                }
                for fine in [0x20u8, b'!', b'#', b'[', b']', 0x7f, 0x80, 0xff] {
                    let mut b = base.clone();
                    b[i] = fine;
                    assert!(!needs_escape(&b), "length {n}, byte {i}: {fine:#x}");
                }
            }
        }
    }

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

    #[test]
    fn exceeds_agrees_with_the_exact_length_and_counts_shared_subtrees() {
        let mut d = Doc::new();
        let v = d
            .parse(r#"{"a\"b":"x\n\u0001y","n":[1,2.5,-0.0,1e300,-9223372036854775808,0,-7],"t":true,"f":false,"z":null}"#)
            .unwrap();
        let n = d.json_len(v);
        assert!(!d.json_len_exceeds(v, n));
        assert!(d.json_len_exceeds(v, n - 1));
        assert!(d.json_len_exceeds(v, 0));
        for i in [0i64, 9, 10, -1, -10, 99, 100, i64::MAX, i64::MIN] {
            assert_eq!(int_len(i), i.to_string().len(), "{i}");
        }
        // The same subtree four times over: its text is four times as long.
        let e = d.key("k");
        let entries: Vec<_> = (0..4)
            .map(|_| crate::json::Entry { key: e, val: v })
            .collect();
        let w = d.object(&entries);
        let m = d.json_len(w);
        assert_eq!(d.to_json(w).len(), m);
        assert!(m > 4 * n);
        assert!(!d.json_len_exceeds(w, m));
        assert!(d.json_len_exceeds(w, m - 1));
    }
}
