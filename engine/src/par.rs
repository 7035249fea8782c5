//! Work spread over the machine's cores with scoped threads: the one place
//! that decides how many threads a Distributed Map uses (its children's
//! slices in `vm/fanout.rs`, its JSON Lines parsed ahead in
//! `store/items/lines.rs`). Threads live only as long as one call, so
//! nothing outlives the data it borrows.

use std::sync::{Mutex, OnceLock, PoisonError};

/// The machine's cores (at least 1).
pub(crate) fn cores() -> usize {
    static N: OnceLock<usize> = OnceLock::new();
    *N.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Calls `f` on every item, the items taken `chunk` at a time by up to
/// [`cores`] threads (the calling thread one of them). Each item is
/// handed to exactly one call; the order of calls is unspecified.
pub(crate) fn for_each<T: Send>(items: &mut [T], chunk: usize, f: impl Fn(&mut T) + Sync) {
    let chunk = chunk.max(1);
    let threads = cores().min(items.len().div_ceil(chunk));
    if threads <= 1 {
        items.iter_mut().for_each(f);
        return;
    }
    let chunks = Mutex::new(items.chunks_mut(chunk));
    let take = || chunks.lock().unwrap_or_else(PoisonError::into_inner).next();
    let work = || {
        while let Some(c) = take() {
            c.iter_mut().for_each(&f);
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
}

#[cfg(test)]
mod tests {
    use super::for_each;

    #[test]
    fn every_item_is_handled_once() {
        let mut v: Vec<(u64, u32)> = (0..10_000).map(|i| (i, 0)).collect();
        for_each(&mut v, 7, |(i, n)| {
            *i *= 3;
            *n += 1;
        });
        assert!(v
            .iter()
            .enumerate()
            .all(|(k, &(i, n))| i == 3 * k as u64 && n == 1));
        let mut empty: Vec<u8> = Vec::new();
        for_each(&mut empty, 4, |_| unreachable!());
    }
}
