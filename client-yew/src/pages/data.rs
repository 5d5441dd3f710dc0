//! "Nhập / xuất dữ liệu": the Google Sheets import (choose a CSV → dry run with the
//! column mapping → import with progress), the full-tenant export and the retention
//! policy.

use std::rc::Rc;
use std::time::Duration;

use api_types::permissions::{CONTACTS_IMPORT, DATA_EXPORT_ALL, DATA_RETENTION};
use api_types::{ImportJobDto, ImportReport, ImportRequest, UserDto};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::import_mapping::ImportMapping;
use crate::components::import_report::ImportReportView;
use crate::components::loading::Loading;
use crate::components::retention_card::RetentionCard;
use crate::hooks::{Remote, use_remote};
use crate::text;

/// The server's limit for one file.
const MAX_BYTES: f64 = 32.0 * 1024.0 * 1024.0;

#[derive(Properties, PartialEq)]
pub struct DataPageProps {
    pub user: Rc<UserDto>,
}

#[component]
pub fn DataPage(props: &DataPageProps) -> Html {
    html! {
        <>
            <div class="page-header"><h1>{ text::DATA_TITLE }</h1></div>
            if props.user.can(CONTACTS_IMPORT) {
                <Importer />
            }
            if props.user.can(DATA_EXPORT_ALL) {
                <section class="card" id="export-all-card">
                    <h2 class="card-title">{ text::EXPORT_ALL_TITLE }</h2>
                    <p class="muted">{ text::EXPORT_ALL_INTRO }</p>
                    <a id="export-all" class="btn btn-outline" href="/api/export/all" download="">
                        { text::EXPORT_ALL_BUTTON }
                    </a>
                </section>
            }
            if props.user.can(DATA_RETENTION) {
                <RetentionCard />
            }
        </>
    }
}

/// What the import card shows.
#[derive(Clone, PartialEq)]
enum Step {
    /// No file yet (or a file that could not be read).
    Choose(Option<String>),
    Checking,
    Checked(Result<ImportReport, String>),
    Running(ImportJobDto),
    Finished(ImportJobDto),
}

#[component]
fn Importer() -> Html {
    let request = use_mut_ref(ImportRequest::default);
    let step = use_state(|| Step::Choose(None));
    let service_types = use_remote((), |_| api::service_types());

    // Runs the dry run for the current request; every change of file or mapping calls it.
    let check = {
        let (request, step) = (request.clone(), step.clone());
        Callback::from(move |()| {
            let body = request.borrow().clone();
            let step = step.clone();
            step.set(Step::Checking);
            spawn_local(async move {
                let result = api::import_dry_run(&body).await.map_err(|e| e.message());
                step.set(Step::Checked(result));
            });
        })
    };
    let on_file = {
        let (request, step, check) = (request.clone(), step.clone(), check.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            if file.size() > MAX_BYTES {
                step.set(Step::Choose(Some(text::IMPORT_TOO_BIG.to_owned())));
                return;
            }
            let (request, step, check) = (request.clone(), step.clone(), check.clone());
            spawn_local(async move {
                let read = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string());
                // Blob.text() decodes as UTF-8, replacing what is not: a sign of the wrong encoding.
                match read.filter(|t| !t.contains('\u{fffd}')) {
                    Some(csv) => {
                        *request.borrow_mut() = ImportRequest {
                            csv,
                            ..ImportRequest::default()
                        };
                        check.emit(());
                    }
                    None => step.set(Step::Choose(Some(text::IMPORT_NOT_UTF8.to_owned()))),
                }
            });
        })
    };
    let on_map = {
        let (request, check) = (request.clone(), check.clone());
        Callback::from(move |(field, heading): (String, String)| {
            {
                let mut r = request.borrow_mut();
                if heading.is_empty() {
                    // "No column": an explicit mapping to nothing is not expressible, so
                    // the field falls back to the defaults or is reported missing.
                    r.mapping.remove(&field);
                } else {
                    r.mapping.insert(field, heading);
                }
            }
            check.emit(());
        })
    };
    let on_default_service_type = {
        let (request, check) = (request.clone(), check.clone());
        Callback::from(move |code: String| {
            request.borrow_mut().default_service_type = Some(code).filter(|c| !c.is_empty());
            check.emit(());
        })
    };
    let on_default_source = {
        let (request, check) = (request.clone(), check.clone());
        Callback::from(move |code: String| {
            request.borrow_mut().default_source = Some(code).filter(|c| !c.is_empty());
            check.emit(());
        })
    };
    let on_import = {
        let (request, step) = (request.clone(), step.clone());
        Callback::from(move |_: MouseEvent| {
            let body = request.borrow().clone();
            let step = step.clone();
            spawn_local(async move {
                let job = match api::import_start(&body).await {
                    Ok(job) => job,
                    Err(e) => return step.set(Step::Checked(Err(e.message()))),
                };
                step.set(Step::Running(job.clone()));
                let id = job.id;
                loop {
                    sleep(Duration::from_millis(400)).await;
                    match api::import_progress(id).await {
                        Ok(now) if now.done => return step.set(Step::Finished(now)),
                        Ok(now) => step.set(Step::Running(now)),
                        // A dropped connection: keep polling, the import runs on the server.
                        Err(_) => continue,
                    }
                }
            });
        })
    };
    let on_again = {
        let (request, step) = (request.clone(), step.clone());
        Callback::from(move |_: MouseEvent| {
            *request.borrow_mut() = ImportRequest::default();
            step.set(Step::Choose(None));
        })
    };

    let picker = html! {
        <div class="field">
            <label for="import-file">{ text::IMPORT_FILE }</label>
            <input id="import-file" class="input" type="file" accept=".csv,text/csv" onchange={on_file}
                disabled={matches!(*step, Step::Checking | Step::Running(_))} />
            <p class="field-hint">{ text::IMPORT_FILE_HINT }</p>
        </div>
    };
    let body = match &*step {
        Step::Choose(None) => Html::default(),
        Step::Choose(Some(problem)) => html! {
            <Alert kind={AlertKind::Error} id="import-error">{ problem.clone() }</Alert>
        },
        Step::Checking => html! {
            <section class="card" id="import-checking"><Loading /><p class="muted">{ text::IMPORT_CHECKING }</p></section>
        },
        Step::Checked(Err(message)) => html! {
            <Alert kind={AlertKind::Error} id="import-error">{ message.clone() }</Alert>
        },
        Step::Checked(Ok(report)) => {
            let r = request.borrow();
            let mapping = match &*service_types {
                Remote::Ready(list) => html! {
                    <ImportMapping headings={report.headings.clone()} mapping={report.mapping.clone()}
                        service_types={list.clone()}
                        default_service_type={r.default_service_type.clone().unwrap_or_default()}
                        default_source={r.default_source.clone().unwrap_or_default()}
                        {on_map} {on_default_service_type} {on_default_source} />
                },
                _ => Html::default(),
            };
            html! {
                <>
                    { mapping }
                    <ImportReportView report={report.clone()} />
                    <div class="form-actions">
                        <button type="button" id="import-start" class="btn btn-primary"
                            disabled={report.valid == 0} onclick={on_import}>
                            { text::import_button(report.valid) }
                        </button>
                    </div>
                </>
            }
        }
        Step::Running(job) => progress(job, text::IMPORT_RUNNING),
        Step::Finished(job) => html! {
            <>
                { progress(job, text::IMPORT_DONE) }
                if let Some(error) = &job.error {
                    <Alert kind={AlertKind::Error} id="import-error">{ error.clone() }</Alert>
                } else {
                    <Alert kind={AlertKind::Success} id="import-done">
                        { text::import_summary(job.imported, job.skipped, job.failed) }
                    </Alert>
                }
                <div class="form-actions">
                    <Link<Route> to={Route::Contacts} classes="btn btn-primary">{ text::IMPORT_SEE_CONTACTS }</Link<Route>>
                    <button type="button" id="import-again" class="btn btn-outline" onclick={on_again}>
                        { text::IMPORT_AGAIN }
                    </button>
                </div>
            </>
        },
    };
    html! {
        <>
            <section class="card" id="import-card">
                <h2 class="card-title">{ text::IMPORT_TITLE }</h2>
                <p class="muted">{ text::IMPORT_INTRO }</p>
                { picker }
            </section>
            { body }
        </>
    }
}

fn progress(job: &ImportJobDto, title: &'static str) -> Html {
    html! {
        <section class="card" id="import-progress" data-done={job.done.to_string()}>
            <h2 class="card-title">{ title }</h2>
            <progress max={job.rows.max(1).to_string()} value={job.processed.to_string()}></progress>
            <p class="muted" id="import-progress-text">{ text::import_progress(job.processed, job.rows) }</p>
        </section>
    }
}
