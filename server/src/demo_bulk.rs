//! `ankhang seed-demo --contacts N --deals M`: a year of realistic volume for the
//! dashboard benchmark. Contacts are spread over the last 365 days (in order, so their
//! yearly codes follow their dates), sealed and indexed like real ones; a share is
//! picked by the demo Sales (daily pick counts included), some fail into customer care,
//! and M of the picked ones are closed with one or two products. No audit entries or
//! events: this is a bulk load, not activity.

use std::collections::HashMap;

use api_types::price;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use entities::{
    contact, contact_name_token, daily_pick, deal, deal_line, deal_payment, product, role,
    service_type, user, user_role,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use crate::{
    codes::{self, Series},
    contacts::{
        pick::business_day,
        status::Status,
        vault::{Personal, Vault},
    },
    crypto::envelope::DataKey,
    db,
    keys::Keys,
};

/// Contacts per write transaction: big enough to be quick, small enough that other
/// writers (a running server) are not held up for long.
const BATCH: usize = 1_000;
const SOURCES: [&str; 7] = [
    "ladi_zalo",
    "ladi_hotline",
    "fb_mess",
    "fb_hotline",
    "google",
    "referral",
    "other",
];
const FAMILY: [&str; 10] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Minh", "Ngọc", "Quốc", "Thu"];
const GIVEN: [&str; 12] = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Nam", "Phúc", "Quỳnh", "Sơn",
];

#[derive(Debug, Default)]
pub struct Loaded {
    pub contacts: usize,
    pub deals: usize,
}

/// A small deterministic generator: the same volume looks the same on every run.
pub(crate) struct Dice(pub(crate) u64);

impl Dice {
    pub(crate) fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What happens to one generated contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Waiting,
    Consulting,
    Won,
    Failed,
    CareL1,
    CareL2,
    Closed,
}

impl Fate {
    fn status(self) -> Status {
        match self {
            Self::Waiting => Status::New,
            Self::Consulting => Status::Consulting,
            Self::Won => Status::Won,
            Self::Failed => Status::Failed,
            Self::CareL1 => Status::CareL1,
            Self::CareL2 => Status::CareL2,
            Self::Closed => Status::Closed,
        }
    }
}

/// Won for `deals` of the contacts (evenly spread), the rest by a fixed mix.
fn fate(i: usize, contacts: usize, deals: usize, dice: &mut Dice) -> Fate {
    if deals > 0 && (i * deals / contacts.max(1)) != ((i + 1) * deals / contacts.max(1)) {
        return Fate::Won;
    }
    match dice.below(100) {
        0..15 => Fate::Waiting,
        15..55 => Fate::Consulting,
        55..75 => Fate::Failed,
        75..85 => Fate::CareL1,
        85..93 => Fate::CareL2,
        _ => Fate::Closed,
    }
}

pub async fn load(
    database: &DatabaseConnection,
    keys: &Keys,
    contacts: usize,
    deals: usize,
) -> anyhow::Result<Loaded> {
    let vault = Vault::new(keys);
    let now = Utc::now();
    let sales = demo_sales(database).await?;
    if sales.is_empty() {
        anyhow::bail!("chưa có nhân viên Sale nào: chạy `ankhang seed-demo` trước");
    }
    let kinds: Vec<i64> = service_type::Entity::find()
        .all(database)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let products: Vec<(i64, i64)> = product::Entity::find()
        .filter(product::Column::Status.eq("selling"))
        .all(database)
        .await?
        .into_iter()
        .map(|p| (p.id, p.base_price))
        .collect();
    if kinds.is_empty() || products.is_empty() {
        anyhow::bail!("chưa có loại dịch vụ hoặc sản phẩm: chạy `ankhang seed-demo` trước");
    }
    let deals = deals.min(contacts);
    let creator = sales[0].0;
    let start = now - Duration::days(365);
    let step = Duration::days(365).num_seconds() / contacts.max(1) as i64;
    let mut dice = Dice(0x5EED_2026 ^ contacts as u64);
    let mut picks: HashMap<(i64, String, i64), i32> = HashMap::new();
    let mut loaded = Loaded::default();
    let phone_base = 300_000_000 + (now.timestamp() % 100_000_000) as u64;

    for first in (0..contacts).step_by(BATCH) {
        let tx = db::begin_write(database).await?;
        let mut key_rows = Vec::with_capacity(BATCH);
        let mut token_rows = Vec::new();
        for i in first..(first + BATCH).min(contacts) {
            let created_at = start + Duration::seconds(step * i as i64 + (dice.below(600) as i64));
            let fate = fate(i, contacts, deals, &mut dice);
            let personal = Personal {
                full_name: format!(
                    "{} {} {}",
                    FAMILY[dice.below(FAMILY.len())],
                    MIDDLE[dice.below(MIDDLE.len())],
                    GIVEN[dice.below(GIVEN.len())]
                ),
                phone: format!("09{:08}", (phone_base + i as u64) % 100_000_000),
                email: None,
                note: None,
            };
            let key = DataKey::generate();
            let sealed = vault.seal(&key, &personal);
            let (assignee, team) = if fate == Fate::Waiting {
                (None, None)
            } else {
                let (id, team) = sales[dice.below(sales.len())];
                (Some(id), team)
            };
            let picked_at =
                assignee.map(|_| created_at + Duration::minutes(dice.below(120) as i64 + 1));
            let kind = kinds[dice.below(kinds.len())];
            let row = contact::ActiveModel {
                code: Set(codes::next_code(&tx, Series::Contact, created_at).await?),
                full_name_enc: Set(sealed.full_name),
                phone_enc: Set(sealed.phone),
                email_enc: Set(None),
                note_enc: Set(None),
                phone_index: Set(vault.phone_index(&personal.phone)),
                service_type_id: Set(kind),
                source: Set(SOURCES[dice.below(SOURCES.len())].to_owned()),
                team_id: Set(team),
                status: Set(fate.status().code().to_owned()),
                assignee_id: Set(assignee),
                created_by: Set(creator),
                created_at: Set(created_at),
                updated_at: Set(picked_at.unwrap_or(created_at)),
                picked_at: Set(picked_at),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            key_rows.push(vault.key_row(row.id, &key, created_at));
            token_rows.extend(
                vault
                    .name_tokens(&personal.full_name)
                    .into_iter()
                    .map(|token| contact_name_token::ActiveModel {
                        contact_id: Set(row.id),
                        token: Set(token),
                    }),
            );
            if let (Some(user), Some(at)) = (assignee, picked_at) {
                *picks.entry((user, business_day(at), kind)).or_default() += 1;
                if fate == Fate::Won {
                    let closed_on = Ord::min(
                        business_day_date(at + Duration::days(dice.below(7) as i64)),
                        business_day_date(now),
                    );
                    close(&tx, &row, user, closed_on, at, &products, &mut dice).await?;
                    loaded.deals += 1;
                }
            }
            loaded.contacts += 1;
        }
        contact_key_insert(&tx, key_rows).await?;
        for chunk in token_rows.chunks(300) {
            contact_name_token::Entity::insert_many(chunk.to_vec())
                .on_conflict_do_nothing()
                .exec_without_returning(&tx)
                .await?;
        }
        tx.commit().await?;
    }

    let tx = db::begin_write(database).await?;
    for ((user_id, day, kind), count) in picks {
        daily_pick::Entity::insert(daily_pick::ActiveModel {
            user_id: Set(user_id),
            day: Set(day),
            service_type_id: Set(kind),
            count: Set(count),
        })
        .on_conflict(
            OnConflict::columns([
                daily_pick::Column::UserId,
                daily_pick::Column::Day,
                daily_pick::Column::ServiceTypeId,
            ])
            .value(
                daily_pick::Column::Count,
                // Qualified: PostgreSQL's DO UPDATE also sees `excluded.count`.
                Expr::col((daily_pick::Entity, daily_pick::Column::Count)).add(count),
            )
            .to_owned(),
        )
        .exec_without_returning(&tx)
        .await?;
    }
    tx.commit().await?;
    Ok(loaded)
}

async fn contact_key_insert(
    tx: &sea_orm::DatabaseTransaction,
    rows: Vec<entities::contact_key::ActiveModel>,
) -> Result<(), sea_orm::DbErr> {
    for chunk in rows.chunks(200) {
        entities::contact_key::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(tx)
            .await?;
    }
    Ok(())
}

/// The contact's deal: one or two products at base price, paid in most cases.
async fn close(
    tx: &sea_orm::DatabaseTransaction,
    contact: &contact::Model,
    closer: i64,
    closed_on: NaiveDate,
    at: DateTime<Utc>,
    products: &[(i64, i64)],
    dice: &mut Dice,
) -> anyhow::Result<()> {
    let count = 1 + dice.below(2);
    let lines: Vec<(i64, i32, i64)> = (0..count)
        .map(|_| {
            let (id, base) = products[dice.below(products.len())];
            (id, 1 + dice.below(2) as i32, base)
        })
        .collect();
    let pricing = price(
        &lines.iter().map(|(_, q, p)| (*q, *p)).collect::<Vec<_>>(),
        None,
    )
    .ok_or_else(|| anyhow::anyhow!("giá mẫu vượt giới hạn"))?;
    let payment = match dice.below(10) {
        0..6 => "paid",
        6..8 => "partial",
        8 => "pending",
        _ => "refunded",
    };
    let created = deal::ActiveModel {
        code: Set(codes::next_code(tx, Series::Deal, at).await?),
        contact_id: Set(contact.id),
        closer_id: Set(closer),
        team_id: Set(contact.team_id),
        coupon_id: Set(None),
        coupon_kind: Set(None),
        coupon_value: Set(None),
        subtotal: Set(pricing.subtotal),
        discount: Set(pricing.discount),
        total: Set(pricing.total),
        payment_status: Set(payment.to_owned()),
        closed_on: Set(closed_on),
        note_enc: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let rows = lines
        .iter()
        .zip(0..)
        .map(
            |((product_id, quantity, unit_price), position)| deal_line::ActiveModel {
                deal_id: Set(created.id),
                position: Set(position),
                product_id: Set(*product_id),
                quantity: Set(*quantity),
                unit_price: Set(*unit_price),
                line_total: Set(i64::from(*quantity) * unit_price),
                closed_at: Set(at),
                ..Default::default()
            },
        );
    deal_line::Entity::insert_many(rows)
        .exec_without_returning(tx)
        .await?;
    deal_payment::ActiveModel {
        deal_id: Set(created.id),
        from_status: Set(None),
        to_status: Set(payment.to_owned()),
        note_enc: Set(None),
        changed_by: Set(closer),
        changed_at: Set(at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

fn business_day_date(at: DateTime<Utc>) -> NaiveDate {
    crate::domain::today_in_vietnam(at)
}

/// The demo Sales (`sale01`…) with their teams.
async fn demo_sales(database: &DatabaseConnection) -> anyhow::Result<Vec<(i64, Option<i64>)>> {
    let Some(sale_role) = role::Entity::find()
        .filter(role::Column::Name.eq("Sale"))
        .one(database)
        .await?
    else {
        return Ok(Vec::new());
    };
    let holders: Vec<i64> = user_role::Entity::find()
        .filter(user_role::Column::RoleId.eq(sale_role.id))
        .all(database)
        .await?
        .into_iter()
        .map(|ur| ur.user_id)
        .collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(holders))
        .filter(user::Column::Username.starts_with("sale"))
        .filter(user::Column::Status.eq(user::STATUS_ACTIVE))
        .all(database)
        .await?
        .into_iter()
        .map(|u| (u.id, u.team_id))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requested_number_of_contacts_is_won() {
        let mut dice = Dice(7);
        let won = (0..1000)
            .filter(|i| fate(*i, 1000, 200, &mut dice) == Fate::Won)
            .count();
        assert_eq!(won, 200);
        let mut dice = Dice(7);
        assert!((0..10).all(|i| fate(i, 10, 0, &mut dice) != Fate::Won));
    }
}
