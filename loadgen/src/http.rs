//! `http`: load on a Step Functions–compatible HTTP endpoint (`stampede
//! serve`, moto's server, Step Functions Local…): C keep-alive connections,
//! each sending one request after another (closed loop), bounded by time
//! and by count. Creates its state machine from a definition file first,
//! then measures StartExecution or StartSyncExecution: requests/s and
//! latency percentiles, with every answer's status counted.

use anyhow::{bail, Context, Result};
use hdrhistogram::Histogram;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Arguments of `http`.
#[derive(clap::Args, Debug, Clone)]
pub struct HttpArgs {
    /// The endpoint, `http://host:port`.
    #[arg(long)]
    pub url: String,
    /// The state machine definition (ASL JSON) to create.
    #[arg(long)]
    pub definition: PathBuf,
    /// The execution input (JSON file; default `{}`).
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// `start` (StartExecution on a STANDARD machine) or `sync`
    /// (StartSyncExecution on an EXPRESS one).
    #[arg(long, default_value = "sync")]
    pub op: String,
    /// Concurrent connections (each one request in flight).
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// Seconds to measure (after a one-second warm-up).
    #[arg(long, default_value_t = 5.0)]
    pub seconds: f64,
    /// Most requests to send in the measured part (0 = no limit).
    #[arg(long, default_value_t = 2_000_000)]
    pub max_requests: u64,
    /// A label for the JSON line (e.g. `stampede`, `moto`).
    #[arg(long, default_value = "endpoint")]
    pub label: String,
}

/// One keep-alive connection speaking just enough HTTP/1.1.
struct Conn {
    addr: String,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn new(addr: &str) -> Conn {
        Conn {
            addr: addr.to_owned(),
            stream: None,
        }
    }

    /// Sends one awsJson1_0 request; the status and body of the answer.
    fn call(&mut self, op: &str, body: &str) -> Result<(u16, String)> {
        for attempt in 0..2 {
            if self.stream.is_none() {
                let s = TcpStream::connect(&self.addr)
                    .with_context(|| format!("connect {}", self.addr))?;
                s.set_nodelay(true)?;
                s.set_read_timeout(Some(Duration::from_secs(60)))?;
                self.stream = Some(BufReader::new(s));
            }
            match self.exchange(op, body) {
                Ok(r) => return Ok(r),
                Err(e) if attempt == 0 => {
                    self.stream = None;
                    let _ = e;
                }
                Err(e) => return Err(e),
            }
        }
        bail!("unreachable")
    }

    fn exchange(&mut self, op: &str, body: &str) -> Result<(u16, String)> {
        let r = self.stream.as_mut().context("not connected")?;
        let req = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: AWSStepFunctions.{op}\r\n\
             Content-Type: application/x-amz-json-1.0\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/states/aws4_request, \
             SignedHeaders=host;x-amz-target, Signature=0\r\nX-Amz-Date: 20260101T000000Z\r\n\
             Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        r.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        r.read_line(&mut line)?;
        let status: u16 = line.split(' ').nth(1).context("no status line")?.parse()?;
        let keep = line.starts_with("HTTP/1.1");
        let (mut len, mut close) = (None, !keep);
        loop {
            line.clear();
            if r.read_line(&mut line)? == 0 {
                bail!("connection closed in the headers");
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let k = k.to_ascii_lowercase();
                if k == "content-length" {
                    len = v.trim().parse::<usize>().ok();
                } else if k == "connection" {
                    close = v.trim().eq_ignore_ascii_case("close");
                }
            }
        }
        let mut body = Vec::new();
        match len {
            Some(n) => {
                body.resize(n, 0);
                r.read_exact(&mut body)?;
            }
            None => {
                r.read_to_end(&mut body)?;
                close = true;
            }
        }
        if close {
            self.stream = None;
        }
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// What an `http` run measured.
#[derive(Debug)]
pub struct HttpReport {
    /// Label, operation, connections.
    pub label: String,
    /// The operation measured.
    pub op: String,
    /// Connections.
    pub connections: usize,
    /// Requests answered 200 in the measured part.
    pub ok: u64,
    /// Requests answered otherwise (status → count), and one sample body.
    pub errors: Vec<(u16, u64)>,
    /// A sample error body.
    pub error_sample: Option<String>,
    /// Seconds measured.
    pub seconds: f64,
    /// Latency histogram (µs) of the 200s.
    pub hist: Histogram<u64>,
    /// StartExecution only: seconds after the measured part until the
    /// endpoint listed no RUNNING execution of the machine (its backlog), and
    /// whether that happened within [`DRAIN_LIMIT`].
    pub drain: Option<(f64, bool)>,
}

/// The longest wait for a StartExecution backlog to finish.
pub const DRAIN_LIMIT: Duration = Duration::from_secs(60);

impl HttpReport {
    /// The JSON line.
    pub fn to_json(&self) -> serde_json::Value {
        let q = |p: f64| self.hist.value_at_quantile(p) as f64 / 1000.0;
        serde_json::json!({
            "mode": "http",
            "label": self.label,
            "op": self.op,
            "connections": self.connections,
            "ok": self.ok,
            "errors": self.errors.iter().map(|(s, n)| serde_json::json!({"status": s, "count": n})).collect::<Vec<_>>(),
            "error_sample": self.error_sample,
            "seconds": (self.seconds * 1000.0).round() / 1000.0,
            "requests_per_s": (self.ok as f64 / self.seconds).round(),
            "p50_ms": q(0.5),
            "p99_ms": q(0.99),
            "max_ms": self.hist.max() as f64 / 1000.0,
            "drain_s": self.drain.map(|(s, _)| (s * 1000.0).round() / 1000.0),
            "drained": self.drain.map(|(_, d)| d),
            // Executions finished per second: the answers over the measured
            // part and the backlog's drain together (a start is answered
            // before its execution runs).
            "completed_per_s": self.drain.filter(|(_, d)| *d)
                .map(|(s, _)| (self.ok as f64 / (self.seconds + s)).round()),
        })
    }
}

/// Polls `ListExecutions` (RUNNING, one result) until the machine has no
/// running execution or [`DRAIN_LIMIT`] passed: the seconds it took and
/// whether it drained.
fn drain(addr: &str, arn: &str) -> (f64, bool) {
    let t0 = Instant::now();
    let body =
        serde_json::json!({"stateMachineArn": arn, "statusFilter": "RUNNING", "maxResults": 1})
            .to_string();
    let mut conn = Conn::new(addr);
    while t0.elapsed() < DRAIN_LIMIT {
        let empty = match conn.call("ListExecutions", &body) {
            Ok((200, text)) => serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["executions"].as_array().map(Vec::is_empty))
                .unwrap_or(false),
            _ => false,
        };
        if empty {
            return (t0.elapsed().as_secs_f64(), true);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    (t0.elapsed().as_secs_f64(), false)
}

/// Creates the machine, warms up for a second, then measures.
///
/// # Errors
/// The endpoint cannot be reached or refuses to create the machine.
pub fn run_until(args: &HttpArgs, stop: &AtomicBool) -> Result<HttpReport> {
    let addr = args
        .url
        .strip_prefix("http://")
        .context("--url must be http://host:port")?
        .trim_end_matches('/')
        .to_owned();
    let definition = std::fs::read_to_string(&args.definition)
        .with_context(|| format!("reading {}", args.definition.display()))?;
    let input = match &args.input {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
        }
        None => "{}".to_owned(),
    };
    let (op, kind) = match args.op.as_str() {
        "sync" => ("StartSyncExecution", "EXPRESS"),
        "start" => ("StartExecution", "STANDARD"),
        other => bail!("--op {other:?}: use sync or start"),
    };
    let name = format!(
        "loadgen-{}-{}",
        kind.to_ascii_lowercase(),
        std::process::id()
    );
    let create = serde_json::json!({"name": name, "definition": definition, "type": kind,
        "roleArn": "arn:aws:iam::123456789012:role/LoadgenRole"});
    let (status, body) = Conn::new(&addr).call("CreateStateMachine", &create.to_string())?;
    if status != 200 {
        bail!("CreateStateMachine answered {status}: {body}");
    }
    let created: serde_json::Value = serde_json::from_str(&body)?;
    let arn = created["stateMachineArn"]
        .as_str()
        .context("no stateMachineArn")?
        .to_owned();
    // Every start gets a unique name (moto's executing backend does not make one up).
    let prefix = Arc::new(format!(
        "{{\"stateMachineArn\":{},\"input\":{},\"name\":\"lg-",
        serde_json::Value::from(arn.as_str()),
        serde_json::Value::from(input.as_str())
    ));
    let measuring = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let max = if args.max_requests == 0 {
        u64::MAX
    } else {
        args.max_requests
    };
    let workers: Vec<_> = (0..args.connections.max(1))
        .map(|c| {
            let (addr, prefix, measuring, done, sent) = (
                addr.clone(),
                Arc::clone(&prefix),
                Arc::clone(&measuring),
                Arc::clone(&done),
                Arc::clone(&sent),
            );
            std::thread::spawn(move || {
                let mut conn = Conn::new(&addr);
                let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("bounds");
                let (mut ok, mut errors, mut sample) = (0u64, Vec::<(u16, u64)>::new(), None);
                let mut request = String::new();
                let mut i = 0u64;
                while !done.load(Ordering::Relaxed) {
                    i += 1;
                    request.clear();
                    request.push_str(&prefix);
                    request.push_str(&format!("{c}-{i}\"}}"));
                    let counted = measuring.load(Ordering::Relaxed);
                    if counted && sent.fetch_add(1, Ordering::Relaxed) >= max {
                        break;
                    }
                    let t0 = Instant::now();
                    let r = conn.call(op, &request);
                    if !counted {
                        continue;
                    }
                    match r {
                        Ok((200, _)) => {
                            ok += 1;
                            let _ = hist.record(t0.elapsed().as_micros() as u64);
                        }
                        Ok((s, body)) => {
                            match errors.iter_mut().find(|(k, _)| *k == s) {
                                Some(e) => e.1 += 1,
                                None => errors.push((s, 1)),
                            }
                            sample.get_or_insert(body);
                        }
                        Err(e) => {
                            match errors.iter_mut().find(|(k, _)| *k == 0) {
                                Some(x) => x.1 += 1,
                                None => errors.push((0, 1)),
                            }
                            sample.get_or_insert(e.to_string());
                        }
                    }
                }
                (ok, errors, sample, hist)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    measuring.store(true, Ordering::SeqCst);
    let t0 = Instant::now();
    let limit = Duration::from_secs_f64(args.seconds.max(0.1));
    while t0.elapsed() < limit
        && !stop.load(Ordering::Relaxed)
        && sent.load(Ordering::Relaxed) < max
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    done.store(true, Ordering::SeqCst);
    let seconds = t0.elapsed().as_secs_f64();
    let mut report = HttpReport {
        label: args.label.clone(),
        op: op.to_owned(),
        connections: args.connections,
        ok: 0,
        errors: Vec::new(),
        error_sample: None,
        seconds,
        hist: Histogram::new_with_bounds(1, 60_000_000, 3).expect("bounds"),
        drain: None,
    };
    for w in workers {
        let (ok, errors, sample, hist) = w
            .join()
            .map_err(|_| anyhow::anyhow!("a connection thread panicked"))?;
        report.ok += ok;
        for (s, n) in errors {
            match report.errors.iter_mut().find(|(k, _)| *k == s) {
                Some(e) => e.1 += n,
                None => report.errors.push((s, n)),
            }
        }
        if report.error_sample.is_none() {
            report.error_sample = sample.map(|s| s.chars().take(300).collect());
        }
        report.hist.add(&hist)?;
    }
    if op == "StartExecution" && !stop.load(Ordering::Relaxed) {
        report.drain = Some(drain(&addr, &arn));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A one-connection endpoint answering each request with the next body.
    fn endpoint(bodies: Vec<&'static str>) -> (String, std::thread::JoinHandle<Vec<String>>) {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = l.local_addr().expect("addr").to_string();
        let h = std::thread::spawn(move || {
            let (s, _) = l.accept().expect("accept");
            let mut r = BufReader::new(s);
            let mut seen = Vec::new();
            for body in bodies {
                let (mut line, mut len) = (String::new(), 0);
                loop {
                    line.clear();
                    r.read_line(&mut line).expect("read");
                    if line.trim_end().is_empty() {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().expect("length");
                    }
                    if let Some(op) = line.strip_prefix("X-Amz-Target: ") {
                        seen.push(op.trim_end().to_owned());
                    }
                }
                let mut b = vec![0; len];
                r.read_exact(&mut b).expect("body");
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                r.get_mut().write_all(answer.as_bytes()).expect("write");
            }
            seen
        });
        (addr, h)
    }

    #[test]
    fn drain_polls_until_no_execution_runs() {
        let running = r#"{"executions":[{"executionArn":"a","status":"RUNNING"}]}"#;
        let (addr, h) = endpoint(vec![running, running, r#"{"executions":[]}"#]);
        let (secs, drained) = drain(&addr, "arn:aws:states:us-east-1:1:stateMachine:m");
        assert!(drained);
        assert!(secs < DRAIN_LIMIT.as_secs_f64());
        let seen = h.join().expect("endpoint");
        assert_eq!(seen, vec!["AWSStepFunctions.ListExecutions"; 3]);
    }

    #[test]
    fn completed_per_s_counts_the_drain() {
        let mut r = HttpReport {
            label: "x".into(),
            op: "StartExecution".into(),
            connections: 1,
            ok: 300,
            errors: Vec::new(),
            error_sample: None,
            seconds: 2.0,
            hist: Histogram::new_with_bounds(1, 60_000_000, 3).expect("bounds"),
            drain: Some((1.0, true)),
        };
        assert_eq!(r.to_json()["completed_per_s"], 100.0);
        r.drain = Some((60.0, false));
        assert!(r.to_json()["completed_per_s"].is_null());
        assert_eq!(r.to_json()["drained"], false);
    }
}
