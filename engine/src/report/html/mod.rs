//! The `--html` report: one self-contained page (inline CSS and SVG, no
//! script, no external resource) with the state machine drawn as a graph
//! coloured by traffic or by failure rate (a CSS-only toggle), latency
//! histograms, concurrency over time, and the tables of the text report.

//!
//! | file | what it draws |
//! |---|---|
//! | `mod.rs` | the page, its header cards |
//! | `graph.rs` | the state machine as an SVG graph |
//! | `charts.rs` | latency histograms, concurrency over time |
//! | `tables.rs` | the tables of the text report |

mod charts;
mod graph;
mod tables;

use super::cost::Cost;
use super::fmt::{fmt_num, thousands};
use super::json::ReportMeta;
use super::stats::SimStats;
use super::summary::pcts;
use crate::definition::Definition;
use charts::{concurrency, histogram};
use graph::graph;
use std::fmt::Write as _;
use tables::{children_table, cost_table, executions_table, resources_table, states_table};

const CSS: &str = include_str!("report.css");

/// The HTML report of a run of `definition` (its graph coloured by traffic).
pub fn report_html(
    stats: &SimStats,
    cost: &Cost,
    meta: &ReportMeta,
    definition: &Definition,
) -> String {
    let sm = definition.state_machine();
    let mut o = String::new();
    let title = format!("Stampede simulation: {}", meta.scenario);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    );
    cards(&mut o, stats, cost, meta);
    o.push_str("<h2>State machine</h2>\n");
    graph(&mut o, stats, sm);
    o.push_str("<h2>Execution latency</h2>\n");
    histogram(&mut o, &stats.latency, 720.0, 180.0);
    executions_table(&mut o, stats);
    o.push_str("<h2>States</h2>\n");
    states_table(&mut o, stats);
    let busy: Vec<_> = stats.states.iter().filter(|s| s.time.count() > 0).collect();
    if !busy.is_empty() {
        o.push_str("<h3>Time spent per state</h3>\n<div class=\"grid\">\n");
        for s in busy {
            let _ = writeln!(o, "<figure><figcaption>{}</figcaption>", esc(&s.name));
            histogram(&mut o, &s.time, 340.0, 110.0);
            o.push_str("</figure>\n");
        }
        o.push_str("</div>\n");
    }
    if !stats.children.is_empty() {
        o.push_str("<h2>Distributed Map child executions</h2>\n");
        children_table(&mut o, stats);
    }
    if !stats.resources.is_empty() {
        o.push_str("<h2>Resources</h2>\n");
        resources_table(&mut o, stats);
        o.push_str("<h3>Concurrency over time</h3>\n<div class=\"grid\">\n");
        for r in &stats.resources {
            let _ = writeln!(o, "<figure><figcaption>{}</figcaption>", esc(&r.key));
            concurrency(&mut o, stats, &r.busy, 540.0, 150.0);
            o.push_str("</figure>\n");
        }
        o.push_str("</div>\n");
    }
    o.push_str("<h2>Cost estimate</h2>\n");
    cost_table(&mut o, cost);
    o.push_str("</body>\n</html>\n");
    o
}

/// Escapes text for HTML and SVG content and attributes.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn cards(o: &mut String, stats: &SimStats, cost: &Cost, meta: &ReportMeta) {
    let n = stats.execution_count();
    let ok = stats.by_status.get("SUCCEEDED").copied().unwrap_or(0);
    let p = pcts(&stats.latency);
    let mut shard = String::new();
    if let Some((i, k)) = meta.shard {
        shard = format!(" · shard {i}/{k}");
    }
    if let Some(m) = meta.merged_shards {
        shard = format!(" · merged from {m} shards");
    }
    let _ = writeln!(
        o,
        "<p class=\"meta\">seed {} · {} s simulated{}</p>",
        meta.seed,
        fmt_num(stats.end_us as f64 / 1e6),
        esc(&shard)
    );
    o.push_str("<div class=\"cards\">\n");
    let rate = if n == 0 {
        "-".to_owned()
    } else {
        format!("{:.2}%", ok as f64 * 100.0 / n as f64)
    };
    for (label, value) in [
        ("executions", thousands(n)),
        ("succeeded", rate),
        ("p50 latency", format!("{} ms", fmt_num(p[0].1))),
        ("p99 latency", format!("{} ms", fmt_num(p[2].1))),
        ("state transitions", thousands(stats.transitions)),
        ("estimated cost", format!("${:.2}", cost.total_usd)),
    ] {
        let _ = writeln!(
            o,
            "<div class=\"card\"><div class=\"v\">{}</div><div class=\"l\">{label}</div></div>",
            esc(&value)
        );
    }
    o.push_str("</div>\n");
}
