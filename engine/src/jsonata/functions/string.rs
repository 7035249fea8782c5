//! String functions: `$string`, `$substring`, `$pad`, `$split`, `$match`,
//! `$replace`, URL and base64 coding, ...

use super::{arg, as_regex};
use crate::jsonata::builtin::Builtin;
use crate::jsonata::call::Call;
use crate::jsonata::error::{JResult, JsonataError};
use crate::jsonata::numfmt;
use crate::jsonata::numfmt::show;
use crate::jsonata::regex::JsRegex;
use crate::jsonata::value::{Value, K};
use base64::Engine as _;
use std::rc::Rc;

/// One regex match: byte range and capture groups.
pub(crate) struct M {
    start: usize,
    end: usize,
    text: String,
    groups: Vec<Option<String>>,
}

fn utf16_offset(s: &str, byte: usize) -> usize {
    s[..byte].encode_utf16().count()
}

/// JS-style global matching with jsonata's zero-length guard (D1004).
pub(crate) fn regex_matches(re: &JsRegex, s: &str, limit: Option<usize>) -> JResult<Vec<M>> {
    let mut out: Vec<M> = Vec::new();
    let mut last = 0;
    loop {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let Some(c) = re.re.captures_at(s, last) else {
            break;
        };
        let m = c.get(0).expect("group 0");
        if !out.is_empty() && m.start() == m.end() {
            return Err(JsonataError::new("D1004", 0).val(re.source.clone()));
        }
        out.push(M {
            start: m.start(),
            end: m.end(),
            text: m.as_str().to_string(),
            groups: (1..c.len())
                .map(|i| c.get(i).map(|g| g.as_str().to_string()))
                .collect(),
        });
        last = m.end();
        if last >= s.len() {
            break;
        }
    }
    Ok(out)
}

fn byte_at_utf16(s: &str, units: f64) -> usize {
    let mut n = 0.0;
    for (i, c) in s.char_indices() {
        if n >= units {
            return i;
        }
        n += c.len_utf16() as f64;
    }
    s.len()
}

/// Matches of a regex or of a custom matcher function (T1010 when it returns something else).
pub(crate) fn matches_any<'a, E: Call<'a>>(
    ev: &mut E,
    m: &Value<'a>,
    s: &str,
    limit: Option<usize>,
) -> JResult<Vec<M>> {
    if let Some(re) = as_regex(m) {
        return regex_matches(re, s, limit);
    }
    let mut out = Vec::new();
    let mut r = ev.call_fn(m, vec![Value::str(s)])?;
    while !r.is_undef() {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let start = r.field(ev.doc(), "start").num(ev.doc());
        let end = r.field(ev.doc(), "end").num(ev.doc());
        let groups = r.field(ev.doc(), "groups");
        let next = r.field(ev.doc(), "next");
        if start.is_none()
            && end.is_none()
            && !groups.is_array(ev.doc())
            && next.kind(ev.doc()) != K::Func
        {
            return Err(JsonataError::new("T1010", 0));
        }
        let text = r
            .field(ev.doc(), "match")
            .as_str(ev.doc())
            .unwrap_or("")
            .to_string();
        let b = byte_at_utf16(s, start.unwrap_or(0.0));
        let e = byte_at_utf16(s, end.unwrap_or(0.0)).max(b);
        out.push(M {
            start: b,
            end: e,
            text,
            groups: groups
                .items(ev.doc())
                .iter()
                .map(|g| g.as_str(ev.doc()).map(str::to_string))
                .collect(),
        });
        if next.kind(ev.doc()) != K::Func {
            break;
        }
        r = ev.call_fn(&next, Vec::new())?;
    }
    Ok(out)
}

/// The object a regex matcher function returns: `{match, start, end, groups}`.
pub(crate) fn regex_match_object<'a>(re: &JsRegex, s: &str, from: usize) -> Value<'a> {
    let Some(c) = re.re.captures_at(s, from) else {
        return Value::Undefined;
    };
    let m = c.get(0).expect("group 0");
    let groups = (1..c.len())
        .map(|i| {
            c.get(i)
                .map_or(Value::Undefined, |g| Value::str(g.as_str()))
        })
        .collect();
    Value::object(vec![
        (Rc::from("match"), Value::str(m.as_str())),
        (
            Rc::from("start"),
            Value::Num(utf16_offset(s, m.start()) as f64),
        ),
        (Rc::from("end"), Value::Num(utf16_offset(s, m.end()) as f64)),
        (Rc::from("groups"), Value::array(groups)),
    ])
}

fn limit_arg<'a, E: Call<'a>>(ev: &E, v: &Value<'_>, code: &'static str) -> JResult<Option<usize>> {
    match v.num(ev.doc()) {
        None => Ok(None),
        Some(x) if x < 0.0 => Err(JsonataError::new(code, 0).val(numfmt::js_number(x))),
        Some(x) => Ok(Some(x.floor() as usize)),
    }
}

fn chars_slice(s: &str, start: i64, len: Option<i64>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len() as i64;
    let mut start = start;
    if n + start < 0 {
        start = 0;
    }
    let from = if start < 0 {
        (n + start).max(0)
    } else {
        start.min(n)
    };
    let to = match len {
        Some(l) if l <= 0 => return String::new(),
        Some(l) => {
            let end = if start >= 0 { start + l } else { n + start + l };
            end.clamp(from, n)
        }
        None => n,
    };
    chars[from as usize..to as usize].iter().collect()
}

fn url_encode(s: &str, keep: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c) || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn url_decode(s: &str, keep: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            let b = u8::from_str_radix(hex, 16).ok()?;
            if b < 0x80 && keep.contains(b as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(b);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn substitute(repl: &str, m: &M) -> String {
    let mut out = String::new();
    let chars: Vec<char> = repl.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        match chars.get(i) {
            Some('$') => {
                out.push('$');
                i += 1;
            }
            Some('0') => {
                out.push_str(&m.text);
                i += 1;
            }
            _ => {
                let ng = m.groups.len();
                let max_digits = if ng == 0 {
                    1
                } else {
                    (ng as f64).log10().floor() as usize + 1
                };
                let digits: String = chars[i..]
                    .iter()
                    .take(max_digits)
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                let mut d = digits.clone();
                let mut idx: Option<usize> = d.parse().ok();
                if d.len() > 1 && idx.is_some_and(|x| x > ng) {
                    d.pop();
                    idx = d.parse().ok();
                }
                match idx {
                    Some(x) => {
                        if ng > 0 && x >= 1 {
                            if let Some(Some(g)) = m.groups.get(x - 1) {
                                out.push_str(g);
                            }
                        }
                        i += x.to_string().len();
                    }
                    None => out.push('$'),
                }
            }
        }
    }
    out
}

/// Runs a string built-in.
pub(crate) fn call<'a, E: Call<'a>>(
    ev: &mut E,
    b: Builtin,
    args: Vec<Value<'a>>,
) -> JResult<Value<'a>> {
    let a0 = arg(&args, 0);
    if a0.is_undef() {
        return Ok(Value::Undefined);
    }
    if b == Builtin::StringF {
        let pretty = arg(&args, 1).as_bool(ev.doc()) == Some(true);
        let s = if pretty && !matches!(a0.kind(ev.doc()), K::Str | K::Func) {
            numfmt::stringify(ev.doc(), &a0, true)?
        } else {
            numfmt::to_string(ev.doc(), &a0)?
        };
        return Ok(Value::str(&s));
    }
    let s = a0.as_str(ev.doc()).unwrap_or("").to_string();
    let a1 = arg(&args, 1);
    let a2 = arg(&args, 2);
    let num = |v: &Value<'a>, ev: &E| v.num(ev.doc());
    Ok(match b {
        Builtin::Substring => {
            let start = num(&a1, ev).unwrap_or(0.0);
            let len = num(&a2, ev);
            Value::str(&chars_slice(&s, start as i64, len.map(|l| l as i64)))
        }
        Builtin::SubstringBefore => {
            let t = a1.as_str(ev.doc()).unwrap_or("");
            Value::str(s.find(t).map_or(&s[..], |i| &s[..i]))
        }
        Builtin::SubstringAfter => {
            let t = a1.as_str(ev.doc()).unwrap_or("");
            Value::str(s.find(t).map_or(&s[..], |i| &s[i + t.len()..]))
        }
        Builtin::Lowercase => Value::str(&s.to_lowercase()),
        Builtin::Uppercase => Value::str(&s.to_uppercase()),
        Builtin::Length => Value::Num(s.chars().count() as f64),
        Builtin::Trim => {
            let mut out = String::new();
            let mut in_ws = false;
            for c in s.chars() {
                if matches!(c, ' ' | '\t' | '\n' | '\r') {
                    if !in_ws {
                        out.push(' ');
                    }
                    in_ws = true;
                } else {
                    out.push(c);
                    in_ws = false;
                }
            }
            let t = out.strip_prefix(' ').unwrap_or(&out);
            Value::str(t.strip_suffix(' ').unwrap_or(t))
        }
        Builtin::Pad => {
            let width = num(&a1, ev).unwrap_or(0.0);
            let pc = a2
                .as_str(ev.doc())
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| " ".into());
            let len = s.chars().count() as i64;
            let pad_len = width.abs() as i64 - len;
            if pad_len > 0 && !pc.is_empty() {
                let padding: String = pc.chars().cycle().take(pad_len as usize).collect();
                if width > 0.0 {
                    Value::str(&(s + &padding))
                } else {
                    Value::str(&(padding + &s))
                }
            } else {
                Value::str(&s)
            }
        }
        Builtin::Contains => match a1.as_str(ev.doc()) {
            Some(t) => Value::bool(s.contains(t)),
            None => Value::bool(!matches_any(ev, &a1, &s, Some(1))?.is_empty()),
        },
        Builtin::Split => {
            let limit = limit_arg(ev, &a2, "D3020")?;
            let mut parts: Vec<String> = Vec::new();
            if limit != Some(0) {
                match a1.as_str(ev.doc()).is_none() {
                    true => {
                        let ms = matches_any(ev, &a1, &s, limit)?;
                        let mut start = 0;
                        for m in &ms {
                            parts.push(s[start..m.start].to_string());
                            start = m.end;
                        }
                        if limit.is_none_or(|l| ms.len() < l) {
                            parts.push(s[start..].to_string());
                        }
                    }
                    false => {
                        let sep = a1.as_str(ev.doc()).unwrap_or("");
                        if sep.is_empty() {
                            parts = s.chars().map(|c| c.to_string()).collect();
                        } else {
                            parts = s.split(sep).map(str::to_string).collect();
                        }
                        if let Some(l) = limit {
                            parts.truncate(l);
                        }
                    }
                }
            }
            Value::array(parts.iter().map(|p| Value::str(p)).collect())
        }
        Builtin::Join => {
            let sep = a1.as_str(ev.doc()).unwrap_or("").to_string();
            let items = a0.items(ev.doc());
            let strs: Vec<&str> = items
                .iter()
                .map(|x| x.as_str(ev.doc()).unwrap_or(""))
                .collect();
            Value::str(&strs.join(&sep))
        }
        Builtin::Match => {
            let limit = limit_arg(ev, &a2, "D3040")?;
            let ms = if limit == Some(0) {
                Vec::new()
            } else {
                matches_any(ev, &a1, &s, limit)?
            };
            let items = ms
                .iter()
                .map(|m| {
                    let groups = m
                        .groups
                        .iter()
                        .map(|g| g.as_deref().map_or(Value::Undefined, Value::str))
                        .collect();
                    Value::object(vec![
                        (Rc::from("match"), Value::str(&m.text)),
                        (
                            Rc::from("index"),
                            Value::Num(utf16_offset(&s, m.start) as f64),
                        ),
                        (Rc::from("groups"), Value::array(groups)),
                    ])
                })
                .collect();
            Value::seq(items)
        }
        Builtin::Replace => return replace(ev, &s, &a1, &a2, &arg(&args, 3)),
        Builtin::Base64Encode => {
            Value::str(&base64::engine::general_purpose::STANDARD.encode(s.as_bytes()))
        }
        Builtin::Base64Decode => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s.trim().as_bytes())
                .unwrap_or_default();
            Value::str(&String::from_utf8_lossy(&bytes))
        }
        Builtin::EncodeUrlComponent => Value::str(&url_encode(&s, "")),
        Builtin::EncodeUrl => Value::str(&url_encode(&s, ";,/?:@&=+$#")),
        Builtin::DecodeUrlComponent | Builtin::DecodeUrl => {
            let keep = if b == Builtin::DecodeUrl {
                ";/?:@&=+$,#"
            } else {
                ""
            };
            match url_decode(&s, keep) {
                Some(d) => Value::str(&d),
                None => {
                    return Err(JsonataError::new("D3140", 0).tok(b.name()).val(s.clone()));
                }
            }
        }
        _ => Value::Undefined,
    })
}

fn replace<'a, E: Call<'a>>(
    ev: &mut E,
    s: &str,
    pattern: &Value<'a>,
    repl: &Value<'a>,
    limit: &Value<'a>,
) -> JResult<Value<'a>> {
    if pattern.as_str(ev.doc()) == Some("") {
        return Err(JsonataError::new("D3010", 0));
    }
    let limit = limit_arg(ev, limit, "D3011")?;
    if limit == Some(0) {
        return Ok(Value::str(s));
    }
    let mut out = String::new();
    match pattern.as_str(ev.doc()).is_some() {
        true => {
            let pat = pattern.as_str(ev.doc()).unwrap_or("").to_string();
            let r = repl.as_str(ev.doc()).unwrap_or("").to_string();
            let mut count = 0;
            let mut rest = s;
            while let Some(i) = rest.find(&pat) {
                if limit.is_some_and(|l| count >= l) {
                    break;
                }
                out.push_str(&rest[..i]);
                out.push_str(&r);
                rest = &rest[i + pat.len()..];
                count += 1;
            }
            out.push_str(rest);
        }
        false => {
            let ms = matches_any(ev, pattern, s, limit)?;
            let mut pos = 0;
            for m in &ms {
                out.push_str(&s[pos..m.start]);
                if repl.kind(ev.doc()) == K::Func {
                    let groups = m
                        .groups
                        .iter()
                        .map(|g| g.as_deref().map_or(Value::Undefined, Value::str))
                        .collect();
                    let mo = Value::object(vec![
                        (Rc::from("match"), Value::str(&m.text)),
                        (
                            Rc::from("index"),
                            Value::Num(utf16_offset(s, m.start) as f64),
                        ),
                        (Rc::from("groups"), Value::array(groups)),
                    ]);
                    let r = ev.call_fn(repl, vec![mo])?;
                    match r.as_str(ev.doc()) {
                        Some(t) => out.push_str(t),
                        None => return Err(JsonataError::new("D3012", 0).val(show(ev.doc(), &r))),
                    }
                } else {
                    out.push_str(&substitute(repl.as_str(ev.doc()).unwrap_or(""), m));
                }
                pos = m.end;
            }
            out.push_str(&s[pos..]);
        }
    }
    Ok(Value::str(&out))
}
