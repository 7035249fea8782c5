//! Lowering of blocks and states into ops.

use super::builder::{Builder, Label};
use super::{choice, retry};
use crate::asl::{
    self, Block, FailField, NumberOrPath, QueryLanguage, State, StateKind, StateMachine, Transition,
};
use crate::bytecode::*;
use crate::handlers::Registry;
use crate::path::Expr;
use crate::Diagnostic;
use std::collections::{HashMap, VecDeque};

struct Ctx<'a> {
    handlers: &'a Registry,
    queue: VecDeque<(BlockId, &'a Block)>,
}

pub(super) fn lower_machine(b: &mut Builder, sm: &StateMachine, handlers: &Registry) {
    let mut cx = Ctx {
        handlers,
        queue: VecDeque::new(),
    };
    let top = new_block(b);
    cx.queue.push_back((top, &sm.block));
    while let Some((id, block)) = cx.queue.pop_front() {
        lower_block(b, &mut cx, id, block);
    }
}

fn new_block(b: &mut Builder) -> BlockId {
    b.blocks.push(BlockInfo {
        entry: OpId(u32::MAX),
    });
    BlockId(b.blocks.len() as u32 - 1)
}

fn lower_block<'a>(b: &mut Builder, cx: &mut Ctx<'a>, id: BlockId, block: &'a Block) {
    let labels: HashMap<&str, Label> = block
        .states
        .iter()
        .map(|s| (s.name.as_str(), b.label()))
        .collect();
    let mut label_of = |b: &mut Builder, name: &str| -> Label {
        match labels.get(name) {
            Some(&l) => l,
            None => {
                b.diags.push(Diagnostic::error(
                    "MISSING_TRANSITION_TARGET",
                    block.pointer.clone(),
                    format!("no state named {name:?} in this block"),
                ));
                b.label()
            }
        }
    };
    let mut start = None;
    for s in &block.states {
        let entry = lower_state(b, cx, id, s, labels[s.name.as_str()], &mut label_of);
        if s.name == block.start_at {
            start = Some(entry);
        }
    }
    match start {
        Some(e) => b.blocks[id.idx()].entry = e,
        None => b.diags.push(Diagnostic::error(
            "MISSING_TRANSITION_TARGET",
            format!("{}/StartAt", block.pointer),
            format!("no state named {:?}", block.start_at),
        )),
    }
}

fn lower_state<'a>(
    b: &mut Builder,
    cx: &mut Ctx<'a>,
    block: BlockId,
    s: &'a State,
    label: Label,
    label_of: &mut impl FnMut(&mut Builder, &str) -> Label,
) -> OpId {
    let sid = StateId(b.states.len() as u32);
    let p = s.pointer.as_str();
    if s.query_language == QueryLanguage::Jsonata {
        b.diags.push(Diagnostic::error(
            "UNSUPPORTED_FEATURE",
            format!("{p}/QueryLanguage"),
            "JSONata states are not supported yet",
        ));
    }
    if s.assign.is_some() {
        b.diags.push(Diagnostic::error(
            "UNSUPPORTED_FEATURE",
            format!("{p}/Assign"),
            "variables (Assign) are not supported yet",
        ));
    }
    b.states.push(StateInfo {
        name: s.name.as_str().into(),
        pointer: p.into(),
        kind: state_type(&s.kind),
        block,
        entry: OpId(u32::MAX),
        retry_point: OpId(u32::MAX),
        retriers: Vec::new(),
        catchers: Vec::new(),
        context: context_needs(s),
    });
    b.current = sid;
    b.bind(label);
    let entry = b.pc();
    b.emit(Op::Enter(sid));
    b.states[sid.idx()].entry = entry;
    b.states[sid.idx()].retry_point = b.pc();

    match &s.kind {
        StateKind::Pass(pass) => {
            input_path(b, s);
            if let Some(t) = &pass.parameters {
                let t = b.template(t, &format!("{p}/Parameters"));
                b.emit(Op::Parameters(t));
            }
            match &pass.result {
                Some(r) => {
                    let c = b.constant(r);
                    b.emit(Op::ResultConst(c));
                }
                None => {
                    b.emit(Op::ResultIsInput);
                }
            }
            result_path(b, pass.result_path.as_deref(), p);
            output_and_next(b, s, label_of);
        }
        StateKind::Task(task) => {
            input_path(b, s);
            if let Some(t) = &task.parameters {
                let t = b.template(t, &format!("{p}/Parameters"));
                b.emit(Op::Parameters(t));
            }
            let handler = cx.handlers.resolve(&task.resource).unwrap_or_else(|| {
                b.diags.push(Diagnostic::error(
                    "NO_HANDLER",
                    format!("{p}/Resource"),
                    format!("no task handler is registered for resource {:?} (register one, or run with --echo-tasks)", task.resource),
                ));
                HandlerId(u32::MAX)
            });
            let timeout = num_source(b, task.timeout.as_ref(), &format!("{p}/TimeoutSecondsPath"));
            let heartbeat = num_source(
                b,
                task.heartbeat.as_ref(),
                &format!("{p}/HeartbeatSecondsPath"),
            );
            let flavor = if task.resource.starts_with("arn:aws:lambda:") {
                TaskFlavor::Lambda
            } else {
                TaskFlavor::Service
            };
            b.tasks.push(TaskInfo {
                resource: task.resource.as_str().into(),
                handler,
                timeout,
                heartbeat,
                flavor,
            });
            b.emit(Op::Invoke(TaskId(b.tasks.len() as u32 - 1)));
            after_result(
                b,
                s,
                task.result_selector.as_ref(),
                task.result_path.as_deref(),
                label_of,
            );
            errors(b, sid, &task.retry, &task.catch, p, label_of);
        }
        StateKind::Parallel(par) => {
            input_path(b, s);
            if let Some(t) = &par.parameters {
                let t = b.template(t, &format!("{p}/Parameters"));
                b.emit(Op::Parameters(t));
            }
            let branches = par
                .branches
                .iter()
                .map(|br| {
                    let id = new_block(b);
                    cx.queue.push_back((id, br));
                    id
                })
                .collect();
            b.parallels.push(ParallelInfo { branches });
            b.emit(Op::Parallel(ParallelId(b.parallels.len() as u32 - 1)));
            after_result(
                b,
                s,
                par.result_selector.as_ref(),
                par.result_path.as_deref(),
                label_of,
            );
            errors(b, sid, &par.retry, &par.catch, p, label_of);
        }
        StateKind::Map(map) => {
            // A Distributed Map over state data (no reader, batcher, writer or
            // tolerance) gives the results an inline Map gives; the rest is not built yet.
            let distributed_only = [
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
            for (field, present) in distributed_only {
                if present {
                    b.diags.push(Diagnostic::error(
                        "UNSUPPORTED_FEATURE",
                        format!("{p}/{field}"),
                        format!("Distributed Map {field} is not supported yet"),
                    ));
                }
            }
            input_path(b, s);
            let items_path = b.path(&map.items_path, false, &format!("{p}/ItemsPath"));
            let (item_selector, selector_uses_context) = match &map.item_selector {
                Some(t) => (
                    Some(b.template(t, &format!("{p}/ItemSelector"))),
                    super::context::needs_of_value(t) != 0,
                ),
                None => (None, false),
            };
            let max_concurrency = num_source(
                b,
                map.max_concurrency.as_ref(),
                &format!("{p}/MaxConcurrencyPath"),
            )
            .unwrap_or(NumSource::Value(0));
            let processor = new_block(b);
            cx.queue.push_back((processor, &map.processor));
            b.maps.push(MapInfo {
                processor,
                items_path,
                item_selector,
                selector_uses_context,
                max_concurrency,
                distributed: map.mode == asl::MapMode::Distributed,
            });
            b.emit(Op::Map(MapId(b.maps.len() as u32 - 1)));
            after_result(
                b,
                s,
                map.result_selector.as_ref(),
                map.result_path.as_deref(),
                label_of,
            );
            errors(b, sid, &map.retry, &map.catch, p, label_of);
        }
        StateKind::Wait(w) => {
            input_path(b, s);
            let info = match w {
                asl::Wait::Seconds(n) => WaitInfo::Seconds(*n),
                asl::Wait::SecondsPath(x) => {
                    WaitInfo::SecondsPath(b.path(x, true, &format!("{p}/SecondsPath")))
                }
                asl::Wait::Timestamp(t) => match crate::time::parse_rfc3339(t) {
                    Some(ns) => WaitInfo::Timestamp(ns),
                    None => {
                        b.diags.push(Diagnostic::error(
                            "SCHEMA_VALIDATION_FAILED",
                            format!("{p}/Timestamp"),
                            "String does not match RFC3339 timestamp",
                        ));
                        WaitInfo::Seconds(0)
                    }
                },
                asl::Wait::TimestampPath(x) => {
                    WaitInfo::TimestampPath(b.path(x, true, &format!("{p}/TimestampPath")))
                }
                asl::Wait::Expr { .. } => WaitInfo::Seconds(0),
            };
            b.waits.push(info);
            b.emit(Op::Wait(WaitId(b.waits.len() as u32 - 1)));
            output_and_next(b, s, label_of);
        }
        StateKind::Succeed => {
            input_path(b, s);
            output_path(b, s);
            b.emit(Op::End);
        }
        StateKind::Fail(f) => {
            let error = fail_source(b, f.error.as_ref(), &format!("{p}/ErrorPath"));
            let cause = fail_source(b, f.cause.as_ref(), &format!("{p}/CausePath"));
            b.fails.push(FailInfo { error, cause });
            b.emit(Op::Fail(FailId(b.fails.len() as u32 - 1)));
        }
        StateKind::Choice(c) => {
            input_path(b, s);
            choice::lower(b, s, c, label_of);
        }
    }
    entry
}

fn state_type(k: &StateKind) -> StateType {
    match k {
        StateKind::Pass(_) => StateType::Pass,
        StateKind::Task(_) => StateType::Task,
        StateKind::Choice(_) => StateType::Choice,
        StateKind::Wait(_) => StateType::Wait,
        StateKind::Succeed => StateType::Succeed,
        StateKind::Fail(_) => StateType::Fail,
        StateKind::Parallel(_) => StateType::Parallel,
        StateKind::Map(_) => StateType::Map,
    }
}

fn input_path(b: &mut Builder, s: &State) {
    match s.input_path.as_deref() {
        None => {
            b.emit(Op::InputNull);
        }
        Some("$") => {}
        Some(x) => {
            let id = b.path(x, false, &format!("{}/InputPath", s.pointer));
            b.emit(Op::InputPath(id));
        }
    }
}

pub(super) fn output_path(b: &mut Builder, s: &State) {
    match s.output_path.as_deref() {
        None => {
            b.emit(Op::OutputNull);
        }
        Some("$") => {}
        Some(x) => {
            let id = b.path(x, false, &format!("{}/OutputPath", s.pointer));
            b.emit(Op::OutputPath(id));
        }
    }
}

fn result_path(b: &mut Builder, path: Option<&str>, pointer: &str) {
    let op = match retry::result_target(b, path, &format!("{pointer}/ResultPath")) {
        ResultTarget::Root => Op::ResultRoot,
        ResultTarget::Discard => Op::ResultDiscard,
        ResultTarget::Path(x) => Op::ResultPath(x),
    };
    b.emit(op);
}

fn after_result(
    b: &mut Builder,
    s: &State,
    selector: Option<&serde_json::Value>,
    rp: Option<&str>,
    label_of: &mut impl FnMut(&mut Builder, &str) -> Label,
) {
    if let Some(t) = selector {
        let t = b.template(t, &format!("{}/ResultSelector", s.pointer));
        b.emit(Op::ResultSelector(t));
    }
    result_path(b, rp, &s.pointer);
    output_and_next(b, s, label_of);
}

fn output_and_next(
    b: &mut Builder,
    s: &State,
    label_of: &mut impl FnMut(&mut Builder, &str) -> Label,
) {
    output_path(b, s);
    match &s.transition {
        Transition::Next(n) => {
            let l = label_of(b, n);
            b.emit_jump(l);
        }
        Transition::End | Transition::None => {
            b.emit(Op::End);
        }
    }
}

fn errors(
    b: &mut Builder,
    sid: StateId,
    retry: &[asl::Retrier],
    catch: &[asl::Catcher],
    pointer: &str,
    label_of: &mut impl FnMut(&mut Builder, &str) -> Label,
) {
    let retriers = retry::retriers(retry);
    let catchers = retry::catchers(b, sid, catch, pointer, label_of);
    let st = &mut b.states[sid.idx()];
    st.retriers = retriers;
    st.catchers = catchers;
}

fn num_source(b: &mut Builder, n: Option<&NumberOrPath>, location: &str) -> Option<NumSource> {
    match n? {
        NumberOrPath::Value(v) => Some(NumSource::Value(*v)),
        NumberOrPath::Path(x) => Some(NumSource::Path(b.path(x, true, location))),
        NumberOrPath::Expr(_) => None,
    }
}

fn fail_source(b: &mut Builder, f: Option<&FailField>, location: &str) -> Option<FailSource> {
    match f? {
        FailField::Literal(s) => Some(FailSource::Literal(s.as_str().into())),
        FailField::Path(x) => match Expr::parse(x) {
            Ok(e) => Some(FailSource::Expr(Box::new(e))),
            Err(e) => {
                b.diags.push(Diagnostic::error(
                    "SCHEMA_VALIDATION_FAILED",
                    location,
                    format!("invalid path or intrinsic {x:?}: {}", e.message),
                ));
                None
            }
        },
    }
}

/// Which parts of `$$` a state reads: entering it builds just those.
fn context_needs(s: &State) -> u16 {
    use super::context::{needs_of, needs_of_value};
    let p = |x: &Option<String>| x.as_deref().map_or(0, needs_of);
    let t = |x: &Option<serde_json::Value>| x.as_ref().map_or(0, needs_of_value);
    let base = p(&s.input_path) | p(&s.output_path);
    base | match &s.kind {
        StateKind::Pass(x) => t(&x.parameters),
        StateKind::Task(x) => {
            t(&x.parameters)
                | t(&x.result_selector)
                | num_needs(x.timeout.as_ref())
                | num_needs(x.heartbeat.as_ref())
        }
        StateKind::Parallel(x) => t(&x.parameters) | t(&x.result_selector),
        StateKind::Map(x) => {
            // The ItemSelector reads `$$` (with `$$.Map`) when each item starts.
            t(&x.item_selector)
                | t(&x.result_selector)
                | needs_of(&x.items_path)
                | num_needs(x.max_concurrency.as_ref())
        }
        StateKind::Choice(c) => c
            .choices
            .iter()
            .fold(0, |n, r| n | choice::rule_context_needs(&r.rule)),
        StateKind::Wait(w) => match w {
            asl::Wait::SecondsPath(q) | asl::Wait::TimestampPath(q) => needs_of(q),
            _ => 0,
        },
        StateKind::Fail(f) => [&f.error, &f.cause].iter().fold(0, |n, x| match x {
            Some(FailField::Path(q)) => n | needs_of(q),
            _ => n,
        }),
        StateKind::Succeed => 0,
    }
}

fn num_needs(n: Option<&NumberOrPath>) -> u16 {
    match n {
        Some(NumberOrPath::Path(q)) => super::context::needs_of(q),
        _ => 0,
    }
}
