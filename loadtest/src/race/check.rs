//! What one round of the race must show: one `200`, every other answer a
//! `409 already_picked` naming that winner, every Sale's socket told of the pick by a
//! `contact.picked` naming the winner, and the database holding the contact for them.

use std::collections::BTreeMap;

use api_types::ApiErrorBody;
use reqwest::StatusCode;

/// A Sale's answer to `POST /api/contacts/{id}/pick`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `200`: the contact is now the Sale's.
    Won,
    /// `409 already_picked`, naming who holds it (`picked_by.id`).
    Lost { named: Option<i64> },
    /// Anything else, labelled by status and API error code (`429 cooldown`), or the
    /// transport failure (`timeout`).
    Other(String),
}

/// What an answer means for the round.
pub fn answer(status: StatusCode, body: &str) -> Answer {
    if status.is_success() {
        return Answer::Won;
    }
    let error = serde_json::from_str::<ApiErrorBody>(body).ok();
    match (status, error) {
        (StatusCode::CONFLICT, Some(e)) if e.error == "already_picked" => Answer::Lost {
            named: e.picked_by.map(|by| by.id),
        },
        (_, Some(e)) => Answer::Other(format!("{} {}", status.as_u16(), e.error)),
        (_, None) => Answer::Other(status.as_u16().to_string()),
    }
}

/// One round's findings; [`RoundCheck::passed`] says whether it was correct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundCheck {
    /// `200` answers: must be exactly 1.
    pub winners: u32,
    /// The winner's user id, when there was exactly one.
    pub winner: Option<i64>,
    /// `409 already_picked` answers.
    pub lost: u32,
    /// Of those, answers naming someone other than the winner (or no one).
    pub misnamed: u32,
    /// Other answers by label.
    pub other: BTreeMap<String, u64>,
    /// Sockets that never read this round's `contact.created`.
    pub created_missing: u64,
    /// Sockets that never read this round's `contact.picked`.
    pub picked_missing: u64,
    /// `contact.picked` frames naming someone other than the winner.
    pub frame_misnamed: u64,
    /// Frames a socket read twice for the same contact and type.
    pub duplicates: u64,
    /// The database does not show the winner as the contact's assignee.
    pub assignee_mismatch: bool,
}

impl RoundCheck {
    /// Tallies the Sales' answers, as `(user id, answer)`.
    pub fn of_answers(answers: &[(i64, Answer)]) -> Self {
        let winners: Vec<i64> = answers
            .iter()
            .filter(|(_, a)| *a == Answer::Won)
            .map(|&(user, _)| user)
            .collect();
        let winner = match winners.as_slice() {
            [only] => Some(*only),
            _ => None,
        };
        let mut check = Self {
            winners: u32::try_from(winners.len()).unwrap_or(u32::MAX),
            winner,
            ..Self::default()
        };
        for (_, a) in answers {
            match a {
                Answer::Won => {}
                Answer::Lost { named } => {
                    check.lost += 1;
                    if winner.is_none() || *named != winner {
                        check.misnamed += 1;
                    }
                }
                Answer::Other(label) => *check.other.entry(label.clone()).or_default() += 1,
            }
        }
        check
    }

    pub fn passed(&self) -> bool {
        self.winners == 1
            && self.misnamed == 0
            && self.other.is_empty()
            && self.created_missing == 0
            && self.picked_missing == 0
            && self.frame_misnamed == 0
            && self.duplicates == 0
            && !self.assignee_mismatch
    }

    /// Missing frames of both kinds.
    pub fn missing(&self) -> u64 {
        self.created_missing + self.picked_missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lost(named: i64) -> Answer {
        Answer::Lost { named: Some(named) }
    }

    #[test]
    fn answers_are_read_with_the_winner_they_name() {
        assert_eq!(answer(StatusCode::OK, "{}"), Answer::Won);
        let body =
            r#"{"error":"already_picked","message":"…","picked_by":{"id":12,"full_name":"A"}}"#;
        assert_eq!(answer(StatusCode::CONFLICT, body), lost(12));
        let unnamed = r#"{"error":"already_picked","message":"…"}"#;
        assert_eq!(
            answer(StatusCode::CONFLICT, unnamed),
            Answer::Lost { named: None }
        );
        let cooldown = r#"{"error":"cooldown","message":"…","retry_after_secs":3}"#;
        assert_eq!(
            answer(StatusCode::TOO_MANY_REQUESTS, cooldown),
            Answer::Other("429 cooldown".into())
        );
        assert_eq!(
            answer(StatusCode::BAD_GATEWAY, "<html>"),
            Answer::Other("502".into())
        );
    }

    #[test]
    fn one_winner_named_by_every_loser_passes() {
        let answers = [(1, lost(2)), (2, Answer::Won), (3, lost(2))];
        let check = RoundCheck::of_answers(&answers);
        assert_eq!((check.winners, check.winner, check.lost), (1, Some(2), 2));
        assert_eq!(check.misnamed, 0);
        assert!(check.passed());
    }

    #[test]
    fn two_winners_fail_and_every_loser_is_misnamed() {
        let answers = [(1, Answer::Won), (2, Answer::Won), (3, lost(1))];
        let check = RoundCheck::of_answers(&answers);
        assert_eq!((check.winners, check.winner), (2, None));
        assert_eq!(check.misnamed, 1, "no single winner to name");
        assert!(!check.passed());
    }

    #[test]
    fn no_winner_fails() {
        let check = RoundCheck::of_answers(&[(1, lost(9)), (2, lost(9))]);
        assert_eq!(check.winners, 0);
        assert!(!check.passed());
    }

    #[test]
    fn a_loser_naming_someone_else_fails() {
        let answers = [(1, Answer::Won), (2, lost(1)), (3, lost(2))];
        let check = RoundCheck::of_answers(&answers);
        assert_eq!(check.misnamed, 1);
        assert!(!check.passed());
    }

    #[test]
    fn other_answers_and_missing_frames_fail() {
        let answers = [(1, Answer::Won), (2, Answer::Other("429 cooldown".into()))];
        let check = RoundCheck::of_answers(&answers);
        assert_eq!(check.other.get("429 cooldown"), Some(&1));
        assert!(!check.passed());

        let mut check = RoundCheck::of_answers(&[(1, Answer::Won), (2, lost(1))]);
        assert!(check.passed());
        check.picked_missing = 1;
        assert_eq!(check.missing(), 1);
        assert!(!check.passed());
        check.picked_missing = 0;
        check.assignee_mismatch = true;
        assert!(!check.passed());
    }
}
