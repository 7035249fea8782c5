//! A small backtracking matcher standing in for the case-insensitive regular
//! expression jsonata-js builds from a date/time picture: each part yields its
//! candidate match ends in the order a JavaScript regex would try them.

use std::collections::HashSet;

use super::words::word_list;

/// What one capture group of the picture's regex matches.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pattern {
    /// Literal text.
    Literal(Vec<char>),
    /// ASCII digits, `min..=max` of them (`max` None: unbounded), then `th|st|nd|rd` if `ordinal`.
    Digits {
        /// Fewest digits.
        min: usize,
        /// Most digits.
        max: Option<usize>,
        /// Whether an ordinal suffix follows.
        ordinal: bool,
    },
    /// One or more ASCII letters.
    Letters,
    /// One or more roman numeral letters.
    Roman,
    /// One or more number words, `and`, `-`, `,` or spaces.
    Words,
    /// `[-+]digits` (optionally `sep digits`), preceded by `GMT` if `gmt`.
    Timezone {
        /// Whether `GMT` comes first.
        gmt: bool,
        /// The hour/minute separator, if the picture has one.
        sep: Option<char>,
    },
}

/// JavaScript's case-insensitive canonical form of a character (non-ASCII never folds to ASCII).
fn canon(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) if !(c as u32 >= 128 && (u as u32) < 128) => u,
        _ => c,
    }
}

/// Whether `text[pos..]` starts with `lit`, case-insensitively.
fn starts_with(text: &[char], pos: usize, lit: &[char]) -> bool {
    pos + lit.len() <= text.len()
        && lit
            .iter()
            .zip(&text[pos..])
            .all(|(a, b)| canon(*a) == canon(*b))
}

/// Count of consecutive characters from `pos` satisfying `f`.
fn run(text: &[char], pos: usize, f: impl Fn(char) -> bool) -> usize {
    text[pos..].iter().take_while(|c| f(**c)).count()
}

/// Candidate ends, in regex preference order, of `pattern` matched at `pos`.
fn candidates(pattern: &Pattern, text: &[char], pos: usize, words: &[Vec<char>]) -> Vec<usize> {
    let digit = |c: char| c.is_ascii_digit();
    match pattern {
        Pattern::Literal(lit) => {
            if starts_with(text, pos, lit) {
                vec![pos + lit.len()]
            } else {
                Vec::new()
            }
        }
        Pattern::Digits { min, max, ordinal } => {
            let avail = run(text, pos, digit);
            let hi = max.map_or(avail, |m| m.min(avail));
            let lo = *min;
            let mut out = Vec::new();
            for k in (lo..=hi).rev() {
                let end = pos + k;
                if !ordinal {
                    out.push(end);
                } else if ["th", "st", "nd", "rd"]
                    .iter()
                    .any(|s| starts_with(text, end, &s.chars().collect::<Vec<_>>()))
                {
                    out.push(end + 2);
                }
            }
            out
        }
        Pattern::Letters => greedy(pos, run(text, pos, |c| c.is_ascii_alphabetic())),
        Pattern::Roman => greedy(pos, run(text, pos, |c| "MDCLXVImdclxvi".contains(c))),
        Pattern::Words => {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            word_ends(text, pos, words, &mut seen, &mut out);
            out
        }
        Pattern::Timezone { gmt, sep } => {
            let mut p = pos;
            if *gmt {
                if !starts_with(text, p, &['G', 'M', 'T']) {
                    return Vec::new();
                }
                p += 3;
            }
            if !matches!(text.get(p), Some('+' | '-')) {
                return Vec::new();
            }
            p += 1;
            let hours = run(text, p, digit);
            match sep {
                None => greedy(p, hours),
                Some(s) => {
                    let mut out = Vec::new();
                    for k in (1..=hours).rev() {
                        if text.get(p + k).is_some_and(|c| canon(*c) == canon(*s)) {
                            let q = p + k + 1;
                            out.extend(greedy(q, run(text, q, digit)));
                        }
                    }
                    out
                }
            }
        }
    }
}

/// Ends of a greedy `+` over `avail` matching characters from `pos`, longest first.
fn greedy(pos: usize, avail: usize) -> Vec<usize> {
    (1..=avail).rev().map(|k| pos + k).collect()
}

/// Depth-first ends of `(?:word|…|and|[-, ])+`, each end listed once, in backtracking order.
fn word_ends(
    text: &[char],
    pos: usize,
    words: &[Vec<char>],
    seen: &mut HashSet<usize>,
    out: &mut Vec<usize>,
) {
    let single = [['-'], [','], [' ']];
    let alternatives = words
        .iter()
        .map(|w| w.as_slice())
        .chain(single.iter().map(|s| s.as_slice()));
    for alt in alternatives {
        if starts_with(text, pos, alt) {
            let next = pos + alt.len();
            if seen.insert(next) {
                word_ends(text, next, words, seen, out);
                out.push(next);
            }
        }
    }
}

/// Matches the whole of `text` against `patterns`; returns each group's captured text.
pub(crate) fn match_all(patterns: &[Pattern], text: &str) -> Option<Vec<String>> {
    let text: Vec<char> = text.chars().collect();
    let mut words: Vec<Vec<char>> = word_list().iter().map(|w| w.chars().collect()).collect();
    words.push("and".chars().collect());
    let mut failed = HashSet::new();
    let mut ends = vec![0; patterns.len()];
    if !search(patterns, &text, 0, 0, &words, &mut failed, &mut ends) {
        return None;
    }
    let mut start = 0;
    Some(
        ends.iter()
            .map(|end| {
                let s: String = text[start..*end].iter().collect();
                start = *end;
                s
            })
            .collect(),
    )
}

/// Backtracking search from part `i` at `pos`, memoising failed states.
fn search(
    patterns: &[Pattern],
    text: &[char],
    i: usize,
    pos: usize,
    words: &[Vec<char>],
    failed: &mut HashSet<(usize, usize)>,
    ends: &mut [usize],
) -> bool {
    if i == patterns.len() {
        return pos == text.len();
    }
    if failed.contains(&(i, pos)) {
        return false;
    }
    for end in candidates(&patterns[i], text, pos, words) {
        ends[i] = end;
        if search(patterns, text, i + 1, end, words, failed, ends) {
            return true;
        }
    }
    failed.insert((i, pos));
    false
}
