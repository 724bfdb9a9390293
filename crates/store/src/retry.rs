//! What happens to a writer that loses a race with another writer.
//!
//! Writers of one kind queue: on PostgreSQL behind a lock (an advisory lock for registry
//! imports, the round's row `FOR UPDATE` for round changes and answers), on SQLite behind the
//! database's write lock (`BEGIN IMMEDIATE` with a busy timeout). Whatever still loses a race
//! (PostgreSQL serialization failure, deadlock or a unique key taken meanwhile; SQLite busy
//! after the timeout) is retried as a whole transaction, which re-reads and re-plans against
//! what is stored, a bounded number of times with growing pauses. A writer that still cannot
//! get through gets [`StoreError::Conflict`], never the database's own error text.

use crate::StoreError;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use egovwatch_domain::Conflict;
use std::time::Duration;

/// Attempts of one write transaction before giving up with a conflict.
pub const ATTEMPTS: u32 = 10;

/// Whether `e` says the transaction lost a race and may succeed when run again.
pub fn is_transient(e: &StoreError) -> bool {
    match e {
        StoreError::Db(DieselError::DatabaseError(kind, info)) => match kind {
            DatabaseErrorKind::SerializationFailure | DatabaseErrorKind::UniqueViolation => true,
            DatabaseErrorKind::Unknown => {
                let m = info.message();
                // PostgreSQL 40P01, SQLite SQLITE_BUSY and SQLITE_LOCKED.
                m.contains("deadlock detected")
                    || m.contains("database is locked")
                    || m.contains("database table is locked")
                    || m.contains("database is busy")
            }
            _ => false,
        },
        _ => false,
    }
}

/// The pause before attempt `n + 1` (n counts from 0): 25 ms doubling up to 2 s, with a jitter
/// so writers that collided do not collide again.
fn pause(n: u32) -> Duration {
    let base = 25u64.saturating_mul(1u64 << n.min(7)).min(2000);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    Duration::from_millis(base + nanos % (base / 2 + 1))
}

/// Runs `attempt` until it succeeds, fails for a reason other than a lost race, or has lost
/// [`ATTEMPTS`] times.
pub fn run<T>(attempt: impl FnMut() -> Result<T, StoreError>) -> Result<T, StoreError> {
    run_n(ATTEMPTS, attempt)
}

fn run_n<T>(
    attempts: u32,
    mut attempt: impl FnMut() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut n = 0;
    loop {
        match attempt() {
            Err(e) if is_transient(&e) => {
                n += 1;
                if n >= attempts {
                    return Err(StoreError::Conflict(Conflict::Busy { attempts }));
                }
                std::thread::sleep(pause(n - 1));
            }
            done => return done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_error(kind: DatabaseErrorKind, message: &str) -> StoreError {
        StoreError::Db(DieselError::DatabaseError(
            kind,
            Box::new(message.to_string()),
        ))
    }

    #[test]
    fn lost_races_are_retried_until_they_pass() {
        let mut calls = 0;
        let out = run(|| {
            calls += 1;
            if calls < 3 {
                Err(db_error(DatabaseErrorKind::Unknown, "database is locked"))
            } else {
                Ok(calls)
            }
        });
        assert_eq!(out.ok(), Some(3));
    }

    #[test]
    fn other_errors_are_not_retried() {
        let mut calls = 0;
        let out: Result<(), _> = run(|| {
            calls += 1;
            Err(StoreError::Refused("no".into()))
        });
        assert!(matches!(out, Err(StoreError::Refused(_))));
        assert_eq!(calls, 1);
    }

    #[test]
    fn a_writer_that_keeps_losing_gets_a_conflict_without_the_database_text() {
        let out: Result<(), _> = run_n(3, || {
            Err(db_error(
                DatabaseErrorKind::UniqueViolation,
                "duplicate key value violates unique constraint \"rounds_pkey\"",
            ))
        });
        let text = out.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(text.starts_with("conflict: other writers"), "{text}");
        assert!(!text.contains("duplicate key"), "{text}");
    }

    #[test]
    fn pauses_grow_and_stay_bounded() {
        assert!(pause(0) >= Duration::from_millis(25));
        assert!(pause(30) <= Duration::from_millis(3001));
    }
}
