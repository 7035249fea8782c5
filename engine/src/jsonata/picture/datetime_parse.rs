//! `$toMillis(timestamp [, picture])`: parsing a timestamp with a date/time
//! picture, including jsonata-js's rules for defaulting missing components.

use std::collections::HashMap;

use super::calendar::{date_utc, Fragment, Moment, MS_PER_DAY};
use super::datetime::{DAYS, MONTHS};
use super::dt_picture::{analyse_datetime_picture, Marker, Part};
use super::error::PictureError;
use super::integer::{parse_with, Grouping, IntegerFormat, Primary};
use super::iso::parse_iso;
use super::jsnum::parse_int;
use super::matcher::{match_all, Pattern};

/// How a captured group turns into a component value.
enum Reader {
    /// A literal: no value.
    None,
    /// A timezone offset in minutes.
    Timezone {
        /// Whether a `GMT` prefix is to be dropped.
        gmt: bool,
        /// The hour/minute separator.
        sep: Option<char>,
    },
    /// An integer in the marker's integer format.
    Integer(IntegerFormat),
    /// A name looked up exactly (month, day or am/pm).
    Names(Vec<(String, f64)>),
}

/// Builds the pattern and reader of one picture part (jsonata-js's `generateRegex`).
fn compile_part(part: &Part) -> Result<(Pattern, Reader, Option<char>), PictureError> {
    let marker = match part {
        Part::Literal(text) => {
            return Ok((Pattern::Literal(text.chars().collect()), Reader::None, None))
        }
        Part::Marker(m) => m,
    };
    let c = marker.component;
    if c == 'Z' || c == 'z' {
        let sep = match marker.integer.as_ref().map(|f| &f.primary) {
            Some(Primary::Decimal {
                grouping: Grouping::Regular(s),
                ..
            }) => Some(s.character),
            _ => None,
        };
        let gmt = c == 'z';
        return Ok((
            Pattern::Timezone { gmt, sep },
            Reader::Timezone { gmt, sep },
            Some(c),
        ));
    }
    if let Some(format) = &marker.integer {
        return Ok((
            integer_pattern(format, marker)?,
            Reader::Integer(format.clone()),
            Some(c),
        ));
    }
    Ok((
        Pattern::Letters,
        Reader::Names(name_table(marker)?),
        Some(c),
    ))
}

/// The pattern of an integer-valued marker.
fn integer_pattern(format: &IntegerFormat, marker: &Marker) -> Result<Pattern, PictureError> {
    Ok(match &format.primary {
        Primary::Letters => Pattern::Letters,
        Primary::Roman => Pattern::Roman,
        Primary::Words => Pattern::Words,
        Primary::Decimal { optional, .. } => {
            let (min, max) = match marker.n.filter(|n| *n > 0) {
                Some(n) => {
                    let n = n as usize;
                    (n.saturating_sub(*optional), Some(n))
                }
                None => (1, None),
            };
            Pattern::Digits {
                min,
                max,
                ordinal: format.ordinal,
            }
        }
        Primary::Sequence(token) => return Err(PictureError::new("D3130", token)),
    })
}

/// The exact-case name lookup of a name-presented marker.
fn name_table(marker: &Marker) -> Result<Vec<(String, f64)>, PictureError> {
    let cut = |name: &str| match marker.width.and_then(|w| w.max).filter(|m| *m > 0) {
        Some(max) => name.chars().take(max).collect(),
        None => name.to_string(),
    };
    Ok(match marker.component {
        'M' | 'x' => MONTHS
            .iter()
            .enumerate()
            .map(|(i, m)| (cut(m), i as f64 + 1.0))
            .collect(),
        'F' => DAYS
            .iter()
            .enumerate()
            .map(|(i, d)| (cut(d), i as f64 + 1.0))
            .collect(),
        'P' => [("am", 0.0), ("AM", 0.0), ("pm", 1.0), ("PM", 1.0)]
            .iter()
            .map(|(s, v)| (s.to_string(), *v))
            .collect(),
        other => return Err(PictureError::new("D3133", &other.to_string())),
    })
}

/// Reads a captured group's value (`None`: JavaScript `undefined`; NaN stays NaN).
fn read(reader: &Reader, text: &str) -> Result<Option<f64>, PictureError> {
    Ok(match reader {
        Reader::None => None,
        Reader::Integer(format) => Some(parse_with(text, format)?),
        Reader::Names(table) => table.iter().find(|(n, _)| n == text).map(|(_, v)| *v),
        Reader::Timezone { gmt, sep } => {
            let value: String = text.chars().skip(if *gmt { 3 } else { 0 }).collect();
            let (hours, minutes) = match sep.and_then(|s| value.find(s).map(|i| (i, s))) {
                Some((i, s)) => (
                    parse_int(&value[..i]),
                    parse_int(&value[i + s.len_utf8()..]),
                ),
                None => {
                    let v: Vec<char> = value.chars().collect();
                    if v.len() <= 3 {
                        (parse_int(&value), 0.0)
                    } else {
                        let head: String = v[..3].iter().collect();
                        let tail: String = v[3..].iter().collect();
                        (parse_int(&head), parse_int(&tail))
                    }
                }
            };
            Some(hours * 60.0 + minutes)
        }
    })
}

/// `$toMillis(timestamp [, picture])`, taking missing leading components from the current time.
pub(crate) fn parse_datetime(
    text: &str,
    picture: Option<&str>,
) -> Result<Option<i64>, PictureError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    parse_datetime_at(text, picture, now)
}

/// `$toMillis` with `now` (epoch millis, the evaluation's fixed `$now()`) supplying defaults.
pub(crate) fn parse_datetime_at(
    text: &str,
    picture: Option<&str>,
    now: i64,
) -> Result<Option<i64>, PictureError> {
    let Some(picture) = picture else {
        return parse_iso(text);
    };
    let parts = analyse_datetime_picture(picture)?;
    let compiled = parts
        .iter()
        .map(compile_part)
        .collect::<Result<Vec<_>, _>>()?;
    let patterns: Vec<Pattern> = compiled.iter().map(|(p, _, _)| p.clone()).collect();
    let Some(captures) = match_all(&patterns, text) else {
        return Ok(None);
    };
    let mut components: HashMap<char, Option<f64>> = HashMap::new();
    for ((_, reader, component), captured) in compiled.iter().zip(&captures) {
        if let (Some(c), false) = (component, matches!(reader, Reader::None)) {
            components.insert(*c, read(reader, captured)?);
        }
    }
    if components.is_empty() {
        return Ok(None);
    }
    let millis = assemble(&mut components, now)?;
    Ok((millis.is_finite()).then_some(millis as i64))
}

/// Whether a component counts in the type masks (JavaScript truthiness).
fn truthy(v: Option<&Option<f64>>) -> bool {
    matches!(v, Some(Some(x)) if *x != 0.0 && !x.is_nan())
}

/// Whether `mask` uses only bits of `kind` and at least one of them.
fn is_kind(kind: u32, mask: u32) -> bool {
    (!kind & mask) == 0 && (kind & mask) != 0
}

/// Builds the bit mask of which of `letters` are (truthily) present.
fn mask_of(components: &HashMap<char, Option<f64>>, letters: &str) -> u32 {
    letters
        .chars()
        .fold(0, |m, c| (m << 1) | u32::from(truthy(components.get(&c))))
}

/// Classifies, defaults and combines the parsed components into epoch millis (NaN if invalid).
fn assemble(components: &mut HashMap<char, Option<f64>>, now: i64) -> Result<f64, PictureError> {
    let date_mask = mask_of(components, "YXMxWwdD");
    let date_a = is_kind(0b1010_0001, date_mask);
    let date_b = !date_a && is_kind(0b1000_0010, date_mask);
    let date_c = is_kind(0b0101_0100, date_mask);
    let date_d = !date_c && is_kind(0b0100_1000, date_mask);
    let time_mask = mask_of(components, "PHhmsf");
    let time_a = is_kind(0b01_0111, time_mask);
    let time_b = !time_a && is_kind(0b10_1111, time_mask);
    let date_comps = if date_b {
        "YD"
    } else if date_c {
        "XxwF"
    } else if date_d {
        "XWF"
    } else {
        "YMD"
    };
    let time_comps = if time_b { "Phmsf" } else { "Hmsf" };
    let now = Moment::new(now);
    let (mut start_specified, mut end_specified) = (false, false);
    for part in date_comps.chars().chain(time_comps.chars()) {
        if matches!(components.get(&part), None | Some(None)) {
            let value = if start_specified {
                end_specified = true;
                if "MDd".contains(part) {
                    1.0
                } else {
                    0.0
                }
            } else {
                match now.fragment(part) {
                    Fragment::Number(v) => v,
                    _ => f64::NAN,
                }
            };
            components.insert(part, Some(value));
        } else {
            start_specified = true;
            if end_specified {
                return Err(PictureError::new("D3136", ""));
            }
        }
    }
    let get =
        |components: &HashMap<char, Option<f64>>, c: char| components.get(&c).copied().flatten();
    let mut month0 = match get(components, 'M') {
        Some(m) if m > 0.0 => m - 1.0,
        _ => 0.0,
    };
    let year = get(components, 'Y').unwrap_or(f64::NAN);
    let mut day = get(components, 'D').unwrap_or(f64::NAN);
    if date_b {
        let first_jan = date_utc([year, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
        let derived =
            first_jan + (get(components, 'd').unwrap_or(f64::NAN) - 1.0) * MS_PER_DAY as f64;
        if derived.is_finite() && derived.abs() <= super::calendar::MAX_TIME {
            let m = Moment::new(derived as i64);
            if let (Fragment::Number(mm), Fragment::Number(dd)) = (m.fragment('M'), m.fragment('D'))
            {
                month0 = mm - 1.0;
                day = dd;
            }
        } else {
            month0 = f64::NAN;
            day = f64::NAN;
        }
    }
    if date_c || date_d {
        return Err(PictureError::new("D3136", ""));
    }
    let mut hour = get(components, 'H').unwrap_or(f64::NAN);
    if time_b {
        let h = get(components, 'h').unwrap_or(f64::NAN);
        hour = if h == 12.0 { 0.0 } else { h };
        if get(components, 'P') == Some(1.0) {
            hour += 12.0;
        }
    }
    let field = |c: char| get(components, c).unwrap_or(f64::NAN);
    let mut millis = date_utc([year, month0, day, hour, field('m'), field('s'), field('f')]);
    let zone = [get(components, 'Z'), get(components, 'z')]
        .into_iter()
        .flatten()
        .find(|z| *z != 0.0 && !z.is_nan());
    if let Some(z) = zone {
        millis -= z * 60_000.0;
    }
    Ok(millis)
}
