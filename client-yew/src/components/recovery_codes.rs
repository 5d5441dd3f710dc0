use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct RecoveryCodesProps {
    pub codes: Vec<String>,
    /// The user confirms they stored the codes; they are not shown again.
    pub on_done: Callback<()>,
}

/// Freshly issued recovery codes, shown this once, with copy and download.
#[component]
pub fn RecoveryCodes(props: &RecoveryCodesProps) -> Html {
    let copied = use_state(|| false);
    let file = text::recovery_codes_file(&props.codes);
    let download = format!(
        "data:text/plain;charset=utf-8,{}",
        js_sys::encode_uri_component(&file)
    );
    let copy = {
        let (copied, file) = (copied.clone(), file.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(window) = web_sys::window() {
                // The promise only tells whether the browser allowed it; the list stays
                // on screen to copy by hand either way.
                let _ = window.navigator().clipboard().write_text(&file);
                copied.set(true);
            }
        })
    };
    html! {
        <div class="recovery-codes" id="recovery-codes">
            <h3 class="subsection-title">{ text::RECOVERY_CODES_TITLE }</h3>
            <p class="muted">{ text::RECOVERY_CODES_INTRO }</p>
            <ol class="recovery-code-list">
                { for props.codes.iter().map(|code| html! {
                    <li><code class="recovery-code">{ code.clone() }</code></li>
                }) }
            </ol>
            <div class="button-row">
                <button type="button" id="recovery-codes-copy" class="btn btn-outline" onclick={copy}>
                    { if *copied { text::RECOVERY_CODES_COPIED } else { text::RECOVERY_CODES_COPY } }
                </button>
                <a id="recovery-codes-download" class="btn btn-outline" href={download}
                    download={text::RECOVERY_CODES_FILE}>
                    { text::RECOVERY_CODES_DOWNLOAD }
                </a>
                <button type="button" id="recovery-codes-done" class="btn btn-primary"
                    onclick={props.on_done.reform(|_: MouseEvent| ())}>
                    { text::RECOVERY_CODES_DONE }
                </button>
            </div>
        </div>
    }
}
