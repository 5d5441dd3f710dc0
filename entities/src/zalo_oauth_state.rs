use sea_orm::entity::prelude::*;

/// One admin's OAuth attempt: the hashed `state` and the sealed PKCE verifier, kept
/// until the callback or expiry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "zalo_oauth_states")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub state_hash: String,
    #[sea_orm(column_type = "Text")]
    pub code_verifier_sealed: String,
    pub user_id: i64,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
