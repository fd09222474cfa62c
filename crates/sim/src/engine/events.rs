//! The future event list: a binary min-heap ordered by `(time, sequence)`, so events due at the
//! same microsecond pop in the order they were scheduled (FIFO) and every run replays exactly.
//!
//! The heap is written out rather than taken from `std::collections::BinaryHeap` because it is
//! the engine's innermost loop: entries are 32 bytes (two 16-byte halves), a pop moves a hole
//! down from the root and stops as soon as the last entry fits (std's pop sifts to the bottom
//! and back up, and its swap-then-read of the root stalled on store forwarding in profiles).
//! The order is fully fixed by the unique `(time, seq)` keys, so any correct heap gives the
//! same sequence of events.
//!
//! Handling an event usually schedules another one (the next arrival, the end of a service).
//! So the loop takes the earliest event with [`EventQueue::take_due`], which leaves the root
//! slot empty; the next [`EventQueue::push`] fills it and sifts down once, instead of a pop
//! (sift down) followed by a push (sift up). [`EventQueue::settle`] closes the slot after the
//! event if nothing was pushed.

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
    /// Primary `node`, back since its failure numbered `epoch`, has replayed the writes its
    /// promoted replica took meanwhile: it takes the writes again.
    FailBack { node: u32, epoch: u32 },
    /// A delivered message was not acknowledged in time.
    Visibility { queue: u32 },
    /// A booting instance starts serving, if it is still in the boot numbered `boot` (it may
    /// have been drained and started again since).
    Booted { node: u32, inst: u32, boot: u32 },
    /// End of a metrics window (`window_s`).
    Tick,
    /// An autoscaler's second: tiers whose cooldown has passed decide their size. Its own
    /// clock, so that `window_s`, a reporting setting, does not change how fast tiers scale.
    ScaleCheck,
    /// An event called off after it was scheduled ([`EventQueue::cancel`]): nothing happens.
    Cancelled,
}

/// Marks "no particular instance" in [`Event::Deliver`].
pub(crate) const NO_INST: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Entry {
    /// `time << 64 | seq`: one integer comparison orders entries by `(time, seq)` without
    /// branches (a tuple comparison branched on data the predictor cannot guess).
    key: u128,
    event: Event,
}

impl Entry {
    fn new(time: SimTime, seq: u64, event: Event) -> Entry {
        Entry {
            key: (time.0 as u128) << 64 | seq as u128,
            event,
        }
    }

    #[inline(always)]
    fn time(&self) -> u64 {
        (self.key >> 64) as u64
    }

    /// Strictly earlier in `(time, seq)` order; seqs are unique, so never equal.
    #[inline(always)]
    fn before(&self, other: &Entry) -> bool {
        self.key < other.key
    }
}

/// The pending events of a simulation.
#[derive(Debug, Default)]
pub(crate) struct EventQueue {
    /// Heap order: every entry is earlier than its children `2i + 1` and `2i + 2`.
    heap: Vec<Entry>,
    seq: u64,
    /// `heap[0]` was taken by `take_due` and awaits the next push (or `settle`).
    root_vacant: bool,
}

impl EventQueue {
    /// Schedules `event` at `at` (after every event already scheduled at `at`).
    pub fn push(&mut self, at: SimTime, event: Event) {
        self.push_inline(at, event);
    }

    /// [`EventQueue::push`] forced inline, for the few call sites every request passes
    /// through (the next arrival, the end of a service): a call to `push` costs about 20
    /// instructions of saved and restored registers, as much as the sift itself.
    #[inline(always)]
    pub fn push_inline(&mut self, at: SimTime, event: Event) {
        self.seq += 1;
        let entry = Entry::new(at, self.seq, event);
        if self.root_vacant {
            // Replace the taken root: sift the new entry down from there.
            self.root_vacant = false;
            self.sift_down_from_root(entry);
            return;
        }
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
        debug_assert!(!self.root_vacant, "settle() after take_due()");
        self.heap.first().map(|e| SimTime(e.time()))
    }

    /// The next event and its time, left in place.
    pub fn peek(&self) -> Option<(SimTime, Event)> {
        debug_assert!(!self.root_vacant, "settle() after take_due()");
        self.heap.first().map(|e| (SimTime(e.time()), e.event))
    }

    /// Calls off every pending event `picks` chooses, and returns them in the order they were
    /// due. Each leaves a [`Event::Cancelled`] in its place, under the same key, so the heap's
    /// order stands. A scan of every pending event: for rare changes (a crash), never per
    /// request. The event being handled (taken, its slot not yet refilled) is not pending.
    pub fn cancel(&mut self, mut picks: impl FnMut(&Event) -> bool) -> Vec<Event> {
        let pending = usize::from(self.root_vacant)..self.heap.len();
        let mut called_off: Vec<(u128, Event)> = Vec::new();
        for entry in &mut self.heap[pending] {
            if picks(&entry.event) {
                called_off.push((entry.key, entry.event));
                entry.event = Event::Cancelled;
            }
        }
        called_off.sort_unstable_by_key(|(key, _)| *key);
        called_off.into_iter().map(|(_, event)| event).collect()
    }

    /// How many events are pending.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Removes and returns the next event.
    #[cfg(test)]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        let taken = self.take_due(SimTime(u64::MAX));
        self.settle();
        taken
    }

    /// The next event if it is due at or before `until`. Its slot stays open for the next
    /// push; call [`EventQueue::settle`] once the event is handled.
    #[inline]
    pub fn take_due(&mut self, until: SimTime) -> Option<(SimTime, Event)> {
        debug_assert!(!self.root_vacant, "settle() after take_due()");
        match self.heap.first() {
            Some(e) if e.time() <= until.0 => {
                self.root_vacant = true;
                Some((SimTime(e.time()), e.event))
            }
            _ => None,
        }
    }

    /// Closes the root slot left by [`EventQueue::take_due`] if no push refilled it: the last
    /// entry takes its place.
    #[inline]
    pub fn settle(&mut self) {
        if self.root_vacant {
            self.root_vacant = false;
            if let Some(last) = self.heap.pop() {
                if !self.heap.is_empty() {
                    self.sift_down_from_root(last);
                }
            }
        }
    }

    /// Puts `moving` (the former last entry) where the root was removed: the hole at the root
    /// takes its earlier child until `moving` is no later than both children.
    #[inline(always)]
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
            // The earlier child, picked arithmetically rather than by a branch.
            let child = if right < len {
                left + usize::from(heap[right].before(&heap[left]))
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
    fn cancelled_events_come_back_in_due_order_and_leave_the_rest_in_order() {
        let mut q = EventQueue::default();
        for (t, i) in [(7, 0), (3, 1), (5, 2), (3, 3), (9, 4), (1, 5)] {
            q.push(SimTime(t), Event::Fault { index: i });
        }
        // Take one, as the event loop does, so the vacant root is skipped.
        let (t, first) = q.take_due(SimTime(u64::MAX)).expect("not empty");
        assert!(matches!(first, Event::Fault { index: 5 }) && t == SimTime(1));
        let odd = q.cancel(|e| matches!(e, Event::Fault { index } if index % 2 == 1));
        let odd: Vec<u32> = odd
            .into_iter()
            .map(|e| match e {
                Event::Fault { index } => index,
                _ => unreachable!("only faults were pushed"),
            })
            .collect();
        assert_eq!(
            odd,
            vec![1, 3],
            "in due order; the taken event 5 is not pending"
        );
        q.settle();
        let rest: Vec<(u64, Option<u32>)> = std::iter::from_fn(|| q.pop())
            .map(|(t, e)| match e {
                Event::Fault { index } => (t.0, Some(index)),
                Event::Cancelled => (t.0, None),
                _ => unreachable!("only faults were pushed"),
            })
            .collect();
        assert_eq!(
            rest,
            vec![
                (3, None),
                (3, None),
                (5, Some(2)),
                (7, Some(0)),
                (9, Some(4))
            ]
        );
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
        assert!(q.take_due(SimTime(u64::MAX)).is_none());
    }

    #[test]
    fn a_push_after_take_due_refills_the_root() {
        // Handling an event that schedules others: same order as popping first.
        let mut q = EventQueue::default();
        for (t, i) in [(4, 0), (2, 1), (9, 2), (2, 3)] {
            q.push(SimTime(t), Event::Fault { index: i });
        }
        let mut order = Vec::new();
        let mut next = 10;
        while let Some((t, e)) = q.take_due(SimTime(8)) {
            let Event::Fault { index } = e else {
                unreachable!("only faults were pushed")
            };
            order.push((t.0, index));
            // The first even ones schedule one at the same instant, then a later one.
            if index < 10 && index % 2 == 0 {
                q.push(t, Event::Fault { index: next });
                q.push(SimTime(t.0 + 3), Event::Fault { index: next + 1 });
                next += 2;
            }
            q.settle();
        }
        assert_eq!(order, vec![(2, 1), (2, 3), (4, 0), (4, 10), (7, 11)],);
        assert_eq!(q.peek_time(), Some(SimTime(9)));
    }
}
