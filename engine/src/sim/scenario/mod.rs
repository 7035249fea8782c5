//! The scenario file of `stampede simulate`: typed, with every problem
//! reported at once at its JSON pointer. The format is in `sim/README.md`.

mod parts;
pub mod reader;
mod resources;
mod tasks;
#[cfg(test)]
mod tests;

use super::arrivals::{ArrivalMode, ArrivalSpec, Bounds};
use super::input::InputSpec;
use super::quota::{Preset, Quotas, StartLimit, TokenBucket};
use super::resource::{resolve, ResourceModel};
use super::rng::Rng;
use crate::asl::Diagnostic;
use crate::machine_type::MachineType;
use reader::{ptr_key, Check, Cx, FILE, INVALID};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
pub use tasks::{check_resources, task_resources};

/// A parsed, validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// `name`: a label for reports.
    pub name: Option<String>,
    /// `definition`, resolved against the scenario file's folder.
    pub definition_path: PathBuf,
    /// The definition's text (not yet parsed as ASL: the CLI compiles it).
    pub definition_text: String,
    /// `type`: `STANDARD` (default) or `EXPRESS`.
    pub machine_type: MachineType,
    /// `seed` (default 0): the root of every random stream.
    pub seed: u64,
    /// `executions`: how many executions start at most.
    pub executions: Option<u64>,
    /// `duration_s`: no execution starts at or after this virtual time.
    pub duration_s: Option<f64>,
    /// `arrivals` (default: all at once).
    pub arrivals: ArrivalSpec,
    /// `input` (default: `{}`).
    pub input: InputSpec,
    /// `resources`, in document order.
    pub resources: Vec<ResourceModel>,
    /// `quotas` (default: none).
    pub quotas: Quotas,
    /// `prices`: a price file overriding the built-in prices.
    pub prices_path: Option<PathBuf>,
    /// The price file's text (checked to be JSON; its schema is the cost model's).
    pub prices_text: Option<String>,
    /// `s3_root`: the folder standing for S3 (a Distributed Map's
    /// `ItemReader`), resolved against the scenario file's folder.
    pub s3_root: Option<PathBuf>,
    /// `max_transitions`: each execution's cap on state transitions, as
    /// `stampede run --max-transitions` (default
    /// [`DEFAULT_MAX_TRANSITIONS`](crate::DEFAULT_MAX_TRANSITIONS)). A
    /// Distributed Map's children count toward their parent's.
    pub max_transitions: Option<u32>,
}

impl Scenario {
    /// The run's bounds.
    pub fn bounds(&self) -> Bounds {
        Bounds {
            executions: self.executions,
            duration_s: self.duration_s,
        }
    }

    /// How the driver starts executions.
    pub fn arrival_mode(&self) -> ArrivalMode {
        self.arrivals.mode(self.bounds())
    }

    /// The root random generator (`Rng::new(seed)`); see [`crate::sim::rng::streams`].
    pub fn rng(&self) -> Rng {
        Rng::new(self.seed)
    }

    /// The model serving a Task `Resource` (exact > longest prefix > `*`), if any.
    /// A Task no key matches succeeds at once, echoing its input.
    pub fn model_for(&self, resource: &str) -> Option<&ResourceModel> {
        resolve(&self.resources, resource).map(|i| &self.resources[i])
    }
}

const TOP: &[&str] = &[
    "name",
    "definition",
    "type",
    "seed",
    "executions",
    "duration_s",
    "arrivals",
    "input",
    "resources",
    "quotas",
    "prices",
    "s3_root",
    "max_transitions",
];

/// Reads a scenario. Files it names (`definition`, `input.file`, `prices`)
/// are read relative to `base_dir` (the scenario file's folder).
///
/// # Errors
/// Every problem found, each a [`Diagnostic`] whose location is the JSON
/// pointer of the offending field (codes in [`reader`]).
pub fn parse_scenario(text: &str, base_dir: &Path) -> Result<Scenario, Vec<Diagnostic>> {
    let mut cx = Cx::default();
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![Diagnostic::error(
                INVALID,
                "",
                format!("invalid JSON: {e}"),
            )])
        }
    };
    let Some(m) = cx.object(&root, "", TOP) else {
        return Err(cx.diags);
    };
    let name = m
        .get("name")
        .and_then(|n| cx.string(n, "/name"))
        .map(str::to_owned);
    let definition = definition(&mut cx, m, base_dir);
    let machine_type = match m.get("type").map(|t| (t, t.as_str())) {
        None | Some((_, Some("STANDARD"))) => MachineType::Standard,
        Some((_, Some("EXPRESS"))) => MachineType::Express,
        Some(_) => {
            cx.err("/type", "must be \"STANDARD\" or \"EXPRESS\"");
            MachineType::Standard
        }
    };
    let seed = m
        .get("seed")
        .and_then(|s| cx.integer(s, "/seed", 0, u64::MAX));
    let executions = m
        .get("executions")
        .and_then(|e| cx.integer(e, "/executions", 1, u64::MAX));
    let duration_s = cx.opt_number(m, "", "duration_s", Check::Positive);
    let arrivals = parts::arrivals(&mut cx, m.get("arrivals"));
    check_bounds(&mut cx, m, arrivals.as_ref());
    let input = input(&mut cx, m.get("input"), base_dir);
    let resources = resources::resources(&mut cx, m.get("resources"));
    let quotas = quotas(&mut cx, m.get("quotas"), machine_type);
    let prices = prices(&mut cx, m.get("prices"), base_dir);
    let s3_root = m
        .get("s3_root")
        .and_then(|v| cx.string(v, "/s3_root"))
        .map(|s| base_dir.join(s));
    if let Some(dir) = s3_root.as_ref().filter(|d| !d.is_dir()) {
        cx.err_code(FILE, "/s3_root", format!("not a folder: {}", dir.display()));
    }
    let max_transitions = m
        .get("max_transitions")
        .and_then(|v| cx.integer(v, "/max_transitions", 1, u64::from(u32::MAX)))
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    if !cx.diags.is_empty() {
        return Err(cx.diags);
    }
    let (definition_path, definition_text) = definition.ok_or_else(Vec::new)?;
    let (prices_path, prices_text) = prices.unzip();
    Ok(Scenario {
        name,
        definition_path,
        definition_text,
        machine_type,
        seed: seed.unwrap_or(0),
        executions,
        duration_s,
        arrivals: arrivals.ok_or_else(Vec::new)?,
        input: input.ok_or_else(Vec::new)?,
        resources,
        quotas,
        prices_path,
        prices_text,
        s3_root,
        max_transitions,
    })
}

/// Reads a file named at `ptr`, reporting a missing or unreadable file there.
fn read_file(cx: &mut Cx, v: &Value, ptr: &str, base_dir: &Path) -> Option<(PathBuf, String)> {
    let rel = cx.string(v, ptr)?;
    let path = base_dir.join(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some((path, text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            cx.err_code(FILE, ptr, format!("file not found: {}", path.display()));
            None
        }
        Err(e) => {
            cx.err_code(FILE, ptr, format!("cannot read {}: {e}", path.display()));
            None
        }
    }
}

fn definition(cx: &mut Cx, m: &Map<String, Value>, base_dir: &Path) -> Option<(PathBuf, String)> {
    let v = cx.required(m, "", "definition")?;
    read_file(cx, v, "/definition", base_dir)
}

fn check_bounds(cx: &mut Cx, m: &Map<String, Value>, arrivals: Option<&ArrivalSpec>) {
    let has_exec = m.contains_key("executions");
    if !has_exec && !m.contains_key("duration_s") {
        cx.err(
            "",
            "needs 'executions' or 'duration_s' (or both) to bound the run",
        );
    } else if !has_exec && matches!(arrivals, Some(ArrivalSpec::All)) {
        cx.err(
            "/executions",
            "arrivals \"all\" start every execution at time 0: 'executions' is required",
        );
    }
}

fn input(cx: &mut Cx, v: Option<&Value>, base_dir: &Path) -> Option<InputSpec> {
    let Some(v) = v else {
        return Some(InputSpec::default());
    };
    let m = cx.object(v, "/input", &["file", "value", "template"])?;
    if m.keys().filter(|k| *k != "comment").count() != 1 {
        cx.err(
            "/input",
            "needs exactly one of 'file', 'value' or 'template'",
        );
        return None;
    }
    if let Some(v) = m.get("value") {
        return Some(InputSpec::Value(v.clone()));
    }
    if let Some(t) = m.get("template") {
        return resources::template(cx, t, "/input/template").map(InputSpec::Template);
    }
    let (path, text) = read_file(cx, m.get("file")?, "/input/file", base_dir)?;
    let mut lines = Vec::new();
    let mut bad = 0;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if let Err(e) = serde_json::from_str::<Value>(line) {
            bad += 1;
            if bad <= 10 {
                cx.err_code(
                    FILE,
                    "/input/file",
                    format!("line {}: invalid JSON: {e}", n + 1),
                );
            }
            continue;
        }
        lines.push(line.to_owned());
    }
    if bad > 10 {
        cx.err_code(
            FILE,
            "/input/file",
            format!("{} more lines are not JSON", bad - 10),
        );
    }
    if bad == 0 && lines.is_empty() {
        cx.err_code(
            FILE,
            "/input/file",
            format!("{} has no input lines", path.display()),
        );
    }
    (bad == 0 && !lines.is_empty()).then_some(InputSpec::File { path, lines })
}

fn quotas(cx: &mut Cx, v: Option<&Value>, machine_type: MachineType) -> Quotas {
    const P: &str = "/quotas";
    let Some(v) = v else {
        return Quotas::default();
    };
    let fields = [
        "preset",
        "start_execution_rate_per_s",
        "start_execution_burst",
        "state_transitions_per_s",
        "state_transitions_burst",
        "on_start_limit",
    ];
    let Some(m) = cx.object(v, P, &fields) else {
        return Quotas::default();
    };
    let mut q = match m.get("preset").map(|p| (p, p.as_str())) {
        None | Some((_, Some("none"))) => Quotas::default(),
        Some((_, Some("aws"))) => Quotas::aws(Preset::Aws, machine_type),
        Some((_, Some("aws-other-regions"))) => Quotas::aws(Preset::AwsOtherRegions, machine_type),
        Some(_) => {
            cx.err(
                "/quotas/preset",
                "must be \"aws\", \"aws-other-regions\" or \"none\"",
            );
            Quotas::default()
        }
    };
    q.start_execution = bucket(
        cx,
        m,
        "start_execution_rate_per_s",
        "start_execution_burst",
        q.start_execution,
    );
    q.state_transitions = bucket(
        cx,
        m,
        "state_transitions_per_s",
        "state_transitions_burst",
        q.state_transitions,
    );
    q.on_start_limit = match m.get("on_start_limit").map(|s| s.as_str()) {
        None | Some(Some("queue")) => StartLimit::Queue,
        Some(Some("reject")) => StartLimit::Reject,
        Some(_) => {
            cx.err("/quotas/on_start_limit", "must be \"queue\" or \"reject\"");
            StartLimit::Queue
        }
    };
    q
}

/// A bucket from a rate and a burst field, over a preset's bucket.
fn bucket(
    cx: &mut Cx,
    m: &Map<String, Value>,
    rate_key: &str,
    burst_key: &str,
    preset: Option<TokenBucket>,
) -> Option<TokenBucket> {
    let rate = cx.opt_number(m, "/quotas", rate_key, Check::Positive);
    let burst = cx.opt_number(m, "/quotas", burst_key, Check::Positive);
    if burst.is_some_and(|b| b < 1.0) {
        cx.err(&ptr_key("/quotas", burst_key), "must be >= 1");
    }
    match (rate, burst, preset) {
        (None, None, p) => p,
        (Some(r), b, p) => Some(TokenBucket {
            rate_per_s: r,
            burst: b.or(p.map(|p| p.burst)).unwrap_or(r.max(1.0)),
        }),
        (None, Some(b), Some(p)) => Some(TokenBucket { burst: b, ..p }),
        (None, Some(_), None) => {
            cx.err(
                &ptr_key("/quotas", burst_key),
                format!("needs {rate_key} (or a preset)"),
            );
            None
        }
    }
}

fn prices(cx: &mut Cx, v: Option<&Value>, base_dir: &Path) -> Option<(PathBuf, String)> {
    let (path, text) = read_file(cx, v?, "/prices", base_dir)?;
    if let Err(e) = serde_json::from_str::<Value>(&text) {
        cx.err_code(
            FILE,
            "/prices",
            format!("{}: invalid JSON: {e}", path.display()),
        );
        return None;
    }
    Some((path, text))
}
