//! A Distributed Map's children in the statistics: counts, merging, the
//! shard file, and their price apart from the parent's.

use super::{CostInputs, PriceTable, SimStats};
use crate::MachineType;

/// A parent state `Map` and the child state `Work`; children of `Map` are
/// Express when `express`.
fn stats(express: bool) -> SimStats {
    let mut s = SimStats::new(vec!["Map".into(), "Work".into()], vec![]);
    let m = s.distributed_map("Map", express, vec![1]);
    // One execution: its Map state, and 10 children of one state each
    // (one retried): 1 + 10 + 1 = 12 transitions.
    s.state_entered(0);
    for i in 0..10 {
        s.child_started(m);
        s.state_entered(1);
        // 150 ms each (billed 200 ms), the last one fails.
        s.child_ended(m, i != 9, 150.0);
    }
    s.state_retried(1);
    s.transitions(12);
    s.map_run_ended(m, 1, false);
    s.execution_done("SUCCEEDED", None, 2_000.0);
    s
}

#[test]
fn children_are_counted_and_their_aborts_inferred() {
    let mut s = stats(true);
    s.child_started(0); // started, never ended: stopped with its Map Run
    s.map_run_ended(0, 4, true);
    let c = &s.children[0];
    assert_eq!(
        (c.started, c.succeeded, c.failed, c.aborted()),
        (11, 9, 1, 1)
    );
    assert_eq!((c.runs, c.runs_exceeded, c.tolerated_items), (2, 1, 1));
    assert_eq!(c.transitions(&s.states), 11);
    assert_eq!(c.billed_ms, 10 * 200);
}

#[test]
fn express_children_are_priced_as_express_executions() {
    let prices = PriceTable::default();
    let s = stats(true);
    let inputs = CostInputs::from_stats(&s, MachineType::Standard, &prices, |_| None);
    // The parent: 12 − 11 transitions of the children + 1 per child started.
    assert_eq!(inputs.state_transitions, 1 + 10);
    let c = &inputs.children[0];
    assert_eq!((c.executions, c.transitions), (10, 11));
    // 10 × 0.2 s × 64 MB (0.0625 GB) = 0.125 GB-s.
    assert!((c.express_gb_seconds - 0.125).abs() < 1e-12);
    let cost = prices.estimate(&inputs);
    let items: Vec<&str> = cost.lines.iter().map(|l| l.item.as_str()).collect();
    assert_eq!(
        items,
        [
            "Standard state transitions",
            "Express requests: Distributed Map Map children",
            "Express duration: Distributed Map Map children"
        ]
    );
    assert_eq!(cost.lines[1].usd, 0.00001);
}

#[test]
fn standard_children_pay_their_own_transitions() {
    let prices = PriceTable::default();
    let cost = prices.estimate(&CostInputs::from_stats(
        &stats(false),
        MachineType::Standard,
        &prices,
        |_| None,
    ));
    let line = |item: &str| {
        cost.lines
            .iter()
            .find(|l| l.item == item)
            .map(|l| l.quantity)
    };
    assert_eq!(line("Standard state transitions"), Some(11.0));
    assert_eq!(
        line("Standard state transitions: Distributed Map Map children"),
        Some(11.0)
    );
    // 22 transitions in all: the parent's 1 + 10 child starts, the children's 11.
    assert!((cost.total_usd - 22.0 * 0.000025).abs() < 1e-12);
}

#[test]
fn children_merge_and_travel_in_shard_files() {
    let mut a = stats(true);
    let b = stats(true);
    let back = SimStats::from_shard_json(&b.to_shard_json()).expect("reads back");
    assert_eq!(back.to_shard_json(), b.to_shard_json());
    a.merge(&back);
    let c = &a.children[0];
    assert_eq!((c.started, c.succeeded, c.failed), (20, 18, 2));
    assert_eq!((c.runs, c.tolerated_items, c.billed_ms), (2, 2, 4_000));
    assert_eq!(c.time.count(), 20);
    let mut bad = b.to_shard_json();
    bad["distributed_maps"][0]["express"] = 1.into();
    let e = SimStats::from_shard_json(&bad).expect_err("express must be a boolean");
    assert_eq!(e.pointer, "/distributed_maps/0/express");
    assert!(e.to_string().contains("must be true or false"), "{e}");
}

#[test]
fn a_machine_without_a_distributed_map_keeps_its_report_shape() {
    let s = SimStats::new(vec!["A".into()], vec![]);
    let prices = PriceTable::default();
    let cost = prices.estimate(&CostInputs::from_stats(
        &s,
        MachineType::Standard,
        &prices,
        |_| None,
    ));
    let meta = super::ReportMeta::default();
    assert!(super::report_json(&s, &cost, &meta)
        .get("distributed_maps")
        .is_none());
    assert!(!super::report_text(&s, &cost, &meta).contains("Distributed Map"));
}

#[test]
fn the_html_report_has_a_children_section_only_with_a_distributed_map() {
    const DEF: &str = r#"{"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
        "StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}}}}}"#;
    let def = crate::Definition::parse(DEF, MachineType::Standard).unwrap();
    let prices = PriceTable::default();
    let meta = super::ReportMeta::default();
    let html_of = |s: &SimStats| {
        let cost = prices.estimate(&CostInputs::from_stats(
            s,
            MachineType::Standard,
            &prices,
            |_| None,
        ));
        super::report_html(s, &cost, &meta, &def)
    };
    let html = html_of(&stats(true));
    let section = html
        .split("<h2>Distributed Map child executions</h2>")
        .nth(1)
        .expect("the section");
    let table = &section[..section.find("</table>").unwrap()];
    // 10 children: 9 succeeded, 1 failed, one Map Run within tolerance.
    assert!(
        table.contains(
            "<td>Map (EXPRESS)</td><td class=\"num\">10</td><td class=\"num\">9</td>\
             <td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>"
        ),
        "{table}"
    );
    let plain = SimStats::new(vec!["Map".into(), "Work".into()], vec![]);
    assert!(!html_of(&plain).contains("Distributed Map child executions"));
}
