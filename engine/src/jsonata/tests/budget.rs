//! A runaway expression fails with U1001 (the depth limit or the step
//! budget, which both bound the work), not a stack overflow, in a thread
//! with a 2 MiB stack. No wall-clock assertion: one failed on a loaded
//! machine while the limits worked.

use super::eval_str;

fn in_small_stack(expr: &'static str) -> Result<String, String> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || eval_str(expr, ""))
        .expect("thread")
        .join()
        .expect("no stack overflow")
}

#[test]
fn runaway_recursion_is_stopped() {
    let r = in_small_stack("($f := function($n){$f($n+1)}; $f(0))");
    assert_eq!(r, Err("U1001".into()));
}

#[test]
fn deep_recursion_is_bounded() {
    let r = in_small_stack("($f := function($n){ 1 + $f($n+1) }; $f(0))");
    assert_eq!(r, Err("U1001".into()));
    let r = in_small_stack("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(50))");
    assert_eq!(r, Ok("50".into()));
}
