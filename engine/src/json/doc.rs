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
    pub(super) off: u32,
    pub(super) len: u32,
}

/// Storage reserved for an array or object being built (see [`Doc::object_builder`]).
#[derive(Debug)]
pub struct Builder {
    pub(super) at: u32,
    pub(super) len: u32,
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
    pub(super) doc: &'a Doc,
    pub(super) entries: &'a [Entry],
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

    pub(super) fn push(&mut self, n: Node) -> Val {
        let id = self.nodes.len() as u32;
        self.nodes.push(n);
        Val(id)
    }

    pub(super) fn push_text(&mut self, s: &str) -> (u32, u32) {
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

    /// The object of the first `n` members set in `b`'s storage (an object
    /// some of whose members turned out to be absent).
    pub fn finish_object_first(&mut self, b: &mut Builder, n: usize) -> Val {
        let n = n.min(b.len as usize);
        if n == 0 {
            return Self::EMPTY_OBJECT;
        }
        self.push(Node::Object {
            off: b.at,
            len: n as u32,
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
