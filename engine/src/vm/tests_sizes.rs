//! Sizes of what a parked execution holds, pinned so that growth is a
//! decision (`stampede-loadgen parked` measures the whole: README, "Measured").

use super::exec::{Execution, Slot};
use super::fiber::Fiber;
use std::mem::size_of;

#[test]
fn sizes_of_a_parked_execution() {
    let (exec, slot, fiber) = (
        size_of::<Execution>(),
        size_of::<Slot>(),
        size_of::<Fiber>(),
    );
    println!("Execution {exec}, Slot {slot}, Fiber {fiber}");
    assert!(exec <= 400, "Execution is {exec} bytes");
    assert!(slot <= 160, "Slot is {slot} bytes");
    assert!(fiber <= 300, "Fiber is {fiber} bytes");
    // A Parallel's or Map's join is boxed: a slot without one stays small.
    assert!(slot <= 48, "Slot is {slot} bytes");
    // What a deferred handler keeps per parked task.
    let completion = size_of::<crate::handlers::Completion>();
    assert!(completion <= 40, "Completion is {completion} bytes");
}
