//! Casts that every layer shares: jsonata's `$boolean` and JavaScript's
//! string order. A leaf over values.

use super::value::{Value, K};
use crate::json::Doc;

/// jsonata's `$boolean` (undefined for undefined).
pub(crate) fn boolean(doc: &Doc, v: &Value<'_>) -> Option<bool> {
    Some(match v.kind(doc) {
        K::Undef => return None,
        K::Null => false,
        K::Bool => v.as_bool(doc).unwrap_or(false),
        K::Num => v.num(doc).is_some_and(|x| x != 0.0),
        K::Str => !v.as_str(doc).unwrap_or("").is_empty(),
        K::Arr => {
            let items = v.items(doc);
            match items.len() {
                0 => false,
                1 => boolean(doc, &items[0]).unwrap_or(false),
                _ => items.iter().any(|x| boolean(doc, x) == Some(true)),
            }
        }
        K::Obj => !v.entries(doc).is_empty(),
        K::Func => false,
    })
}

/// JavaScript's `<` on strings: UTF-16 code unit order.
pub(crate) fn cmp_js_str(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}
