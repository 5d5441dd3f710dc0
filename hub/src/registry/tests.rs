use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::mpsc::error::TryRecvError;

use super::*;
use crate::{
    CLOSE_ACCOUNT_LOCKED, CLOSE_GOING_AWAY, CLOSE_SESSION_REVOKED, CLOSE_SLOW_CONSUMER, Outbound,
    REASON_SLOW_CONSUMER,
};

fn hub_with_queue(queue_capacity: usize) -> Hub {
    Hub::new(HubConfig {
        queue_capacity,
        ..HubConfig::default()
    })
}

fn frame(text: &'static str) -> Bytes {
    Bytes::from_static(text.as_bytes())
}

fn next_text(reg: &mut Registration) -> Bytes {
    match reg.rx.try_recv() {
        Ok(Outbound::Text(bytes) | Outbound::Event { frame: bytes, .. }) => bytes,
        other => panic!("expected a text frame, got {other:?}"),
    }
}

fn assert_nothing_queued(reg: &mut Registration) {
    assert_eq!(reg.rx.try_recv(), Err(TryRecvError::Empty));
}

fn queued_close(reg: &mut Registration) -> (u16, String) {
    match reg.rx.try_recv() {
        Ok(Outbound::Close { code, reason }) => (code, reason),
        other => panic!("expected a queued close, got {other:?}"),
    }
}

#[test]
fn publish_reaches_every_tab_of_the_audience_with_one_shared_allocation() {
    let hub = Hub::default();
    let mut tab1 = hub.register(1, 10);
    let mut tab2 = hub.register(1, 11);
    let mut other_user = hub.register(2, 20);
    let mut third_user = hub.register(3, 30);

    let event = Bytes::from(r#"{"seq":1,"type":"contact.created"}"#.to_owned());
    let reached = hub.publish(1, event.clone(), |user_id| user_id == 1 || user_id == 3);

    assert_eq!(reached, 3);
    for reg in [&mut tab1, &mut tab2, &mut third_user] {
        let received = next_text(reg);
        assert_eq!(received, event);
        assert_eq!(received.as_ptr(), event.as_ptr(), "frame was copied");
    }
    assert_nothing_queued(&mut other_user);
}

#[test]
fn publish_to_user_queues_the_event_with_its_seq_to_that_users_tabs_only() {
    let hub = Hub::default();
    let mut tab1 = hub.register(1, 10);
    let mut tab2 = hub.register(1, 11);
    let mut other = hub.register(2, 20);

    let event = frame(r#"{"seq":7,"type":"notification"}"#);
    assert_eq!(hub.publish_to_user(7, event.clone(), 1), 2);
    assert_eq!(hub.publish_to_user(8, frame("nobody"), 99), 0);

    for reg in [&mut tab1, &mut tab2] {
        match reg.rx.try_recv() {
            Ok(Outbound::Event { seq, frame }) => {
                assert_eq!(seq, 7);
                assert_eq!(frame, event);
            }
            other => panic!("expected an event, got {other:?}"),
        }
    }
    assert_nothing_queued(&mut other);
}

#[test]
fn send_to_user_reaches_only_that_users_tabs() {
    let hub = Hub::default();
    let mut tab1 = hub.register(1, 10);
    let mut tab2 = hub.register(1, 11);
    let mut other = hub.register(2, 20);

    assert_eq!(hub.send_to_user(1, frame("hi")), 2);
    assert_eq!(hub.send_to_user(99, frame("nobody")), 0);

    assert_eq!(next_text(&mut tab1), frame("hi"));
    assert_eq!(next_text(&mut tab2), frame("hi"));
    assert_nothing_queued(&mut other);
}

#[test]
fn slow_consumer_is_closed_with_4008_and_removed_while_others_keep_receiving() {
    let hub = hub_with_queue(2);
    let mut slow = hub.register(1, 10);
    let mut fast = hub.register(1, 11);
    let mut other = hub.register(2, 20);

    for text in ["a", "b"] {
        assert_eq!(hub.publish(1, frame(text), |_| true), 3);
        next_text(&mut fast);
        next_text(&mut other);
    }
    // `slow` holds two frames: the third overflows it.
    assert_eq!(hub.publish(1, frame("c"), |_| true), 2);

    let close = slow
        .close
        .try_take()
        .expect("slow socket got no close signal");
    assert_eq!(close.code, CLOSE_SLOW_CONSUMER);
    assert_eq!(close.reason, REASON_SLOW_CONSUMER);
    assert_eq!(hub.connection_count(), 2);

    assert_eq!(hub.publish(1, frame("d"), |_| true), 2);
    for reg in [&mut fast, &mut other] {
        assert_eq!(next_text(reg), frame("c"));
        assert_eq!(next_text(reg), frame("d"));
    }
    // The backlog stays bounded and then ends: nothing was queued after the overflow.
    assert_eq!(next_text(&mut slow), frame("a"));
    assert_eq!(next_text(&mut slow), frame("b"));
    assert_eq!(slow.rx.try_recv(), Err(TryRecvError::Disconnected));
}

#[test]
fn close_session_closes_only_that_sessions_sockets_with_4001_and_the_reason() {
    let hub = Hub::default();
    let mut revoked_tab1 = hub.register(1, 10);
    let mut revoked_tab2 = hub.register(1, 10);
    let mut same_user_other_session = hub.register(1, 11);
    let mut other_user = hub.register(2, 20);
    hub.send_to_user(1, frame("before"));

    assert_eq!(hub.close_session(10, "Phiên đăng nhập đã bị thu hồi"), 2);

    for reg in [&mut revoked_tab1, &mut revoked_tab2] {
        // Frames queued before the close are still delivered first.
        assert_eq!(next_text(reg), frame("before"));
        let close = queued_close(reg);
        assert_eq!(
            close,
            (
                CLOSE_SESSION_REVOKED,
                "Phiên đăng nhập đã bị thu hồi".into()
            )
        );
        assert_eq!(reg.rx.try_recv(), Err(TryRecvError::Disconnected));
    }
    assert_eq!(next_text(&mut same_user_other_session), frame("before"));
    assert_nothing_queued(&mut same_user_other_session);
    assert_nothing_queued(&mut other_user);
    assert_eq!(hub.connection_count(), 2);
    assert_eq!(hub.user_count(), 2);
}

#[test]
fn close_user_closes_all_of_that_users_sockets_with_4003() {
    let hub = Hub::default();
    let mut tabs = [hub.register(1, 10), hub.register(1, 11)];
    let mut other = hub.register(2, 20);

    assert_eq!(hub.close_user(1, "Tài khoản đã bị khóa"), 2);

    for reg in &mut tabs {
        assert_eq!(
            queued_close(reg),
            (CLOSE_ACCOUNT_LOCKED, "Tài khoản đã bị khóa".into())
        );
    }
    assert_nothing_queued(&mut other);
    assert_eq!(hub.user_count(), 1);
    assert_eq!(hub.close_user(1, "again"), 0);
}

#[test]
fn close_reaches_a_socket_whose_queue_is_full() {
    let hub = hub_with_queue(1);
    let mut reg = hub.register(1, 10);
    hub.send_to_user(1, frame("fills the queue"));

    assert_eq!(hub.close_user(1, "Tài khoản đã bị khóa"), 1);

    let close = reg.close.try_take().expect("no close signal");
    assert_eq!(close.code, CLOSE_ACCOUNT_LOCKED);
}

#[test]
fn close_all_sends_going_away_to_everyone_and_empties_the_registry() {
    let hub = Hub::default();
    let mut regs = [
        hub.register(1, 10),
        hub.register(1, 11),
        hub.register(2, 20),
    ];

    assert_eq!(hub.close_all("Máy chủ bảo trì"), 3);

    for reg in &mut regs {
        assert_eq!(
            queued_close(reg),
            (CLOSE_GOING_AWAY, "Máy chủ bảo trì".into())
        );
    }
    assert_eq!((hub.connection_count(), hub.user_count()), (0, 0));
}

#[test]
fn unregister_removes_the_socket_and_the_emptied_user_entry() {
    let hub = Hub::default();
    let tab1 = hub.register(1, 10);
    let tab2 = hub.register(1, 11);
    assert_ne!(tab1.conn_id, tab2.conn_id);
    assert_eq!((hub.connection_count(), hub.user_count()), (2, 1));

    hub.unregister(1, tab1.conn_id);
    assert_eq!((hub.connection_count(), hub.user_count()), (1, 1));
    hub.unregister(1, tab2.conn_id);
    hub.unregister(1, tab2.conn_id);
    assert_eq!((hub.connection_count(), hub.user_count()), (0, 0));
}

#[test]
fn a_dropped_registration_is_pruned_by_the_next_fan_out() {
    let hub = Hub::default();
    drop(hub.register(1, 10));
    let _kept = hub.register(1, 11);

    assert_eq!(hub.publish(1, frame("x"), |_| true), 1);
    assert_eq!(hub.connection_count(), 1);
}

#[test]
fn zero_capacity_is_raised_to_one() {
    let hub = hub_with_queue(0);
    assert_eq!(hub.config().queue_capacity, 1);
    let mut reg = hub.register(1, 10);
    assert_eq!(hub.send_to_user(1, frame("x")), 1);
    assert_eq!(next_text(&mut reg), frame("x"));
}

/// Registrations that survive a worker, with the user they belong to.
type Kept = Vec<(i64, Registration)>;

async fn churn(hub: Arc<Hub>, worker: i64) -> Kept {
    let mut kept = Vec::new();
    for round in 0..300_i64 {
        let user_id = (worker * 7 + round) % 13;
        let reg = hub.register(user_id, worker * 1_000 + round);
        hub.publish(1, frame("event"), |user| user % 2 == round % 2);
        hub.send_to_user(user_id, frame("direct"));
        if round % 5 == 0 {
            kept.push((user_id, reg));
        } else {
            hub.unregister(user_id, reg.conn_id);
        }
        if round % 16 == 0 {
            tokio::task::yield_now().await;
        }
    }
    kept
}

async fn run_workers(hub: &Arc<Hub>) -> Kept {
    let workers: Vec<_> = (0..16)
        .map(|worker| tokio::spawn(churn(Arc::clone(hub), worker)))
        .collect();
    let mut kept = Vec::new();
    for worker in workers {
        kept.extend(worker.await.expect("worker panicked"));
    }
    kept
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_register_unregister_publish_keeps_counts_consistent() {
    // Large enough that nobody overflows: every kept socket must still be registered.
    let hub = Arc::new(hub_with_queue(100_000));
    let kept = run_workers(&hub).await;

    assert_eq!(kept.len(), 16 * 60);
    assert_eq!(hub.connection_count(), kept.len());
    let users: HashSet<i64> = kept.iter().map(|(user_id, _)| *user_id).collect();
    assert_eq!(hub.user_count(), users.len());

    for (user_id, reg) in &kept {
        hub.unregister(*user_id, reg.conn_id);
    }
    assert_eq!((hub.connection_count(), hub.user_count()), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_churn_with_slow_consumers_keeps_counts_consistent() {
    // Tiny queues: kept sockets overflow and get evicted while others come and go.
    let hub = Arc::new(hub_with_queue(2));
    let mut kept = run_workers(&hub).await;

    let mut live_users = HashSet::new();
    let mut live = 0;
    for (user_id, reg) in &mut kept {
        match reg.close.try_take() {
            Some(close) => assert_eq!(close.code, CLOSE_SLOW_CONSUMER),
            None => {
                live += 1;
                live_users.insert(*user_id);
            }
        }
    }
    assert!(live < kept.len(), "expected some evictions");
    assert_eq!(hub.connection_count(), live);
    assert_eq!(hub.user_count(), live_users.len());
}

#[test]
fn broadcast_reaches_every_socket_of_every_user() {
    let hub = hub_with_queue(4);
    let mut a = hub.register(1, 10);
    let mut b = hub.register(2, 20);
    let mut b2 = hub.register(2, 21);
    assert_eq!(hub.broadcast(frame("resync")), 3);
    for reg in [&mut a, &mut b, &mut b2] {
        assert_eq!(next_text(reg), frame("resync"));
    }
}

#[test]
fn session_ids_lists_each_session_with_a_socket_once() {
    let hub = Hub::default();
    let _a = hub.register(1, 10);
    let _b = hub.register(1, 10);
    let _c = hub.register(2, 20);
    assert_eq!(hub.session_ids(), vec![10, 20]);
}
