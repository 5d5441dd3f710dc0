//! `ankhang seed-demo`: a small, realistic firm to try the product with. Idempotent:
//! what already exists is left alone.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entities::{coupon, coupon_assignee, product, role, service_type, team, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder,
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
    domain::{FullName, Username, today_in_vietnam},
    error::ApiError,
    http::client_meta::ClientMeta,
    keys::Keys,
    products::SELLING,
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
    pub products: usize,
    pub coupons: usize,
}

/// (code, name, workflow type, base price) — the SRS's examples.
const PRODUCTS: &[(&str, &str, &str, i64)] = &[
    ("TLDN-7", "TLDN Gói Nâng Cao", "Thành lập DN", 4_500_000),
    ("TLDN-5", "Gói VIP 2026", "Thành lập DN", 9_900_000),
    ("DVK-25", "Dịch vụ khác", "Khác", 1_000_000),
    ("KTDN", "Kế toán lẻ", "Kế toán", 2_000_000),
];

/// The demo coupon, assigned to every demo Sale.
const COUPON: &str = "SALE2026";

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

    seed_catalogue(&tx, &mut seeded, now).await?;

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

/// The SRS's example products and a 10% coupon for the demo Sales, valid to the end
/// of next year.
async fn seed_catalogue(
    tx: &DatabaseTransaction,
    seeded: &mut Seeded,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    for (code, name, workflow, price) in PRODUCTS {
        let exists = product::Entity::find()
            .filter(product::Column::Code.eq(*code))
            .one(tx)
            .await?
            .is_some();
        if exists {
            continue;
        }
        product::ActiveModel {
            code: Set((*code).to_owned()),
            name: Set((*name).to_owned()),
            description: Set(None),
            base_price: Set(*price),
            min_price: Set(Some(price * 9 / 10)),
            workflow_type: Set(Some((*workflow).to_owned())),
            status: Set(SELLING.to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        seeded.products += 1;
    }
    let existing = coupon::Entity::find()
        .filter(coupon::Column::Code.eq(COUPON))
        .one(tx)
        .await?;
    let coupon_id = match existing {
        Some(c) => c.id,
        None => {
            let last_day = NaiveDate::from_ymd_opt(today_in_vietnam(now).year() + 1, 12, 31)
                .ok_or_else(|| anyhow::anyhow!("ngày hết hạn mã mẫu"))?;
            seeded.coupons += 1;
            coupon::ActiveModel {
                code: Set(COUPON.to_owned()),
                description: Set(Some("Giảm 10% cho khách hàng mới (dữ liệu mẫu)".into())),
                kind: Set("percent".into()),
                value: Set(10),
                expires_on: Set(last_day),
                max_uses: Set(None),
                used_count: Set(0),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(tx)
            .await?
            .id
        }
    };
    let sales = user::Entity::find()
        .filter(user::Column::Username.starts_with("sale"))
        .all(tx)
        .await?;
    // Sales added by a later run get the coupon too.
    if !sales.is_empty() {
        coupon_assignee::Entity::insert_many(sales.iter().map(|u| coupon_assignee::ActiveModel {
            coupon_id: Set(coupon_id),
            user_id: Set(u.id),
        }))
        .on_conflict_do_nothing()
        .exec_without_returning(tx)
        .await?;
    }
    Ok(())
}

fn describe(err: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{err}")
}
