//! JSON text (and `serde_json::Value`) into a [`Doc`].

use super::doc::{Doc, Entry, Key, Val};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Error for malformed JSON text, with serde_json's line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, with its line and column.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

struct Seed<'d>(&'d mut Doc);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Val;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Val, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Val;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Val, E> {
        Ok(Doc::NULL)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Val, E> {
        Ok(self.0.bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Val, E> {
        Ok(self.0.int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Val, E> {
        Ok(match i64::try_from(u) {
            Ok(i) => self.0.int(i),
            Err(_) => self.0.float(u as f64),
        })
    }
    fn visit_f64<E>(self, f: f64) -> Result<Val, E> {
        Ok(self.0.float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Val, E> {
        Ok(self.0.str(s))
    }
    // Arrays and objects gather their members on per-thread stacks (a
    // nested value pushes above its parent's members and pops its own before
    // the parent goes on), so parsing allocates nothing but the document.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val, A::Error> {
        let mark = ITEMS.with(|s| s.borrow().len());
        let r = (|| {
            while let Some(v) = seq.next_element_seed(Seed(&mut *self.0))? {
                ITEMS.with(|s| s.borrow_mut().push(v));
            }
            Ok(())
        })();
        let v = ITEMS.with(|s| {
            let mut s = s.borrow_mut();
            let v = if r.is_ok() {
                self.0.array(&s[mark..])
            } else {
                Doc::NULL
            };
            s.truncate(mark);
            v
        });
        r.map(|()| v)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Val, A::Error> {
        let mark = ENTRIES.with(|s| s.borrow().len());
        let r = (|| {
            while let Some(key) = map.next_key_seed(KeySeed(&mut *self.0))? {
                let val = map.next_value_seed(Seed(&mut *self.0))?;
                ENTRIES.with(|s| s.borrow_mut().push(Entry { key, val }));
            }
            Ok(())
        })();
        let v = ENTRIES.with(|s| {
            let mut s = s.borrow_mut();
            let v = if r.is_ok() {
                self.0.object(&s[mark..])
            } else {
                Doc::NULL
            };
            s.truncate(mark);
            v
        });
        r.map(|()| v)
    }
}

thread_local! {
    static ITEMS: std::cell::RefCell<Vec<Val>> = const { std::cell::RefCell::new(Vec::new()) };
    static ENTRIES: std::cell::RefCell<Vec<Entry>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Reads an object key straight into the document's text (no `String`).
struct KeySeed<'d>(&'d mut Doc);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E>(self, s: &str) -> Result<Key, E> {
        Ok(self.0.key(s))
    }
}

impl Doc {
    /// Parses JSON text into this document.
    ///
    /// # Errors
    /// [`ParseError`] when the text is not one JSON value.
    pub fn parse(&mut self, text: &str) -> Result<Val, ParseError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let v = Seed(self).deserialize(&mut de).map_err(|e| ParseError {
            message: e.to_string(),
        })?;
        de.end().map_err(|e| ParseError {
            message: e.to_string(),
        })?;
        Ok(v)
    }

    /// Copies a `serde_json::Value` into this document.
    pub fn import(&mut self, v: &serde_json::Value) -> Val {
        use serde_json::Value as J;
        match v {
            J::Null => Doc::NULL,
            J::Bool(b) => self.bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => self.int(i),
                None => self.float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => self.str(s),
            J::Array(a) => {
                let items: Vec<Val> = a.iter().map(|x| self.import(x)).collect();
                self.array(&items)
            }
            J::Object(o) => {
                let entries: Vec<Entry> = o
                    .iter()
                    .map(|(k, x)| {
                        let val = self.import(x);
                        let key = self.key(k);
                        Entry { key, val }
                    })
                    .collect();
                self.object(&entries)
            }
        }
    }

    /// Copies a value out as a `serde_json::Value`.
    pub fn export(&self, v: Val) -> serde_json::Value {
        use super::doc::Ref;
        use serde_json::Value as J;
        match self.get(v) {
            Ref::Null => J::Null,
            Ref::Bool(b) => J::Bool(b),
            Ref::Int(i) => J::from(i),
            Ref::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
            Ref::Str(s) => J::String(s.to_owned()),
            Ref::Array(a) => J::Array(a.iter().map(|&x| self.export(x)).collect()),
            Ref::Object(o) => {
                let mut m = serde_json::Map::with_capacity(o.len());
                for (k, x) in o.iter() {
                    m.insert(k.to_owned(), self.export(x));
                }
                J::Object(m)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_roundtrip() {
        let mut d = Doc::new();
        let text = r#"{"a":[1,2.5,"x",null,true,{"b":{}}],"c":-3,"big":18446744073709551615}"#;
        let v = d.parse(text).unwrap();
        let back = d.to_json(v);
        let a: serde_json::Value = serde_json::from_str(text).unwrap();
        let b: serde_json::Value = serde_json::from_str(&back).unwrap();
        assert_eq!(a["a"], b["a"]);
        assert_eq!(d.export(v)["c"], serde_json::json!(-3));
    }

    #[test]
    fn parse_errors_do_not_panic() {
        let mut d = Doc::new();
        for bad in ["", "{", "[1,]", "nul", "{} x", "\"\\u12\""] {
            assert!(d.parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        // serde_json's recursion limit (128) bounds stack use.
        let mut d = Doc::new();
        let ok = "[".repeat(100) + &"]".repeat(100);
        assert!(d.parse(&ok).is_ok());
        let deep = "[".repeat(50_000) + &"]".repeat(50_000);
        assert!(d.parse(&deep).is_err());
    }
}
