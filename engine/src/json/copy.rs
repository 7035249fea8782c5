//! Moving values between documents and collecting garbage: a deep copy
//! that keeps sharing (`copy_from`), and the per-execution copying
//! collector (`compact`), plus resetting and shrinking storage.

use super::doc::{Doc, Entry, Key, Node, Val};

impl Doc {
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
    #[inline]
    pub fn reset(&mut self) {
        if self.is_frozen() {
            self.reset_frozen();
            return;
        }
        self.nodes.truncate(5);
        self.items.clear();
        self.entries.clear();
        self.text.clear();
    }

    /// A frozen document's storage is the packed form: nothing worth keeping.
    #[cold]
    fn reset_frozen(&mut self) {
        *self = Doc::new();
    }

    /// Makes this document an exact copy of `src` (its handles are valid
    /// here), reusing this one's storage: a few block copies, much cheaper
    /// than parsing the text again.
    pub fn copy_all_from(&mut self, src: &Doc) {
        self.nodes.clone_from(&src.nodes);
        self.items.clone_from(&src.items);
        self.entries.clone_from(&src.entries);
        self.text.clone_from(&src.text);
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
