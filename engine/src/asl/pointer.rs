//! JSON pointers (RFC 6901) for diagnostics: `~` is written `~0` and `/` is
//! written `~1` inside a reference token, so a state named `a/b` sits at
//! `/States/a~1b`.

/// Appends one object key to `base`, escaped as RFC 6901 requires.
pub(crate) fn key(base: &str, key: &str) -> String {
    let mut out = String::with_capacity(base.len() + key.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Appends one array index to `base`.
pub(crate) fn index(base: &str, i: usize) -> String {
    format!("{base}/{i}")
}

/// The pointer as AWS prints it in diagnostics: the whole document is `/`.
pub(crate) fn display(ptr: &str) -> String {
    if ptr.is_empty() {
        "/".to_owned()
    } else {
        ptr.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_tilde_and_slash() {
        assert_eq!(super::key("/States", "a/b~c"), "/States/a~1b~0c");
        assert_eq!(super::index("/States/X/Retry", 2), "/States/X/Retry/2");
        assert_eq!(super::display(""), "/");
    }
}
