//! The messaging platforms a customer can write from.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Facebook,
    Zalo,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Self::Facebook => "facebook",
            Self::Zalo => "zalo",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "facebook" => Some(Self::Facebook),
            "zalo" => Some(Self::Zalo),
            _ => None,
        }
    }

    /// Source of the contacts its messages create (SPEC CONT sources).
    pub fn source(self) -> &'static str {
        match self {
            Self::Facebook => "fb_mess",
            Self::Zalo => "ladi_zalo",
        }
    }

    /// Kind of the timeline entries its messages become (`INTERACTION_KINDS`).
    pub fn interaction_kind(self) -> &'static str {
        self.code()
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Facebook => "Facebook",
            Self::Zalo => "Zalo",
        }
    }
}
