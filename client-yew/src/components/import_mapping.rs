use std::collections::BTreeMap;

use api_types::{IMPORT_FIELDS, SOURCES, ServiceTypeDto};
use yew::prelude::*;

use crate::components::select_field::SelectField;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct ImportMappingProps {
    pub headings: Vec<String>,
    /// Field code → heading, as the server read it.
    pub mapping: BTreeMap<String, String>,
    pub service_types: Vec<ServiceTypeDto>,
    pub default_service_type: String,
    pub default_source: String,
    /// (field code, heading; empty = none).
    pub on_map: Callback<(String, String)>,
    pub on_default_service_type: Callback<String>,
    pub on_default_source: Callback<String>,
}

/// One select per contact field (`#map-<field>`) listing the file's columns, plus the
/// defaults for rows without a service type or source.
#[component]
pub fn ImportMapping(props: &ImportMappingProps) -> Html {
    let mut columns: Vec<(AttrValue, AttrValue)> = vec![("".into(), text::IMPORT_NO_COLUMN.into())];
    columns.extend(
        props
            .headings
            .iter()
            .map(|h| (AttrValue::from(h.clone()), AttrValue::from(h.clone()))),
    );
    let mut service_types: Vec<(AttrValue, AttrValue)> =
        vec![("".into(), text::IMPORT_NO_DEFAULT.into())];
    service_types.extend(props.service_types.iter().filter(|st| st.active).map(|st| {
        (
            AttrValue::from(st.code.clone()),
            AttrValue::from(st.name.clone()),
        )
    }));
    let mut sources: Vec<(AttrValue, AttrValue)> =
        vec![("".into(), text::IMPORT_NO_DEFAULT.into())];
    sources.extend(
        SOURCES
            .iter()
            .map(|(c, l)| (AttrValue::from(*c), AttrValue::from(*l))),
    );
    html! {
        <section class="card" id="import-mapping">
            <h2 class="card-title">{ text::IMPORT_MAPPING }</h2>
            <p class="muted">{ text::IMPORT_MAPPING_HINT }</p>
            <div class="form-grid">
                for (field, label, required) in IMPORT_FIELDS.iter().copied() {
                    <SelectField
                        id={format!("map-{field}")}
                        label={if required { format!("{label} *") } else { label.to_owned() }}
                        value={props.mapping.get(field).cloned().unwrap_or_default()}
                        options={columns.clone()}
                        onchange={props.on_map.reform(move |heading: String| (field.to_owned(), heading))}
                    />
                }
                <SelectField id="default-service-type" label={text::IMPORT_DEFAULT_SERVICE}
                    value={props.default_service_type.clone()} options={service_types}
                    hint={text::IMPORT_DEFAULT_HINT} onchange={props.on_default_service_type.clone()} />
                <SelectField id="default-source" label={text::IMPORT_DEFAULT_SOURCE}
                    value={props.default_source.clone()} options={sources}
                    hint={text::IMPORT_DEFAULT_HINT} onchange={props.on_default_source.clone()} />
            </div>
        </section>
    }
}
