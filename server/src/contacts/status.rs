//! The contact status flow (SPEC.md CONT 4.3.4) as one state machine.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    New,
    Consulting,
    Won,
    Failed,
    CareL1,
    CareL2,
    Closed,
}

pub const ALL: [Status; 7] = [
    Status::New,
    Status::Consulting,
    Status::Won,
    Status::Failed,
    Status::CareL1,
    Status::CareL2,
    Status::Closed,
];

impl Status {
    pub fn parse(code: &str) -> Option<Self> {
        ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Consulting => "consulting",
            Self::Won => "won",
            Self::Failed => "failed",
            Self::CareL1 => "care_l1",
            Self::CareL2 => "care_l2",
            Self::Closed => "closed",
        }
    }

    /// Every move of the flow table, whoever makes it.
    pub fn next(self) -> &'static [Status] {
        match self {
            Self::New => &[Self::Consulting],
            Self::Consulting => &[Self::Won, Self::Failed],
            Self::Failed => &[Self::CareL1],
            Self::CareL1 => &[Self::CareL2, Self::Closed, Self::New],
            Self::CareL2 => &[Self::Closed, Self::New],
            Self::Won | Self::Closed => &[],
        }
    }

    /// Moves made through `POST /status`: not the pick (new → consulting), which only
    /// the pick engine makes, and not won, which only creating a deal makes.
    pub fn manual_moves(self) -> Vec<Status> {
        self.next()
            .iter()
            .copied()
            .filter(|to| !matches!((self, to), (Self::New, Self::Consulting) | (_, Self::Won)))
            .collect()
    }

    /// Contacts customer care works on (failed and later).
    pub fn in_care(self) -> bool {
        matches!(
            self,
            Self::Failed | Self::CareL1 | Self::CareL2 | Self::Closed
        )
    }
}

pub const CARE_CODES: [&str; 4] = ["failed", "care_l1", "care_l2", "closed"];

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table: every pair is either allowed or refused, as SPEC.md says.
    #[test]
    fn every_transition_is_allowed_or_refused_as_specified() {
        let allowed = [
            ("new", "consulting"),
            ("consulting", "won"),
            ("consulting", "failed"),
            ("failed", "care_l1"),
            ("care_l1", "care_l2"),
            ("care_l1", "closed"),
            ("care_l1", "new"),
            ("care_l2", "closed"),
            ("care_l2", "new"),
        ];
        for from in ALL {
            for to in ALL {
                let expected = allowed.contains(&(from.code(), to.code()));
                assert_eq!(from.next().contains(&to), expected, "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn pick_and_won_are_not_manual_moves() {
        assert!(Status::New.manual_moves().is_empty());
        assert_eq!(Status::Consulting.manual_moves(), [Status::Failed]);
        assert_eq!(
            Status::CareL1.manual_moves(),
            [Status::CareL2, Status::Closed, Status::New]
        );
        assert!(Status::Won.manual_moves().is_empty());
    }

    #[test]
    fn codes_round_trip() {
        for status in ALL {
            assert_eq!(Status::parse(status.code()), Some(status));
        }
        assert_eq!(Status::parse("picked"), None);
    }
}
