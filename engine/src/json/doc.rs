//! The arena document: every JSON value of one execution lives in one `Doc`,
//! addressed by 32-bit [`Val`] handles.
//!
//! Values are immutable once built. Editing a value (ResultPath, templates)
//! builds new nodes that share the untouched children, so copying a subtree
//! inside one document is free: it is the same handle. There is no per-node
//! free; [`Doc::compact`] copies the live values into fresh storage.

use std::fmt;

/// A handle to a JSON value stored in a [`Doc`]. Only meaningful with the
/// document that made it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Val(pub(crate) u32);

/// A span of text in a [`Doc`]'s string storage: an object key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Key {
    off: u32,
    len: u32,
}

/// Storage reserved for an array or object being built (see [`Doc::object_builder`]).
#[derive(Debug)]
pub struct Builder {
    at: u32,
    len: u32,
}

/// One member of an object: a key and a value.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The member's name.
    pub key: Key,
    /// The member's value.
    pub val: Val,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str { off: u32, len: u32 },
    Array { off: u32, len: u32 },
    Object { off: u32, len: u32 },
}

/// A borrowed view of one value, to match on.
#[derive(Clone, Copy, Debug)]
pub enum Ref<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(&'a str),
    /// An array: handles of its items, in order.
    Array(&'a [Val]),
    /// An object: its members in document order.
    Object(Obj<'a>),
}

/// A borrowed view of an object's members.
#[derive(Clone, Copy)]
pub struct Obj<'a> {
    doc: &'a Doc,
    entries: &'a [Entry],
}

impl fmt::Debug for Obj<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> Obj<'a> {
    /// Number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// Whether the object has no member.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Members as (name, value), in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, Val)> + 'a {
        let doc = self.doc;
        self.entries
            .iter()
            .map(move |e| (doc.key_str(e.key), e.val))
    }
    /// The raw entries (keys as [`Key`]).
    pub fn entries(&self) -> &'a [Entry] {
        self.entries
    }
    /// The value of member `name`; the last one wins when a key repeats.
    pub fn get(&self, name: &str) -> Option<Val> {
        self.doc.find_member(self.entries, name)
    }
}

/// The kind of a JSON value, for type tests and error messages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// `null`
    Null,
    /// a boolean
    Bool,
    /// a number
    Number,
    /// a string
    String,
    /// an array
    Array,
    /// an object
    Object,
}

/// Error when a document grows past its byte limit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LimitExceeded;

/// Storage for all JSON values of one execution.
#[derive(Clone)]
pub struct Doc {
    pub(crate) nodes: Vec<Node>,
    pub(crate) items: Vec<Val>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) text: String,
}

impl fmt::Debug for Doc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Doc")
            .field("nodes", &self.nodes.len())
            .field("bytes", &self.bytes())
            .finish()
    }
}

impl Default for Doc {
    fn default() -> Self {
        Self::new()
    }
}

impl Doc {
    /// The `null` value, present in every document.
    pub const NULL: Val = Val(0);
    /// The `true` value, present in every document.
    pub const TRUE: Val = Val(1);
    /// The `false` value, present in every document.
    pub const FALSE: Val = Val(2);
    /// The empty object, present in every document.
    pub const EMPTY_OBJECT: Val = Val(3);
    /// The empty array, present in every document.
    pub const EMPTY_ARRAY: Val = Val(4);

    /// An empty document holding only the five preset values.
    pub fn new() -> Self {
        Doc {
            nodes: vec![
                Node::Null,
                Node::Bool(true),
                Node::Bool(false),
                Node::Object { off: 0, len: 0 },
                Node::Array { off: 0, len: 0 },
            ],
            items: Vec::new(),
            entries: Vec::new(),
            text: String::new(),
        }
    }

    /// An empty document sized for parsing `len` bytes of JSON text and
    /// working on it (saves regrowing the storage on every execution).
    pub fn for_text(len: usize) -> Self {
        let mut d = Doc::new();
        d.nodes.reserve(len / 6 + 8);
        d.entries.reserve(len / 12 + 4);
        d.items.reserve(len / 16 + 4);
        d.text.reserve(len);
        d
    }

    /// Approximate bytes held by the storage (not the serialized size).
    pub fn bytes(&self) -> usize {
        self.nodes.len() * std::mem::size_of::<Node>()
            + self.items.len() * 4
            + self.entries.len() * std::mem::size_of::<Entry>()
            + self.text.len()
    }

    /// Whether `v` is a handle of this document (a handle from another one
    /// could point anywhere).
    pub fn contains(&self, v: Val) -> bool {
        (v.0 as usize) < self.nodes.len()
    }

    /// Number of nodes stored; a measure of garbage for the collector.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    fn push(&mut self, n: Node) -> Val {
        let id = self.nodes.len() as u32;
        self.nodes.push(n);
        Val(id)
    }

    fn push_text(&mut self, s: &str) -> (u32, u32) {
        let off = self.text.len() as u32;
        self.text.push_str(s);
        (off, s.len() as u32)
    }

    /// A boolean value.
    pub fn bool(&self, b: bool) -> Val {
        if b {
            Self::TRUE
        } else {
            Self::FALSE
        }
    }

    /// An integer value.
    pub fn int(&mut self, i: i64) -> Val {
        self.push(Node::Int(i))
    }

    /// A floating-point number; an integral value that fits `i64` is stored as one.
    pub fn float(&mut self, f: f64) -> Val {
        self.push(Node::Float(f))
    }

    /// A string value.
    pub fn str(&mut self, s: &str) -> Val {
        let (off, len) = self.push_text(s);
        self.push(Node::Str { off, len })
    }

    /// A key to build objects with.
    pub fn key(&mut self, s: &str) -> Key {
        let (off, len) = self.push_text(s);
        Key { off, len }
    }

    /// A string value that reuses the text of a key (no copy).
    pub fn str_of_key(&mut self, k: Key) -> Val {
        self.push(Node::Str {
            off: k.off,
            len: k.len,
        })
    }

    /// An array of the given items.
    pub fn array(&mut self, items: &[Val]) -> Val {
        if items.is_empty() {
            return Self::EMPTY_ARRAY;
        }
        let off = self.items.len() as u32;
        self.items.extend_from_slice(items);
        self.push(Node::Array {
            off,
            len: items.len() as u32,
        })
    }

    /// An object of the given members, in order (keys must come from this document).
    pub fn object(&mut self, entries: &[Entry]) -> Val {
        if entries.is_empty() {
            return Self::EMPTY_OBJECT;
        }
        let off = self.entries.len() as u32;
        self.entries.extend_from_slice(entries);
        self.push(Node::Object {
            off,
            len: entries.len() as u32,
        })
    }

    /// Reserves the storage of an object of `len` members, to fill with
    /// [`Doc::set_member`] (values may be built in between) and close with
    /// [`Doc::finish_object`].
    pub fn object_builder(&mut self, len: usize) -> Builder {
        let at = self.entries.len();
        let blank = Entry {
            key: Key { off: 0, len: 0 },
            val: Self::NULL,
        };
        self.entries.resize(at + len, blank);
        Builder {
            at: at as u32,
            len: len as u32,
        }
    }

    /// Sets member `i` of a reserved object.
    pub fn set_member(&mut self, b: &Builder, i: usize, e: Entry) {
        if i < b.len as usize {
            self.entries[b.at as usize + i] = e;
        }
    }

    /// The object whose storage `b` reserved.
    pub fn finish_object(&mut self, b: &mut Builder) -> Val {
        if b.len == 0 {
            return Self::EMPTY_OBJECT;
        }
        self.push(Node::Object {
            off: b.at,
            len: b.len,
        })
    }

    /// Reserves the storage of an array of `len` items (see [`Doc::object_builder`]).
    pub fn array_builder(&mut self, len: usize) -> Builder {
        let at = self.items.len();
        self.items.resize(at + len, Self::NULL);
        Builder {
            at: at as u32,
            len: len as u32,
        }
    }

    /// Sets item `i` of a reserved array.
    pub fn set_item(&mut self, b: &Builder, i: usize, v: Val) {
        if i < b.len as usize {
            self.items[b.at as usize + i] = v;
        }
    }

    /// The array whose storage `b` reserved.
    pub fn finish_array(&mut self, b: &mut Builder) -> Val {
        if b.len == 0 {
            return Self::EMPTY_ARRAY;
        }
        self.push(Node::Array {
            off: b.at,
            len: b.len,
        })
    }

    /// The text of a key.
    pub fn key_str(&self, k: Key) -> &str {
        &self.text[k.off as usize..(k.off + k.len) as usize]
    }

    /// A view of a value to match on.
    pub fn get(&self, v: Val) -> Ref<'_> {
        match self.nodes[v.0 as usize] {
            Node::Null => Ref::Null,
            Node::Bool(b) => Ref::Bool(b),
            Node::Int(i) => Ref::Int(i),
            Node::Float(f) => Ref::Float(f),
            Node::Str { off, len } => Ref::Str(&self.text[off as usize..(off + len) as usize]),
            Node::Array { off, len } => Ref::Array(&self.items[off as usize..(off + len) as usize]),
            Node::Object { off, len } => Ref::Object(Obj {
                doc: self,
                entries: &self.entries[off as usize..(off + len) as usize],
            }),
        }
    }

    /// The kind of a value.
    pub fn kind(&self, v: Val) -> Kind {
        match self.nodes[v.0 as usize] {
            Node::Null => Kind::Null,
            Node::Bool(_) => Kind::Bool,
            Node::Int(_) | Node::Float(_) => Kind::Number,
            Node::Str { .. } => Kind::String,
            Node::Array { .. } => Kind::Array,
            Node::Object { .. } => Kind::Object,
        }
    }

    /// The string, if the value is one.
    pub fn as_str(&self, v: Val) -> Option<&str> {
        match self.get(v) {
            Ref::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number as `f64`, if the value is one.
    pub fn as_f64(&self, v: Val) -> Option<f64> {
        match self.nodes[v.0 as usize] {
            Node::Int(i) => Some(i as f64),
            Node::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The number as `i64` when it is integral (`2.0` counts), else `None`.
    pub fn as_i64(&self, v: Val) -> Option<i64> {
        match self.nodes[v.0 as usize] {
            Node::Int(i) => Some(i),
            Node::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(f as i64),
            _ => None,
        }
    }

    /// The boolean, if the value is one.
    pub fn as_bool(&self, v: Val) -> Option<bool> {
        match self.nodes[v.0 as usize] {
            Node::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The items, if the value is an array.
    pub fn as_array(&self, v: Val) -> Option<&[Val]> {
        match self.get(v) {
            Ref::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members, if the value is an object.
    pub fn as_object(&self, v: Val) -> Option<Obj<'_>> {
        match self.get(v) {
            Ref::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Member `name` of an object value (`None` for a non-object or a missing member).
    pub fn field(&self, v: Val, name: &str) -> Option<Val> {
        match self.nodes[v.0 as usize] {
            Node::Object { off, len } => {
                self.find_member(&self.entries[off as usize..(off + len) as usize], name)
            }
            _ => None,
        }
    }

    /// The last member called `name`: lengths are compared before any text,
    /// so most mismatches cost one integer comparison (the hot path of every path step).
    #[inline]
    fn find_member(&self, entries: &[Entry], name: &str) -> Option<Val> {
        let want = name.as_bytes();
        let text = self.text.as_bytes();
        entries
            .iter()
            .rev()
            .find(|e| {
                e.key.len as usize == want.len()
                    && text.get(e.key.off as usize..(e.key.off + e.key.len) as usize) == Some(want)
            })
            .map(|e| e.val)
    }

    /// Item `i` of an array value.
    pub fn index(&self, v: Val, i: usize) -> Option<Val> {
        self.as_array(v)?.get(i).copied()
    }

    /// A copy of `obj` with member `name` set to `val` (appended if absent).
    /// `obj` must be an object.
    pub fn with_field(&mut self, obj: Val, name: &str, val: Val) -> Val {
        let Node::Object { off, len } = self.nodes[obj.0 as usize] else {
            return obj;
        };
        let (off, len) = (off as usize, len as usize);
        let pos = self.entries[off..off + len]
            .iter()
            .position(|e| self.key_str(e.key) == name);
        let new_off = self.entries.len();
        self.entries.extend_from_within(off..off + len);
        match pos {
            Some(p) => self.entries[new_off + p].val = val,
            None => {
                let key = self.key(name);
                self.entries.push(Entry { key, val });
            }
        }
        let new_len = self.entries.len() - new_off;
        self.push(Node::Object {
            off: new_off as u32,
            len: new_len as u32,
        })
    }

    /// A copy of array `arr` with item `i` replaced by `val`.
    pub fn with_item(&mut self, arr: Val, i: usize, val: Val) -> Val {
        let Node::Array { off, len } = self.nodes[arr.0 as usize] else {
            return arr;
        };
        let (off, len) = (off as usize, len as usize);
        if i >= len {
            return arr;
        }
        let new_off = self.items.len();
        self.items.extend_from_within(off..off + len);
        self.items[new_off + i] = val;
        self.push(Node::Array {
            off: new_off as u32,
            len: len as u32,
        })
    }

    /// Deep equality; numbers compare by value (`1` equals `1.0`), object key order is ignored.
    pub fn equal(&self, a: Val, b: Val) -> bool {
        if a == b {
            return true;
        }
        match (self.get(a), self.get(b)) {
            (Ref::Null, Ref::Null) => true,
            (Ref::Bool(x), Ref::Bool(y)) => x == y,
            (Ref::Int(x), Ref::Int(y)) => x == y,
            (Ref::Int(_) | Ref::Float(_), Ref::Int(_) | Ref::Float(_)) => {
                self.as_f64(a) == self.as_f64(b)
            }
            (Ref::Str(x), Ref::Str(y)) => x == y,
            (Ref::Array(x), Ref::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| self.equal(*p, *q))
            }
            (Ref::Object(x), Ref::Object(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, v)| y.get(k).is_some_and(|w| self.equal(v, w)))
            }
            _ => false,
        }
    }

    /// Deep-copies `v` from another document into this one.
    ///
    /// An array's or object's slots are reserved before its children are
    /// copied (children append their own storage after them), so no
    /// temporary vector is needed.
    pub fn copy_from(&mut self, src: &Doc, v: Val) -> Val {
        if v.0 < 5 {
            return v;
        }
        match src.nodes[v.0 as usize] {
            Node::Null => Self::NULL,
            Node::Bool(b) => self.bool(b),
            Node::Int(i) => self.int(i),
            Node::Float(f) => self.float(f),
            Node::Str { off, len } => self.str(&src.text[off as usize..(off + len) as usize]),
            Node::Array { off, len } => {
                let at = self.items.len();
                self.items.resize(at + len as usize, Self::NULL);
                for i in 0..len as usize {
                    let item = self.copy_from(src, src.items[off as usize + i]);
                    self.items[at + i] = item;
                }
                self.push(Node::Array {
                    off: at as u32,
                    len,
                })
            }
            Node::Object { off, len } => {
                let at = self.entries.len();
                let blank = Entry {
                    key: Key { off: 0, len: 0 },
                    val: Self::NULL,
                };
                self.entries.resize(at + len as usize, blank);
                for i in 0..len as usize {
                    let e = src.entries[off as usize + i];
                    let key = self.key(src.key_str(e.key));
                    let val = self.copy_from(src, e.val);
                    self.entries[at + i] = Entry { key, val };
                }
                self.push(Node::Object {
                    off: at as u32,
                    len,
                })
            }
        }
    }

    /// Empties the document for reuse, keeping its storage (and the preset values).
    pub fn reset(&mut self) {
        self.nodes.truncate(5);
        self.items.clear();
        self.entries.clear();
        self.text.clear();
    }

    /// Gives back spare capacity (when an execution parks for a long time).
    pub fn shrink(&mut self) {
        self.nodes.shrink_to_fit();
        self.items.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.text.shrink_to_fit();
    }

    /// Copies the values in `roots` into fresh storage, drops the rest, and
    /// rewrites `roots` to their new handles: the per-execution collector.
    ///
    /// Values shared between roots (or inside one) stay shared.
    pub fn compact(&mut self, roots: &mut [Val]) {
        let old = std::mem::take(self);
        let mut memo = vec![u32::MAX; old.nodes.len()];
        for r in roots.iter_mut() {
            *r = self.copy_memo(&old, *r, &mut memo);
        }
    }

    fn copy_memo(&mut self, src: &Doc, v: Val, memo: &mut [u32]) -> Val {
        if v.0 < 5 {
            return v;
        }
        if let Some(&m) = memo.get(v.0 as usize).filter(|m| **m != u32::MAX) {
            return Val(m);
        }
        let out = match src.nodes[v.0 as usize] {
            Node::Array { off, len } => {
                let items: Vec<Val> = src.items[off as usize..(off + len) as usize]
                    .iter()
                    .map(|&i| self.copy_memo(src, i, memo))
                    .collect();
                self.array(&items)
            }
            Node::Object { off, len } => {
                let entries: Vec<Entry> = src.entries[off as usize..(off + len) as usize]
                    .iter()
                    .map(|e| {
                        let val = self.copy_memo(src, e.val, memo);
                        let key = self.key(src.key_str(e.key));
                        Entry { key, val }
                    })
                    .collect();
                self.object(&entries)
            }
            _ => self.copy_from(src, v),
        };
        if let Some(m) = memo.get_mut(v.0 as usize) {
            *m = out.0;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_and_read() {
        let mut d = Doc::new();
        let a = d.int(1);
        let b = d.str("x");
        let arr = d.array(&[a, b]);
        let k = d.key("k");
        let o = d.object(&[Entry { key: k, val: arr }]);
        assert_eq!(d.kind(o), Kind::Object);
        let got = d.field(o, "k").unwrap();
        assert_eq!(d.as_array(got).unwrap().len(), 2);
        assert_eq!(d.as_str(d.index(got, 1).unwrap()), Some("x"));
        assert!(d.field(o, "nope").is_none());
    }

    #[test]
    fn with_field_shares_and_replaces() {
        let mut d = Doc::new();
        let one = d.int(1);
        let two = d.int(2);
        let k = d.key("a");
        let o = d.object(&[Entry { key: k, val: one }]);
        let o2 = d.with_field(o, "a", two);
        let o3 = d.with_field(o, "b", two);
        assert_eq!(d.as_i64(d.field(o, "a").unwrap()), Some(1));
        assert_eq!(d.as_i64(d.field(o2, "a").unwrap()), Some(2));
        assert_eq!(d.as_object(o3).unwrap().len(), 2);
    }

    #[test]
    fn equality_by_value() {
        let mut d = Doc::new();
        let a = d.int(1);
        let b = d.float(1.0);
        assert!(d.equal(a, b));
        let s = d.str("1");
        assert!(!d.equal(a, s));
    }

    #[test]
    fn compact_keeps_sharing() {
        let mut d = Doc::new();
        let s = d.str("shared");
        let a = d.array(&[s, s]);
        let k = d.key("a");
        let o = d.object(&[Entry { key: k, val: a }]);
        let mut roots = [o, a];
        d.compact(&mut roots);
        assert_eq!(d.field(roots[0], "a"), Some(roots[1]));
        assert_eq!(
            d.node_count(),
            5 + 3,
            "string, array and object copied once"
        );
    }

    #[test]
    fn compact_keeps_roots() {
        let mut d = Doc::new();
        for i in 0..100 {
            d.int(i);
        }
        let s = d.str("keep");
        let arr = d.array(&[s, Doc::TRUE]);
        let mut roots = [arr];
        d.compact(&mut roots);
        assert!(d.node_count() < 10);
        assert_eq!(d.as_str(d.index(roots[0], 0).unwrap()), Some("keep"));
    }
}
