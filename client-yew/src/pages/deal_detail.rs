use api_types::permissions::DEALS_EDIT;
use api_types::{DealDto, DealLineDto, format_vnd};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, AttachmentOwner};
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::attachments_card::AttachmentsCard;
use crate::components::history::{History, HistoryOf};
use crate::components::loading::Loading;
use crate::components::payment_badge::PaymentBadge;
use crate::components::payment_card::PaymentCard;
use crate::coupon_input::value_label;
use crate::hooks::{Remote, use_remote};
use crate::nav;
use crate::state::{AuthState, use_auth_state};
use crate::{format, text};

#[derive(Properties, PartialEq)]
pub struct DealDetailPageProps {
    pub id: i64,
}

/// A deal: header (`#deal-code`, payment badge, `#deal-edit` when editable), its facts
/// (`#deal-info-card`), lines and totals (`#deal-lines`, `#deal-total`), payment status
/// with its history (`PaymentCard`) and the audit trail.
#[component]
pub fn DealDetailPage(props: &DealDetailPageProps) -> Html {
    // Bumped to ask the server for the deal again (after a refused change).
    let reload = use_state(|| 0_u32);
    let deal = use_remote((props.id, *reload), |(id, _)| api::deal(id));
    // Bumped after every change, so the history shows it.
    let activity = use_state(|| 0_u32);
    let navigator = use_navigator();
    let viewer = use_auth_state();
    let may_edit = matches!(&viewer, AuthState::SignedIn(user) if user.can(DEALS_EDIT));

    let on_updated = {
        let (deal, activity) = (deal.clone(), activity.clone());
        Callback::from(move |updated: DealDto| {
            deal.set(Remote::Ready(updated));
            activity.set(*activity + 1);
        })
    };
    let on_stale = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };

    let back = html! {
        <Link<Route> to={Route::Deals} classes="link back-link">{ text::BACK_TO_DEALS }</Link<Route>>
    };
    let deal = match &*deal {
        Remote::Loading => return html! { <>{ back }<Loading /></> },
        Remote::Failed(message) => {
            return html! {
                <>{ back }<Alert kind={AlertKind::Error} id="deal-load-error">{ message.clone() }</Alert></>
            };
        }
        Remote::Ready(deal) => deal,
    };
    let edit = Route::DealEdit { id: deal.id };
    html! {
        <>
            <div class="page-header">
                { back }
                <p class="page-kicker">{ text::DEALS_TITLE }</p>
                <div class="page-header-row">
                    <h1 id="deal-code" data-deal-code={deal.code.clone()}>{ deal.code.clone() }</h1>
                    <PaymentBadge status={deal.payment_status.clone()} />
                </div>
                if deal.editable && may_edit {
                    <div class="page-actions">
                        <a id="deal-edit" class="btn btn-outline" href={edit.to_path()}
                            onclick={nav::follow(&navigator, edit)}>{ text::EDIT }</a>
                    </div>
                }
            </div>
            <div class="card-grid">
                <section class="card" id="deal-info-card">
                    <h2 class="card-title">{ text::DEAL_INFO }</h2>
                    { info(deal, &navigator) }
                </section>
                <section class="card" id="payment-card">
                    <h2 class="card-title">{ text::PAYMENT_TITLE }</h2>
                    <PaymentCard deal={deal.clone()} {on_updated} {on_stale} />
                </section>
                <section class="card card-wide" id="deal-lines-card">
                    <h2 class="card-title">{ text::DEAL_LINES }</h2>
                    { lines(deal) }
                </section>
                <section class="card card-wide" id="attachments-card">
                    <h2 class="card-title">{ text::ATTACHMENTS_TITLE }</h2>
                    <AttachmentsCard owner={AttachmentOwner::Deal(deal.id)} />
                </section>
                <section class="card card-wide" id="history-card">
                    <h2 class="card-title">{ text::HISTORY_TITLE }</h2>
                    <History of={HistoryOf::Deal(deal.id)} reload={*activity} />
                </section>
            </div>
        </>
    }
}

fn info(deal: &DealDto, navigator: &Option<Navigator>) -> Html {
    let contact = Route::ContactDetail {
        id: deal.contact_id,
    };
    let or_unset =
        |value: &Option<String>| value.clone().unwrap_or_else(|| text::NOT_SET.to_owned());
    let coupon = deal.coupon.as_ref().map_or_else(
        || text::NO_COUPON.to_owned(),
        |c| text::coupon_choice(&c.code, &value_label(&c.kind, c.value)),
    );
    html! {
        <dl class="details">
            <dt>{ text::CUSTOMER }</dt>
            <dd>
                <a id="deal-contact-link" class="link" href={contact.to_path()}
                    onclick={nav::follow(navigator, contact)}>
                    <span class="contact-code">{ deal.contact_code.clone() }</span>
                    { " — " }{ deal.contact_name.clone() }
                </a>
            </dd>
            <dt>{ text::CLOSER }</dt>
            <dd id="deal-detail-closer">{ or_unset(&deal.closer_name) }</dd>
            <dt>{ text::TEAM }</dt>
            <dd id="deal-detail-team">{ or_unset(&deal.team_name) }</dd>
            <dt>{ text::DEAL_CLOSED_ON }</dt>
            <dd id="deal-detail-closed-on">{ format::date(&deal.closed_on) }</dd>
            <dt>{ text::COUPON }</dt>
            <dd id="deal-detail-coupon">{ coupon }</dd>
            <dt>{ text::NOTE }</dt>
            <dd id="deal-detail-note" class="note-text">{ or_unset(&deal.note) }</dd>
            <dt>{ text::DEAL_CREATED_AT }</dt>
            <dd id="deal-detail-created-at">{ format::datetime(&deal.created_at) }</dd>
        </dl>
    }
}

fn lines(deal: &DealDto) -> Html {
    if deal.lines.is_empty() {
        return html! { <p class="empty-state">{ text::NO_LINES }</p> };
    }
    let discount_label = match &deal.coupon {
        Some(c) => format!("{} ({})", text::DISCOUNT, c.code),
        None => text::DISCOUNT.to_owned(),
    };
    html! {
        <div class="table-wrap">
            <table class="table" id="deal-lines">
                <thead>
                    <tr>
                        <th scope="col">{ text::PRODUCT }</th>
                        <th scope="col" class="numeric">{ text::QUANTITY }</th>
                        <th scope="col" class="numeric">{ text::UNIT_PRICE }</th>
                        <th scope="col">{ text::LINE_CLOSED_AT }</th>
                        <th scope="col" class="numeric">{ text::LINE_TOTAL }</th>
                    </tr>
                </thead>
                <tbody>
                    for line in &deal.lines {
                        { line_row(line) }
                    }
                </tbody>
                <tfoot>
                    { sum_row("deal-subtotal", text::SUBTOTAL.to_owned(), deal.subtotal) }
                    { sum_row("deal-discount", discount_label, -deal.discount) }
                    { sum_row("deal-total", text::GRAND_TOTAL.to_owned(), deal.total) }
                </tfoot>
            </table>
        </div>
    }
}

fn line_row(line: &DealLineDto) -> Html {
    html! {
        <tr data-deal-line={line.product_code.clone()}>
            <td data-label={text::PRODUCT}>
                <code>{ line.product_code.clone() }</code>{ " – " }{ line.product_name.clone() }
            </td>
            <td data-label={text::QUANTITY} class="numeric">{ line.quantity }</td>
            <td data-label={text::UNIT_PRICE} class="numeric money">{ format_vnd(line.unit_price) }</td>
            <td data-label={text::LINE_CLOSED_AT}>{ format::datetime(&line.closed_at) }</td>
            <td data-label={text::LINE_TOTAL} class="numeric money">{ format_vnd(line.line_total) }</td>
        </tr>
    }
}

fn sum_row(id: &'static str, label: String, amount: i64) -> Html {
    html! {
        <tr class="sum-row">
            <td colspan="4" class="sum-label">{ label.clone() }</td>
            <td {id} class="numeric money" data-label={label}>{ format_vnd(amount) }</td>
        </tr>
    }
}
