use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct ExportLinksProps {
    /// `id` prefix: the links are `#<id>-csv` and `#<id>-xlsx`.
    pub id: AttrValue,
    pub csv: AttrValue,
    pub xlsx: AttrValue,
}

/// "Xuất CSV" and "Xuất Excel": plain download links, so the browser streams the file.
#[component]
pub fn ExportLinks(props: &ExportLinksProps) -> Html {
    html! {
        <span class="export-links">
            <a id={format!("{}-csv", props.id)} class="btn btn-small btn-outline" href={props.csv.clone()} download="">
                { text::EXPORT_CSV }
            </a>
            <a id={format!("{}-xlsx", props.id)} class="btn btn-small btn-outline" href={props.xlsx.clone()} download="">
                { text::EXPORT_XLSX }
            </a>
        </span>
    }
}
