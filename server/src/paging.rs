//! `maxResults` and the opaque `nextToken` of the List operations: a
//! token is the position to go on from, tagged so that a foreign or
//! damaged token is AWS's `InvalidToken`.

use crate::error::ApiError;
use crate::fields::Fields;

/// The page size AWS uses when `maxResults` is 0 or absent.
pub(crate) const DEFAULT_PAGE: usize = 100;

/// The page size of a request (`maxResults`, 0–1000; 0 means the default).
///
/// # Errors
/// Not an integer in 0–1000.
pub(crate) fn page_size(f: &Fields) -> Result<usize, ApiError> {
    Ok(match f.int("maxResults", 0, 1000)? {
        None | Some(0) => DEFAULT_PAGE,
        Some(n) => n as usize,
    })
}

/// A token for position `at` of a list of `kind`.
pub(crate) fn token(kind: &str, at: &str) -> String {
    let mut s = format!("stampede.{kind}.");
    for b in at.bytes() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The position a request's `nextToken` holds, if any.
///
/// # Errors
/// `InvalidToken` for a token this server did not give out for `kind`.
pub(crate) fn position(f: &Fields, kind: &str, max: usize) -> Result<Option<String>, ApiError> {
    let Some(t) = f.str("nextToken", 1, max)? else {
        return Ok(None);
    };
    let bad = || ApiError::new("InvalidToken", format!("Invalid Token: '{t}'"));
    let hex = t
        .strip_prefix("stampede.")
        .and_then(|r| r.strip_prefix(kind))
        .and_then(|r| r.strip_prefix('.'))
        .ok_or_else(bad)?;
    if hex.len() % 2 != 0 {
        return Err(bad());
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    bytes
        .and_then(|b| String::from_utf8(b).ok())
        .map(Some)
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_foreign_ones_are_invalid() {
        let t = token("machines", "arn:aws:states:x");
        let f = Fields::parse(format!(r#"{{"nextToken":"{t}"}}"#).as_bytes()).unwrap();
        assert_eq!(
            position(&f, "machines", 1024).unwrap().as_deref(),
            Some("arn:aws:states:x")
        );
        assert_eq!(
            position(&f, "activities", 1024).unwrap_err().kind,
            "InvalidToken"
        );
        let f = Fields::parse(br#"{"nextToken":"garbage"}"#).unwrap();
        assert_eq!(
            position(&f, "machines", 1024).unwrap_err().kind,
            "InvalidToken"
        );
        let f = Fields::parse(br#"{"nextToken":"stampede.machines.zz"}"#).unwrap();
        assert_eq!(
            position(&f, "machines", 1024).unwrap_err().kind,
            "InvalidToken"
        );
        let f = Fields::parse(br#"{"maxResults":0}"#).unwrap();
        assert_eq!(page_size(&f).unwrap(), DEFAULT_PAGE);
    }
}
