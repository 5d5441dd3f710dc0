//! Which list views a new contact belongs to without asking the server.

use crate::api::ContactQuery;

/// Whether a brand-new contact would appear at the top of the list as filtered now:
/// the newest first page, with no filter but possibly the status `new`.
pub fn would_include(query: &ContactQuery) -> bool {
    let status_ok = query.status.is_empty() || query.status.split(',').any(|s| s.trim() == "new");
    status_ok
        && query.page <= 1
        && query.q.trim().is_empty()
        && query.source.is_empty()
        && query.service_type_id.is_none()
        && query.team_id.is_none()
        && query.assignee_id.is_none()
        && query.from.is_empty()
        && query.to.is_empty()
        && (query.sort.is_empty() || query.sort == "newest")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_unfiltered_first_page_shows_new_contacts() {
        let base = ContactQuery {
            page: 1,
            per_page: 20,
            ..ContactQuery::default()
        };
        assert!(would_include(&base));
        let with = |change: fn(&mut ContactQuery)| {
            let mut query = base.clone();
            change(&mut query);
            would_include(&query)
        };
        assert!(with(|q| q.status = "new".into()));
        assert!(with(|q| q.status = "consulting,new".into()));
        assert!(!with(|q| q.status = "consulting".into()));
        assert!(!with(|q| q.page = 2));
        assert!(!with(|q| q.q = "0912".into()));
        assert!(!with(|q| q.source = "hotline".into()));
        assert!(!with(|q| q.service_type_id = Some(1)));
        assert!(!with(|q| q.assignee_id = Some(1)));
        assert!(!with(|q| q.from = "2026-11-01".into()));
        assert!(!with(|q| q.sort = "oldest".into()));
    }
}
