//! A layered layout of a state machine, like the Step Functions console's
//! graph: each block's states in rows by BFS distance from `StartAt`
//! (states not reached from it follow, in definition order), and Parallel
//! and Map states as boxes containing their branches or item processor
//! side by side. Coordinates are SVG user units, origin top left.

use crate::asl::{Block, State, StateKind, Transition};
use std::collections::HashMap;

const NODE_H: f64 = 44.0;
const MIN_W: f64 = 120.0;
const CHAR_W: f64 = 7.4;
const ROW_GAP: f64 = 46.0;
const COL_GAP: f64 = 28.0;
const PAD: f64 = 16.0;
const HEADER: f64 = 40.0;
/// Room above the top block for the start marker.
pub(crate) const TOP: f64 = 44.0;

/// One state's box.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) name: String,
    pub(crate) kind: &'static str,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
    /// Parallel or Map: drawn as a container.
    pub(crate) container: bool,
    /// `End: true`, Succeed or Fail.
    pub(crate) terminal: bool,
}

/// What an edge stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EdgeKind {
    Next,
    Choice,
    Default,
    Catch,
}

/// An edge between two nodes (indexes into [`Graph::nodes`]).
#[derive(Clone, Debug)]
pub(crate) struct Edge {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) kind: EdgeKind,
}

/// A laid-out block (and everything nested in it).
#[derive(Clone, Debug, Default)]
pub(crate) struct Graph {
    pub(crate) nodes: Vec<Node>,
    pub(crate) edges: Vec<Edge>,
    pub(crate) w: f64,
    pub(crate) h: f64,
    /// The node of `StartAt`.
    pub(crate) start: Option<usize>,
}

/// Lays out the top-level block, leaving [`TOP`] units free above it.
pub(crate) fn layout(block: &Block) -> Graph {
    let mut g = block_graph(block);
    for n in &mut g.nodes {
        n.y += TOP;
    }
    g.h += TOP;
    g
}

fn kind_name(s: &State) -> &'static str {
    match &s.kind {
        StateKind::Pass(_) => "Pass",
        StateKind::Task(_) => "Task",
        StateKind::Choice(_) => "Choice",
        StateKind::Wait(_) => "Wait",
        StateKind::Succeed => "Succeed",
        StateKind::Fail(_) => "Fail",
        StateKind::Parallel(_) => "Parallel",
        StateKind::Map(_) => "Map",
    }
}

/// The states `s` can go to, with the edge kind.
fn successors(s: &State) -> Vec<(&str, EdgeKind)> {
    let mut out = Vec::new();
    if let Transition::Next(n) = &s.transition {
        out.push((n.as_str(), EdgeKind::Next));
    }
    let catch = match &s.kind {
        StateKind::Choice(c) => {
            out.extend(
                c.choices
                    .iter()
                    .map(|r| (r.next.as_str(), EdgeKind::Choice)),
            );
            if let Some(d) = &c.default {
                out.push((d.as_str(), EdgeKind::Default));
            }
            &[][..]
        }
        StateKind::Task(t) => &t.catch[..],
        StateKind::Parallel(p) => &p.catch[..],
        StateKind::Map(m) => &m.catch[..],
        _ => &[][..],
    };
    out.extend(catch.iter().map(|c| (c.next.as_str(), EdgeKind::Catch)));
    out
}

fn inner_blocks(s: &State) -> Vec<&Block> {
    match &s.kind {
        StateKind::Parallel(p) => p.branches.iter().collect(),
        StateKind::Map(m) => vec![&m.processor],
        _ => Vec::new(),
    }
}

fn block_graph(block: &Block) -> Graph {
    let index: HashMap<&str, usize> = block
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    // Sizes, with the nested blocks laid out first.
    let subs: Vec<Vec<Graph>> = block
        .states
        .iter()
        .map(|s| inner_blocks(s).into_iter().map(block_graph).collect())
        .collect();
    let size: Vec<(f64, f64)> = block
        .states
        .iter()
        .zip(&subs)
        .map(|(s, sub)| {
            let label_w = (s.name.chars().count() as f64 * CHAR_W + 28.0).max(MIN_W);
            if sub.is_empty() {
                (label_w, NODE_H)
            } else {
                let inner_w: f64 =
                    sub.iter().map(|g| g.w).sum::<f64>() + COL_GAP * (sub.len() - 1) as f64;
                let inner_h = sub.iter().map(|g| g.h).fold(0.0, f64::max);
                ((inner_w + 2.0 * PAD).max(label_w), HEADER + inner_h + PAD)
            }
        })
        .collect();

    // Rows by BFS distance from StartAt, then from each unreached state.
    let mut layer: Vec<Option<usize>> = vec![None; block.states.len()];
    let mut order = Vec::new();
    let roots = index
        .get(block.start_at.as_str())
        .copied()
        .into_iter()
        .chain(0..block.states.len());
    let mut next_layer = 0;
    for root in roots {
        if layer[root].is_some() {
            continue;
        }
        layer[root] = Some(next_layer);
        let mut queue = std::collections::VecDeque::from([root]);
        while let Some(i) = queue.pop_front() {
            order.push(i);
            let l = layer[i].unwrap_or(0);
            next_layer = next_layer.max(l + 1);
            for (t, _) in successors(&block.states[i]) {
                if let Some(&j) = index.get(t) {
                    if layer[j].is_none() {
                        layer[j] = Some(l + 1);
                        queue.push_back(j);
                    }
                }
            }
        }
    }
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); next_layer];
    for &i in &order {
        rows[layer[i].unwrap_or(0)].push(i);
    }

    let row_w = |r: &[usize]| {
        r.iter().map(|&i| size[i].0).sum::<f64>() + COL_GAP * r.len().saturating_sub(1) as f64
    };
    let w = rows.iter().map(|r| row_w(r)).fold(MIN_W, f64::max);
    let mut g = Graph {
        w,
        start: index.get(block.start_at.as_str()).copied(),
        ..Graph::default()
    };
    let mut pos = vec![(0.0, 0.0); block.states.len()];
    let mut y = 0.0;
    for r in &rows {
        let mut x = (w - row_w(r)) / 2.0;
        for &i in r {
            pos[i] = (x, y);
            x += size[i].0 + COL_GAP;
        }
        y += r.iter().map(|&i| size[i].1).fold(0.0, f64::max) + ROW_GAP;
    }
    g.h = (y - ROW_GAP).max(NODE_H);

    for (i, s) in block.states.iter().enumerate() {
        g.nodes.push(Node {
            name: s.name.clone(),
            kind: kind_name(s),
            x: pos[i].0,
            y: pos[i].1,
            w: size[i].0,
            h: size[i].1,
            container: !subs[i].is_empty(),
            terminal: matches!(s.transition, Transition::End)
                || matches!(s.kind, StateKind::Succeed | StateKind::Fail(_)),
        });
        for (t, kind) in successors(s) {
            if let Some(&to) = index.get(t) {
                g.edges.push(Edge { from: i, to, kind });
            }
        }
    }
    // Nested blocks, side by side inside their container.
    for (i, sub) in subs.into_iter().enumerate() {
        let inner_w: f64 =
            sub.iter().map(|g| g.w).sum::<f64>() + COL_GAP * sub.len().saturating_sub(1) as f64;
        let mut x = pos[i].0 + (size[i].0 - inner_w) / 2.0;
        let y = pos[i].1 + HEADER;
        for sg in sub {
            let base = g.nodes.len();
            g.nodes.extend(sg.nodes.into_iter().map(|mut n| {
                n.x += x;
                n.y += y;
                n
            }));
            g.edges.extend(sg.edges.into_iter().map(|e| Edge {
                from: e.from + base,
                to: e.to + base,
                kind: e.kind,
            }));
            x += sg.w + COL_GAP;
        }
    }
    g
}
