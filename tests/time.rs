//! Recorded timestamps (RFC 3339 text or epoch seconds) to Unix milliseconds.

use serde_json::Value;

/// Milliseconds since the Unix epoch of a recorded timestamp: RFC 3339 text
/// (`T` or a space between date and time; `Z` or `±HH:MM`), or a number of
/// epoch seconds. `None` for anything else, e.g. the redacted `"timestamp"`.
pub fn parse_timestamp_ms(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => {
            let s = n.as_f64()?;
            s.is_finite().then(|| (s * 1000.0).round() as i64)
        }
        Value::String(s) => parse_rfc3339_ms(s),
        _ => None,
    }
}

/// Milliseconds since the Unix epoch of RFC 3339 text.
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r| num_in(s, r);
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let ms: String = frac[..digits]
            .chars()
            .chain("000".chars())
            .take(3)
            .collect();
        millis = ms.parse::<i64>().ok()?;
        rest = &frac[digits..];
    }
    let offset_min = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let o = rest.as_bytes();
            if o.len() != 6 || o[3] != b':' {
                return None;
            }
            let (h, m) = (num_in(rest, 1..3)?, num_in(rest, 4..6)?);
            sign * (h * 60 + m)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + min * 60 + sec - offset_min * 60;
    Some(secs * 1000 + millis)
}

/// The decimal digits of `s[r]`, or `None` when anything else is there.
fn num_in(s: &str, r: std::ops::Range<usize>) -> Option<i64> {
    let t = s.get(r)?;
    t.bytes()
        .all(|c| c.is_ascii_digit())
        .then(|| t.parse().ok())?
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod test {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc3339_forms() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_ms("2000-03-01T00:00:00Z"),
            Some(951_868_800_000)
        );
        assert_eq!(
            parse_rfc3339_ms("2024-03-10T16:22:15.25+00:00"),
            Some(1_710_087_735_250)
        );
        assert_eq!(
            parse_rfc3339_ms("2024-03-10 18:22:15.250999+02:00"),
            Some(1_710_087_735_250)
        );
        assert_eq!(parse_rfc3339_ms("1969-12-31T23:59:59Z"), Some(-1000));
    }

    #[test]
    fn not_timestamps() {
        for s in [
            "timestamp",
            "date",
            "",
            "2024-03-10",
            "2024-13-01T00:00:00Z",
            "2024-03-10T16:22:15",
            "2024-03-10T16:22:15.Z",
            "2024-03-10T16:22:15+0000",
        ] {
            assert_eq!(parse_rfc3339_ms(s), None, "{s}");
        }
        assert_eq!(parse_timestamp_ms(&json!(true)), None);
    }

    #[test]
    fn epoch_seconds() {
        assert_eq!(
            parse_timestamp_ms(&json!(1_710_087_735.25)),
            Some(1_710_087_735_250)
        );
        assert_eq!(parse_timestamp_ms(&json!(0)), Some(0));
    }
}
