//! The peers' benchmark workloads (`shared/peers/workloads/<name>/{definition,input}.json`).

use std::fmt;
use std::path::{Path, PathBuf};

/// The workloads every benchmark runs, in the peers' README order.
pub const WORKLOADS: [&str; 5] = ["pass10", "choice_loop", "map100", "parallel4", "task_retry"];

/// JSONata twins of two workloads (in this crate's `workloads/`): the same
/// edits written in JSONata, paired with the JSONPath workload they mirror.
/// The peers cannot run JSONata, so these are measured beside their twins.
pub const JSONATA_TWINS: [(&str, &str); 2] = [
    ("pass10_jsonata", "pass10"),
    ("choice_loop_jsonata", "choice_loop"),
];

/// Where the workloads live relative to an ancestor of this crate.
const REL: &str = "shared/peers/workloads";

/// A workload that could not be found or read.
#[derive(Debug)]
pub struct MissingWorkloads(String);

impl fmt::Display for MissingWorkloads {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MissingWorkloads {}

/// Finds `shared/peers/workloads` inside or beside an ancestor of this
/// crate's folder (the repository root, or the folder that holds it).
///
/// # Errors
/// When no ancestor has it; the message names every folder tried.
pub fn workloads_dir() -> Result<PathBuf, MissingWorkloads> {
    find_upwards(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn find_upwards(start: &Path) -> Result<PathBuf, MissingWorkloads> {
    let mut tried = Vec::new();
    for dir in start.ancestors() {
        let cand = dir.join(REL);
        if cand.is_dir() {
            return Ok(cand);
        }
        tried.push(cand.display().to_string());
    }
    Err(MissingWorkloads(format!(
        "benchmark workloads not found: no {REL} folder beside any ancestor of {} \
         (tried {}); put the project's shared/ folder beside the repository",
        start.display(),
        tried.join(", ")
    )))
}

/// One workload: its definition and input as JSON text.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Folder name, e.g. `pass10`.
    pub name: String,
    /// The state machine definition.
    pub definition: String,
    /// The execution input.
    pub input: String,
}

impl Workload {
    /// Reads `dir/name/definition.json` and `dir/name/input.json`.
    ///
    /// # Errors
    /// When either file cannot be read; the message names the file.
    pub fn load(dir: &Path, name: &str) -> Result<Workload, MissingWorkloads> {
        Self::load_from(&dir.join(name))
    }

    /// Reads `definition.json` and `input.json` from one workload folder.
    ///
    /// # Errors
    /// When either file cannot be read; the message names the file.
    pub fn load_from(folder: &Path) -> Result<Workload, MissingWorkloads> {
        let read = |f: &str| {
            let p = folder.join(f);
            std::fs::read_to_string(&p)
                .map_err(|e| MissingWorkloads(format!("cannot read {}: {e}", p.display())))
        };
        let name = folder.file_name().map_or_else(
            || folder.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(Workload {
            name,
            definition: read("definition.json")?,
            input: read("input.json")?,
        })
    }

    /// Every workload in [`WORKLOADS`], found with [`workloads_dir`].
    ///
    /// # Panics
    /// When the workloads are missing, with a message saying where they were looked for
    /// (benchmarks cannot run without them).
    pub fn all() -> Vec<Workload> {
        let dir = workloads_dir().unwrap_or_else(|e| panic!("{e}"));
        WORKLOADS
            .iter()
            .map(|n| Workload::load(&dir, n).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    }
}

/// This crate's own workloads folder (the JSONata twins).
pub fn own_workloads_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads")
}

impl Workload {
    /// The JSONata twins in [`JSONATA_TWINS`], each with the JSONPath workload it mirrors.
    ///
    /// # Panics
    /// When a workload is missing (benchmarks cannot run without them).
    pub fn twins() -> Vec<(Workload, Workload)> {
        let peers = workloads_dir().unwrap_or_else(|e| panic!("{e}"));
        JSONATA_TWINS
            .iter()
            .map(|(t, p)| {
                let twin =
                    Workload::load(&own_workloads_dir(), t).unwrap_or_else(|e| panic!("{e}"));
                let orig = Workload::load(&peers, p).unwrap_or_else(|e| panic!("{e}"));
                (twin, orig)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonata_twins_give_their_twins_output() {
        let opts = stampede::RunOptions {
            start_time_ms: Some(0),
            ..Default::default()
        };
        for (twin, orig) in Workload::twins() {
            let run = |w: &Workload| {
                let m = crate::engine()
                    .compile(&w.definition)
                    .unwrap_or_else(|d| panic!("{}: {d}", w.name));
                m.run_text(&w.input, &opts).unwrap()
            };
            let (a, b) = (run(&twin), run(&orig));
            assert_eq!(
                a.status,
                stampede::Status::Succeeded,
                "{}: {a:?}",
                twin.name
            );
            assert_eq!(a.output, b.output, "{} vs {}", twin.name, orig.name);
            assert_eq!(a.transitions, b.transitions, "{}", twin.name);
        }
    }

    #[test]
    fn finds_every_workload() {
        let all = Workload::all();
        assert_eq!(all.len(), WORKLOADS.len());
        for w in &all {
            assert!(w.definition.contains("StartAt"), "{}", w.name);
        }
    }

    #[test]
    fn missing_folder_names_where_it_looked() {
        let e = find_upwards(Path::new("/nonexistent/a/b")).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("/nonexistent/a/b/shared/peers/workloads"),
            "{msg}"
        );
        assert!(msg.contains("shared/ folder"), "{msg}");
    }
}
