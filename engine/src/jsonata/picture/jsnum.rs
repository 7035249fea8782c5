//! JavaScript number semantics the formatters depend on: `Number#toString`,
//! `Number#toFixed`, `parseInt`, `Math.round` and JSONata's `$round`.

/// Renders `x` the way JavaScript's `String(x)` does (shortest round-trip digits).
pub(crate) fn to_js_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let exp_form = format!("{:e}", x.abs());
    let (mantissa, exponent) = exp_form.split_once('e').unwrap_or((&exp_form, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i64;
    let n = exponent.parse::<i64>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let esign = if e < 0 { '-' } else { '+' };
        if k == 1 {
            format!("{digits}e{esign}{}", e.abs())
        } else {
            format!("{}.{}e{esign}{}", &digits[..1], &digits[1..], e.abs())
        }
    };
    format!("{sign}{body}")
}

/// Renders `x` like JavaScript's `x.toFixed(dp)`: exact decimal value, ties away from zero.
pub(crate) fn to_fixed(x: f64, dp: usize) -> String {
    if !x.is_finite() || x.abs() >= 1e21 {
        return to_js_string(x);
    }
    let negative = x < 0.0;
    let exact = format!("{:.1080}", x.abs());
    let (int_part, frac_part) = exact.split_once('.').unwrap_or((&exact, ""));
    let mut digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes().take(dp)).collect();
    if frac_part.as_bytes().get(dp).is_some_and(|d| *d >= b'5') {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let int_len = digits.len() - dp;
    let mut out = String::new();
    let is_zero = digits.iter().all(|d| *d == b'0');
    if negative && !is_zero {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&digits[..int_len]).unwrap_or("0"));
    if dp > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&digits[int_len..]).unwrap_or(""));
    }
    out
}

/// Whether `c` is JavaScript white space or a line terminator.
pub(crate) fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// JavaScript's `parseInt(s)` with no radix (leading `0x` means hexadecimal); NaN when no digits.
pub(crate) fn parse_int(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_space);
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, t) = if t.starts_with("0x") || t.starts_with("0X") {
        (16, &t[2..])
    } else {
        (10, t)
    };
    let digits: String = t.chars().take_while(|c| c.is_digit(radix)).collect();
    if digits.is_empty() {
        return f64::NAN;
    }
    let value = if radix == 10 {
        digits.parse::<f64>().unwrap_or(f64::NAN)
    } else {
        digits.chars().fold(0.0, |acc, c| {
            acc * 16.0 + f64::from(c.to_digit(16).unwrap_or(0))
        })
    };
    if negative {
        -value
    } else {
        value
    }
}

/// JavaScript's `Math.round`: nearest integer, ties towards positive infinity.
pub(crate) fn math_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let f = x.floor();
    if x - f >= 0.5 {
        f + 1.0
    } else {
        f
    }
}

/// Moves the decimal point of `x` by `places` through its decimal text, as jsonata-js does.
fn shift_decimal(x: f64, places: i64) -> f64 {
    let text = to_js_string(x);
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().unwrap_or(0)),
        None => (text.as_str(), 0),
    };
    format!("{mantissa}e{}", exponent + places)
        .parse::<f64>()
        .unwrap_or(f64::NAN)
}

/// JSONata's `$round(arg, precision)`: round half to even at `precision` decimal places.
pub(crate) fn round_half_even(arg: f64, precision: i64) -> f64 {
    let shifted = if precision != 0 {
        shift_decimal(arg, precision)
    } else {
        arg
    };
    let mut result = math_round(shifted);
    let diff = result - shifted;
    if diff.abs() == 0.5 && (result % 2.0).abs() == 1.0 {
        result -= 1.0;
    }
    if precision != 0 {
        result = shift_decimal(result, -precision);
    }
    if result == 0.0 {
        0.0
    } else {
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Number#toString` forms.
    #[test]
    fn js_string_forms() {
        assert_eq!(to_js_string(1e21), "1e+21");
        assert_eq!(to_js_string(1.5e-7), "1.5e-7");
        assert_eq!(to_js_string(123.456), "123.456");
        assert_eq!(to_js_string(0.000001), "0.000001");
        assert_eq!(to_js_string(1e20), "100000000000000000000");
        assert_eq!(to_js_string(-2.5), "-2.5");
    }

    /// `toFixed`, `$round` and `parseInt`.
    #[test]
    fn fixed_and_rounding() {
        assert_eq!(to_fixed(2.5, 0), "3");
        assert_eq!(to_fixed(0.125, 2), "0.13");
        assert_eq!(to_fixed(1.005, 2), "1.00");
        assert_eq!(to_fixed(12345.6, 2), "12345.60");
        assert_eq!(round_half_even(2.5, 0), 2.0);
        assert_eq!(round_half_even(3.5, 0), 4.0);
        assert_eq!(round_half_even(1234.5678, 3), 1234.568);
        assert_eq!(parse_int("  -12ab"), -12.0);
        assert_eq!(parse_int("0x1f"), 31.0);
        assert!(parse_int("x").is_nan());
    }
}
