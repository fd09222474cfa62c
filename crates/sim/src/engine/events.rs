//! The future event list: a binary min-heap ordered by `(time, sequence)`, so events due at the
//! same microsecond pop in the order they were scheduled (FIFO) and every run replays exactly.
//!
//! The heap is written out rather than taken from `std::collections::BinaryHeap` because it is
//! the engine's innermost loop: entries are 32 bytes (two 16-byte halves), a pop moves a hole
//! down from the root and stops as soon as the last entry fits (std's pop sifts to the bottom
//! and back up, and its swap-then-read of the root stalled on store forwarding in profiles).
//! The order is fully fixed by the unique `(time, seq)` keys, so any correct heap gives the
//! same sequence of events.

use crate::time::SimTime;

/// Index of an in-flight request attempt.
pub(crate) type ReqId = u32;

/// Something that happens at an instant. Kept at 16 bytes (checked by a test) so a heap entry
/// is 32.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    /// A client's next arrival is due.
    Arrival { client: u32 },
    /// A call reaches `node` (instance forced by a balancer when `inst != NO_INST`).
    Deliver { req: ReqId, node: u32, inst: u32 },
    /// The worker serving `req` finished its own work. Which node, instance and instance epoch
    /// (to detect a crash meanwhile) are in `req`'s top frame, which stays on top while the
    /// request is in service.
    ServiceDone { req: ReqId },
    /// A reply reaches the caller at the top of `req`'s stack.
    Reply { req: ReqId },
    /// The client stops waiting for attempt `req` of generation `gen`.
    Timeout { req: ReqId, gen: u32 },
    /// A client retries logical request `logical` (generation `gen`).
    Retry { logical: u32, gen: u32 },
    /// The scheduled fault at this index of the model's list.
    Fault { index: u32 },
    /// A random failure (`fail`) or repair of one instance.
    Random { node: u32, inst: u32, fail: bool },
    /// A replica finished being promoted after primary `node` failed at `epoch`.
    Promote { node: u32, epoch: u32 },
    /// A delivered message was not acknowledged in time.
    Visibility { queue: u32, msg: u32, delivery: u32 },
    /// A booting instance starts serving.
    Booted { node: u32, inst: u32 },
    /// End of a one-second metrics window (and autoscaling decisions).
    Tick,
}

/// Marks "no particular instance" in [`Event::Deliver`].
pub(crate) const NO_INST: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Entry {
    time: u64,
    seq: u64,
    event: Event,
}

impl Entry {
    /// Strictly earlier in `(time, seq)` order; seqs are unique, so never equal.
    #[inline(always)]
    fn before(&self, other: &Entry) -> bool {
        (self.time, self.seq) < (other.time, other.seq)
    }
}

/// The pending events of a simulation.
#[derive(Debug, Default)]
pub(crate) struct EventQueue {
    /// Heap order: every entry is earlier than its children `2i + 1` and `2i + 2`.
    heap: Vec<Entry>,
    seq: u64,
}

impl EventQueue {
    pub fn push(&mut self, at: SimTime, event: Event) {
        self.seq += 1;
        let entry = Entry {
            time: at.0,
            seq: self.seq,
            event,
        };
        // Sift up: move the hole from the end towards the root while the parent is later.
        let mut hole = self.heap.len();
        self.heap.push(entry);
        while hole > 0 {
            let parent = (hole - 1) / 2;
            if !entry.before(&self.heap[parent]) {
                break;
            }
            self.heap[hole] = self.heap[parent];
            hole = parent;
        }
        self.heap[hole] = entry;
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.first().map(|e| SimTime(e.time))
    }

    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        let first = *self.heap.first()?;
        let last = self.heap.pop()?;
        if !self.heap.is_empty() {
            self.sift_down_from_root(last);
        }
        Some((SimTime(first.time), first.event))
    }

    /// The next event if it is due at or before `until`.
    #[inline]
    pub fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, Event)> {
        match self.heap.first() {
            Some(e) if e.time <= until.0 => self.pop(),
            _ => None,
        }
    }

    /// Puts `moving` (the former last entry) where the root was removed: the hole at the root
    /// takes its earlier child until `moving` is no later than both children.
    #[inline]
    fn sift_down_from_root(&mut self, moving: Entry) {
        let heap = &mut self.heap[..];
        let len = heap.len();
        let mut hole = 0;
        loop {
            let left = 2 * hole + 1;
            if left >= len {
                break;
            }
            let right = left + 1;
            let child = if right < len && heap[right].before(&heap[left]) {
                right
            } else {
                left
            };
            if !heap[child].before(&moving) {
                break;
            }
            heap[hole] = heap[child];
            hole = child;
        }
        heap[hole] = moving;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_pop_in_scheduling_order() {
        let mut q = EventQueue::default();
        q.push(SimTime(5), Event::Fault { index: 1 });
        q.push(SimTime(3), Event::Fault { index: 0 });
        q.push(SimTime(5), Event::Fault { index: 2 });
        let order: Vec<u32> = std::iter::from_fn(|| q.pop())
            .map(|(_, e)| match e {
                Event::Fault { index } => index,
                _ => unreachable!("only faults were pushed"),
            })
            .collect();
        assert_eq!(order, vec![0, 1, 2]);
    }

    #[test]
    fn an_event_is_16_bytes() {
        assert!(std::mem::size_of::<Event>() <= 16);
        assert_eq!(std::mem::size_of::<Entry>(), 32);
    }

    #[test]
    fn pops_in_time_then_scheduling_order() {
        // Pseudo-random times with many ties, checked against a sort by (time, seq).
        let mut q = EventQueue::default();
        let mut expected = Vec::new();
        let mut x = 1u64;
        let mut popped = Vec::new();
        for round in 0..2000u32 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let t = (x >> 33) % 50;
            q.push(SimTime(t), Event::Fault { index: round });
            expected.push((t, round));
            if round % 3 == 0 {
                popped.push(q.pop().expect("not empty"));
            }
        }
        popped.extend(std::iter::from_fn(|| q.pop()));
        // Every pop must be the earliest entry pending at that moment; with interleaved pushes
        // that is checked by replaying the same operations on a sorted list.
        let mut pending: Vec<(u64, u32)> = Vec::new();
        let mut replay = Vec::new();
        for (k, item) in expected.iter().enumerate() {
            pending.push(*item);
            if k % 3 == 0 {
                pending.sort();
                replay.push(pending.remove(0));
            }
        }
        pending.sort();
        replay.extend(pending);
        let got: Vec<(u64, u32)> = popped
            .into_iter()
            .map(|(t, e)| match e {
                Event::Fault { index } => (t.0, index),
                _ => unreachable!("only faults were pushed"),
            })
            .collect();
        assert_eq!(got, replay);
        assert!(q.pop_due(SimTime(u64::MAX)).is_none());
    }
}
