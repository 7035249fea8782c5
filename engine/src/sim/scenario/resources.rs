//! Reading `resources`: one [`ResourceModel`] per key.

use super::parts::dist;
use super::reader::{ptr_index, ptr_key, Check, Cx};
use crate::path::Template;
use crate::sim::resource::{ErrorSpec, OnLimit, OutputSpec, ResourceModel};
use serde_json::{Map, Value};

const FIELDS: &[&str] = &[
    "latency_ms",
    "errors",
    "output",
    "max_concurrency",
    "max_rate_per_s",
    "burst",
    "on_limit",
    "max_queue_ms",
    "throttle_error",
    "throttle_cause",
    "memory_mb",
];

/// Lambda's memory range, in MB.
const MEMORY_MB: (u64, u64) = (128, 10_240);

/// The `resources` object, in document order.
pub(crate) fn resources(cx: &mut Cx, v: Option<&Value>) -> Vec<ResourceModel> {
    let Some(v) = v else {
        return Vec::new();
    };
    let Some(m) = v.as_object() else {
        cx.err("/resources", "must be an object keyed by Resource pattern");
        return Vec::new();
    };
    m.iter()
        .filter_map(|(key, spec)| resource(cx, key, spec, &ptr_key("/resources", key)))
        .collect()
}

fn resource(cx: &mut Cx, key: &str, v: &Value, p: &str) -> Option<ResourceModel> {
    let before = cx.diags.len();
    let m = cx.object(v, p, FIELDS)?;
    let mut r = ResourceModel::new(key);
    if key.is_empty() {
        cx.err(p, "a resource pattern must not be empty");
    }
    if let Some(l) = m.get("latency_ms") {
        r.latency = dist(cx, l, &ptr_key(p, "latency_ms")).unwrap_or(r.latency);
    }
    if let Some(e) = m.get("errors") {
        r.errors = errors(cx, e, &ptr_key(p, "errors"));
    }
    if let Some(o) = m.get("output") {
        r.output = output(cx, o, &ptr_key(p, "output")).unwrap_or(OutputSpec::Echo);
    }
    if let Some(c) = m.get("max_concurrency") {
        r.max_concurrency = cx
            .integer(c, &ptr_key(p, "max_concurrency"), 1, u32::MAX as u64)
            .map(|c| c as u32);
    }
    r.max_rate_per_s = cx.opt_number(m, p, "max_rate_per_s", Check::Positive);
    if m.contains_key("burst") {
        if !m.contains_key("max_rate_per_s") {
            cx.err(&ptr_key(p, "burst"), "needs max_rate_per_s");
        }
        r.burst = cx.opt_number(m, p, "burst", Check::Positive);
        if r.burst.is_some_and(|b| b < 1.0) {
            cx.err(&ptr_key(p, "burst"), "must be >= 1");
        }
    }
    r.on_limit = on_limit(cx, m, p);
    if let Some(t) = m.get("throttle_error") {
        match cx.string(t, &ptr_key(p, "throttle_error")) {
            Some("") => cx.err(&ptr_key(p, "throttle_error"), "must not be empty"),
            Some(s) => r.throttle_error = s.to_owned(),
            None => {}
        }
    }
    if let Some(t) = m.get("throttle_cause") {
        if let Some(s) = cx.string(t, &ptr_key(p, "throttle_cause")) {
            r.throttle_cause = s.to_owned();
        }
    }
    if let Some(mb) = m.get("memory_mb") {
        let (lo, hi) = MEMORY_MB;
        if let Some(mb) = cx.integer(mb, &ptr_key(p, "memory_mb"), lo, hi) {
            r.memory_mb = mb as u32;
        }
    }
    (cx.diags.len() == before).then_some(r)
}

fn on_limit(cx: &mut Cx, m: &Map<String, Value>, p: &str) -> OnLimit {
    let mode = match m.get("on_limit") {
        None => "queue",
        Some(v) => match cx.string(v, &ptr_key(p, "on_limit")) {
            Some(s @ ("queue" | "throttle")) => s,
            Some(other) => {
                cx.err(
                    &ptr_key(p, "on_limit"),
                    format!("must be \"queue\" or \"throttle\", not \"{other}\""),
                );
                "queue"
            }
            None => "queue",
        },
    };
    let max_queue_ms = cx.opt_number(m, p, "max_queue_ms", Check::NonNegative);
    if mode == "throttle" {
        if m.contains_key("max_queue_ms") {
            cx.err(
                &ptr_key(p, "max_queue_ms"),
                "only applies with on_limit \"queue\"",
            );
        }
        return OnLimit::Throttle;
    }
    OnLimit::Queue { max_queue_ms }
}

fn errors(cx: &mut Cx, v: &Value, p: &str) -> Vec<ErrorSpec> {
    let Some(items) = v.as_array() else {
        cx.err(p, "must be an array of {\"error\", \"cause\"?, \"p\"}");
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let ip = ptr_index(p, i);
        let Some(m) = cx.object(item, &ip, &["error", "cause", "p"]) else {
            continue;
        };
        let error = cx
            .required(m, &ip, "error")
            .and_then(|e| cx.string(e, &ptr_key(&ip, "error")));
        if error == Some("") {
            cx.err(&ptr_key(&ip, "error"), "must not be empty");
        }
        let cause = m
            .get("cause")
            .and_then(|c| cx.string(c, &ptr_key(&ip, "cause")));
        let prob = cx.req_number(m, &ip, "p", Check::Probability);
        if let (Some(error), Some(p)) = (error, prob) {
            out.push(ErrorSpec {
                error: error.to_owned(),
                cause: cause.unwrap_or_default().to_owned(),
                p,
            });
        }
    }
    let sum: f64 = out.iter().map(|e| e.p).sum();
    if sum > 1.0 + 1e-9 {
        cx.err(p, format!("probabilities sum to {sum}, must be at most 1"));
    }
    out
}

/// `"echo"`, `{"value": …}` or `{"template": {…}}`.
fn output(cx: &mut Cx, v: &Value, p: &str) -> Option<OutputSpec> {
    if v.as_str() == Some("echo") {
        return Some(OutputSpec::Echo);
    }
    let shape = "must be \"echo\", {\"value\": …} or {\"template\": {…}}";
    if !v.is_object() {
        cx.err(p, shape);
        return None;
    }
    let m = cx.object(v, p, &["value", "template"])?;
    match (m.get("value"), m.get("template")) {
        (Some(v), None) => Some(OutputSpec::Value(v.clone())),
        (None, Some(t)) => template(cx, t, &ptr_key(p, "template")).map(OutputSpec::Template),
        _ => {
            cx.err(p, shape);
            None
        }
    }
}

/// Compiles a payload template, reporting its errors under `p`.
pub(crate) fn template(cx: &mut Cx, t: &Value, p: &str) -> Option<Template> {
    if !t.is_object() {
        cx.err(p, "a template must be an object");
        return None;
    }
    Template::compile(t)
        .map_err(|errs| {
            for e in errs {
                cx.err(&format!("{p}{}", e.location), e.to_string());
            }
        })
        .ok()
}
