//! Payload templates (`Parameters`, `ResultSelector`, `ItemSelector`):
//! `"key.$"` fields become paths or intrinsic calls; everything else is a
//! constant kept in the template's own small document and copied in.

use super::{causes, Entropy, Expr, Scope, TemplateError, TemplateErrorKind};
use crate::error::Failure;
use crate::json::{Doc, Entry, Val};

/// One node of a compiled template.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// A subtree with nothing to evaluate, stored in `Template::consts`.
    Const(Val),
    /// An object with at least one dynamic member, in the template's order.
    Object(Box<[(Box<str>, Node)]>),
    /// An array with at least one dynamic item.
    Array(Box<[Node]>),
    /// A `"key.$"` value; `field` is the key with its `.$` (for causes).
    Dynamic { expr: Expr, field: Box<str> },
}

/// Escapes a member name for a JSON pointer.
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Compiles `raw` at JSON pointer `at`, storing constants in `consts`.
pub(crate) fn compile(
    raw: &serde_json::Value,
    at: &str,
    consts: &mut Doc,
    errors: &mut Vec<TemplateError>,
) -> Node {
    match raw {
        serde_json::Value::Object(map) => {
            let mut members = Vec::with_capacity(map.len());
            let mut dynamic = false;
            for (key, value) in map {
                let here = format!("{at}/{}", pointer_token(key));
                let node = match key.strip_suffix(".$") {
                    Some(_) => {
                        dynamic = true;
                        match value.as_str().map(Expr::parse) {
                            Some(Ok(expr)) => Node::Dynamic {
                                expr,
                                field: key.as_str().into(),
                            },
                            parsed => {
                                errors.push(TemplateError {
                                    location: at.to_owned(),
                                    kind: TemplateErrorKind::NotPathOrCall {
                                        field: key.clone(),
                                        cause: parsed.and_then(Result::err),
                                    },
                                });
                                Node::Const(Doc::NULL)
                            }
                        }
                    }
                    None => compile(value, &here, consts, errors),
                };
                dynamic |= !matches!(node, Node::Const(_));
                let name = key.strip_suffix(".$").unwrap_or(key);
                if members.iter().any(|(n, _): &(Box<str>, Node)| &**n == name) {
                    errors.push(TemplateError {
                        location: at.to_owned(),
                        kind: TemplateErrorKind::Duplicate {
                            name: name.to_owned(),
                        },
                    });
                }
                members.push((Box::<str>::from(name), node));
            }
            if dynamic {
                Node::Object(members.into())
            } else {
                Node::Const(consts.import(raw))
            }
        }
        serde_json::Value::Array(items) => {
            let nodes: Vec<Node> = items
                .iter()
                .enumerate()
                .map(|(i, v)| compile(v, &format!("{at}/{i}"), consts, errors))
                .collect();
            if nodes.iter().all(|n| matches!(n, Node::Const(_))) {
                Node::Const(consts.import(raw))
            } else {
                Node::Array(nodes.into())
            }
        }
        other => Node::Const(consts.import(other)),
    }
}

/// Whether the node's value depends only on the state's input: no context
/// (`$$`), variable or intrinsic (`States.UUID` draws entropy), so two
/// evaluations over the same input give equal values.
pub(crate) fn reads_only_input(node: &Node) -> bool {
    match node {
        Node::Const(_) => true,
        Node::Object(members) => members.iter().all(|(_, n)| reads_only_input(n)),
        Node::Array(items) => items.iter().all(reads_only_input),
        Node::Dynamic { expr, .. } => {
            matches!(expr, Expr::Path(p) if p.root == super::Root::Input)
        }
    }
}

/// Evaluates a node into `doc`.
pub(crate) fn eval(
    node: &Node,
    consts: &Doc,
    doc: &mut Doc,
    scope: &Scope,
    entropy: Entropy<'_>,
) -> Result<Val, Failure> {
    match node {
        Node::Const(v) => Ok(doc.copy_from(consts, *v)),
        Node::Object(members) => {
            // Reserve the object's slots first; members append their own storage after them.
            let mut b = doc.object_builder(members.len());
            for (i, (name, n)) in members.iter().enumerate() {
                let val = eval(n, consts, doc, scope, &mut *entropy)?;
                let key = doc.key(name);
                doc.set_member(&b, i, Entry { key, val });
            }
            Ok(doc.finish_object(&mut b))
        }
        Node::Array(items) => {
            let mut b = doc.array_builder(items.len());
            for (i, n) in items.iter().enumerate() {
                let v = eval(n, consts, doc, scope, &mut *entropy)?;
                doc.set_item(&b, i, v);
            }
            Ok(doc.finish_array(&mut b))
        }
        Node::Dynamic { expr, field } => expr.eval_scope(doc, scope, field, entropy),
    }
}

/// The cause for a path in a template or an argument that matched nothing.
#[cold]
pub(crate) fn not_found(
    doc: &Doc,
    src: &str,
    context: bool,
    scope: &Scope,
    field: &str,
) -> Failure {
    let shown = if context { scope.ctx } else { scope.input };
    Failure::runtime(causes::path_not_found(src, field, &doc.to_json(shown)))
}
