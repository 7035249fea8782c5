//! Map: the processor a block of its own (lowered later), `ItemsPath`,
//! `ItemSelector` and `MaxConcurrency`, one `Map` op that runs an iteration
//! per item as child fibers, then the result shapers.

use super::builder::Builder;
use super::labels::StateLabels;
use super::queue::Lowering;
use super::{context, io, retry};
use crate::asl::codes::UNSUPPORTED_FEATURE;
use crate::asl::{Diagnostic, Map, MapMode, State};
use crate::bytecode::{MapId, MapInfo, NumSource, Op, StateId};

pub(super) fn lower<'a>(
    b: &mut Builder,
    cx: &mut Lowering<'a>,
    sid: StateId,
    s: &State,
    map: &'a Map,
    labels: &StateLabels<'_>,
) {
    let p = &s.pointer;
    distributed_only(b, p, map);
    io::input_path(b, s);
    let items_path = b.path(&map.items_path, false);
    let (item_selector, selector_uses_context) = match &map.item_selector {
        Some(t) => (
            Some(b.template(t, &format!("{p}/ItemSelector"))),
            context::needs_of_value(&t.raw) != 0,
        ),
        None => (None, false),
    };
    let max_concurrency = b
        .num_source(map.max_concurrency.as_ref())
        .unwrap_or(NumSource::Value(0));
    let processor = cx.nested(b, &map.processor);
    b.maps.push(MapInfo {
        processor,
        items_path,
        item_selector,
        selector_uses_context,
        max_concurrency,
        distributed: map.mode == MapMode::Distributed,
    });
    b.emit(Op::Map(MapId(b.maps.len() as u32 - 1)));
    io::after_result(
        b,
        s,
        map.result_selector.as_ref(),
        map.result_path.as_ref(),
        labels,
    );
    retry::attach(b, sid, &map.retry, &map.catch, labels);
}

/// A Distributed Map over state data (no reader, batcher, writer or
/// tolerance) gives the results an inline Map gives; the rest is not built yet.
fn distributed_only(b: &mut Builder, p: &str, map: &Map) {
    let fields = [
        ("ItemReader", map.item_reader.is_some()),
        ("ItemBatcher", map.item_batcher.is_some()),
        ("ResultWriter", map.result_writer.is_some()),
        (
            "ToleratedFailurePercentage",
            map.tolerated_failure_percentage.is_some(),
        ),
        (
            "ToleratedFailureCount",
            map.tolerated_failure_count.is_some(),
        ),
    ];
    for (field, present) in fields {
        if present {
            b.diags.push(Diagnostic::error(
                UNSUPPORTED_FEATURE,
                format!("{p}/{field}"),
                format!("Distributed Map {field} is not supported yet"),
            ));
        }
    }
}
