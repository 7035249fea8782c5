//! How Step Functions embeds JSONata in a definition: a JSON value (a
//! field's value, or a template of objects and arrays) in which every string
//! that is exactly `{% expr %}` is an expression and every other string is a
//! literal. Compiled once ([`QueryTemplate::compile`]), evaluated many times
//! into the caller's document, with AWS's cause texts for what goes wrong.

use super::{Budget, Expression, Host, JsonataError};
use crate::json::{Doc, Entry, Val};

/// One `{% … %}` expression of a template, with the field it sits in.
#[derive(Debug)]
pub(crate) struct Query {
    /// The text between the delimiters, trimmed (as AWS quotes it in causes).
    pub(crate) src: Box<str>,
    /// The field it sits in, as AWS names it in causes (`Output/result`).
    pub(crate) field: Box<str>,
    expr: Expression,
}

#[derive(Debug)]
enum Node {
    /// A value with no expression in it (in the template's own document).
    Const(Val),
    Expr(Box<Query>),
    Object(Box<[(Box<str>, Node)]>),
    Array(Box<[Node]>),
}

/// A compiled JSONata template (`Output`, `Arguments`, `Assign`, `Items`,
/// `Condition`, a number or timestamp field …).
#[derive(Debug)]
pub(crate) struct QueryTemplate {
    root: Node,
    consts: Doc,
    free: Vec<String>,
}

/// A template's expression that failed to parse: where, and why.
#[derive(Debug, Clone)]
pub(crate) struct ParseFailure {
    /// JSON pointer of the string below the template's root (`""` for the root, `/a/0`).
    pub(crate) pointer: String,
    /// The parser's error; its `position` counts from the start of the field's string.
    pub(crate) error: JsonataError,
}

/// Why evaluating a template failed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EvalFailureKind {
    /// The expression raised an error (boxed: it is large, and rare).
    Error(Box<JsonataError>),
    /// It gave no value (undefined).
    Undefined,
    /// It gave a function, which is not JSON.
    NotJson,
}

/// A failed evaluation, with what AWS quotes about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EvalFailure {
    /// The expression's text.
    pub(crate) src: Box<str>,
    /// The field it sits in.
    pub(crate) field: Box<str>,
    /// What happened.
    pub(crate) kind: EvalFailureKind,
}

impl EvalFailure {
    /// AWS's cause text (without the "An error occurred while executing the state …" prefix).
    pub(crate) fn cause(&self) -> String {
        let head = format!(
            "The JSONata expression '{}' specified for the field '{}'",
            self.src, self.field
        );
        match &self.kind {
            EvalFailureKind::Error(e) => {
                format!("{head} threw an error during evaluation. {e}")
            }
            EvalFailureKind::Undefined => format!("{head} returned nothing (undefined)."),
            EvalFailureKind::NotJson => format!("{head} returned an unsupported result type."),
        }
    }
}

/// The expression inside `{% … %}` when `s` is exactly one (no space
/// around the delimiters: recorded, `" {% x %} "` is a literal).
fn expression_text(s: &str) -> Option<(&str, usize)> {
    let inner = s.strip_prefix("{%")?.strip_suffix("%}")?;
    Some((inner, 2))
}

impl QueryTemplate {
    /// Compiles `raw`, the value of the field named `field` (`Output`, `Assign/x`).
    ///
    /// # Errors
    /// Every expression that does not parse, with its pointer below `raw`.
    pub(crate) fn compile(
        raw: &serde_json::Value,
        field: &str,
    ) -> Result<QueryTemplate, Vec<ParseFailure>> {
        let mut consts = Doc::new();
        let mut errors = Vec::new();
        let mut free = Vec::new();
        let mut cx = Compiling {
            consts: &mut consts,
            errors: &mut errors,
            free: &mut free,
        };
        let root = cx.node(raw, field, "", 0);
        if errors.is_empty() {
            Ok(QueryTemplate { root, consts, free })
        } else {
            Err(errors)
        }
    }

    /// Names (without `$`) of the variables the template's expressions read.
    pub(crate) fn free_variables(&self) -> &[String] {
        &self.free
    }

    /// Whether the template is one expression (not a literal or a structure).
    pub(crate) fn single(&self) -> Option<&Query> {
        match &self.root {
            Node::Expr(q) => Some(q),
            _ => None,
        }
    }

    /// Every expression, in document order.
    pub(crate) fn queries(&self) -> Vec<&Query> {
        let mut out = Vec::new();
        collect(&self.root, &mut out);
        out
    }

    /// Evaluates into `doc`; each expression sees the bindings `host` gives.
    ///
    /// # Errors
    /// The first expression that errs, gives nothing or gives a function.
    pub(crate) fn eval(
        &self,
        doc: &mut Doc,
        host: &mut dyn Host,
        budget: &Budget,
    ) -> Result<Val, EvalFailure> {
        eval(&self.root, &self.consts, doc, host, budget)
    }
}

fn collect<'a>(n: &'a Node, out: &mut Vec<&'a Query>) {
    match n {
        Node::Const(_) => {}
        Node::Expr(q) => out.push(q),
        Node::Object(m) => m.iter().for_each(|(_, v)| collect(v, out)),
        Node::Array(a) => a.iter().for_each(|v| collect(v, out)),
    }
}

impl Query {
    /// What the expression reads at its top level that Step Functions forbids.
    pub(crate) fn top_level_problem(&self) -> Option<&'static str> {
        self.expr.top_level_problem()
    }
}

struct Compiling<'a> {
    consts: &'a mut Doc,
    errors: &'a mut Vec<ParseFailure>,
    free: &'a mut Vec<String>,
}

impl Compiling<'_> {
    fn node(&mut self, raw: &serde_json::Value, field: &str, ptr: &str, depth: u32) -> Node {
        use serde_json::Value as J;
        match raw {
            J::String(s) => match expression_text(s) {
                Some((inner, offset)) => match super::parse(inner) {
                    Ok(expr) => {
                        for v in expr.free_variables() {
                            if !self.free.contains(&v) {
                                self.free.push(v);
                            }
                        }
                        Node::Expr(Box::new(Query {
                            src: inner.trim().into(),
                            field: field.into(),
                            expr,
                        }))
                    }
                    Err(mut error) => {
                        error.position += offset;
                        self.errors.push(ParseFailure {
                            pointer: ptr.to_owned(),
                            error,
                        });
                        Node::Const(Doc::NULL)
                    }
                },
                None => Node::Const(self.consts.import(raw)),
            },
            J::Object(m) if depth < 256 => {
                let members: Vec<(Box<str>, Node)> = m
                    .iter()
                    .map(|(k, v)| {
                        let f = format!("{field}/{k}");
                        let p = format!("{ptr}/{}", escape(k));
                        (k.as_str().into(), self.node(v, &f, &p, depth + 1))
                    })
                    .collect();
                if members.iter().all(|(_, n)| matches!(n, Node::Const(_))) {
                    Node::Const(self.consts.import(raw))
                } else {
                    Node::Object(members.into())
                }
            }
            J::Array(items) if depth < 256 => {
                let nodes: Vec<Node> = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        self.node(v, &format!("{field}/{i}"), &format!("{ptr}/{i}"), depth + 1)
                    })
                    .collect();
                if nodes.iter().all(|n| matches!(n, Node::Const(_))) {
                    Node::Const(self.consts.import(raw))
                } else {
                    Node::Array(nodes.into())
                }
            }
            other => Node::Const(self.consts.import(other)),
        }
    }
}

/// RFC 6901 escaping of one pointer segment.
fn escape(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

fn eval(
    n: &Node,
    consts: &Doc,
    doc: &mut Doc,
    host: &mut dyn Host,
    budget: &Budget,
) -> Result<Val, EvalFailure> {
    match n {
        Node::Const(v) => Ok(doc.copy_from(consts, *v)),
        Node::Expr(q) => {
            let fail = |kind| EvalFailure {
                src: q.src.clone(),
                field: q.field.clone(),
                kind,
            };
            match q.expr.evaluate(doc, None, host, budget) {
                Ok(Some(v)) => Ok(v),
                Ok(None) => Err(fail(EvalFailureKind::Undefined)),
                Err(e) if e.code == "U1003" => Err(fail(EvalFailureKind::NotJson)),
                Err(e) => Err(fail(EvalFailureKind::Error(Box::new(e)))),
            }
        }
        Node::Object(members) => {
            let mut b = doc.object_builder(members.len());
            for (i, (name, m)) in members.iter().enumerate() {
                let val = eval(m, consts, doc, host, budget)?;
                let key = doc.key(name);
                doc.set_member(&b, i, Entry { key, val });
            }
            Ok(doc.finish_object(&mut b))
        }
        Node::Array(items) => {
            let mut b = doc.array_builder(items.len());
            for (i, m) in items.iter().enumerate() {
                let v = eval(m, consts, doc, host, budget)?;
                doc.set_item(&b, i, v);
            }
            Ok(doc.finish_array(&mut b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Vars(Vec<(String, Val)>);
    impl Host for Vars {
        fn variable(&self, name: &str) -> Option<Val> {
            self.0.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
        }
        fn now_ms(&self) -> i64 {
            0
        }
        fn random(&mut self) -> f64 {
            0.5
        }
    }

    #[test]
    fn literals_and_expressions() {
        let t = QueryTemplate::compile(
            &json!({"a": "{% $x + 1 %}", "b": ["lit", "{% $x %}"], "c": "{x}"}),
            "Output",
        )
        .expect("compiles");
        assert_eq!(t.free_variables(), ["x"]);
        let mut doc = Doc::new();
        let x = doc.int(41);
        let v = t
            .eval(
                &mut doc,
                &mut Vars(vec![("x".into(), x)]),
                &Budget::default(),
            )
            .expect("evaluates");
        assert_eq!(
            doc.export(v),
            json!({"a": 42, "b": ["lit", 41], "c": "{x}"})
        );
    }

    #[test]
    fn failures_name_the_field() {
        let t = QueryTemplate::compile(&json!({"result": "{% $nope %}"}), "Output").unwrap();
        let mut doc = Doc::new();
        let e = t
            .eval(&mut doc, &mut Vars(vec![]), &Budget::default())
            .unwrap_err();
        assert_eq!(
            e.cause(),
            "The JSONata expression '$nope' specified for the field 'Output/result' returned nothing (undefined)."
        );
        let t = QueryTemplate::compile(&json!("{% function($x){$x} %}"), "Items").unwrap();
        let e = t
            .eval(&mut doc, &mut Vars(vec![]), &Budget::default())
            .unwrap_err();
        assert_eq!(e.kind, EvalFailureKind::NotJson);
    }

    #[test]
    fn parse_errors_carry_pointer_and_offset() {
        let errs = QueryTemplate::compile(&json!({"a": {"b": "{% 1 + %}"}}), "Output").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].pointer, "/a/b");
        assert!(errs[0].error.position >= 6, "{:?}", errs[0].error);
        let lit = QueryTemplate::compile(&json!(" {% oops %} "), "Output").expect("a literal");
        assert!(lit.queries().is_empty());
    }
}
