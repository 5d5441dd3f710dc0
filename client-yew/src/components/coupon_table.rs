use api_types::CouponDto;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::coupon_input::value_label;
use crate::nav;
use crate::{format, text};

#[derive(Properties, PartialEq)]
pub struct CouponTableProps {
    pub items: Vec<CouponDto>,
    pub on_delete: Callback<CouponDto>,
}

/// Every coupon (`#coupons-table`, rows `tr[data-coupon="<code>"]`): value, expiry,
/// uses, whether it can be applied today, assignees; "Sửa" (`a[data-edit-coupon]`) and
/// "Xoá" (`button[data-delete-coupon]`).
#[component]
pub fn CouponTable(props: &CouponTableProps) -> Html {
    let navigator = use_navigator();
    html! {
        <div class="table-wrap">
            <table class="table" id="coupons-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::COUPON_CODE }</th>
                        <th scope="col" class="numeric">{ text::COUPON_VALUE }</th>
                        <th scope="col">{ text::COUPON_EXPIRES }</th>
                        <th scope="col">{ text::COUPON_USES }</th>
                        <th scope="col">{ text::STATUS }</th>
                        <th scope="col">{ text::COUPON_ASSIGNEES }</th>
                        <th scope="col">{ text::ACTIONS }</th>
                    </tr>
                </thead>
                <tbody>
                    for coupon in &props.items {
                        { row(coupon, &props.on_delete, &navigator) }
                    }
                </tbody>
            </table>
        </div>
    }
}

fn row(coupon: &CouponDto, on_delete: &Callback<CouponDto>, navigator: &Option<Navigator>) -> Html {
    let (badge, state) = if coupon.usable {
        ("badge-active", text::COUPON_USABLE)
    } else if !coupon.active {
        ("badge-muted", text::COUPON_OFF)
    } else {
        ("badge-locked", text::COUPON_EXPIRED)
    };
    let edit = Route::CouponEdit { id: coupon.id };
    let deleted = coupon.clone();
    html! {
        <tr data-coupon={coupon.code.clone()}>
            <td data-label={text::COUPON_CODE}>
                <code>{ coupon.code.clone() }</code>
                if let Some(description) = &coupon.description {
                    <span class="masked-hint">{ description.clone() }</span>
                }
            </td>
            <td data-label={text::COUPON_VALUE} class="numeric money">{ value_label(&coupon.kind, coupon.value) }</td>
            <td data-label={text::COUPON_EXPIRES}>{ format::date(&coupon.expires_on) }</td>
            <td data-label={text::COUPON_USES}>{ text::coupon_uses(coupon.used_count, coupon.max_uses) }</td>
            <td data-label={text::STATUS}>
                <span class={classes!("badge", badge)} data-coupon-usable={coupon.usable.to_string()}>{ state }</span>
            </td>
            <td data-label={text::COUPON_ASSIGNEES}>
                if coupon.assignees.is_empty() {
                    <span class="muted-small">{ text::NO_ASSIGNEES }</span>
                } else {
                    <ul class="chips">
                        for person in &coupon.assignees {
                            <li class="chip" data-coupon-assignee={person.username.clone()}>{ person.full_name.clone() }</li>
                        }
                    </ul>
                }
            </td>
            <td data-label={text::ACTIONS} class="row-actions">
                <div class="button-row">
                    <a class="btn btn-outline btn-small" href={edit.to_path()} data-edit-coupon={coupon.code.clone()}
                        onclick={nav::follow(navigator, edit)}>
                        { text::EDIT }
                    </a>
                    <button type="button" class="btn btn-danger-outline btn-small" data-delete-coupon={coupon.code.clone()}
                        onclick={on_delete.reform(move |_: MouseEvent| deleted.clone())}>
                        { text::DELETE }
                    </button>
                </div>
            </td>
        </tr>
    }
}
