//! RFC 3339 timestamps as Step Functions reads them, at definition time
//! (Wait `Timestamp`, Choice `Timestamp*` operands) and at run time (Wait
//! `TimestampPath`, Choice `Timestamp*` and `IsTimestamp` on input values).
//!
//! The accepted form is `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`:
//! - `T` and `Z` uppercase only (the ASL spec requires it; AWS rejects
//!   `2016-12-05 21:29:29Z` and `2016-12-05T21:29:29`, no offset);
//! - seconds required, 1 to 9 fraction digits (AWS accepts nanoseconds,
//!   `2016-03-05T21:29:29.243167252Z`, and `.00Z`);
//! - calendar-checked dates (leap years; `2016-13-05…` and `…T25:29:29Z` fail);
//! - no leap second (`:60`), offsets up to ±18:00 (Java's `ZoneOffset` range).
//!
//! The corpus cases for this: `aws-rejected.jsonl` `test_wait_timestamp_invalid[*]`
//! and `aws-recorded.jsonl` `test_wait_timestamppath[*]`, `test_wait_timestamp_path[*]`.

/// Parses an RFC 3339 timestamp into **nanoseconds since the Unix epoch**
/// (UTC, negative before 1970). An `i128` holds every year 0000–9999 exactly,
/// so equal instants written with different offsets or fraction lengths
/// compare equal.
///
/// `None` when the text is not a timestamp AWS accepts.
pub(crate) fn parse_rfc3339(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    let mut nanos: i128 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let n = i - start;
        if n == 0 || n > 9 {
            return None;
        }
        let frac = digits(b, start, n)?;
        nanos = i128::from(frac) * 10i128.pow(9 - n as u32);
    }
    let offset_secs: i128 = match b.get(i)? {
        b'Z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() => {
            let oh = digits(b, i + 1, 2)?;
            let om = digits(b, i + 4, 2)?;
            if b[i + 3] != b':' || om > 59 || oh * 60 + om > 18 * 60 {
                return None;
            }
            let o = i128::from(oh * 3600 + om * 60);
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    let days = days_from_civil(i128::from(year), month, day);
    let secs =
        days * 86_400 + i128::from(hour) * 3600 + i128::from(minute) * 60 + i128::from(second)
            - offset_secs;
    Some(secs * 1_000_000_000 + nanos)
}

/// `n` ASCII digits at `at` as a number.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let slice = b.get(at..at + n)?;
    let mut v: u32 = 0;
    for &c in slice {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i128, m: u32, d: u32) -> i128 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i128::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i128::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_rfc3339 as p;

    #[test]
    fn accepts_what_aws_accepts() {
        assert_eq!(p("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(p("1970-01-01T00:00:01.5Z"), Some(1_500_000_000));
        assert_eq!(p("2016-03-14T01:59:00Z"), Some(1_457_920_740_000_000_000));
        assert_eq!(
            p("2016-03-05T21:29:29.243167252Z"),
            Some(1_457_213_369_243_167_252)
        );
        assert_eq!(p("2026-11-25T01:11:27.00Z"), p("2026-11-25T01:11:27Z"));
        assert_eq!(p("2026-11-25T01:11:27.000000Z"), p("2026-11-25T01:11:27Z"));
        assert_eq!(p("2012-10-09T21:00:55+02:00"), p("2012-10-09T19:00:55Z"));
        assert_eq!(p("2012-10-09T17:00:55-02:00"), p("2012-10-09T19:00:55Z"));
        assert_eq!(p("2000-02-29T00:00:00Z"), Some(951_782_400_000_000_000));
        assert!(p("1969-12-31T23:59:59Z").unwrap() < 0);
    }

    #[test]
    fn rejects_what_aws_rejects() {
        for bad in [
            "2016-13-05T21:29:29Z",
            "05-12-2016T21:29:29Z",
            "2016-12-05T25:29:29Z",
            "2016-12-05 21:29:29Z",
            "2016-12-05T21:29:29",
            "2026-11-25T01:11:27.000000",
            "2023-02-24 12:15:56.832957",
            "{% '2016-03-14T01:59:00Z' %}",
            "2016-12-05t21:29:29z",
            "2001-02-29T00:00:00Z",
            "2016-12-05T21:29:60Z",
            "2016-12-05T21:29Z",
            "2016-12-05T21:29:29.Z",
            "2016-12-05T21:29:29.1234567890Z",
            "2016-12-05T21:29:29+0200",
            "2016-12-05T21:29:29+19:00",
            "",
            " ",
            "2016-12-05T21:29:29Z ",
            "２016-12-05T21:29:29Z",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }
}
