//! What crosses a socket: the hub's queue items, the transport-neutral inbound and
//! outbound frames, and the close codes clients act on.

use bytes::Bytes;

/// Server shutdown (`Hub::close_all`), or the hub dropped the socket without a reason.
pub const CLOSE_GOING_AWAY: u16 = 1001;
/// Nothing received from the client for `HubConfig::idle_timeout`.
pub const CLOSE_IDLE: u16 = 4000;
/// The session was logged out or revoked (`Hub::close_session`).
pub const CLOSE_SESSION_REVOKED: u16 = 4001;
/// The account was locked (`Hub::close_user`).
pub const CLOSE_ACCOUNT_LOCKED: u16 = 4003;
/// The socket's queue overflowed; the client should reconnect and resume.
pub const CLOSE_SLOW_CONSUMER: u16 = 4008;

/// Reason sent with [`CLOSE_IDLE`]; the hub closes idle sockets on its own, so it owns the text.
pub const REASON_IDLE: &str = "Không nhận được tín hiệu từ trình duyệt, đã ngắt kết nối";
/// Reason sent with [`CLOSE_SLOW_CONSUMER`].
pub const REASON_SLOW_CONSUMER: &str = "Kết nối quá chậm, đang kết nối lại";
/// Reason sent with [`CLOSE_GOING_AWAY`] when the hub drops a socket without a caller's reason.
pub const REASON_GOING_AWAY: &str = "Máy chủ đang khởi động lại";

/// A close frame's payload is at most 125 bytes, two of which hold the code.
const MAX_REASON_BYTES: usize = 123;

/// An item of a socket's bounded queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    /// A pre-serialised JSON control frame (no `seq`), shared by every recipient.
    Text(Bytes),
    /// A numbered event's frame, shared by every recipient. The seq lets the writer skip
    /// an event a replay has already delivered.
    Event { seq: i64, frame: Bytes },
    /// Close after the frames queued before it.
    Close { code: u16, reason: String },
}

/// Missed events to write before anything queued: `frames` in seq order, then the
/// socket's queue without the events numbered up to `through` (the newest event that
/// existed when the replay was taken), which the replay already covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub frames: Vec<Bytes>,
    pub through: i64,
}

/// What the server answers to a client's text frame (or to a resume asked on connect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Frame(Bytes),
    Replay(Replay),
}

/// A frame read from the client, as the server's adapter reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound {
    Text(String),
    Ping(Bytes),
    Pong(Bytes),
    Close,
    /// Binary and anything else: only counts as liveness.
    Other,
}

/// A frame for the server's adapter to write. There is no `Pong`: the WebSocket
/// libraries under axum and tokio-tungstenite answer pings themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireOut {
    Text(Bytes),
    Ping(Bytes),
    Close { code: u16, reason: String },
}

/// A close request travelling from the registry to the driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Close {
    pub(crate) code: u16,
    pub(crate) reason: String,
}

impl Close {
    /// Truncates the reason (on a character boundary) so the transport never rejects the frame.
    pub(crate) fn new(code: u16, reason: &str) -> Self {
        let mut end = reason.len().min(MAX_REASON_BYTES);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        Self {
            code,
            reason: reason[..end].to_owned(),
        }
    }

    pub(crate) fn going_away() -> Self {
        Self::new(CLOSE_GOING_AWAY, REASON_GOING_AWAY)
    }

    pub(crate) fn slow_consumer() -> Self {
        Self::new(CLOSE_SLOW_CONSUMER, REASON_SLOW_CONSUMER)
    }

    pub(crate) fn idle() -> Self {
        Self::new(CLOSE_IDLE, REASON_IDLE)
    }

    pub(crate) fn into_outbound(self) -> Outbound {
        Outbound::Close {
            code: self.code,
            reason: self.reason,
        }
    }

    pub(crate) fn into_wire(self) -> WireOut {
        WireOut::Close {
            code: self.code,
            reason: self.reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_reason_is_cut_on_a_character_boundary_within_the_frame_limit() {
        let reason = "Phiên đăng nhập đã bị thu hồi ".repeat(10);
        let close = Close::new(CLOSE_SESSION_REVOKED, &reason);
        assert!(close.reason.len() <= MAX_REASON_BYTES);
        assert!(close.reason.len() > MAX_REASON_BYTES - 4);
        assert!(reason.starts_with(&close.reason));
    }

    #[test]
    fn short_reason_is_kept_whole() {
        assert_eq!(Close::slow_consumer().reason, REASON_SLOW_CONSUMER);
        assert!(REASON_IDLE.len() <= MAX_REASON_BYTES);
    }
}
