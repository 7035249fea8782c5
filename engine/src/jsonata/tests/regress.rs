//! Differences from jsonata-js 2.0.6 that the differential test (`diff/`)
//! found, each pinned after its fix.

use super::eval_str;

fn ok(expr: &str, data: &str) -> String {
    eval_str(expr, data).expect("a value")
}

/// `$formatBase` rounds half to even, like `$round` (diff seed 3650).
#[test]
fn format_base_rounds_half_to_even() {
    assert_eq!(ok("$formatBase(0.5, 2)", ""), "\"0\"");
    assert_eq!(ok("$formatBase(1.5, 2)", ""), "\"10\"");
    assert_eq!(ok("$formatBase(2.5, 2)", ""), "\"10\"");
    assert_eq!(ok("$formatBase(-2.5, 10)", ""), "\"-2\"");
}
