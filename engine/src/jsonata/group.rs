//! Grouping (object constructors, `{...}` group-by on paths and tuple
//! streams) and order-by (`^(...)`) sorting.

use super::ast::{Node, Sym, SYM_AT};
use super::coerce::cmp_js_str;
use super::error::{JResult, JsonataError};
use super::eval::{plain_str, Ev};
use super::lookup::{append, push_flat};
use super::path::{tget, tset, tuple_frame};
use super::sort::merge_sort;
use super::value::{tuple_ctx, Env, Tuple, Value, K};
use std::rc::Rc;

impl<'a> Ev<'a, '_> {
    /// `{"k": v, …}` over one value with distinct literal keys, the common
    /// constructor: each value evaluated on `input`, without grouping. `None`
    /// when the keys are not all distinct plain string literals.
    fn literal_object(
        &mut self,
        pairs: &'a [(Node, Node)],
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Option<Value<'a>>> {
        let mut keys: Vec<&'a str> = Vec::with_capacity(pairs.len());
        for (k, _) in pairs {
            match plain_str(k) {
                Some(s) if pairs.len() <= 16 && !keys.contains(&s) => keys.push(s),
                _ => return Ok(None),
            }
        }
        let mut out = Vec::with_capacity(pairs.len());
        for (key, (_, vexpr)) in keys.into_iter().zip(pairs) {
            let v = self.eval(vexpr, input, env)?;
            if !v.is_undef() {
                out.push((Rc::from(key), v));
            }
        }
        Ok(Some(Value::object(out)))
    }

    /// Object construction / group-by over a value or tuple stream.
    pub(crate) fn group(
        &mut self,
        pairs: &'a [(Node, Node)],
        pos: usize,
        input: Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        struct G<'a> {
            key: Rc<str>,
            data: Vec<Value<'a>>,
            tuples: Vec<Tuple<'a>>,
            index: usize,
        }
        if !matches!(&input, Value::Tuples(_)) && !input.is_array(self.doc) {
            if let Some(v) = self.literal_object(pairs, &input, env)? {
                return Ok(v);
            }
            return self.construct(pairs, pos, &input, env);
        }
        // An empty tuple stream groups like an empty sequence: one undefined
        // item and no tuple to bind (indexing `ts` would panic).
        let reduce = matches!(&input, Value::Tuples(t) if !t.is_empty());
        let (mut items, ts): (Vec<Value<'a>>, Vec<Tuple<'a>>) = match &input {
            Value::Tuples(t) => (t.iter().map(tuple_ctx).collect(), (**t).clone()),
            v if v.is_array(self.doc) => (v.items(self.doc), Vec::new()),
            v => (vec![v.clone()], Vec::new()),
        };
        if items.is_empty() {
            items.push(Value::Undefined);
        }
        let mut groups: Vec<G<'a>> = Vec::new();
        for (ii, item) in items.iter().enumerate() {
            let genv = if reduce {
                tuple_frame(env, &ts[ii])
            } else {
                env.clone()
            };
            for (pi, (kexpr, _)) in pairs.iter().enumerate() {
                let key = self.eval(kexpr, item, &genv)?;
                if key.is_undef() {
                    continue;
                }
                let Some(k) = key.as_str(self.doc) else {
                    return Err(JsonataError::new("T1003", pos).val(self.show(&key)));
                };
                match groups.iter_mut().find(|g| &*g.key == k) {
                    Some(g) => {
                        if g.index != pi {
                            return Err(JsonataError::new("D1009", pos).val(k.to_string()));
                        }
                        g.data.push(item.clone());
                        if reduce {
                            g.tuples.push(ts[ii].clone());
                        }
                    }
                    None => {
                        let key = Rc::from(k);
                        groups.push(G {
                            key,
                            data: vec![item.clone()],
                            tuples: if reduce {
                                vec![ts[ii].clone()]
                            } else {
                                Vec::new()
                            },
                            index: pi,
                        });
                    }
                }
            }
        }
        let mut out = Vec::with_capacity(groups.len());
        for g in groups {
            let (ctx, venv) = if reduce {
                let mut merged: Vec<(Sym, Value<'a>)> = (*g.tuples[0]).clone();
                for t in &g.tuples[1..] {
                    for (k, v) in t.iter() {
                        let cur = tget(&merged, *k);
                        let app = append(self.doc, cur, v.clone());
                        tset(&mut merged, *k, app);
                    }
                }
                let ctx = tget(&merged, SYM_AT);
                merged.retain(|(k, _)| *k != SYM_AT);
                (ctx, tuple_frame(env, &merged))
            } else {
                let ctx = if g.data.len() == 1 {
                    g.data[0].clone()
                } else {
                    let mut acc = Vec::new();
                    for d in g.data {
                        push_flat(self.doc, &mut acc, d);
                    }
                    Value::array(acc)
                };
                (ctx, env.clone())
            };
            let v = self.eval(&pairs[g.index].1, &ctx, &venv)?;
            if !v.is_undef() {
                out.push((g.key, v));
            }
        }
        Ok(Value::object(out))
    }

    /// An object constructor over one item (not an array, not a tuple
    /// stream): every pair is its own group, so the grouping machinery is
    /// skipped. Same results and errors as [`Ev::group`]: keys first, in
    /// pair order, then values.
    fn construct(
        &mut self,
        pairs: &'a [(Node, Node)],
        pos: usize,
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        let mut keys: Vec<(Rc<str>, usize)> = Vec::with_capacity(pairs.len());
        for (pi, (kexpr, _)) in pairs.iter().enumerate() {
            let key = self.eval(kexpr, input, env)?;
            if key.is_undef() {
                continue;
            }
            let k: Rc<str> = match &key {
                Value::Str(s) => Rc::clone(s),
                other => match other.as_str(self.doc) {
                    Some(k) => Rc::from(k),
                    None => return Err(JsonataError::new("T1003", pos).val(self.show(&key))),
                },
            };
            if let Some((_, index)) = keys.iter().find(|(k2, _)| *k2 == k) {
                if *index != pi {
                    return Err(JsonataError::new("D1009", pos).val(k.to_string()));
                }
                continue;
            }
            keys.push((k, pi));
        }
        let mut out = Vec::with_capacity(keys.len());
        for (k, pi) in keys {
            let v = self.eval(&pairs[pi].1, input, env)?;
            if !v.is_undef() {
                out.push((k, v));
            }
        }
        Ok(Value::object(out))
    }

    pub(crate) fn sort_values(
        &mut self,
        step: &'a Node,
        terms: &'a [(Node, bool)],
        input: &Value<'a>,
        env: &Env<'a>,
    ) -> JResult<Value<'a>> {
        let items = input.items(self.doc);
        if items.len() <= 1 {
            return Ok(input.clone());
        }
        let env2 = env.clone();
        let sorted = merge_sort(items, &mut |a, b| {
            self.sort_cmp(step, terms, a, b, &env2, &env2)
        })?;
        Ok(Value::array(sorted))
    }

    pub(crate) fn sort_tuples(
        &mut self,
        step: &'a Node,
        terms: &'a [(Node, bool)],
        ts: Vec<Tuple<'a>>,
        env: &Env<'a>,
    ) -> JResult<Vec<Tuple<'a>>> {
        if ts.len() <= 1 {
            return Ok(ts);
        }
        merge_sort(ts, &mut |a, b| {
            let ea = tuple_frame(env, a);
            let eb = tuple_frame(env, b);
            self.sort_cmp(step, terms, &tuple_ctx(a), &tuple_ctx(b), &ea, &eb)
        })
    }

    fn sort_cmp(
        &mut self,
        step: &'a Node,
        terms: &'a [(Node, bool)],
        a: &Value<'a>,
        b: &Value<'a>,
        ea: &Env<'a>,
        eb: &Env<'a>,
    ) -> JResult<bool> {
        for (expr, desc) in terms {
            let aa = self.eval(expr, a, ea)?;
            let bb = self.eval(expr, b, eb)?;
            let (ka, kb) = (aa.kind(self.doc), bb.kind(self.doc));
            if ka == K::Undef {
                if kb == K::Undef {
                    continue;
                }
                return Ok(true);
            }
            if kb == K::Undef {
                return Ok(false);
            }
            let ok = |k: K| k == K::Num || k == K::Str;
            if !ok(ka) || !ok(kb) {
                let bad = if ok(ka) { &bb } else { &aa };
                return Err(JsonataError::new("T2008", step.pos).val(self.show(bad)));
            }
            if ka != kb {
                return Err(JsonataError::new("T2007", step.pos)
                    .val(self.show(&aa))
                    .val2(self.show(&bb)));
            }
            let ord = if ka == K::Num {
                let (x, y) = (
                    aa.num(self.doc).unwrap_or(0.0),
                    bb.num(self.doc).unwrap_or(0.0),
                );
                x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
            } else {
                cmp_js_str(
                    aa.as_str(self.doc).unwrap_or(""),
                    bb.as_str(self.doc).unwrap_or(""),
                )
            };
            let c = match ord {
                std::cmp::Ordering::Equal => continue,
                std::cmp::Ordering::Less => -1,
                std::cmp::Ordering::Greater => 1,
            };
            let c = if *desc { -c } else { c };
            return Ok(c == 1);
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::eval_str;

    /// Found by `fuzz/` (target `jsonata`): a group-by on a tuple stream
    /// that matched nothing indexed an empty tuple list and panicked.
    #[test]
    fn group_by_on_an_empty_tuple_stream_does_not_panic() {
        let expr = "Employee@$e.Contact@$c[$c.ssn = $e.SSN]{ $e.FirstName: $c.Phone.number }";
        assert_eq!(eval_str(expr, "{}"), Ok("{}".to_string()));
        assert_eq!(
            eval_str("$.a@$x{ $x.k: $x.v }", r#"{"b":1}"#),
            Ok("{}".to_string())
        );
    }
}
