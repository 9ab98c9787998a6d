//! Splitting independent work over the machine's cores, with results in
//! input order so that nothing observable depends on the number of threads.

/// Below this much work (bytes of source, or its like), a thread costs
/// more to start than it saves: the bundled catalog is read on one core,
/// which keeps the console's start-up short.
pub const WORTH_A_THREAD: usize = 256 * 1024;

/// Runs `work` on consecutive chunks of `items`, one chunk per core, and
/// returns the chunks' results in order. `work` gets the index of the
/// chunk's first item. `size`: how much work there is in all, in the
/// measure of `WORTH_A_THREAD`.
pub fn chunks<T: Sync, R: Send + Default>(
    items: &[T],
    size: usize,
    work: impl Fn(usize, &[T]) -> R + Sync,
) -> Vec<R> {
    let workers = if size < WORTH_A_THREAD {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .min(items.len())
            .min(size / WORTH_A_THREAD)
    };
    if workers <= 1 {
        return vec![work(0, items)];
    }
    let size = items.len().div_ceil(workers);
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(size)
            .enumerate()
            .map(|(index, chunk)| scope.spawn(move || work(index * size, chunk)))
            .collect();
        handles
            .into_iter()
            // A worker that panicked has already printed why; its part is
            // lost, which the caller sees as missing items, not a crash.
            .map(|handle| handle.join().unwrap_or_default())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_input_order() {
        let items: Vec<u32> = (0..101).collect();
        let parts = super::chunks(&items, usize::MAX, |start, chunk| (start, chunk.to_vec()));
        let mut seen = Vec::new();
        for (start, chunk) in parts {
            assert_eq!(start, seen.len());
            seen.extend(chunk);
        }
        assert_eq!(seen, items);
        assert_eq!(
            super::chunks(&[] as &[u32], usize::MAX, |_, c| c.len()),
            vec![0]
        );
        assert_eq!(
            super::chunks(&items, 10, |_, c| c.len()),
            vec![101],
            "too small to split"
        );
    }
}
