//! Reading values of a [`Doc`]: views to match on, typed accessors,
//! member and item lookup, editing by sharing (`with_field`, `with_item`),
//! and equality by value.

use super::doc::{Doc, Entry, Key, Kind, Node, Obj, Ref, Val};

impl Doc {
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
    #[inline]
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
    pub(super) fn find_member(&self, entries: &[Entry], name: &str) -> Option<Val> {
        let want = name.as_bytes();
        let text = self.text.as_bytes();
        entries
            .iter()
            .rev()
            .find(|e| {
                e.key.len as usize == want.len()
                    && text
                        .get(e.key.off as usize..e.key.off as usize + want.len())
                        .is_some_and(|k| same_bytes(k, want))
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
            .position(|e| same_bytes(self.key_str(e.key).as_bytes(), name.as_bytes()));
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

    /// Object `a` with the members of object `b` assigned over it in one
    /// copy, in JavaScript's `Object.assign` order: a key of `a` keeps its
    /// place and takes `b`'s value, new keys follow in `b`'s order. `a` when
    /// either is not an object.
    pub fn merged(&mut self, a: Val, b: Val) -> Val {
        let (Node::Object { off: ao, len: al }, Node::Object { off: bo, len: bl }) =
            (self.nodes[a.0 as usize], self.nodes[b.0 as usize])
        else {
            return a;
        };
        if bl == 0 {
            return a;
        }
        let new_off = self.entries.len();
        self.entries
            .extend_from_within(ao as usize..(ao + al) as usize);
        for i in bo as usize..(bo + bl) as usize {
            let e = self.entries[i];
            let name = self.key_str(e.key);
            let pos = self.entries[new_off..]
                .iter()
                .position(|x| self.key_str(x.key) == name);
            match pos {
                Some(p) => self.entries[new_off + p].val = e.val,
                None => self.entries.push(e),
            }
        }
        let len = self.entries.len() - new_off;
        self.push(Node::Object {
            off: new_off as u32,
            len: len as u32,
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

    /// Whether an object in `v`, at any depth, has a member name twice
    /// (the document keeps both; serde_json's `Value` keeps the last).
    pub(crate) fn has_repeated_key(&self, v: Val) -> bool {
        match self.get(v) {
            Ref::Array(a) => a.iter().any(|&x| self.has_repeated_key(x)),
            Ref::Object(o) => {
                let e = o.entries();
                let repeated = if e.len() <= 16 {
                    // Names of different lengths (most) differ without a look at their text.
                    e.iter().enumerate().any(|(i, a)| {
                        e[..i].iter().any(|b| {
                            b.key.len == a.key.len && self.key_str(b.key) == self.key_str(a.key)
                        })
                    })
                } else {
                    let mut seen = std::collections::HashSet::with_capacity(e.len());
                    !e.iter().all(|a| seen.insert(self.key_str(a.key)))
                };
                repeated || e.iter().any(|m| self.has_repeated_key(m.val))
            }
            _ => false,
        }
    }
}

/// Whether two byte strings of equal length are equal: short ones (most
/// keys) compared in line as two overlapping words, without a loop or a
/// call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        if n > 16 {
            return a == b;
        }
        return match (
            a.first_chunk(),
            b.first_chunk(),
            a.last_chunk(),
            b.last_chunk(),
        ) {
            (Some(a0), Some(b0), Some(a1), Some(b1)) => {
                (u64::from_ne_bytes(*a0) ^ u64::from_ne_bytes(*b0))
                    | (u64::from_ne_bytes(*a1) ^ u64::from_ne_bytes(*b1))
                    == 0
            }
            _ => false,
        };
    }
    if n >= 4 {
        return match (
            a.first_chunk(),
            b.first_chunk(),
            a.last_chunk(),
            b.last_chunk(),
        ) {
            (Some(a0), Some(b0), Some(a1), Some(b1)) => {
                (u32::from_ne_bytes(*a0) ^ u32::from_ne_bytes(*b0))
                    | (u32::from_ne_bytes(*a1) ^ u32::from_ne_bytes(*b1))
                    == 0
            }
            _ => false,
        };
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::same_bytes;

    #[test]
    fn same_bytes_finds_a_difference_at_every_place_and_length() {
        for n in 0..=24usize {
            let a: Vec<u8> = (0..n as u8).map(|i| b'a' + i).collect();
            assert!(same_bytes(&a, &a.clone()), "{n}");
            for i in 0..n {
                let mut b = a.clone();
                b[i] ^= 0x20;
                assert!(!same_bytes(&a, &b), "length {n}, byte {i}");
            }
            assert!(!same_bytes(&a, &[a.as_slice(), b"x"].concat()));
        }
    }
}
