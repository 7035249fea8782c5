//! The Distributed Map states of a program, for the simulation's report:
//! each one's name, child execution type, and the states its children run
//! (their transitions are billed to the children, not to the parent).

use crate::bytecode::{BlockId, Op, Program};

/// A Distributed Map state of the program.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DistributedMap {
    /// Its index in `Program::maps`.
    pub(crate) map: usize,
    /// The Map state's name.
    pub(crate) name: String,
    /// `ExecutionType: EXPRESS`.
    pub(crate) express: bool,
    /// States (indexes of `Program::states`) whose innermost enclosing
    /// Distributed Map is this one.
    pub(crate) states: Vec<usize>,
}

/// Every Distributed Map of `prog`, in the order of `Program::maps`.
pub(crate) fn distributed_maps(prog: &Program) -> Vec<DistributedMap> {
    // Each block's enclosing block, and the map whose processor it is.
    let mut parent: Vec<Option<(BlockId, Option<usize>)>> = vec![None; prog.blocks.len()];
    let mut owner_state: Vec<Option<usize>> = vec![None; prog.maps.len()];
    for (i, op) in prog.ops.iter().enumerate() {
        let Some(state) = prog.op_state.get(i) else {
            continue;
        };
        let outer = prog.states[state.idx()].block;
        match op {
            Op::Map(m) => {
                owner_state[m.idx()] = Some(state.idx());
                let info = &prog.maps[m.idx()];
                parent[info.processor.idx()] = Some((outer, info.distributed.then_some(m.idx())));
            }
            Op::Parallel(p) => {
                for b in &prog.parallels[p.idx()].branches {
                    parent[b.idx()] = Some((outer, None));
                }
            }
            _ => {}
        }
    }
    // The innermost Distributed Map of a block (bounded walk: blocks nest
    // as a tree, so at most one step per block).
    let innermost = |mut b: BlockId| {
        for _ in 0..prog.blocks.len() {
            match parent[b.idx()] {
                Some((_, Some(m))) => return Some(m),
                Some((outer, None)) => b = outer,
                None => return None,
            }
        }
        None
    };
    let mut out: Vec<DistributedMap> = prog
        .maps
        .iter()
        .enumerate()
        .filter(|(_, m)| m.distributed)
        .map(|(i, m)| DistributedMap {
            map: i,
            name: owner_state[i].map_or_else(String::new, |s| prog.states[s].name.to_string()),
            express: m.express_children,
            states: Vec::new(),
        })
        .collect();
    for (s, st) in prog.states.iter().enumerate() {
        if let Some(m) = innermost(st.block) {
            if let Some(d) = out.iter_mut().find(|d| d.map == m) {
                d.states.push(s);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handlers::Registry;

    fn program(def: &str) -> Program {
        let d = crate::Definition::parse(def, crate::MachineType::Standard).expect("valid");
        crate::compile::compile(d.state_machine(), &Registry::default()).expect("compiles")
    }

    #[test]
    fn finds_each_distributed_map_and_the_states_of_its_children() {
        let prog = program(
            r#"{"StartAt":"Outer","States":{
              "Outer":{"Type":"Map","ItemProcessor":{
                 "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                 "StartAt":"P","States":{
                   "P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"Next":"Inline"},
                   "Inline":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}},
               "Next":"Std"},
              "Std":{"Type":"Map","ItemProcessor":{
                 "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                 "StartAt":"S","States":{"S":{"Type":"Pass","End":true}}},"End":true}}}"#,
        );
        let d = distributed_maps(&prog);
        let names = |ix: &[usize]| {
            let mut v: Vec<&str> = ix.iter().map(|&s| &*prog.states[s].name).collect();
            v.sort_unstable();
            v
        };
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].name.as_str(), d[0].express), ("Outer", true));
        // A Parallel's branch and an inline Map's iterations inside the
        // child run in the child; the Map state itself runs in the parent.
        assert_eq!(names(&d[0].states), ["B", "I", "Inline", "P"]);
        assert_eq!((d[1].name.as_str(), d[1].express), ("Std", false));
        assert_eq!(names(&d[1].states), ["S"]);
    }

    #[test]
    fn an_inline_map_is_not_one() {
        let prog = program(
            r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}"#,
        );
        assert!(distributed_maps(&prog).is_empty());
    }
}
