//! Analysis of a date/time picture string (F&O 3.1 §9.8.4.1): literals and
//! `[...]` variable markers with presentation and width modifiers.

use super::error::PictureError;
use super::integer::{analyse_integer_picture, Case, IntegerFormat, Primary};
use super::jsnum::{is_js_space, parse_int};
use super::text::{chars, string};

/// The picture `$fromMillis` uses when none is given.
pub(crate) const ISO_PICTURE: &str = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/// A width modifier; `None` bounds are `*` or absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Width {
    /// Minimum width.
    pub(crate) min: Option<usize>,
    /// Maximum width.
    pub(crate) max: Option<usize>,
}

/// A variable marker such as `[D01]` or `[MNn,3-3]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Marker {
    /// The component specifier letter.
    pub(crate) component: char,
    /// The second presentation modifier (`a`, `t`, `c` or `o`), if any.
    pub(crate) presentation2: Option<char>,
    /// The width modifier, if a comma was present.
    pub(crate) width: Option<Width>,
    /// The case of a name presentation (`N`, `n`, `Nn`), if one was asked for.
    pub(crate) names: Option<Case>,
    /// The integer format of a numeric presentation.
    pub(crate) integer: Option<IntegerFormat>,
    /// jsonata-js's `n` for Y, M and D (digits kept / matched; -1 when unbounded).
    pub(crate) n: Option<i64>,
}

/// One piece of an analysed date/time picture.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    /// Literal text.
    Literal(String),
    /// A variable marker.
    Marker(Marker),
}

/// The default first presentation modifier of each component.
fn default_presentation(component: char) -> Option<&'static str> {
    Some(match component {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

/// Parses one bound of a width modifier (`*`, absent or unparsable mean none).
fn parse_width(text: Option<&[char]>) -> Option<usize> {
    let text = text?;
    if text == ['*'] {
        return None;
    }
    let v = parse_int(&string(text));
    (v.is_finite() && v >= 0.0).then_some(v as usize)
}

/// Analyses the inside of a `[...]` marker (white space already removed).
fn analyse_marker(marker: &[char]) -> Result<Marker, PictureError> {
    let Some(&component) = marker.first() else {
        return Err(PictureError::new("D3132", ""));
    };
    let comma = marker.iter().rposition(|c| *c == ',');
    let (pres_mod, width) = match comma {
        Some(c) => {
            let wm = &marker[c + 1..];
            let (min, max) = match wm.iter().position(|ch| *ch == '-') {
                None => (Some(wm), None),
                Some(d) => (Some(&wm[..d]), Some(&wm[d + 1..])),
            };
            let width = Width {
                min: parse_width(min),
                max: parse_width(max),
            };
            // JavaScript's substring(1, 0) swaps its bounds.
            (
                if c == 0 { &marker[..1] } else { &marker[1..c] },
                Some(width),
            )
        }
        None => (&marker[1..], None),
    };
    let mut presentation2 = None;
    let presentation1: String = match pres_mod.len() {
        0 => match default_presentation(component) {
            Some(p) => p.to_string(),
            None => return Err(PictureError::new("D3132", &component.to_string())),
        },
        1 => string(pres_mod),
        len => {
            let last = pres_mod[len - 1];
            if "atco".contains(last) {
                presentation2 = Some(last);
                string(&pres_mod[..len - 1])
            } else {
                string(pres_mod)
            }
        }
    };
    let mut p1 = presentation1.chars();
    let names = match (p1.next(), p1.next()) {
        (Some('n'), _) => Some(Case::Lower),
        (Some('N'), Some('n')) => Some(Case::Title),
        (Some('N'), _) => Some(Case::Upper),
        _ => None,
    };
    let mut integer = None;
    let mut n = None;
    if names.is_none() && "YMDdFWwXxHhmsf".contains(component) {
        let pattern = match presentation2 {
            Some(p2) => format!("{presentation1};{p2}"),
            None => presentation1.clone(),
        };
        let mut format = analyse_integer_picture(&pattern)?;
        if let Some(min) = width.and_then(|w| w.min) {
            format.set_mandatory(min, false);
        }
        if "YMD".contains(component) {
            let mut bound = -1;
            if let Some(max) = width.and_then(|w| w.max) {
                bound = max as i64;
                format.set_mandatory(max, true);
            } else if let Primary::Decimal {
                mandatory,
                optional,
                ..
            } = &format.primary
            {
                if mandatory + optional >= 2 {
                    bound = (mandatory + optional) as i64;
                }
            }
            n = Some(bound);
        }
        integer = Some(format);
    }
    if component == 'Z' || component == 'z' {
        integer = Some(analyse_integer_picture(&presentation1)?);
    }
    Ok(Marker {
        component,
        presentation2,
        width,
        names,
        integer,
        n,
    })
}

/// Analyses a date/time picture into literals and markers.
pub(crate) fn analyse_datetime_picture(picture: &str) -> Result<Vec<Part>, PictureError> {
    let pic = chars(picture);
    let mut parts = Vec::new();
    let add_literal = |parts: &mut Vec<Part>, start: usize, end: usize| {
        if end > start {
            parts.push(Part::Literal(string(&pic[start..end]).replace("]]", "]")));
        }
    };
    let (mut start, mut pos) = (0, 0);
    while pos < pic.len() {
        if pic[pos] == '[' {
            if pic.get(pos + 1) == Some(&'[') {
                add_literal(&mut parts, start, pos);
                parts.push(Part::Literal("[".to_string()));
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(&mut parts, start, pos);
            start = pos;
            let Some(close) = pic[start..].iter().position(|c| *c == ']') else {
                return Err(PictureError::new("D3135", ""));
            };
            pos = start + close;
            let marker: Vec<char> = pic[start + 1..pos]
                .iter()
                .copied()
                .filter(|c| !is_js_space(*c))
                .collect();
            parts.push(Part::Marker(analyse_marker(&marker)?));
            start = pos + 1;
        }
        pos += 1;
    }
    add_literal(&mut parts, start, pos);
    Ok(parts)
}
