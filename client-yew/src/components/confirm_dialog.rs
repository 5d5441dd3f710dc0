use yew::prelude::*;

use crate::components::dialog::Dialog;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    pub title: AttrValue,
    pub message: AttrValue,
    pub confirm_label: AttrValue,
    /// The action is running: both buttons wait.
    pub busy: bool,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// "Are you sure?" before an action that is hard to undo. Only one is open at a time,
/// so its ids are fixed: `#confirm-dialog`, `#confirm-ok`, `#confirm-cancel`.
#[component]
pub fn ConfirmDialog(props: &ConfirmDialogProps) -> Html {
    // Cancel comes first, so it is what the dialog focuses: Enter never destroys by accident.
    html! {
        <Dialog id="confirm-dialog" title={props.title.clone()} on_close={props.on_cancel.clone()}>
            <p class="dialog-text">{ props.message.clone() }</p>
            <div class="dialog-actions">
                <button type="button" id="confirm-cancel" class="btn btn-outline"
                    disabled={props.busy} onclick={props.on_cancel.reform(|_: MouseEvent| ())}>
                    { text::CANCEL }
                </button>
                <button type="button" id="confirm-ok" class="btn btn-danger"
                    disabled={props.busy} aria-busy={props.busy.to_string()}
                    onclick={props.on_confirm.reform(|_: MouseEvent| ())}>
                    { if props.busy { AttrValue::Static(text::WORKING) } else { props.confirm_label.clone() } }
                </button>
            </div>
        </Dialog>
    }
}
