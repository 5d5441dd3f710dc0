//! Who won the contacts picked in the last few minutes, so the losers of a pick race
//! are answered from memory. The database's conditional claim still decides every
//! winner; this only spares each loser its queries when 200 Sales click at once.
//!
//! It follows the event stream (the live feed hands it every published event), so it
//! learns of picks from whichever process made them, and forgets a contact as soon as
//! it goes back to the pool or changes hands.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use api_types::PickedBy;
use dashmap::DashMap;
use serde_json::Value;

use crate::events::Event;

/// Races last seconds; later attempts take the database path, which is just as right.
const KEEP_FOR: Duration = Duration::from_secs(600);
/// Above this many entries, stale ones are swept on the next pick.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Default)]
pub struct RecentPicks {
    winners: DashMap<i64, (PickedBy, Instant)>,
    /// Contacts with a pick attempt under way in this process, and who waits for it.
    turns: DashMap<i64, Arc<tokio::sync::Mutex<()>>>,
}

/// This process's turn to try claiming one contact; the next waiter's comes when it drops.
pub struct Turn<'a> {
    recent: &'a RecentPicks,
    contact_id: i64,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        // The last one out removes the contact's entry; a waiter still holds a clone.
        self.recent
            .turns
            .remove_if(&self.contact_id, |_, gate| Arc::strong_count(gate) == 1);
    }
}

impl RecentPicks {
    /// Waits until no other pick of `contact_id` is under way in this process.
    pub async fn turn(&self, contact_id: i64) -> Turn<'_> {
        // A waiter cancelled (its client hung up) after the holder left leaves an unused
        // entry behind: sweep them now and then.
        if self.turns.len() > SWEEP_ABOVE {
            self.turns.retain(|_, gate| Arc::strong_count(gate) > 1);
        }
        let gate = self.turns.entry(contact_id).or_default().clone();
        let guard = gate.lock_owned().await;
        Turn {
            recent: self,
            contact_id,
            guard: Some(guard),
        }
    }

    /// The Sale who recently picked `contact_id`, if this process knows of it.
    pub fn winner(&self, contact_id: i64) -> Option<PickedBy> {
        self.winners
            .get(&contact_id)
            .filter(|entry| entry.1.elapsed() < KEEP_FOR)
            .map(|entry| entry.0.clone())
    }

    /// Takes note of a published event.
    pub fn observe(&self, event: &Event) {
        let Some(id) = event.data.get("id").and_then(Value::as_i64) else {
            return;
        };
        match event.kind.as_str() {
            "contact.picked" => {
                if let Some(by) = picked_by(&event.data) {
                    if self.winners.len() > SWEEP_ABOVE {
                        self.winners.retain(|_, (_, at)| at.elapsed() < KEEP_FOR);
                    }
                    self.winners.insert(id, (by, Instant::now()));
                }
            }
            // Back to the pool, or another holder: only the database knows from now on.
            "contact.status_changed" | "contact.reassigned" => {
                self.winners.remove(&id);
            }
            _ => {}
        }
    }
}

fn picked_by(data: &Value) -> Option<PickedBy> {
    let by = data.get("picked_by")?;
    Some(PickedBy {
        id: by.get("id")?.as_i64()?,
        full_name: by.get("full_name")?.as_str()?.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;

    use super::*;
    use crate::events::Audience;

    fn event(kind: &str, data: Value) -> Event {
        Event {
            seq: 1,
            at: Utc::now(),
            kind: kind.to_owned(),
            data,
            audience: Audience::Pool,
        }
    }

    #[tokio::test]
    async fn attempts_on_one_contact_take_turns_and_leave_nothing_behind() {
        let recent = RecentPicks::default();
        let first = recent.turn(7).await;
        let other_contact = recent.turn(8).await;
        let waiting = tokio::time::timeout(Duration::from_millis(50), recent.turn(7)).await;
        assert!(waiting.is_err(), "the second attempt waits for the first");
        drop(first);
        let second = tokio::time::timeout(Duration::from_millis(50), recent.turn(7))
            .await
            .expect("its turn once the first is done");
        drop(second);
        drop(other_contact);
        assert!(recent.turns.is_empty(), "no entry kept once nobody waits");
    }

    #[test]
    fn a_pick_is_remembered_until_the_contact_moves_on() {
        let recent = RecentPicks::default();
        assert_eq!(recent.winner(7), None);
        recent.observe(&event(
            "contact.picked",
            json!({ "id": 7, "picked_by": { "id": 3, "full_name": "Trần Thị Sơn" } }),
        ));
        let winner = recent.winner(7).expect("remembered");
        assert_eq!((winner.id, winner.full_name.as_str()), (3, "Trần Thị Sơn"));
        recent.observe(&event("contact.created", json!({ "id": 7 })));
        assert!(recent.winner(7).is_some(), "other events change nothing");
        recent.observe(&event(
            "contact.status_changed",
            json!({ "id": 7, "from": "care_l1", "to": "new" }),
        ));
        assert_eq!(recent.winner(7), None, "back in the pool");

        recent.observe(&event(
            "contact.picked",
            json!({ "id": 8, "picked_by": { "id": 3, "full_name": "Sơn" } }),
        ));
        recent.observe(&event("contact.reassigned", json!({ "id": 8 })));
        assert_eq!(recent.winner(8), None, "another holder");
    }
}
