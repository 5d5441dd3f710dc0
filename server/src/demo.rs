//! `ankhang seed-demo`: a small, realistic firm to try the product with. Idempotent:
//! what already exists is left alone.

use chrono::Utc;
use entities::{role, service_type, team, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::{
    audit::AuditEntry,
    auth::password,
    contacts::{
        input,
        routes::{NewContact, insert},
        vault::{Personal, Vault},
    },
    db,
    domain::{FullName, Username},
    error::ApiError,
    http::client_meta::ClientMeta,
    keys::Keys,
    users::service::{self, NewUser, Profile},
};

pub const DEMO_PASSWORD: &str = "Demo@12345";

const TEAMS: &[(&str, &str)] = &[
    ("Nhóm Hà Nội", "Miền Bắc"),
    ("Nhóm Hồ Chí Minh", "Miền Nam"),
];

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
];
const MIDDLE: &[&str] = &["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu"];
const GIVEN: &[&str] = &[
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Nam", "Phúc", "Quỳnh", "Sơn",
];

#[derive(Debug, Default)]
pub struct Seeded {
    pub teams: usize,
    pub users: usize,
    pub contacts: usize,
}

fn demo_name(i: usize) -> String {
    format!(
        "{} {} {}",
        FAMILY[i % FAMILY.len()],
        MIDDLE[(i / 3) % MIDDLE.len()],
        GIVEN[(i * 7) % GIVEN.len()]
    )
}

pub async fn seed(
    database: &DatabaseConnection,
    keys: &Keys,
    sales: usize,
) -> anyhow::Result<Seeded> {
    let mut seeded = Seeded::default();
    let now = Utc::now();
    let meta = ClientMeta {
        ip: None,
        user_agent: Some("ankhang-seed-demo".into()),
    };
    let hash = password::hash_blocking(DEMO_PASSWORD.to_owned()).await?;
    let tx = db::begin_write(database).await?;

    let mut team_ids = Vec::new();
    for (name, region) in TEAMS {
        let existing = team::Entity::find()
            .filter(team::Column::Name.eq(*name))
            .one(&tx)
            .await?;
        let id = match existing {
            Some(t) => t.id,
            None => {
                seeded.teams += 1;
                team::ActiveModel {
                    name: Set((*name).to_owned()),
                    region: Set(Some((*region).to_owned())),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await?
                .id
            }
        };
        team_ids.push(id);
    }

    let role_id = |name: &'static str| {
        let tx = &tx;
        async move {
            role::Entity::find()
                .filter(role::Column::Name.eq(name))
                .one(tx)
                .await?
                .map(|r| r.id)
                .ok_or_else(|| anyhow::anyhow!("vai trò {name} chưa có: chạy `ankhang migrate`"))
        }
    };
    let mut people = vec![
        (
            "tongdai01".to_owned(),
            "Đinh Thị Tổng Đài".to_owned(),
            role_id("Tổng Đài").await?,
            None,
        ),
        (
            "cskh01".to_owned(),
            "Lâm Thu Chăm Sóc".to_owned(),
            role_id("CSKH").await?,
            None,
        ),
    ];
    let sale_role = role_id("Sale").await?;
    for i in 1..=sales {
        let team = team_ids.get(i % team_ids.len().max(1)).copied();
        people.push((format!("sale{i:02}"), demo_name(i + 40), sale_role, team));
    }
    for (username, full_name, role, team_id) in people {
        let exists = user::Entity::find()
            .filter(user::Column::Username.eq(&username))
            .one(&tx)
            .await?
            .is_some();
        if exists {
            continue;
        }
        service::create(
            &tx,
            NewUser {
                username: Username::parse("username", &username).map_err(describe)?,
                full_name: FullName::parse("full_name", &full_name).map_err(describe)?,
                email: None,
                profile: Profile {
                    team_id,
                    ..Profile::default()
                },
                password_hash: hash.clone(),
                role_ids: vec![role],
            },
            now,
            None,
            &meta,
        )
        .await
        .map_err(describe)?;
        seeded.users += 1;
    }

    let operator = user::Entity::find()
        .filter(user::Column::Username.eq("tongdai01"))
        .one(&tx)
        .await?
        .ok_or_else(|| anyhow::anyhow!("tongdai01 missing"))?;
    let kinds = service_type::Entity::find()
        .filter(service_type::Column::Active.eq(true))
        .order_by_asc(service_type::Column::SortOrder)
        .all(&tx)
        .await?;
    let vault = Vault::new(keys);
    for i in 0..12usize {
        let Some(kind) = kinds.get(i % kinds.len().max(1)) else {
            break;
        };
        let phone = format!("09{:08}", 12_345_000 + i);
        let personal = Personal {
            full_name: demo_name(i),
            phone,
            email: None,
            note: Some("Khách hàng mẫu (seed-demo)".into()),
        };
        let source =
            input::source(api_types::SOURCES[i % api_types::SOURCES.len()].0).map_err(describe)?;
        let created = insert(
            &tx,
            &vault,
            NewContact {
                personal,
                service_type_id: kind.id,
                source,
                allow_duplicate: false,
            },
            operator.id,
            now,
            AuditEntry {
                actor: None,
                action: "contacts.created",
                target: None,
                before: None,
                after: None,
                meta: &meta,
            },
        )
        .await;
        match created {
            // No server runs in this process: running ones see it after a restart.
            Ok(_) => seeded.contacts += 1,
            // Already seeded on an earlier run.
            Err(ApiError::DuplicatePhone { .. }) => {}
            Err(other) => return Err(describe(other)),
        }
    }
    tx.commit().await?;
    Ok(seeded)
}

fn describe(err: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{err}")
}
