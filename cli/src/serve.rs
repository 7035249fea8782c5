//! `stampede serve`: the Step Functions–compatible HTTP API (see the
//! `stampede-server` crate), a drop-in for Step Functions Local.

use anyhow::{anyhow, Result};
use stampede_server::{Config, LogLevel};
use std::path::PathBuf;
use std::process::ExitCode;

const ENV_HELP: &str = "\
Environment variables:
  SFN_MOCK_CONFIG        the mock file, as Step Functions Local reads it (same as --mock-config)
  LAMBDA_ENDPOINT        the Lambda-Invoke endpoint (same as --lambda-endpoint)
  STAMPEDE_LOG_LEVEL     the log level (same as --log-level)
  AWS_DISABLE_HOST_PREFIX_INJECTION=true
                         set it for the AWS CLI (boto3: Config(inject_host_prefix=False)):
                         StartSyncExecution and TestState otherwise go to http://sync-HOST:PORT

Clients: any credentials work (they are not checked), e.g.
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \\
    aws stepfunctions list-state-machines --endpoint-url http://127.0.0.1:8083";

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = ENV_HELP)]
pub(crate) struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (Step Functions Local's by default; 0 picks a free one).
    #[arg(long, default_value_t = 8083)]
    port: u16,
    /// A MockConfigFile.json (Step Functions Local's format); a test case is
    /// chosen with StartExecution's stateMachineArn `ARN#TestCase`.
    #[arg(long, env = "SFN_MOCK_CONFIG", value_name = "FILE")]
    mock_config: Option<PathBuf>,
    /// Region in the ARNs the server makes.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Account in the ARNs the server makes.
    #[arg(long, default_value = "123456789012")]
    account: String,
    /// A Lambda-Invoke-compatible endpoint (e.g. `sam local start-lambda`'s
    /// http://127.0.0.1:3001) that unmocked Lambda tasks call.
    #[arg(long, env = "LAMBDA_ENDPOINT", value_name = "URL")]
    lambda_endpoint: Option<String>,
    /// debug, info (a line per request), warn (client errors), error, off.
    #[arg(long, env = "STAMPEDE_LOG_LEVEL", default_value = "info")]
    log_level: String,
    /// Engine worker threads and I/O threads, each (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Ended executions kept, with their histories, for Describe/List/GetExecutionHistory
    /// (oldest dropped first).
    #[arg(long, default_value_t = 100_000)]
    max_executions: usize,
    /// Megabytes the kept ended executions may hold together, histories included
    /// (oldest dropped first; the newest is always kept).
    #[arg(long, default_value_t = 512, value_name = "MB")]
    max_executions_mb: usize,
    /// Executions allowed to run at once (more: ExecutionLimitExceeded).
    #[arg(long, default_value_t = 1_000_000)]
    max_running: usize,
    /// How long GetActivityTask waits for a task, in ms. AWS waits 60 s;
    /// a shorter poll is for tests (workers poll again on an empty answer).
    #[arg(long, default_value_t = 60_000, value_name = "MS")]
    activity_poll_ms: u64,
}

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    let log_level = LogLevel::parse(&args.log_level).ok_or_else(|| {
        anyhow!(
            "--log-level {:?}: use debug, info, warn, error or off",
            args.log_level
        )
    })?;
    let config = Config {
        host: args.host.clone(),
        port: args.port,
        region: args.region.clone(),
        account: args.account.clone(),
        mock_config: args.mock_config.clone(),
        lambda_endpoint: args.lambda_endpoint.clone(),
        log_level,
        threads: args.threads,
        max_ended: args.max_executions.max(1),
        max_ended_bytes: args.max_executions_mb.saturating_mul(1 << 20),
        max_running: args.max_running.max(1),
        activity_poll_ms: args.activity_poll_ms,
        ..Config::default()
    };
    stampede_server::run(&config, |addr| {
        if log_level < LogLevel::Off {
            eprintln!("stampede serve: listening on http://{addr}");
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
