//! Variable scopes: each `States` block is one. A Parallel branch or a Map
//! iteration reads the variables of the blocks around it but may not
//! assign one of their names (AWS: "Variable Scope"); its own variables
//! vanish when it ends. Checked on the parsed machine, since a name may be
//! assigned by a state that comes after the Map in the definition.
//!
//! The catchers of the Parallel or Map itself do not count: they run once
//! its branches are gone (recorded: AWS accepted a branch assigning
//! `inputVar` under a Parallel whose catcher assigns it too).

use super::model::{Block, Payload, State, StateKind};
use super::pointer;
use super::reader::Ctx;

/// Reports every assignment in a nested block to a name an outer block assigns.
pub(crate) fn check(cx: &mut Ctx, top: &Block) {
    let mut outer = Vec::new();
    walk(cx, top, &mut outer);
}

fn walk(cx: &mut Ctx, block: &Block, outer: &mut Vec<String>) {
    let mark = outer.len();
    // (state index, name, pointer, from a catcher)
    let mine: Vec<(usize, Assigned)> = block
        .states
        .iter()
        .enumerate()
        .flat_map(|(i, s)| assigned(s).into_iter().map(move |a| (i, a)))
        .collect();
    for (_, a) in &mine {
        if outer[..mark].contains(&a.name) {
            cx.schema(
                &a.at,
                format!("The variable '{}' is assigned in an outer scope: a Parallel branch or a Map iteration cannot assign it", a.name),
            );
        }
    }
    for (i, s) in block.states.iter().enumerate() {
        let nested: Vec<&Block> = match &s.kind {
            StateKind::Parallel(p) => p.branches.iter().collect(),
            StateKind::Map(m) => vec![&m.processor],
            _ => continue,
        };
        let seen = mine
            .iter()
            .filter(|(j, a)| !(a.catcher && *j == i))
            .map(|(_, a)| a.name.clone());
        outer.extend(seen);
        for b in nested {
            walk(cx, b, outer);
        }
        outer.truncate(mark);
    }
}

/// One name a state assigns.
struct Assigned {
    name: String,
    /// Pointer of its field.
    at: String,
    /// Assigned by one of the state's catchers.
    catcher: bool,
}

/// The names a state assigns (its own `Assign`, its Choice rules', its catchers').
fn assigned(s: &State) -> Vec<Assigned> {
    let mut out = Vec::new();
    let mut add = |p: &Option<Payload>, at: String, catcher: bool| {
        if let Some(p) = p {
            if let serde_json::Value::Object(m) = &p.raw {
                for k in m.keys() {
                    let name = match p.template {
                        Some(_) => k.strip_suffix(".$").unwrap_or(k),
                        None => k,
                    };
                    out.push(Assigned {
                        name: name.to_owned(),
                        at: pointer::key(&at, k),
                        catcher,
                    });
                }
            }
        }
    };
    add(&s.assign, format!("{}/Assign", s.pointer), false);
    let catchers = match &s.kind {
        StateKind::Task(t) => &t.catch[..],
        StateKind::Parallel(p) => &p.catch[..],
        StateKind::Map(m) => &m.catch[..],
        StateKind::Choice(c) => {
            for (i, r) in c.choices.iter().enumerate() {
                add(
                    &r.assign,
                    format!("{}/Choices/{i}/Assign", s.pointer),
                    false,
                );
            }
            &[]
        }
        _ => &[],
    };
    for (i, c) in catchers.iter().enumerate() {
        add(&c.assign, format!("{}/Catch/{i}/Assign", s.pointer), true);
    }
    out
}
