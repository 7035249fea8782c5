//! The tokenizer: turns the expression text into tokens on demand (the
//! parser tells it whether a `/` may start a regular expression).

use super::error::{JResult, JsonataError};

/// One token's payload.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// An operator or punctuation symbol (also `and`, `or`, `in`).
    Op(&'static str),
    /// A field name (plain or backtick-quoted).
    Name(String),
    /// A `$variable` (name without the `$`).
    Var(String),
    /// A string literal.
    Str(String),
    /// A number literal.
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A regex literal: pattern and flags.
    Regex(String, String),
    /// End of input.
    End,
}

/// A token and where it is: `pos` is the offset just after it (as jsonata-js reports), `start` where it begins.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    /// The payload.
    pub(crate) tok: Tok,
    /// Char offset after the token.
    pub(crate) pos: usize,
    /// Char offset of its first char.
    pub(crate) start: usize,
}

const OPS: &[&str] = &[
    ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|",
    "=", "<", ">", "^", "&", "!", "~",
];
const TWO: &[&str] = &["..", ":=", "!=", ">=", "<=", "**", "~>"];

fn is_op_char(c: char) -> bool {
    ".[]{}(),@#;:?+-*/%|=<>^&!~".contains(c)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0B}')
}

/// The tokenizer over the source chars.
pub(crate) struct Lexer {
    chars: Vec<char>,
    /// Current char offset.
    pub(crate) pos: usize,
}

impl Lexer {
    /// A lexer at the start of `src`.
    pub(crate) fn new(src: &str) -> Self {
        Lexer {
            chars: src.chars().collect(),
            pos: 0,
        }
    }

    /// Number of chars in the source.
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    /// The source text between two char offsets.
    pub(crate) fn text(&self, from: usize, to: usize) -> String {
        self.chars[from.min(self.chars.len())..to.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// The char at `i`, or NUL past the end.
    pub(crate) fn at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or('\0')
    }

    fn make(&self, tok: Tok, start: usize) -> Token {
        Token {
            tok,
            pos: self.pos,
            start,
        }
    }

    /// The next token; `no_regex` makes `/` the division operator.
    pub(crate) fn next(&mut self, no_regex: bool) -> JResult<Token> {
        loop {
            while self.pos < self.len() && is_space(self.at(self.pos)) {
                self.pos += 1;
            }
            if self.at(self.pos) == '/' && self.at(self.pos + 1) == '*' {
                let start = self.pos;
                self.pos += 2;
                loop {
                    if self.pos >= self.len() {
                        return Err(JsonataError::new("S0106", start));
                    }
                    if self.at(self.pos) == '*' && self.at(self.pos + 1) == '/' {
                        self.pos += 2;
                        break;
                    }
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let start = self.pos;
        if self.pos >= self.len() {
            return Ok(self.make(Tok::End, start));
        }
        let c = self.at(self.pos);
        if !no_regex && c == '/' {
            self.pos += 1;
            return self.regex(start);
        }
        let pair: String = [c, self.at(self.pos + 1)].iter().collect();
        if let Some(op) = TWO.iter().find(|o| **o == pair) {
            self.pos += 2;
            return Ok(self.make(Tok::Op(op), start));
        }
        if let Some(op) = OPS.iter().find(|o| o.starts_with(c)) {
            self.pos += 1;
            return Ok(self.make(Tok::Op(op), start));
        }
        if c == '"' || c == '\'' {
            return self.string(c, start);
        }
        if c.is_ascii_digit() {
            return self.number(start);
        }
        if c == '`' {
            self.pos += 1;
            let from = self.pos;
            while self.pos < self.len() && self.at(self.pos) != '`' {
                self.pos += 1;
            }
            if self.pos >= self.len() {
                return Err(JsonataError::new("S0105", self.pos));
            }
            let name = self.text(from, self.pos);
            self.pos += 1;
            return Ok(self.make(Tok::Name(name), start));
        }
        let mut i = self.pos;
        while i < self.len() && !is_space(self.at(i)) && !is_op_char(self.at(i)) {
            i += 1;
        }
        if c == '$' {
            let name = self.text(self.pos + 1, i);
            self.pos = i;
            return Ok(self.make(Tok::Var(name), start));
        }
        let name = self.text(self.pos, i);
        self.pos = i;
        let tok = match name.as_str() {
            "and" => Tok::Op("and"),
            "or" => Tok::Op("or"),
            "in" => Tok::Op("in"),
            "true" => Tok::Bool(true),
            "false" => Tok::Bool(false),
            "null" => Tok::Null,
            _ => Tok::Name(name),
        };
        Ok(self.make(tok, start))
    }

    fn string(&mut self, quote: char, start: usize) -> JResult<Token> {
        self.pos += 1;
        let mut s = String::new();
        let mut pending_high: Option<u32> = None;
        while self.pos < self.len() {
            let c = self.at(self.pos);
            if c == '\\' {
                self.pos += 1;
                let e = self.at(self.pos);
                let simple = match e {
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '/' => Some('/'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    _ => None,
                };
                if let Some(ch) = simple {
                    s.push(ch);
                } else if e == 'u' {
                    let hex = self.text(self.pos + 1, self.pos + 5);
                    if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                        let cp = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                        self.pos += 4;
                        if (0xD800..0xDC00).contains(&cp) {
                            pending_high = Some(cp);
                        } else if (0xDC00..0xE000).contains(&cp) {
                            if let Some(h) = pending_high.take() {
                                let full = 0x10000 + ((h - 0xD800) << 10) + (cp - 0xDC00);
                                s.push(char::from_u32(full).unwrap_or('\u{FFFD}'));
                            } else {
                                s.push('\u{FFFD}');
                            }
                        } else {
                            s.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                    } else {
                        return Err(JsonataError::new("S0104", self.pos));
                    }
                } else {
                    return Err(JsonataError::new("S0103", self.pos).tok(e.to_string()));
                }
            } else if c == quote {
                self.pos += 1;
                return Ok(self.make(Tok::Str(s), start));
            } else {
                s.push(c);
            }
            self.pos += 1;
        }
        Err(JsonataError::new("S0101", self.pos))
    }

    fn number(&mut self, start: usize) -> JResult<Token> {
        let mut i = self.pos;
        let digits = |i: &mut usize, me: &Self| {
            let s = *i;
            while me.at(*i).is_ascii_digit() {
                *i += 1;
            }
            *i > s
        };
        if self.at(i) == '0' {
            i += 1;
        } else {
            digits(&mut i, self);
        }
        if self.at(i) == '.' && self.at(i + 1).is_ascii_digit() {
            i += 1;
            digits(&mut i, self);
        }
        if matches!(self.at(i), 'e' | 'E') {
            let mut j = i + 1;
            if matches!(self.at(j), '+' | '-') {
                j += 1;
            }
            if digits(&mut j, self) {
                i = j;
            }
        }
        let text = self.text(self.pos, i);
        let n: f64 = text.parse().unwrap_or(f64::NAN);
        if !n.is_finite() {
            return Err(JsonataError::new("S0102", self.pos).tok(text));
        }
        self.pos = i;
        Ok(self.make(Tok::Num(n), start))
    }

    fn regex(&mut self, start: usize) -> JResult<Token> {
        let from = self.pos;
        let mut depth: i32 = 0;
        while self.pos < self.len() {
            let c = self.at(self.pos);
            if c == '/' && depth == 0 {
                let mut bs = 0;
                while self.pos > bs && self.at(self.pos - bs - 1) == '\\' {
                    bs += 1;
                }
                if bs % 2 == 0 {
                    let pattern = self.text(from, self.pos);
                    if pattern.is_empty() {
                        return Err(JsonataError::new("S0301", self.pos));
                    }
                    self.pos += 1;
                    let fstart = self.pos;
                    while matches!(self.at(self.pos), 'i' | 'm') {
                        self.pos += 1;
                    }
                    let flags = self.text(fstart, self.pos);
                    return Ok(self.make(Tok::Regex(pattern, flags), start));
                }
            }
            let prev = if self.pos > 0 {
                self.at(self.pos - 1)
            } else {
                '\0'
            };
            if matches!(c, '(' | '[' | '{') && prev != '\\' {
                depth += 1;
            }
            if matches!(c, ')' | ']' | '}') && prev != '\\' {
                depth -= 1;
            }
            self.pos += 1;
        }
        Err(JsonataError::new("S0302", self.pos))
    }
}
