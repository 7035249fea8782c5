//! `$fromMillis(ms [, picture [, timezone]])` and `$now(...)`: formatting an
//! instant with a date/time picture (F&O 3.1 §9.8), as jsonata-js 2.0.6 does it.

use super::calendar::{Fragment, Moment, MAX_TIME};
use super::dt_picture::{analyse_datetime_picture, Marker, Part, ISO_PICTURE};
use super::error::PictureError;
use super::integer::{format_integer, format_with, Case, Grouping, Primary};
use super::jsnum::parse_int;

/// English month names.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// English day names, Monday first (ISO day numbers 1–7).
pub(crate) const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Applies a name case to `name`.
fn apply_case(name: &str, case: Case) -> String {
    match case {
        Case::Upper => name.to_uppercase(),
        Case::Lower => name.to_lowercase(),
        Case::Title => name.to_string(),
    }
}

/// The timezone offset in jsonata-js's split form: `parseInt` of `+hhmm`, then hours and minutes.
fn timezone_offset(timezone: Option<&str>) -> (f64, f64) {
    match timezone {
        None => (0.0, 0.0),
        Some(tz) => {
            let offset = parse_int(tz);
            ((offset / 100.0).floor(), offset % 100.0)
        }
    }
}

/// Formats `millis` with `picture` (ISO 8601 when `None`) in `timezone` (`±hhmm`, UTC when `None`).
pub(crate) fn format_datetime(
    millis: i64,
    picture: Option<&str>,
    timezone: Option<&str>,
) -> Result<String, PictureError> {
    let (hours, minutes) = timezone_offset(timezone);
    let parts = analyse_datetime_picture(picture.unwrap_or(ISO_PICTURE))?;
    let shifted = millis as f64 + (60.0 * hours + minutes) * 60_000.0;
    let moment =
        (shifted.is_finite() && shifted.abs() <= MAX_TIME).then(|| Moment::new(shifted as i64));
    let mut out = String::new();
    for part in &parts {
        match part {
            Part::Literal(text) => out.push_str(text),
            Part::Marker(marker) => match &moment {
                Some(m) => out.push_str(&format_component(m, marker, hours, minutes)?),
                None => out.push_str("NaN"),
            },
        }
    }
    Ok(out)
}

/// Formats one marker (jsonata-js's `formatComponent`).
fn format_component(
    date: &Moment,
    marker: &Marker,
    hours: f64,
    minutes: f64,
) -> Result<String, PictureError> {
    let component = marker.component;
    let value = date.fragment(component);
    let name_error = || PictureError::new("D3133", &component.to_string());
    if "YMDdFWwXxHhms".contains(component) {
        let Fragment::Number(mut v) = value else {
            return Err(name_error());
        };
        if component == 'Y' {
            if let Some(n) = marker.n.filter(|n| *n != -1) {
                v %= 10f64.powi(n as i32);
            }
        }
        if let Some(case) = marker.names {
            let name = match component {
                'M' | 'x' => MONTHS[(v as usize).saturating_sub(1) % 12],
                'F' => DAYS[(v as usize).saturating_sub(1) % 7],
                _ => return Err(name_error()),
            };
            let mut name = apply_case(name, case);
            if let Some(max) = marker.width.and_then(|w| w.max) {
                name = name.chars().take(max).collect();
            }
            return Ok(name);
        }
        return match &marker.integer {
            Some(format) => format_with(v, format),
            None => Err(name_error()),
        };
    }
    match (component, value) {
        ('f', Fragment::Number(v)) => match &marker.integer {
            Some(format) => format_with(v, format),
            None => Err(name_error()),
        },
        ('Z' | 'z', _) => format_timezone(marker, hours, minutes),
        ('P', Fragment::Text(t)) if marker.names == Some(Case::Upper) => Ok(t.to_uppercase()),
        (_, Fragment::Text(t)) => Ok(t.to_string()),
        (_, Fragment::Number(v)) => Ok(v.to_string()),
        (_, Fragment::Absent) => Ok("undefined".to_string()),
    }
}

/// Formats the timezone marker (F&O §9.8.4.6 as jsonata-js reads it).
fn format_timezone(marker: &Marker, hours: f64, minutes: f64) -> Result<String, PictureError> {
    let offset = hours * 100.0 + minutes;
    let too_long = || PictureError::new("D3134", "");
    let format = marker.integer.as_ref().ok_or_else(too_long)?;
    let mut text = match &format.primary {
        Primary::Decimal {
            grouping: Grouping::Regular(_),
            ..
        } => format_with(offset, format)?,
        Primary::Decimal {
            mandatory: 1 | 2, ..
        } => {
            let mut t = format_with(hours, format)?;
            if minutes != 0.0 {
                t.push(':');
                t.push_str(&format_integer(minutes, "00")?);
            }
            t
        }
        Primary::Decimal {
            mandatory: 3 | 4, ..
        } => format_with(offset, format)?,
        _ => return Err(too_long()),
    };
    if offset >= 0.0 {
        text.insert(0, '+');
    }
    if marker.component == 'z' {
        text.insert_str(0, "GMT");
    }
    if offset == 0.0 && marker.presentation2 == Some('t') {
        text = "Z".to_string();
    }
    Ok(text)
}
