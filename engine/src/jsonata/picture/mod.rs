//! XPath/XSLT picture-string formatters for JSONata 2.0.6 (F&O 3.1 §4.6–4.7, §9.8):
//! `$formatNumber`, `$formatInteger`, `$parseInteger`, `$fromMillis`/`$now` and
//! `$toMillis`, matching jsonata-js (`src/datetime.js`, `src/functions.js`).
//!
//! Self-contained and std-only; the sibling modules form a DAG:
//! `error`, `text`, `jsnum` ← `words` ← `integer` ← `number_picture` ← `number`;
//! `integer`, `calendar` ← `dt_picture` ← `datetime` ← `datetime_parse` (with `matcher`, `iso`).

mod calendar;
mod datetime;
mod datetime_parse;
mod dt_picture;
mod error;
mod integer;
mod iso;
mod jsnum;
mod matcher;
mod number;
mod number_picture;
mod text;
mod words;

#[cfg(test)]
mod tests;

pub(crate) use datetime::format_datetime;
pub(crate) use datetime_parse::{parse_datetime, parse_datetime_at};
pub(crate) use error::PictureError;
pub(crate) use integer::{format_integer, parse_integer};
pub(crate) use number::{format_number, DecimalFormat};
