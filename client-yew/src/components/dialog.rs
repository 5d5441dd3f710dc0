use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub id: AttrValue,
    pub title: AttrValue,
    /// Escape, the backdrop and the caller's cancel buttons end up here.
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

/// A modal dialog: focuses its first field (or button) on opening, closes on Escape or
/// a click on the backdrop, and gives the focus back to where it was when it closes.
#[component]
pub fn Dialog(props: &DialogProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let previous = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.active_element())
                .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
            focus_first(&node);
            move || {
                if let Some(previous) = previous {
                    // Focus is a nicety: an element gone from the page just keeps none.
                    let _ = previous.focus();
                }
            }
        });
    }
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.stop_propagation();
                on_close.emit(());
            }
        })
    };
    let title_id = format!("{}-title", props.id);
    html! {
        <div class="dialog-layer">
            <div class="dialog-backdrop" onclick={props.on_close.reform(|_: MouseEvent| ())}></div>
            <div id={props.id.clone()} class="dialog" role="dialog" aria-modal="true"
                aria-labelledby={title_id.clone()} ref={node} {onkeydown}>
                <h2 id={title_id} class="dialog-title">{ props.title.clone() }</h2>
                { props.children.clone() }
            </div>
        </div>
    }
}

fn focus_first(node: &NodeRef) {
    let Some(root) = node.cast::<web_sys::Element>() else {
        return;
    };
    let first = |selector: &str| root.query_selector(selector).ok().flatten();
    let target = first("input:not([disabled]), select:not([disabled]), textarea:not([disabled])")
        .or_else(|| first("button:not([disabled])"))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(target) = target {
        let _ = target.focus();
    }
}
