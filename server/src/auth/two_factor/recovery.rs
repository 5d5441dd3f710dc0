//! Single-use recovery codes: ten at a time, shown once, stored as SHA-256 digests.
//! Each code carries ~79 random bits, so a plain digest resists guessing from a leaked
//! database as well as a slow hash would, and unlike a keyed one it survives a
//! master-key rotation.

use api_types::RECOVERY_CODE_COUNT;
use chrono::{DateTime, Utc};
use entities::two_factor_recovery_code as code;
use rand::Rng;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
};

use crate::auth::token;

/// No 0/o, 1/l/i: codes get read off paper and typed in.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const GROUPS: usize = 4;
const GROUP_LEN: usize = 4;

fn generate_one() -> String {
    let mut rng = rand::rng();
    (0..GROUPS)
        .map(|_| {
            (0..GROUP_LEN)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Lower case without separators, so "ABCD-EFGH …" and "abcdefgh…" are the same code.
pub fn normalise(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Could this be a recovery code (as opposed to a 6-digit TOTP code)?
pub fn looks_like_one(normalised: &str) -> bool {
    normalised.len() == GROUPS * GROUP_LEN && normalised.bytes().all(|b| ALPHABET.contains(&b))
}

/// Replaces the user's codes with fresh ones and returns them (the only plain copy).
pub async fn replace(
    conn: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
    remove_all(conn, user_id).await?;
    let codes: Vec<String> = (0..RECOVERY_CODE_COUNT).map(|_| generate_one()).collect();
    code::Entity::insert_many(codes.iter().map(|plain| code::ActiveModel {
        user_id: Set(user_id),
        code_hash: Set(token::digest(&normalise(plain))),
        created_at: Set(now),
        ..Default::default()
    }))
    .exec(conn)
    .await?;
    Ok(codes)
}

pub async fn remove_all(conn: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    code::Entity::delete_many()
        .filter(code::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Marks the code used if it is the user's and unused. One conditional update, so two
/// simultaneous sign-ins cannot both spend the same code.
pub async fn consume(
    conn: &impl ConnectionTrait,
    user_id: i64,
    normalised: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let spent = code::Entity::update_many()
        .col_expr(code::Column::UsedAt, now.into())
        .filter(code::Column::UserId.eq(user_id))
        .filter(code::Column::CodeHash.eq(token::digest(normalised)))
        .filter(code::Column::UsedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected;
    Ok(spent == 1)
}

pub async fn remaining(conn: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    code::Entity::find()
        .filter(code::Column::UserId.eq(user_id))
        .filter(code::Column::UsedAt.is_null())
        .count(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_distinct_and_recognised_however_typed() {
        let a = generate_one();
        assert_eq!(a.len(), 19);
        assert_ne!(a, generate_one());
        assert!(looks_like_one(&normalise(&a)));
        assert_eq!(
            normalise(&a.to_uppercase().replace('-', " ")),
            normalise(&a)
        );
        assert!(!looks_like_one(&normalise("123456")));
    }
}
