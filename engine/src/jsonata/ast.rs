//! The evaluator's syntax tree: paths flattened into steps, predicates and
//! grouping attached to the steps they apply to, names interned as symbols.

use super::regex::JsRegex;
use super::signature::Signature;

/// An interned variable name (index into [`super::Expression`]'s name table).
pub(crate) type Sym = u32;
/// The tuple context binding `@`.
pub(crate) const SYM_AT: Sym = 0;
/// The root binding `$$`.
pub(crate) const SYM_ROOT: Sym = 1;
/// Ancestor labels (parent operator) are symbols with this bit set.
pub(crate) const LABEL_BIT: Sym = 0x8000_0000;

/// Binary operators (other than the path, predicate and binding forms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Concat,
    And,
    Or,
    In,
    Range,
}

impl BinOp {
    /// The operator as written.
    pub(crate) fn text(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Concat => "&",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::In => "in",
            BinOp::Range => "..",
        }
    }
}

/// A stage applied to a path step's results.
#[derive(Debug)]
pub(crate) enum Stage {
    /// `[expr]`
    Filter(Node),
    /// `#$var` after a predicate.
    Index(Sym),
}

/// A group-by clause `{key: value, ...}` on a step or expression.
#[derive(Debug)]
pub(crate) struct Group {
    /// Key / value expression pairs.
    pub(crate) pairs: Vec<(Node, Node)>,
    /// Source offset.
    pub(crate) pos: usize,
}

/// A lambda definition.
#[derive(Debug)]
pub(crate) struct LambdaDef {
    /// Parameter symbols.
    pub(crate) params: Vec<Sym>,
    /// Optional signature.
    pub(crate) sig: Option<Signature>,
    /// The body.
    pub(crate) body: Node,
    /// A tail-call thunk made by the optimiser (no parameters; body is a call).
    pub(crate) thunk: bool,
}

/// One node of the evaluator's tree.
#[derive(Debug)]
pub(crate) struct Node {
    /// What it is.
    pub(crate) kind: NK,
    /// Source offset.
    pub(crate) pos: usize,
    /// `[]`: keep singleton arrays.
    pub(crate) keep_array: bool,
    /// An array constructor that must not be flattened into its path.
    pub(crate) cons_array: bool,
    /// Filters on a non-step expression.
    pub(crate) predicate: Vec<Node>,
    /// Filters and index bindings on a path step.
    pub(crate) stages: Vec<Stage>,
    /// Group-by clause.
    pub(crate) group: Option<Box<Group>>,
    /// `@$var` focus binding.
    pub(crate) focus: Option<Sym>,
    /// `#$var` index binding.
    pub(crate) index: Option<Sym>,
    /// The step takes part in a tuple stream.
    pub(crate) tuple: bool,
    /// Slot of the ancestor binding this step provides (parent operator).
    pub(crate) ancestor: Option<u32>,
    /// Parse-time only: parent slots still unresolved below this node.
    pub(crate) seeking: Vec<u32>,
}

/// Node kinds.
#[derive(Debug)]
pub(crate) enum NK {
    Path(Vec<Node>, bool),
    Num(f64),
    Str(String),
    Bool(bool),
    Null,
    Name(String),
    /// `$` (context) when `None`, else a variable.
    Var(Option<Sym>),
    Regex(Box<JsRegex>),
    Wildcard,
    Descendant,
    Parent(u32),
    Binary(BinOp, Box<Node>, Box<Node>),
    Neg(Box<Node>),
    Array(Vec<Node>),
    Object(Vec<(Node, Node)>),
    Call(Box<Node>, Vec<Node>, bool),
    Placeholder,
    Lambda(Box<LambdaDef>),
    Cond(Box<Node>, Box<Node>, Option<Box<Node>>),
    Block(Vec<Node>),
    Bind(Sym, Box<Node>),
    Apply(Box<Node>, Box<Node>),
    Transform(Box<Node>, Box<Node>, Option<Box<Node>>),
    Sort(Vec<(Node, bool)>),
}

impl Node {
    /// A node of kind `kind` at `pos` with no decorations.
    pub(crate) fn new(kind: NK, pos: usize) -> Self {
        Node {
            kind,
            pos,
            keep_array: false,
            cons_array: false,
            predicate: Vec::new(),
            stages: Vec::new(),
            group: None,
            focus: None,
            index: None,
            tuple: false,
            ancestor: None,
            seeking: Vec::new(),
        }
    }

    /// Nothing attached to the node beyond its kind: no predicate, stage,
    /// group, focus, index or ancestor binding, not in a tuple stream, no
    /// `[]`, not a constructor kept out of its path.
    pub(crate) fn bare(&self) -> bool {
        self.predicate.is_empty()
            && self.stages.is_empty()
            && self.group.is_none()
            && self.focus.is_none()
            && self.index.is_none()
            && !self.tuple
            && self.ancestor.is_none()
            && !self.keep_array
            && !self.cons_array
    }

    /// jsonata-js's name for the node type (for error tokens).
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.kind {
            NK::Path(..) => "path",
            NK::Num(_) => "number",
            NK::Str(_) => "string",
            NK::Bool(_) | NK::Null => "value",
            NK::Name(_) => "name",
            NK::Var(_) => "variable",
            NK::Regex(_) => "regex",
            NK::Wildcard => "wildcard",
            NK::Descendant => "descendant",
            NK::Parent(_) => "parent",
            NK::Binary(..) => "binary",
            NK::Neg(_) | NK::Array(_) | NK::Object(_) => "unary",
            NK::Call(_, _, false) => "function",
            NK::Call(_, _, true) => "partial",
            NK::Placeholder => "operator",
            NK::Lambda(_) => "lambda",
            NK::Cond(..) => "condition",
            NK::Block(_) => "block",
            NK::Bind(..) => "bind",
            NK::Apply(..) => "apply",
            NK::Transform(..) => "transform",
            NK::Sort(_) => "sort",
        }
    }
}
