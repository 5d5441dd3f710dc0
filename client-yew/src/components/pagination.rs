use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct PaginationProps {
    /// 1-based.
    pub page: u64,
    pub pages: u64,
    pub on_change: Callback<u64>,
}

/// "Trang x/y" with previous/next buttons (`#page-prev`, `#page-info`, `#page-next`).
#[component]
pub fn Pagination(props: &PaginationProps) -> Html {
    let page = props.page;
    let pages = props.pages.max(1);
    html! {
        <nav class="pagination" aria-label={text::PAGINATION}>
            <button type="button" id="page-prev" class="btn btn-outline btn-small"
                disabled={page <= 1} onclick={props.on_change.reform(move |_: MouseEvent| page - 1)}>
                { text::PREV_PAGE }
            </button>
            <span id="page-info" class="pagination-info" aria-live="polite">
                { text::page_of(page, pages) }
            </span>
            <button type="button" id="page-next" class="btn btn-outline btn-small"
                disabled={page >= pages} onclick={props.on_change.reform(move |_: MouseEvent| page + 1)}>
                { text::NEXT_PAGE }
            </button>
        </nav>
    }
}
