use std::fmt;
use std::pin::Pin;
use std::sync::Mutex;

use futures_util::stream;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use super::*;
use crate::{CLOSE_IDLE, CLOSE_SESSION_REVOKED, HubConfig, REASON_IDLE};

#[derive(Debug)]
struct Disconnected;

impl fmt::Display for Disconnected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("disconnected")
    }
}

type TestSink = Pin<Box<dyn Sink<WireOut, Error = Disconnected> + Send>>;

/// The client's side of an in-memory socket driven by [`drive`].
struct Client {
    to_server: UnboundedSender<Inbound>,
    from_server: UnboundedReceiver<WireOut>,
    task: JoinHandle<()>,
}

impl Client {
    fn send(&self, frame: Inbound) {
        self.to_server.send(frame).expect("driver stopped reading");
    }

    fn send_text(&self, text: &str) {
        self.send(Inbound::Text(text.to_owned()));
    }

    async fn recv(&mut self) -> WireOut {
        self.from_server.recv().await.expect("driver ended")
    }

    /// Waits for the driver to finish; with paused time this also runs out the clock.
    async fn finished(self) -> UnboundedReceiver<WireOut> {
        self.task.await.expect("driver panicked");
        self.from_server
    }
}

fn test_hub() -> Arc<Hub> {
    Arc::new(Hub::new(HubConfig {
        queue_capacity: 8,
        ping_every: Duration::from_secs(20),
        idle_timeout: Duration::from_secs(50),
    }))
}

fn connect(
    hub: &Arc<Hub>,
    user_id: i64,
    on_text: impl FnMut(&str) -> Option<Reply> + Send + 'static,
) -> Client {
    connect_with(hub, user_id, None, on_text)
}

fn connect_with(
    hub: &Arc<Hub>,
    user_id: i64,
    first: Option<Reply>,
    on_text: impl FnMut(&str) -> Option<Reply> + Send + 'static,
) -> Client {
    let (to_server, mut server_in) = unbounded_channel::<Inbound>();
    let (server_out, from_server) = unbounded_channel::<WireOut>();
    let sink: TestSink = Box::pin(futures_util::sink::unfold(
        server_out,
        |out, frame| async move { out.send(frame).map(|()| out).map_err(|_| Disconnected) },
    ));
    let stream = stream::poll_fn(move |cx| server_in.poll_recv(cx).map(|frame| frame.map(Ok)));
    let registration = hub.register(user_id, user_id * 10);
    let task = tokio::spawn(drive(
        sink,
        stream,
        registration,
        Arc::clone(hub),
        first,
        on_text,
    ));
    Client {
        to_server,
        from_server,
        task,
    }
}

fn no_replies(_: &str) -> Option<Reply> {
    None
}

fn text(frame: &WireOut) -> &[u8] {
    match frame {
        WireOut::Text(bytes) => bytes,
        other => panic!("expected text, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn json_ping_is_answered_with_pong() {
    let hub = test_hub();
    let mut client = connect(&hub, 1, no_replies);

    client.send_text(r#"{ "type": "ping" }"#);

    assert_eq!(text(&client.recv().await), br#"{"type":"pong"}"#);
}

#[tokio::test(start_paused = true)]
async fn other_text_goes_to_on_text_and_its_reply_is_written() {
    let hub = test_hub();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let mut client = connect(&hub, 1, move |text| {
        log.lock().expect("poisoned").push(text.to_owned());
        text.contains("answer")
            .then(|| Reply::Frame(Bytes::from(format!("reply to {text}"))))
    });

    client.send_text("no answer expected... just kidding: answer me");
    client.send_text("silent");
    client.send_text(r#"{"type":"ping"}"#);

    assert_eq!(
        text(&client.recv().await),
        b"reply to no answer expected... just kidding: answer me"
    );
    // "silent" produced nothing, so the pong comes next.
    assert_eq!(text(&client.recv().await), br#"{"type":"pong"}"#);
    assert_eq!(
        *seen.lock().expect("poisoned"),
        ["no answer expected... just kidding: answer me", "silent"]
    );
}

#[tokio::test(start_paused = true)]
async fn server_pings_every_ping_every() {
    let hub = test_hub();
    let start = Instant::now();
    let mut client = connect(&hub, 1, no_replies);

    for n in 1..=2_u32 {
        assert_eq!(client.recv().await, WireOut::Ping(Bytes::new()));
        assert_eq!(start.elapsed(), Duration::from_secs(20) * n);
        client.send(Inbound::Pong(Bytes::new()));
    }
}

#[tokio::test(start_paused = true)]
async fn silence_for_idle_timeout_closes_and_unregisters() {
    let hub = test_hub();
    let start = Instant::now();
    let client = connect(&hub, 1, no_replies);
    assert_eq!(hub.connection_count(), 1);

    let mut written = client.finished().await;

    assert_eq!(start.elapsed(), Duration::from_secs(50));
    let mut frames = Vec::new();
    while let Ok(frame) = written.try_recv() {
        frames.push(frame);
    }
    let close = WireOut::Close {
        code: CLOSE_IDLE,
        reason: REASON_IDLE.to_owned(),
    };
    let ping = WireOut::Ping(Bytes::new());
    assert_eq!(frames, [ping.clone(), ping, close]);
    assert_eq!((hub.connection_count(), hub.user_count()), (0, 0));
}

#[tokio::test(start_paused = true)]
async fn any_inbound_frame_keeps_the_socket_alive() {
    let hub = test_hub();
    let mut client = connect(&hub, 1, no_replies);

    for frame in [
        Inbound::Pong(Bytes::new()),
        Inbound::Ping(Bytes::new()),
        Inbound::Other,
        Inbound::Text("x".into()),
    ] {
        tokio::time::sleep(Duration::from_secs(40)).await;
        client.send(frame);
    }
    tokio::time::sleep(Duration::from_secs(40)).await;

    // 200 s of pings, each 40 s gap shorter than the 50 s idle limit.
    while let Ok(frame) = client.from_server.try_recv() {
        assert_eq!(frame, WireOut::Ping(Bytes::new()));
    }
    assert_eq!(hub.connection_count(), 1);
    assert!(!client.task.is_finished());
}

#[tokio::test(start_paused = true)]
async fn hub_frames_and_close_requests_reach_the_wire() {
    let hub = test_hub();
    let mut client = connect(&hub, 1, no_replies);

    hub.send_to_user(1, Bytes::from_static(b"event"));
    assert_eq!(text(&client.recv().await), b"event");
    hub.close_session(10, "Phiên đăng nhập đã bị thu hồi");

    let written = client.recv().await;
    assert_eq!(
        written,
        WireOut::Close {
            code: CLOSE_SESSION_REVOKED,
            reason: "Phiên đăng nhập đã bị thu hồi".into()
        }
    );
    client.finished().await;
    assert_eq!(hub.connection_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn client_close_ends_the_driver_and_unregisters() {
    let hub = test_hub();
    let client = connect(&hub, 1, no_replies);

    client.send(Inbound::Close);

    let mut written = client.finished().await;
    assert!(
        written.try_recv().is_err(),
        "nothing to say after a client close"
    );
    assert_eq!(hub.connection_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn dropped_transport_ends_the_driver_and_unregisters() {
    let hub = test_hub();
    let client = connect(&hub, 1, no_replies);

    let Client {
        to_server, task, ..
    } = client;
    drop(to_server);

    task.await.expect("driver panicked");
    assert_eq!(hub.connection_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_socket_stuck_writing_is_still_closed_when_its_queue_overflows() {
    let hub = test_hub();
    let start = Instant::now();
    // A peer that stopped reading: the first write never completes.
    let sink: TestSink = Box::pin(futures_util::sink::unfold((), |(), _: WireOut| {
        std::future::pending::<Result<(), Disconnected>>()
    }));
    let (_to_server, mut server_in) = unbounded_channel::<Inbound>();
    let stream = stream::poll_fn(move |cx| server_in.poll_recv(cx).map(|frame| frame.map(Ok)));
    let registration = hub.register(1, 10);
    let task = tokio::spawn(drive(
        sink,
        stream,
        registration,
        Arc::clone(&hub),
        None,
        no_replies,
    ));

    let mut published = 0;
    while hub.send_to_user(1, Bytes::from_static(b"event")) == 1 {
        published += 1;
        tokio::task::yield_now().await;
    }

    // One frame is stuck in the sink, eight fill the queue, the next overflows it.
    assert_eq!(published, 9);
    assert_eq!(hub.connection_count(), 0);
    task.await.expect("driver panicked");
    // Only the farewell's grace periods passed, not the 50 s write stall limit.
    assert_eq!(start.elapsed(), CLOSE_GRACE * 2);
}

fn event(seq: i64) -> Bytes {
    Bytes::from(format!("event {seq}"))
}

fn replay(seqs: std::ops::RangeInclusive<i64>, through: i64) -> Reply {
    Reply::Replay(Replay {
        frames: seqs.map(event).collect(),
        through,
    })
}

#[tokio::test(start_paused = true)]
async fn a_replay_on_connect_comes_first_and_covered_events_are_not_sent_twice() {
    let hub = test_hub();
    // Events 3 and 4 were published after the replay was taken, 2 before: the replay
    // covers 1..=2, so the queued 2 is skipped and 3, 4 follow in order.
    let mut client = connect_with(&hub, 1, Some(replay(1..=2, 2)), no_replies);
    for seq in [2, 3, 4] {
        hub.publish(seq, event(seq), |_| true);
    }
    for seq in 1..=4 {
        assert_eq!(text(&client.recv().await), event(seq).as_ref());
    }
}

#[tokio::test(start_paused = true)]
async fn a_replay_longer_than_the_queue_is_written_whole() {
    let hub = test_hub();
    // The queue holds 8; a resume after 100 missed events must still deliver them all.
    let mut client = connect(&hub, 1, |text| {
        (text == "resume").then(|| replay(1..=100, 100))
    });
    client.send_text("resume");
    for seq in 1..=100 {
        assert_eq!(text(&client.recv().await), event(seq).as_ref());
    }
    hub.publish(101, event(101), |_| true);
    assert_eq!(text(&client.recv().await), event(101).as_ref());
    assert_eq!(hub.connection_count(), 1);
}
