//! A Distributed Map's items as a stream: read from an `ItemReader` one at
//! a time (or taken from the state's array), passed through `ItemSelector`,
//! and grouped into `{"Items": […], "BatchInput": …}` by an `ItemBatcher`.
//! Each child execution's input is built in its own document; a reader's
//! item with no selector is parsed straight into it, so a Map over millions
//! of lines holds only the lines its running children need.

use super::context;
use super::fiber::Fiber;
use super::idmap::IdMap;
use super::query::{self, Extra};
use super::tolerance::Tolerance;
use super::writer::Writer;
use super::ObserverCell;
use crate::bytecode::{Args, MapId, MapInfo, NumSource, Program};
use crate::error::Failure;
use crate::json::{Doc, Entry, Val};
use crate::rng::splitmix64;
use crate::store::items::{self, Items};
use std::collections::VecDeque;

/// Items a reader reads (and parses) ahead at a time.
const READ_AHEAD: usize = 2048;

/// AWS's error for a reader that could not read its items.
pub(crate) const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";

/// The state of a streamed Map Run.
pub(crate) struct Stream {
    /// The reader (`None`: the items are the state's array).
    source: Option<Box<dyn Items>>,
    /// Items taken so far (the next one's `$$.Map.Item.Index`).
    pub(crate) taken: u64,
    /// No item is left.
    pub(crate) done: bool,
    /// Items read ahead, each in its own document (or the reader's error).
    ahead: items::Ahead,
    /// Empty documents of children that ended, for the items read ahead.
    pub(crate) spare: Vec<Doc>,
    /// An item read for a batch that had no room left: the next batch's first.
    carry: Option<(Doc, Val)>,
    /// `MaxItemsPerBatch`, `MaxInputBytesPerBatch` (0: none) and `BatchInput`
    /// (in the parent's document), when batching.
    batch: Option<(u64, u64, Option<Val>)>,
    /// The running children by child index: their fiber, how many items
    /// their input holds (a batch) and when they started (ms). Only the
    /// running are kept, so a Map Run of millions of children holds as many
    /// entries as run at once.
    pub(crate) running: IdMap<(u32, u32, i64)>,
    /// Event counters of children that ended, free for the next ones.
    pub(crate) free_histories: Vec<u32>,
    /// The `ResultWriter`, when results go to the store.
    pub(crate) writer: Option<Box<Writer>>,
    /// The Map Run's failure tolerance.
    pub(crate) tol: Tolerance,
    /// Its children may be advanced on several threads (`fanout.rs`).
    pub(crate) fanout: bool,
    /// Items of the children that failed.
    pub(crate) failed: u32,
    /// How many items there are, when known before reading them (an array).
    pub(crate) total: Option<u64>,
}

impl Stream {
    /// Opens the reader of `info` (if any) and reads the batcher's limits,
    /// all evaluated over `input` of the parent fiber `f`.
    ///
    /// # Errors
    /// `States.ItemReaderFailed` for a reader that cannot start (no such
    /// object, a `Bucket` that is not a string…); the usual runtime causes
    /// for a bad `…Path` or expression.
    pub(crate) fn open(
        f: &mut Fiber,
        prog: &Program,
        now_ms: i64,
        info: &MapInfo,
        input: Val,
        (machine_arn, label): (&str, &str),
    ) -> Result<Box<Stream>, Failure> {
        let source = match &info.reader {
            None => None,
            Some(r) => {
                let params = eval_args(f, prog, now_ms, r.params, input)?;
                let text = |key: &str, f: &Fiber| -> Result<String, Failure> {
                    f.doc
                        .field(params, key)
                        .and_then(|v| f.doc.as_str(v))
                        .map(str::to_owned)
                        .ok_or_else(|| {
                            Failure::new(
                                ITEM_READER_FAILED,
                                format!("The ItemReader's parameters need a string field '{key}'"),
                            )
                        })
                };
                let list = r.format == items::Format::List;
                let bucket = text("Bucket", f)?;
                let key = if list {
                    f.doc
                        .field(params, "Prefix")
                        .and_then(|v| f.doc.as_str(v))
                        .unwrap_or("")
                        .to_owned()
                } else {
                    text("Key", f)?
                };
                let max = match r.max_items {
                    Some(n) => number(f, prog, now_ms, n, input, "MaxItems")?,
                    None => 0,
                };
                let Some(store) = prog.store.as_deref() else {
                    return Err(Failure::new(ITEM_READER_FAILED, "no object store"));
                };
                let opened = items::open(store, &r.format, &bucket, &key, max)
                    .map_err(|e| Failure::new(ITEM_READER_FAILED, e.0))?;
                Some(opened)
            }
        };
        let batch = match &info.batcher {
            None => None,
            Some(b) => {
                let n = |src: Option<NumSource>, what, f: &mut Fiber| match src {
                    Some(s) => number(f, prog, now_ms, s, input, what),
                    None => Ok(0),
                };
                let max_items = n(b.max_items, "MaxItemsPerBatch", f)?;
                let max_bytes = n(b.max_bytes, "MaxInputBytesPerBatch", f)?;
                let batch_input = match b.batch_input {
                    Some(a) => Some(eval_args(f, prog, now_ms, a, input)?),
                    None => None,
                };
                Some((max_items, max_bytes, batch_input))
            }
        };
        let writer = match &info.writer {
            None => None,
            Some(w) => {
                let params = eval_args(f, prog, now_ms, w.params, input)?;
                let field = |key: &str, f: &Fiber| {
                    f.doc
                        .field(params, key)
                        .and_then(|v| f.doc.as_str(v))
                        .map(str::to_owned)
                };
                let Some(bucket) = field("Bucket", f) else {
                    return Err(Failure::new(
                        super::writer::RESULT_WRITER_FAILED,
                        "The ResultWriter's parameters need a string field 'Bucket'",
                    ));
                };
                let prefix = field("Prefix", f).unwrap_or_default();
                let seed = splitmix64(&mut f.rng);
                Some(Box::new(Writer::new(
                    machine_arn,
                    label,
                    seed,
                    (bucket, prefix),
                    w.jsonl,
                    w.transformation,
                )))
            }
        };
        Ok(Box::new(Stream {
            tol: Tolerance::NONE,
            fanout: false,
            failed: 0,
            total: None,
            writer,
            source,
            taken: 0,
            done: false,
            carry: None,
            ahead: VecDeque::new(),
            spare: Vec::new(),
            batch,
            running: IdMap::default(),
            free_histories: Vec::new(),
        }))
    }

    /// The next child's input, in `doc`, and how many items it holds;
    /// `None` when no item is left.
    ///
    /// # Errors
    /// `States.ItemReaderFailed` for a line or row that cannot be read; a
    /// failing `ItemSelector`'s error.
    pub(crate) fn next_input(
        &mut self,
        pf: &mut Fiber,
        prog: &Program,
        now_ms: i64,
        info: &MapInfo,
        (items, input): (Val, Val),
        doc: &mut Doc,
    ) -> Result<Option<(Val, u32)>, Failure> {
        let Some((max_items, max_bytes, batch_input)) = self.batch else {
            let v = self.item(pf, prog, now_ms, info, (items, input), doc)?;
            return Ok(v.map(|v| (v, 1)));
        };
        let max_items = if max_items == 0 { u64::MAX } else { max_items };
        let max_bytes = if max_bytes == 0 { u64::MAX } else { max_bytes };
        let batch_input = batch_input.map(|v| doc.copy_from(&pf.doc, v));
        // `{"Items":[],"BatchInput":…}` around the items.
        let mut bytes = 12 + batch_input.map_or(0, |v| 14 + doc.to_json(v).len() as u64);
        let mut list = Vec::new();
        while (list.len() as u64) < max_items {
            let item = match self.carry.take() {
                Some((d, v)) => Some(doc.copy_from(&d, v)),
                None => self.item(pf, prog, now_ms, info, (items, input), doc)?,
            };
            let Some(v) = item else { break };
            // Measured only against a byte limit.
            let size = if max_bytes == u64::MAX {
                0
            } else {
                doc.to_json(v).len() as u64 + 1
            };
            if !list.is_empty() && bytes + size > max_bytes {
                let mut d = Doc::new();
                let c = d.copy_from(doc, v);
                self.carry = Some((d, c));
                break;
            }
            bytes += size;
            list.push(v);
        }
        if list.is_empty() {
            return Ok(None);
        }
        let n = list.len() as u32;
        let arr = doc.array(&list);
        let mut entries = vec![Entry {
            key: doc.key("Items"),
            val: arr,
        }];
        if let Some(b) = batch_input {
            entries.push(Entry {
                key: doc.key("BatchInput"),
                val: b,
            });
        }
        Ok(Some((doc.object(&entries), n)))
    }

    /// Keeps the document of a child that ended (emptied) for the items
    /// read next, so a Map Run of millions allocates as many as run at once.
    /// Child `idx` of the Distributed Map `map` ended at `now_ms` (`ok`: it
    /// succeeded): it no longer runs, its event counter `history` is free
    /// for the next child, and the observer learns how long it ran. How many
    /// items its input held (a batch holds several).
    pub(crate) fn child_ended(
        &mut self,
        (map, idx, history): (MapId, u32, u32),
        ok: bool,
        now_ms: i64,
        obs: Option<&ObserverCell>,
    ) -> u32 {
        let (items, started) = self
            .running
            .remove(&idx)
            .map_or((1, now_ms), |(_, n, t)| (n, t));
        self.free_histories.push(history);
        if let Some(o) = obs {
            o.borrow_mut().child_ended(map, ok, now_ms - started);
        }
        items
    }

    pub(crate) fn give_back(&mut self, mut d: Doc) {
        if self.spare.len() < 2 * READ_AHEAD && d.bytes() <= 64 << 10 {
            d.reset();
            self.spare.push(d);
        }
    }

    /// One item, through `ItemSelector`, in `doc`.
    fn item(
        &mut self,
        pf: &mut Fiber,
        prog: &Program,
        now_ms: i64,
        info: &MapInfo,
        (items, input): (Val, Val),
        doc: &mut Doc,
    ) -> Result<Option<Val>, Failure> {
        if self.done {
            return Ok(None);
        }
        let plain = info.item_selector.is_none() && info.item_query.is_none();
        let index = self.taken as usize;
        let raw = match self.source.as_mut() {
            Some(src) => {
                if self.ahead.is_empty() {
                    src.next_many(READ_AHEAD, &mut self.spare, &mut self.ahead);
                }
                match self.ahead.pop_front() {
                    None => None,
                    Some(Err(e)) => return Err(Failure::new(ITEM_READER_FAILED, e.0)),
                    // A child's input as it was read: its document.
                    Some(Ok((d, v))) if plain && self.batch.is_none() => {
                        let fresh = std::mem::replace(doc, d);
                        self.give_back(fresh);
                        Some(v)
                    }
                    Some(Ok((d, v))) => {
                        let target = if plain { &mut *doc } else { &mut pf.doc };
                        let c = target.copy_from(&d, v);
                        self.give_back(d);
                        Some(c)
                    }
                }
            }
            None => pf
                .doc
                .as_array(items)
                .and_then(|a| a.get(index).copied())
                .map(|v| if plain { doc.copy_from(&pf.doc, v) } else { v }),
        };
        let Some(item) = raw else {
            self.done = true;
            self.source = None;
            return Ok(None);
        };
        self.taken += 1;
        if plain {
            return Ok(Some(item));
        }
        let sel = select(pf, prog, now_ms, info, input, index, item)?;
        Ok(Some(doc.copy_from(&pf.doc, sel)))
    }
}

/// `ItemSelector` over one item, in the parent's document.
fn select(
    pf: &mut Fiber,
    prog: &Program,
    now_ms: i64,
    info: &MapInfo,
    input: Val,
    index: usize,
    item: Val,
) -> Result<Val, Failure> {
    if let Some(q) = info.item_query {
        let ctx = context::with_map_item(&mut pf.doc, pf.ctx, index, item);
        let extra = Extra {
            error_output: None,
            ctx: Some(ctx),
        };
        return query::eval(pf, prog, now_ms, q, extra);
    }
    let Some(t) = info.item_selector else {
        return Ok(item);
    };
    let ctx = if info.selector_uses_context {
        context::with_map_item(&mut pf.doc, pf.ctx, index, item)
    } else {
        pf.ctx
    };
    let mut rng = pf.rng;
    let mut entropy = || splitmix64(&mut rng);
    let r = prog.templates[t.idx()].eval_with(&mut pf.doc, input, ctx, pf.vars, &mut entropy);
    pf.rng = rng;
    r
}

/// A payload over `input` in the fiber's document.
fn eval_args(
    f: &mut Fiber,
    prog: &Program,
    now_ms: i64,
    a: Args,
    input: Val,
) -> Result<Val, Failure> {
    match a {
        Args::Query(q) => query::eval(f, prog, now_ms, q, Extra::default()),
        Args::Template(t) => {
            let mut rng = f.rng;
            let mut entropy = || splitmix64(&mut rng);
            let r =
                prog.templates[t.idx()].eval_with(&mut f.doc, input, f.ctx, f.vars, &mut entropy);
            f.rng = rng;
            r
        }
    }
}

/// A positive count read from a literal, a `…Path` or an expression.
fn number(
    f: &mut Fiber,
    prog: &Program,
    now_ms: i64,
    src: NumSource,
    input: Val,
    what: &str,
) -> Result<u64, Failure> {
    match src {
        NumSource::Value(v) => Ok(v),
        NumSource::Query(q) => query::integer(f, prog, now_ms, q, what),
        NumSource::Path(p) => {
            let path = &prog.paths[p.idx()];
            let v = path.select_with(&mut f.doc, input, f.ctx, f.vars);
            match v.and_then(|v| f.doc.as_i64(v)) {
                Some(n) if n >= 0 => Ok(n as u64),
                _ => Err(Failure::runtime(format!(
                    "The {what}Path field refers to a value that is not a valid non-negative integer: {}",
                    path.source()
                ))),
            }
        }
    }
}
