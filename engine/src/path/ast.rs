//! The compiled form of a JSONPath: a root and a list of steps, with every
//! name pre-resolved into a `Box<str>` so evaluation never re-parses.

/// What a path starts from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Root {
    /// `$`: the state input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable (JSONPath `Assign`).
    Var(Box<str>),
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// `.sel` / `[sel]`: applied to the current nodes.
    Child(Sel),
    /// `..sel`: applied to every node below (and including) the current ones.
    Descend(Sel),
}

/// A selector inside one step.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Sel {
    /// `.name` or `['name']`.
    Name(Box<str>),
    /// `[3]`, `[-1]`.
    Index(i64),
    /// `['a','b']`.
    Names(Box<[Box<str>]>),
    /// `[0,2]`.
    Indices(Box<[i64]>),
    /// `.*`, `[*]`.
    Wildcard,
    /// `[start:end:step]`.
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `[?(…)]`.
    Filter(Box<Filter>),
}

/// A filter expression (`[?(@.price < 10 && @.isbn)]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    /// `a || b`
    Or(Box<Filter>, Box<Filter>),
    /// `a && b`
    And(Box<Filter>, Box<Filter>),
    /// `!a`
    Not(Box<Filter>),
    /// `@.x` alone: the path exists.
    Exists(Operand),
    /// `a op b`
    Cmp(Operand, CmpOp, Operand),
}

/// A comparison operator in a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// One side of a filter comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    /// `@…`: relative to the item being tested (definite steps only).
    Current(Box<[Step]>),
    /// `$…`: relative to the input root (definite steps only).
    Root(Box<[Step]>),
    /// A literal value.
    Lit(Lit),
}

/// A literal in a filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number.
    Num(f64),
    /// `'text'` / `"text"`
    Str(Box<str>),
}

impl Step {
    /// Whether the step selects at most one node (a name or a single index).
    pub(crate) fn is_definite(&self) -> bool {
        matches!(self, Step::Child(Sel::Name(_) | Sel::Index(_)))
    }
}
