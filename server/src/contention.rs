//! Database errors that mean "another transaction was in the way", not "something is
//! broken": the same request run again would succeed. MySQL/MariaDB report deadlocks
//! (1213) and lock wait timeouts (1205); PostgreSQL serialization failures and
//! deadlocks (SQLSTATE 40001, 40P01). Callers answer them as a conflict (409), never
//! as an internal error.

use sea_orm::{DbErr, RuntimeErr, sqlx};

/// MySQL's error numbers for a deadlock victim and a lock wait that timed out.
const MYSQL_DEADLOCK: u16 = 1213;
const MYSQL_LOCK_WAIT_TIMEOUT: u16 = 1205;

pub fn is_contention(err: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    let sqlx::Error::Database(e) = e.as_ref() else {
        return false;
    };
    if let Some(mysql) = e.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return matches!(mysql.number(), MYSQL_DEADLOCK | MYSQL_LOCK_WAIT_TIMEOUT);
    }
    matches!(e.code().as_deref(), Some("40001" | "40P01"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_errors_are_not_contention() {
        assert!(!is_contention(&DbErr::RecordNotFound("x".into())));
        assert!(!is_contention(&DbErr::Custom("deadlock".into())));
    }
}
