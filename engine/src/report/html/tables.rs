//! The HTML tables: executions by status and error, states, Distributed Map
//! children, resources and cost.

use super::esc;
use crate::report::cost::Cost;
use crate::report::fmt::{fmt_num, thousands};
use crate::report::stats::SimStats;
use crate::report::summary::{
    children_cells, failure_rate, p_wait, pcts, resource_counts, utilization,
};
use std::fmt::Write as _;

/// Opens a table with its header row.
fn table_head(o: &mut String, cols: &[&str]) {
    o.push_str("<table>\n<thead>");
    cells(o, "th", cols);
    o.push_str("</thead>\n<tbody>\n");
}

/// One body row.
fn table_row(o: &mut String, row: &[String]) {
    cells(o, "td", row);
    o.push('\n');
}

/// `<tr>` with one `tag` cell per item; every column but the first is numeric.
fn cells(o: &mut String, tag: &str, items: &[impl AsRef<str>]) {
    o.push_str("<tr>");
    for (i, c) in items.iter().enumerate() {
        let class = if i == 0 { "" } else { " class=\"num\"" };
        let _ = write!(o, "<{tag}{class}>{}</{tag}>", esc(c.as_ref()));
    }
    o.push_str("</tr>");
}

pub(super) fn executions_table(o: &mut String, stats: &SimStats) {
    let n = stats.execution_count().max(1) as f64;
    table_head(o, &["status / error", "executions", "share"]);
    for (k, c) in &stats.by_status {
        table_row(
            o,
            &[
                k.clone(),
                thousands(*c),
                format!("{:.2}%", *c as f64 * 100.0 / n),
            ],
        );
    }
    for (k, c) in &stats.by_error {
        table_row(
            o,
            &[
                format!("error: {k}"),
                thousands(*c),
                format!("{:.2}%", *c as f64 * 100.0 / n),
            ],
        );
    }
    o.push_str("</tbody>\n</table>\n");
    let mut cells = vec!["latency (ms)".to_owned()];
    cells.extend(pcts(&stats.latency).iter().map(|(_, v)| fmt_num(*v)));
    table_head(o, &["", "p50", "p90", "p99", "p99.9", "max", "mean"]);
    table_row(o, &cells);
    o.push_str("</tbody>\n</table>\n");
}

/// Each Distributed Map's child executions and Map Runs, as the text report has them.
pub(super) fn children_table(o: &mut String, stats: &SimStats) {
    table_head(
        o,
        &[
            "Distributed Map",
            "children",
            "succeeded",
            "failed",
            "aborted",
            "Map Runs",
            "over tolerance",
            "tolerated items",
            "p50 ms",
            "p99 ms",
            "mean ms",
        ],
    );
    for c in &stats.children {
        table_row(o, &children_cells(c));
    }
    o.push_str("</tbody>\n</table>\n");
}

pub(super) fn states_table(o: &mut String, stats: &SimStats) {
    table_head(
        o,
        &[
            "state",
            "entered",
            "failed",
            "failure rate",
            "retries",
            "p50 ms",
            "p90",
            "p99",
            "p99.9",
            "max",
            "mean",
        ],
    );
    for s in &stats.states {
        let mut cells = vec![
            s.name.clone(),
            thousands(s.entered),
            thousands(s.failed),
            format!("{:.2}%", failure_rate(s.failed, s.entered) * 100.0),
            thousands(s.retries),
        ];
        cells.extend(pcts(&s.time).iter().map(|(_, v)| fmt_num(*v)));
        table_row(o, &cells);
    }
    o.push_str("</tbody>\n</table>\n");
}

pub(super) fn resources_table(o: &mut String, stats: &SimStats) {
    table_head(
        o,
        &[
            "resource",
            "invocations",
            "errors",
            "throttles",
            "peak",
            "mean",
            "capacity",
            "utilization",
            "waited",
            "wait p50 ms",
            "p99",
            "max",
            "mean",
        ],
    );
    for r in &stats.resources {
        let w = pcts(&r.wait);
        let mut cells = resource_counts(stats, r);
        cells.extend([
            r.busy
                .capacity
                .map_or("-".to_owned(), |c| thousands(u64::from(c))),
            utilization(stats, r).map_or("-".to_owned(), |u| format!("{:.1}%", u * 100.0)),
            format!("{:.2}%", p_wait(r) * 100.0),
        ]);
        cells.extend([w[0].1, w[2].1, w[4].1, w[5].1].iter().map(|v| fmt_num(*v)));
        table_row(o, &cells);
    }
    o.push_str("</tbody>\n</table>\n");
}

pub(super) fn cost_table(o: &mut String, cost: &Cost) {
    table_head(o, &["item", "quantity", "unit", "unit price (USD)", "USD"]);
    for l in &cost.lines {
        table_row(
            o,
            &[
                l.item.clone(),
                fmt_num(l.quantity),
                l.unit.clone(),
                format!("{}", l.unit_price_usd),
                format!("{:.6}", l.usd),
            ],
        );
    }
    table_row(
        o,
        &[
            "total".to_owned(),
            String::new(),
            String::new(),
            String::new(),
            format!("{:.6}", cost.total_usd),
        ],
    );
    o.push_str("</tbody>\n</table>\n");
    let table = serde_json::to_string_pretty(&cost.price_table).unwrap_or_default();
    let _ = writeln!(
        o,
        "<details><summary>Price table used (edit a copy and pass it with the price-file option)</summary>\
         <pre>{}</pre></details>",
        esc(&table)
    );
}
