//! Table-driven tests over cases derived from the official JSONata test suite
//! (`function-formatNumber`, `function-formatInteger`, `function-parseInteger`,
//! `function-fromMillis`, `function-tomillis`), plus a few edge cases.

mod cases_datetime;
mod cases_number;

use super::*;
use cases_datetime::{FROM_MILLIS, TO_FROM, TO_MILLIS};
use cases_number::{FORMAT_INTEGER, FORMAT_NUMBER, PARSE_INTEGER};

/// A fixed "now" for cases that default components from the current time (2018-10-21T13:05:00Z).
const NOW: i64 = 1_540_127_100_000;

/// Renders a result the way the tables write expectations.
fn show<T: ToString>(r: Result<Option<T>, PictureError>) -> String {
    match r {
        Ok(Some(v)) => v.to_string(),
        Ok(None) => "undefined".to_string(),
        Err(e) => format!("!{}", e.code),
    }
}

/// Renders an f64 result, integers without a fraction.
fn show_f64(r: Result<Option<f64>, PictureError>) -> String {
    show(r.map(|o| {
        o.map(|v| {
            if v.fract() == 0.0 && v.abs() < 1e21 {
                format!("{v:.0}")
            } else {
                format!("{v:e}")
            }
        })
    }))
}

/// Normalises an expected number the way `show_f64` renders it.
fn norm_f64(expected: &str) -> String {
    match expected.parse::<f64>() {
        Ok(v) => show_f64(Ok(Some(v))),
        Err(_) => expected.to_string(),
    }
}

/// Runs every case of a table, collecting failures.
fn check(failures: &mut Vec<String>, what: String, got: String, expected: &str) {
    if got != expected {
        failures.push(format!("{what}: got {got:?}, expected {expected:?}"));
    }
}

/// Suite cases for `$formatNumber`.
#[test]
fn suite_format_number() {
    let mut failures = Vec::new();
    for (value, picture, options, expected) in FORMAT_NUMBER {
        let mut format = DecimalFormat::default();
        for (k, v) in *options {
            format.set(k, v).unwrap();
        }
        let got = show(format_number(*value, picture, &format).map(Some));
        check(
            &mut failures,
            format!("$formatNumber({value}, {picture:?})"),
            got,
            expected,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Suite cases for `$formatInteger`.
#[test]
fn suite_format_integer() {
    let mut failures = Vec::new();
    for (value, picture, expected) in FORMAT_INTEGER {
        let got = show(format_integer(*value, picture).map(Some));
        check(
            &mut failures,
            format!("$formatInteger({value}, {picture:?})"),
            got,
            expected,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Suite cases for `$parseInteger`.
#[test]
fn suite_parse_integer() {
    let mut failures = Vec::new();
    for (text, picture, expected) in PARSE_INTEGER {
        let got = show_f64(parse_integer(text, picture));
        check(
            &mut failures,
            format!("$parseInteger({text:?}, {picture:?})"),
            got,
            &norm_f64(expected),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Suite cases for `$fromMillis`.
#[test]
fn suite_from_millis() {
    let mut failures = Vec::new();
    for (millis, picture, tz, expected) in FROM_MILLIS {
        let got = show(format_datetime(*millis, *picture, *tz).map(Some));
        check(
            &mut failures,
            format!("$fromMillis({millis}, {picture:?}, {tz:?})"),
            got,
            expected,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Suite cases for `$toMillis`, alone and piped into `$fromMillis`.
#[test]
fn suite_to_millis() {
    let mut failures = Vec::new();
    for (text, picture, expected) in TO_MILLIS {
        let got = show(parse_datetime_at(text, *picture, NOW));
        check(
            &mut failures,
            format!("$toMillis({text:?}, {picture:?})"),
            got,
            expected,
        );
    }
    for (text, picture, picture2, expected) in TO_FROM {
        let got = match parse_datetime_at(text, *picture, NOW) {
            Ok(Some(ms)) => show(format_datetime(ms, *picture2, None).map(Some)),
            other => show(other),
        };
        check(
            &mut failures,
            format!("$toMillis({text:?}, {picture:?}) ~> $fromMillis"),
            got,
            expected,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The suite's composite cases, written out by hand.
#[test]
fn suite_composites() {
    // formatDateTime.json#66: $toMillis('2018-10-21T13:05:00Z').[$fromMillis(), …'-0500', …'0000']
    let ms = parse_datetime("2018-10-21T13:05:00Z", None)
        .unwrap()
        .unwrap();
    assert_eq!(
        format_datetime(ms, None, None).unwrap(),
        "2018-10-21T13:05:00.000Z"
    );
    assert_eq!(
        format_datetime(ms, None, Some("-0500")).unwrap(),
        "2018-10-21T08:05:00.000-05:00"
    );
    assert_eq!(
        format_datetime(ms, None, Some("0000")).unwrap(),
        "2018-10-21T13:05:00.000Z"
    );
    // parseDateTime.json#28/#29: '13:45' with '[H]:[m]' takes today's date from $now().
    let ms = parse_datetime_at("13:45", Some("[H]:[m]"), NOW)
        .unwrap()
        .unwrap();
    let text = format_datetime(ms, None, None).unwrap();
    let now = format_datetime(NOW, None, None).unwrap();
    assert_eq!(text.split('T').next(), now.split('T').next());
    assert_eq!(text.split_once('T').map(|(_, t)| t), Some("13:45:00.000Z"));
}

/// A tiny deterministic generator for the no-panic sweep.
fn lcg(state: &mut u64) -> usize {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    (*state >> 33) as usize
}

/// Random pictures never panic (errors are fine).
#[test]
fn no_panics_on_odd_pictures() {
    let alphabet: Vec<char> = "0#9,.;e%\u{2030}-aAiIwWnNo[]YMDdFWwXxHhPmsfZzCE:*t 1\u{660}"
        .chars()
        .collect();
    let mut state = 7;
    for _ in 0..20_000 {
        let len = lcg(&mut state) % 12;
        let picture: String = (0..len)
            .map(|_| alphabet[lcg(&mut state) % alphabet.len()])
            .collect();
        let value = [0.0, -0.5, 7.25, 1234.5, -98765.4321, 1e21, 3e-7][lcg(&mut state) % 7];
        let _ = format_number(value, &picture, &DecimalFormat::default());
        let _ = format_integer(value, &picture);
        let _ = parse_integer("12,345th", &picture);
        let _ = format_datetime(1_521_801_216_617, Some(&picture), Some("-0530"));
        let _ = parse_datetime_at("2018-03-23 10:33 pm", Some(&picture), NOW);
        let _ = parse_datetime_at(&picture, None, NOW);
    }
}

/// jsonata-js quirks kept on purpose (each checked against jsonata-js 2.0.6 under node, TZ=UTC).
#[test]
fn jsonata_js_quirks() {
    let d = DecimalFormat::default();
    assert_eq!(format_number(5.0, "#,##,##0.0", &d).unwrap(), ",5.,0");
    assert_eq!(format_number(1e21, "#,##0", &d).unwrap(), "1e,+21");
    assert_eq!(format_number(0.125, "0.00", &d).unwrap(), "0.12");
    assert_eq!(format_number(2.5, "0", &d).unwrap(), "2");
    assert_eq!(format_number(-1234.5, "#,##0.0", &d).unwrap(), "-1,234.5");
    assert_eq!(format_integer(5.0, "#:###,##0").unwrap(), ",5");
    assert_eq!(format_integer(1e21, "0").unwrap(), "1e+21");
    assert_eq!(format_integer(-2.5, "0").unwrap(), "-3");
    assert_eq!(parse_integer("1,234", "#:##0").unwrap(), Some(1234.0));
    assert_eq!(parse_integer("xx", "w").unwrap(), None);
    let noon = 1_531_310_400_000;
    let z0 = format_datetime(noon, Some("[H01]:[m01] [Z0]"), Some("-0530"));
    assert_eq!(z0.unwrap(), "05:30 -6:-30");
    let z = format_datetime(noon, Some("[H01]:[m01] [Z]"), Some("-0530"));
    assert_eq!(z.unwrap(), "05:30 -06:30");
    assert_eq!(format_datetime(0, Some("[q1]"), None).unwrap(), "undefined");
    assert_eq!(format_datetime(5, Some("[f01]"), None).unwrap(), "05");
    let year_minus_one =
        format_datetime(-62_198_755_200_000, Some("[Y0001]-[M01]-[D01] [FNn]"), None);
    assert_eq!(year_minus_one.unwrap(), "-0001-01-01 Friday");
    let zoned = "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]";
    let at = |text: &str, picture: &str| parse_datetime_at(text, Some(picture), NOW);
    assert_eq!(
        at("2020-09-09 12:00:00 -05:30", zoned).unwrap(),
        Some(1_599_669_000_000)
    );
    assert_eq!(at("00:00", "[H01]:[m01]").unwrap(), Some(1_540_080_000_000));
    assert_eq!(at("12:30", "[h]:[m]").unwrap(), Some(1_540_081_800_000));
    assert_eq!(
        at("1 march 2018", "[D] [MNn] [Y0001]").unwrap_err().code,
        "D3136"
    );
    assert_eq!(
        at("18-03-01", "[Y01]-[M01]-[D01]").unwrap(),
        Some(-1_635_897_600_000)
    );
    let iso = |text: &str| parse_datetime(text, None);
    assert_eq!(iso("2018-02-30").unwrap(), Some(1_519_948_800_000));
    assert_eq!(iso("2018-13-01").unwrap(), None);
    assert_eq!(
        iso("2018-02-03T24:00:00Z").unwrap(),
        Some(1_517_702_400_000)
    );
    assert_eq!(iso("0050-06-01").unwrap(), Some(-60_576_249_600_000));
    assert_eq!(
        iso("2018-02-03T04:05:06-0230").unwrap(),
        Some(1_517_639_706_000)
    );
}
