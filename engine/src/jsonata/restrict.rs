//! Step Functions' restriction on JSONata expressions: there is no implicit
//! input document, so `$`, `$$` and unqualified field names may not be used
//! at the top level of an expression (they are allowed where a path step,
//! a predicate or a function gives them a context).

use super::ast::{Node, NK, SYM_ROOT};
use super::Expression;

impl Expression {
    /// What the expression reads at its top level that Step Functions
    /// forbids, if anything.
    pub(crate) fn top_level_problem(&self) -> Option<&'static str> {
        root_problem(&self.root)
    }
}

fn root_problem(n: &Node) -> Option<&'static str> {
    match &n.kind {
        NK::Var(None) => Some("'$' cannot be used at the top level of an expression"),
        NK::Var(Some(s)) if *s == SYM_ROOT => {
            Some("'$$' cannot be used at the top level of an expression")
        }
        NK::Name(_) | NK::Wildcard | NK::Descendant => Some(
            "a field name cannot be used at the top level of an expression (read the input with $states.input)",
        ),
        NK::Path(steps, _) => steps.first().and_then(root_problem),
        NK::Binary(_, l, r) => root_problem(l).or_else(|| root_problem(r)),
        NK::Neg(e) => root_problem(e),
        NK::Array(items) | NK::Block(items) => items.iter().find_map(root_problem),
        NK::Object(pairs) => pairs
            .iter()
            .find_map(|(k, v)| root_problem(k).or_else(|| root_problem(v))),
        NK::Call(f, args, _) => root_problem(f).or_else(|| args.iter().find_map(root_problem)),
        NK::Cond(c, t, e) => root_problem(c)
            .or_else(|| root_problem(t))
            .or_else(|| e.as_deref().and_then(root_problem)),
        NK::Bind(_, v) => root_problem(v),
        NK::Apply(l, _) => root_problem(l),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    fn problem(src: &str) -> Option<&'static str> {
        super::super::parse(src)
            .expect("parses")
            .top_level_problem()
    }

    #[test]
    fn top_level_references() {
        assert!(problem("$").is_some());
        assert!(problem("$$.a").is_some());
        assert!(problem("foo").is_some());
        assert!(problem("1 + foo.bar").is_some());
        assert!(problem("$sum(items)").is_some());
        assert_eq!(problem("$states.input.items[price > 1].name"), None);
        assert_eq!(problem("$map($states.input, function($v) { $v.x })"), None);
        assert_eq!(problem("$x := 1"), None);
        assert_eq!(problem("{'a': $states.input.a}"), None);
    }
}
