//! The intrinsic call grammar: `States.Name(arg, …)` where an argument is a
//! string literal (`'…'` with `\'`, `\{`, `\}`, `\\` escapes), a number,
//! `true`, `false`, `null`, a path or a nested call (at most 64 deep). This
//! is the one intrinsic grammar: validation reports its errors as they are.

use super::{Arg, Call, Func};
use crate::path::parse::{parse_embedded, Parser};
use crate::path::{Path, PathError};

/// Parses a whole call; trailing text is an error.
pub(crate) fn parse_call(src: &str) -> Result<Call, PathError> {
    let mut p = Parser { src, pos: 0 };
    let call = call(&mut p, 1)?;
    ws(&mut p);
    if p.pos != src.len() {
        return Err(p.err_at(p.pos, "unexpected text after the call"));
    }
    Ok(call)
}

fn ws(p: &mut Parser<'_>) {
    while let Some(c) = p.peek().filter(|c| c.is_whitespace()) {
        p.pos += c.len_utf8();
    }
}

/// The deepest nesting of calls accepted.
const MAX_DEPTH: usize = 64;

fn call(p: &mut Parser<'_>, depth: usize) -> Result<Call, PathError> {
    let start = p.pos;
    if depth > MAX_DEPTH {
        return Err(p.err_at(start, "intrinsic calls nested too deeply"));
    }
    let rest = &p.src[p.pos..];
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .unwrap_or(rest.len());
    let name = &rest[..len];
    let func = Func::from_name(name)
        .ok_or_else(|| p.err_at(start, &format!("unknown intrinsic function '{name}'")))?;
    p.pos += len;
    if !p.src[p.pos..].starts_with('(') {
        return Err(p.err_at(p.pos, "expected '('"));
    }
    p.pos += 1;
    let mut args = Vec::new();
    ws(p);
    if p.src[p.pos..].starts_with(')') {
        p.pos += 1;
    } else {
        loop {
            ws(p);
            args.push(arg(p, depth)?);
            ws(p);
            match p.peek() {
                Some(',') => p.pos += 1,
                Some(')') => {
                    p.pos += 1;
                    break;
                }
                _ => return Err(p.err_at(p.pos, "expected ',' or ')'")),
            }
        }
    }
    let (min, max) = func.arity();
    if args.len() < min || args.len() > max {
        let want = match (min, max) {
            (a, b) if a == b => format!("{a}"),
            (a, usize::MAX) => format!("at least {a}"),
            (a, b) => format!("{a} to {b}"),
        };
        return Err(PathError {
            offset: start,
            message: format!(
                "{} takes {want} argument(s) but was given {}",
                func.name(),
                args.len()
            ),
        });
    }
    Ok(Call {
        func,
        args: args.into(),
        src: p.src[start..p.pos].into(),
    })
}

fn arg(p: &mut Parser<'_>, depth: usize) -> Result<Arg, PathError> {
    let rest = &p.src[p.pos..];
    match p.peek() {
        Some('\'') => string(p),
        Some('$') => {
            let parsed = parse_embedded(p.src, p.pos)?;
            let path = Path::from_parsed(&p.src[p.pos..parsed.end], parsed);
            p.pos = path_end(p.pos, &path);
            Ok(Arg::Path(path))
        }
        _ if rest.starts_with("States.") => Ok(Arg::Call(Box::new(call(p, depth + 1)?))),
        _ => {
            for (word, a) in [
                ("true", Arg::Bool(true)),
                ("false", Arg::Bool(false)),
                ("null", Arg::Null),
            ] {
                if rest.starts_with(word) {
                    p.pos += word.len();
                    return Ok(a);
                }
            }
            number(p)
        }
    }
}

fn path_end(start: usize, path: &Path) -> usize {
    start + path.source().len()
}

fn number(p: &mut Parser<'_>) -> Result<Arg, PathError> {
    let rest = &p.src[p.pos..];
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
        .unwrap_or(rest.len());
    let text = &rest[..len];
    let at = p.pos;
    // A number starts with a digit or a minus sign (the ASL grammar: no `+1`, no `.5`).
    if len == 0 || !(text.starts_with(|c: char| c.is_ascii_digit()) || text.starts_with('-')) {
        return Err(p.err_at(at, "expected an argument"));
    }
    p.pos += len;
    if let Ok(i) = text.parse::<i64>() {
        return Ok(Arg::Int(i));
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Arg::Float(f)),
        _ => Err(p.err_at(at, "invalid number")),
    }
}

fn string(p: &mut Parser<'_>) -> Result<Arg, PathError> {
    let open = p.pos;
    p.pos += 1;
    let start = p.pos;
    let mut text = String::new();
    loop {
        let Some(c) = p.peek() else {
            return Err(p.err_at(open, "unterminated string"));
        };
        p.pos += c.len_utf8();
        match c {
            '\'' => break,
            '\\' => match p.peek() {
                Some(e @ ('\'' | '{' | '}' | '\\')) => {
                    p.pos += 1;
                    text.push(e);
                }
                _ => {
                    return Err(p.err_at(
                        p.pos - 1,
                        "only \\', \\{, \\} and \\\\ may be escaped in a string",
                    ))
                }
            },
            c => text.push(c),
        }
    }
    Ok(Arg::Str {
        text: text.into(),
        raw: p.src[start..p.pos - 1].into(),
    })
}
