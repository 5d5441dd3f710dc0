use api_types::{DealDto, PaymentChangeDto, PaymentStatusRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::payment_badge::PaymentBadge;
use crate::components::text_area_field::TextAreaField;
use crate::form::setter;
use crate::live::use_offline;
use crate::state::use_session_guard;
use crate::{format, text};

#[derive(Properties, PartialEq)]
pub struct PaymentCardProps {
    pub deal: DealDto,
    /// Called with the deal as the server shows it after a change.
    pub on_updated: Callback<DealDto>,
    /// Called when the server refused a change, so the page shows the current moves.
    pub on_stale: Callback<()>,
}

/// The payment status: the current one, a button per allowed move
/// (`button[data-payment-move="<status>"]`, only on editable deals) with an optional
/// note (`#payment-note`), the outcome (`#payment-result`) and the history, oldest
/// first (`#payment-history`, each `li[data-payment-change="<status>"]`).
#[component]
pub fn PaymentCard(props: &PaymentCardProps) -> Html {
    let note = use_state(String::new);
    let busy = use_state(|| None::<String>);
    let offline = use_offline();
    let result = use_state(|| None::<(AlertKind, AttrValue)>);
    let guard = use_session_guard();

    let on_move = {
        let (note, busy, result) = (note.clone(), busy.clone(), result.clone());
        let (id, on_updated, on_stale) = (
            props.deal.id,
            props.on_updated.clone(),
            props.on_stale.clone(),
        );
        Callback::from(move |status: String| {
            if busy.is_some() {
                return;
            }
            busy.set(Some(status.clone()));
            result.set(None);
            let request = PaymentStatusRequest {
                status,
                note: Some(note.trim().to_owned()).filter(|n| !n.is_empty()),
            };
            let (note, busy, result, guard) =
                (note.clone(), busy.clone(), result.clone(), guard.clone());
            let (on_updated, on_stale) = (on_updated.clone(), on_stale.clone());
            spawn_local(async move {
                let outcome = api::change_payment(id, &request).await;
                busy.set(None);
                match outcome {
                    Ok(deal) => {
                        note.set(String::new());
                        let message = text::payment_moved(&deal.code, &deal.payment_status);
                        result.set(Some((AlertKind::Success, message.into())));
                        on_updated.emit(deal);
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            result.set(Some((AlertKind::Error, e.message().into())));
                            on_stale.emit(());
                        }
                    }
                }
            });
        })
    };

    let deal = &props.deal;
    let moves: &[String] = if deal.editable {
        &deal.payment_moves
    } else {
        &[]
    };
    html! {
        <div class="status-actions">
            <p class="payment-current">
                <span class="muted-small">{ text::PAYMENT_CURRENT }</span>
                <PaymentBadge status={deal.payment_status.clone()} />
            </p>
            if let Some((kind, message)) = &*result {
                <Alert kind={*kind} id="payment-result">{ message.clone() }</Alert>
            }
            if moves.is_empty() {
                <p id="payment-no-moves" class="muted">{ text::NO_PAYMENT_MOVES }</p>
            } else {
                <TextAreaField id="payment-note" label={text::PAYMENT_NOTE} value={(*note).clone()}
                    oninput={setter(&note)} />
                <div class="button-row">
                    for status in moves.iter().cloned() {
                        <button type="button"
                            class={classes!("btn", if status == "refunded" { "btn-danger-outline" } else { "btn-outline" })}
                            data-payment-move={status.clone()} disabled={busy.is_some() || offline}
                            title={offline.then_some(text::OFFLINE_HINT)}
                            aria-busy={(busy.as_deref() == Some(status.as_str())).to_string()}
                            onclick={on_move.reform({ let status = status.clone(); move |_: MouseEvent| status.clone() })}>
                            { text::payment_to(&status) }
                        </button>
                    }
                </div>
            }
            <h3 class="subsection-title">{ text::PAYMENT_HISTORY }</h3>
            if deal.payments.is_empty() {
                <p class="empty-state">{ text::NO_PAYMENTS }</p>
            } else {
                <ol id="payment-history" class="history">
                    for change in &deal.payments {
                        { history_item(change) }
                    }
                </ol>
            }
        </div>
    }
}

fn history_item(change: &PaymentChangeDto) -> Html {
    let who = change
        .changed_by_name
        .clone()
        .unwrap_or_else(|| text::SYSTEM_ACTOR.to_owned());
    html! {
        <li class="history-item" data-payment-change={change.to_status.clone()}>
            <p class="history-head">
                if let Some(from) = &change.from_status {
                    <span class="history-before">{ text::payment_label(from).to_owned() }</span>
                    { " → " }
                } else {
                    <span class="history-field">{ text::PAYMENT_START }{ ": " }</span>
                }
                <span class="history-after">{ text::payment_label(&change.to_status).to_owned() }</span>
                <span class="muted-small">{ who }{ " · " }{ format::datetime(&change.changed_at) }</span>
            </p>
            if let Some(note) = &change.note {
                <p class="timeline-text">{ note.clone() }</p>
            }
        </li>
    }
}
