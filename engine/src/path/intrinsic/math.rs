//! States.MathAdd, MathRandom, UUID.

use super::{failure, kind_name, Func};
use crate::error::Failure;
use crate::json::{Doc, Val};
use crate::path::Entropy;
use crate::rng::splitmix64;

/// A number as AWS takes it where an integer is wanted: Java's
/// `Math.round` (half up, toward positive infinity).
fn rounded(doc: &Doc, f: Func, v: Val, what: &str) -> Result<i64, Failure> {
    if let Some(i) = doc.as_i64(v) {
        return Ok(i);
    }
    match doc.as_f64(v) {
        Some(x) if x.is_finite() && x.abs() < 9.2e18 => Ok((x + 0.5).floor() as i64),
        _ => Err(failure(
            f,
            format!("{what} must be a number, not {}", kind_name(doc, v)),
        )),
    }
}

/// A number truncated to an integer (how MathRandom reads its bounds).
fn truncated(doc: &Doc, f: Func, v: Val, what: &str) -> Result<i64, Failure> {
    match doc.as_f64(v) {
        Some(x) if x.is_finite() && x.abs() < 9.2e18 => {
            Ok(doc.as_i64(v).unwrap_or(x.trunc() as i64))
        }
        _ => Err(failure(
            f,
            format!("{what} must be a number, not {}", kind_name(doc, v)),
        )),
    }
}

pub(super) fn add(doc: &mut Doc, a: Val, b: Val) -> Result<Val, Failure> {
    let f = Func::MathAdd;
    let x = rounded(doc, f, a, "the first argument")?;
    let y = rounded(doc, f, b, "the second argument")?;
    let sum = x
        .checked_add(y)
        .ok_or_else(|| failure(f, "the sum is out of range"))?;
    Ok(doc.int(sum))
}

/// An integer in `start..=end`: from the seed when there is one, else from
/// the execution's entropy.
pub(super) fn random(doc: &mut Doc, vals: &[Val], entropy: Entropy<'_>) -> Result<Val, Failure> {
    let f = Func::MathRandom;
    let start = truncated(doc, f, vals[0], "the start")?;
    let end = truncated(doc, f, vals[1], "the end")?;
    if start > end {
        return Err(failure(
            f,
            format!("the start {start} is greater than the end {end}"),
        ));
    }
    let bits = match vals.get(2) {
        // One SplitMix64 step from the seed: the seeded generator of `States.MathRandom`.
        Some(&s) => splitmix64(&mut (truncated(doc, f, s, "the seed")? as u64)),
        None => entropy(),
    };
    let span = (end as i128 - start as i128 + 1) as u128;
    let n = start as i128 + (bits as u128 % span) as i128;
    Ok(doc.int(n as i64))
}

/// A version-4 UUID from 128 bits of entropy, lowercase hex.
pub(super) fn uuid(doc: &mut Doc, entropy: Entropy<'_>) -> Val {
    let hi = entropy();
    let lo = entropy();
    let hi = (hi & !0xF000) | 0x4000;
    let lo = (lo & !(0xC000 << 48)) | (0x8000 << 48);
    let s = format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    );
    doc.str(&s)
}
