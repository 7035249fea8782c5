//! The table a sweep prints: one row per value, with latency, the
//! utilization and queueing of every limited resource, and cost.

use super::spec::Sweep;
use serde_json::Value;
use stampede::sim::Scenario;

/// Short label of a resource key: the part after the last `:` (with the one
/// before it for a prefix key such as `arn:aws:states:::dynamodb:*`).
fn short(key: &str) -> &str {
    let mut parts = key.rmatch_indices(':').map(|(i, _)| i);
    match parts.next() {
        Some(i) if !matches!(&key[i + 1..], "" | "*") => &key[i + 1..],
        Some(_) => parts.next().map_or(key, |j| &key[j + 1..]),
        None => key,
    }
}

/// The sweep table: one row per value.
pub(crate) fn table(name: &str, sc: &Scenario, sweep: &Sweep, reports: &[Value]) -> String {
    let limited: Vec<&str> = sc
        .resources
        .iter()
        .filter(|m| m.max_concurrency.is_some() || m.max_rate_per_s.is_some())
        .map(|m| m.key.as_str())
        .collect();
    let mut head: Vec<String> = [
        sweep.key.as_str(),
        "executions",
        "succeeded",
        "p50 ms",
        "p99 ms",
        "max ms",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for k in &limited {
        let s = short(k);
        head.extend([
            format!("{s} util"),
            format!("{s} p_wait"),
            format!("{s} wait ms"),
            format!("{s} throttles"),
        ]);
    }
    head.push("cost USD".to_owned());
    let mut rows = vec![head];
    for ((label, _), r) in sweep.values.iter().zip(reports) {
        let total = r["executions"]["total"].as_u64().unwrap_or(0);
        let ok = r["executions"]["by_status"]["SUCCEEDED"]
            .as_u64()
            .unwrap_or(0);
        let mut row = vec![
            label.clone(),
            total.to_string(),
            format!("{:.2}%", 100.0 * ok as f64 / total.max(1) as f64),
            num(&r["latency_ms"]["p50"]),
            num(&r["latency_ms"]["p99"]),
            num(&r["latency_ms"]["max"]),
        ];
        for k in &limited {
            let res = &r["resources"][*k];
            row.push(match res["utilization"].as_f64() {
                Some(u) => format!("{:.1}%", u * 100.0),
                None => "-".to_owned(),
            });
            row.push(format!(
                "{:.1}%",
                res["p_wait"].as_f64().unwrap_or(0.0) * 100.0
            ));
            row.push(num(&res["queue_wait_ms"]["mean"]));
            row.push(res["throttles"].as_u64().unwrap_or(0).to_string());
        }
        row.push(format!(
            "{:.2}",
            r["cost"]["total_usd"].as_f64().unwrap_or(0.0)
        ));
        rows.push(row);
    }
    let mut out = format!(
        "Sweep of {} over {} values: scenario {name} (seed {})\n\n",
        sweep.key,
        sweep.values.len(),
        sc.seed
    );
    let cols = rows[0].len();
    let width: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, s)| format!("{s:>w$}", w = width[c]))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn num(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x >= 100.0 => format!("{x:.0}"),
        Some(x) => format!("{x:.1}"),
        None => "-".to_owned(),
    }
}
