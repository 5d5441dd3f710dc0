use std::collections::BTreeMap;

use api_types::{PLACEHOLDERS, ZaloTemplateDto};
use yew::prelude::*;

use crate::components::select_field::SelectField;
use crate::rule_draft::{PARAM_TEXT, ParamSource};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct ZnsMappingProps {
    /// The enabled templates.
    pub templates: Vec<ZaloTemplateDto>,
    pub template_id: Option<i64>,
    pub params: BTreeMap<String, String>,
    /// The chosen template's id (`None`: none chosen).
    pub on_template: Callback<Option<i64>>,
    /// `(parameter, value)`.
    pub on_param: Callback<(String, String)>,
    #[prop_or_default]
    pub template_error: Option<AttrValue>,
    #[prop_or_default]
    pub params_error: Option<AttrValue>,
}

/// The `zalo` channel's message in the rule form (`#rule-zalo`): a ZNS template picker
/// (`#rule-zalo-template`) and, per parameter of the chosen template
/// (`.zns-param[data-param]`), a select of placeholders or fixed text
/// (`#rule-zalo-param-{name}`) with the text's input (`#rule-zalo-param-{name}-text`).
#[component]
pub fn ZnsMapping(props: &ZnsMappingProps) -> Html {
    let on_template = props
        .on_template
        .reform(|value: String| value.parse::<i64>().ok());
    let mut choices = vec![(
        AttrValue::Static(""),
        AttrValue::Static(text::RULE_ZALO_TEMPLATE_PICK),
    )];
    choices.extend(props.templates.iter().map(|t| {
        (
            AttrValue::from(t.id.to_string()),
            AttrValue::from(t.name.clone()),
        )
    }));
    let chosen = props
        .template_id
        .and_then(|id| props.templates.iter().find(|t| t.id == id));
    let selected = props
        .template_id
        .map(|id| id.to_string())
        .unwrap_or_default();
    let rows = chosen.map(|template| {
        template
            .params
            .iter()
            .map(|param| {
                let name = param.name.clone();
                let value = props.params.get(&name).cloned().unwrap_or_default();
                let source = ParamSource::of(&value);
                let on_source = {
                    let (on_param, name) = (props.on_param.clone(), name.clone());
                    Callback::from(move |event: Event| {
                        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
                        let picked = select.value();
                        let value = if picked == PARAM_TEXT {
                            String::new()
                        } else {
                            format!("{{{{{picked}}}}}")
                        };
                        on_param.emit((name.clone(), value));
                    })
                };
                let on_text = {
                    let (on_param, name) = (props.on_param.clone(), name.clone());
                    Callback::from(move |event: InputEvent| {
                        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                        on_param.emit((name.clone(), input.value()));
                    })
                };
                let id = format!("rule-zalo-param-{name}");
                html! {
                    <div class="zns-param" data-param={name.clone()}>
                        <label for={id.clone()}>{ text::zalo_param_label(&name, &param.sample) }</label>
                        <select id={id.clone()} class="input" onchange={on_source}>
                            for (placeholder, meaning) in PLACEHOLDERS.iter() {
                                <option value={*placeholder} selected={source.key() == *placeholder}>
                                    { format!("{{{{{placeholder}}}}} – {meaning}") }
                                </option>
                            }
                            <option value={PARAM_TEXT} selected={source == ParamSource::Text}>
                                { text::RULE_ZALO_PARAM_TEXT }
                            </option>
                        </select>
                        if source == ParamSource::Text {
                            <input id={format!("{id}-text")} class="input" type="text" value={value}
                                aria-label={text::zalo_param_text_label(&name)} oninput={on_text} />
                        }
                    </div>
                }
            })
            .collect::<Html>()
    });
    html! {
        <div id="rule-zalo" class="rule-customer">
            <SelectField id="rule-zalo-template" label={text::RULE_ZALO_TEMPLATE} value={selected}
                options={choices} onchange={on_template} error={props.template_error.clone()} />
            if props.templates.is_empty() {
                <p id="rule-zalo-none" class="field-hint">{ text::RULE_ZALO_NO_TEMPLATES }</p>
            }
            if let Some(rows) = rows {
                <fieldset id="rule-zalo-params"
                    class={classes!("field", "zns-params", props.params_error.is_some().then_some("field-invalid"))}>
                    <legend>{ text::RULE_ZALO_PARAMS }</legend>
                    { rows }
                    if let Some(error) = &props.params_error {
                        <p id="rule-zalo-params-error" class="field-error">{ error.clone() }</p>
                    }
                </fieldset>
            }
        </div>
    }
}
