//! One socket's account of the storm's events across its two connections: the
//! highest `seq` read (its resume point), how often it read each event, and what the
//! resume brought. Events are numbered 0.. in creation order over both batches;
//! a frame is mapped to its number by contact id.

use std::{
    collections::HashMap,
    sync::{PoisonError, RwLock},
};

use crate::socket::{Frame, FrameKind};

/// Contact id → event number, filled in as the POSTs answer and read by every socket
/// task. A panicked writer leaves the map usable: the run reports, it does not abort.
#[derive(Debug, Default)]
pub struct EventIds(RwLock<HashMap<i64, usize>>);

impl EventIds {
    pub fn with_capacity(events: usize) -> Self {
        Self(RwLock::new(HashMap::with_capacity(events)))
    }

    pub fn get(&self, id: i64) -> Option<usize> {
        let ids = self.0.read().unwrap_or_else(PoisonError::into_inner);
        ids.get(&id).copied()
    }

    pub fn insert(&self, id: i64, event: usize) {
        let mut ids = self.0.write().unwrap_or_else(PoisonError::into_inner);
        ids.insert(id, event);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tracker {
    /// Highest `seq` read on any frame, events of other contacts included: what the
    /// reconnected socket resumes after.
    pub last_seq: i64,
    /// Reads per event number; a second read is a duplicate.
    reads: Vec<u32>,
    /// Events not read yet.
    unread: usize,
    /// `contact.created` ids not (yet) known as this run's events: frames that beat
    /// their POST's answer; [`Tracker::resolve`] settles them.
    pending: Vec<i64>,
    pub duplicates: u64,
    /// Frames whose `seq` is not above every `seq` read before: delivered out of
    /// order (a live event ahead of a replay) or repeated.
    pub out_of_order: u64,
    pub resyncs: u64,
    /// `contact.created` frames of this run read after the resume.
    pub resumed: u64,
    /// `contact.created` frames of contacts this run did not create.
    pub foreign: u64,
}

impl Tracker {
    /// A socket expecting `events` events.
    pub fn new(events: usize) -> Self {
        Self {
            reads: vec![0; events],
            unread: events,
            ..Self::default()
        }
    }

    /// Accounts for one frame; `index` maps a contact id to its event number while
    /// the run's ids are being learnt. `resumed` marks the reconnected socket.
    pub fn read(&mut self, frame: &Frame, index: impl Fn(i64) -> Option<usize>, resumed: bool) {
        if let Some(seq) = frame.seq {
            if seq <= self.last_seq {
                self.out_of_order += 1;
            }
            self.last_seq = self.last_seq.max(seq);
        }
        match frame.kind {
            FrameKind::Created { id } => match index(id) {
                Some(event) => {
                    self.count(event);
                    self.resumed += u64::from(resumed);
                }
                None => self.pending.push(id),
            },
            FrameKind::Resync => self.resyncs += 1,
            FrameKind::Picked { .. } | FrameKind::Notification { .. } | FrameKind::Other => {}
        }
    }

    /// Settles the frames that came before their id was known, once every id is.
    pub fn resolve(&mut self, index: impl Fn(i64) -> Option<usize>) {
        for id in std::mem::take(&mut self.pending) {
            match index(id) {
                Some(event) => self.count(event),
                None => self.foreign += 1,
            }
        }
    }

    fn count(&mut self, event: usize) {
        let Some(reads) = self.reads.get_mut(event) else {
            return;
        };
        if *reads == 0 {
            self.unread -= 1;
        } else {
            self.duplicates += 1;
        }
        *reads += 1;
    }

    /// Every event has been read at least once.
    pub fn caught_up(&self) -> bool {
        self.unread == 0
    }

    /// Events of `range` never read.
    pub fn missed(&self, range: std::ops::Range<usize>) -> u64 {
        self.reads
            .get(range)
            .map_or(0, |r| r.iter().filter(|&&n| n == 0).count() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn created(seq: i64, id: i64) -> Frame {
        Frame {
            seq: Some(seq),
            kind: FrameKind::Created { id },
        }
    }

    /// Contacts 100.. are the run's events 0..
    fn ours(id: i64) -> Option<usize> {
        usize::try_from(id - 100).ok().filter(|&n| n < 4)
    }

    #[test]
    fn resume_that_brings_exactly_the_missed_events_passes() {
        let mut t = Tracker::new(4);
        t.read(&created(10, 100), ours, false);
        t.read(&created(11, 101), ours, false);
        assert_eq!(t.last_seq, 11);
        assert!(!t.caught_up());
        // Dropped; events 2 and 3 are created meanwhile and replayed on resume.
        t.read(&created(12, 102), ours, true);
        t.read(&created(13, 103), ours, true);
        assert!(t.caught_up());
        assert_eq!((t.missed(0..4), t.duplicates, t.resumed), (0, 0, 2));
    }

    #[test]
    fn a_replayed_event_already_read_is_a_duplicate() {
        let mut t = Tracker::new(4);
        t.read(&created(10, 100), ours, false);
        t.read(&created(11, 101), ours, false);
        t.read(&created(11, 101), ours, true);
        t.read(&created(12, 102), ours, true);
        assert_eq!(t.duplicates, 1);
        assert_eq!(t.out_of_order, 1, "the repeat is not after seq 11");
        assert_eq!(t.resumed, 2);
        assert_eq!(t.missed(0..2), 0);
        assert_eq!(t.missed(2..4), 1, "event 3 never came");
        assert!(!t.caught_up());
    }

    #[test]
    fn frames_before_their_post_answered_are_settled_later() {
        let mut t = Tracker::new(4);
        let nothing_known = |_: i64| None;
        t.read(&created(10, 100), nothing_known, false);
        t.read(&created(9, 55), nothing_known, false);
        assert_eq!(t.missed(0..4), 4);
        t.resolve(ours);
        assert_eq!(t.missed(0..4), 3);
        assert_eq!(t.foreign, 1);
        assert_eq!(t.last_seq, 10, "the highest seq, not the last one read");
        assert_eq!(t.out_of_order, 1, "seq 9 came after seq 10");
    }

    #[test]
    fn resync_and_other_frames_only_move_what_they_should() {
        let mut t = Tracker::new(1);
        t.read(
            &Frame {
                seq: Some(20),
                kind: FrameKind::Picked { id: 7, by: None },
            },
            ours,
            false,
        );
        t.read(
            &Frame {
                seq: None,
                kind: FrameKind::Resync,
            },
            ours,
            true,
        );
        assert_eq!((t.last_seq, t.resyncs, t.resumed), (20, 1, 0));
        assert_eq!(t.missed(0..1), 1);
        assert_eq!(t.missed(5..9), 0, "out of range is nothing");
    }
}
