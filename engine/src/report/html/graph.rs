//! The state machine drawn as an SVG graph, each state coloured by its
//! traffic or by its failure rate (a CSS-only toggle).

use super::esc;
use crate::asl::StateMachine;
use crate::report::fmt::{fmt_num, thousands};
use crate::report::layout::{layout, EdgeKind, Graph, TOP};
use crate::report::stats::SimStats;
use crate::report::summary::{failure_rate, pcts};
use std::collections::HashMap;
use std::fmt::Write as _;

/// A colour between `a` and `b` (RGB) at `t` in 0..=1.
fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let c: Vec<u8> = (0..3)
        .map(|i| (f64::from(a[i]) + (f64::from(b[i]) - f64::from(a[i])) * t).round() as u8)
        .collect();
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

pub(super) fn graph(o: &mut String, stats: &SimStats, sm: &StateMachine) {
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
    n: &crate::report::layout::Node,
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
