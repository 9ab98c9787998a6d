//! Splitting independent work over the machine's cores, with results in
//! input order so that nothing observable depends on the number of threads.

/// Runs `work` on consecutive chunks of `items`, one chunk per core, and
/// returns the chunks' results in order. `work` gets the index of the
/// chunk's first item.
pub fn chunks<T: Sync, R: Send + Default>(
    items: &[T],
    work: impl Fn(usize, &[T]) -> R + Sync,
) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len());
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
        let parts = super::chunks(&items, |start, chunk| (start, chunk.to_vec()));
        let mut seen = Vec::new();
        for (start, chunk) in parts {
            assert_eq!(start, seen.len());
            seen.extend(chunk);
        }
        assert_eq!(seen, items);
        assert_eq!(super::chunks(&[] as &[u32], |_, c| c.len()), vec![0]);
    }
}
