//! A Wait state's target time: `Seconds`, `Timestamp`, and their `…Path`
//! forms with AWS's causes for values that do not fit.

use super::fiber::Fiber;
use super::Env;
use crate::bytecode::WaitInfo;
use crate::error::Failure;

/// When the Wait `w` ends, on the execution's clock (ms).
pub(super) fn wait_until(f: &mut Fiber, env: &Env<'_>, w: &WaitInfo) -> Result<i64, Failure> {
    let now = env.now_ms;
    let until = wait_target(f, env, w, now)?;
    // AWS rejects delays that do not fit a 32-bit count of seconds.
    if (until - now) / 1000 > i64::from(i32::MAX) {
        return Err(Failure::runtime("Wait state delay is too long."));
    }
    Ok(until)
}

fn wait_target(f: &mut Fiber, env: &Env<'_>, w: &WaitInfo, now: i64) -> Result<i64, Failure> {
    match *w {
        WaitInfo::Query {
            query,
            seconds: true,
        } => {
            let s = super::query::integer(f, env.prog, now, query, "Seconds")?;
            Ok(now.saturating_add((s as i64).saturating_mul(1000)))
        }
        WaitInfo::Query {
            query,
            seconds: false,
        } => {
            let v = super::query::eval(f, env.prog, now, query, Default::default())?;
            match f.doc.as_str(v).and_then(crate::time::parse_rfc3339) {
                Some(ns) => Ok((ns / 1_000_000) as i64),
                None => {
                    let shown = match f.doc.as_str(v) {
                        Some(s) => s.to_owned(),
                        None => f.doc.to_json(v),
                    };
                    Err(Failure::new(
                        super::query::QUERY_ERROR,
                        format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {shown}"),
                    ))
                }
            }
        }
        WaitInfo::Seconds(s) => Ok(now.saturating_add((s as i64).saturating_mul(1000))),
        WaitInfo::Timestamp(ns) => Ok((ns / 1_000_000) as i64),
        WaitInfo::SecondsPath(p) => {
            let src = env.prog.paths[p.idx()].source().to_owned();
            let Some(v) = env.prog.paths[p.idx()].select_with(&mut f.doc, f.cur, f.ctx, f.vars)
            else {
                return Err(Failure::runtime(format!(
                    "The SecondsPath parameter does not reference an input value: {src}"
                )));
            };
            let shown = f.doc.to_json(v);
            match f.doc.get(v) {
                crate::json::Ref::Int(i) if i < 0 => Err(Failure::runtime(format!(
                    "The SecondsPath parameter references a negative value: {src} == {shown}"
                ))),
                crate::json::Ref::Int(i) => Ok(now.saturating_add(i.saturating_mul(1000))),
                _ => Err(Failure::runtime(format!(
                    "The SecondsPath parameter cannot be parsed as a long value: {src} == {shown}"
                ))),
            }
        }
        WaitInfo::TimestampPath(p) => {
            let src = env.prog.paths[p.idx()].source().to_owned();
            let Some(v) = env.prog.paths[p.idx()].select_with(&mut f.doc, f.cur, f.ctx, f.vars)
            else {
                return Err(Failure::runtime(format!(
                    "The TimestampPath parameter does not reference an input value: {src}"
                )));
            };
            match f.doc.as_str(v).and_then(crate::time::parse_rfc3339) {
                Some(ns) => Ok((ns / 1_000_000) as i64),
                None => {
                    let shown = match f.doc.as_str(v) {
                        Some(s) => s.to_owned(),
                        None => f.doc.to_json(v),
                    };
                    Err(Failure::runtime(format!(
                        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {src} == {shown}"
                    )))
                }
            }
        }
    }
}
