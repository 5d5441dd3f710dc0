use std::collections::BTreeMap;
use std::rc::Rc;

use api_types::UserDto;
use api_types::permissions::REPORTS_VIEW;
use yew::prelude::*;

use crate::components::current_session::CurrentSession;
use crate::pages::dashboard::Dashboard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct HomeProps {
    pub user: Rc<UserDto>,
}

/// Report viewers land on the dashboard; everyone else on their own summary.
#[component]
pub fn Home(props: &HomeProps) -> Html {
    let user = &props.user;
    if user.permissions.iter().any(|p| p == REPORTS_VIEW) {
        return html! { <Dashboard /> };
    }
    html! {
        <>
            <div class="page-header">
                <p class="page-kicker">{ text::HOME_TITLE }</p>
                <h1 id="greeting">{ text::greeting(&user.full_name) }</h1>
            </div>
            <div class="card-grid">
                <section class="card" id="roles-card">
                    <h2 class="card-title">{ text::ROLES_TITLE }</h2>
                    if user.roles.is_empty() {
                        <p class="muted">{ text::NO_ROLES }</p>
                    } else {
                        <ul class="chips">
                            for role in &user.roles {
                                <li class="chip chip-gold">{ role.clone() }</li>
                            }
                        </ul>
                    }
                </section>
                <section class="card" id="session-card">
                    <h2 class="card-title">{ text::CURRENT_SESSION_TITLE }</h2>
                    <CurrentSession />
                </section>
                <section class="card card-wide" id="permissions-card">
                    <h2 class="card-title">{ text::PERMISSIONS_TITLE }</h2>
                    { permissions(&user.permissions) }
                </section>
            </div>
        </>
    }
}

/// Permission codes grouped by module, the part of the code before the dot.
fn permissions(codes: &[String]) -> Html {
    if codes.is_empty() {
        return html! { <p class="muted">{ text::NO_PERMISSIONS }</p> };
    }
    let mut modules: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for code in codes {
        let module = code
            .split_once('.')
            .map_or(code.as_str(), |(module, _)| module);
        modules.entry(module).or_default().push(code);
    }
    html! {
        <dl class="permission-groups">
            for (module, codes) in modules {
                <div class="permission-group" data-module={module.to_owned()}>
                    <dt>{ text::module_label(module).unwrap_or(module).to_owned() }</dt>
                    <dd>
                        <ul class="chips">
                            for code in codes {
                                <li class="chip"><code>{ code.to_owned() }</code></li>
                            }
                        </ul>
                    </dd>
                </div>
            }
        </dl>
    }
}
