//! JavaScript's number-to-text rules and jsonata's `$string` (JSON.stringify
//! with numbers at 15 significant digits and functions as "").

use super::error::{JResult, JsonataError};
use super::value::{Value, F_OUTER, K};
use crate::json::Doc;

/// `Number.prototype.toString()` of JavaScript.
pub(crate) fn js_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let sci = format!("{:e}", x.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let e: i32 = exp.parse().unwrap_or(0);
    let k = digits.len() as i32;
    let n = e + 1;
    let mut s = String::new();
    if x < 0.0 {
        s.push('-');
    }
    if k <= n && n <= 21 {
        s.push_str(&digits);
        s.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        s.push_str(&digits[..n as usize]);
        s.push('.');
        s.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        s.push_str("0.");
        s.extend(std::iter::repeat_n('0', (-n) as usize));
        s.push_str(&digits);
    } else {
        s.push_str(&digits[..1]);
        if k > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push('e');
        s.push(if n > 0 { '+' } else { '-' });
        s.push_str(&(n - 1).abs().to_string());
    }
    s
}

/// `Number(x.toPrecision(15))`.
pub(crate) fn precision15(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{:.14e}", x).parse().unwrap_or(x)
}

/// jsonata's `$string(v)` for a defined value.
pub(crate) fn to_string(doc: &Doc, v: &Value<'_>) -> JResult<String> {
    match v.kind(doc) {
        K::Str => Ok(v.as_str(doc).unwrap_or("").to_string()),
        K::Func => Ok(String::new()),
        K::Num if !v.num(doc).unwrap_or(0.0).is_finite() => Err(JsonataError::new("D3001", 0)),
        _ => stringify(doc, v, false),
    }
}

/// JSON text of a value the way jsonata's `$string` writes it.
pub(crate) fn stringify(doc: &Doc, v: &Value<'_>, pretty: bool) -> JResult<String> {
    let v = if v.flags() & F_OUTER != 0 {
        v.item(doc, 0)
    } else {
        v.clone()
    };
    let mut out = String::new();
    write(doc, &v, pretty, 0, &mut out)?;
    Ok(out)
}

fn indent(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write(doc: &Doc, v: &Value<'_>, pretty: bool, level: usize, out: &mut String) -> JResult<()> {
    match v.kind(doc) {
        K::Undef | K::Null => out.push_str("null"),
        K::Bool => out.push_str(if v.as_bool(doc) == Some(true) {
            "true"
        } else {
            "false"
        }),
        K::Num => {
            let x = v.num(doc).unwrap_or(f64::NAN);
            if x.is_infinite() {
                return Err(JsonataError::new("D1001", 0).val(js_number(x)));
            }
            if x.is_nan() {
                out.push_str("null");
            } else {
                out.push_str(&js_number(precision15(x)));
            }
        }
        K::Str => quote(v.as_str(doc).unwrap_or(""), out),
        K::Func => out.push_str("\"\""),
        K::Arr => {
            let items = v.items(doc);
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    indent(out, level + 1);
                }
                write(doc, x, pretty, level + 1, out)?;
            }
            if pretty && !items.is_empty() {
                indent(out, level);
            }
            out.push(']');
        }
        K::Obj => {
            let entries = v.entries(doc);
            out.push('{');
            let mut first = true;
            for (k, x) in &entries {
                if x.is_undef() {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                if pretty {
                    indent(out, level + 1);
                }
                quote(k, out);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write(doc, x, pretty, level + 1, out)?;
            }
            if pretty && !first {
                indent(out, level);
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A JSON string literal as JavaScript's JSON.stringify writes it.
pub(crate) fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A short rendering of a value for error messages ("" when it cannot be rendered).
pub(crate) fn show(doc: &Doc, v: &Value<'_>) -> String {
    stringify(doc, v, false).unwrap_or_default()
}
