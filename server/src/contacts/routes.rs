//! Creating, listing, reading and editing contacts.

use api_types::{
    ApiErrorBody, ContactDto, ContactPage, CreateContactRequest, PhoneCheck, UpdateContactRequest,
};
use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use entities::{contact, contact_name_token};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Query as SqlQuery,
};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use super::{
    input, scope,
    status::Status,
    vault::{Personal, audit_personal},
    view,
};
use crate::{
    audit::{self, AuditEntry},
    auth::current_user::AuthUser,
    codes::{self, Series},
    crypto::envelope::DataKey,
    db,
    domain::Phone,
    error::{ApiError, ApiResult},
    events::{self, Audience, Draft, Event},
    http::json::ApiJson,
    http::params::{ApiPath, ApiQuery},
    state::AppState,
};

pub(super) fn snapshot(row: &contact::Model, key: &DataKey, personal: &Personal) -> Value {
    json!({
        "code": row.code,
        "status": row.status,
        "service_type_id": row.service_type_id,
        "source": row.source,
        "team_id": row.team_id,
        "assignee_id": row.assignee_id,
        "personal": audit_personal(key, personal),
    })
}

/// Create a lead (operators). A phone that already exists is refused with
/// `409 duplicate_phone` naming the existing contacts, unless `allow_duplicate`.
#[utoipa::path(
    post, path = "/api/contacts", tag = "contacts",
    request_body = CreateContactRequest,
    responses(
        (status = 201, body = ContactDto),
        (status = 409, description = "duplicate_phone, with `duplicates`", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn create_contact(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<CreateContactRequest>,
) -> ApiResult<(StatusCode, Json<ContactDto>)> {
    let personal = input::personal(
        &body.full_name,
        &body.phone,
        body.email.as_deref(),
        body.note.as_deref(),
    )?;
    let source = input::source(&body.source)?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let (created, event) = insert(
        &tx,
        &state.vault,
        NewContact {
            personal,
            service_type_id: body.service_type_id,
            source,
            allow_duplicate: body.allow_duplicate,
        },
        caller.user.id,
        now,
        AuditEntry {
            actor: Some(caller.actor()),
            action: "contacts.created",
            target: None,
            before: None,
            after: None,
            meta: &caller.meta,
        },
    )
    .await?;
    // Published first: the answer's extra reads need not delay the live boards.
    state.live.feed.commit(tx, vec![event]).await?;
    let dto = view::dto(&state.db, &state.vault, &caller, created).await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

/// A validated new lead.
pub struct NewContact {
    pub personal: Personal,
    pub service_type_id: i64,
    pub source: String,
    pub allow_duplicate: bool,
}

/// Where an imported lead already stood in the old spreadsheet; a new lead starts as
/// `new`, unassigned, created now.
#[derive(Debug, Clone)]
pub struct History {
    pub status: Status,
    pub assignee_id: Option<i64>,
    pub team_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A stored contact, its data key and its service type, for the caller's event.
pub struct Inserted {
    pub row: contact::Model,
    pub key: DataKey,
    pub service_type: entities::service_type::Model,
}

/// Creates a contact with its data key, blind indexes, audit entry (`entry` gives
/// actor and client; target and values are filled in here) and `contact.created` event
/// (to publish after commit). Shared by the API and `ankhang seed-demo`.
pub async fn insert(
    tx: &impl ConnectionTrait,
    vault: &super::vault::Vault,
    new: NewContact,
    creator: i64,
    now: DateTime<Utc>,
    entry: AuditEntry<'_>,
) -> Result<(contact::Model, Event), ApiError> {
    let full_name = new.personal.full_name.clone();
    let inserted = insert_row(tx, vault, new, None, creator, now, entry).await?;
    let event = created_event(tx, &inserted, &full_name, now).await?;
    Ok((inserted.row, event))
}

/// The contact, its key, indexes and audit entry, without an event: imports of
/// historical rows announce only the leads that are still new.
pub async fn insert_row(
    tx: &impl ConnectionTrait,
    vault: &super::vault::Vault,
    new: NewContact,
    history: Option<History>,
    creator: i64,
    now: DateTime<Utc>,
    entry: AuditEntry<'_>,
) -> Result<Inserted, ApiError> {
    let NewContact {
        personal,
        service_type_id,
        source,
        allow_duplicate,
    } = new;
    let service_type = input::service_type(tx, service_type_id).await?;
    let duplicates = view::duplicates(tx, vault, &personal.phone, None).await?;
    if !duplicates.is_empty() && !allow_duplicate {
        return Err(ApiError::DuplicatePhone { duplicates });
    }
    let history = history.unwrap_or(History {
        status: Status::New,
        assignee_id: None,
        team_id: None,
        created_at: now,
    });
    let key = DataKey::generate();
    let sealed = vault.seal(&key, &personal);
    let created = contact::ActiveModel {
        code: Set(codes::next_code(tx, Series::Contact, now).await?),
        full_name_enc: Set(sealed.full_name),
        phone_enc: Set(sealed.phone),
        email_enc: Set(sealed.email),
        note_enc: Set(sealed.note),
        phone_index: Set(vault.phone_index(&personal.phone)),
        service_type_id: Set(service_type.id),
        source: Set(source),
        team_id: Set(history.team_id),
        status: Set(history.status.code().to_owned()),
        assignee_id: Set(history.assignee_id),
        created_by: Set(creator),
        created_at: Set(history.created_at),
        updated_at: Set(now),
        picked_at: Set(history.assignee_id.map(|_| history.created_at)),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    vault.store_key(tx, created.id, &key, now).await?;
    vault
        .index_name(tx, created.id, &personal.full_name)
        .await?;
    let mut after = snapshot(&created, &key, &personal);
    if !duplicates.is_empty() {
        after["created_despite_duplicates"] = json!(duplicates);
    }
    let id = created.id.to_string();
    audit::record(
        tx,
        now,
        AuditEntry {
            target: Some(("contact", id)),
            after: Some(after),
            ..entry
        },
    )
    .await?;
    Ok(Inserted {
        row: created,
        key,
        service_type,
    })
}

/// The `contact.created` event of a stored lead, to publish after commit.
pub async fn created_event(
    tx: &impl ConnectionTrait,
    inserted: &Inserted,
    full_name: &str,
    now: DateTime<Utc>,
) -> Result<Event, ApiError> {
    let Inserted {
        row,
        key,
        service_type,
    } = inserted;
    let event = events::record(
        tx,
        Some(key),
        now,
        Draft {
            kind: "contact.created",
            contact_id: Some(row.id),
            data: json!({
                "id": row.id,
                "code": row.code,
                "full_name": full_name,
                "service_type": service_type.code,
                "service_type_id": service_type.id,
                "source": row.source,
                "status": row.status,
            }),
            personal: &["full_name"],
            audience: Audience::Pool,
        },
    )
    .await?;
    Ok(event)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PhoneQuery {
    phone: String,
}

/// Inline duplicate warning for the create form (X-DUP).
#[utoipa::path(
    get, path = "/api/contacts/check-phone", tag = "contacts",
    params(PhoneQuery),
    responses((status = 200, body = PhoneCheck), (status = 422, body = ApiErrorBody))
)]
pub async fn check_phone(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PhoneQuery>,
) -> ApiResult<Json<PhoneCheck>> {
    let phone = Phone::parse("phone", &query.phone)?.into_inner();
    let duplicates = view::duplicates(&state.db, &state.vault, &phone, None).await?;
    Ok(Json(PhoneCheck {
        normalised: phone,
        duplicates,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ContactQuery {
    /// One status or several separated by commas.
    status: Option<String>,
    /// Code (`KH2026-007`), exact phone, or words of the name without diacritics.
    q: Option<String>,
    source: Option<String>,
    service_type_id: Option<i64>,
    team_id: Option<i64>,
    assignee_id: Option<i64>,
    /// Created at or after (RFC 3339).
    from: Option<String>,
    /// Created before (RFC 3339).
    to: Option<String>,
    /// `newest` (default), `oldest`, `code`, `status`.
    sort: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
    /// Export only: `csv` (default) or `xlsx`.
    pub format: Option<String>,
}

fn parse_time(field: &str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::validation(field, "Thời gian phải theo định dạng RFC 3339"))
}

pub(crate) fn search_condition(vault: &super::vault::Vault, q: &str) -> Condition {
    let q = q.trim();
    let upper = q.to_uppercase();
    // "KH2026…" is a code; "khách" is a name.
    let is_code = upper
        .strip_prefix("KH")
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_digit());
    if is_code {
        return Condition::all().add(contact::Column::Code.starts_with(upper));
    }
    if let Ok(phone) = Phone::parse("q", q) {
        return Condition::all()
            .add(contact::Column::PhoneIndex.eq(vault.phone_index(&phone.into_inner())));
    }
    let mut all = Condition::all();
    let tokens = vault.query_tokens(q);
    if tokens.is_empty() {
        // Nothing searchable (only punctuation): match nothing rather than everything.
        return Condition::all().add(contact::Column::Id.lt(0));
    }
    for token in tokens {
        all = all.add(
            contact::Column::Id.in_subquery(
                SqlQuery::select()
                    .column(contact_name_token::Column::ContactId)
                    .from(contact_name_token::Entity)
                    .and_where(contact_name_token::Column::Token.eq(token))
                    .to_owned(),
            ),
        );
    }
    all
}

/// The contacts list's filters, within the caller's scope (shared with the export).
pub fn list_filter(
    state: &AppState,
    caller: &AuthUser,
    query: &ContactQuery,
) -> Result<Condition, ApiError> {
    let mut filter = Condition::all().add(scope::condition(caller)?);
    if let Some(statuses) = query.status.as_deref().filter(|s| !s.is_empty()) {
        let codes: Vec<&str> = statuses.split(',').map(str::trim).collect();
        if codes.iter().any(|c| Status::parse(c).is_none()) {
            return Err(ApiError::validation("status", "Trạng thái không hợp lệ"));
        }
        filter = filter.add(contact::Column::Status.is_in(codes));
    }
    if let Some(q) = query.q.as_deref().filter(|q| !q.trim().is_empty()) {
        filter = filter.add(search_condition(&state.vault, q));
    }
    if let Some(source) = query.source.as_deref().filter(|s| !s.is_empty()) {
        filter = filter.add(contact::Column::Source.eq(input::source(source)?));
    }
    if let Some(id) = query.service_type_id {
        filter = filter.add(contact::Column::ServiceTypeId.eq(id));
    }
    if let Some(id) = query.team_id {
        filter = filter.add(contact::Column::TeamId.eq(id));
    }
    if let Some(id) = query.assignee_id {
        filter = filter.add(contact::Column::AssigneeId.eq(id));
    }
    if let Some(from) = query.from.as_deref() {
        filter = filter.add(contact::Column::CreatedAt.gte(parse_time("from", from)?));
    }
    if let Some(to) = query.to.as_deref() {
        filter = filter.add(contact::Column::CreatedAt.lt(parse_time("to", to)?));
    }
    Ok(filter)
}

/// Contacts the caller may see (row-level security), filtered, sorted and paginated.
#[utoipa::path(
    get, path = "/api/contacts", tag = "contacts",
    params(ContactQuery),
    responses(
        (status = 200, body = ContactPage),
        (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn list_contacts(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiQuery(query): ApiQuery<ContactQuery>,
) -> ApiResult<Json<ContactPage>> {
    let filter = list_filter(&state, &caller, &query)?;
    let per_page = query.per_page.unwrap_or(20).clamp(1, 200);
    let page = query.page.unwrap_or(1).max(1);
    let select = contact::Entity::find().filter(filter);
    let total = select.clone().count(&state.db).await?;
    let select = match query.sort.as_deref().unwrap_or("newest") {
        "newest" => select.order_by_desc(contact::Column::Id),
        "oldest" => select.order_by_asc(contact::Column::Id),
        "code" => select.order_by_asc(contact::Column::Code),
        "status" => select
            .order_by_asc(contact::Column::Status)
            .order_by_desc(contact::Column::Id),
        _ => {
            return Err(ApiError::validation(
                "sort",
                "Cách sắp xếp phải là newest, oldest, code hoặc status",
            ));
        }
    };
    let rows = select
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(&state.db)
        .await?;
    Ok(Json(ContactPage {
        items: view::dtos(&state.db, &state.vault, &caller, rows).await?,
        total,
    }))
}

/// One contact, if the caller's scope includes it (`404` otherwise).
#[utoipa::path(
    get, path = "/api/contacts/{id}", tag = "contacts",
    params(("id" = i64, Path)),
    responses((status = 200, body = ContactDto), (status = 404, body = ApiErrorBody))
)]
pub async fn get_contact(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ContactDto>> {
    let row = view::find_visible(&state.db, &caller, id).await?;
    Ok(Json(
        view::dto(&state.db, &state.vault, &caller, row).await?,
    ))
}

/// Edit a contact's details. Only those who may see its personal data unmasked may
/// edit it (its Sale, its creator, customer care for care contacts, admins).
#[utoipa::path(
    put, path = "/api/contacts/{id}", tag = "contacts",
    params(("id" = i64, Path)),
    request_body = UpdateContactRequest,
    responses(
        (status = 200, body = ContactDto),
        (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn update_contact(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateContactRequest>,
) -> ApiResult<Json<ContactDto>> {
    let personal = input::personal(
        &body.full_name,
        &body.phone,
        body.email.as_deref(),
        body.note.as_deref(),
    )?;
    let source = input::source(&body.source)?;
    let now = state.clock.now();
    let vault = &state.vault;
    let tx = db::begin_write(&state.db).await?;
    let row = view::find_visible(&tx, &caller, id).await?;
    if !scope::reveals(&caller, &row) {
        return Err(ApiError::Forbidden);
    }
    let service_type = if row.service_type_id == body.service_type_id {
        row.service_type_id
    } else {
        input::service_type(&tx, body.service_type_id).await?.id
    };
    let key = vault
        .key_for(&tx, id)
        .await?
        .ok_or_else(|| ApiError::validation("full_name", "Khách hàng đã được ẩn danh hoá"))?;
    let before = snapshot(&row, &key, &vault.open(Some(&key), &row));
    let sealed = vault.seal(&key, &personal);
    let updated = contact::Entity::update(contact::ActiveModel {
        id: Set(id),
        full_name_enc: Set(sealed.full_name),
        phone_enc: Set(sealed.phone),
        email_enc: Set(sealed.email),
        note_enc: Set(sealed.note),
        phone_index: Set(vault.phone_index(&personal.phone)),
        service_type_id: Set(service_type),
        source: Set(source),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    vault.index_name(&tx, id, &personal.full_name).await?;
    caller
        .audit(
            &tx,
            now,
            "contacts.updated",
            Some(("contact", id.to_string())),
            Some(before),
            Some(snapshot(&updated, &key, &personal)),
        )
        .await?;
    let dto = view::dto(&tx, vault, &caller, updated).await?;
    tx.commit().await?;
    Ok(Json(dto))
}
