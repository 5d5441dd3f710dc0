//! The audit screen's before/after view: both snapshots flattened to dotted paths,
//! every field listed once with its Vietnamese name where we know it, the changed ones
//! marked. Unlike a record's history card (`changes`), nothing is left out here: the
//! auditor sees the whole entry.

use api_types::{PAYMENT_STATUSES, PRODUCT_STATUSES, SOURCES, STATUSES, format_vnd, label};
use serde_json::Value;

use crate::text;

#[derive(Debug, Clone, PartialEq)]
pub struct DiffRow {
    /// `personal.phone`, `lines.0.quantity`.
    pub path: String,
    pub label: String,
    /// `None`: the field is not in that snapshot.
    pub before: Option<String>,
    pub after: Option<String>,
    pub changed: bool,
}

/// Every field of either snapshot, in path order.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<DiffRow> {
    let mut old = Vec::new();
    let mut new = Vec::new();
    if let Some(value) = before {
        flatten("", value, &mut old);
    }
    if let Some(value) = after {
        flatten("", value, &mut new);
    }
    let mut paths: Vec<&String> = old.iter().chain(new.iter()).map(|(p, _)| p).collect();
    paths.sort();
    paths.dedup();
    let find = |list: &[(String, Value)], path: &str| {
        list.iter().find(|(p, _)| p == path).map(|(_, v)| v.clone())
    };
    paths
        .into_iter()
        .map(|path| {
            let was = find(&old, path);
            let now = find(&new, path);
            DiffRow {
                label: field_label(path),
                changed: was != now,
                before: was.as_ref().map(|v| shown(path, v)),
                after: now.as_ref().map(|v| shown(path, v)),
                path: path.clone(),
            }
        })
        .collect()
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, inner) in map {
                flatten(&join(key), inner, out);
            }
        }
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (index, inner) in items.iter().enumerate() {
                flatten(&join(&index.to_string()), inner, out);
            }
        }
        other => out.push((
            if prefix.is_empty() {
                text::AUDIT_VALUE.to_owned()
            } else {
                prefix.to_owned()
            },
            other.clone(),
        )),
    }
}

/// The last named segment decides the label: `lines.1.quantity` → "Số lượng (2)".
fn field_label(path: &str) -> String {
    let segments: Vec<&str> = path.split('.').collect();
    let name = segments
        .iter()
        .rev()
        .find(|s| s.parse::<usize>().is_err())
        .copied()
        .unwrap_or(path);
    let known = text::audit_field_label(name);
    let position = segments
        .iter()
        .filter_map(|s| s.parse::<usize>().ok())
        .map(|i| (i + 1).to_string())
        .collect::<Vec<_>>();
    match (known, position.is_empty()) {
        (Some(label), true) => label.to_owned(),
        (Some(label), false) => format!("{label} ({})", position.join(".")),
        (None, _) => path.to_owned(),
    }
}

/// Codes read as their labels, money as VND, everything else as written.
fn shown(path: &str, value: &Value) -> String {
    let name = path.rsplit('.').next().unwrap_or(path);
    match value {
        Value::Null => text::AUDIT_EMPTY.to_owned(),
        Value::Bool(true) => text::YES.to_owned(),
        Value::Bool(false) => text::NO.to_owned(),
        Value::String(s) => {
            let table = match name {
                "status" if PRODUCT_STATUSES.iter().any(|(c, _)| c == s) => PRODUCT_STATUSES,
                "status" | "from" | "to" => STATUSES,
                "payment_status" => PAYMENT_STATUSES,
                "source" => SOURCES,
                _ => &[],
            };
            let named = label(table, s);
            if named.is_empty() {
                s.clone()
            } else {
                named.to_owned()
            }
        }
        Value::Number(n) => match (name, n.as_i64()) {
            (
                "total" | "discount" | "unit_price" | "base_price" | "amount" | "subtotal",
                Some(amount),
            ) => format_vnd(amount),
            _ => n.to_string(),
        },
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(_) => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn changed_fields_are_marked_and_unchanged_ones_kept() {
        let before = json!({"status": "new", "personal": {"phone": "0912345678", "email": null}});
        let after =
            json!({"status": "consulting", "personal": {"phone": "0912345678", "email": "a@b.vn"}});
        let rows = diff(Some(&before), Some(&after));
        let row = |path: &str| rows.iter().find(|r| r.path == path).expect("row").clone();
        assert_eq!(rows.len(), 3);
        let status = row("status");
        assert!(status.changed);
        assert_eq!(status.label, "Trạng thái");
        assert_eq!(status.before.as_deref(), Some("Mới"));
        assert!(!row("personal.phone").changed);
        let email = row("personal.email");
        assert!(email.changed);
        assert_eq!(email.before.as_deref(), Some(text::AUDIT_EMPTY));
    }

    #[test]
    fn creations_and_removals_show_one_side_only() {
        let after = json!({"total": 1_500_000, "lines": [{"quantity": 2}]});
        let rows = diff(None, Some(&after));
        assert!(rows.iter().all(|r| r.before.is_none() && r.changed));
        let total = rows.iter().find(|r| r.path == "total").expect("total");
        assert_eq!(total.after.as_deref(), Some("1.500.000 ₫"));
        let quantity = rows
            .iter()
            .find(|r| r.path == "lines.0.quantity")
            .expect("quantity");
        assert_eq!(quantity.label, "Số lượng (1)");
        let gone = diff(Some(&json!({"name": "GPKD"})), None);
        assert_eq!(gone[0].after, None);
    }

    #[test]
    fn unknown_fields_keep_their_path_and_scalars_their_text() {
        let rows = diff(Some(&json!({"x_custom": [1, 2]})), Some(&json!("plain")));
        let custom = rows.iter().find(|r| r.path == "x_custom").expect("custom");
        assert_eq!(custom.before.as_deref(), Some("1, 2"));
        let whole = rows
            .iter()
            .find(|r| r.path == text::AUDIT_VALUE)
            .expect("whole");
        assert_eq!(whole.after.as_deref(), Some("plain"));
    }
}
