//! The program under construction: op emission, a label registry for
//! forward jumps (patched after lowering, as wasmi does), and pools with dedup.

use crate::asl::codes::{INTERNAL, SCHEMA_VALIDATION_FAILED};
use crate::asl::{Diagnostic, NumberOrPath, Payload, Query};
use crate::bytecode::*;
use crate::json::{Doc, Val};
use crate::jsonata::QueryTemplate;
use crate::path::{Path, Template};
use std::collections::HashMap;
use std::sync::Arc;

/// A jump target not yet placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Label(pub(crate) u32);

#[derive(Clone, Copy, Debug)]
enum Slot {
    Jump,
    Then,
    Otherwise,
}

/// The ops and tables under construction.
pub(crate) struct Builder {
    pub(crate) ops: Vec<Op>,
    pub(crate) op_state: Vec<StateId>,
    pub(crate) states: Vec<StateInfo>,
    pub(crate) blocks: Vec<BlockInfo>,
    pub(crate) paths: Vec<Path>,
    path_ids: HashMap<(String, bool), PathId>,
    pub(crate) templates: Vec<Template>,
    pub(crate) const_doc: Doc,
    pub(crate) consts: Vec<Val>,
    pub(crate) tasks: Vec<TaskInfo>,
    pub(crate) tests: Vec<TestInfo>,
    pub(crate) waits: Vec<WaitInfo>,
    pub(crate) fails: Vec<FailInfo>,
    pub(crate) parallels: Vec<ParallelInfo>,
    pub(crate) maps: Vec<MapInfo>,
    pub(crate) queries: Vec<QueryInfo>,
    pub(crate) assigns: Vec<AssignInfo>,
    labels: Vec<Option<OpId>>,
    fixups: Vec<(usize, Slot, Label)>,
    /// Catcher targets to patch: (state, catcher index, label).
    pub(crate) catch_fixups: Vec<(StateId, usize, Label)>,
    pub(crate) diags: Vec<Diagnostic>,
    /// The state being lowered (ops emitted belong to it).
    pub(crate) current: StateId,
}

impl Builder {
    pub(crate) fn new() -> Self {
        Builder {
            ops: Vec::new(),
            op_state: Vec::new(),
            states: Vec::new(),
            blocks: Vec::new(),
            paths: Vec::new(),
            path_ids: HashMap::new(),
            templates: Vec::new(),
            const_doc: Doc::new(),
            consts: Vec::new(),
            tasks: Vec::new(),
            tests: Vec::new(),
            waits: Vec::new(),
            fails: Vec::new(),
            parallels: Vec::new(),
            maps: Vec::new(),
            queries: Vec::new(),
            assigns: Vec::new(),
            labels: Vec::new(),
            fixups: Vec::new(),
            catch_fixups: Vec::new(),
            diags: Vec::new(),
            current: StateId(0),
        }
    }

    pub(crate) fn pc(&self) -> OpId {
        OpId(self.ops.len() as u32)
    }

    pub(crate) fn emit(&mut self, op: Op) -> usize {
        self.ops.push(op);
        self.op_state.push(self.current);
        self.ops.len() - 1
    }

    pub(crate) fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    pub(crate) fn bind(&mut self, l: Label) {
        self.labels[l.0 as usize] = Some(self.pc());
    }

    pub(crate) fn emit_jump(&mut self, to: Label) {
        let at = self.emit(Op::Jump(OpId(u32::MAX)));
        self.fixups.push((at, Slot::Jump, to));
    }

    pub(crate) fn emit_test(&mut self, test: TestId, then: Label, otherwise: Label) {
        let at = self.emit(Op::Test {
            test,
            then: OpId(u32::MAX),
            otherwise: OpId(u32::MAX),
        });
        self.fixups.push((at, Slot::Then, then));
        self.fixups.push((at, Slot::Otherwise, otherwise));
    }

    /// A JSONata `Condition` test, its targets patched later.
    pub(crate) fn emit_condition(&mut self, query: QueryId, then: Label, otherwise: Label) {
        let at = self.emit(Op::Condition {
            query,
            then: OpId(u32::MAX),
            otherwise: OpId(u32::MAX),
        });
        self.fixups.push((at, Slot::Then, then));
        self.fixups.push((at, Slot::Otherwise, otherwise));
    }

    /// A JSONata template in the pool, with what its `$states` holds ([`sees`] bits).
    pub(crate) fn query(&mut self, t: &Arc<QueryTemplate>, sees: u8) -> QueryId {
        self.queries.push(QueryInfo {
            template: Arc::clone(t),
            sees,
        });
        QueryId(self.queries.len() as u32 - 1)
    }

    /// An `Assign` (of a state, a Choice rule or a catcher) in the pool.
    pub(crate) fn assign(&mut self, payload: &Payload, location: &str, sees: u8) -> AssignId {
        let info = match &payload.query {
            Some(q) => AssignInfo::Query(self.query(q, sees)),
            None => AssignInfo::Path(self.template(payload, location)),
        };
        self.assigns.push(info);
        AssignId(self.assigns.len() as u32 - 1)
    }

    /// Resolves every recorded jump; a label never bound is a compiler bug
    /// reported as a diagnostic rather than a panic.
    pub(crate) fn patch(&mut self) {
        for &(at, slot, l) in &self.fixups {
            let Some(target) = self.labels[l.0 as usize] else {
                self.diags
                    .push(Diagnostic::error(INTERNAL, "", "unbound jump label"));
                continue;
            };
            match (&mut self.ops[at], slot) {
                (Op::Jump(t), Slot::Jump) => *t = target,
                (Op::Test { then, .. }, Slot::Then) => *then = target,
                (Op::Test { otherwise, .. }, Slot::Otherwise) => *otherwise = target,
                (Op::Condition { then, .. }, Slot::Then) => *then = target,
                (Op::Condition { otherwise, .. }, Slot::Otherwise) => *otherwise = target,
                _ => {}
            }
        }
        for &(s, i, l) in &self.catch_fixups {
            if let Some(target) = self.labels[l.0 as usize] {
                self.states[s.idx()].catchers[i].next = target;
            }
        }
    }

    /// A new block, its entry placed when its start state is lowered.
    pub(crate) fn new_block(&mut self) -> BlockId {
        self.blocks.push(BlockInfo {
            entry: OpId(u32::MAX),
        });
        BlockId(self.blocks.len() as u32 - 1)
    }

    /// A path in the pool, shared when the same text appears twice in the
    /// same role (`reference`: a reference path).
    pub(crate) fn path(&mut self, p: &Path, reference: bool) -> PathId {
        let key = (p.source().to_owned(), reference);
        if let Some(&id) = self.path_ids.get(&key) {
            return id;
        }
        let id = PathId(self.paths.len() as u32);
        self.paths.push(p.clone());
        self.path_ids.insert(key, id);
        id
    }

    /// A payload's template in the pool (a JSONPath payload; one without a
    /// compiled template is compiled here, reporting what the template
    /// compiler finds in it).
    pub(crate) fn template(&mut self, payload: &Payload, location: &str) -> TemplateId {
        let t = match &payload.template {
            Some(t) => Template::clone(t),
            None => match Template::compile(&payload.raw) {
                Ok(t) => t,
                Err(errs) => {
                    for e in errs {
                        self.diags.push(Diagnostic::error(
                            SCHEMA_VALIDATION_FAILED,
                            format!("{location}{}", e.location),
                            e.to_string(),
                        ));
                    }
                    return TemplateId(u32::MAX);
                }
            },
        };
        let id = TemplateId(self.templates.len() as u32);
        self.templates.push(t);
        id
    }

    /// A number given as a value, a reference path or a JSONata expression.
    pub(crate) fn num_source(&mut self, n: Option<&NumberOrPath>) -> Option<NumSource> {
        match n? {
            NumberOrPath::Value(v) => Some(NumSource::Value(*v)),
            NumberOrPath::Path(x) => Some(NumSource::Path(self.path(x, true))),
            NumberOrPath::Expr(q) => Some(NumSource::Query(self.query_of(q, 0))),
        }
    }

    /// A model [`Query`] in the pool.
    pub(crate) fn query_of(&mut self, q: &Query, sees: u8) -> QueryId {
        self.query(&q.template, sees)
    }

    pub(crate) fn constant(&mut self, v: &serde_json::Value) -> ConstId {
        let val = self.const_doc.import(v);
        let id = ConstId(self.consts.len() as u32);
        self.consts.push(val);
        id
    }

    pub(crate) fn finish(self, timeout_seconds: Option<u64>) -> Result<Program, Vec<Diagnostic>> {
        if !self.diags.is_empty() {
            return Err(self.diags);
        }
        let uses_context = self.states.iter().any(|s| s.context != 0)
            || self.maps.iter().any(|m| m.selector_uses_context);
        Ok(Program {
            ops: self.ops,
            op_state: self.op_state,
            states: self.states,
            blocks: self.blocks,
            paths: self.paths,
            templates: self.templates,
            const_doc: self.const_doc,
            consts: self.consts,
            tasks: self.tasks,
            tests: self.tests,
            waits: self.waits,
            fails: self.fails,
            parallels: self.parallels,
            maps: self.maps,
            queries: self.queries,
            assigns: self.assigns,
            timeout_seconds,
            uses_context,
            store: None,
        })
    }
}
