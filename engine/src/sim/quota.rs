//! Account-level Step Functions throttles as token buckets, with AWS's defaults.
//!
//! Defaults (AWS Step Functions service quotas, "Quotas related to state
//! throttling" and "API action throttling", docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html):
//!
//! | bucket | Standard: bucket / refill per s | Express |
//! |---|---|---|
//! | `StartExecution`, us-east-1 / us-west-2 / eu-west-1 | 1,300 / 300 | 6,000 / 6,000 |
//! | `StartExecution`, other Regions | 800 / 150 | 6,000 / 6,000 |
//! | `StateTransition`, us-east-1 / us-west-2 / eu-west-1 | 5,000 / 5,000 | unlimited |
//! | `StateTransition`, other Regions | 800 / 800 | unlimited |

use crate::machine_type::MachineType;

/// A token bucket: `burst` tokens, refilled at `rate_per_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TokenBucket {
    /// Tokens added per second.
    pub rate_per_s: f64,
    /// Bucket size (tokens available at time 0).
    pub burst: f64,
}

impl TokenBucket {
    /// A full bucket at time 0, ready to hand out tokens.
    pub fn start(&self) -> BucketState {
        BucketState {
            bucket: *self,
            tokens: self.burst,
            t_ms: 0.0,
        }
    }
}

/// A token bucket in virtual time. Calls must come in non-decreasing time order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BucketState {
    bucket: TokenBucket,
    tokens: f64,
    t_ms: f64,
}

impl BucketState {
    fn refill(&mut self, now_ms: f64) {
        if now_ms > self.t_ms {
            let add = (now_ms - self.t_ms) * self.bucket.rate_per_s / 1000.0;
            self.tokens = (self.tokens + add).min(self.bucket.burst);
            self.t_ms = now_ms;
        }
    }

    /// Takes a token now if one is there (throttle semantics).
    pub fn try_take(&mut self, now_ms: f64) -> bool {
        self.refill(now_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Reserves the next token and returns when it is granted (`>= now_ms`):
    /// queue semantics, first come first served.
    pub fn take_at(&mut self, now_ms: f64) -> f64 {
        self.refill(now_ms);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            now_ms.max(self.t_ms)
        } else {
            self.t_ms + -self.tokens * 1000.0 / self.bucket.rate_per_s
        }
    }

    /// Takes `n` tokens at `now_ms` (the bucket may go into debt, as with
    /// [`BucketState::take_at`]): returns when the last of them is there
    /// (`now_ms` if all are) and how many of the `n` found none.
    pub fn take_n_at(&mut self, now_ms: f64, n: u64) -> (f64, u64) {
        if n == 0 {
            return (now_ms, 0);
        }
        self.refill(now_ms);
        let had = self.tokens.max(0.0).floor();
        self.tokens -= n as f64;
        let short = n.saturating_sub(had as u64);
        if self.tokens >= 0.0 {
            (now_ms.max(self.t_ms), 0)
        } else {
            (
                self.t_ms + -self.tokens * 1000.0 / self.bucket.rate_per_s,
                short,
            )
        }
    }
}

/// What a StartExecution call does when the bucket is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StartLimit {
    /// The caller waits for a token (a client retrying until it gets through; the default).
    #[default]
    Queue,
    /// The start is rejected with `ThrottlingException` and counted, never run.
    Reject,
}

/// Which AWS defaults `quotas.preset` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// us-east-1, us-west-2, eu-west-1.
    Aws,
    /// Every other commercial Region.
    AwsOtherRegions,
}

/// Account-level throttles (none by default: the run is not throttled).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Quotas {
    /// The `StartExecution` bucket.
    pub start_execution: Option<TokenBucket>,
    /// The `StateTransition` bucket (a transition waits for a token: AWS delays, it does not fail).
    pub state_transitions: Option<TokenBucket>,
    /// What a throttled start does.
    pub on_start_limit: StartLimit,
}

impl Quotas {
    /// AWS's default quotas for a machine type.
    pub fn aws(preset: Preset, machine_type: MachineType) -> Quotas {
        let b = |rate_per_s, burst| Some(TokenBucket { rate_per_s, burst });
        let standard = machine_type == MachineType::Standard;
        let (start_execution, state_transitions) = match (standard, preset) {
            (true, Preset::Aws) => (b(300.0, 1300.0), b(5000.0, 5000.0)),
            (true, Preset::AwsOtherRegions) => (b(150.0, 800.0), b(800.0, 800.0)),
            (false, _) => (b(6000.0, 6000.0), None),
        };
        Quotas {
            start_execution,
            state_transitions,
            on_start_limit: StartLimit::Queue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_queues_and_throttles() {
        let b = TokenBucket {
            rate_per_s: 10.0,
            burst: 2.0,
        };
        let mut s = b.start();
        assert_eq!(s.take_at(0.0), 0.0);
        assert_eq!(s.take_at(0.0), 0.0);
        assert_eq!(s.take_at(0.0), 100.0);
        assert_eq!(s.take_at(0.0), 200.0);
        assert_eq!(s.take_at(500.0), 500.0);
        let mut s = b.start();
        assert!(s.try_take(0.0) && s.try_take(0.0) && !s.try_take(50.0));
        assert!(s.try_take(100.0));
        assert!(s.try_take(10_000.0) && s.try_take(10_000.0) && !s.try_take(10_000.0));
    }

    #[test]
    fn aws_defaults() {
        let q = Quotas::aws(Preset::Aws, MachineType::Standard);
        assert_eq!(q.start_execution.unwrap().burst, 1300.0);
        assert_eq!(q.state_transitions.unwrap().rate_per_s, 5000.0);
        let q = Quotas::aws(Preset::AwsOtherRegions, MachineType::Express);
        assert_eq!(q.start_execution.unwrap().rate_per_s, 6000.0);
        assert!(q.state_transitions.is_none());
    }
}
