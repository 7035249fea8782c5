//! The `--html` report: one self-contained page (inline CSS and SVG, no
//! script, no external resource) with the state machine drawn as a graph
//! coloured by traffic or by failure rate (a CSS-only toggle), latency
//! histograms, concurrency over time, and the tables of the text report.

use super::cost::Cost;
use super::hist::Latency;
use super::json::ReportMeta;
use super::layout::{layout, EdgeKind, Graph, TOP};
use super::stats::SimStats;
use super::summary::{failure_rate, mean_concurrency, p_wait, pcts, utilization};
use super::text::{fmt_num, thousands};
use crate::asl::StateMachine;
use std::collections::HashMap;
use std::fmt::Write as _;

const CSS: &str = include_str!("report.css");

/// The HTML report of a run of `sm`.
pub fn report_html(stats: &SimStats, cost: &Cost, meta: &ReportMeta, sm: &StateMachine) -> String {
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

/// A colour between `a` and `b` (RGB) at `t` in 0..=1.
fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let c: Vec<u8> = (0..3)
        .map(|i| (f64::from(a[i]) + (f64::from(b[i]) - f64::from(a[i])) * t).round() as u8)
        .collect();
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

fn graph(o: &mut String, stats: &SimStats, sm: &StateMachine) {
    let g: Graph = layout(&sm.block);
    let by_name: HashMap<&str, usize> = stats
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let max_entered = stats
        .states
        .iter()
        .map(|s| s.entered)
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h) = (g.w + 40.0, g.h + 30.0);
    o.push_str(
        "<input type=\"radio\" name=\"view\" id=\"v-traffic\" checked>\
         <label for=\"v-traffic\">Traffic</label>\
         <input type=\"radio\" name=\"view\" id=\"v-fail\">\
         <label for=\"v-fail\">Failure rate</label>\n",
    );
    let _ = writeln!(
        o,
        "<div class=\"graph\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" \
         height=\"{h:.0}\" viewBox=\"-20 0 {w:.0} {h:.0}\" role=\"img\" \
         aria-label=\"state machine graph\">"
    );
    o.push_str(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\
         <path d=\"M0,0 L10,5 L0,10 z\" fill=\"#687078\"/></marker></defs>\n",
    );
    // Containers first (behind), then edges, then plain states.
    for n in g.nodes.iter().filter(|n| n.container) {
        node(o, n, stats, &by_name, max_entered);
    }
    if let Some(s) = g.start {
        let n = &g.nodes[s];
        let cx = n.x + n.w / 2.0;
        let _ = writeln!(
            o,
            "<g class=\"start\"><circle cx=\"{cx:.1}\" cy=\"{:.1}\" r=\"9\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">Start</text>\
             <line x1=\"{cx:.1}\" y1=\"{:.1}\" x2=\"{cx:.1}\" y2=\"{:.1}\" marker-end=\"url(#arrow)\"/></g>",
            TOP / 2.0 - 8.0,
            cx + 14.0,
            TOP / 2.0 - 4.0,
            TOP / 2.0 + 1.0,
            n.y - 1.0
        );
    }
    for e in &g.edges {
        let (a, b) = (&g.nodes[e.from], &g.nodes[e.to]);
        let class = match e.kind {
            EdgeKind::Next => "e next",
            EdgeKind::Choice => "e choice",
            EdgeKind::Default => "e default",
            EdgeKind::Catch => "e catch",
        };
        let same_row = b.y < a.y + a.h && a.y < b.y + b.h;
        let d = if same_row && !a.container && !b.container {
            // Within a row: a straight line between the facing sides.
            let (x1, x2) = if b.x > a.x {
                (a.x + a.w, b.x)
            } else {
                (a.x, b.x + b.w)
            };
            let (y1, y2) = (a.y + a.h / 2.0, b.y + b.h / 2.0);
            format!("M{x1:.1},{y1:.1} L{x2:.1},{y2:.1}")
        } else if b.y > a.y + a.h - 1.0 {
            let (x1, y1) = (a.x + a.w / 2.0, a.y + a.h);
            let (x2, y2) = (b.x + b.w / 2.0, b.y);
            let my = (y1 + y2) / 2.0;
            format!("M{x1:.1},{y1:.1} C{x1:.1},{my:.1} {x2:.1},{my:.1} {x2:.1},{y2:.1}")
        } else {
            // Back or sideways edge: leave and arrive on the right side.
            let (x1, y1) = (a.x + a.w, a.y + a.h / 2.0);
            let (x2, y2) = (b.x + b.w, b.y + b.h / 2.0);
            let bulge = x1.max(x2) + 40.0 + (y1 - y2).abs() * 0.15;
            format!("M{x1:.1},{y1:.1} C{bulge:.1},{y1:.1} {bulge:.1},{y2:.1} {x2:.1},{y2:.1}")
        };
        let label = match e.kind {
            EdgeKind::Default => "<title>Default</title>",
            EdgeKind::Catch => "<title>Catch</title>",
            EdgeKind::Choice => "<title>Choice rule</title>",
            EdgeKind::Next => "",
        };
        let _ = writeln!(
            o,
            "<path class=\"{class}\" d=\"{d}\" marker-end=\"url(#arrow)\">{label}</path>"
        );
    }
    for n in g.nodes.iter().filter(|n| !n.container) {
        node(o, n, stats, &by_name, max_entered);
    }
    o.push_str("</svg>\n</div>\n");
    o.push_str(
        "<div class=\"legend\"><span class=\"lt\">entries: 0 <i class=\"ramp traffic\"></i> max</span>\
         <span class=\"lf\">failure rate: 0% <i class=\"ramp fail\"></i> 100%</span>\
         <span>edges: <b class=\"k next\">Next</b> <b class=\"k choice\">Choice</b> \
         <b class=\"k default\">Default</b> <b class=\"k catch\">Catch</b></span></div>\n",
    );
}

fn node(
    o: &mut String,
    n: &super::layout::Node,
    stats: &SimStats,
    by_name: &HashMap<&str, usize>,
    max_entered: u64,
) {
    let s = by_name.get(n.name.as_str()).map(|&i| &stats.states[i]);
    let (entered, failed, retries) = s.map_or((0, 0, 0), |s| (s.entered, s.failed, s.retries));
    let t = entered as f64 / max_entered as f64;
    let fr = failure_rate(failed, entered);
    let traffic = if entered == 0 {
        "#f2f3f3".to_owned()
    } else {
        mix([0xe3, 0xef, 0xfb], [0x1f, 0x5f, 0xb0], t.sqrt())
    };
    let traffic_text = if entered > 0 && t.sqrt() > 0.55 {
        "#fff"
    } else {
        "#16191f"
    };
    let fail = if entered == 0 {
        "#f2f3f3".to_owned()
    } else {
        mix([0xdf, 0xf3, 0xe3], [0xd1, 0x32, 0x12], fr.sqrt())
    };
    let fail_text = if entered > 0 && fr.sqrt() > 0.55 {
        "#fff"
    } else {
        "#16191f"
    };
    let mut tip = format!(
        "{} ({})\nentered {} · failed {} ({:.2}%) · retries {}",
        n.name,
        n.kind,
        thousands(entered),
        thousands(failed),
        fr * 100.0,
        thousands(retries)
    );
    if let Some(s) = s.filter(|s| s.time.count() > 0) {
        let p = pcts(&s.time);
        let _ = write!(
            tip,
            "\ntime p50 {} ms · p99 {} ms · max {} ms",
            fmt_num(p[0].1),
            fmt_num(p[2].1),
            fmt_num(p[4].1)
        );
    }
    let class = if n.container { "n box" } else { "n" };
    let _ = writeln!(
        o,
        "<g class=\"{class}{}\" style=\"--tf:{traffic};--tt:{traffic_text};--ff:{fail};--ft:{fail_text}\">\
         <title>{}</title>",
        if n.terminal { " end" } else { "" },
        esc(&tip)
    );
    let _ = write!(
        o,
        "<rect class=\"s\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\"/>",
        n.x, n.y, n.w, n.h
    );
    let cx = n.x + n.w / 2.0;
    let (ty, ky) = if n.container {
        (n.y + 13.0, n.y + 28.0)
    } else {
        (n.y + 19.0, n.y + 34.0)
    };
    if n.container {
        let _ = write!(
            o,
            "<text class=\"name\" x=\"{:.1}\" y=\"{ty:.1}\">{}</text>\
             <text class=\"kind\" x=\"{:.1}\" y=\"{ky:.1}\">{} · {}</text>",
            n.x + 10.0,
            esc(&n.name),
            n.x + 10.0,
            n.kind,
            thousands(entered)
        );
    } else {
        let _ = write!(
            o,
            "<text class=\"name c\" x=\"{cx:.1}\" y=\"{ty:.1}\">{}</text>\
             <text class=\"kind c\" x=\"{cx:.1}\" y=\"{ky:.1}\">{} · {}</text>",
            esc(&n.name),
            n.kind,
            thousands(entered)
        );
    }
    o.push_str("</g>\n");
}

/// Bars of a latency distribution over log-spaced bins, with p50 and p99 marked.
fn histogram(o: &mut String, l: &Latency, w: f64, h: f64) {
    const BINS: usize = 48;
    if l.count() == 0 {
        o.push_str("<p class=\"empty\">no data</p>\n");
        return;
    }
    let lo = l.min_us.max(1) as f64;
    let hi = (l.max_us as f64).max(lo * 1.0001);
    let span = (hi / lo).ln();
    let bin = |v: f64| -> usize {
        let f = ((v.max(lo) / lo).ln() / span * BINS as f64).floor();
        (f.max(0.0) as usize).min(BINS - 1)
    };
    let mut counts = [0u64; BINS];
    for v in l.hist.iter_recorded() {
        counts[bin((v.value_iterated_to() as f64).min(hi))] += v.count_at_value();
    }
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let (pl, pb) = (8.0, 22.0);
    let (cw, ch) = (w - 2.0 * pl, h - pb - 6.0);
    let bw = cw / BINS as f64;
    let _ = writeln!(
        o,
        "<svg class=\"hist\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" \
         viewBox=\"0 0 {w:.0} {h:.0}\">"
    );
    for (i, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let bh = (c as f64 / top * ch).max(1.0);
        let _ = writeln!(
            o,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\"><title>{}</title></rect>",
            pl + i as f64 * bw + 0.5,
            6.0 + ch - bh,
            (bw - 1.0).max(0.5),
            thousands(c)
        );
    }
    let p = pcts(l);
    for (name, v) in [("p50", p[0].1), ("p99", p[2].1)] {
        let x = pl + (bin(v * 1000.0) as f64 + 0.5) * bw;
        // The label goes left of the line near the right edge.
        let (tx, anchor) = if x > pl + cw - 30.0 {
            (x - 3.0, " r")
        } else {
            (x + 3.0, "")
        };
        let _ = writeln!(
            o,
            "<line class=\"mark\" x1=\"{x:.1}\" y1=\"6\" x2=\"{x:.1}\" y2=\"{:.1}\"/>\
             <text class=\"mark{anchor}\" x=\"{tx:.1}\" y=\"14\">{name}</text>",
            6.0 + ch
        );
    }
    let _ = writeln!(
        o,
        "<line class=\"axis\" x1=\"{pl}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
         <text class=\"ax\" x=\"{pl}\" y=\"{:.1}\">{} ms</text>\
         <text class=\"ax r\" x=\"{:.1}\" y=\"{:.1}\">{} ms (log scale)</text>\n</svg>",
        pl + cw,
        h - 5.0,
        fmt_num(lo / 1000.0),
        pl + cw,
        h - 5.0,
        fmt_num(hi / 1000.0),
        y = 6.0 + ch
    );
}

/// Mean and peak concurrency per time bucket, with the capacity dashed.
fn concurrency(o: &mut String, stats: &SimStats, b: &super::series::Busy, w: f64, h: f64) {
    let n = b.area_b.len();
    if n == 0 {
        o.push_str("<p class=\"empty\">no data</p>\n");
        return;
    }
    let wu = b.width_us as f64;
    let top = f64::from(b.peak().max(b.capacity.unwrap_or(0)).max(1));
    let (pl, pr, pt, pb) = (34.0, 8.0, 8.0, 22.0);
    let (cw, ch) = (w - pl - pr, h - pt - pb);
    let x = |i: f64| pl + i / n as f64 * cw;
    let y = |v: f64| pt + ch - v / top * ch;
    let _ = writeln!(
        o,
        "<svg class=\"conc\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" \
         viewBox=\"0 0 {w:.0} {h:.0}\">"
    );
    let mut peak = String::new();
    let mut mean = String::new();
    for i in 0..n {
        let (x0, x1) = (x(i as f64), x(i as f64 + 1.0));
        let pv = y(f64::from(b.peak_b[i]));
        // The last bucket may be cut short by the end of simulated time.
        let covered = (stats.end_us as f64 - i as f64 * wu).clamp(1.0, wu);
        let mv = y(b.area_b[i] as f64 / covered);
        let _ = write!(peak, "{x0:.1},{pv:.1} {x1:.1},{pv:.1} ");
        let _ = write!(mean, "{:.1},{mv:.1} ", (x0 + x1) / 2.0);
    }
    let _ = writeln!(
        o,
        "<polyline class=\"peak\" points=\"{}\"/>\n<polyline class=\"mean\" points=\"{}\"/>",
        peak.trim_end(),
        mean.trim_end()
    );
    if let Some(c) = b.capacity {
        let cy = y(f64::from(c));
        let _ = writeln!(
            o,
            "<line class=\"cap\" x1=\"{pl}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\"/>\
             <text class=\"ax\" x=\"{:.1}\" y=\"{:.1}\">capacity {c}</text>",
            pl + cw,
            pl + 4.0,
            cy + 10.0
        );
    }
    let end_s = (n as f64 * wu / 1e6).min(stats.end_us.max(1) as f64 / 1e6 * 1.0);
    let _ = writeln!(
        o,
        "<line class=\"axis\" x1=\"{pl}\" y1=\"{by:.1}\" x2=\"{:.1}\" y2=\"{by:.1}\"/>\
         <line class=\"axis\" x1=\"{pl}\" y1=\"{pt}\" x2=\"{pl}\" y2=\"{by:.1}\"/>\
         <text class=\"ax r\" x=\"{:.1}\" y=\"{pt:.1}\" dy=\"8\">{}</text>\
         <text class=\"ax r\" x=\"{:.1}\" y=\"{by:.1}\">0</text>\
         <text class=\"ax\" x=\"{pl}\" y=\"{:.1}\">0 s</text>\
         <text class=\"ax r\" x=\"{:.1}\" y=\"{:.1}\">{} s · <tspan class=\"mean\">mean</tspan> / \
         <tspan class=\"peak\">peak</tspan> per {} ms</text>\n</svg>",
        pl + cw,
        pl - 4.0,
        fmt_num(top),
        pl - 4.0,
        h - 5.0,
        pl + cw,
        h - 5.0,
        fmt_num(end_s),
        fmt_num(wu / 1000.0),
        by = pt + ch
    );
}

fn table_head(o: &mut String, cols: &[&str]) {
    o.push_str("<table>\n<thead><tr>");
    for (i, c) in cols.iter().enumerate() {
        let class = if i == 0 { "" } else { " class=\"num\"" };
        let _ = write!(o, "<th{class}>{}</th>", esc(c));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
}

fn table_row(o: &mut String, cells: &[String]) {
    o.push_str("<tr>");
    for (i, c) in cells.iter().enumerate() {
        let class = if i == 0 { "" } else { " class=\"num\"" };
        let _ = write!(o, "<td{class}>{}</td>", esc(c));
    }
    o.push_str("</tr>\n");
}

fn executions_table(o: &mut String, stats: &SimStats) {
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

fn states_table(o: &mut String, stats: &SimStats) {
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

fn resources_table(o: &mut String, stats: &SimStats) {
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
        let mut cells = vec![
            r.key.clone(),
            thousands(r.invocations),
            thousands(r.errors),
            thousands(r.throttles),
            thousands(u64::from(r.busy.peak())),
            fmt_num(mean_concurrency(stats, r)),
            r.busy
                .capacity
                .map_or("-".to_owned(), |c| thousands(u64::from(c))),
            utilization(stats, r).map_or("-".to_owned(), |u| format!("{:.1}%", u * 100.0)),
            format!("{:.2}%", p_wait(r) * 100.0),
        ];
        cells.extend([w[0].1, w[2].1, w[4].1, w[5].1].iter().map(|v| fmt_num(*v)));
        table_row(o, &cells);
    }
    o.push_str("</tbody>\n</table>\n");
}

fn cost_table(o: &mut String, cost: &Cost) {
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
