//! Regular expressions: JavaScript regex syntax translated to the `regex`
//! crate's, compiled once at parse time.

use regex::Regex;

/// A compiled regex literal.
#[derive(Debug)]
pub(crate) struct JsRegex {
    /// The compiled form.
    pub(crate) re: Regex,
    /// The source pattern, as written.
    pub(crate) source: String,
}

impl JsRegex {
    /// Compiles a JS pattern with flags (`i`, `m`).
    pub(crate) fn new(pattern: &str, flags: &str) -> Result<JsRegex, String> {
        let mut out = String::new();
        if flags.contains('i') {
            out.push_str("(?i)");
        }
        if flags.contains('m') {
            out.push_str("(?m)");
        }
        translate(pattern, &mut out);
        let re = Regex::new(&out).map_err(|e| e.to_string())?;
        Ok(JsRegex {
            re,
            source: pattern.to_string(),
        })
    }
}

fn translate(p: &str, out: &mut String) {
    let chars: Vec<char> = p.chars().collect();
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            let e = chars[i + 1];
            i += 2;
            match e {
                'd' => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                'D' => out.push_str(if in_class { "\\D" } else { "[^0-9]" }),
                'w' => out.push_str(if in_class {
                    "A-Za-z0-9_"
                } else {
                    "[A-Za-z0-9_]"
                }),
                'W' => out.push_str(if in_class { "\\W" } else { "[^A-Za-z0-9_]" }),
                'u' if i + 4 <= chars.len()
                    && chars[i..i + 4].iter().all(|h| h.is_ascii_hexdigit()) =>
                {
                    out.push_str("\\x{");
                    out.extend(&chars[i..i + 4]);
                    out.push('}');
                    i += 4;
                }
                '/' => out.push('/'),
                '0' => out.push_str("\\x00"),
                _ => {
                    out.push('\\');
                    out.push(e);
                }
            }
            continue;
        }
        if in_class {
            if c == ']' {
                in_class = false;
            }
            if c == '[' {
                out.push_str("\\[");
                i += 1;
                continue;
            }
            out.push(c);
        } else {
            if c == '[' {
                in_class = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
                i += 1;
                continue;
            }
            out.push(c);
        }
        i += 1;
    }
}
