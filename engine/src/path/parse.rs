//! The JSONPath parser for ASL's dialect of Jayway JsonPath: `$`, `$$`,
//! `$var`, dot names with hyphens, unicode and backslash escapes, bracket
//! names, indices, slices, unions, wildcards, `..` and filters.

use super::ast::{CmpOp, Filter, Lit, Operand, Root, Sel, Step};
use super::PathError;

/// A parsed path before it is wrapped: root, steps, each step's offset, and
/// where parsing stopped.
pub(crate) struct Parsed {
    pub root: Root,
    pub steps: Vec<Step>,
    pub offsets: Vec<usize>,
    pub end: usize,
}

/// Parses a whole path; trailing text is an error.
pub(crate) fn parse_path(src: &str) -> Result<Parsed, PathError> {
    let mut p = Parser { src, pos: 0 };
    let parsed = p.path(false)?;
    if parsed.end != src.len() {
        return Err(p.err_at(parsed.end, "unexpected character"));
    }
    Ok(parsed)
}

/// Parses a path that starts at `start` inside a larger text (an intrinsic
/// argument) and stops before the first character that cannot continue it.
pub(crate) fn parse_embedded(src: &str, start: usize) -> Result<Parsed, PathError> {
    Parser { src, pos: start }.path(true)
}

pub(crate) struct Parser<'a> {
    pub src: &'a str,
    pub pos: usize,
}

fn is_name_char(c: char, in_filter: bool) -> bool {
    !(c.is_whitespace()
        || matches!(
            c,
            '.' | '[' | ']' | '(' | ')' | '\'' | '"' | ',' | ':' | '?' | '@' | '*'
        )
        || (in_filter && matches!(c, '<' | '>' | '=' | '!' | '&' | '|')))
}

impl<'a> Parser<'a> {
    pub(crate) fn err_at(&self, offset: usize, message: &str) -> PathError {
        let found = match self.src[offset.min(self.src.len())..].chars().next() {
            Some(c) => format!("{message} at '{c}'"),
            None => format!("{message} at the end"),
        };
        PathError {
            offset,
            message: found,
        }
    }

    fn err(&self, message: &str) -> PathError {
        self.err_at(self.pos, message)
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        let mut it = self.src[self.pos..].chars();
        it.next();
        it.next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn expect(&mut self, c: char) -> Result<(), PathError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(&format!("expected '{c}'")))
        }
    }

    fn path(&mut self, embedded: bool) -> Result<Parsed, PathError> {
        if !self.eat('$') {
            return Err(self.err("a path must start with '$'"));
        }
        let root = if self.eat('$') {
            Root::Context
        } else if self
            .peek()
            .is_some_and(|c| is_name_char(c, false) && c != '\\')
        {
            let name = self.name(false)?;
            Root::Var(name)
        } else {
            Root::Input
        };
        let (steps, offsets) = self.steps(false)?;
        if !embedded && self.pos != self.src.len() {
            return Err(self.err("unexpected character"));
        }
        Ok(Parsed {
            root,
            steps,
            offsets,
            end: self.pos,
        })
    }

    /// Steps while the next character is `.` or `[`.
    fn steps(&mut self, in_filter: bool) -> Result<(Vec<Step>, Vec<usize>), PathError> {
        let mut steps = Vec::new();
        let mut offsets = Vec::new();
        loop {
            let at = self.pos;
            match self.peek() {
                Some('.') if self.peek2() == Some('.') => {
                    self.pos += 2;
                    let sel = match self.peek() {
                        Some('*') => {
                            self.bump();
                            Sel::Wildcard
                        }
                        Some('[') => self.bracket()?,
                        _ => Sel::Name(self.name(in_filter)?),
                    };
                    steps.push(Step::Descend(sel));
                }
                Some('.') => {
                    self.bump();
                    let sel = match self.peek() {
                        Some('*') => {
                            self.bump();
                            Sel::Wildcard
                        }
                        Some('[') => self.bracket()?,
                        _ => Sel::Name(self.name(in_filter)?),
                    };
                    steps.push(Step::Child(sel));
                }
                Some('[') => steps.push(Step::Child(self.bracket()?)),
                _ => return Ok((steps, offsets)),
            }
            offsets.push(at);
        }
    }

    /// A dot name: name characters and backslash escapes, at least one.
    fn name(&mut self, in_filter: bool) -> Result<Box<str>, PathError> {
        let start = self.pos;
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '\\' {
                self.bump();
                match self.bump() {
                    Some('u') => out.push(self.unicode_escape()?),
                    Some(e) => out.push(e),
                    None => return Err(self.err("dangling '\\'")),
                }
            } else if is_name_char(c, in_filter) {
                out.push(c);
                self.bump();
            } else {
                break;
            }
        }
        if self.pos == start {
            return Err(self.err("expected a name"));
        }
        Ok(out.into())
    }

    /// After `\u`: four hex digits (a surrogate pair takes two escapes);
    /// anything else keeps the `u` as a plain escaped letter.
    fn unicode_escape(&mut self) -> Result<char, PathError> {
        let hex = |p: &Self, at: usize| -> Option<u32> {
            let s = p.src.get(at..at + 4)?;
            if s.bytes().all(|b| b.is_ascii_hexdigit()) {
                u32::from_str_radix(s, 16).ok()
            } else {
                None
            }
        };
        let Some(hi) = hex(self, self.pos) else {
            return Ok('u');
        };
        self.pos += 4;
        if (0xD800..0xDC00).contains(&hi) && self.src[self.pos..].starts_with("\\u") {
            if let Some(lo) = hex(self, self.pos + 2).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                self.pos += 6;
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return char::from_u32(c).ok_or_else(|| self.err("invalid unicode escape"));
            }
        }
        char::from_u32(hi).ok_or_else(|| self.err("invalid unicode escape"))
    }

    /// `[ … ]`, with the `[` next.
    fn bracket(&mut self) -> Result<Sel, PathError> {
        self.expect('[')?;
        self.ws();
        let sel = match self.peek() {
            Some('*') => {
                self.bump();
                Sel::Wildcard
            }
            Some('?') => {
                self.bump();
                self.ws();
                self.expect('(')?;
                let f = self.filter_or()?;
                self.ws();
                self.expect(')')?;
                Sel::Filter(Box::new(f))
            }
            Some('\'' | '"') => {
                let mut names = vec![self.quoted()?];
                self.ws();
                while self.eat(',') {
                    self.ws();
                    names.push(self.quoted()?);
                    self.ws();
                }
                if names.len() == 1 {
                    Sel::Name(names.pop().unwrap_or_default())
                } else {
                    Sel::Names(names.into())
                }
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.indices()?,
            _ => return Err(self.err("expected an index, a quoted name, '*' or '?('")),
        };
        self.ws();
        self.expect(']')?;
        Ok(sel)
    }

    /// A quoted name: the quote character may be escaped with `\`; any other
    /// backslash is kept as it is (AWS looks up `$['a\"b']` as `a\"b`).
    fn quoted(&mut self) -> Result<Box<str>, PathError> {
        let open = self.pos;
        let q = self.bump().ok_or_else(|| self.err("expected a quote"))?;
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err_at(open, "unterminated string")),
                Some('\\') if self.peek() == Some(q) => {
                    self.bump();
                    out.push(q);
                }
                Some(c) if c == q => return Ok(out.into()),
                Some(c) => out.push(c),
            }
        }
    }

    fn int(&mut self) -> Result<Option<i64>, PathError> {
        let start = self.pos;
        self.eat('-');
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        if self.pos == start {
            return Ok(None);
        }
        self.src[start..self.pos]
            .parse()
            .map(Some)
            .map_err(|_| self.err_at(start, "invalid integer"))
    }

    fn indices(&mut self) -> Result<Sel, PathError> {
        let first = self.int()?;
        self.ws();
        if self.eat(':') {
            self.ws();
            let end = self.int()?;
            self.ws();
            let step = if self.eat(':') {
                self.ws();
                self.int()?
            } else {
                None
            };
            if step == Some(0) {
                return Err(self.err("slice step cannot be zero"));
            }
            return Ok(Sel::Slice(first, end, step));
        }
        let Some(first) = first else {
            return Err(self.err("expected an index"));
        };
        let mut all = vec![first];
        while self.eat(',') {
            self.ws();
            all.push(self.int()?.ok_or_else(|| self.err("expected an index"))?);
            self.ws();
        }
        Ok(if all.len() == 1 {
            Sel::Index(first)
        } else {
            Sel::Indices(all.into())
        })
    }

    fn filter_or(&mut self) -> Result<Filter, PathError> {
        let mut left = self.filter_and()?;
        loop {
            self.ws();
            if self.src[self.pos..].starts_with("||") {
                self.pos += 2;
                left = Filter::Or(Box::new(left), Box::new(self.filter_and()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_and(&mut self) -> Result<Filter, PathError> {
        let mut left = self.filter_unary()?;
        loop {
            self.ws();
            if self.src[self.pos..].starts_with("&&") {
                self.pos += 2;
                left = Filter::And(Box::new(left), Box::new(self.filter_unary()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_unary(&mut self) -> Result<Filter, PathError> {
        self.ws();
        if self.peek() == Some('!') && self.peek2() != Some('=') {
            self.bump();
            return Ok(Filter::Not(Box::new(self.filter_unary()?)));
        }
        if self.eat('(') {
            let f = self.filter_or()?;
            self.ws();
            self.expect(')')?;
            return Ok(f);
        }
        let left = self.operand()?;
        self.ws();
        let rest = &self.src[self.pos..];
        let op = [
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            (">=", CmpOp::Ge),
            ("<", CmpOp::Lt),
            (">", CmpOp::Gt),
        ]
        .into_iter()
        .find(|(t, _)| rest.starts_with(t));
        match op {
            Some((t, op)) => {
                self.pos += t.len();
                self.ws();
                let right = self.operand()?;
                Ok(Filter::Cmp(left, op, right))
            }
            None if matches!(left, Operand::Lit(_)) => {
                Err(self.err("expected a comparison operator"))
            }
            None => Ok(Filter::Exists(left)),
        }
    }

    fn operand(&mut self) -> Result<Operand, PathError> {
        let at = self.pos;
        let rel = match self.peek() {
            Some('@') => true,
            Some('$') => false,
            Some('\'' | '"') => return Ok(Operand::Lit(Lit::Str(self.quoted()?))),
            _ => return self.literal(),
        };
        self.bump();
        let (steps, _) = self.steps(true)?;
        if !steps.iter().all(Step::is_definite) {
            return Err(self.err_at(
                at,
                "only names and single indices are allowed in a filter path",
            ));
        }
        let steps = steps.into_boxed_slice();
        Ok(if rel {
            Operand::Current(steps)
        } else {
            Operand::Root(steps)
        })
    }

    fn literal(&mut self) -> Result<Operand, PathError> {
        let rest = &self.src[self.pos..];
        for (word, lit) in [
            ("true", Lit::Bool(true)),
            ("false", Lit::Bool(false)),
            ("null", Lit::Null),
        ] {
            if rest.starts_with(word) {
                self.pos += word.len();
                return Ok(Operand::Lit(lit));
            }
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(rest.len());
        match rest[..len].parse::<f64>() {
            Ok(n) if len > 0 => {
                self.pos += len;
                Ok(Operand::Lit(Lit::Num(n)))
            }
            _ => Err(self.err("expected '@', '$' or a literal")),
        }
    }
}
