//! The HTTP side: one `POST /` route that reads `X-Amz-Target`, reads the
//! body (capped), dispatches, and answers in awsJson1_0 with a request id
//! and a log line; binding, serving and graceful shutdown.

use crate::activity_tasks::ActivityTasks;
use crate::app::App;
use crate::config::Config;
use crate::dispatch;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::lambda::Endpoint;
use crate::log::{self, LogLevel};
use crate::names::Arns;
use crate::nested::Children;
use crate::store::Store;
use crate::tasks::Integrations;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::Value;
use stampede::{Clock, Runtime};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// Why a server could not start or stopped.
#[derive(Debug)]
pub enum ServeError {
    /// Binding or serving the socket failed.
    Io(String, std::io::Error),
    /// The mock file cannot be read or has problems (each listed).
    MockConfig(String),
    /// The Lambda endpoint is not an `http://host:port` URL.
    LambdaEndpoint(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Io(what, e) => write!(f, "{what}: {e}"),
            ServeError::MockConfig(m) => write!(f, "mock config: {m}"),
            ServeError::LambdaEndpoint(m) => write!(f, "--lambda-endpoint: {m}"),
        }
    }
}

impl std::error::Error for ServeError {}

struct Ctx {
    app: Arc<App>,
    max_body: usize,
    log: LogLevel,
}

const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// A bound server, ready to serve.
pub struct Server {
    listener: tokio::net::TcpListener,
    ctx: Arc<Ctx>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.listener.local_addr().ok())
            .finish()
    }
}

/// Reads a mock file and checks every test case of every state machine in it.
fn read_mocks(path: &std::path::Path) -> Result<serde_json::Value, ServeError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ServeError::MockConfig(format!("cannot read {}: {e}", path.display())))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| ServeError::MockConfig(format!("{} is not JSON: {e}", path.display())))?;
    let machines = json.get("StateMachines").and_then(|m| m.as_object());
    let mut problems = String::new();
    for (machine, cases) in machines.into_iter().flatten() {
        let cases = cases.get("TestCases").and_then(|c| c.as_object());
        for case in cases.into_iter().flatten().map(|(k, _)| k) {
            if let Err(e) = stampede::handlers::mock_config(&json, Some(machine), Some(case)) {
                problems.push_str(&e.to_string());
            }
        }
    }
    if machines.is_none() {
        if let Err(e) = stampede::handlers::mock_config(&json, None, None) {
            problems.push_str(&e.to_string());
        }
    }
    if problems.is_empty() {
        Ok(json)
    } else {
        Err(ServeError::MockConfig(format!(
            "{}:\n{}",
            path.display(),
            problems.trim_end()
        )))
    }
}

impl Server {
    /// Binds the address, reads the mock file and starts the engine.
    ///
    /// # Errors
    /// The address cannot be bound; the mock file or the Lambda endpoint is bad.
    pub async fn bind(config: &Config) -> Result<Server, ServeError> {
        let mocks = config.mock_config.as_deref().map(read_mocks).transpose()?;
        let lambda = config
            .lambda_endpoint
            .as_deref()
            .map(Endpoint::parse)
            .transpose()
            .map_err(ServeError::LambdaEndpoint)?;
        let addr = format!("{}:{}", config.host, config.port);
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| ServeError::Io(format!("cannot listen on {addr}"), e))?;
        let app = build_app(config, mocks, lambda);
        Ok(Server {
            listener,
            ctx: Arc::new(Ctx {
                app,
                max_body: config.max_body,
                log: config.log_level,
            }),
        })
    }

    /// The address it listens on.
    ///
    /// # Errors
    /// The socket has no address (should not happen once bound).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then answers the requests in
    /// flight and returns.
    ///
    /// # Errors
    /// Serving the socket failed.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let router = Router::new()
            .route("/", axum::routing::post(handle))
            .fallback(not_found)
            .with_state(Arc::clone(&self.ctx));
        axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| ServeError::Io("serving".into(), e))
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Runs a server until Ctrl-C or SIGTERM, on a tokio runtime of its own;
/// `ready` is told the address once it listens.
///
/// # Errors
/// As [`Server::bind`] and [`Server::run`].
pub fn run(config: &Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder
        .enable_all()
        .max_blocking_threads(4)
        .thread_name("stampede-io");
    if let Some(n) = config.threads {
        builder.worker_threads(n);
    }
    let tokio = builder
        .build()
        .map_err(|e| ServeError::Io("cannot start the I/O threads".into(), e))?;
    let level = config.log_level;
    tokio.block_on(async {
        let server = Server::bind(config).await?;
        let addr = server
            .local_addr()
            .map_err(|e| ServeError::Io("local address".into(), e))?;
        ready(addr);
        server
            .run(async move {
                signal().await;
                log::event(level, "stopping: answering the requests in flight");
            })
            .await
    })
}

/// The shared state of a server of `config` (inside a tokio runtime: the
/// Lambda client and nested executions use its handle).
pub(crate) fn build_app(
    config: &Config,
    mocks: Option<Value>,
    lambda: Option<Endpoint>,
) -> Arc<App> {
    let mut rt = Runtime::builder().clock(Clock::Wall);
    if let Some(n) = config.threads {
        rt = rt.threads(n);
    }
    let store = Arc::new(Store::new(
        config.max_ended,
        config.max_ended_bytes,
        config.max_running,
    ));
    let activity_tasks = ActivityTasks::new(config.max_pollers);
    let integrations = Integrations::new(
        lambda,
        tokio::runtime::Handle::current(),
        Arc::clone(&store),
        activity_tasks.clone(),
    );
    let app = App::new(
        store,
        rt.build(),
        Arns {
            region: config.region.clone(),
            account: config.account.clone(),
        },
        mocks,
        integrations,
        activity_tasks,
        std::time::Duration::from_millis(config.activity_poll_ms),
    );
    let app = Arc::new(app);
    let children: std::sync::Weak<dyn Children> = Arc::downgrade(&app) as _;
    app.integrations.bind_children(children);
    app
}

async fn handle(State(ctx): State<Arc<Ctx>>, req: Request) -> Response {
    let t0 = Instant::now();
    // The request taken apart, not its headers copied (as the `HeaderMap` extractor would).
    let (parts, body) = req.into_parts();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok());
    let (op, size, result) = match dispatch::operation(target) {
        Err(e) => ("-", 0, Err(e)),
        Ok(op) => match axum::body::to_bytes(body, ctx.max_body).await {
            Err(_) => (
                op,
                0,
                Err(ApiError {
                    kind: "RequestEntityTooLargeException",
                    message: format!("The request body is larger than {} bytes", ctx.max_body),
                    status: 413,
                }),
            ),
            Ok(bytes) => {
                let r = match Fields::parse(&bytes) {
                    Ok(f) => dispatch::dispatch(&ctx.app, op, f).await,
                    Err(e) => Err(e),
                };
                (op, bytes.len(), r)
            }
        },
    };
    let (status, kind, text) = match result {
        Ok(body) => (200, None, body),
        Err(e) => (e.status, Some(e.kind), e.body().into_bytes()),
    };
    log::request(ctx.log, op, status, kind, t0.elapsed().as_micros(), size);
    let mut resp = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        text,
    )
        .into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&ctx.app.uuid()) {
        h.insert("x-amzn-requestid", id);
    }
    resp
}

async fn not_found() -> Response {
    let e = ApiError {
        kind: "UnknownOperationException",
        message: "Step Functions' API is POST / with X-Amz-Target: AWSStepFunctions.<Operation>"
            .into(),
        status: 404,
    };
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        e.body(),
    )
        .into_response()
}
