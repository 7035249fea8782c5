//! Wait: seconds or a timestamp, given or read by a reference path, as a
//! `Wait` op that registers a timer.

use super::builder::Builder;
use super::io;
use super::labels::StateLabels;
use crate::asl::codes::SCHEMA_VALIDATION_FAILED;
use crate::asl::{Diagnostic, State, Wait};
use crate::bytecode::{Op, WaitId, WaitInfo};
use crate::time::parse_rfc3339;

pub(super) fn lower(b: &mut Builder, s: &State, w: &Wait, labels: &StateLabels<'_>) {
    io::input_path(b, s);
    let info = match w {
        Wait::Seconds(n) => WaitInfo::Seconds(*n),
        Wait::SecondsPath(x) => WaitInfo::SecondsPath(b.path(x, true)),
        Wait::Timestamp(t) => match parse_rfc3339(t) {
            Some(ns) => WaitInfo::Timestamp(ns),
            None => {
                b.diags.push(Diagnostic::error(
                    SCHEMA_VALIDATION_FAILED,
                    format!("{}/Timestamp", s.pointer),
                    "String does not match RFC3339 timestamp",
                ));
                WaitInfo::Seconds(0)
            }
        },
        Wait::TimestampPath(x) => WaitInfo::TimestampPath(b.path(x, true)),
        Wait::Expr { seconds, expr } => WaitInfo::Query {
            query: b.query_of(expr, 0),
            seconds: *seconds,
        },
    };
    b.waits.push(info);
    b.emit(Op::Wait(WaitId(b.waits.len() as u32 - 1)));
    io::after_input(b, s, labels);
}
