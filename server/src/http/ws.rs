//! `GET /ws`: the authenticated WebSocket. The access guard has already refused
//! anonymous callers with `401` before any upgrade; this adapts axum's socket to the
//! hub's transport-neutral driver.

use std::future::ready;

use axum::{
    extract::{
        State, WebSocketUpgrade,
        ws::{CloseFrame, Message, Utf8Bytes},
    },
    response::Response,
};
use futures_util::{SinkExt, StreamExt};
use hub::{Inbound, WireOut};

use crate::{auth::current_user::AuthUser, http::params::ApiQuery, state::AppState};

/// Largest frame a client may send; its frames are a few dozen bytes.
const CLIENT_FRAME_MAX: usize = 4 * 1024;
/// Outgoing bytes buffered before a write (tungstenite's default is 128 KiB).
const WRITE_BUFFER: usize = 8 * 1024;

/// The live event stream (see API.md, WebSocket). Authenticated by the session cookie
/// or a bearer token; frames are JSON text.
#[utoipa::path(
    get, path = "/ws", tag = "system",
    params(ResumeFrom),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 401, description = "Not signed in: refused before the upgrade", body = api_types::ApiErrorBody),
    )
)]
pub async fn upgrade(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiQuery(resume): ApiQuery<ResumeFrom>,
    ws: WebSocketUpgrade,
) -> Response {
    let hub = state.live.hub.clone();
    let feed = state.live.feed.clone();
    let ws = ws
        // tungstenite zero-fills its whole read buffer before the first read: at the
        // default 128 KiB that is the bulk of an idle socket's memory. Clients only send
        // pings and resume requests, so a small buffer and small limits suffice.
        .read_buffer_size(CLIENT_FRAME_MAX)
        .max_message_size(CLIENT_FRAME_MAX)
        .max_frame_size(CLIENT_FRAME_MAX)
        // Frames are written out once this much is buffered (a replay is fed in one
        // go): the buffer keeps its size for the socket's life, so keep it small.
        .write_buffer_size(WRITE_BUFFER);
    ws.on_upgrade(move |socket| async move {
        let user_id = caller.user.id;
        let after_seq = resume.after_seq.map(|seq| seq.max(0));
        let (registration, first) =
            feed.connect(user_id, caller.session_id, caller.grants, after_seq);
        let (sink, stream) = socket.split();
        let sink = sink.with(|out: WireOut| ready(Ok::<_, axum::Error>(to_axum(out))));
        let stream = stream.map(|message| message.map(from_axum));
        let on_text =
            move |text: &str| resume_request(text).map(|after_seq| feed.resume(user_id, after_seq));
        hub::drive(sink, stream, registration, hub, first, on_text).await;
    })
}

/// `GET /ws?after_seq=N`: resume on connect. Unlike a `resume` frame sent after the
/// socket opens, no live event can slip in ahead of the replay.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ResumeFrom {
    /// The last event seq the client has seen.
    after_seq: Option<i64>,
}

/// `{"type":"resume","after_seq":N}` → `N`.
fn resume_request(text: &str) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Resume {
        #[serde(rename = "type")]
        kind: String,
        after_seq: i64,
    }
    serde_json::from_str::<Resume>(text)
        .ok()
        .filter(|r| r.kind == "resume")
        .map(|r| r.after_seq.max(0))
}

fn to_axum(out: WireOut) -> Message {
    match out {
        WireOut::Text(bytes) => match Utf8Bytes::try_from(bytes) {
            Ok(text) => Message::Text(text),
            // Frames are serialised JSON, always UTF-8; never send a broken one.
            Err(_) => Message::Close(None),
        },
        WireOut::Ping(bytes) => Message::Ping(bytes),
        WireOut::Close { code, reason } => Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })),
    }
}

fn from_axum(message: Message) -> Inbound {
    match message {
        Message::Text(text) => Inbound::Text(text.to_string()),
        Message::Ping(bytes) => Inbound::Ping(bytes),
        Message::Pong(bytes) => Inbound::Pong(bytes),
        Message::Close(_) => Inbound::Close,
        Message::Binary(_) => Inbound::Other,
    }
}
