//! The Pratt parser: tokens to the raw syntax tree ([`PNode`]), which
//! `process` then turns into the evaluator's tree.

use super::error::{JResult, JsonataError};
use super::lexer::{Lexer, Tok, Token};

/// A raw syntax-tree node, as the grammar sees it.
#[derive(Debug, Clone)]
pub(crate) struct PNode {
    /// What it is.
    pub(crate) kind: PK,
    /// Char offset (end of its main token).
    pub(crate) pos: usize,
    /// `[]` followed this step.
    pub(crate) keep_array: bool,
}

/// Raw node kinds.
#[derive(Debug, Clone)]
pub(crate) enum PK {
    Num(f64),
    Str(String),
    Bool(bool),
    Null,
    Name(String),
    Var(String),
    Regex(String, String),
    Wildcard,
    Descendant,
    Parent,
    Placeholder,
    /// A keyword operator used where a name belongs (`and`, `or`, `in`) or a stray one.
    Operator(&'static str),
    Binary(&'static str, Box<PNode>, Box<PNode>),
    Group(Box<PNode>, Vec<(PNode, PNode)>),
    Sort(Box<PNode>, Vec<(PNode, bool)>),
    Neg(Box<PNode>),
    Array(Vec<PNode>),
    Object(Vec<(PNode, PNode)>),
    Call(Box<PNode>, Vec<PNode>, bool),
    Lambda(Vec<String>, Option<(String, usize)>, Box<PNode>),
    Cond(Box<PNode>, Box<PNode>, Option<Box<PNode>>),
    Block(Vec<PNode>),
    Transform(Box<PNode>, Box<PNode>, Option<Box<PNode>>),
    End,
}

fn lbp(t: &Tok) -> u32 {
    match t {
        Tok::Op(op) => match *op {
            "." => 75,
            "[" | "(" | "@" | "#" => 80,
            "{" => 70,
            "?" => 20,
            "+" | "-" | "&" => 50,
            "*" | "/" | "%" => 60,
            "=" | "<" | ">" | "^" | "!=" | "<=" | ">=" | "~>" | "in" => 40,
            ":=" => 10,
            "and" => 30,
            "or" => 25,
            _ => 0,
        },
        _ => 0,
    }
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Op(o) => o.to_string(),
        Tok::Name(n) => n.clone(),
        Tok::Var(v) => format!("${v}"),
        Tok::Str(s) => s.clone(),
        Tok::Num(n) => n.to_string(),
        Tok::Bool(b) => b.to_string(),
        Tok::Null => "null".into(),
        Tok::Regex(p, _) => p.clone(),
        Tok::End => "(end)".into(),
    }
}

struct Parser {
    lx: Lexer,
    cur: Token,
}

/// Parses `src` into a raw tree.
pub(crate) fn parse_raw(src: &str) -> JResult<PNode> {
    let mut lx = Lexer::new(src);
    let cur = lx.next(false)?;
    let mut p = Parser { lx, cur };
    let e = p.expression(0)?;
    if p.cur.tok != Tok::End {
        return Err(JsonataError::new("S0201", p.cur.pos).tok(tok_text(&p.cur.tok)));
    }
    Ok(e)
}

fn node(kind: PK, pos: usize) -> PNode {
    PNode {
        kind,
        pos,
        keep_array: false,
    }
}

impl Parser {
    fn is(&self, op: &str) -> bool {
        matches!(self.cur.tok, Tok::Op(o) if o == op)
    }

    fn advance(&mut self, expect: Option<&str>, no_regex: bool) -> JResult<()> {
        if let Some(id) = expect {
            if !self.is(id) {
                let code = if self.cur.tok == Tok::End {
                    "S0203"
                } else {
                    "S0202"
                };
                return Err(JsonataError::new(code, self.cur.pos)
                    .tok(tok_text(&self.cur.tok))
                    .val(id));
            }
        }
        self.cur = self.lx.next(no_regex)?;
        if matches!(self.cur.tok, Tok::Op("!") | Tok::Op("~")) {
            return Err(JsonataError::new("S0204", self.cur.pos).tok(tok_text(&self.cur.tok)));
        }
        if self.cur.tok == Tok::End {
            self.cur.pos = self.lx.len();
        }
        Ok(())
    }

    fn expression(&mut self, rbp: u32) -> JResult<PNode> {
        let t = self.cur.clone();
        self.advance(None, true)?;
        let mut left = self.nud(t)?;
        while rbp < lbp(&self.cur.tok) {
            let t = self.cur.clone();
            self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        Ok(left)
    }

    fn nud(&mut self, t: Token) -> JResult<PNode> {
        let pos = t.pos;
        let kind = match t.tok {
            Tok::Name(n) => PK::Name(n),
            Tok::Var(v) => PK::Var(v),
            Tok::Str(s) => PK::Str(s),
            Tok::Num(n) => PK::Num(n),
            Tok::Bool(b) => PK::Bool(b),
            Tok::Null => PK::Null,
            Tok::Regex(p, f) => PK::Regex(p, f),
            Tok::End => PK::End,
            Tok::Op(op) => match op {
                "and" | "or" | "in" => PK::Operator(op),
                "-" => PK::Neg(Box::new(self.expression(70)?)),
                "*" => PK::Wildcard,
                "**" => PK::Descendant,
                "%" => PK::Parent,
                "(" => {
                    let mut exprs = Vec::new();
                    while !self.is(")") {
                        exprs.push(self.expression(0)?);
                        if !self.is(";") {
                            break;
                        }
                        self.advance(Some(";"), false)?;
                    }
                    self.advance(Some(")"), true)?;
                    PK::Block(exprs)
                }
                "[" => {
                    let mut items = Vec::new();
                    if !self.is("]") {
                        loop {
                            let mut item = self.expression(0)?;
                            if self.is("..") {
                                let rpos = self.cur.pos;
                                self.advance(Some(".."), false)?;
                                let rhs = self.expression(0)?;
                                item = node(PK::Binary("..", Box::new(item), Box::new(rhs)), rpos);
                            }
                            items.push(item);
                            if !self.is(",") {
                                break;
                            }
                            self.advance(Some(","), false)?;
                        }
                    }
                    self.advance(Some("]"), true)?;
                    PK::Array(items)
                }
                "{" => PK::Object(self.object_pairs()?),
                "|" => {
                    let pattern = self.expression(0)?;
                    self.advance(Some("|"), false)?;
                    let update = self.expression(0)?;
                    let mut delete = None;
                    if self.is(",") {
                        self.advance(Some(","), false)?;
                        delete = Some(Box::new(self.expression(0)?));
                    }
                    self.advance(Some("|"), false)?;
                    PK::Transform(Box::new(pattern), Box::new(update), delete)
                }
                _ => return Err(JsonataError::new("S0211", pos).tok(op)),
            },
        };
        Ok(node(kind, pos))
    }

    fn object_pairs(&mut self) -> JResult<Vec<(PNode, PNode)>> {
        let mut pairs = Vec::new();
        if !self.is("}") {
            loop {
                let k = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("}"), true)?;
        Ok(pairs)
    }

    fn led(&mut self, t: Token, left: PNode) -> JResult<PNode> {
        let pos = t.pos;
        let Tok::Op(op) = t.tok else {
            return Err(JsonataError::new("S0201", pos).tok(tok_text(&t.tok)));
        };
        let kind = match op {
            "(" => return self.call(left, pos),
            "[" => {
                if self.is("]") {
                    let mut left = left;
                    mark_keep(&mut left);
                    self.advance(Some("]"), false)?;
                    return Ok(left);
                }
                let rhs = self.expression(0)?;
                self.advance(Some("]"), true)?;
                PK::Binary("[", Box::new(left), Box::new(rhs))
            }
            "^" => {
                self.advance(Some("("), false)?;
                let mut terms = Vec::new();
                loop {
                    let mut desc = false;
                    if self.is("<") {
                        self.advance(Some("<"), false)?;
                    } else if self.is(">") {
                        desc = true;
                        self.advance(Some(">"), false)?;
                    }
                    terms.push((self.expression(0)?, desc));
                    if !self.is(",") {
                        break;
                    }
                    self.advance(Some(","), false)?;
                }
                self.advance(Some(")"), false)?;
                PK::Sort(Box::new(left), terms)
            }
            "{" => PK::Group(Box::new(left), self.object_pairs()?),
            ":=" => {
                if !matches!(left.kind, PK::Var(_)) {
                    return Err(JsonataError::new("S0212", left.pos));
                }
                let rhs = self.expression(9)?;
                PK::Binary(":=", Box::new(left), Box::new(rhs))
            }
            "@" | "#" => {
                let rhs = self.expression(80)?;
                if !matches!(rhs.kind, PK::Var(_)) {
                    return Err(JsonataError::new("S0214", rhs.pos).tok(op));
                }
                PK::Binary(op, Box::new(left), Box::new(rhs))
            }
            "?" => {
                let then = self.expression(0)?;
                let mut els = None;
                if self.is(":") {
                    self.advance(Some(":"), false)?;
                    els = Some(Box::new(self.expression(0)?));
                }
                PK::Cond(Box::new(left), Box::new(then), els)
            }
            _ => {
                let rhs = self.expression(lbp(&Tok::Op(op)))?;
                PK::Binary(op, Box::new(left), Box::new(rhs))
            }
        };
        Ok(node(kind, pos))
    }

    fn call(&mut self, left: PNode, pos: usize) -> JResult<PNode> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.is(")") {
            loop {
                if self.is("?") {
                    partial = true;
                    args.push(node(PK::Placeholder, self.cur.pos));
                    self.advance(Some("?"), false)?;
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some(")"), true)?;
        let is_lambda = matches!(&left.kind, PK::Name(n) if n == "function" || n == "\u{3bb}");
        if !is_lambda {
            return Ok(node(PK::Call(Box::new(left), args, partial), pos));
        }
        let mut params = Vec::new();
        for (i, a) in args.iter().enumerate() {
            match &a.kind {
                PK::Var(v) => params.push(v.clone()),
                _ => {
                    return Err(JsonataError::new("S0208", a.pos).val((i + 1).to_string()));
                }
            }
        }
        let mut sig = None;
        if self.is("<") {
            // the signature is read straight from the source up to the matching '>'
            let start = self.cur.start;
            let mut depth = 0;
            let mut i = start;
            while i < self.lx.len() {
                match self.lx.at(i) {
                    '<' => depth += 1,
                    '>' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    '{' => break,
                    _ => {}
                }
                i += 1;
            }
            if self.lx.at(i) != '>' {
                return Err(JsonataError::new("S0202", i).val(">"));
            }
            let text: String = self
                .lx
                .text(start, i + 1)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if let Err(mut e) = super::signature::Signature::parse(&text) {
                e.position += start;
                return Err(e);
            }
            sig = Some((text, start));
            self.lx.pos = i + 1;
            self.cur = self.lx.next(false)?;
        }
        self.advance(Some("{"), false)?;
        let body = self.expression(0)?;
        self.advance(Some("}"), true)?;
        Ok(node(PK::Lambda(params, sig, Box::new(body)), pos))
    }
}

fn mark_keep(n: &mut PNode) {
    match &mut n.kind {
        PK::Binary("[", lhs, _) => mark_keep(lhs),
        _ => n.keep_array = true,
    }
}
