//! Freezing a document while its execution is parked: its four vectors
//! (16-byte nodes, 12-byte entries, items, text) packed into one exactly
//! sized allocation of variable-length integers, and thawed back, handles
//! unchanged, when the execution runs again.
//!
//! A frozen document holds its packed bytes in `items` (as little-endian
//! words, the first one the byte count) and nothing in `nodes`: a live
//! document always has its five preset nodes, so an empty `nodes` marks it.

use super::doc::{Doc, Entry, Key, Node, Val};

/// The node tags of the packed form: the low three bits of a node's first
/// integer, the rest its payload (an integer, a length, or 0).
const NULL: u64 = 0;
const TRUE: u64 = 1;
const FALSE: u64 = 2;
const INT: u64 = 3;
/// Payload 0: a float follows; 1: an integer too large for `INT` follows.
const WIDE: u64 = 4;
const STR: u64 = 5;
const ARRAY: u64 = 6;
const OBJECT: u64 = 7;

/// The preset nodes every document starts with (never packed).
const PRESETS: usize = 5;

impl Doc {
    /// Whether the document is frozen ([`Doc::freeze`]): only [`Doc::thaw`]
    /// and [`Doc::reset`] may touch it then.
    pub fn is_frozen(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Packs the document into one exactly sized allocation (a parked
    /// execution's memory); [`Doc::thaw`] restores it, every handle the same.
    pub fn freeze(&mut self) {
        if self.is_frozen() {
            return;
        }
        let mut b = Vec::with_capacity(self.text.len() + 4 * self.nodes.len() + 16);
        for n in [
            self.nodes.len() - PRESETS,
            self.items.len(),
            self.entries.len(),
        ] {
            put(&mut b, n as u64);
        }
        // Offsets as the difference from where the previous span ended
        // (storage is appended in order: mostly 0 or small).
        let (mut text, mut items, mut entries) = (0, 0, 0);
        for n in &self.nodes[PRESETS..] {
            match *n {
                Node::Null => put(&mut b, NULL),
                Node::Bool(true) => put(&mut b, TRUE),
                Node::Bool(false) => put(&mut b, FALSE),
                Node::Int(i) => match zigzag(i) {
                    z if z < 1 << 60 => put(&mut b, z << 3 | INT),
                    z => {
                        put(&mut b, 1 << 3 | WIDE);
                        put(&mut b, z);
                    }
                },
                Node::Float(f) => {
                    // Byte-swapped: a short mantissa's zeros come first.
                    put(&mut b, WIDE);
                    put(&mut b, f.to_bits().swap_bytes());
                }
                Node::Str { off, len } => span(&mut b, STR, &mut text, off, len),
                Node::Array { off, len } => span(&mut b, ARRAY, &mut items, off, len),
                Node::Object { off, len } => span(&mut b, OBJECT, &mut entries, off, len),
            }
        }
        for v in &self.items {
            put(&mut b, u64::from(v.0));
        }
        let mut keys = 0;
        for e in &self.entries {
            put(&mut b, zigzag(i64::from(e.key.off) - i64::from(keys)));
            put(&mut b, u64::from(e.key.len));
            keys = e.key.off.wrapping_add(e.key.len);
            put(&mut b, u64::from(e.val.0));
        }
        b.extend_from_slice(self.text.as_bytes());
        // Its length first, then the bytes, four to a word.
        let mut all = Vec::with_capacity(b.len() + 5);
        put(&mut all, b.len() as u64);
        all.extend_from_slice(&b);
        let mut words = Vec::with_capacity(all.len().div_ceil(4));
        words.extend(all.chunks(4).map(|c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            Val(u32::from_le_bytes(w))
        }));
        *self = Doc {
            nodes: Vec::new(),
            items: words,
            entries: Vec::new(),
            text: String::new(),
        };
    }

    /// Restores a frozen document (nothing to do for a live one).
    pub fn thaw(&mut self) {
        if !self.is_frozen() {
            return;
        }
        let words = std::mem::take(&mut self.items);
        let all: Vec<u8> = words.iter().flat_map(|w| w.0.to_le_bytes()).collect();
        let mut r = Reader { b: &all, at: 0 };
        let len = r.int().unwrap_or(0) as usize;
        let bytes = r.take(len).unwrap_or(&[]);
        // The bytes are the ones `freeze` wrote: a short read cannot happen,
        // and would leave a document with the presets and what was read.
        let mut d = Doc::new();
        let _ = unpack(bytes, &mut d);
        *self = d;
    }
}

/// Reads the packed form into `d` (a new document with its presets).
fn unpack(bytes: &[u8], d: &mut Doc) -> Option<()> {
    let mut r = Reader { b: bytes, at: 0 };
    let nodes = r.int()? as usize;
    let items = r.int()? as usize;
    let entries = r.int()? as usize;
    d.nodes.reserve_exact(nodes);
    let (mut at_text, mut at_items, mut at_entries) = (0, 0, 0);
    for _ in 0..nodes {
        let lead = r.int()?;
        let (tag, payload) = (lead & 7, lead >> 3);
        let n = match tag {
            NULL => Node::Null,
            TRUE => Node::Bool(true),
            FALSE => Node::Bool(false),
            INT => Node::Int(unzigzag(payload)),
            WIDE if payload == 0 => Node::Float(f64::from_bits(r.int()?.swap_bytes())),
            WIDE => Node::Int(unzigzag(r.int()?)),
            STR => {
                let (off, len) = r.span(&mut at_text, payload)?;
                Node::Str { off, len }
            }
            ARRAY => {
                let (off, len) = r.span(&mut at_items, payload)?;
                Node::Array { off, len }
            }
            _ => {
                let (off, len) = r.span(&mut at_entries, payload)?;
                Node::Object { off, len }
            }
        };
        d.nodes.push(n);
    }
    d.items.reserve_exact(items);
    for _ in 0..items {
        d.items.push(Val(r.u32()?));
    }
    d.entries.reserve_exact(entries);
    let mut keys = 0;
    for _ in 0..entries {
        let delta = r.int()?;
        let len = r.int()?;
        let (off, len) = Reader::place(&mut keys, delta, len)?;
        d.entries.push(Entry {
            key: Key { off, len },
            val: Val(r.u32()?),
        });
    }
    // The text is the rest.
    d.text = String::from_utf8(r.b.get(r.at..)?.to_vec()).ok()?;
    Some(())
}

fn zigzag(i: i64) -> u64 {
    ((i << 1) ^ (i >> 63)) as u64
}

fn unzigzag(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}

/// Appends `n` as a variable-length integer: seven bits a byte, low first.
fn put(b: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        b.push((n as u8) | 0x80);
        n >>= 7;
    }
    b.push(n as u8);
}

/// Appends a string, array or object node: its tag with its length, then
/// its offset as the difference from `end` (where the previous span of its
/// kind ended); moves `end` past it.
fn span(b: &mut Vec<u8>, tag: u64, end: &mut u32, off: u32, len: u32) {
    put(b, u64::from(len) << 3 | tag);
    put(b, zigzag(i64::from(off) - i64::from(*end)));
    *end = off.wrapping_add(len);
}

/// Reads the packed form in order.
struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let v = *self.b.get(self.at)?;
        self.at += 1;
        Some(v)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn int(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.int()?).ok()
    }

    /// The offset written by `span`, for a node of length `len`.
    fn span(&mut self, end: &mut u32, len: u64) -> Option<(u32, u32)> {
        let delta = self.int()?;
        Reader::place(end, delta, len)
    }

    /// An offset `delta` (zigzag) past `end` and a length; moves `end` past them.
    fn place(end: &mut u32, delta: u64, len: u64) -> Option<(u32, u32)> {
        let off = u32::try_from(i64::from(*end) + unzigzag(delta)).ok()?;
        let len = u32::try_from(len).ok()?;
        *end = off.wrapping_add(len);
        Some((off, len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thawed_document_is_the_one_frozen_handle_for_handle() {
        let mut d = Doc::new();
        let v = d
            .parse(r#"{"a":[1,-2,9223372036854775807,-9223372036854775808,2.5,-0.0,1e300,true,false,null,{},[]],"b":{"c":"x\ny é","d":""}}"#)
            .unwrap();
        // Shared subtrees and a long text (offsets past one varint byte).
        let long = d.str(&"z".repeat(300));
        let b = d.field(v, "b").unwrap();
        let w = d.with_field(v, "long", long);
        let w = d.with_field(w, "again", b);
        let before = d.clone();
        let text = d.to_json(w);
        d.freeze();
        assert!(d.is_frozen());
        // At most the text and a few bytes a node, item and entry, in one block.
        let most = before.text.len()
            + 3 * (before.nodes.len() + before.items.len())
            + 5 * before.entries.len();
        assert!(
            d.bytes() <= most,
            "{} bytes packed, more than {most}",
            d.bytes()
        );
        d.freeze(); // twice is once
        d.thaw();
        assert!(!d.is_frozen());
        assert_eq!(d.to_json(w), text);
        assert_eq!(d.nodes.len(), before.nodes.len());
        assert_eq!(d.items, before.items);
        assert_eq!(d.text, before.text);
        for (x, y) in d.entries.iter().zip(&before.entries) {
            assert_eq!((x.key, x.val), (y.key, y.val));
        }
        d.thaw(); // a live document stays as it is
        assert_eq!(d.to_json(w), text);
        // A fresh document freezes and thaws to its presets.
        let mut e = Doc::new();
        e.freeze();
        e.thaw();
        assert_eq!(e.to_json(Doc::EMPTY_ARRAY), "[]");
        assert_eq!(e.node_count(), 5);
    }

    #[test]
    fn a_frozen_document_resets_to_an_empty_one() {
        let mut d = Doc::new();
        let v = d.parse(r#"{"a":1}"#).unwrap();
        d.freeze();
        d.reset();
        assert!(!d.is_frozen());
        assert_eq!(d.node_count(), 5);
        let w = d.parse("[true]").unwrap();
        assert_eq!(d.to_json(w), "[true]");
        assert_ne!(v, Doc::NULL);
    }
}
