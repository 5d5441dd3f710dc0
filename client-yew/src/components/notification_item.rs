use api_types::NotificationDto;
use yew::prelude::*;

use crate::{format, text};

#[derive(Properties, PartialEq)]
pub struct NotificationItemProps {
    pub note: NotificationDto,
    /// The browser's clock (ms), for "5 phút trước".
    pub now_ms: f64,
    /// The entry was opened: mark it read and follow its link.
    pub on_open: Callback<NotificationDto>,
}

/// One entry of the bell's panel: a link when it leads to a record (the contact,
/// the deal, the failed delivery), else a button that only marks it read. Unread
/// entries are highlighted and say so to screen readers.
#[component]
pub fn NotificationItem(props: &NotificationItemProps) -> Html {
    let note = &props.note;
    let unread = note.read_at.is_none();
    let then = js_sys::Date::parse(&note.created_at);
    let ago = if then.is_nan() {
        String::new()
    } else {
        text::time_ago(then, props.now_ms)
    };
    let onclick = {
        let (note, on_open) = (note.clone(), props.on_open.clone());
        Callback::from(move |event: MouseEvent| {
            // A modified click opens the link in a new tab, as the browser would.
            if note.link.is_some() && (event.ctrl_key() || event.meta_key() || event.shift_key()) {
                return;
            }
            event.prevent_default();
            on_open.emit(note.clone());
        })
    };
    let content = html! {
        <>
            <span class="bell-item-title">
                if unread {
                    <span class="bell-dot" aria-hidden="true"></span>
                    <span class="visually-hidden">{ format!("{}: ", text::BELL_UNREAD) }</span>
                }
                { note.title.clone() }
            </span>
            if !note.body.is_empty() {
                <span class="bell-item-body">{ note.body.clone() }</span>
            }
            <time class="bell-item-time" datetime={note.created_at.clone()}
                title={format::datetime(&note.created_at)}>{ ago }</time>
        </>
    };
    html! {
        <li class={classes!("bell-item", unread.then_some("bell-item-unread"))}
            data-notification-id={note.id.to_string()} data-unread={unread.to_string()}>
            if let Some(link) = &note.link {
                <a class="bell-item-action" href={link.clone()} {onclick}>{ content }</a>
            } else {
                <button type="button" class="bell-item-action" {onclick}>{ content }</button>
            }
        </li>
    }
}
