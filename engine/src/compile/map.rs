//! Map: the processor a block of its own (lowered later), `ItemsPath`,
//! `ItemSelector` and `MaxConcurrency`, one `Map` op that runs an iteration
//! per item as child fibers, then the result shapers.

use super::builder::Builder;
use super::labels::StateLabels;
use super::queue::Lowering;
use super::{context, io, retry};
use crate::asl::Payload;
use crate::asl::{self, Map, MapMode, QueryLanguage, State};
use crate::bytecode::{
    Args, BatcherInfo, MapId, MapInfo, NumSource, Op, ReaderInfo, StateId, Threshold, WriterInfo,
};

pub(super) fn lower<'a>(
    b: &mut Builder,
    cx: &mut Lowering<'a>,
    sid: StateId,
    s: &State,
    map: &'a Map,
    labels: &StateLabels<'_>,
) {
    let p = &s.pointer;
    io::input_path(b, s);
    let items_path = b.path(&map.items_path, false);
    let items = map.items.as_ref().map(|q| b.query_of(q, 0));
    let (mut item_selector, mut item_query) = (None, None);
    let mut selector_uses_context = false;
    if let Some(t) = &map.item_selector {
        selector_uses_context = context::payload_needs(t) != 0;
        match &t.query {
            Some(q) => item_query = Some(b.query(q, 0)),
            None => item_selector = Some(b.template(t, &format!("{p}/ItemSelector"))),
        }
    }
    let max_concurrency = b
        .num_source(map.max_concurrency.as_ref())
        .unwrap_or(NumSource::Value(0));
    let distributed = map.mode == MapMode::Distributed;
    // An inline Map ignores the tolerance fields (AWS evaluates and accepts them).
    let mut threshold = |t: Option<&asl::Threshold>| match t? {
        _ if !distributed => None,
        asl::Threshold::Value(v) => Some(Threshold::Value(*v)),
        asl::Threshold::Path(x) => Some(Threshold::Path(b.path(x, true))),
        asl::Threshold::Expr(q) => Some(Threshold::Query(b.query_of(q, 0))),
    };
    let tolerated_count = threshold(map.tolerated_failure_count.as_ref());
    let tolerated_percentage = threshold(map.tolerated_failure_percentage.as_ref());
    let reader = map.item_reader.as_ref().map(|r| {
        Box::new(ReaderInfo {
            format: r.format.clone(),
            max_items: b.num_source(r.max_items.as_ref()),
            params: args(b, &r.parameters, &format!("{p}/ItemReader/Parameters")),
            pointer: format!("{p}/ItemReader").into(),
        })
    });
    let batcher = map.item_batcher.as_ref().map(|x| {
        Box::new(BatcherInfo {
            max_items: b.num_source(x.max_items.as_ref()),
            max_bytes: b.num_source(x.max_bytes.as_ref()),
            batch_input: x
                .batch_input
                .as_ref()
                .map(|t| args(b, t, &format!("{p}/ItemBatcher/BatchInput"))),
        })
    });
    let writer = map.result_writer.as_ref().map(|w| {
        Box::new(WriterInfo {
            params: args(b, &w.parameters, &format!("{p}/ResultWriter/Parameters")),
            jsonl: w.jsonl,
            transformation: w.transformation,
            pointer: format!("{p}/ResultWriter").into(),
        })
    });
    let processor = cx.nested(b, &map.processor);
    b.maps.push(MapInfo {
        processor,
        items_path,
        items,
        item_selector,
        item_query,
        selector_uses_context,
        max_concurrency,
        jsonata: s.query_language == QueryLanguage::Jsonata,
        distributed,
        tolerated_count,
        tolerated_percentage,
        reader,
        batcher,
        writer,
        label: map.label.as_deref().map(Into::into),
        express_children: map.express_children,
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

/// A payload in the pool: a JSONPath template or a JSONata one.
fn args(b: &mut Builder, t: &Payload, location: &str) -> Args {
    match &t.query {
        Some(q) => Args::Query(b.query(q, 0)),
        None => Args::Template(b.template(t, location)),
    }
}
