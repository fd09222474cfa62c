//! The future event list: a binary heap ordered by `(time, sequence)`, so events due at the
//! same microsecond pop in the order they were scheduled (FIFO) and every run replays exactly.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// Index of an in-flight request attempt.
pub(crate) type ReqId = u32;

/// Something that happens at an instant.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    /// A client's next arrival is due.
    Arrival { client: u32 },
    /// A call reaches `node` (instance forced by a balancer when `inst != NO_INST`).
    Deliver { req: ReqId, node: u32, inst: u32 },
    /// A worker of `node`/`inst` finished its own work on `req` (`epoch` detects crashes).
    ServiceDone {
        req: ReqId,
        node: u32,
        inst: u32,
        epoch: u32,
    },
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

#[derive(Debug)]
struct Entry {
    time: u64,
    seq: u64,
    event: Event,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest first.
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// The pending events of a simulation.
#[derive(Debug, Default)]
pub(crate) struct EventQueue {
    heap: BinaryHeap<Entry>,
    seq: u64,
}

impl EventQueue {
    pub fn push(&mut self, at: SimTime, event: Event) {
        self.seq += 1;
        self.heap.push(Entry {
            time: at.0,
            seq: self.seq,
            event,
        });
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| SimTime(e.time))
    }

    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.heap.pop().map(|e| (SimTime(e.time), e.event))
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
}
