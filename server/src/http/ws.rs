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

use crate::{auth::current_user::AuthUser, state::AppState};

/// Largest frame a client may send; its frames are a few dozen bytes.
const CLIENT_FRAME_MAX: usize = 4 * 1024;

/// The live event stream (see API.md, WebSocket). Authenticated by the session cookie
/// or a bearer token; frames are JSON text.
#[utoipa::path(
    get, path = "/ws", tag = "system",
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 401, description = "Not signed in: refused before the upgrade", body = api_types::ApiErrorBody),
    )
)]
pub async fn upgrade(
    State(state): State<AppState>,
    caller: AuthUser,
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
        .max_frame_size(CLIENT_FRAME_MAX);
    ws.on_upgrade(move |socket| async move {
        let user_id = caller.user.id;
        feed.set_grants(user_id, caller.grants);
        let registration = hub.register(user_id, caller.session_id);
        let conn_id = registration.conn_id;
        let (sink, stream) = socket.split();
        let sink = sink.with(|out: WireOut| ready(Ok::<_, axum::Error>(to_axum(out))));
        let stream = stream.map(|message| message.map(from_axum));
        let on_text = move |text: &str| {
            if let Some(after_seq) = resume_request(text) {
                feed.resume(user_id, conn_id, after_seq);
            }
            None
        };
        hub::drive(sink, stream, registration, hub, on_text).await;
    })
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
