//! The terminal summary: aligned tables, counts with thousands separators.

use super::cost::Cost;
use super::fmt::{fmt_num, thousands};
use super::json::ReportMeta;
use super::stats::SimStats;
use super::summary::{children_cells, p_wait, pcts, resource_counts, utilization};
use std::fmt::Write as _;

/// The human summary of a run, ending with a newline.
pub fn report_text(stats: &SimStats, cost: &Cost, meta: &ReportMeta) -> String {
    let mut out = String::new();
    title(&mut out, stats, meta);
    executions(&mut out, stats);
    latencies(&mut out, stats);
    distributed_maps(&mut out, stats);
    resources(&mut out, stats);
    costs(&mut out, cost);
    out.pop();
    out
}

/// The first line: scenario, seed, shard, executions, simulated time.
fn title(out: &mut String, stats: &SimStats, meta: &ReportMeta) {
    let n = stats.execution_count();
    let mut title = format!("Scenario {} (seed {})", meta.scenario, meta.seed);
    if let Some((i, k)) = meta.shard {
        let _ = write!(title, ", shard {i}/{k}");
    }
    if let Some(m) = meta.merged_shards {
        let _ = write!(title, ", merged from {m} shards");
    }
    let _ = writeln!(
        out,
        "{title}: {} executions, {} s simulated, {} state transitions\n",
        thousands(n),
        fmt_num(stats.end_us as f64 / 1e6),
        thousands(stats.transitions)
    );
    if stats.throttled_transitions > 0 {
        let _ = writeln!(
            out,
            "StateTransition quota: {} transitions throttled; executions held {} ms at p99\n",
            thousands(stats.throttled_transitions),
            fmt_num(stats.transition_hold.quantile_ms(0.99))
        );
    }
}

/// Each Distributed Map's child executions and Map Runs (none: nothing).
fn distributed_maps(out: &mut String, stats: &SimStats) {
    if stats.children.is_empty() {
        return;
    }
    let head = [
        "Distributed Map",
        "children",
        "succeeded",
        "failed",
        "aborted",
        "runs",
        "over tolerance",
        "tolerated items",
        "p50 ms",
        "p99",
        "mean",
    ];
    let mut t = vec![row(head)];
    t.extend(stats.children.iter().map(children_cells));
    table(out, &t);
}

/// Executions by status and by error.
fn executions(out: &mut String, stats: &SimStats) {
    let n = stats.execution_count();
    let mut t = vec![row(["Executions", "count", "share"])];
    for (status, c) in &stats.by_status {
        t.push(row([status.as_str(), &thousands(*c), &percent(*c, n)]));
    }
    for (error, c) in &stats.by_error {
        t.push(row([
            &format!("  error {error}"),
            &thousands(*c),
            &percent(*c, n),
        ]));
    }
    table(out, &t);
}

/// Execution latency, then each state's counts and time.
fn latencies(out: &mut String, stats: &SimStats) {
    let head = ["Latency (ms)", "p50", "p90", "p99", "p99.9", "max", "mean"];
    let mut t = vec![row(head)];
    let mut line = vec!["execution".to_owned()];
    line.extend(pcts(&stats.latency).iter().map(|(_, v)| fmt_num(*v)));
    t.push(line);
    table(out, &t);

    let head = [
        "State", "entered", "failed", "retries", "p50 ms", "p90", "p99", "p99.9", "max", "mean",
    ];
    let mut t = vec![row(head)];
    for s in &stats.states {
        let mut line = vec![
            s.name.clone(),
            thousands(s.entered),
            thousands(s.failed),
            thousands(s.retries),
        ];
        line.extend(pcts(&s.time).iter().map(|(_, v)| fmt_num(*v)));
        t.push(line);
    }
    table(out, &t);
}

/// Each resource's counts, concurrency and wait (nothing without resources).
fn resources(out: &mut String, stats: &SimStats) {
    if !stats.resources.is_empty() {
        let head = [
            "Resource",
            "invocations",
            "errors",
            "throttles",
            "peak",
            "mean conc",
            "util",
            "waited",
            "wait p50 ms",
            "p99",
            "max",
        ];
        let mut t = vec![row(head)];
        for r in &stats.resources {
            let w = pcts(&r.wait);
            let util = utilization(stats, r).map_or("-".to_owned(), |u| pct(u * 100.0));
            let mut line = resource_counts(stats, r);
            line.extend([util, pct(p_wait(r) * 100.0)]);
            line.extend([w[0].1, w[2].1, w[4].1].iter().map(|v| fmt_num(*v)));
            t.push(line);
        }
        table(out, &t);
    }
}

/// The cost lines and their total.
fn costs(out: &mut String, cost: &Cost) {
    let mut t = vec![row([
        &format!("Cost ({})", cost.price_table.region),
        "quantity",
        "unit",
        "unit price",
        "USD",
    ])];
    for l in &cost.lines {
        t.push(vec![
            l.item.clone(),
            fmt_num(l.quantity),
            l.unit.clone(),
            format!("${}", l.unit_price_usd),
            dollars(l.usd),
        ]);
    }
    t.push(row(["Total", "", "", "", &dollars(cost.total_usd)]));
    table(out, &t);
}

fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// Writes rows as a table: first column left-aligned, the rest right-aligned,
/// two spaces apart; a blank line after.
fn table(out: &mut String, rows: &[Vec<String>]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, r) in rows.iter().enumerate() {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            if c == 0 {
                let indent = if i == 0 { "" } else { "  " };
                let _ = write!(line, "{indent}{cell:<w$}", w = width[0] + 2 - indent.len());
            } else {
                let _ = write!(line, "  {cell:>w$}", w = width[c]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".to_owned();
    }
    pct(part as f64 * 100.0 / whole as f64)
}

fn pct(p: f64) -> String {
    format!("{p:.2}%")
}

fn dollars(usd: f64) -> String {
    if usd != 0.0 && usd.abs() < 0.01 {
        format!("${usd:.6}")
    } else {
        let cents = (usd * 100.0).round() as u64;
        format!("${}.{:02}", thousands(cents / 100), cents % 100)
    }
}
