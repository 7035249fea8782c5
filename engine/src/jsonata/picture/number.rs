//! `$formatNumber(number, picture [, options])` (XPath F&O 3.1 §4.7), as jsonata-js 2.0.6 does it.

use super::error::PictureError;
use super::jsnum::{round_half_even, to_fixed};
use super::number_picture::{analyse, split_parts, validate, Analysis, Props};
use super::text::{chars, contains, index_of, slice, split, string, substring};

/// The decimal-format properties of `$formatNumber` (its third argument overrides them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecimalFormat {
    /// `decimal-separator`, default `.`.
    pub(crate) decimal_separator: String,
    /// `grouping-separator`, default `,`.
    pub(crate) grouping_separator: String,
    /// `exponent-separator`, default `e`.
    pub(crate) exponent_separator: String,
    /// `minus-sign`, default `-`.
    pub(crate) minus_sign: String,
    /// `infinity`, default `Infinity`.
    pub(crate) infinity: String,
    /// `NaN`, default `NaN`.
    pub(crate) nan: String,
    /// `percent`, default `%`.
    pub(crate) percent: String,
    /// `per-mille`, default `‰`.
    pub(crate) per_mille: String,
    /// `zero-digit`, default `0`.
    pub(crate) zero_digit: String,
    /// `digit`, default `#`.
    pub(crate) digit: String,
    /// `pattern-separator`, default `;`.
    pub(crate) pattern_separator: String,
}

impl Default for DecimalFormat {
    fn default() -> Self {
        DecimalFormat {
            decimal_separator: ".".into(),
            grouping_separator: ",".into(),
            exponent_separator: "e".into(),
            minus_sign: "-".into(),
            infinity: "Infinity".into(),
            nan: "NaN".into(),
            percent: "%".into(),
            per_mille: "\u{2030}".into(),
            zero_digit: "0".into(),
            digit: "#".into(),
            pattern_separator: ";".into(),
        }
    }
}

impl DecimalFormat {
    /// Overrides one property by its option name; unknown names are ignored, as in jsonata-js.
    pub(crate) fn set(&mut self, name: &str, value: &str) -> Result<(), PictureError> {
        let slot = match name {
            "decimal-separator" => &mut self.decimal_separator,
            "grouping-separator" => &mut self.grouping_separator,
            "exponent-separator" => &mut self.exponent_separator,
            "minus-sign" => &mut self.minus_sign,
            "infinity" => &mut self.infinity,
            "NaN" => &mut self.nan,
            "percent" => &mut self.percent,
            "per-mille" => &mut self.per_mille,
            "zero-digit" => &mut self.zero_digit,
            "digit" => &mut self.digit,
            "pattern-separator" => &mut self.pattern_separator,
            _ => return Ok(()),
        };
        *slot = value.to_string();
        Ok(())
    }

    /// The properties as character vectors, with the digit family of the zero digit.
    fn props(&self) -> Props {
        let family = match self.zero_digit.chars().next() {
            Some(z) => (0..10)
                .filter_map(|i| char::from_u32(z as u32 + i))
                .collect(),
            None => Vec::new(),
        };
        Props {
            decimal: chars(&self.decimal_separator),
            grouping: chars(&self.grouping_separator),
            exponent: chars(&self.exponent_separator),
            minus: chars(&self.minus_sign),
            percent: chars(&self.percent),
            per_mille: chars(&self.per_mille),
            zero: chars(&self.zero_digit),
            digit: chars(&self.digit),
            family,
        }
    }
}

/// Formats `value` with `picture` and the decimal format `format`.
pub(crate) fn format_number(
    value: f64,
    picture: &str,
    format: &DecimalFormat,
) -> Result<String, PictureError> {
    let props = format.props();
    let pattern = chars(&format.pattern_separator);
    let subs = split(&chars(picture), &pattern);
    if subs.len() > 2 {
        return Err(PictureError::new("D3080", ""));
    }
    let parts = subs
        .iter()
        .map(|s| split_parts(s, &props, &pattern))
        .collect::<Result<Vec<_>, _>>()?;
    for p in &parts {
        validate(p, &props, &pattern)?;
    }
    let mut variables: Vec<Analysis> = parts.iter().map(|p| analyse(p, &props)).collect();
    if variables.len() == 1 {
        let mut negative = variables[0].clone();
        negative.prefix = [props.minus.clone(), negative.prefix].concat();
        variables.push(negative);
    }
    let pic = if value >= 0.0 {
        &variables[0]
    } else {
        &variables[1]
    };
    if value.is_nan() {
        return Ok(format.nan.clone());
    }
    if value.is_infinite() {
        return Ok(format!(
            "{}{}{}",
            string(&pic.prefix),
            format.infinity,
            string(&pic.suffix)
        ));
    }
    Ok(format_with(value, pic, &props))
}

/// Formats a finite number with an analysed sub-picture (F&O §4.7.5 bullets 3–14).
fn format_with(value: f64, pic: &Analysis, props: &Props) -> String {
    let adjusted = if contains(&pic.picture, &props.percent) {
        value * 100.0
    } else if contains(&pic.picture, &props.per_mille) {
        value * 1000.0
    } else {
        value
    };
    let (mantissa, exponent) = if pic.min_exponent == 0 {
        (adjusted, None)
    } else {
        scale_mantissa(adjusted, pic.scaling)
    };
    let rounded = round_half_even(mantissa, pic.max_fraction as i64);
    let mut s = make_string(rounded, pic.max_fraction, props);
    match s.iter().position(|c| *c == '.') {
        None => s.extend(props.decimal.iter()),
        Some(i) => {
            s.splice(i..=i, props.decimal.iter().copied());
        }
    }
    let is_zero =
        |c: Option<&char>| c.is_some_and(|c| props.zero.len() == 1 && *c == props.zero[0]);
    while is_zero(s.first()) {
        s.remove(0);
    }
    while is_zero(s.last()) {
        s.pop();
    }
    let decimal_of = |s: &[char]| index_of(s, &props.decimal, 0).map_or(-1, |i| i as isize);
    let decimal_pos = decimal_of(&s);
    let pad_left = pic.min_integer as isize - decimal_pos;
    let pad_right = pic.min_fraction as isize - (s.len() as isize - decimal_pos - 1);
    if pad_left > 0 {
        s = [props.zero.repeat(pad_left as usize), s].concat();
    }
    if pad_right > 0 {
        s.extend(props.zero.repeat(pad_right as usize));
    }
    let mut decimal_pos = decimal_of(&s);
    let insert = |s: &[char], at: isize| -> Vec<char> {
        [
            slice(s, 0, at),
            props.grouping.clone(),
            slice(s, at, s.len() as isize),
        ]
        .concat()
    };
    if pic.regular_grouping > 0 {
        let interval = pic.regular_grouping as isize;
        let groups = (decimal_pos - 1).div_euclid(interval);
        for group in 1..=groups {
            s = insert(&s, decimal_pos - group * interval);
        }
    } else {
        for pos in &pic.integer_grouping {
            s = insert(&s, decimal_pos - *pos as isize);
            decimal_pos += 1;
        }
    }
    let decimal_pos = decimal_of(&s);
    for pos in &pic.fraction_grouping {
        s = insert(&s, *pos as isize + decimal_pos + 1);
    }
    let decimal_pos = decimal_of(&s);
    if !contains(&pic.picture, &props.decimal) || decimal_pos == s.len() as isize - 1 {
        s = substring(&s, 0, s.len() as isize - 1);
    }
    let mut out = string(&pic.prefix);
    out.push_str(&string(&s));
    if let Some(exponent) = exponent {
        let mut digits = make_string(exponent as f64, 0, props);
        let pad = pic.min_exponent as isize - digits.len() as isize;
        if pad > 0 {
            digits = [props.zero.repeat(pad as usize), digits].concat();
        }
        out.push_str(&string(&props.exponent));
        if exponent < 0 {
            out.push_str(&string(&props.minus));
        }
        out.push_str(&string(&digits));
    }
    out.push_str(&string(&pic.suffix));
    out
}

/// Scales `value` into `[10^(scaling-1), 10^scaling]`, returning mantissa and exponent.
/// (jsonata-js loops forever on zero or negative values; here those keep exponent 0 or scale by magnitude.)
fn scale_mantissa(value: f64, scaling: usize) -> (f64, Option<i64>) {
    let max = 10f64.powi(scaling as i32);
    let min = 10f64.powi(scaling as i32 - 1);
    let negative = value < 0.0;
    let mut mantissa = value.abs();
    let mut exponent = 0i64;
    if mantissa > 0.0 {
        while mantissa < min {
            mantissa *= 10.0;
            exponent -= 1;
        }
        while mantissa > max {
            mantissa /= 10.0;
            exponent += 1;
        }
    }
    (if negative { -mantissa } else { mantissa }, Some(exponent))
}

/// `Math.abs(value).toFixed(dp)` with ASCII digits mapped onto the digit family.
fn make_string(value: f64, dp: usize, props: &Props) -> Vec<char> {
    to_fixed(value.abs(), dp)
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => props.family.get(d as usize).copied().unwrap_or(c),
            None => c,
        })
        .collect()
}
