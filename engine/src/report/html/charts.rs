//! SVG charts: latency histograms over log-spaced bins and concurrency over time.

use crate::report::fmt::{fmt_num, thousands};
use crate::report::hist::Latency;
use crate::report::series::Busy;
use crate::report::stats::SimStats;
use crate::report::summary::pcts;
use std::fmt::Write as _;

/// Bars of a latency distribution over log-spaced bins, with p50 and p99 marked.
pub(super) fn histogram(o: &mut String, l: &Latency, w: f64, h: f64) {
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
pub(super) fn concurrency(o: &mut String, stats: &SimStats, b: &Busy, w: f64, h: f64) {
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
