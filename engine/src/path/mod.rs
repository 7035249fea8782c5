//! JSONPath (ASL's Jayway dialect), reference paths, payload templates and
//! intrinsic functions: parsed once at compile time, evaluated many times
//! over arena JSON.
//!
//! | item | what it is |
//! |---|---|
//! | [`Path`] | `$…` / `$$…` / `$var…`: definite (names and single indices) or indefinite (wildcards, slices, unions, `..`, filters) |
//! | [`Template`] | a payload template (`"key.$"` fields) |
//! | [`Expr`] | a path or an intrinsic call (`States.Format(…)`) |
//! | [`causes`] | AWS's cause texts for path failures |
//! | [`PathError`], [`TemplateError`] | what parsing found wrong, with its offset or pointer |

mod ast;
pub(crate) mod causes;
mod error;
mod intrinsic;
mod parse;
mod select;
mod set;
mod template;

#[cfg(test)]
mod tests;

use crate::error::Failure;
use crate::json::{Doc, Val};
#[cfg(test)]
pub(crate) use ast::{CmpOp, Filter, Lit, Operand, Sel};
pub(crate) use ast::{Root, Step};
pub(crate) use error::{PathError, TemplateError, TemplateErrorKind};
pub(crate) use intrinsic::Call;
#[cfg(test)]
pub(crate) use intrinsic::Func;

/// What `$` and `$$` mean while evaluating.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope {
    pub input: Val,
    pub ctx: Val,
    /// The workflow variables (an object; `null` when there are none).
    pub vars: Val,
}

/// A compiled JSONPath: `$…` (input), `$$…` (context object), `$name…` (variable).
#[derive(Debug, Clone)]
pub(crate) struct Path {
    src: Box<str>,
    root: Root,
    steps: Box<[Step]>,
    definite: bool,
}

impl PartialEq for Path {
    fn eq(&self, other: &Self) -> bool {
        self.src == other.src
    }
}

impl Path {
    /// Parses any JSONPath ASL accepts (filters, wildcards, slices, `..`).
    ///
    /// # Errors
    /// [`PathError`] when the text is not a valid path.
    pub(crate) fn parse(src: &str) -> Result<Path, PathError> {
        let parsed = parse::parse_path(src)?;
        Ok(Path::from_parsed(src, parsed))
    }

    pub(crate) fn from_parsed(src: &str, parsed: parse::Parsed) -> Path {
        let definite = parsed.steps.iter().all(Step::is_definite);
        Path {
            src: src.into(),
            root: parsed.root,
            steps: parsed.steps.into(),
            definite,
        }
    }

    /// The path `$`: the whole input.
    pub(crate) fn input() -> Path {
        Path {
            src: "$".into(),
            root: Root::Input,
            steps: Box::new([]),
            definite: true,
        }
    }

    /// Parses a reference path (a single node: names and indices only).
    ///
    /// # Errors
    /// [`PathError`] when the text is not a valid reference path; the offset
    /// points at the first step that is not a name or a single index.
    pub(crate) fn parse_reference(src: &str) -> Result<Path, PathError> {
        let parsed = parse::parse_path(src)?;
        if let Some(n) = parsed.steps.iter().position(|s| !s.is_definite()) {
            return Err(PathError {
                offset: parsed.offsets[n],
                message: "a reference path may only use names and single indices".into(),
            });
        }
        Ok(Path::from_parsed(src, parsed))
    }

    /// The text the path was parsed from.
    pub(crate) fn source(&self) -> &str {
        &self.src
    }

    /// Whether the path reads the context object (`$$`).
    pub(crate) fn is_context(&self) -> bool {
        self.root == Root::Context
    }

    /// The variable the path reads (`$name…`), if it reads one.
    pub(crate) fn variable(&self) -> Option<&str> {
        match &self.root {
            Root::Var(v) => Some(v),
            _ => None,
        }
    }

    /// Whether the path is `$` alone (the identity).
    #[cfg(test)]
    pub(crate) fn is_root(&self) -> bool {
        self.root == Root::Input && self.steps.is_empty()
    }

    /// Whether the path selects at most one node (names and single indices only).
    #[cfg(test)]
    pub(crate) fn is_definite(&self) -> bool {
        self.definite
    }

    /// The compiled steps.
    #[cfg(test)]
    pub(crate) fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Evaluates the path: `$` against `input`, `$$` against `ctx`. A definite
    /// path gives the node; an indefinite one gives an array of the matches
    /// (built in `doc`, empty when nothing matches). `None` when a definite
    /// path matches nothing, and for variable paths (see [`Path::select_from`]).
    #[cfg(test)]
    pub(crate) fn select(&self, doc: &mut Doc, input: Val, ctx: Val) -> Option<Val> {
        self.select_scope(
            doc,
            &Scope {
                input,
                ctx,
                vars: Doc::NULL,
            },
        )
    }

    /// Like [`Path::select`], with `$name` read from `vars` (an object of
    /// the workflow variables): `None` when the variable is not set.
    pub(crate) fn select_with(
        &self,
        doc: &mut Doc,
        input: Val,
        ctx: Val,
        vars: Val,
    ) -> Option<Val> {
        self.select_scope(doc, &Scope { input, ctx, vars })
    }

    pub(crate) fn select_scope(&self, doc: &mut Doc, scope: &Scope) -> Option<Val> {
        let start = match self.root {
            Root::Input => scope.input,
            Root::Context => scope.ctx,
            Root::Var(ref name) => doc.field(scope.vars, name)?,
        };
        self.select_from(doc, start, scope.input)
    }

    /// Evaluates the steps from `start` (e.g. a variable's value); `input`
    /// is what `$` means inside filters.
    pub(crate) fn select_from(&self, doc: &mut Doc, start: Val, input: Val) -> Option<Val> {
        if self.definite {
            return select::walk(doc, start, &self.steps);
        }
        let mut out = Vec::new();
        select::collect(doc, input, start, &self.steps, &mut out);
        Some(doc.array(&out))
    }

    /// The `States.Runtime` cause when this path, used as InputPath or
    /// OutputPath (or another single-node field), matched nothing in
    /// `start`: `Invalid path '$.a' : No results for path: $['a']`.
    pub(crate) fn invalid_path_cause(&self, doc: &Doc, start: Val) -> String {
        causes::invalid_path(&self.src, &self.steps, doc, start)
    }

    /// Writes `value` at this reference path inside `root` (ResultPath):
    /// builds missing objects, replaces an existing node, shares the rest.
    ///
    /// # Errors
    /// `States.ResultPathMatchFailure` with AWS's cause when the path cannot be applied.
    pub(crate) fn set(&self, doc: &mut Doc, root: Val, value: Val) -> Result<Val, Failure> {
        let fail = |doc: &Doc| {
            Failure::new(
                "States.ResultPathMatchFailure",
                causes::result_path_failure(&self.src, &doc.to_json(root)),
            )
        };
        if self.root != Root::Input || !self.definite {
            return Err(fail(doc));
        }
        set::set_at(doc, Some(root), &self.steps, value).map_err(|()| fail(doc))
    }
}

/// Where randomness for `States.MathRandom` / `States.UUID` comes from (seeded per execution).
pub(crate) type Entropy<'a> = &'a mut dyn FnMut() -> u64;

/// A compiled payload template (`Parameters`, `ResultSelector`, `ItemSelector`).
#[derive(Debug, Clone)]
pub struct Template {
    root: template::Node,
    consts: Doc,
}

impl Template {
    /// Compiles a payload template: every `"key.$"` value becomes a path or an intrinsic call.
    ///
    /// # Errors
    /// Every problem found, each a [`TemplateError`] at the pointer of the
    /// object holding the field.
    pub fn compile(raw: &serde_json::Value) -> Result<Template, Vec<TemplateError>> {
        let mut consts = Doc::new();
        let mut errors = Vec::new();
        let root = template::compile(raw, "", &mut consts, &mut errors);
        if errors.is_empty() {
            Ok(Template { root, consts })
        } else {
            Err(errors)
        }
    }

    /// Whether the template has nothing to evaluate.
    pub fn is_constant(&self) -> bool {
        matches!(self.root, template::Node::Const(_))
    }

    /// Whether the template reads nothing but its input (no `$$`, variable
    /// or intrinsic call): evaluating it again over the same input gives an
    /// equal value.
    pub(crate) fn reads_only_input(&self) -> bool {
        template::reads_only_input(&self.root)
    }

    /// Evaluates the template against `input` (for `$`) and `ctx` (for `$$`).
    ///
    /// # Errors
    /// AWS's error for a path that matches nothing (`States.Runtime`) or an
    /// intrinsic that fails (`States.IntrinsicFailure`).
    pub fn eval(
        &self,
        doc: &mut Doc,
        input: Val,
        ctx: Val,
        entropy: Entropy<'_>,
    ) -> Result<Val, Failure> {
        self.eval_with(doc, input, ctx, Doc::NULL, entropy)
    }

    /// Like [`Template::eval`], with `$name` paths read from `vars`.
    ///
    /// # Errors
    /// As [`Template::eval`].
    pub(crate) fn eval_with(
        &self,
        doc: &mut Doc,
        input: Val,
        ctx: Val,
        vars: Val,
        entropy: Entropy<'_>,
    ) -> Result<Val, Failure> {
        template::eval(
            &self.root,
            &self.consts,
            doc,
            &Scope { input, ctx, vars },
            entropy,
        )
    }
}

/// A value source that is a path or an intrinsic call (Fail `ErrorPath`/`CausePath`,
/// the `"key.$"` values of templates).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// A path.
    Path(Path),
    /// An intrinsic function call.
    Call(Call),
}

impl Expr {
    /// Parses a path or an intrinsic function call.
    ///
    /// # Errors
    /// [`PathError`] when it is neither.
    pub(crate) fn parse(src: &str) -> Result<Expr, PathError> {
        if src.starts_with('$') {
            Path::parse(src).map(Expr::Path)
        } else {
            intrinsic::parse_call(src).map(Expr::Call)
        }
    }

    /// The text it was parsed from.
    pub(crate) fn source(&self) -> &str {
        match self {
            Expr::Path(p) => p.source(),
            Expr::Call(c) => c.source(),
        }
    }

    /// Evaluates it.
    ///
    /// # Errors
    /// AWS's error when a path matches nothing or an intrinsic fails;
    /// `field` names the field for the cause text (e.g. `ErrorPath`).
    #[cfg(test)]
    pub(crate) fn eval(
        &self,
        doc: &mut Doc,
        input: Val,
        ctx: Val,
        field: &str,
        entropy: Entropy<'_>,
    ) -> Result<Val, Failure> {
        self.eval_scope(
            doc,
            &Scope {
                input,
                ctx,
                vars: Doc::NULL,
            },
            field,
            entropy,
        )
    }

    pub(crate) fn eval_scope(
        &self,
        doc: &mut Doc,
        scope: &Scope,
        field: &str,
        entropy: Entropy<'_>,
    ) -> Result<Val, Failure> {
        match self {
            Expr::Path(p) => p
                .select_scope(doc, scope)
                .ok_or_else(|| template::not_found(doc, p.source(), p.is_context(), scope, field)),
            Expr::Call(c) => c.eval(doc, scope, field, entropy),
        }
    }
}
