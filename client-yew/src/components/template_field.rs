use api_types::PLACEHOLDERS;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct TemplateFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    /// A `<textarea>` (the body) rather than a one-line input (the title).
    #[prop_or_default]
    pub multiline: bool,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A rule's title or body with a chip per placeholder (`button[data-placeholder]`)
/// that inserts `{{…}}` where the caret is, so admins never type a name wrong.
#[component]
pub fn TemplateField(props: &TemplateFieldProps) -> Html {
    let node = use_node_ref();
    let oninput = props.oninput.reform(|event: InputEvent| {
        let target = event.target();
        target
            .as_ref()
            .and_then(|t| t.dyn_ref::<web_sys::HtmlInputElement>())
            .map(web_sys::HtmlInputElement::value)
            .or_else(|| {
                target
                    .as_ref()
                    .and_then(|t| t.dyn_ref::<web_sys::HtmlTextAreaElement>())
                    .map(web_sys::HtmlTextAreaElement::value)
            })
            .unwrap_or_default()
    });
    let insert = |placeholder: &'static str| {
        let (node, oninput) = (node.clone(), props.oninput.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(value) = insert_at_caret(&node, &format!("{{{{{placeholder}}}}}")) {
                oninput.emit(value);
            }
        })
    };
    let error_id = format!("{}-error", props.id);
    let chips_id = format!("{}-chips", props.id);
    let described_by = if props.error.is_some() {
        format!("{error_id} {chips_id}")
    } else {
        chips_id.clone()
    };
    let invalid = props.error.is_some().to_string();
    html! {
        <div class={classes!("field", "template-field", props.error.is_some().then_some("field-invalid"))}>
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            if props.multiline {
                <textarea id={props.id.clone()} name={props.id.clone()} ref={node.clone()}
                    class="input textarea" rows="3" value={props.value.clone()} {oninput}
                    aria-invalid={invalid} aria-describedby={described_by} />
            } else {
                <input id={props.id.clone()} name={props.id.clone()} ref={node.clone()} class="input"
                    type="text" value={props.value.clone()} {oninput} autocomplete="off"
                    aria-invalid={invalid} aria-describedby={described_by} />
            }
            if let Some(error) = &props.error {
                <p id={error_id} class="field-error">{ error.clone() }</p>
            }
            <div id={chips_id} class="placeholder-chips">
                <span class="muted-small">{ text::RULE_PLACEHOLDERS }</span>
                for (placeholder, meaning) in PLACEHOLDERS.iter().copied() {
                    <button type="button" class="chip chip-button" data-placeholder={placeholder}
                        title={meaning} aria-label={text::placeholder_chip_label(placeholder, meaning)}
                        onclick={insert(placeholder)}>
                        { format!("{{{{{placeholder}}}}}") }
                    </button>
                }
            </div>
        </div>
    }
}

/// Puts `snippet` at the field's caret (replacing a selection), moves the caret after
/// it and gives the field the focus back; the field's new text, or `None` without one.
fn insert_at_caret(node: &NodeRef, snippet: &str) -> Option<String> {
    let splice = |value: String, start: Option<u32>, end: Option<u32>| {
        // The caret is counted in UTF-16 units, as the browser does.
        let units: Vec<u16> = value.encode_utf16().collect();
        let len = units.len() as u32;
        let start = start.unwrap_or(len).min(len) as usize;
        let end = end.unwrap_or(len).clamp(start as u32, len) as usize;
        let mut out: Vec<u16> = units[..start].to_vec();
        out.extend(snippet.encode_utf16());
        let caret = out.len() as u32;
        out.extend_from_slice(&units[end..]);
        (String::from_utf16_lossy(&out), caret)
    };
    if let Some(input) = node.cast::<web_sys::HtmlInputElement>() {
        let (start, end) = (
            input.selection_start().ok().flatten(),
            input.selection_end().ok().flatten(),
        );
        let (value, caret) = splice(input.value(), start, end);
        input.set_value(&value);
        let _ = input.set_selection_range(caret, caret);
        let _ = input.focus();
        return Some(value);
    }
    let area = node.cast::<web_sys::HtmlTextAreaElement>()?;
    let (start, end) = (
        area.selection_start().ok().flatten(),
        area.selection_end().ok().flatten(),
    );
    let (value, caret) = splice(area.value(), start, end);
    area.set_value(&value);
    let _ = area.set_selection_range(caret, caret);
    let _ = area.focus();
    Some(value)
}
