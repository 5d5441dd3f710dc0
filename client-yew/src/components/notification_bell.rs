use api_types::NotificationDto;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::notification_item::NotificationItem;
use crate::inbox::{Inbox, InboxAction};
use crate::live::{LiveNews, use_live_news};
use crate::nav;
use crate::state::use_session_guard;
use crate::text;

/// The header's bell (`#bell`, count `#bell-count`): the unread count, rising live with
/// each `notification` event, and a panel (`#bell-panel`) of the newest entries
/// (`li[data-notification-id]`) with "Đánh dấu đã đọc tất cả" (`#bell-read-all`).
/// Opening an entry marks it read and follows its link. Escape or a click outside
/// closes the panel and gives the focus back to the bell.
#[component]
pub fn NotificationBell() -> Html {
    let inbox = use_reducer(Inbox::default);
    let open = use_state(|| false);
    let reload = use_state(|| 0_u32);
    let error = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();
    let navigator = use_navigator();
    let button = use_node_ref();

    {
        let (dispatcher, error, guard) = (inbox.dispatcher(), error.clone(), guard.clone());
        use_effect_with(*reload, move |_| {
            spawn_local(async move {
                match api::notifications().await {
                    Ok(page) => {
                        error.set(None);
                        dispatcher.dispatch(InboxAction::Loaded(page));
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        });
    }
    {
        let (dispatcher, reload) = (inbox.dispatcher(), reload.clone());
        use_live_news(Callback::from(move |news| match news {
            LiveNews::Notification(note) => dispatcher.dispatch(InboxAction::Arrived(note)),
            // Entries were missed for good: ask for the inbox again.
            LiveNews::Resync => reload.set(*reload + 1),
            LiveNews::Contact(..) | LiveNews::Deal(..) => {}
        }));
    }

    let close = {
        let (open, button) = (open.clone(), button.clone());
        Callback::from(move |()| {
            open.set(false);
            if let Some(bell) = button.cast::<web_sys::HtmlElement>() {
                // Focus is a nicety; a bell gone from the page keeps none.
                let _ = bell.focus();
            }
        })
    };
    let toggle = {
        let (open, reload) = (open.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            if !*open {
                // Fresh relative times and anything a lost event left out.
                reload.set(*reload + 1);
            }
            open.set(!*open);
        })
    };
    let on_key = close.clone();
    let onkeydown = Callback::from(move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            on_key.emit(());
        }
    });
    let on_open = {
        let (dispatcher, open, guard) = (inbox.dispatcher(), open.clone(), guard.clone());
        Callback::from(move |note: NotificationDto| {
            open.set(false);
            if note.read_at.is_none() {
                let (dispatcher, guard) = (dispatcher.clone(), guard.clone());
                spawn_local(async move {
                    match api::mark_notification_read(note.id).await {
                        Ok(count) => dispatcher.dispatch(InboxAction::Read {
                            id: note.id,
                            unread: count.unread_count,
                            at: now(),
                        }),
                        Err(e) => drop(guard.check(e)),
                    }
                });
            }
            if let (Some(link), Some(navigator)) = (&note.link, &navigator) {
                nav::open_link(navigator, link);
            }
        })
    };
    let read_all = {
        let (dispatcher, error, guard) = (inbox.dispatcher(), error.clone(), guard.clone());
        Callback::from(move |_: MouseEvent| {
            let (dispatcher, error, guard) = (dispatcher.clone(), error.clone(), guard.clone());
            spawn_local(async move {
                match api::mark_all_notifications_read().await {
                    Ok(count) => dispatcher.dispatch(InboxAction::AllRead {
                        unread: count.unread_count,
                        at: now(),
                    }),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        })
    };

    let unread = inbox.unread;
    let now_ms = js_sys::Date::now();
    html! {
        <div class="bell" {onkeydown}>
            <button type="button" id="bell" ref={button} class={classes!("bell-button", (unread > 0).then_some("bell-unread"))}
                aria-label={text::bell_label(unread)} aria-expanded={open.to_string()} aria-controls="bell-panel" onclick={toggle}>
                <svg class="bell-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                    <path d="M12 2a6 6 0 0 0-6 6v3.6L4.3 15A1 1 0 0 0 5.2 16.5h13.6a1 1 0 0 0 .9-1.5L18 11.6V8a6 6 0 0 0-6-6zm0 20a3 3 0 0 0 2.8-2h-5.6A3 3 0 0 0 12 22z" />
                </svg>
                if unread > 0 {
                    <span id="bell-count" class="bell-count" aria-hidden="true">{ text::bell_badge(unread) }</span>
                }
            </button>
            if *open {
                <div class="bell-backdrop" onclick={close.reform(|_: MouseEvent| ())}></div>
                <section id="bell-panel" class="bell-panel" aria-label={text::BELL_TITLE}>
                    <header class="bell-panel-head">
                        <h2>{ text::BELL_TITLE }</h2>
                        <button type="button" id="bell-read-all" class="btn btn-outline btn-small"
                            disabled={unread == 0} onclick={read_all}>
                            { text::BELL_READ_ALL }
                        </button>
                    </header>
                    if let Some(message) = &*error {
                        <p id="bell-error" class="bell-error" role="alert">{ message.clone() }</p>
                    }
                    if inbox.items.is_empty() {
                        <p id="bell-empty" class="bell-empty">{ text::BELL_EMPTY }</p>
                    } else {
                        <ul class="bell-list">
                            for note in &inbox.items {
                                <NotificationItem key={note.id} note={note.clone()} {now_ms}
                                    on_open={on_open.clone()} />
                            }
                        </ul>
                    }
                </section>
            }
        </div>
    }
}

/// The browser's time as the server writes it, for entries read here.
fn now() -> String {
    js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}
