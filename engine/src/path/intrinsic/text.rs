//! States.Format, StringSplit, Base64Encode, Base64Decode, Hash.

use super::{failure, kind_name, want_str, Func};
use crate::error::Failure;
use crate::json::{Doc, Ref, Val};
use base64::Engine as _;
use std::fmt::Write;

/// AWS's cap on the input of Base64Encode/Base64Decode/Hash, in characters.
const MAX_INPUT: usize = 10_000;

/// How States.Format shows a value: strings bare, other scalars as JSON,
/// objects and arrays the way Java prints maps and lists
/// (`{a=1, b=[x, y]}`).
pub(crate) fn show(doc: &Doc, v: Val, out: &mut String) {
    match doc.get(v) {
        Ref::Str(s) => out.push_str(s),
        Ref::Array(a) => {
            out.push('[');
            for (n, &x) in a.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                show(doc, x, out);
            }
            out.push(']');
        }
        Ref::Object(o) => {
            out.push('{');
            for (n, (k, x)) in o.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                show(doc, x, out);
            }
            out.push('}');
        }
        _ => doc.write_json(v, out),
    }
}

/// `template` is the text with its escapes (`\{`, `\}`, `\\`, `\'`); each
/// unescaped `{}` takes the next value, and the counts must match.
pub(super) fn format(doc: &mut Doc, template: &str, vals: &[Val]) -> Result<Val, Failure> {
    let f = Func::Format;
    let mut out = String::with_capacity(template.len() + 16 * vals.len());
    let mut next = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) => out.push(e),
                None => out.push('\\'),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                let Some(&v) = vals.get(next) else {
                    return Err(failure(
                        f,
                        format!(
                            "the template has more placeholders than the {} value(s) given",
                            vals.len()
                        ),
                    ));
                };
                show(doc, v, &mut out);
                next += 1;
            }
            c => out.push(c),
        }
    }
    if next != vals.len() {
        return Err(failure(
            f,
            format!(
                "the template has {next} placeholder(s) but {} value(s) were given",
                vals.len()
            ),
        ));
    }
    Ok(doc.str(&out))
}

/// Splits on any of the delimiter characters and drops empty pieces.
pub(super) fn split(doc: &mut Doc, s: Val, delims: Val) -> Result<Val, Failure> {
    let f = Func::StringSplit;
    let s = want_str(doc, f, s, "the string")?;
    let d = want_str(doc, f, delims, "the delimiter")?;
    let parts: Vec<Val> = s
        .split(|c: char| d.contains(c))
        .filter(|p| !p.is_empty())
        .map(|p| doc.str(p))
        .collect::<Vec<_>>();
    Ok(doc.array(&parts))
}

fn check_len(f: Func, s: &str) -> Result<(), Failure> {
    let n = s.chars().count();
    if n > MAX_INPUT {
        return Err(failure(
            f,
            format!("the input has {n} characters, more than the {MAX_INPUT} allowed"),
        ));
    }
    Ok(())
}

pub(super) fn base64_encode(doc: &mut Doc, v: Val) -> Result<Val, Failure> {
    let f = Func::Base64Encode;
    let s = want_str(doc, f, v, "the input")?;
    check_len(f, &s)?;
    let enc = base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
    Ok(doc.str(&enc))
}

pub(super) fn base64_decode(doc: &mut Doc, v: Val) -> Result<Val, Failure> {
    let f = Func::Base64Decode;
    let s = want_str(doc, f, v, "the input")?;
    check_len(f, &s)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s.as_bytes())
        .map_err(|_| failure(f, "the input is not valid base64"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| failure(f, "the decoded bytes are not valid UTF-8 text"))?;
    Ok(doc.str(&text))
}

pub(super) fn hash(doc: &mut Doc, data: Val, alg: Val) -> Result<Val, Failure> {
    use sha2::Digest;
    let f = Func::Hash;
    let alg_name = want_str(doc, f, alg, "the algorithm")?;
    let input = match doc.as_str(data) {
        Some(s) => s.to_owned(),
        None if doc.kind(data) == crate::json::Kind::Null => {
            return Err(failure(
                f,
                format!("the data must not be {}", kind_name(doc, data)),
            ))
        }
        None => doc.to_json(data),
    };
    check_len(f, &input)?;
    let bytes = input.as_bytes();
    let digest: Vec<u8> = match alg_name.as_str() {
        "MD5" => md5::Md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(failure(
                f,
                format!("unknown algorithm '{other}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
            ))
        }
    };
    let mut hex = String::with_capacity(digest.len() * 2);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    Ok(doc.str(&hex))
}
