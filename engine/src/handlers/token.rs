//! The text of a task token (`$$.Task.Token`) and the errors of sending one
//! back ([`TokenError`]).
//!
//! A token is 32 bytes written as 43 characters of URL-safe base64: the
//! execution's id in its runtime (8 bytes) and the token's serial number
//! within the execution (4), both masked with the nonce, a 128-bit nonce
//! drawn from the execution's seeded stream (16), and a 4-byte check over
//! the rest. The nonce makes a token
//! unguessable to anyone who does not know the execution's seed, and the
//! same seed gives the same tokens (deterministic runs stay deterministic).
//! The check tells a token this engine wrote (`TaskTimedOut` once it is
//! closed) from a string that never was one (`InvalidToken`).

use std::fmt;

/// Why a `SendTaskSuccess`, `SendTaskFailure` or `SendTaskHeartbeat` was
/// refused: AWS's error names (the API reference of each action lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// The string is not a task token at all (AWS: "The provided token is not valid").
    InvalidToken,
    /// A well-formed token of no task this runtime has issued (AWS: "The activity does not exist").
    TaskDoesNotExist,
    /// The task's token was already used, or the task timed out or ended
    /// (AWS: "The task token has either expired or the task associated with
    /// the token has already been closed").
    TaskTimedOut,
}

impl TokenError {
    /// The AWS error code (`InvalidToken`, `TaskDoesNotExist`, `TaskTimedOut`).
    pub fn code(self) -> &'static str {
        match self {
            TokenError::InvalidToken => "InvalidToken",
            TokenError::TaskDoesNotExist => "TaskDoesNotExist",
            TokenError::TaskTimedOut => "TaskTimedOut",
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The messages AWS's API returns with each code.
        let msg = match self {
            TokenError::InvalidToken => "Invalid Token: 'Invalid token'",
            TokenError::TaskDoesNotExist => "Task does not exist",
            TokenError::TaskTimedOut => "Task Timed Out: 'Provided task does not exist anymore'",
        };
        write!(f, "{}: {msg}", self.code())
    }
}

impl std::error::Error for TokenError {}

/// What a token names: one attempt of one Task state in one execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenId {
    /// The execution's id in its runtime.
    pub(crate) exec: u64,
    /// The token's number within the execution.
    pub(crate) serial: u32,
    /// The unguessable part.
    pub(crate) nonce: u128,
}

/// Characters of an encoded token.
pub(crate) const TOKEN_LEN: usize = 43;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn check(exec: u64, serial: u32, nonce: u128) -> u32 {
    let mut s = exec ^ (u64::from(serial) << 17) ^ 0x7A5C_70CE_11ED_0001;
    let a = crate::rng::splitmix64(&mut s);
    s ^= nonce as u64 ^ a;
    let b = crate::rng::splitmix64(&mut s);
    s ^= (nonce >> 64) as u64 ^ b;
    crate::rng::splitmix64(&mut s) as u32
}

/// The masks of the execution id and the serial number.
fn mask(nonce: u128) -> (u64, u32) {
    let mut s = (nonce as u64) ^ ((nonce >> 64) as u64).rotate_left(29);
    (
        crate::rng::splitmix64(&mut s),
        crate::rng::splitmix64(&mut s) as u32,
    )
}

impl TokenId {
    /// The token's text.
    pub(crate) fn encode(&self) -> String {
        let mut bytes = [0u8; 32];
        // The ids are masked with the nonce so that no part of a token reads as a counter.
        let (mx, ms) = mask(self.nonce);
        bytes[..8].copy_from_slice(&(self.exec ^ mx).to_be_bytes());
        bytes[8..12].copy_from_slice(&(self.serial ^ ms).to_be_bytes());
        bytes[12..28].copy_from_slice(&self.nonce.to_be_bytes());
        bytes[28..].copy_from_slice(&check(self.exec, self.serial, self.nonce).to_be_bytes());
        let mut out = String::with_capacity(TOKEN_LEN);
        let mut acc: u32 = 0;
        let mut bits = 0;
        for b in bytes {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 6 {
                bits -= 6;
                out.push(B64[((acc >> bits) & 63) as usize] as char);
            }
        }
        if bits > 0 {
            out.push(B64[((acc << (6 - bits)) & 63) as usize] as char);
        }
        out
    }

    /// Reads a token's text back.
    ///
    /// # Errors
    /// [`TokenError::InvalidToken`] for anything this engine did not write.
    pub(crate) fn decode(text: &str) -> Result<TokenId, TokenError> {
        if text.len() != TOKEN_LEN {
            return Err(TokenError::InvalidToken);
        }
        let mut bytes = [0u8; 33];
        let (mut acc, mut bits, mut n) = (0u32, 0, 0);
        for c in text.bytes() {
            let v = B64
                .iter()
                .position(|&x| x == c)
                .ok_or(TokenError::InvalidToken)? as u32;
            acc = (acc << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                bytes[n] = (acc >> bits) as u8;
                n += 1;
            }
        }
        let word =
            |r: std::ops::Range<usize>| bytes[r].iter().fold(0u128, |a, &b| a << 8 | u128::from(b));
        let nonce = word(12..28);
        let (mx, ms) = mask(nonce);
        let id = TokenId {
            exec: word(0..8) as u64 ^ mx,
            serial: word(8..12) as u32 ^ ms,
            nonce,
        };
        if n != 32 || word(28..32) as u32 != check(id.exec, id.serial, id.nonce) {
            return Err(TokenError::InvalidToken);
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_text() {
        let id = TokenId {
            exec: 7,
            serial: 3,
            nonce: 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
        };
        let t = id.encode();
        assert_eq!(t.len(), TOKEN_LEN);
        assert_eq!(TokenId::decode(&t), Ok(id));
        let other = TokenId { serial: 4, ..id }.encode();
        assert_ne!(t, other);
        for bad in [
            "",
            "x",
            &t[1..],
            &format!("{t}A"),
            &t.replace(|c: char| c.is_ascii_digit(), "!"),
        ] {
            assert_eq!(TokenId::decode(bad), Err(TokenError::InvalidToken), "{bad}");
        }
        // One changed character breaks the check.
        let mut b = t.clone().into_bytes();
        b[20] = if b[20] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(b).unwrap();
        assert_eq!(TokenId::decode(&flipped), Err(TokenError::InvalidToken));
    }

    #[test]
    fn errors_name_aws_codes() {
        assert_eq!(TokenError::TaskTimedOut.code(), "TaskTimedOut");
        assert!(TokenError::InvalidToken
            .to_string()
            .starts_with("InvalidToken: "));
    }
}
