//! Functions Step Functions adds to JSONata (`$partition`, `$range`,
//! `$hash`, seeded `$random` is in numeric, `$uuid`, `$parse`) and the
//! clock functions `$millis` / `$now`.
//!
//! Behaviour per AWS: https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
//! ("JSONata functions provided by Step Functions").

use super::arg;
use crate::jsonata::builtin::Builtin;
use crate::jsonata::call::Call;
use crate::jsonata::error::{JResult, JsonataError};
use crate::jsonata::numfmt::js_number;
use crate::jsonata::value::Value;
use sha2::Digest;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// ISO 8601 text of epoch milliseconds, UTC with milliseconds (`2024-01-02T03:04:05.678Z`).
pub(crate) fn iso_millis(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    // civil-from-days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// Runs an AWS-added or clock built-in.
pub(crate) fn call<'a, E: Call<'a>>(
    ev: &mut E,
    b: Builtin,
    args: Vec<Value<'a>>,
) -> JResult<Value<'a>> {
    let a0 = arg(&args, 0);
    let bad = |what: String| JsonataError::new("D3203", 0).tok(b.name()).val(what);
    match b {
        Builtin::Millis => Ok(Value::Num(ev.host().now_ms() as f64)),
        Builtin::Now => {
            if !a0.is_undef() || !arg(&args, 1).is_undef() {
                return now_with_picture(ev, &args);
            }
            Ok(Value::str(&iso_millis(ev.host().now_ms())))
        }
        Builtin::Uuid => {
            let mut bytes = [0u8; 16];
            for x in bytes.iter_mut() {
                *x = ((ev.host().random() * 256.0).floor() as u32).min(255) as u8;
            }
            bytes[6] = (bytes[6] & 0x0f) | 0x40;
            bytes[8] = (bytes[8] & 0x3f) | 0x80;
            let h = hex(&bytes);
            Ok(Value::str(&format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            )))
        }
        Builtin::Parse => {
            let Some(text) = a0.as_str(ev.doc()).map(str::to_string) else {
                return Ok(Value::Undefined);
            };
            match ev.doc_mut().parse(&text) {
                Ok(v) => Ok(Value::Json(v)),
                Err(e) => Err(JsonataError::new("D3202", 0).val(e.message)),
            }
        }
        Builtin::Hash => {
            let Some(text) = a0.as_str(ev.doc()).map(str::to_string) else {
                return Ok(Value::Undefined);
            };
            let alg = arg(&args, 1).as_str(ev.doc()).unwrap_or("").to_string();
            let data = text.as_bytes();
            let out = match alg.as_str() {
                "MD5" => hex(&md5::Md5::digest(data)),
                "SHA-1" => hex(&sha1::Sha1::digest(data)),
                "SHA-256" => hex(&sha2::Sha256::digest(data)),
                "SHA-384" => hex(&sha2::Sha384::digest(data)),
                "SHA-512" => hex(&sha2::Sha512::digest(data)),
                _ => return Err(JsonataError::new("D3201", 0).tok("hash").val(alg)),
            };
            Ok(Value::str(&out))
        }
        Builtin::Partition => {
            if a0.is_undef() {
                return Ok(Value::Undefined);
            }
            let size = arg(&args, 1).num(ev.doc()).unwrap_or(f64::NAN);
            if !(size >= 1.0 && size.fract() == 0.0) {
                return Err(bad(format!(
                    "chunk size must be a positive integer, got {}",
                    js_number(size)
                )));
            }
            let items = a0.items(ev.doc());
            let chunks = items
                .chunks(size as usize)
                .map(|c| Value::array(c.to_vec()))
                .collect();
            Ok(Value::array(chunks))
        }
        Builtin::Range => {
            let start = a0.num(ev.doc());
            let end = arg(&args, 1).num(ev.doc());
            let step = arg(&args, 2).num(ev.doc()).unwrap_or(1.0);
            let (Some(start), Some(end)) = (start, end) else {
                return Ok(Value::Undefined);
            };
            if step == 0.0 || !step.is_finite() || !start.is_finite() || !end.is_finite() {
                return Err(bad(format!(
                    "step must be a non-zero number, got {}",
                    js_number(step)
                )));
            }
            let count = ((end - start) / step).floor() + 1.0;
            if count > 1e7 {
                return Err(bad(format!(
                    "the range would hold {} items",
                    js_number(count)
                )));
            }
            let mut items = Vec::new();
            let mut i = 0.0;
            while i < count {
                items.push(Value::Num(start + i * step));
                i += 1.0;
            }
            ev.charge(items.len() as u64 / 8);
            // A sequence, as AWS's $range returns: one item is that item
            // (recorded: `$range(1, 9, 9)` gave `1`).
            Ok(Value::seq(items))
        }
        _ => Ok(Value::Undefined),
    }
}

fn now_with_picture<'a, E: Call<'a>>(ev: &mut E, args: &[Value<'a>]) -> JResult<Value<'a>> {
    let now = ev.host().now_ms();
    let picture = arg(args, 0).as_str(ev.doc()).map(str::to_string);
    let tz = arg(args, 1).as_str(ev.doc()).map(str::to_string);
    let s = crate::jsonata::picture::format_datetime(now, picture.as_deref(), tz.as_deref())
        .map_err(super::datetime::picture_error)?;
    Ok(Value::str(&s))
}
