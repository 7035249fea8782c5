//! How a server is set up: address, ARNs, mocks, the Lambda endpoint,
//! logging, the activity poll and the limits that bound its memory.

use crate::log::LogLevel;
use std::path::PathBuf;

/// Everything `stampede serve` takes.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind (default `127.0.0.1`).
    pub host: String,
    /// Port (default 8083, Step Functions Local's; 0 picks a free one).
    pub port: u16,
    /// Region of the ARNs (default `us-east-1`).
    pub region: String,
    /// Account of the ARNs (default `123456789012`).
    pub account: String,
    /// A MockConfigFile.json (Step Functions Local's format).
    pub mock_config: Option<PathBuf>,
    /// A Lambda-Invoke-compatible endpoint, `http://host:port`.
    pub lambda_endpoint: Option<String>,
    /// Request log level.
    pub log_level: LogLevel,
    /// Engine worker threads (default: one per core).
    pub threads: Option<usize>,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// Ended executions kept for Describe/List (the oldest go first).
    pub max_ended: usize,
    /// Bytes the kept ended executions may hold together, histories
    /// included (past it the oldest go first; the newest is always kept).
    pub max_ended_bytes: usize,
    /// Executions allowed to run at once (more: `ExecutionLimitExceeded`).
    pub max_running: usize,
    /// How long `GetActivityTask` waits for a task, in ms (AWS: 60 s; a
    /// shorter poll is for tests).
    pub activity_poll_ms: u64,
    /// `GetActivityTask` polls allowed to wait at once (more: `ActivityWorkerLimitExceeded`).
    pub max_pollers: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 8083,
            region: "us-east-1".into(),
            account: "123456789012".into(),
            mock_config: None,
            lambda_endpoint: None,
            log_level: LogLevel::Info,
            threads: None,
            // A 1 MiB definition escaped inside the JSON body, with room to spare.
            max_body: 4 << 20,
            max_ended: 100_000,
            // pass10 keeps ~17 KB an execution with its history: ~30,000 of them.
            max_ended_bytes: 512 << 20,
            max_running: 1_000_000,
            activity_poll_ms: 60_000,
            max_pollers: 1_000,
        }
    }
}
