//! `$toMillis(timestamp)` without a picture: jsonata-js's ISO 8601 check
//! followed by the subset of JavaScript `Date.parse` such timestamps reach.

use super::calendar::{make_date, MAX_TIME};
use super::error::PictureError;

/// The pieces of a timestamp that passed jsonata-js's ISO 8601 pattern.
#[derive(Default)]
struct IsoParts {
    /// The four-digit year.
    year: i64,
    /// Two-digit `-dd` groups after the year.
    dashes: Vec<i64>,
    /// `Thh:mm:ss` groups.
    times: Vec<[i64; 3]>,
    /// Digits after a `.`, if present.
    fraction: Option<String>,
    /// Offset in minutes east of UTC (`Some(0)` for `Z`), if present.
    offset: Option<i64>,
}

/// Reads `n` ASCII digits at `*pos`, checking the first against `first`.
fn digits(b: &[u8], pos: &mut usize, n: usize, first: &[u8]) -> Option<i64> {
    let s = b.get(*pos..*pos + n)?;
    if !s.iter().all(u8::is_ascii_digit) || !first.is_empty() && !first.contains(&s[0]) {
        return None;
    }
    *pos += n;
    Some(s.iter().fold(0, |a, d| a * 10 + i64::from(d - b'0')))
}

/// Matches `^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$`.
fn scan(text: &str) -> Option<IsoParts> {
    let b = text.as_bytes();
    let mut pos = 0;
    let mut parts = IsoParts {
        year: digits(b, &mut pos, 4, b"")?,
        ..IsoParts::default()
    };
    while b.get(pos) == Some(&b'-') && b.get(pos + 1).is_some_and(|c| (b'0'..=b'3').contains(c)) {
        pos += 1;
        parts.dashes.push(digits(b, &mut pos, 2, b"0123")?);
    }
    while b.get(pos) == Some(&b'T') {
        pos += 1;
        let h = digits(b, &mut pos, 2, b"012")?;
        (b.get(pos) == Some(&b':')).then_some(())?;
        pos += 1;
        let m = digits(b, &mut pos, 2, b"012345")?;
        (b.get(pos) == Some(&b':')).then_some(())?;
        pos += 1;
        let s = digits(b, &mut pos, 2, b"012345")?;
        parts.times.push([h, m, s]);
    }
    if b.get(pos) == Some(&b'.') {
        let n = b[pos + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        (n > 0).then_some(())?;
        parts.fraction = Some(text[pos + 1..pos + 1 + n].to_string());
        pos += 1 + n;
    }
    match b.get(pos) {
        Some(b'Z') => {
            parts.offset = Some(0);
            pos += 1;
        }
        Some(sign @ (b'+' | b'-')) => {
            let negative = *sign == b'-';
            pos += 1;
            let h = digits(b, &mut pos, 2, b"012")?;
            if b.get(pos) == Some(&b':') {
                pos += 1;
            }
            let m = digits(b, &mut pos, 2, b"012345")?;
            let minutes = h * 60 + m;
            parts.offset = Some(if negative { -minutes } else { minutes });
        }
        _ => {}
    }
    (pos == b.len()).then_some(parts)
}

/// Parses an ISO 8601 timestamp: D3110 when it fails jsonata-js's pattern, `None` where
/// `Date.parse` gives NaN. Date-times without an offset are read as UTC.
pub(crate) fn parse_iso(text: &str) -> Result<Option<i64>, PictureError> {
    let Some(parts) = scan(text) else {
        return Err(PictureError::new("D3110", text));
    };
    if parts.dashes.len() > 2 || parts.times.len() > 1 {
        return Ok(None);
    }
    if parts.times.is_empty() && (parts.fraction.is_some() || parts.offset.is_some()) {
        return Ok(None);
    }
    let month = parts.dashes.first().copied().unwrap_or(1);
    let day = parts.dashes.get(1).copied().unwrap_or(1);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Ok(None);
    }
    let [h, m, s] = parts.times.first().copied().unwrap_or([0, 0, 0]);
    let ms = parts.fraction.as_deref().map_or(0, |f| {
        let three: String = f.chars().chain("000".chars()).take(3).collect();
        three.parse::<i64>().unwrap_or(0)
    });
    if h > 24 || (h == 24 && (m, s, ms) != (0, 0, 0)) {
        return Ok(None);
    }
    if parts.offset.is_some_and(|o| o.abs() >= 24 * 60) {
        return Ok(None);
    }
    let fields = [h, m, s, ms].map(|v| v as f64);
    let local = make_date([
        parts.year as f64,
        (month - 1) as f64,
        day as f64,
        fields[0],
        fields[1],
        fields[2],
        fields[3],
    ]);
    let millis = local - parts.offset.unwrap_or(0) as f64 * 60_000.0;
    Ok((millis.is_finite() && millis.abs() <= MAX_TIME).then_some(millis as i64))
}
