//! JavaScript string operations over UTF-32 character vectors (`substring`, `slice`,
//! `substr`, `indexOf`, `lastIndexOf`), so ported index arithmetic keeps its edge cases.

/// Converts a `&str` to a character vector.
pub(crate) fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// Converts a character slice back to a `String`.
pub(crate) fn string(v: &[char]) -> String {
    v.iter().collect()
}

/// JavaScript `substring(start, end)`: clamps to the string and swaps reversed bounds.
pub(crate) fn substring(v: &[char], start: isize, end: isize) -> Vec<char> {
    let len = v.len() as isize;
    let a = start.clamp(0, len) as usize;
    let b = end.clamp(0, len) as usize;
    let (a, b) = if a > b { (b, a) } else { (a, b) };
    v[a..b].to_vec()
}

/// JavaScript `slice(start, end)`: negative bounds count from the end.
pub(crate) fn slice(v: &[char], start: isize, end: isize) -> Vec<char> {
    let len = v.len() as isize;
    let fix = |i: isize| if i < 0 { (len + i).max(0) } else { i.min(len) };
    let (a, b) = (fix(start), fix(end));
    if a >= b {
        Vec::new()
    } else {
        v[a as usize..b as usize].to_vec()
    }
}

/// JavaScript `substr(start, length)`: a negative start counts from the end.
pub(crate) fn substr(v: &[char], start: isize, length: isize) -> Vec<char> {
    let len = v.len() as isize;
    let a = if start < 0 {
        (len + start).max(0)
    } else {
        start.min(len)
    };
    let n = length.clamp(0, len - a);
    v[a as usize..(a + n) as usize].to_vec()
}

/// JavaScript `indexOf(needle, from)`.
pub(crate) fn index_of(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    let from = from.min(hay.len());
    if needle.is_empty() {
        return Some(from);
    }
    (from..hay.len())
        .take_while(|i| i + needle.len() <= hay.len())
        .find(|&i| hay[i..i + needle.len()] == *needle)
}

/// JavaScript `lastIndexOf(needle)`.
pub(crate) fn last_index_of(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()] == *needle)
}

/// Whether `hay` contains `needle` (JavaScript `indexOf(needle) !== -1`).
pub(crate) fn contains(hay: &[char], needle: &[char]) -> bool {
    index_of(hay, needle, 0).is_some()
}

/// Whether the single character `c` equals the (possibly multi-character) string `s`.
pub(crate) fn is(c: char, s: &[char]) -> bool {
    s.len() == 1 && s[0] == c
}

/// JavaScript `split(separator)` with a string separator.
pub(crate) fn split(v: &[char], sep: &[char]) -> Vec<Vec<char>> {
    if sep.is_empty() {
        return v.iter().map(|c| vec![*c]).collect();
    }
    let mut out = Vec::new();
    let mut start = 0;
    while let Some(i) = index_of(v, sep, start) {
        out.push(v[start..i].to_vec());
        start = i + sep.len();
    }
    out.push(v[start..].to_vec());
    out
}
