//! Independent simulations on all cores: the runs of `run --replications` and of `sweep` share
//! nothing (each has its own model and seed), so they are spread over threads and their results
//! put back in the order they were asked for. The output is therefore the same, to the byte,
//! whatever the number of threads; only the wall time changes.
//!
//! The engine itself stays single-threaded (it also runs in a browser tab); this is the CLI's
//! business.

use std::num::NonZeroUsize;
use std::sync::Mutex;

/// How many runs go at once: `--jobs` when given, else one per core the OS lets us use.
pub fn jobs(flag: Option<u64>) -> usize {
    match flag {
        Some(j) => usize::try_from(j).unwrap_or(1).max(1),
        None => std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
    }
}

/// `work` applied to every item, on up to `jobs` threads, with the results in the items' order.
///
/// Threads take the next item as they become free (runs differ in length, so a fixed split would
/// leave a core idle). Each result is as small as the caller makes it: a worker keeps one run's
/// report only while it reduces it.
pub fn map_in_order<T, R, F>(items: Vec<T>, jobs: usize, work: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let threads = jobs.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.into_iter().map(work).collect();
    }
    let count = items.len();
    // The items still to run, numbered; a thread holds the lock only to take the next one.
    let queue = Mutex::new(items.into_iter().enumerate());
    let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).next();
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some((i, item)) = next() {
                        mine.push((i, work(item)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            // A worker's panic goes on to the caller, as it would without threads.
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    debug_assert_eq!(done.len(), count);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order_whatever_the_threads() {
        let items: Vec<u64> = (0..50).collect();
        // Uneven work, so that threads finish out of order.
        let work = |i: u64| {
            let spins = (50 - i) * 20_000;
            (0..spins).fold(i, |a, b| a.wrapping_mul(31).wrapping_add(b)) ^ i
        };
        let one = map_in_order(items.clone(), 1, work);
        for jobs in [2, 3, 8, 100] {
            assert_eq!(map_in_order(items.clone(), jobs, work), one, "{jobs} jobs");
        }
    }

    #[test]
    fn more_threads_than_items_and_no_items() {
        assert_eq!(map_in_order(vec![1, 2], 16, |x| x * 10), vec![10, 20]);
        assert_eq!(map_in_order(Vec::<u8>::new(), 4, |x| x), Vec::<u8>::new());
        assert_eq!(map_in_order(vec![7], 0, |x| x + 1), vec![8]);
    }

    #[test]
    fn really_runs_at_once() {
        // Two items that each wait for the other to start can only finish on two threads.
        use std::sync::Barrier;
        let barrier = Barrier::new(2);
        let out = map_in_order(vec!['a', 'b'], 2, |c| {
            barrier.wait();
            c.to_ascii_uppercase()
        });
        assert_eq!(out, vec!['A', 'B']);
    }
}
