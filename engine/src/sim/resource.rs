//! The model of one simulated task resource: how long a call takes, how it
//! fails, what it returns, and its limits. Scheduling (queues, buckets in
//! virtual time) is the driver's; this file only decides per invocation.

use super::dist::LatencyDist;
use super::rng::Rng;
use crate::error::Failure;
use crate::json::{Doc, Val};
use crate::path::{Entropy, Template};

/// Lambda's error when reserved concurrency or a rate limit is exhausted.
pub const LAMBDA_THROTTLE: &str = "Lambda.TooManyRequestsException";
/// The throttle error of AWS services other than Lambda.
pub const GENERIC_THROTTLE: &str = "ThrottlingException";
/// The cause Lambda gives with [`LAMBDA_THROTTLE`].
pub const THROTTLE_CAUSE: &str = "Rate Exceeded.";

/// What a resource returns when it succeeds.
#[derive(Debug, Clone)]
pub enum OutputSpec {
    /// The task's effective input, unchanged (`"echo"`, the default).
    Echo,
    /// A fixed JSON value (`{"value": …}`).
    Value(serde_json::Value),
    /// A payload template evaluated with `$` = the effective input (`{"template": …}`).
    Template(Template),
}

impl OutputSpec {
    /// Builds the result in `doc`: `input` is the task's effective input, `ctx` the context object.
    ///
    /// # Errors
    /// The template's failure (`States.Runtime` for a path that matches
    /// nothing, `States.IntrinsicFailure`).
    pub fn render(
        &self,
        doc: &mut Doc,
        input: Val,
        ctx: Val,
        entropy: Entropy<'_>,
    ) -> Result<Val, Failure> {
        match self {
            OutputSpec::Echo => Ok(input),
            OutputSpec::Value(v) => Ok(doc.import(v)),
            OutputSpec::Template(t) => t.eval(doc, input, ctx, entropy),
        }
    }
}

/// One injected error, drawn with probability `p` per invocation.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorSpec {
    /// Error name, e.g. `Lambda.ServiceException`.
    pub error: String,
    /// Cause text (default: empty).
    pub cause: String,
    /// Probability per invocation, in `[0, 1]` (the list sums to at most 1).
    pub p: f64,
}

/// What happens to a call that finds the resource at its limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OnLimit {
    /// Wait for a free slot / token, in FIFO order; a call that would wait
    /// longer than `max_queue_ms` fails with the throttle error instead.
    Queue {
        /// Longest wait (none: unbounded).
        max_queue_ms: Option<f64>,
    },
    /// Fail at once with the throttle error.
    Throttle,
}

/// The simulated behaviour of every resource one scenario key matches.
#[derive(Debug, Clone)]
pub struct ResourceModel {
    /// The key as written in the scenario (`arn:…`, `prefix*`, `*`).
    pub key: String,
    /// The key, parsed.
    pub pattern: crate::handlers::Pattern,
    /// Latency of one invocation.
    pub latency: LatencyDist,
    /// Injected errors.
    pub errors: Vec<ErrorSpec>,
    /// What a success returns.
    pub output: OutputSpec,
    /// Most invocations in flight at once (none: unlimited).
    pub max_concurrency: Option<u32>,
    /// Token-bucket rate limit, invocations per second (none: unlimited).
    pub max_rate_per_s: Option<f64>,
    /// Bucket size for `max_rate_per_s` (default: one second's worth, at least 1).
    pub burst: Option<f64>,
    /// What a call at the limit does.
    pub on_limit: OnLimit,
    /// Error of a throttled call (and of one that waited past `max_queue_ms`).
    pub throttle_error: String,
    /// Cause of a throttled call.
    pub throttle_cause: String,
    /// Lambda memory size, for the cost model (default 128).
    pub memory_mb: u32,
}

/// The outcome of one invocation, decided up front.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    /// How long the call runs, once started (errors take time too).
    pub latency_ms: f64,
    /// Success with what to return, or an injected error.
    pub outcome: Result<&'a OutputSpec, &'a ErrorSpec>,
}

impl ResourceModel {
    /// A model with the defaults for `key`: constant 0 ms latency, no errors, echo output, no limits.
    pub fn new(key: &str) -> ResourceModel {
        ResourceModel {
            key: key.to_owned(),
            pattern: crate::handlers::Pattern::parse(key),
            latency: LatencyDist::Constant(0.0),
            errors: Vec::new(),
            output: OutputSpec::Echo,
            max_concurrency: None,
            max_rate_per_s: None,
            burst: None,
            on_limit: OnLimit::Queue { max_queue_ms: None },
            throttle_error: default_throttle_error(key).to_owned(),
            throttle_cause: THROTTLE_CAUSE.to_owned(),
            memory_mb: 128,
        }
    }

    /// Samples one invocation: the latency first, then the error, always two
    /// draws in that order so streams stay aligned whatever the outcome.
    pub fn decide(&self, rng: &mut Rng) -> Decision<'_> {
        let latency_ms = self.latency.sample_ms(rng);
        let u = rng.next_f64();
        let mut acc = 0.0;
        for e in &self.errors {
            acc += e.p;
            if u < acc {
                return Decision {
                    latency_ms,
                    outcome: Err(e),
                };
            }
        }
        Decision {
            latency_ms,
            outcome: Ok(&self.output),
        }
    }

    /// The throttle failure of this resource.
    pub fn throttle_failure(&self) -> Failure {
        Failure::new(self.throttle_error.clone(), self.throttle_cause.clone())
    }

    /// The token-bucket size for `max_rate_per_s`.
    pub fn bucket_size(&self) -> Option<f64> {
        let rate = self.max_rate_per_s?;
        Some(self.burst.unwrap_or(rate.ceil().max(1.0)))
    }
}

/// The default throttle error for a resource key: Lambda's for Lambda ARNs
/// (`arn:aws:lambda:…`, `arn:aws:states:::lambda:invoke`), else `ThrottlingException`.
pub fn default_throttle_error(key: &str) -> &'static str {
    if key.contains(":lambda:") {
        LAMBDA_THROTTLE
    } else {
        GENERIC_THROTTLE
    }
}

/// How well `pattern` matches `resource`: `None` for no match; an exact
/// match beats the longest prefix, which beats `*` (the handler registry's rules).
pub fn matches(pattern: &crate::handlers::Pattern, resource: &str) -> Option<usize> {
    use crate::handlers::Pattern;
    match pattern {
        Pattern::Exact(e) => (e == resource).then_some(usize::MAX),
        Pattern::Prefix(p) => resource.starts_with(p.as_str()).then_some(p.len()),
        Pattern::Any => Some(0),
    }
}

/// The index of the model that serves `resource` (best rank; the first on a tie).
pub fn resolve(models: &[ResourceModel], resource: &str) -> Option<usize> {
    models
        .iter()
        .enumerate()
        .filter_map(|(i, m)| matches(&m.pattern, resource).map(|r| (r, std::cmp::Reverse(i))))
        .max()
        .map(|(_, std::cmp::Reverse(i))| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: &str = "arn:aws:lambda:us-east-1:123456789012:function:charge";

    #[test]
    fn resolve_ranks_exact_prefix_any() {
        let ms = [
            ResourceModel::new("*"),
            ResourceModel::new("arn:aws:lambda:*"),
            ResourceModel::new("arn:aws:lambda:us-east-1:*"),
            ResourceModel::new(F),
        ];
        assert_eq!(resolve(&ms, F), Some(3));
        assert_eq!(
            resolve(&ms, "arn:aws:lambda:us-east-1:1:function:x"),
            Some(2)
        );
        assert_eq!(
            resolve(&ms, "arn:aws:lambda:eu-west-1:1:function:x"),
            Some(1)
        );
        assert_eq!(resolve(&ms, "arn:aws:states:::sqs:sendMessage"), Some(0));
        assert_eq!(resolve(&ms[1..2], "x"), None);
    }

    #[test]
    fn throttle_defaults() {
        assert_eq!(ResourceModel::new(F).throttle_error, LAMBDA_THROTTLE);
        assert_eq!(
            default_throttle_error("arn:aws:states:::lambda:invoke"),
            LAMBDA_THROTTLE
        );
        assert_eq!(
            default_throttle_error("arn:aws:states:::dynamodb:putItem"),
            GENERIC_THROTTLE
        );
        let mut m = ResourceModel::new(F);
        assert_eq!(m.bucket_size(), None);
        m.max_rate_per_s = Some(2.5);
        assert_eq!(m.bucket_size(), Some(3.0));
        m.burst = Some(10.0);
        assert_eq!(m.bucket_size(), Some(10.0));
    }

    #[test]
    fn decide_draws_errors_with_their_probabilities() {
        let mut m = ResourceModel::new(F);
        m.latency = LatencyDist::Constant(5.0);
        m.errors = vec![
            ErrorSpec {
                error: "A".into(),
                cause: String::new(),
                p: 0.1,
            },
            ErrorSpec {
                error: "B".into(),
                cause: "b".into(),
                p: 0.2,
            },
        ];
        let mut rng = Rng::new(3);
        let (mut a, mut b, mut ok) = (0, 0, 0);
        for _ in 0..100_000 {
            let d = m.decide(&mut rng);
            assert_eq!(d.latency_ms, 5.0);
            match d.outcome {
                Ok(_) => ok += 1,
                Err(e) if e.error == "A" => a += 1,
                Err(_) => b += 1,
            }
        }
        assert!((a as f64 - 10_000.0).abs() < 500.0, "{a}");
        assert!((b as f64 - 20_000.0).abs() < 600.0, "{b}");
        assert!((ok as f64 - 70_000.0).abs() < 800.0, "{ok}");
    }

    #[test]
    fn render_outputs() {
        let mut doc = Doc::new();
        let input = doc.import(&serde_json::json!({"a": 1}));
        let ctx = doc.import(&serde_json::json!({}));
        let mut ent = || 7u64;
        let echo = OutputSpec::Echo
            .render(&mut doc, input, ctx, &mut ent)
            .unwrap();
        assert_eq!(doc.to_json(echo), r#"{"a":1}"#);
        let v = OutputSpec::Value(serde_json::json!([true]))
            .render(&mut doc, input, ctx, &mut ent)
            .unwrap();
        assert_eq!(doc.to_json(v), "[true]");
        let t = Template::compile(&serde_json::json!({"b.$": "$.a", "c": 2})).unwrap();
        let v = OutputSpec::Template(t)
            .render(&mut doc, input, ctx, &mut ent)
            .unwrap();
        assert_eq!(doc.to_json(v), r#"{"b":1,"c":2}"#);
    }
}
