//! Where the race's sockets report the frames they read: per contact and frame type,
//! which socket read it when, so a round can wait until every live socket has it.

use std::collections::HashMap;

use tokio::{
    sync::mpsc,
    time::{Instant, timeout_at},
};

/// The two frames a round waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    Created,
    Picked,
}

/// A socket task's report.
#[derive(Debug)]
pub enum Note {
    /// Socket `socket` read a `tag` frame of `contact` at `at`; `by` is the winner a
    /// `contact.picked` names.
    Frame {
        socket: usize,
        tag: Tag,
        contact: i64,
        by: Option<i64>,
        at: Instant,
    },
    /// Socket `socket` ended or never connected: it will read nothing more.
    Ended { socket: usize },
}

/// Who read one frame: per socket, when and naming whom.
#[derive(Debug, Clone)]
pub struct Receipts {
    pub at: Vec<Option<(Instant, Option<i64>)>>,
    /// Reads beyond the first, per contact and type, over all sockets.
    pub duplicates: u64,
}

impl Receipts {
    fn new(sockets: usize) -> Self {
        Self {
            at: vec![None; sockets],
            duplicates: 0,
        }
    }

    /// Sockets that read the frame.
    pub fn count(&self) -> u64 {
        self.at.iter().flatten().count() as u64
    }
}

pub struct Inbox {
    rx: mpsc::UnboundedReceiver<Note>,
    alive: Vec<bool>,
    frames: HashMap<(Tag, i64), Receipts>,
}

impl Inbox {
    pub fn new(rx: mpsc::UnboundedReceiver<Note>, sockets: usize) -> Self {
        Self {
            rx,
            alive: vec![true; sockets],
            frames: HashMap::new(),
        }
    }

    fn note(&mut self, note: Note) {
        match note {
            Note::Frame {
                socket,
                tag,
                contact,
                by,
                at,
            } => {
                let sockets = self.alive.len();
                let receipts = self
                    .frames
                    .entry((tag, contact))
                    .or_insert_with(|| Receipts::new(sockets));
                match receipts.at.get_mut(socket) {
                    Some(Some(_)) => receipts.duplicates += 1,
                    Some(slot) => *slot = Some((at, by)),
                    None => {}
                }
            }
            Note::Ended { socket } => {
                if let Some(alive) = self.alive.get_mut(socket) {
                    *alive = false;
                }
            }
        }
    }

    /// Every socket still open has read the frame.
    fn complete(&self, key: (Tag, i64)) -> bool {
        let receipts = self.frames.get(&key);
        self.alive.iter().enumerate().all(|(socket, &alive)| {
            !alive
                || receipts
                    .and_then(|r| r.at.get(socket))
                    .is_some_and(Option::is_some)
        })
    }

    /// Waits until every open socket has read the `tag` frame of `contact`, or until
    /// `deadline`; then hands over who read it. Reads arriving later are ignored.
    pub async fn wait(&mut self, tag: Tag, contact: i64, deadline: Instant) -> Receipts {
        let key = (tag, contact);
        while !self.complete(key) {
            match timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(note)) => self.note(note),
                // Every socket task is gone, or time is up: what came is all there is.
                Ok(None) | Err(_) => break,
            }
        }
        self.frames
            .remove(&key)
            .unwrap_or_else(|| Receipts::new(self.alive.len()))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn frame(socket: usize, tag: Tag, contact: i64) -> Note {
        Note::Frame {
            socket,
            tag,
            contact,
            by: Some(5),
            at: Instant::now(),
        }
    }

    #[tokio::test]
    async fn a_round_waits_for_every_open_socket_only() {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut inbox = Inbox::new(rx, 3);
        let deadline = Instant::now() + Duration::from_secs(5);
        for note in [
            frame(0, Tag::Picked, 7),
            frame(0, Tag::Created, 8),
            frame(0, Tag::Picked, 7),
            Note::Ended { socket: 2 },
            frame(1, Tag::Picked, 7),
        ] {
            assert!(tx.send(note).is_ok());
        }
        let receipts = inbox.wait(Tag::Picked, 7, deadline).await;
        assert_eq!(receipts.count(), 2);
        assert_eq!(receipts.duplicates, 1);
        assert!(receipts.at.get(2).is_some_and(Option::is_none));
        // The other frame read meanwhile is kept for its own wait.
        let created = inbox.wait(Tag::Created, 8, Instant::now()).await;
        assert_eq!(created.count(), 1);
    }

    #[tokio::test]
    async fn a_missing_frame_ends_the_wait_at_the_deadline() {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut inbox = Inbox::new(rx, 2);
        assert!(tx.send(frame(0, Tag::Created, 1)).is_ok());
        let deadline = Instant::now() + Duration::from_millis(50);
        let receipts = inbox.wait(Tag::Created, 1, deadline).await;
        assert_eq!(receipts.count(), 1);
        assert!(Instant::now() >= deadline);
    }
}
