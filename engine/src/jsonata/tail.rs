//! Tail-call marking: a lambda body's call in tail position (through
//! conditions and blocks) becomes a thunk that the evaluator's trampoline
//! runs in constant stack.

use super::ast::{LambdaDef, Node, NK};

/// `expr` with its tail-position calls wrapped in thunks.
pub(crate) fn tail_call(expr: Node) -> Node {
    match expr.kind {
        NK::Call(_, _, false) if expr.predicate.is_empty() => {
            let pos = expr.pos;
            Node::new(
                NK::Lambda(Box::new(LambdaDef {
                    params: Vec::new(),
                    sig: None,
                    body: expr,
                    thunk: true,
                })),
                pos,
            )
        }
        NK::Cond(c, t, e) => {
            let mut n = Node {
                kind: NK::Null,
                ..expr
            };
            n.kind = NK::Cond(
                c,
                Box::new(tail_call(*t)),
                e.map(|e| Box::new(tail_call(*e))),
            );
            n
        }
        NK::Block(mut items) => {
            if let Some(last) = items.pop() {
                items.push(tail_call(last));
            }
            Node {
                kind: NK::Block(items),
                ..expr
            }
        }
        _ => expr,
    }
}
