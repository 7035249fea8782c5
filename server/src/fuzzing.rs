//! The entry point of the `server` fuzz target (`fuzz/`), built only with
//! the `fuzzing` feature: requests decoded and answered as `handle` does,
//! without the socket, on a fresh server per input.

use crate::config::Config;
use crate::dispatch;
use crate::fields::Fields;
use crate::server::build_app;
use std::time::Duration;

/// How long one request may take before the harness moves on (a
/// StartSyncExecution of a machine that waits, a GetActivityTask with no task).
const PER_REQUEST: Duration = Duration::from_millis(20);

/// Answers every request of `data`: requests are separated by NUL, each is
/// `Operation` (the part of `X-Amz-Target` after `AWSStepFunctions.`), a
/// newline, and the body. The requests share one fresh server, so a
/// CreateStateMachine can be followed by a StartExecution of it.
pub fn requests(data: &[u8]) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    else {
        return;
    };
    rt.block_on(async {
        let config = Config {
            threads: Some(1),
            activity_poll_ms: 5,
            max_ended: 64,
            max_running: 64,
            ..Config::default()
        };
        let app = build_app(&config, None, None);
        for request in data.split(|b| *b == 0).take(16) {
            let (target, body) = match request.iter().position(|b| *b == b'\n') {
                Some(i) => (&request[..i], &request[i + 1..]),
                None => (request, &b""[..]),
            };
            let target = std::str::from_utf8(target)
                .ok()
                .map(|t| format!("{}{t}", dispatch::TARGET_PREFIX));
            let Ok(op) = dispatch::operation(target.as_deref()) else {
                continue;
            };
            if let Ok(f) = Fields::parse(body) {
                let answer =
                    tokio::time::timeout(PER_REQUEST, dispatch::dispatch(&app, op, f)).await;
                if let Ok(Err(e)) = answer {
                    // Every error has AWS's shape: a `__type` and a status.
                    assert!(!e.kind.is_empty() && (400..600).contains(&e.status));
                }
            }
        }
    });
}
