//! The context object (`$$`), built in the fiber's document when a state
//! that reads it is entered.

use super::fiber::Fiber;
use super::ExecInfo;
use crate::bytecode::{ctx, StateInfo, StateType};
use crate::json::{Doc, Entry, Val};
use crate::time::iso8601;

fn obj(doc: &mut Doc, fields: &[(&str, Val)]) -> Val {
    let entries: Vec<Entry> = fields
        .iter()
        .map(|(k, v)| Entry {
            key: doc.key(k),
            val: *v,
        })
        .collect();
    doc.object(&entries)
}

/// `$$.Execution` and `$$.StateMachine`, built once per fiber and reused by every state.
fn execution_and_machine(f: &mut Fiber, info: &ExecInfo) -> (Val, Val) {
    if let Some(pair) = f.ctx_base {
        return pair;
    }
    let input = exec_input(f, info);
    let m = &info.machine;
    let d = &mut f.doc;
    let exec_name = info.name();
    let id = d.str(&info.execution_arn_for(&exec_name));
    let start = d.str(&iso8601(info.start_ms));
    let name = d.str(&exec_name);
    let role = d.str(&m.role_arn);
    let redrive = d.int(0);
    let mut fields = if m.express {
        vec![
            ("Id", id),
            ("Input", input),
            ("Name", name),
            ("RoleArn", role),
            ("StartTime", start),
        ]
    } else {
        vec![
            ("Id", id),
            ("Input", input),
            ("StartTime", start),
            ("Name", name),
            ("RoleArn", role),
        ]
    };
    if m.redrivable {
        fields.push(("RedriveCount", redrive));
    }
    let execution = obj(d, &fields);
    let sm_id = d.str(&m.arn);
    let sm_name = d.str(&m.name);
    let machine = obj(d, &[("Id", sm_id), ("Name", sm_name)]);
    f.ctx_base = Some((execution, machine));
    (execution, machine)
}

/// Builds `$$` for the state the fiber just entered: the parts the state
/// reads (`st.context`), or all of it.
pub(crate) fn build(f: &mut Fiber, info: &ExecInfo, st: &StateInfo) -> Val {
    let needs = st.context;
    let all = needs & ctx::ALL != 0;
    let mut top: Vec<(&str, Val)> = Vec::with_capacity(3);
    let exec_bits = ctx::EXEC_INPUT
        | ctx::EXEC_ID
        | ctx::EXEC_NAME
        | ctx::EXEC_START
        | ctx::EXEC_ROLE
        | ctx::EXEC_REDRIVE;
    if all || needs & (ctx::EXEC_ALL | ctx::MACHINE) != 0 {
        let (execution, machine) = execution_and_machine(f, info);
        top.push(("Execution", execution));
        top.push(("StateMachine", machine));
    } else if needs & exec_bits != 0 {
        let execution = partial_execution(f, info, needs);
        top.push(("Execution", execution));
    }
    if all
        || needs & (ctx::STATE_ALL | ctx::STATE_NAME | ctx::STATE_ENTERED | ctx::STATE_RETRY) != 0
    {
        let state = state_object(f, st);
        top.push(("State", state));
    }
    obj(&mut f.doc, &top)
}

/// `$$.Execution` with only the fields the state reads.
fn partial_execution(f: &mut Fiber, info: &ExecInfo, needs: u16) -> Val {
    let mut fields: Vec<(&str, Val)> = Vec::with_capacity(2);
    if needs & ctx::EXEC_INPUT != 0 {
        let input = exec_input(f, info);
        fields.push(("Input", input));
    }
    let d = &mut f.doc;
    if needs & (ctx::EXEC_ID | ctx::EXEC_NAME) != 0 {
        let name = info.name();
        if needs & ctx::EXEC_ID != 0 {
            fields.push(("Id", d.str(&info.execution_arn_for(&name))));
        }
        if needs & ctx::EXEC_NAME != 0 {
            fields.push(("Name", d.str(&name)));
        }
    }
    if needs & ctx::EXEC_START != 0 {
        fields.push(("StartTime", d.str(&iso8601(info.start_ms))));
    }
    if needs & ctx::EXEC_ROLE != 0 {
        fields.push(("RoleArn", d.str(&info.machine.role_arn)));
    }
    if needs & ctx::EXEC_REDRIVE != 0 && info.machine.redrivable {
        fields.push(("RedriveCount", d.int(0)));
    }
    obj(d, &fields)
}

fn exec_input(f: &mut Fiber, info: &ExecInfo) -> Val {
    match (f.exec_input, &info.input) {
        (Some(v), _) => v,
        (None, Some(b)) => {
            let v = f.doc.copy_from(&b.0, b.1);
            f.exec_input = Some(v);
            v
        }
        (None, None) => Doc::NULL,
    }
}

/// `$$.State` for the state just entered.
fn state_object(f: &mut Fiber, st: &StateInfo) -> Val {
    let d = &mut f.doc;
    let entered = d.str(&iso8601(f.entered_ms));
    let sname = d.str(&st.name);
    if matches!(
        st.kind,
        StateType::Task | StateType::Parallel | StateType::Map
    ) {
        let rc = d.int(i64::from(f.retry_count));
        obj(
            d,
            &[
                ("EnteredTime", entered),
                ("Name", sname),
                ("RetryCount", rc),
            ],
        )
    } else {
        obj(d, &[("Name", sname), ("EnteredTime", entered)])
    }
}

/// `$$` with `Map.Item.Index` / `Map.Item.Value` added, for an ItemSelector.
pub(crate) fn with_map_item(doc: &mut Doc, ctx: Val, index: usize, value: Val) -> Val {
    let i = doc.int(index as i64);
    let item = obj(doc, &[("Index", i), ("Value", value)]);
    let map = obj(doc, &[("Item", item)]);
    if doc.as_object(ctx).is_some() {
        doc.with_field(ctx, "Map", map)
    } else {
        obj(doc, &[("Map", map)])
    }
}
