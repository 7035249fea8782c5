//! `$formatInteger` and `$parseInteger` (XPath F&O 3.1 §4.6.1): integer pictures
//! (decimal digit patterns, `a`/`A`, `i`/`I`, `w`/`W`/`Ww`, `;o` ordinals).

use super::error::PictureError;
use super::jsnum::to_js_string;
use super::text::{chars, string, substr};
use super::words::{
    decimal_to_letters, decimal_to_roman, digits_to_number, letters_to_decimal, number_to_words,
    roman_to_decimal, words_to_number,
};

/// The first code point of every Unicode decimal digit block jsonata-js recognises.
const DECIMAL_GROUPS: [u32; 37] = [
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

/// Letter case requested by a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// All upper case.
    Upper,
    /// All lower case.
    Lower,
    /// Title case.
    Title,
}

/// A grouping-separator sign: its character and how many digits lie to its right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Separator {
    /// Digits to the right of the separator.
    pub(crate) position: usize,
    /// The separator character.
    pub(crate) character: char,
}

/// How a decimal digit pattern groups its digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Grouping {
    /// The same separator repeats every `position` digits.
    Regular(Separator),
    /// Separators at fixed positions, right to left as found.
    Irregular(Vec<Separator>),
}

/// The primary format token of an integer picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Primary {
    /// A decimal digit pattern.
    Decimal {
        /// Code point of the digit family's zero.
        zero: u32,
        /// Count of mandatory digits (padded with zeros).
        mandatory: usize,
        /// Count of optional `#` digits.
        optional: usize,
        /// Grouping separators.
        grouping: Grouping,
    },
    /// `a` / `A`: spreadsheet letters.
    Letters,
    /// `i` / `I`: roman numerals.
    Roman,
    /// `w` / `W` / `Ww`: English words.
    Words,
    /// Anything else: an unsupported numbering sequence.
    Sequence(String),
}

/// An analysed integer picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IntegerFormat {
    /// The primary format token.
    pub(crate) primary: Primary,
    /// Letter case of the output.
    pub(crate) case: Case,
    /// Whether the `;o` ordinal modifier was given.
    pub(crate) ordinal: bool,
}

impl IntegerFormat {
    /// The mandatory digit count of a decimal pattern (None for other formats).
    pub(crate) fn mandatory(&self) -> Option<usize> {
        match &self.primary {
            Primary::Decimal { mandatory, .. } => Some(*mandatory),
            _ => None,
        }
    }

    /// Raises (or, with `force`, sets) the mandatory digit count of a decimal pattern.
    pub(crate) fn set_mandatory(&mut self, min: usize, force: bool) {
        if let Primary::Decimal { mandatory, .. } = &mut self.primary {
            if force || *mandatory < min {
                *mandatory = min;
            }
        }
    }
}

/// Greatest common divisor.
fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The repeat interval when `positions` are the multiples 1·f, 2·f, … of their gcd, else 0.
pub(crate) fn regular_interval(positions: &[usize]) -> usize {
    let Some(first) = positions.first() else {
        return 0;
    };
    let factor = positions[1..].iter().fold(*first, |a, b| gcd(a, *b));
    if (1..=positions.len()).all(|i| positions.contains(&(i * factor))) {
        factor
    } else {
        0
    }
}

/// Analyses an integer picture string (primary token, then an optional `;` modifier).
pub(crate) fn analyse_integer_picture(picture: &str) -> Result<IntegerFormat, PictureError> {
    let (primary, modifier) = match picture.rfind(';') {
        Some(i) => (&picture[..i], Some(&picture[i + 1..])),
        None => (picture, None),
    };
    let ordinal = modifier.is_some_and(|m| m.starts_with('o'));
    let (primary, case) = match primary {
        "A" => (Primary::Letters, Case::Upper),
        "a" => (Primary::Letters, Case::Lower),
        "I" => (Primary::Roman, Case::Upper),
        "i" => (Primary::Roman, Case::Lower),
        "W" => (Primary::Words, Case::Upper),
        "Ww" => (Primary::Words, Case::Title),
        "w" => (Primary::Words, Case::Lower),
        other => (analyse_digits(other)?, Case::Lower),
    };
    Ok(IntegerFormat {
        primary,
        case,
        ordinal,
    })
}

/// Analyses a decimal digit pattern; a pattern without digits is a `Sequence`.
fn analyse_digits(pattern: &str) -> Result<Primary, PictureError> {
    let mut zero: Option<u32> = None;
    let (mut mandatory, mut optional, mut position) = (0, 0, 0);
    let mut separators = Vec::new();
    for c in pattern.chars().rev() {
        let cp = c as u32;
        if let Some(group) = DECIMAL_GROUPS.iter().find(|g| cp >= **g && cp <= **g + 9) {
            mandatory += 1;
            position += 1;
            match zero {
                None => zero = Some(*group),
                Some(z) if z != *group => return Err(PictureError::new("D3131", "")),
                Some(_) => {}
            }
        } else if c == '#' {
            position += 1;
            optional += 1;
        } else {
            separators.push(Separator {
                position,
                character: c,
            });
        }
    }
    let Some(zero) = zero.filter(|_| mandatory > 0) else {
        return Ok(Primary::Sequence(pattern.to_string()));
    };
    let same_char = separators
        .iter()
        .all(|s| s.character == separators[0].character);
    let positions: Vec<usize> = separators.iter().map(|s| s.position).collect();
    let interval = if same_char {
        regular_interval(&positions)
    } else {
        0
    };
    let grouping = if interval > 0 {
        Grouping::Regular(Separator {
            position: interval,
            character: separators[0].character,
        })
    } else {
        Grouping::Irregular(separators)
    };
    Ok(Primary::Decimal {
        zero,
        mandatory,
        optional,
        grouping,
    })
}

/// Formats an integer value with an analysed picture (jsonata-js's `_formatInteger`).
pub(crate) fn format_with(value: f64, format: &IntegerFormat) -> Result<String, PictureError> {
    let negative = value < 0.0;
    let value = value.abs();
    let body = match &format.primary {
        Primary::Letters => {
            decimal_to_letters(value, if format.case == Case::Upper { 'A' } else { 'a' })
        }
        Primary::Roman => {
            if value > 1e7 {
                return Err(PictureError {
                    code: "D3130",
                    message: "Too large to format as roman numerals".to_string(),
                });
            }
            let roman = decimal_to_roman(value);
            if format.case == Case::Upper {
                roman.to_uppercase()
            } else {
                roman
            }
        }
        Primary::Words => {
            let words = number_to_words(value, format.ordinal);
            match format.case {
                Case::Upper => words.to_uppercase(),
                Case::Lower => words.to_lowercase(),
                Case::Title => words,
            }
        }
        Primary::Decimal {
            zero,
            mandatory,
            grouping,
            ..
        } => format_decimal(value, *zero, *mandatory, grouping, format.ordinal),
        Primary::Sequence(token) => return Err(PictureError::new("D3130", token)),
    };
    Ok(if negative { format!("-{body}") } else { body })
}

/// The most digits a picture's width pads a number to.
const MAX_PAD: usize = 10_000;

/// Formats the digits of a non-negative value: padding, digit family, grouping, ordinal suffix.
fn format_decimal(
    value: f64,
    zero: u32,
    mandatory: usize,
    grouping: &Grouping,
    ordinal: bool,
) -> String {
    let mut digits = chars(&to_js_string(value));
    // A width modifier (`[Y,66666666]`) would otherwise pad to any length:
    // a 30-byte picture asked for 66 million digits (found by the `jsonata`
    // fuzz target, an allocation that ended the process). Widths past
    // `MAX_PAD` are padded to it.
    let mandatory = mandatory.min(MAX_PAD);
    if mandatory > digits.len() {
        let mut padded = vec!['0'; mandatory - digits.len()];
        padded.extend(digits);
        digits = padded;
    }
    if zero != 0x30 {
        for d in digits.iter_mut() {
            *d = char::from_u32(*d as u32 + zero - 0x30).unwrap_or(*d);
        }
    }
    match grouping {
        Grouping::Regular(sep) => {
            let n = (digits.len().saturating_sub(1)) / sep.position;
            for i in (1..=n).rev() {
                let pos = digits.len() - i * sep.position;
                digits.insert(pos, sep.character);
            }
        }
        Grouping::Irregular(separators) => {
            for sep in separators.iter().rev() {
                let pos = digits.len() as isize - sep.position as isize;
                let mut next = substr(&digits, 0, pos);
                next.push(sep.character);
                next.extend(substr(&digits, pos, isize::MAX / 2));
                digits = next;
            }
        }
    }
    let mut out = string(&digits);
    if ordinal {
        let last = digits.last().copied();
        let before_last = digits.len().checked_sub(2).map(|i| digits[i]);
        let suffix = match last {
            Some('1') => "st",
            Some('2') => "nd",
            Some('3') => "rd",
            _ => "th",
        };
        let suffix = if digits.len() > 1 && before_last == Some('1') {
            "th"
        } else {
            suffix
        };
        out.push_str(suffix);
    }
    out
}

/// `$formatInteger(number, picture)`: the value is floored first, as jsonata-js does.
pub(crate) fn format_integer(value: f64, picture: &str) -> Result<String, PictureError> {
    let format = analyse_integer_picture(picture)?;
    format_with(value.floor(), &format)
}

/// Parses `text` with an analysed picture; NaN when it does not parse (no validation).
pub(crate) fn parse_with(text: &str, format: &IntegerFormat) -> Result<f64, PictureError> {
    let upper = format.case == Case::Upper;
    Ok(match &format.primary {
        Primary::Letters => letters_to_decimal(text, if upper { 'A' } else { 'a' }),
        Primary::Roman => {
            if upper {
                roman_to_decimal(text)
            } else {
                roman_to_decimal(&text.to_uppercase())
            }
        }
        Primary::Words => words_to_number(&text.to_lowercase()),
        Primary::Decimal { zero, grouping, .. } => {
            let mut digits = chars(text);
            if format.ordinal {
                digits.truncate(digits.len().saturating_sub(2));
            }
            match grouping {
                Grouping::Regular(_) => digits.retain(|c| *c != ','),
                Grouping::Irregular(seps) => {
                    digits.retain(|c| !seps.iter().any(|s| s.character == *c))
                }
            }
            digits_to_number(&string(&digits), *zero)
        }
        Primary::Sequence(token) => return Err(PictureError::new("D3130", token)),
    })
}

/// `$parseInteger(string, picture)`; `None` where jsonata-js's result is NaN.
pub(crate) fn parse_integer(text: &str, picture: &str) -> Result<Option<f64>, PictureError> {
    let format = analyse_integer_picture(picture)?;
    let value = parse_with(text, &format)?;
    Ok(if value.is_nan() { None } else { Some(value) })
}

#[cfg(test)]
mod pad_tests {
    use super::*;

    #[test]
    fn a_huge_width_is_padded_to_the_cap_not_allocated() {
        let s = format_decimal(
            7.0,
            0x30,
            66_666_666,
            &Grouping::Irregular(Vec::new()),
            false,
        );
        assert_eq!(s.len(), MAX_PAD);
        assert!(s.ends_with('7') && s.starts_with('0'));
    }
}
