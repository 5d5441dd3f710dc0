//! Picking a contact, shared by the list's "Nhận" buttons and the detail page.

use api_types::ContactDto;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::state::use_session_guard;
use crate::text;

#[derive(Debug, Clone, PartialEq)]
pub enum PickOutcome {
    /// The caller now holds the contact; the text names its code.
    Picked(AttrValue),
    /// The server said no; a cooldown comes with the seconds left to count down.
    Refused {
        message: AttrValue,
        wait_secs: Option<u64>,
    },
}

#[derive(Clone, PartialEq)]
pub struct Pick {
    /// The contact whose pick is running.
    pub busy: Option<i64>,
    /// The last attempt's outcome.
    pub outcome: Option<PickOutcome>,
    /// Counts finished attempts: a key that restarts the countdown and reloads the
    /// allowance after each one.
    pub attempts: u32,
    /// Picks the contact with this id.
    pub run: Callback<i64>,
}

/// `on_picked` gets the contact as the caller now sees it (unmasked); `on_taken` runs
/// when someone else was faster, so the caller can show the list as it is now.
#[hook]
pub fn use_pick(on_picked: Callback<ContactDto>, on_taken: Callback<()>) -> Pick {
    let busy = use_state(|| None::<i64>);
    let outcome = use_state(|| None::<PickOutcome>);
    let attempts = use_state(|| 0_u32);
    let guard = use_session_guard();
    let run = {
        let (busy, outcome, attempts) = (busy.clone(), outcome.clone(), attempts.clone());
        Callback::from(move |id: i64| {
            if busy.is_some() {
                return;
            }
            busy.set(Some(id));
            let (busy, outcome, attempts) = (busy.clone(), outcome.clone(), attempts.clone());
            let (guard, on_picked, on_taken) = (guard.clone(), on_picked.clone(), on_taken.clone());
            spawn_local(async move {
                let result = api::pick_contact(id).await;
                busy.set(None);
                attempts.set(*attempts + 1);
                match result {
                    Ok(contact) => {
                        outcome.set(Some(PickOutcome::Picked(
                            text::picked(&contact.code).into(),
                        )));
                        on_picked.emit(contact);
                    }
                    Err(e) => {
                        let Some(e) = guard.check(e) else { return };
                        // The cooldown's own text holds a frozen time; a live countdown replaces it.
                        let refused = match e.body.retry_after_secs {
                            Some(secs) if e.body.error == "cooldown" => PickOutcome::Refused {
                                message: text::COOLDOWN_LEAD.into(),
                                wait_secs: Some(secs),
                            },
                            _ => PickOutcome::Refused {
                                message: e.message().into(),
                                wait_secs: None,
                            },
                        };
                        outcome.set(Some(refused));
                        if e.body.error == "already_picked" {
                            on_taken.emit(());
                        }
                    }
                }
            });
        })
    };
    Pick {
        busy: *busy,
        outcome: (*outcome).clone(),
        attempts: *attempts,
        run,
    }
}
