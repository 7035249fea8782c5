//! A runaway expression fails fast, in a thread with a 2 MiB stack.

use super::eval_str;
use std::time::{Duration, Instant};

fn in_small_stack(expr: &'static str) -> (Result<String, String>, Duration) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let t = Instant::now();
            let r = eval_str(expr, "");
            (r, t.elapsed())
        })
        .expect("thread")
        .join()
        .expect("no stack overflow")
}

#[test]
fn runaway_recursion_fails_fast() {
    let (r, took) = in_small_stack("($f := function($n){$f($n+1)}; $f(0))");
    assert_eq!(r, Err("U1001".into()));
    assert!(took < Duration::from_millis(100), "took {took:?}");
}

#[test]
fn deep_recursion_is_bounded() {
    let (r, took) = in_small_stack("($f := function($n){ 1 + $f($n+1) }; $f(0))");
    assert_eq!(r, Err("U1001".into()));
    assert!(took < Duration::from_millis(100), "took {took:?}");
    let (r, _) = in_small_stack("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(50))");
    assert_eq!(r, Ok("50".into()));
}
