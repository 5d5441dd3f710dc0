use yew::prelude::*;

use crate::live::use_offline;
use crate::text;

/// "Mất kết nối…" (`#offline-banner`) while the live connection is down; actions that
/// need the server wait meanwhile (`use_offline`).
#[component]
pub fn OfflineBanner() -> Html {
    if !use_offline() {
        return Html::default();
    }
    html! {
        <div id="offline-banner" class="offline-banner" role="status">
            <span class="spinner spinner-small" aria-hidden="true"></span>
            { text::OFFLINE_BANNER }
        </div>
    }
}
