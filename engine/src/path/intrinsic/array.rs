//! States.ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem,
//! ArrayLength, ArrayUnique (States.Array needs no helper).

use super::{failure, kind_name, want_int, Func};
use crate::error::Failure;
use crate::json::{Doc, Val};

/// AWS's cap on the arrays ArrayRange builds.
const MAX_RANGE: i64 = 1000;

fn want_array(doc: &Doc, f: Func, v: Val) -> Result<Vec<Val>, Failure> {
    doc.as_array(v).map(<[Val]>::to_vec).ok_or_else(|| {
        failure(
            f,
            format!(
                "the first argument must be an array, not {}",
                kind_name(doc, v)
            ),
        )
    })
}

pub(super) fn partition(doc: &mut Doc, arr: Val, size: Val) -> Result<Val, Failure> {
    let f = Func::ArrayPartition;
    let items = want_array(doc, f, arr)?;
    let size = want_int(doc, f, size, "the chunk size")?;
    if size <= 0 {
        return Err(failure(
            f,
            format!("the chunk size must be a positive integer, not {size}"),
        ));
    }
    let chunks: Vec<Val> = items
        .chunks(usize::try_from(size).unwrap_or(usize::MAX))
        .map(|c| doc.array(c))
        .collect();
    Ok(doc.array(&chunks))
}

pub(super) fn contains(doc: &mut Doc, arr: Val, v: Val) -> Result<Val, Failure> {
    let items = want_array(doc, Func::ArrayContains, arr)?;
    Ok(doc.bool(items.iter().any(|&x| doc.equal(x, v))))
}

pub(super) fn range(doc: &mut Doc, start: Val, end: Val, step: Val) -> Result<Val, Failure> {
    let f = Func::ArrayRange;
    let start = want_int(doc, f, start, "the start")?;
    let end = want_int(doc, f, end, "the end")?;
    let step = want_int(doc, f, step, "the step")?;
    if step == 0 {
        return Err(failure(f, "the step must not be 0"));
    }
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        (end as i128 - start as i128) / step as i128 + 1
    };
    if count > MAX_RANGE as i128 {
        return Err(failure(
            f,
            format!("the range has {count} items, more than the {MAX_RANGE} allowed"),
        ));
    }
    let items: Vec<Val> = (0..count as i64)
        .map(|k| doc.int(start + k * step))
        .collect();
    Ok(doc.array(&items))
}

pub(super) fn get_item(doc: &mut Doc, arr: Val, index: Val) -> Result<Val, Failure> {
    let f = Func::ArrayGetItem;
    let items = want_array(doc, f, arr)?;
    let i = want_int(doc, f, index, "the index")?;
    usize::try_from(i)
        .ok()
        .and_then(|i| items.get(i).copied())
        .ok_or_else(|| {
            failure(
                f,
                format!(
                    "the index {i} is out of bounds for an array of {} items",
                    items.len()
                ),
            )
        })
}

pub(super) fn length(doc: &mut Doc, arr: Val) -> Result<Val, Failure> {
    let n = want_array(doc, Func::ArrayLength, arr)?.len();
    Ok(doc.int(n as i64))
}

pub(super) fn unique(doc: &mut Doc, arr: Val) -> Result<Val, Failure> {
    let items = want_array(doc, Func::ArrayUnique, arr)?;
    let mut kept: Vec<Val> = Vec::with_capacity(items.len());
    for v in items {
        if !kept.iter().any(|&k| doc.equal(k, v)) {
            kept.push(v);
        }
    }
    Ok(doc.array(&kept))
}
