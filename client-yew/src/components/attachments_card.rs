use api_types::{
    AttachmentDto, attachment_extension_allowed, attachment_type_label, format_file_size,
};
use web_sys::{File, HtmlInputElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, AttachmentOwner};
use crate::components::alert::{Alert, AlertKind};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::loading::Loading;
use crate::format;
use crate::hooks::{Remote, use_remote};
use crate::live::use_offline;
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct AttachmentsCardProps {
    pub owner: AttachmentOwner,
}

/// "Tệp đính kèm": the record's files (`#attachment-list`, rows
/// `tr[data-attachment-id]` with a download link and, where allowed, "Xoá"), and an
/// upload form (`#attachment-file`, `#attachment-upload`) when the server allows it.
/// Choices are checked here as the server will (size, type by extension); the server
/// has the last word, by content.
#[component]
pub fn AttachmentsCard(props: &AttachmentsCardProps) -> Html {
    let reload = use_state(|| 0_u32);
    let list = use_remote((props.owner, *reload), |(owner, _)| api::attachments(owner));
    let chosen = use_state(|| None::<File>);
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let notice = use_state(|| None::<AttrValue>);
    let deleting = use_state(|| None::<AttachmentDto>);
    let input = use_node_ref();
    let guard = use_session_guard();
    let offline = use_offline();
    // The server says what it accepts now and whether this viewer may add files.
    let (max_bytes, may_upload) = match &*list {
        Remote::Ready(list) => (list.max_bytes, list.can_upload),
        _ => (api_types::ATTACHMENT_DEFAULT_MAX_BYTES, false),
    };

    let onchange = {
        let (chosen, error, notice) = (chosen.clone(), error.clone(), notice.clone());
        Callback::from(move |event: Event| {
            let file = event
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            notice.set(None);
            error.set(
                file.as_ref()
                    .and_then(|f| refusal(f, max_bytes))
                    .map(Into::into),
            );
            chosen.set(file);
        })
    };
    let onsubmit = {
        let (chosen, busy, error, notice) =
            (chosen.clone(), busy.clone(), error.clone(), notice.clone());
        let (reload, input, guard, owner) =
            (reload.clone(), input.clone(), guard.clone(), props.owner);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(file) = (*chosen).clone() else {
                error.set(Some(text::ATTACHMENT_REQUIRED.into()));
                return;
            };
            if let Some(refused) = refusal(&file, max_bytes) {
                error.set(Some(refused.into()));
                return;
            }
            busy.set(true);
            error.set(None);
            let (chosen, busy, error, notice, reload, input, guard) = (
                chosen.clone(),
                busy.clone(),
                error.clone(),
                notice.clone(),
                reload.clone(),
                input.clone(),
                guard.clone(),
            );
            spawn_local(async move {
                let result = api::upload_attachment(owner, &file).await;
                busy.set(false);
                match result {
                    Ok(done) => {
                        notice.set(Some(text::attachment_uploaded(&done.file_name).into()));
                        chosen.set(None);
                        if let Some(input) = input.cast::<HtmlInputElement>() {
                            input.set_value("");
                        }
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        })
    };
    let on_delete = {
        let deleting = deleting.clone();
        Callback::from(move |file: AttachmentDto| deleting.set(Some(file)))
    };
    let on_cancel = {
        let deleting = deleting.clone();
        Callback::from(move |()| deleting.set(None))
    };
    let on_confirm = {
        let (deleting, busy, error, notice, reload) = (
            deleting.clone(),
            busy.clone(),
            error.clone(),
            notice.clone(),
            reload.clone(),
        );
        Callback::from(move |()| {
            let Some(file) = (*deleting).clone() else {
                return;
            };
            busy.set(true);
            let (deleting, busy, error, notice, reload, guard) = (
                deleting.clone(),
                busy.clone(),
                error.clone(),
                notice.clone(),
                reload.clone(),
                guard.clone(),
            );
            spawn_local(async move {
                let result = api::delete_attachment(file.id).await;
                busy.set(false);
                deleting.set(None);
                match result {
                    Ok(()) => {
                        notice.set(Some(text::attachment_deleted(&file.file_name).into()));
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        })
    };

    let accept = api_types::ATTACHMENT_TYPES
        .iter()
        .flat_map(|(_, _, exts)| exts.iter().map(|e| format!(".{e}")))
        .collect::<Vec<_>>()
        .join(",");
    html! {
        <div class="stack">
            if let Some(message) = &*notice {
                <Alert kind={AlertKind::Success} id="attachment-notice">{ message.clone() }</Alert>
            }
            if may_upload {
                <form class="attachment-upload" onsubmit={onsubmit}>
                    <label class="attachment-picker">
                        <span class="visually-hidden">{ text::ATTACHMENT_CHOOSE }</span>
                        <input type="file" id="attachment-file" ref={input} {accept}
                            disabled={*busy} {onchange} />
                    </label>
                    <button type="submit" id="attachment-upload" class="btn btn-primary btn-small"
                        disabled={*busy || offline || chosen.is_none()} aria-busy={busy.to_string()}
                        title={offline.then_some(text::OFFLINE_HINT)}>
                        { if *busy { text::ATTACHMENT_UPLOADING } else { text::ATTACHMENT_UPLOAD } }
                    </button>
                    <p class="muted-small attachment-limits">{ text::attachment_limits(max_bytes) }</p>
                </form>
            }
            if let Some(message) = &*error {
                <Alert kind={AlertKind::Error} id="attachment-error">{ message.clone() }</Alert>
            }
            { files(&list, &on_delete) }
            <p class="muted-small">{ text::ATTACHMENT_ENCRYPTED_NOTE }</p>
            if let Some(file) = &*deleting {
                <ConfirmDialog title={text::ATTACHMENT_DELETE_TITLE}
                    message={text::attachment_delete_question(&file.file_name)}
                    confirm_label={text::DELETE} busy={*busy} {on_confirm} {on_cancel} />
            }
        </div>
    }
}

/// Why a chosen file would be refused, as the server would say it.
fn refusal(file: &File, max_bytes: u64) -> Option<String> {
    let size = file.size() as u64;
    if size == 0 {
        Some(text::ATTACHMENT_EMPTY_FILE.to_owned())
    } else if size > max_bytes {
        Some(text::attachment_too_large(max_bytes))
    } else if !attachment_extension_allowed(&file.name()) {
        Some(text::ATTACHMENT_TYPE_REFUSED.to_owned())
    } else {
        None
    }
}

fn files(list: &Remote<api_types::AttachmentList>, on_delete: &Callback<AttachmentDto>) -> Html {
    match list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="attachments-load-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) if list.items.is_empty() => html! {
            <p id="attachments-empty" class="empty-state">{ text::ATTACHMENTS_EMPTY }</p>
        },
        Remote::Ready(list) => html! {
            <div class="table-wrap">
                <table class="table" id="attachment-list">
                    <thead>
                        <tr>
                            <th scope="col">{ text::ATTACHMENT_NAME }</th>
                            <th scope="col">{ text::ATTACHMENT_TYPE }</th>
                            <th scope="col">{ text::ATTACHMENT_SIZE }</th>
                            <th scope="col">{ text::ATTACHMENT_UPLOADER }</th>
                            <th scope="col">{ text::ATTACHMENT_DATE }</th>
                            <th scope="col">{ text::ACTIONS }</th>
                        </tr>
                    </thead>
                    <tbody>
                        for file in &list.items {
                            { row(file, on_delete) }
                        }
                    </tbody>
                </table>
            </div>
        },
    }
}

fn row(file: &AttachmentDto, on_delete: &Callback<AttachmentDto>) -> Html {
    let delete = {
        let file = file.clone();
        on_delete.reform(move |_: MouseEvent| file.clone())
    };
    html! {
        <tr data-attachment-id={file.id.to_string()}>
            <td data-label={text::ATTACHMENT_NAME} class="attachment-name">{ file.file_name.clone() }</td>
            <td data-label={text::ATTACHMENT_TYPE}>{ attachment_type_label(&file.content_type).to_owned() }</td>
            <td data-label={text::ATTACHMENT_SIZE}>{ format_file_size(file.size_bytes) }</td>
            <td data-label={text::ATTACHMENT_UPLOADER}>
                { file.uploaded_by_name.clone().unwrap_or_else(|| text::UNKNOWN.to_owned()) }
            </td>
            <td data-label={text::ATTACHMENT_DATE}>{ format::datetime(&file.created_at) }</td>
            <td data-label={text::ACTIONS} class="row-actions">
                <a class="btn btn-outline btn-small attachment-download" href={file.download_url.clone()}
                    download={file.file_name.clone()}>{ text::ATTACHMENT_DOWNLOAD }</a>
                if file.can_delete {
                    <button type="button" class="btn btn-danger-outline btn-small attachment-delete"
                        onclick={delete}>{ text::DELETE }</button>
                }
            </td>
        </tr>
    }
}
