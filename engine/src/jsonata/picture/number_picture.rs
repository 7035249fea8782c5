//! Splitting, validating (F&O §4.7.3) and analysing (§4.7.4) a `$formatNumber`
//! sub-picture, with jsonata-js's index arithmetic.

use super::error::PictureError;
use super::integer::regular_interval;
use super::text::{contains, index_of, is, last_index_of, substring};

/// The decimal-format properties as character vectors, plus the digit family.
#[derive(Debug, Clone)]
pub(crate) struct Props {
    /// The decimal separator.
    pub(crate) decimal: Vec<char>,
    /// The grouping separator.
    pub(crate) grouping: Vec<char>,
    /// The exponent separator.
    pub(crate) exponent: Vec<char>,
    /// The minus sign.
    pub(crate) minus: Vec<char>,
    /// The percent sign.
    pub(crate) percent: Vec<char>,
    /// The per-mille sign.
    pub(crate) per_mille: Vec<char>,
    /// The zero digit.
    pub(crate) zero: Vec<char>,
    /// The optional-digit sign.
    pub(crate) digit: Vec<char>,
    /// The ten digits starting at the zero digit.
    pub(crate) family: Vec<char>,
}

impl Props {
    /// Whether `c` is one of the decimal digit family.
    pub(crate) fn is_family(&self, c: char) -> bool {
        self.family.contains(&c)
    }

    /// Whether `c` is a family digit or the optional-digit sign.
    fn is_digit_sign(&self, c: char) -> bool {
        self.is_family(c) || is(c, &self.digit)
    }

    /// Whether `c` is an active character other than the exponent separator.
    fn is_active_not_exponent(&self, c: char, pattern: &[char]) -> bool {
        self.is_active(c, pattern) && !is(c, &self.exponent)
    }

    /// Whether `c` is an active character (digit, separators, digit sign, pattern separator).
    fn is_active(&self, c: char, pattern: &[char]) -> bool {
        self.is_family(c)
            || is(c, &self.decimal)
            || is(c, &self.exponent)
            || is(c, &self.grouping)
            || is(c, &self.digit)
            || is(c, pattern)
    }
}

/// A sub-picture split into its parts.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    /// Passive characters before the first active one.
    prefix: Vec<char>,
    /// Passive characters after the last active one.
    suffix: Vec<char>,
    /// Everything between prefix and suffix.
    active: Vec<char>,
    /// The active part before the exponent separator.
    mantissa: Vec<char>,
    /// The part after the exponent separator, if there is one.
    exponent: Option<Vec<char>>,
    /// The mantissa before the decimal separator.
    integer: Vec<char>,
    /// The mantissa after the decimal separator (the suffix when there is none).
    fraction: Vec<char>,
    /// The whole sub-picture.
    picture: Vec<char>,
}

/// The analysed variables of a sub-picture (F&O §4.7.4).
#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    /// Grouping positions in the integer part (digits to the right of each).
    pub(crate) integer_grouping: Vec<usize>,
    /// The regular grouping interval, or 0.
    pub(crate) regular_grouping: usize,
    /// Minimum digits before the decimal separator.
    pub(crate) min_integer: usize,
    /// Mantissa scaling factor (for exponent pictures).
    pub(crate) scaling: usize,
    /// The prefix to emit.
    pub(crate) prefix: Vec<char>,
    /// Grouping positions in the fractional part (digits to the left of each).
    pub(crate) fraction_grouping: Vec<usize>,
    /// Minimum digits after the decimal separator.
    pub(crate) min_fraction: usize,
    /// Maximum digits after the decimal separator.
    pub(crate) max_fraction: usize,
    /// Minimum exponent digits (0: no exponent).
    pub(crate) min_exponent: usize,
    /// The suffix to emit.
    pub(crate) suffix: Vec<char>,
    /// The whole sub-picture.
    pub(crate) picture: Vec<char>,
}

/// Splits a sub-picture into prefix, suffix, mantissa, exponent, integer and fraction.
pub(crate) fn split_parts(
    sub: &[char],
    props: &Props,
    pattern: &[char],
) -> Result<Parts, PictureError> {
    let first = sub
        .iter()
        .position(|c| props.is_active_not_exponent(*c, pattern));
    let last = sub
        .iter()
        .rposition(|c| props.is_active_not_exponent(*c, pattern));
    let (Some(first), Some(last)) = (first, last) else {
        return Err(PictureError::new("D3085", ""));
    };
    let prefix = sub[..first].to_vec();
    let suffix = sub[last + 1..].to_vec();
    let len = sub.len() as isize;
    let active = substring(sub, prefix.len() as isize, len - suffix.len() as isize);
    let exp_pos = index_of(sub, &props.exponent, prefix.len());
    let (mantissa, exponent) = match exp_pos {
        Some(p) if p as isize <= len - suffix.len() as isize => (
            substring(&active, 0, p as isize),
            Some(substring(&active, p as isize + 1, active.len() as isize)),
        ),
        _ => (active.clone(), None),
    };
    let (integer, fraction) = match index_of(&mantissa, &props.decimal, 0) {
        None => (mantissa.clone(), suffix.clone()),
        Some(d) => (
            substring(&mantissa, 0, d as isize),
            substring(&mantissa, d as isize + 1, mantissa.len() as isize),
        ),
    };
    Ok(Parts {
        prefix,
        suffix,
        active,
        mantissa,
        exponent,
        integer,
        fraction,
        picture: sub.to_vec(),
    })
}

/// Validates a split sub-picture; the last rule broken decides the code, as in jsonata-js.
pub(crate) fn validate(parts: &Parts, props: &Props, pattern: &[char]) -> Result<(), PictureError> {
    let mut error = None;
    let sub = &parts.picture;
    let once = |s: &[char]| index_of(sub, s, 0) == last_index_of(sub, s);
    let decimal_pos = index_of(sub, &props.decimal, 0);
    if !once(&props.decimal) {
        error = Some("D3081");
    }
    if !once(&props.percent) {
        error = Some("D3082");
    }
    if !once(&props.per_mille) {
        error = Some("D3083");
    }
    let has_percent = contains(sub, &props.percent);
    let has_per_mille = contains(sub, &props.per_mille);
    if has_percent && has_per_mille {
        error = Some("D3084");
    }
    if !parts.mantissa.iter().any(|c| props.is_digit_sign(*c)) {
        error = Some("D3085");
    }
    if parts.active.iter().any(|c| !props.is_active(*c, pattern)) {
        error = Some("D3086");
    }
    let is_grouping = |i: Option<usize>| {
        i.and_then(|i| sub.get(i))
            .is_some_and(|c| is(*c, &props.grouping))
    };
    match decimal_pos {
        Some(d) => {
            if is_grouping(d.checked_sub(1)) || is_grouping(Some(d + 1)) {
                error = Some("D3087");
            }
        }
        None => {
            if parts
                .integer
                .last()
                .is_some_and(|c| is(*c, &props.grouping))
            {
                error = Some("D3088");
            }
        }
    }
    let double: Vec<char> = props
        .grouping
        .iter()
        .chain(props.grouping.iter())
        .copied()
        .collect();
    if contains(sub, &double) {
        error = Some("D3089");
    }
    if let Some(p) = index_of(&parts.integer, &props.digit, 0) {
        if parts.integer[..p].iter().any(|c| props.is_family(*c)) {
            error = Some("D3090");
        }
    }
    if let Some(p) = last_index_of(&parts.fraction, &props.digit) {
        if parts.fraction[p..].iter().any(|c| props.is_family(*c)) {
            error = Some("D3091");
        }
    }
    if let Some(exp) = &parts.exponent {
        if !exp.is_empty() && (has_percent || has_per_mille) {
            error = Some("D3092");
        }
        if exp.is_empty() || exp.iter().any(|c| !props.is_family(*c)) {
            error = Some("D3093");
        }
    }
    match error {
        Some(code) => Err(PictureError::new(code, "")),
        None => Ok(()),
    }
}

/// Grouping positions of `part`; later separators are searched in the integer part (sic).
fn grouping_positions(part: &[char], integer: &[char], to_left: bool, props: &Props) -> Vec<usize> {
    let mut positions = Vec::new();
    let mut pos = index_of(part, &props.grouping, 0);
    while let Some(p) = pos {
        let side = if to_left {
            substring(part, 0, p as isize)
        } else {
            substring(part, p as isize, part.len() as isize)
        };
        positions.push(side.iter().filter(|c| props.is_digit_sign(**c)).count());
        pos = index_of(integer, &props.grouping, p + 1);
    }
    positions
}

/// Computes the formatting variables of a validated sub-picture.
pub(crate) fn analyse(parts: &Parts, props: &Props) -> Analysis {
    let integer_grouping = grouping_positions(&parts.integer, &parts.integer, false, props);
    let regular_grouping = regular_interval(&integer_grouping);
    let fraction_grouping = grouping_positions(&parts.fraction, &parts.integer, true, props);
    let count = |v: &[char], f: &dyn Fn(char) -> bool| v.iter().filter(|c| f(**c)).count();
    let mut min_integer = count(&parts.integer, &|c| props.is_family(c));
    let scaling = min_integer;
    let mut min_fraction = count(&parts.fraction, &|c| props.is_family(c));
    let mut max_fraction = count(&parts.fraction, &|c| props.is_digit_sign(c));
    let exponent_present = parts.exponent.is_some();
    if min_integer == 0 && max_fraction == 0 {
        if exponent_present {
            min_fraction = 1;
            max_fraction = 1;
        } else {
            min_integer = 1;
        }
    }
    if exponent_present && min_integer == 0 && contains(&parts.integer, &props.digit) {
        min_integer = 1;
    }
    if min_integer == 0 && min_fraction == 0 {
        min_fraction = 1;
    }
    let min_exponent = parts
        .exponent
        .as_ref()
        .map_or(0, |e| count(e, &|c| props.is_family(c)));
    Analysis {
        integer_grouping,
        regular_grouping,
        min_integer,
        scaling,
        prefix: parts.prefix.clone(),
        fraction_grouping,
        min_fraction,
        max_fraction,
        min_exponent,
        suffix: parts.suffix.clone(),
        picture: parts.picture.clone(),
    }
}
