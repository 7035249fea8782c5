//! Each attempt of a `.waitForTaskToken` task draws a token
//! (`$$.Task.Token`) from the execution's seeded stream.

use super::fiber::Fiber;
use super::token_wait::TokenWait;
use super::{Counters, Env};
use crate::handlers::TokenId;
use crate::json::Entry;
use crate::rng::splitmix64;

/// Runs `TaskToken`: draws the attempt's token and adds `Task.Token` to `$$`
/// when the state reads it.
pub(super) fn draw(f: &mut Fiber, env: &Env<'_>, n: &mut Counters) {
    let serial = n.tokens;
    n.tokens = n.tokens.wrapping_add(1);
    let hi = splitmix64(&mut f.rng);
    let lo = splitmix64(&mut f.rng);
    let id = TokenId {
        exec: env.key.exec,
        serial,
        nonce: (u128::from(hi) << 64) | u128::from(lo),
    };
    let mut text = id.encode();
    // A context given from outside (TestState's `context`) that holds a
    // token of its own keeps it (AWS's TestState shows the given one); a
    // token this engine drew for an earlier attempt is replaced.
    let given = f
        .doc
        .field(f.ctx, "Task")
        .and_then(|t| f.doc.field(t, "Token"))
        .and_then(|t| f.doc.as_str(t))
        .filter(|t| TokenId::decode(t).is_err())
        .map(str::to_owned);
    if let Some(g) = given {
        text = g;
    } else if f.doc.as_object(f.ctx).is_some() {
        let d = &mut f.doc;
        let t = d.str(&text);
        let k = d.key("Token");
        let task = d.object(&[Entry { key: k, val: t }]);
        f.ctx = d.with_field(f.ctx, "Task", task);
    }
    f.wait = Some(Box::new(TokenWait {
        id,
        text: text.into(),
        deadline: i64::MAX,
        heartbeat: false,
        registered: false,
    }));
}
