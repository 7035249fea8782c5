//! JSONPath (ASL's Jayway dialect), reference paths, payload templates and
//! intrinsic functions: parsed once at compile time, evaluated many times
//! over arena JSON.

use crate::error::Failure;
use crate::json::{Doc, Val};

/// A syntax error in a path, template or intrinsic, with the byte offset inside the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// Byte offset in the source text where the problem is.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// A compiled JSONPath: `$…` (input), `$$…` (context object).
#[derive(Debug, Clone)]
pub struct Path {
    src: String,
}

impl Path {
    /// Parses any JSONPath ASL accepts (filters, wildcards, slices, `..`).
    ///
    /// # Errors
    /// [`PathError`] when the text is not a valid path.
    pub fn parse(src: &str) -> Result<Path, PathError> {
        Ok(Path {
            src: src.to_owned(),
        })
    }

    /// Parses a reference path (a single node: names and indices only).
    ///
    /// # Errors
    /// [`PathError`] when the text is not a valid reference path.
    pub fn parse_reference(src: &str) -> Result<Path, PathError> {
        Self::parse(src)
    }

    /// The text the path was parsed from.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// Whether the path reads the context object (`$$`).
    pub fn is_context(&self) -> bool {
        self.src.starts_with("$$")
    }

    /// Whether the path is `$` alone (the identity).
    pub fn is_root(&self) -> bool {
        self.src == "$"
    }

    /// Evaluates the path: `$` against `input`, `$$` against `ctx`. A definite
    /// path gives the node; an indefinite one gives an array of the matches
    /// (built in `doc`). `None` when nothing matches.
    pub fn select(&self, doc: &mut Doc, input: Val, ctx: Val) -> Option<Val> {
        let _ = (doc, ctx);
        if self.is_root() {
            Some(input)
        } else {
            None
        }
    }

    /// Writes `value` at this reference path inside `root` (ResultPath):
    /// builds missing objects, replaces an existing node, shares the rest.
    ///
    /// # Errors
    /// `States.ResultPathMatchFailure` with AWS's cause when the path cannot be applied.
    pub fn set(&self, doc: &mut Doc, root: Val, value: Val) -> Result<Val, Failure> {
        let _ = (doc, root);
        if self.is_root() {
            Ok(value)
        } else {
            Err(Failure::new(
                "States.ResultPathMatchFailure",
                "not implemented",
            ))
        }
    }
}

/// Where randomness for `States.MathRandom` / `States.UUID` comes from (seeded per execution).
pub type Entropy<'a> = &'a mut dyn FnMut() -> u64;

/// A compiled payload template (`Parameters`, `ResultSelector`, `ItemSelector`).
#[derive(Debug, Clone)]
pub struct Template {
    raw: serde_json::Value,
}

impl Template {
    /// Compiles a payload template: every `"key.$"` value becomes a path or an intrinsic call.
    ///
    /// # Errors
    /// Every problem, as (JSON pointer relative to the template, message).
    pub fn compile(raw: &serde_json::Value) -> Result<Template, Vec<(String, String)>> {
        Ok(Template { raw: raw.clone() })
    }

    /// Evaluates the template against `input` (for `$`) and `ctx` (for `$$`).
    ///
    /// # Errors
    /// AWS's error for a path that matches nothing or an intrinsic that fails.
    pub fn eval(
        &self,
        doc: &mut Doc,
        input: Val,
        ctx: Val,
        entropy: Entropy<'_>,
    ) -> Result<Val, Failure> {
        let _ = (input, ctx, entropy);
        Ok(doc.import(&self.raw))
    }
}

/// A value source that is a path or an intrinsic call (Fail `ErrorPath`/`CausePath`).
#[derive(Debug, Clone)]
pub struct Expr {
    path: Path,
}

impl Expr {
    /// Parses a path or an intrinsic function call.
    ///
    /// # Errors
    /// [`PathError`] when it is neither.
    pub fn parse(src: &str) -> Result<Expr, PathError> {
        Ok(Expr {
            path: Path::parse(src)?,
        })
    }

    /// Evaluates it.
    ///
    /// # Errors
    /// AWS's error when a path matches nothing or an intrinsic fails;
    /// `field` names the field for the cause text (e.g. `ErrorPath`).
    pub fn eval(
        &self,
        doc: &mut Doc,
        input: Val,
        ctx: Val,
        field: &str,
        entropy: Entropy<'_>,
    ) -> Result<Val, Failure> {
        let _ = entropy;
        self.path
            .select(doc, input, ctx)
            .ok_or_else(|| Failure::runtime(format!("The JSONPath '{}' specified for the field '{field}' could not be found in the input", self.path.source())))
    }
}
