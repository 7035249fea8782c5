//! Number names in English words, roman numerals and spreadsheet-style letter
//! sequences, in both directions, with jsonata-js's arithmetic.

use super::jsnum::{is_js_space, parse_int};

/// Cardinal names of 0–19.
const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
/// Ordinal names of 0–19.
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
/// Names of the tens 20–90 (and "Hundred", which jsonata-js lists with them).
const DECADES: [&str; 9] = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred",
];
/// Names of the powers of a thousand.
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];

/// Renders a non-negative integer in title-case English words, cardinal or ordinal.
pub(crate) fn number_to_words(value: f64, ordinal: bool) -> String {
    words_of(value, false, ordinal)
}

/// One step of the recursive word builder; `prev` says words precede this part.
fn words_of(num: f64, prev: bool, ord: bool) -> String {
    if !num.is_finite() {
        return String::new();
    }
    if num <= 19.0 {
        let i = num.max(0.0) as usize;
        let word = if ord { ORDINALS[i] } else { FEW[i] };
        format!("{}{word}", if prev { " and " } else { "" })
    } else if num < 100.0 {
        let tens = (num / 10.0).floor() as usize;
        let remainder = num % 10.0;
        let mut words = format!("{}{}", if prev { " and " } else { "" }, DECADES[tens - 2]);
        if remainder > 0.0 {
            words.push('-');
            words.push_str(&words_of(remainder, false, ord));
        } else if ord {
            words.pop();
            words.push_str("ieth");
        }
        words
    } else if num < 1000.0 {
        let hundreds = (num / 100.0).floor() as usize;
        let remainder = num % 100.0;
        let mut words = format!("{}{} Hundred", if prev { ", " } else { "" }, FEW[hundreds]);
        if remainder > 0.0 {
            words.push_str(&words_of(remainder, true, ord));
        } else if ord {
            words.push_str("th");
        }
        words
    } else {
        let mag = ((num.log10() / 3.0).floor() as usize).min(MAGNITUDES.len());
        let factor = 10f64.powi(mag as i32 * 3);
        let mant = (num / factor).floor();
        let remainder = num - mant * factor;
        let mut words = format!(
            "{}{} {}",
            if prev { ", " } else { "" },
            words_of(mant, false, false),
            MAGNITUDES[mag - 1]
        );
        if remainder > 0.0 {
            words.push_str(&words_of(remainder, true, ord));
        } else if ord {
            words.push_str("th");
        }
        words
    }
}

/// The value of one lower-case number word, as jsonata-js's word table has it.
fn word_value(word: &str) -> Option<f64> {
    let lower = |s: &str| s.to_ascii_lowercase();
    if let Some(i) = FEW.iter().position(|w| lower(w) == word) {
        return Some(i as f64);
    }
    if let Some(i) = ORDINALS.iter().position(|w| lower(w) == word) {
        return Some(i as f64);
    }
    for (i, w) in DECADES.iter().enumerate() {
        let lw = lower(w);
        let ieth = format!("{}ieth", &lw[..lw.len() - 1]);
        if lw == word || ieth == word {
            return Some(((i + 2) * 10) as f64);
        }
    }
    if word == "hundredth" {
        return Some(100.0);
    }
    for (i, w) in MAGNITUDES.iter().enumerate() {
        let lw = lower(w);
        if lw == word || format!("{lw}th") == word {
            return Some(10f64.powi((i as i32 + 1) * 3));
        }
    }
    None
}

/// Every word the parser's word table knows, in jsonata-js's table order.
pub(crate) fn word_list() -> Vec<String> {
    let mut out: Vec<String> = FEW.iter().map(|w| w.to_ascii_lowercase()).collect();
    out.extend(ORDINALS.iter().map(|w| w.to_ascii_lowercase()));
    for w in DECADES {
        let lw = w.to_ascii_lowercase();
        let ieth = format!("{}ieth", &lw[..lw.len() - 1]);
        out.push(lw);
        out.push(ieth);
    }
    out.push("hundredth".to_string());
    for w in MAGNITUDES {
        let lw = w.to_ascii_lowercase();
        out.push(format!("{lw}th"));
        out.insert(out.len() - 1, lw);
    }
    out
}

/// Splits number words on `", "`, `" and "`, white space, `\` and `-`.
fn split_words(text: &[char]) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        let at = |j: usize| text.get(j).copied();
        let sep = if c == ',' && at(i + 1).is_some_and(is_js_space) {
            2
        } else if is_js_space(c)
            && at(i + 1) == Some('a')
            && at(i + 2) == Some('n')
            && at(i + 3) == Some('d')
            && at(i + 4).is_some_and(is_js_space)
        {
            5
        } else if is_js_space(c) || c == '\\' || c == '-' {
            1
        } else {
            0
        };
        if sep > 0 {
            parts.push(std::mem::take(&mut current));
            i += sep;
        } else {
            current.push(c);
            i += 1;
        }
    }
    parts.push(current);
    parts
}

/// Parses (lower-cased) English number words; NaN when a word is unknown.
pub(crate) fn words_to_number(text: &str) -> f64 {
    let chars: Vec<char> = text.chars().collect();
    let mut segs: Vec<f64> = vec![0.0];
    for part in split_words(&chars) {
        match word_value(&part) {
            Some(value) if value < 100.0 => {
                let mut top = segs.pop().unwrap_or(f64::NAN);
                if top >= 1000.0 {
                    segs.push(top);
                    top = 0.0;
                }
                segs.push(top + value);
            }
            other => {
                let top = segs.pop().unwrap_or(f64::NAN);
                segs.push(top * other.unwrap_or(f64::NAN));
            }
        }
    }
    segs.iter().fold(0.0, |a, b| a + b)
}

/// Roman numeral values, largest first.
const ROMAN: [(f64, &str); 13] = [
    (1000.0, "m"),
    (900.0, "cm"),
    (500.0, "d"),
    (400.0, "cd"),
    (100.0, "c"),
    (90.0, "xc"),
    (50.0, "l"),
    (40.0, "xl"),
    (10.0, "x"),
    (9.0, "ix"),
    (5.0, "v"),
    (4.0, "iv"),
    (1.0, "i"),
];

/// Renders a non-negative integer in lower-case roman numerals (0 gives "").
pub(crate) fn decimal_to_roman(mut value: f64) -> String {
    let mut out = String::new();
    while let Some((v, s)) = ROMAN.iter().find(|(v, _)| value >= *v) {
        out.push_str(s);
        value -= v;
    }
    out
}

/// Parses upper-case roman numerals; NaN when a character is not one.
pub(crate) fn roman_to_decimal(roman: &str) -> f64 {
    let value_of = |c: char| match c {
        'M' => Some(1000.0),
        'D' => Some(500.0),
        'C' => Some(100.0),
        'L' => Some(50.0),
        'X' => Some(10.0),
        'V' => Some(5.0),
        'I' => Some(1.0),
        _ => None,
    };
    let mut decimal = 0.0;
    let mut max = 1.0;
    for c in roman.chars().rev() {
        match value_of(c) {
            Some(v) if v < max => decimal -= v,
            Some(v) => {
                max = v;
                decimal += v;
            }
            None => return f64::NAN,
        }
    }
    decimal
}

/// Renders a positive integer as letters `a`, `b`, … `z`, `aa`, … starting at `a_char`.
pub(crate) fn decimal_to_letters(mut value: f64, a_char: char) -> String {
    let a = a_char as u32;
    let mut letters = Vec::new();
    while value > 0.0 {
        let code = ((value - 1.0) % 26.0) as u32 + a;
        letters.push(char::from_u32(code).unwrap_or('\u{fffd}'));
        value = ((value - 1.0) / 26.0).floor();
    }
    letters.iter().rev().collect()
}

/// Parses a letter sequence relative to `a_char` (any characters count by code point).
pub(crate) fn letters_to_decimal(letters: &str, a_char: char) -> f64 {
    let a = f64::from(a_char as u32);
    letters
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| (f64::from(c as u32) - a + 1.0) * 26f64.powi(i as i32))
        .fold(0.0, |acc, v| acc + v)
}

/// Parses decimal digits after mapping the digit family starting at `zero` onto ASCII.
pub(crate) fn digits_to_number(digits: &str, zero: u32) -> f64 {
    if zero == 0x30 {
        return parse_int(digits);
    }
    let mapped: String = digits
        .chars()
        .map(|c| {
            char::from_u32((c as u32).wrapping_sub(zero).wrapping_add(0x30)).unwrap_or('\u{fffd}')
        })
        .collect();
    parse_int(&mapped)
}
