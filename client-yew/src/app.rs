//! Routes, the route switch, the auth-state provider and the live connection's provider.

use std::rc::Rc;

use api_types::UserDto;
use api_types::permissions::{
    CONTACTS_CREATE, CONTACTS_VIEW, CONTACTS_VIEW_FAILED, COUPONS_MANAGE, DEALS_CREATE, DEALS_EDIT,
    DEALS_VIEW, PRODUCTS_MANAGE, ROLES_MANAGE, TEAMS_MANAGE, USERS_MANAGE,
};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::auth_card::AuthCard;
use crate::components::layout::SignedInLayout;
use crate::components::loading::Loading;
use crate::live::LiveProvider;
use crate::pages::audit::Audit;
use crate::pages::care::Care;
use crate::pages::contact_detail::ContactDetailPage;
use crate::pages::contact_edit::ContactEdit;
use crate::pages::contact_new::ContactNew;
use crate::pages::contacts::Contacts;
use crate::pages::coupon_edit::CouponEdit;
use crate::pages::coupon_new::CouponNew;
use crate::pages::coupons::Coupons;
use crate::pages::data::DataPage;
use crate::pages::deal_detail::DealDetailPage;
use crate::pages::deal_edit::DealEdit;
use crate::pages::deal_new::DealNew;
use crate::pages::deals::Deals;
use crate::pages::employee_detail::EmployeeDetailPage;
use crate::pages::employee_edit::EmployeeEdit;
use crate::pages::employee_new::EmployeeNew;
use crate::pages::employees::Employees;
use crate::pages::forbidden::Forbidden;
use crate::pages::forgot_password::ForgotPassword;
use crate::pages::home::Home;
use crate::pages::login::Login;
use crate::pages::not_found::NotFound;
use crate::pages::notification_deliveries::NotificationDeliveries;
use crate::pages::notification_rule_edit::NotificationRuleEdit;
use crate::pages::notification_rule_new::NotificationRuleNew;
use crate::pages::notification_rules::NotificationRules;
use crate::pages::products::Products;
use crate::pages::profile::Profile;
use crate::pages::reset_password::ResetPassword;
use crate::pages::roles::Roles;
use crate::pages::service_types::ServiceTypes;
use crate::pages::team_detail::TeamDetailPage;
use crate::pages::team_edit::TeamEdit;
use crate::pages::team_new::TeamNew;
use crate::pages::teams::Teams;
use crate::pages::zalo::Zalo;
use crate::pages::zalo_compose::ZaloCompose;
use crate::state::{Action, AuthContext, AuthState};
use crate::text;
use api_types::permissions::NOTIFICATIONS_MANAGE;
use api_types::permissions::{CHANNELS_MANAGE, ZALO_SEND};
use api_types::permissions::{
    CONTACTS_EDIT, CONTACTS_IMPORT, DATA_EXPORT_ALL, DATA_RETENTION, LOGS_VIEW,
    SERVICE_TYPES_MANAGE,
};

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    #[at("/forgot-password")]
    ForgotPassword,
    #[at("/reset-password")]
    ResetPassword,
    #[at("/profile")]
    Profile,
    #[at("/contacts")]
    Contacts,
    #[at("/contacts/new")]
    ContactNew,
    #[at("/contacts/:id")]
    ContactDetail { id: i64 },
    #[at("/contacts/:id/edit")]
    ContactEdit { id: i64 },
    #[at("/care")]
    Care,
    #[at("/deals")]
    Deals,
    /// `?contact=<id>`: the contact being closed.
    #[at("/deals/new")]
    DealNew,
    #[at("/deals/:id")]
    DealDetail { id: i64 },
    #[at("/deals/:id/edit")]
    DealEdit { id: i64 },
    #[at("/products")]
    Products,
    #[at("/coupons")]
    Coupons,
    #[at("/coupons/new")]
    CouponNew,
    #[at("/coupons/:id/edit")]
    CouponEdit { id: i64 },
    #[at("/service-types")]
    ServiceTypes,
    #[at("/employees")]
    Employees,
    #[at("/employees/new")]
    EmployeeNew,
    #[at("/employees/:id")]
    EmployeeDetail { id: i64 },
    #[at("/employees/:id/edit")]
    EmployeeEdit { id: i64 },
    #[at("/teams")]
    Teams,
    #[at("/teams/new")]
    TeamNew,
    #[at("/teams/:id")]
    TeamDetail { id: i64 },
    #[at("/teams/:id/edit")]
    TeamEdit { id: i64 },
    #[at("/roles")]
    Roles,
    /// `?target=contact:12`, `?actor=3`: opened for one record or person.
    #[at("/audit")]
    Audit,
    /// Google Sheets import and the full-tenant export.
    #[at("/data")]
    Data,
    #[at("/notification-rules")]
    NotificationRules,
    #[at("/notification-rules/new")]
    NotificationRuleNew,
    #[at("/notification-rules/:id/edit")]
    NotificationRuleEdit { id: i64 },
    /// `?status=failed&id=N` (the failure alert's link), `?rule_id=N`, `?channel=`.
    #[at("/notification-deliveries")]
    NotificationDeliveries,
    #[at("/zalo")]
    Zalo,
    #[at("/zalo/compose")]
    ZaloCompose,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => signed_in(|user| html! { <Home {user} /> }),
        Route::Profile => signed_in(|user| html! { <Profile {user} /> }),
        Route::Contacts => guarded(CONTACTS_VIEW, html! { <Contacts /> }),
        Route::ContactNew => guarded(CONTACTS_CREATE, html! { <ContactNew /> }),
        // Customer care opens contacts from its queue without `contacts.view`.
        Route::ContactDetail { id } => guarded_any(
            &[CONTACTS_VIEW, CONTACTS_VIEW_FAILED],
            html! { <ContactDetailPage {id} /> },
        ),
        Route::ContactEdit { id } => guarded(CONTACTS_EDIT, html! { <ContactEdit {id} /> }),
        Route::Care => guarded(CONTACTS_VIEW_FAILED, html! { <Care /> }),
        Route::Deals => guarded(DEALS_VIEW, html! { <Deals /> }),
        Route::DealNew => guarded(DEALS_CREATE, html! { <DealNew /> }),
        Route::DealDetail { id } => guarded(DEALS_VIEW, html! { <DealDetailPage {id} /> }),
        Route::DealEdit { id } => guarded(DEALS_EDIT, html! { <DealEdit {id} /> }),
        Route::Products => guarded(PRODUCTS_MANAGE, html! { <Products /> }),
        Route::Coupons => guarded(COUPONS_MANAGE, html! { <Coupons /> }),
        Route::CouponNew => guarded(COUPONS_MANAGE, html! { <CouponNew /> }),
        Route::CouponEdit { id } => guarded(COUPONS_MANAGE, html! { <CouponEdit {id} /> }),
        Route::ServiceTypes => guarded(SERVICE_TYPES_MANAGE, html! { <ServiceTypes /> }),
        Route::Employees => guarded(USERS_MANAGE, html! { <Employees /> }),
        Route::EmployeeNew => guarded(USERS_MANAGE, html! { <EmployeeNew /> }),
        Route::EmployeeDetail { id } => {
            guarded(USERS_MANAGE, html! { <EmployeeDetailPage {id} /> })
        }
        Route::EmployeeEdit { id } => guarded(USERS_MANAGE, html! { <EmployeeEdit {id} /> }),
        Route::Teams => guarded(TEAMS_MANAGE, html! { <Teams /> }),
        Route::TeamNew => guarded(TEAMS_MANAGE, html! { <TeamNew /> }),
        Route::TeamDetail { id } => guarded(TEAMS_MANAGE, html! { <TeamDetailPage {id} /> }),
        Route::TeamEdit { id } => guarded(TEAMS_MANAGE, html! { <TeamEdit {id} /> }),
        Route::Roles => guarded(ROLES_MANAGE, html! { <Roles /> }),
        Route::Audit => guarded(LOGS_VIEW, html! { <Audit /> }),
        Route::Data => signed_in(|user| {
            if [CONTACTS_IMPORT, DATA_EXPORT_ALL, DATA_RETENTION]
                .iter()
                .any(|p| user.can(p))
            {
                html! { <DataPage {user} /> }
            } else {
                html! { <Forbidden /> }
            }
        }),
        Route::NotificationRules => guarded(NOTIFICATIONS_MANAGE, html! { <NotificationRules /> }),
        Route::NotificationRuleNew => {
            guarded(NOTIFICATIONS_MANAGE, html! { <NotificationRuleNew /> })
        }
        Route::NotificationRuleEdit { id } => guarded(
            NOTIFICATIONS_MANAGE,
            html! { <NotificationRuleEdit {id} /> },
        ),
        Route::NotificationDeliveries => {
            guarded(NOTIFICATIONS_MANAGE, html! { <NotificationDeliveries /> })
        }
        Route::Zalo => guarded(CHANNELS_MANAGE, html! { <Zalo /> }),
        Route::ZaloCompose => guarded(ZALO_SEND, html! { <ZaloCompose /> }),
        Route::Login => html! { <Login /> },
        Route::ForgotPassword => html! { <ForgotPassword /> },
        Route::ResetPassword => html! { <ResetPassword /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// Wraps a page that needs a signed-in user in the app shell.
fn signed_in(page: fn(Rc<UserDto>) -> Html) -> Html {
    html! { <SignedInLayout page={Callback::from(page)} /> }
}

/// A page that also needs one permission. Checked at every render, so a page whose
/// permission is withdrawn live (WebSocket push) turns into the refusal at once; the
/// server refuses the data anyway.
fn guarded(permission: &'static str, page: Html) -> Html {
    guard(move |user| user.can(permission), page)
}

/// A page that needs any one of several permissions.
fn guarded_any(permissions: &'static [&'static str], page: Html) -> Html {
    guard(move |user| permissions.iter().any(|p| user.can(p)), page)
}

fn guard(allowed: impl Fn(&UserDto) -> bool + 'static, page: Html) -> Html {
    let page = Callback::from(move |user: Rc<UserDto>| {
        if allowed(&user) {
            page.clone()
        } else {
            html! { <Forbidden /> }
        }
    });
    html! { <SignedInLayout {page} /> }
}

#[component]
pub fn App() -> Html {
    let auth = use_reducer(|| AuthState::Checking);
    // Bumped by the retry button to ask `/api/me` again.
    let attempt = use_state(|| 0_u32);

    {
        let dispatcher = auth.dispatcher();
        use_effect_with(*attempt, move |_| {
            spawn_local(async move {
                let action = match api::me().await {
                    Ok(user) => Action::SignedIn(user),
                    Err(error) if error.is_unauthorized() => Action::SignedOut,
                    Err(error) => Action::Unreachable(error.message()),
                };
                dispatcher.dispatch(action);
            });
        });
    }

    let body = match &*auth {
        AuthState::Checking => html! { <div class="boot"><Loading /></div> },
        AuthState::Unreachable(message) => {
            let retry = {
                let dispatcher = auth.dispatcher();
                let attempt = attempt.clone();
                Callback::from(move |_: MouseEvent| {
                    dispatcher.dispatch(Action::Check);
                    attempt.set(*attempt + 1);
                })
            };
            html! {
                <AuthCard title={text::APP_NAME}>
                    <Alert kind={AlertKind::Error} id="app-error">{ message.clone() }</Alert>
                    <button type="button" id="app-retry" class="btn btn-primary btn-block" onclick={retry}>
                        { text::RETRY }
                    </button>
                </AuthCard>
            }
        }
        AuthState::SignedOut(_) | AuthState::SignedIn(_) => {
            html! { <Switch<Route> render={switch} /> }
        }
    };

    html! {
        <BrowserRouter>
            <ContextProvider<AuthContext> context={auth.clone()}>
                <LiveProvider>{ body }</LiveProvider>
            </ContextProvider<AuthContext>>
        </BrowserRouter>
    }
}
