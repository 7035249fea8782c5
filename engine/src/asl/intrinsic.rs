//! A light syntax check of intrinsic function calls (`States.Format('{}', $.x)`),
//! used until `crate::path` reports these itself. It accepts exactly the
//! grammar of the ASL spec, Appendix B: a known function name, arguments that
//! are `'strings'` (escapes `\'`, `\{`, `\}`, `\\` only), numbers, `null`,
//! booleans, paths, or nested calls.

/// The 18 intrinsic functions AWS knows.
const FUNCTIONS: [&str; 18] = [
    "Format",
    "StringToJson",
    "JsonToString",
    "Array",
    "ArrayPartition",
    "ArrayContains",
    "ArrayRange",
    "ArrayGetItem",
    "ArrayLength",
    "ArrayUnique",
    "Base64Encode",
    "Base64Decode",
    "Hash",
    "JsonMerge",
    "MathRandom",
    "MathAdd",
    "StringSplit",
    "UUID",
];

/// Whether `s` looks like an intrinsic call (starts with `States.`).
pub(crate) fn looks_like_call(s: &str) -> bool {
    s.trim_start().starts_with("States.")
}

/// Checks a whole intrinsic call. `Err(offset, message)` on the first problem.
pub(crate) fn check(s: &str) -> Result<(), (usize, String)> {
    let mut p = Parser {
        s: s.as_bytes(),
        i: 0,
        depth: 0,
    };
    p.ws();
    p.call()?;
    p.ws();
    if p.i != p.s.len() {
        return Err((p.i, "unexpected text after the function call".into()));
    }
    Ok(())
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn err<T>(&self, msg: &str) -> Result<T, (usize, String)> {
        Err((self.i, msg.to_owned()))
    }

    fn call(&mut self) -> Result<(), (usize, String)> {
        self.depth += 1;
        if self.depth > 64 {
            return self.err("intrinsic calls nested too deeply");
        }
        if !self.s[self.i..].starts_with(b"States.") {
            return self.err("expected 'States.' and a function name");
        }
        self.i += 7;
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_alphanumeric() {
            self.i += 1;
        }
        let name = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
        if !FUNCTIONS.contains(&name) {
            return Err((start, format!("unknown intrinsic function 'States.{name}'")));
        }
        self.ws();
        if self.s.get(self.i) != Some(&b'(') {
            return self.err("expected '('");
        }
        self.i += 1;
        self.ws();
        if self.s.get(self.i) == Some(&b')') {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            self.ws();
            self.arg()?;
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b')') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return self.err("expected ',' or ')'"),
            }
        }
    }

    fn arg(&mut self) -> Result<(), (usize, String)> {
        match self.s.get(self.i) {
            Some(b'\'') => self.string(),
            Some(b'$') => self.path(),
            Some(b'S') => self.call(),
            Some(c) if c.is_ascii_digit() || *c == b'-' => {
                self.i += 1;
                while self.i < self.s.len()
                    && (self.s[self.i].is_ascii_alphanumeric() || b".+-".contains(&self.s[self.i]))
                {
                    self.i += 1;
                }
                Ok(())
            }
            _ => {
                for word in [&b"null"[..], b"true", b"false"] {
                    if self.s[self.i..].starts_with(word) {
                        self.i += word.len();
                        return Ok(());
                    }
                }
                self.err("expected an argument: a 'string', a number, null, a path or a call")
            }
        }
    }

    fn string(&mut self) -> Result<(), (usize, String)> {
        self.i += 1;
        while let Some(&c) = self.s.get(self.i) {
            match c {
                b'\'' => {
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => match self.s.get(self.i + 1) {
                    Some(b'\'' | b'{' | b'}' | b'\\') => self.i += 2,
                    _ => return self.err("illegal escape sequence in a string argument"),
                },
                _ => self.i += 1,
            }
        }
        self.err("unterminated string argument")
    }

    /// A path argument runs to the next `,` or `)` outside brackets and quotes.
    fn path(&mut self) -> Result<(), (usize, String)> {
        let mut bracket = 0usize;
        let mut quote: Option<u8> = None;
        while let Some(&c) = self.s.get(self.i) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'\'' | b'"') => quote = Some(c),
                (None, b'[' | b'(') => bracket += 1,
                (None, b']') => bracket = bracket.saturating_sub(1),
                (None, b')') if bracket > 0 => bracket -= 1,
                (None, b',' | b')') => return Ok(()),
                (None, c) if c.is_ascii_whitespace() && bracket == 0 => return Ok(()),
                _ => {}
            }
            self.i += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn good_calls() {
        for ok in [
            "States.UUID()",
            "States.Format('Hello {}', $.name)",
            "States.Format('a \\' b \\{ \\} \\\\', $$.Execution.Id)",
            "States.Array(1, -2.5e3, null, true, 'x', $.a[0], States.UUID())",
            "States.MathAdd($.a, $.b)",
            "States.JsonMerge($.a, $.b, false)",
            "States.StringToJson($['weird,key'])",
            "States.Format('{}', $varName)",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn bad_calls() {
        for bad in [
            "States.StringToJson('{\"text\":\"An \\\"x\\\" here\"}')",
            "States.Format('He said, \\\"Hello\\\"')",
            "States.Nope()",
            "States.Format('x'",
            "States.Format('x') extra",
            "States.Format(,)",
            "States.Format('unterminated)",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
