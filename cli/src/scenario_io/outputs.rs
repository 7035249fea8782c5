//! Where a report goes: the text on stdout, `--json FILE` and `--html
//! FILE`, each file written whole (see `files.rs`).

use crate::files::write_whole;
use crate::output::emit;
use anyhow::Result;
use serde_json::Value;
use stampede::report::{report_html, report_json, report_text, Cost, ReportMeta, SimStats};
use stampede::Definition;
use std::path::Path;

/// The first line of the text of a report that an interruption cut short.
pub(crate) const PARTIAL_BANNER: &str =
    "PARTIAL REPORT: interrupted; only finished executions are counted\n";

/// Where and how a report goes.
pub(crate) struct Outputs<'a> {
    pub(crate) json: Option<&'a Path>,
    pub(crate) html: Option<&'a Path>,
    pub(crate) quiet: bool,
}

impl Outputs<'_> {
    /// Prints the text report and writes the JSON and HTML ones.
    pub(crate) fn write(
        &self,
        stats: &SimStats,
        cost: &Cost,
        meta: &ReportMeta,
        machine: Option<&Definition>,
        partial: bool,
    ) -> Result<()> {
        if let Some(path) = self.json {
            let v = json_report(stats, cost, meta, partial);
            write_whole(path, format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        }
        if let (Some(path), Some(machine)) = (self.html, machine) {
            write_whole(path, report_html(stats, cost, meta, machine))?;
        }
        if !self.quiet {
            let mut text = String::new();
            if partial {
                text.push_str(PARTIAL_BANNER);
            }
            text.push_str(&report_text(stats, cost, meta));
            emit(&text)?;
        }
        Ok(())
    }
}

/// `report_json` with `meta.partial` added.
pub(crate) fn json_report(
    stats: &SimStats,
    cost: &Cost,
    meta: &ReportMeta,
    partial: bool,
) -> Value {
    let mut v = report_json(stats, cost, meta);
    if let Some(m) = v.get_mut("meta").and_then(Value::as_object_mut) {
        m.insert("partial".to_owned(), Value::Bool(partial));
    }
    v
}
