use std::rc::Rc;

use api_types::UserDto;
use yew::prelude::*;

use crate::components::alert::{Alert, AlertKind};
use crate::components::change_password_form::ChangePasswordForm;
use crate::components::push_card::PushCard;
use crate::components::session_list::SessionList;
use crate::components::two_factor_card::TwoFactorCard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct ProfileProps {
    pub user: Rc<UserDto>,
}

#[component]
pub fn Profile(props: &ProfileProps) -> Html {
    // A password change signs the other devices out, so the session list is reloaded.
    let password_changes = use_state(|| 0_u32);
    let on_password_changed = {
        let password_changes = password_changes.clone();
        Callback::from(move |()| password_changes.set(*password_changes + 1))
    };
    let user = &props.user;
    let roles = if user.roles.is_empty() {
        text::NOT_SET.to_owned()
    } else {
        user.roles.join(", ")
    };

    html! {
        <>
            <div class="page-header">
                <h1>{ text::PROFILE_TITLE }</h1>
            </div>
            // Sent here by the layout: a role demands 2FA and nothing else opens until then.
            if user.must_enrol_two_factor() {
                <div class="two-factor-banner">
                    <Alert kind={AlertKind::Error} id="two-factor-required-banner">
                        { text::TWO_FACTOR_REQUIRED_BANNER }
                    </Alert>
                </div>
            }
            <div class="card-grid">
                <section class="card" id="account-card">
                    <h2 class="card-title">{ text::ACCOUNT_TITLE }</h2>
                    <dl class="details">
                        <dt>{ text::USERNAME_LABEL }</dt>
                        <dd id="profile-username">{ user.username.clone() }</dd>
                        <dt>{ text::FULL_NAME }</dt>
                        <dd id="profile-full-name">{ user.full_name.clone() }</dd>
                        <dt>{ text::EMAIL }</dt>
                        <dd id="profile-email">
                            { user.email.clone().unwrap_or_else(|| text::NOT_SET.to_owned()) }
                        </dd>
                        <dt>{ text::ROLES }</dt>
                        <dd id="profile-roles">{ roles }</dd>
                    </dl>
                </section>
                <section class="card" id="change-password-card">
                    <h2 class="card-title">{ text::CHANGE_PASSWORD_TITLE }</h2>
                    <ChangePasswordForm on_changed={on_password_changed} />
                </section>
                // One slot whatever the state: moving it would drop the recovery codes it
                // is showing when enrolment lets the user out. CSS lifts it first instead.
                <TwoFactorCard user={user.clone()} />
                <PushCard />
                <section class="card card-wide" id="sessions-card">
                    <h2 class="card-title">{ text::SESSIONS_TITLE }</h2>
                    <SessionList reload={*password_changes} />
                </section>
            </div>
        </>
    }
}
