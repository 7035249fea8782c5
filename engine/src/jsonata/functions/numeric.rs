//! Numeric and aggregation functions.

use super::arg;
use crate::jsonata::builtin::Builtin;
use crate::jsonata::call::Call;
use crate::jsonata::error::{JResult, JsonataError};
use crate::jsonata::numfmt::js_number;
use crate::jsonata::numfmt::show;
use crate::jsonata::value::{Value, K};

/// JavaScript's `Math.round` (half up).
fn js_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

fn shift(x: f64, by: i32) -> f64 {
    let s = js_number(x);
    let (m, e) = match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    format!("{m}e{}", e + by).parse().unwrap_or(x)
}

/// jsonata's `$round`: half to even, optional precision.
pub(crate) fn round(x: f64, precision: i32) -> f64 {
    let v = if precision != 0 {
        shift(x, precision)
    } else {
        x
    };
    let mut r = js_round(v);
    if (r - v).abs() == 0.5 && (r % 2.0).abs() == 1.0 {
        r -= 1.0;
    }
    if precision != 0 {
        r = shift(r, -precision);
    }
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == ds {
        return radix_number(s);
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let fs = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == fs {
            return None;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let es = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == es {
            return None;
        }
    }
    if i != b.len() {
        return radix_number(s);
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn radix_number(s: &str) -> Option<f64> {
    let (radix, digits) = match s.get(..2) {
        Some("0x") | Some("0X") => (16, &s[2..]),
        Some("0o") | Some("0O") => (8, &s[2..]),
        Some("0b") | Some("0B") => (2, &s[2..]),
        _ => return None,
    };
    u64::from_str_radix(digits, radix).ok().map(|x| x as f64)
}

fn to_radix(mut x: i64, radix: u32) -> String {
    if x == 0 {
        return "0".into();
    }
    let neg = x < 0;
    let mut digits = Vec::new();
    while x != 0 {
        let d = (x % radix as i64).unsigned_abs() as u32;
        digits.push(std::char::from_digit(d, radix).unwrap_or('0'));
        x /= radix as i64;
    }
    if neg {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// A seeded generator for `$random(seed)`: splitmix64 over the seed's bits.
pub(crate) fn seeded_random(seed: f64) -> f64 {
    let mut z = seed.to_bits().wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Runs a numeric built-in.
pub(crate) fn call<'a, E: Call<'a>>(
    ev: &mut E,
    b: Builtin,
    args: Vec<Value<'a>>,
) -> JResult<Value<'a>> {
    let a0 = arg(&args, 0);
    if b == Builtin::Random {
        return Ok(Value::Num(match a0.num(ev.doc()) {
            Some(seed) => seeded_random(seed),
            None => ev.host().random(),
        }));
    }
    if b == Builtin::Count {
        return Ok(Value::Num(a0.len(ev.doc()) as f64));
    }
    if a0.is_undef() {
        return Ok(Value::Undefined);
    }
    let nums = |ev: &E| -> Vec<f64> {
        a0.items(ev.doc())
            .iter()
            .filter_map(|x| x.num(ev.doc()))
            .collect()
    };
    let x = a0.num(ev.doc()).unwrap_or(f64::NAN);
    Ok(Value::Num(match b {
        Builtin::Sum => nums(ev).iter().sum(),
        Builtin::Max | Builtin::Min => {
            let v = nums(ev);
            if v.is_empty() {
                return Ok(Value::Undefined);
            }
            let init = if b == Builtin::Max {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            v.iter().fold(init, |acc, &y| {
                if b == Builtin::Max {
                    acc.max(y)
                } else {
                    acc.min(y)
                }
            })
        }
        Builtin::Average => {
            let v = nums(ev);
            if v.is_empty() {
                return Ok(Value::Undefined);
            }
            v.iter().sum::<f64>() / v.len() as f64
        }
        Builtin::Number => match a0.kind(ev.doc()) {
            K::Num => x,
            K::Bool => {
                if a0.as_bool(ev.doc()) == Some(true) {
                    1.0
                } else {
                    0.0
                }
            }
            K::Str => match parse_number(a0.as_str(ev.doc()).unwrap_or("")) {
                Some(n) => n,
                None => return Err(JsonataError::new("D3030", 0).val(show(ev.doc(), &a0))),
            },
            _ => return Err(JsonataError::new("D3030", 0).val(show(ev.doc(), &a0))),
        },
        Builtin::Floor => x.floor(),
        Builtin::Ceil => x.ceil(),
        Builtin::Abs => x.abs(),
        Builtin::Round => round(x, arg(&args, 1).num(ev.doc()).unwrap_or(0.0) as i32),
        Builtin::Sqrt => {
            if x < 0.0 {
                return Err(JsonataError::new("D3060", 0).val(js_number(x)));
            }
            x.sqrt()
        }
        Builtin::Power => {
            let e = arg(&args, 1).num(ev.doc()).unwrap_or(f64::NAN);
            let r = x.powf(e);
            if !r.is_finite() {
                return Err(JsonataError::new("D3061", 0)
                    .val(js_number(x))
                    .val2(js_number(e)));
            }
            r
        }
        Builtin::FormatBase => {
            let radix = arg(&args, 1).num(ev.doc()).unwrap_or(10.0);
            if !(2.0..=36.0).contains(&radix) {
                return Err(JsonataError::new("D3100", 0).val(js_number(radix)));
            }
            let v = round(x, 0) as i64; // half to even, as jsonata-js
            return Ok(Value::str(&to_radix(v, radix as u32)));
        }
        _ => return Ok(Value::Undefined),
    }))
}
