//! The live connection (`GET /ws`, same-origin cookie auth). While a user is signed in
//! it keeps one WebSocket open, pings it, reconnects after losses with backoff, and turns
//! server frames into `LiveEvent`s. New kinds of push only need a frame variant
//! (`ws/frames.rs`) and an event here. After every (re)connect it asks the server to
//! replay what was missed since the last event number seen.

use std::pin::pin;
use std::rc::Rc;
use std::time::Duration;

use futures_util::future::{AbortHandle, Abortable};
use futures_util::{SinkExt, StreamExt, stream};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::{Message, WebSocketError};
use yew::Callback;
use yew::platform::spawn_local;
use yew::platform::time::{interval, sleep};

use crate::{api, text};

mod backoff;
mod cursor;
mod frames;

use backoff::Backoff;
pub use cursor::Cursor;
use cursor::event_for;
#[cfg(test)]
pub use frames::Person;
pub use frames::{ContactEvent, NewContact, NewDeal};

const PING: &str = r#"{"type":"ping"}"#;
/// Well inside the server's idle limit, and often enough that proxies keep a quiet
/// socket open.
const PING_EVERY: Duration = Duration::from_secs(25);

// The server's close codes that end the session (hub/src/frames.rs). Every other code
// (1001 going away, 4000 idle, 4008 slow consumer, 1006 network loss…) means "come back".
const CLOSE_SESSION_REVOKED: u16 = 4001;
const CLOSE_ACCOUNT_LOCKED: u16 = 4003;

#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    /// The user's rights changed: reload them.
    PermissionsChanged,
    /// The socket is back after a loss; pushes may have been missed meanwhile.
    Reconnected,
    /// The session is over: with the server's reason when it closed the socket itself,
    /// `None` when a reconnect found the session gone.
    SessionEnded(Option<String>),
    /// The socket's state changed.
    Connection(Connection),
    /// A contact event, with its number.
    Contact(u64, ContactEvent),
    /// A deal was signed.
    Deal(u64, NewDeal),
    /// A new entry in the user's inbox (the bell).
    Notification(u64, api_types::NotificationDto),
    /// Missed events could not be replayed: lists must be loaded again.
    Resync,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Online,
    Offline,
}

/// The running service; dropping it closes the socket and stops reconnecting.
pub struct LiveSocket {
    abort: AbortHandle,
}

impl LiveSocket {
    pub fn start(on_event: Callback<LiveEvent>, cursor: Rc<Cursor>) -> Self {
        let (abort, registration) = AbortHandle::new_pair();
        spawn_local(async move {
            // Being aborted is how the service stops; there is nothing to report.
            let _ = Abortable::new(run(on_event, cursor), registration).await;
        });
        Self { abort }
    }
}

impl Drop for LiveSocket {
    fn drop(&mut self) {
        // Drops the socket too, which closes it.
        self.abort.abort();
    }
}

/// How one connection ended.
#[derive(Debug, PartialEq)]
enum Ended {
    /// Try again; `was_up` says whether it had worked, which resets the backoff.
    Lost {
        was_up: bool,
    },
    SignedOut(String),
}

fn ended_by(code: u16, reason: String, was_up: bool) -> Ended {
    let fallback = match code {
        CLOSE_SESSION_REVOKED => text::SESSION_ENDED,
        CLOSE_ACCOUNT_LOCKED => text::ACCOUNT_LOCKED,
        _ => return Ended::Lost { was_up },
    };
    Ended::SignedOut(if reason.trim().is_empty() {
        fallback.to_owned()
    } else {
        reason
    })
}

async fn run(on_event: Callback<LiveEvent>, cursor: Rc<Cursor>) {
    let mut backoff = Backoff::default();
    let mut was_connected = false;
    loop {
        let ended = connect(&on_event, &cursor, was_connected).await;
        on_event.emit(LiveEvent::Connection(Connection::Offline));
        match ended {
            Ended::SignedOut(reason) => {
                on_event.emit(LiveEvent::SessionEnded(Some(reason)));
                return;
            }
            Ended::Lost { was_up: true } => {
                backoff = Backoff::default();
                was_connected = true;
            }
            // The upgrade is refused with 401 before any close code when the session
            // died while we were away; only `/api/me` can tell that from a network loss.
            Ended::Lost { was_up: false } => {
                if api::me().await.is_err_and(|error| error.is_unauthorized()) {
                    on_event.emit(LiveEvent::SessionEnded(None));
                    return;
                }
            }
        }
        sleep(backoff.next_delay(js_sys::Math::random())).await;
    }
}

enum Step {
    Frame(Result<Message, WebSocketError>),
    Gone,
    Ping,
}

/// One connection, from opening to its end.
async fn connect(on_event: &Callback<LiveEvent>, cursor: &Cursor, resumed: bool) -> Ended {
    let lost = Ended::Lost { was_up: false };
    // Where to resume from when no page said so: the newest event as the session starts.
    if cursor.last().is_none()
        && let Ok(latest) = api::events_latest().await
    {
        cursor.floor(latest.seq);
    }
    // Unknown without `/api/events/latest`; then there is nothing to resume from. Asked
    // for in the URL, the replay is taken as the socket joins, so no live event can
    // overtake it.
    let Some(url) = socket_url(cursor.last()) else {
        return lost;
    };
    let Ok(socket) = WebSocket::open(&url) else {
        return lost;
    };
    let (mut sink, frames) = socket.split();
    let frames = frames
        .map(Step::Frame)
        .chain(stream::once(async { Step::Gone }));
    let pings = interval(PING_EVERY).map(|()| Step::Ping);
    let mut steps = pin!(stream::select(frames, pings));
    // Sent as soon as the socket opens: the pong proves the connection works.
    if sink.send(Message::Text(PING.to_owned())).await.is_err() {
        return lost;
    }
    cursor.open();
    let mut up = false;
    while let Some(step) = steps.next().await {
        match step {
            Step::Ping => {
                if sink.send(Message::Text(PING.to_owned())).await.is_err() {
                    return Ended::Lost { was_up: up };
                }
            }
            Step::Frame(Ok(message)) => {
                if !up {
                    up = true;
                    on_event.emit(LiveEvent::Connection(Connection::Online));
                    if resumed {
                        on_event.emit(LiveEvent::Reconnected);
                    }
                }
                if let Message::Text(text) = message
                    && let Some(event) = event_for(&text, cursor)
                {
                    on_event.emit(event);
                }
            }
            Step::Frame(Err(WebSocketError::ConnectionClose(close))) => {
                return ended_by(close.code, close.reason, up);
            }
            // An `error` event: the `close` event with the code follows.
            Step::Frame(Err(_)) => {}
            Step::Gone => break,
        }
    }
    Ended::Lost { was_up: up }
}

/// `ws://` or `wss://` to this page's host (older browsers refuse relative WebSocket
/// URLs), resuming after `after_seq` when known.
fn socket_url(after_seq: Option<u64>) -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().ok()?;
    Some(match after_seq {
        Some(seq) => format!("{scheme}://{host}/ws?after_seq={seq}"),
        None => format!("{scheme}://{host}/ws"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_revocation_and_locking_sign_out() {
        assert_eq!(
            ended_by(4003, "Tài khoản đã bị khoá".into(), true),
            Ended::SignedOut("Tài khoản đã bị khoá".into())
        );
        assert_eq!(
            ended_by(4001, String::new(), true),
            Ended::SignedOut(text::SESSION_ENDED.into())
        );
        for code in [1001, 1006, 4000, 4008] {
            assert_eq!(
                ended_by(code, String::new(), false),
                Ended::Lost { was_up: false }
            );
        }
    }
}
