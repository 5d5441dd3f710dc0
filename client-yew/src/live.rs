//! The live connection as the screens see it: whether the app is offline (for the
//! banner and the disabled actions) and the stream of contact, deal and notification
//! events, which pages follow with `use_live_news`. The socket itself is `ws.rs`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use futures_util::future::{AbortHandle, Abortable};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::api;
use crate::state::{Action, AuthContext, AuthState};
use crate::ws::{Connection, ContactEvent, Cursor, LiveEvent, LiveSocket, NewDeal};

/// A reconnect usually takes well under this; only a longer loss is worth a banner.
const GRACE: Duration = Duration::from_secs(1);

/// What pages hear.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveNews {
    Contact(u64, ContactEvent),
    Deal(u64, NewDeal),
    /// A new entry in the user's inbox.
    Notification(api_types::NotificationDto),
    /// Events were missed for good: load the lists again.
    Resync,
}

/// The pages following the events, and where the socket resumes from.
#[derive(Default)]
pub struct Hub {
    cursor: Rc<Cursor>,
    next_id: Cell<u64>,
    listeners: RefCell<Vec<(u64, Callback<LiveNews>)>>,
}

impl Hub {
    fn subscribe(&self, listener: Callback<LiveNews>) -> u64 {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        self.listeners.borrow_mut().push((id, listener));
        id
    }

    fn unsubscribe(&self, id: u64) {
        self.listeners
            .borrow_mut()
            .retain(|(other, _)| *other != id);
    }

    fn publish(&self, news: LiveNews) {
        // A listener's re-render may subscribe or unsubscribe: never emit under the borrow.
        let listeners: Vec<_> = self
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for listener in listeners {
            listener.emit(news.clone());
        }
    }
}

#[derive(Clone)]
pub struct Live {
    /// The socket has been down past the grace time, or the browser says it is offline.
    pub offline: bool,
    hub: Rc<Hub>,
}

impl PartialEq for Live {
    fn eq(&self, other: &Self) -> bool {
        self.offline == other.offline && Rc::ptr_eq(&self.hub, &other.hub)
    }
}

/// Whether actions that need the server should wait; never outside the provider.
#[hook]
pub fn use_offline() -> bool {
    use_context::<Live>().is_some_and(|live| live.offline)
}

/// Calls `on_news` with every live event while the calling component is mounted.
#[hook]
pub fn use_live_news(on_news: Callback<LiveNews>) {
    let hub = use_context::<Live>().map(|live| live.hub);
    // The newest callback sees the newest state; the subscription itself stays put.
    let latest = use_mut_ref(|| on_news.clone());
    *latest.borrow_mut() = on_news;
    use_effect_with((), move |()| {
        let subscription = hub.map(|hub| {
            let id = hub.subscribe(Callback::from(move |news| {
                // Emitted outside the borrow: the page's re-render stores a newer callback.
                let on_news = latest.borrow().clone();
                on_news.emit(news);
            }));
            (hub, id)
        });
        move || {
            if let Some((hub, id)) = subscription {
                hub.unsubscribe(id);
            }
        }
    });
}

/// Tells the socket a page loaded its data as of event `seq` (`/api/events/latest`).
#[hook]
pub fn use_seq_floor() -> Callback<u64> {
    let hub = use_context::<Live>().map(|live| live.hub);
    Callback::from(move |seq| {
        if let Some(hub) = &hub {
            hub.cursor.floor(seq);
        }
    })
}

/// What the app itself does with the connection's news.
fn on_app_event(event: LiveEvent, dispatcher: UseReducerDispatcher<AuthState>) {
    match event {
        // Pushes missed while disconnected may have been rights changes: reload them too.
        LiveEvent::PermissionsChanged | LiveEvent::Reconnected => spawn_local(async move {
            match api::me().await {
                Ok(user) => dispatcher.dispatch(Action::SignedIn(user)),
                Err(error) if error.is_unauthorized() => dispatcher.dispatch(Action::SignedOut),
                // Keep the rights we know; the next push or reconnect asks again.
                Err(_) => {}
            }
        }),
        LiveEvent::SessionEnded(Some(reason)) => {
            dispatcher.dispatch(Action::SignedOutBecause(reason));
        }
        LiveEvent::SessionEnded(None) => dispatcher.dispatch(Action::SignedOut),
        LiveEvent::Connection(_)
        | LiveEvent::Contact(..)
        | LiveEvent::Deal(..)
        | LiveEvent::Notification(..)
        | LiveEvent::Resync => {}
    }
}

#[derive(Properties, PartialEq)]
pub struct LiveProviderProps {
    pub children: Html,
}

/// Keeps one live connection per signed-in user and shares what it learns.
#[component]
pub fn LiveProvider(props: &LiveProviderProps) -> Html {
    let auth = use_context::<AuthContext>();
    let hub = use_memo((), |()| Hub::default());
    let connection = use_state(|| Connection::Connecting);
    let lost = use_state(|| false);
    let browser_offline =
        use_state(|| web_sys::window().is_some_and(|window| !window.navigator().on_line()));
    // A user who must enrol in 2FA first is refused the socket: no connection (and no
    // offline banner) until they have.
    let user_id = match auth.as_deref() {
        Some(AuthState::SignedIn(user)) if !user.must_enrol_two_factor() => Some(user.id),
        _ => None,
    };

    // Opened at sign-in, closed (by dropping it) at sign-out. Keyed by id so reloading
    // the user's rights keeps the socket.
    {
        let (hub, connection) = (hub.clone(), connection.clone());
        let dispatcher = auth.as_ref().map(|auth| auth.dispatcher());
        use_effect_with(user_id, move |user_id| {
            connection.set(Connection::Connecting);
            // Another user's event numbers mean nothing for this one.
            hub.cursor.reset();
            let socket = user_id.zip(dispatcher).map(|(_, dispatcher)| {
                let cursor = hub.cursor.clone();
                let on_event = Callback::from(move |event| match event {
                    LiveEvent::Connection(state) => connection.set(state),
                    LiveEvent::Contact(seq, event) => hub.publish(LiveNews::Contact(seq, event)),
                    LiveEvent::Deal(seq, deal) => hub.publish(LiveNews::Deal(seq, deal)),
                    LiveEvent::Notification(_, note) => {
                        hub.publish(LiveNews::Notification(note));
                    }
                    LiveEvent::Resync => hub.publish(LiveNews::Resync),
                    other => on_app_event(other, dispatcher.clone()),
                });
                LiveSocket::start(on_event, cursor)
            });
            move || drop(socket)
        });
    }
    {
        let lost = lost.clone();
        use_effect_with((*connection, user_id), move |(state, user_id)| {
            lost.set(false);
            let (abort, registration) = AbortHandle::new_pair();
            if *state != Connection::Online && user_id.is_some() {
                spawn_local(async move {
                    // Aborted when the socket came back (or the user left) in time.
                    if Abortable::new(sleep(GRACE), registration).await.is_ok() {
                        lost.set(true);
                    }
                });
            }
            move || abort.abort()
        });
    }
    use_browser_online(browser_offline.clone());

    let live = Live {
        offline: user_id.is_some() && (*lost || *browser_offline),
        hub: hub.clone(),
    };
    html! {
        <ContextProvider<Live> context={live}>{ props.children.clone() }</ContextProvider<Live>>
    }
}

/// Follows the browser's `online`/`offline` events, which come before the socket notices.
#[hook]
fn use_browser_online(offline: UseStateHandle<bool>) {
    use_effect_with((), move |()| {
        let window = web_sys::window();
        let listeners = [("online", false), ("offline", true)].map(|(name, value)| {
            let offline = offline.clone();
            let closure = Closure::<dyn Fn()>::new(move || offline.set(value));
            if let Some(window) = &window {
                let _ =
                    window.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            }
            (name, closure)
        });
        move || {
            for (name, closure) in &listeners {
                if let Some(window) = &window {
                    let _ = window.remove_event_listener_with_callback(
                        name,
                        closure.as_ref().unchecked_ref(),
                    );
                }
            }
        }
    });
}
