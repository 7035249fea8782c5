//! Function signatures (`<s-n?:s>`): parsing, and matching the kinds of
//! supplied arguments against them (jsonata-js builds a regex; we match the
//! same language with a small backtracking matcher).

use super::error::{JResult, JsonataError};

/// How often a parameter may occur.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rep {
    One,
    Opt,
    Plus,
}

/// One parameter of a signature.
#[derive(Clone, Debug)]
pub(crate) struct Param {
    /// Accepted argument symbols (s n b l o a f m).
    accepts: Vec<u8>,
    rep: Rep,
    /// `-`: the context value is used when the argument is missing.
    pub(crate) context: bool,
    /// Symbols the context value may have.
    context_accepts: Vec<u8>,
    /// The declared type letter (`(` for a choice).
    pub(crate) kind: u8,
    /// Type parameter of an array (`a<s>`).
    pub(crate) subtype: Option<String>,
}

/// A parsed signature.
#[derive(Clone, Debug)]
pub(crate) struct Signature {
    /// Parameters, in order.
    pub(crate) params: Vec<Param>,
}

impl Param {
    /// Whether an argument of symbol `sym` fills this parameter as it is: one
    /// argument, accepted, not missing, and not to be wrapped in an array.
    pub(crate) fn takes_as_is(&self, sym: u8) -> bool {
        self.rep != Rep::Plus && self.kind != b'a' && sym != b'm' && self.accepts.contains(&sym)
    }
}

impl Signature {
    /// Parses a signature such as `<s-n?:s>`.
    pub(crate) fn parse(sig: &str) -> JResult<Signature> {
        let chars: Vec<char> = sig.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut i = 1;
        let new = |accepts: &str, kind: u8| Param {
            accepts: accepts.bytes().collect(),
            rep: Rep::One,
            context: false,
            context_accepts: Vec::new(),
            kind,
            subtype: None,
        };
        while i < chars.len() {
            let c = chars[i];
            match c {
                ':' => break,
                's' | 'n' | 'b' | 'l' | 'o' => {
                    params.push(new(&format!("{c}m"), c as u8));
                }
                'a' => params.push(new("asnblfom", b'a')),
                'f' => params.push(new("f", b'f')),
                'j' => params.push(new("asnblom", b'j')),
                'x' => params.push(new("asnblfom", b'x')),
                '-' => {
                    if let Some(p) = params.last_mut() {
                        p.context = true;
                        p.context_accepts = p.accepts.clone();
                        p.rep = Rep::Opt;
                    }
                }
                '?' => {
                    if let Some(p) = params.last_mut() {
                        p.rep = Rep::Opt;
                    }
                }
                '+' => {
                    if let Some(p) = params.last_mut() {
                        p.rep = Rep::Plus;
                    }
                }
                '(' => {
                    let end = closing(&chars, i, '(', ')');
                    let choice: String = chars[i + 1..end].iter().collect();
                    if choice.contains('<') {
                        return Err(JsonataError::new("S0402", i).val(choice));
                    }
                    params.push(new(&format!("{choice}m"), b'('));
                    i = end;
                }
                '<' => {
                    let ok = params
                        .last()
                        .is_some_and(|p| p.kind == b'a' || p.kind == b'f');
                    if !ok {
                        let t = params.last().map(|p| p.kind as char).unwrap_or(' ');
                        return Err(JsonataError::new("S0401", i).val(t.to_string()));
                    }
                    let end = closing(&chars, i, '<', '>');
                    let sub: String = chars[i + 1..end.min(chars.len())].iter().collect();
                    if let Some(p) = params.last_mut() {
                        p.subtype = Some(sub);
                    }
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
        Ok(Signature { params })
    }

    /// Matches the supplied argument symbols; for each parameter, the range of arguments it took.
    pub(crate) fn matches(&self, supplied: &[u8]) -> Option<Vec<(usize, usize)>> {
        let mut out = Vec::with_capacity(self.params.len());
        if self.walk(0, 0, supplied, &mut out) {
            Some(out)
        } else {
            None
        }
    }

    fn walk(&self, pi: usize, si: usize, s: &[u8], out: &mut Vec<(usize, usize)>) -> bool {
        if pi == self.params.len() {
            return si == s.len();
        }
        let p = &self.params[pi];
        let mut n = 0;
        while si + n < s.len() && p.accepts.contains(&s[si + n]) {
            n += 1;
            if p.rep != Rep::Plus {
                break;
            }
        }
        let min = if p.rep == Rep::Opt { 0 } else { 1 };
        let mut take = n;
        loop {
            if take < min {
                return false;
            }
            out.push((si, take));
            if self.walk(pi + 1, si + take, s, out) {
                return true;
            }
            out.pop();
            if take == 0 {
                return false;
            }
            take -= 1;
        }
    }

    /// The 1-based index of the first argument that breaks the signature (for T0410).
    pub(crate) fn bad_index(&self, supplied: &[u8]) -> usize {
        // longest prefix of parameters that can match a prefix of the arguments
        let mut good = 0;
        for k in 1..=self.params.len() {
            let sub = Signature {
                params: self.params[..k].to_vec(),
            };
            let mut best = None;
            for len in (0..=supplied.len()).rev() {
                if sub.matches(&supplied[..len]).is_some() {
                    best = Some(len);
                    break;
                }
            }
            match best {
                Some(len) => good = len,
                None => return good + 1,
            }
        }
        good + 1
    }

    /// Whether `sym` may stand for a missing argument taken from the context.
    pub(crate) fn context_ok(p: &Param, sym: u8) -> bool {
        p.context_accepts.contains(&sym)
    }
}

fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut i = start;
    while i + 1 < chars.len() {
        i += 1;
        if chars[i] == close {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        } else if chars[i] == open {
            depth += 1;
        }
    }
    chars.len()
}
