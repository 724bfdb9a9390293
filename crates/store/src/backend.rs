//! Choosing the backend from the URL, connection pools, migrations, and the per-backend copies
//! of the query code.

use crate::{ColumnInfo, ImportReport, Revision, StoreError};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use egovwatch_domain::change::Channels;
use egovwatch_domain::{EntityKind, Registry};
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

pub(crate) mod sqlite {
    pub type Conn = diesel::SqliteConnection;

    /// SQLite takes the write lock when the transaction starts, so two writers queue instead of
    /// failing half-way when both try to upgrade a read lock.
    fn write_tx<T>(
        c: &mut Conn,
        f: impl FnOnce(&mut Conn) -> Result<T, crate::StoreError>,
    ) -> Result<T, crate::StoreError> {
        c.immediate_transaction(f)
    }

    include!("queries.rs");
    include!("round_queries.rs");
}

pub(crate) mod postgres {
    use diesel::Connection;
    pub type Conn = diesel::PgConnection;

    fn write_tx<T>(
        c: &mut Conn,
        f: impl FnOnce(&mut Conn) -> Result<T, crate::StoreError>,
    ) -> Result<T, crate::StoreError> {
        c.transaction(f)
    }

    include!("queries.rs");
    include!("round_queries.rs");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The registry's store: a pool of connections to one database.
#[derive(Clone)]
pub enum Store {
    Sqlite(Pool<ConnectionManager<SqliteConnection>>),
    Postgres(Pool<ConnectionManager<PgConnection>>),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({:?})", self.backend())
    }
}

/// Runs `$body` with `$q` naming the backend's query module and `$c` its connection.
macro_rules! on_backend {
    ($store:expr, |$q:ident, $c:ident| $body:expr) => {
        match $store {
            Store::Sqlite(pool) => {
                let mut guard = pool.get()?;
                let $c = &mut *guard;
                use crate::backend::sqlite as $q;
                $body
            }
            Store::Postgres(pool) => {
                let mut guard = pool.get()?;
                let $c = &mut *guard;
                use crate::backend::postgres as $q;
                $body
            }
        }
    };
}

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, c: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        // WAL lets the web server read while an import writes; the busy timeout makes a second
        // writer wait for the first instead of failing at once.
        c.batch_execute(
            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Where a database URL points.
pub fn parse_url(url: &str) -> Result<(Backend, String), StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if path.is_empty() {
        return Err(StoreError::Url("is empty".into()));
    }
    if path.contains("://") {
        return Err(StoreError::Url(format!(
            "{url:?}: use a file path, sqlite:PATH, or postgres://user@host/db"
        )));
    }
    Ok((Backend::Sqlite, path.to_string()))
}

impl Store {
    /// Opens the database at `url`, creating an SQLite file if there is none, and runs the
    /// migrations it lacks.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens without migrating (for `egovwatch migrate`, which reports what it runs).
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        match parse_url(url)? {
            (Backend::Postgres, url) => {
                let pool = Pool::builder()
                    .max_size(8)
                    .min_idle(Some(1))
                    .connection_timeout(Duration::from_secs(10))
                    .build(ConnectionManager::<PgConnection>::new(url))
                    .map_err(|e| StoreError::Connect(e.to_string()))?;
                Ok(Store::Postgres(pool))
            }
            (Backend::Sqlite, path) => {
                let in_memory = path == ":memory:";
                if !in_memory
                    && let Some(dir) = std::path::Path::new(&path).parent()
                    && !dir.as_os_str().is_empty()
                    && !dir.is_dir()
                {
                    return Err(StoreError::Connect(format!(
                        "{path}: folder {} does not exist",
                        dir.display()
                    )));
                }
                // An in-memory database lives in its one connection.
                let size = if in_memory { 1 } else { 4 };
                let pool = Pool::builder()
                    .max_size(size)
                    .min_idle(Some(1))
                    .connection_timeout(Duration::from_secs(30))
                    .connection_customizer(Box::new(SqlitePragmas))
                    .build(ConnectionManager::<SqliteConnection>::new(path))
                    .map_err(|e| StoreError::Connect(e.to_string()))?;
                Ok(Store::Sqlite(pool))
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs pending migrations; returns the versions it ran.
    pub fn migrate(&self) -> Result<Vec<String>, StoreError> {
        let done = match self {
            Store::Sqlite(pool) => pool
                .get()?
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect()),
            Store::Postgres(pool) => pool
                .get()?
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect()),
        };
        done.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// Empties the database: reverts every migration, then runs them again. Used by `demo`,
    /// which recreates its database on each run.
    pub fn reset(&self) -> Result<(), StoreError> {
        let reverted = match self {
            Store::Sqlite(pool) => pool
                .get()?
                .revert_all_migrations(SQLITE_MIGRATIONS)
                .map(|_| ()),
            Store::Postgres(pool) => pool
                .get()?
                .revert_all_migrations(POSTGRES_MIGRATIONS)
                .map(|_| ()),
        };
        reverted.map_err(|e| StoreError::Migration(e.to_string()))?;
        self.migrate().map(|_| ())
    }

    /// The whole current registry, in canonical order.
    pub fn registry(&self) -> Result<Registry, StoreError> {
        on_backend!(self, |q, c| q::load_registry(c).map(|(r, _)| r))
    }

    /// Upserts `incoming` by code in one transaction; see [`crate::ImportReport`].
    pub fn import(
        &self,
        incoming: &Registry,
        meta: &crate::ChangeMeta,
    ) -> Result<ImportReport, StoreError> {
        self.import_with(incoming, Channels::Given, meta)
    }

    /// [`Store::import`] of records that may leave out their services' channels
    /// ([`Channels::Kept`]: stored services keep theirs).
    pub fn import_with(
        &self,
        incoming: &Registry,
        channels: Channels,
        meta: &crate::ChangeMeta,
    ) -> Result<ImportReport, StoreError> {
        let now = now();
        on_backend!(self, |q, c| q::import(
            c, incoming, channels, meta, None, &now
        ))
    }

    /// Like [`Store::import`], for an edit made on records read earlier: every record named in
    /// `expected` must still be at that version (0: not yet stored), or nothing is written and
    /// the result is [`StoreError::Conflict`]. This is how two editors of the same record are
    /// kept from overwriting each other.
    pub fn import_expecting(
        &self,
        incoming: &Registry,
        meta: &crate::ChangeMeta,
        expected: &crate::Versions,
    ) -> Result<ImportReport, StoreError> {
        let now = now();
        on_backend!(self, |q, c| q::import(
            c,
            incoming,
            Channels::Given,
            meta,
            Some(expected),
            &now
        ))
    }

    /// The registry together with the version of each record, for an edit that will be saved
    /// with [`Store::import_expecting`].
    pub fn registry_with_versions(&self) -> Result<(Registry, crate::Versions), StoreError> {
        on_backend!(self, |q, c| q::load_registry(c))
    }

    /// Every saved state of one record, oldest first.
    pub fn history(&self, kind: EntityKind, code: &str) -> Result<Vec<Revision>, StoreError> {
        on_backend!(self, |q, c| q::history(c, kind, code))
    }

    /// Every column of the registry's tables with its nullability, sorted.
    pub fn columns(&self) -> Result<Vec<ColumnInfo>, StoreError> {
        #[derive(QueryableByName)]
        struct Col {
            #[diesel(sql_type = diesel::sql_types::Text)]
            table_name: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            column_name: String,
            #[diesel(sql_type = diesel::sql_types::Bool)]
            nullable: bool,
        }
        let rows: Vec<Col> = match self {
            Store::Sqlite(pool) => diesel::sql_query(
                "SELECT m.name AS table_name, p.name AS column_name, (p.\"notnull\" = 0) AS nullable \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                 AND m.name <> '__diesel_schema_migrations'",
            )
            .load(&mut *pool.get()?)?,
            Store::Postgres(pool) => diesel::sql_query(
                "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                 (is_nullable = 'YES') AS nullable FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations'",
            )
            .load(&mut *pool.get()?)?,
        };
        let mut out: Vec<ColumnInfo> = rows
            .into_iter()
            .map(|r| ColumnInfo {
                table: r.table_name,
                column: r.column_name,
                nullable: r.nullable,
            })
            .collect();
        out.sort();
        Ok(out)
    }

    /// Every index created by the migrations (primary keys aside) as (table, index, columns).
    pub fn indexes(&self) -> Result<Vec<(String, String, Vec<String>)>, StoreError> {
        #[derive(QueryableByName)]
        struct Idx {
            #[diesel(sql_type = diesel::sql_types::Text)]
            table_name: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            index_name: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            columns: String,
        }
        let rows: Vec<Idx> = match self {
            Store::Sqlite(pool) => diesel::sql_query(
                "SELECT m.name AS table_name, il.name AS index_name, \
                 group_concat(ii.name, ',') AS columns \
                 FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii \
                 WHERE m.type = 'table' AND il.origin = 'c' \
                 GROUP BY m.name, il.name",
            )
            .load(&mut *pool.get()?)?,
            Store::Postgres(pool) => diesel::sql_query(
                "SELECT t.relname::text AS table_name, i.relname::text AS index_name, \
                 string_agg(a.attname::text, ',' ORDER BY k.ord) AS columns \
                 FROM pg_index x \
                 JOIN pg_class i ON i.oid = x.indexrelid \
                 JOIN pg_class t ON t.oid = x.indrelid \
                 JOIN pg_namespace n ON n.oid = t.relnamespace \
                 CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 WHERE n.nspname = current_schema() AND NOT x.indisprimary \
                 GROUP BY t.relname, i.relname",
            )
            .load(&mut *pool.get()?)?,
        };
        let mut out: Vec<(String, String, Vec<String>)> = rows
            .into_iter()
            .map(|r| {
                let cols = r.columns.split(',').map(str::to_string).collect();
                (r.table_name, r.index_name, cols)
            })
            .collect();
        out.sort();
        Ok(out)
    }
}

impl Store {
    pub fn create_round(
        &self,
        round: &egovwatch_domain::monitoring::Round,
    ) -> Result<(), StoreError> {
        on_backend!(self, |q, c| q::rounds_q::create(c, round))
    }

    /// Every round, oldest period first.
    pub fn rounds(&self) -> Result<Vec<egovwatch_domain::monitoring::Round>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::list(c))
    }

    pub fn round(
        &self,
        code: &str,
    ) -> Result<Option<egovwatch_domain::monitoring::Round>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::get(c, code))
    }

    /// Moves a round along open -> closed -> published (or back from closed to open).
    pub fn set_round_state(
        &self,
        code: &str,
        to: egovwatch_domain::monitoring::RoundState,
    ) -> Result<egovwatch_domain::monitoring::Round, StoreError> {
        self.set_round_state_at(code, to, &now())
    }

    /// Like [`Store::set_round_state`] with the time of the change given (imports of rounds
    /// closed and published in the past keep their dates).
    pub fn set_round_state_at(
        &self,
        code: &str,
        to: egovwatch_domain::monitoring::RoundState,
        at: &str,
    ) -> Result<egovwatch_domain::monitoring::Round, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::set_state(c, code, to, at))
    }

    /// Appends answers to a round, all or nothing; see `rounds_q::add_assessments`.
    pub fn add_assessments(
        &self,
        code: &str,
        items: &[egovwatch_domain::monitoring::Assessment],
        correction: Option<(&str, &str)>,
    ) -> Result<i32, StoreError> {
        let now = now();
        on_backend!(self, |q, c| q::rounds_q::add_assessments(
            c, code, items, correction, &now
        ))
    }

    /// A round's answers in the order they were given.
    pub fn assessments(
        &self,
        code: &str,
    ) -> Result<Vec<egovwatch_domain::monitoring::Assessment>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::assessments(c, code))
    }

    /// One service's answers in a round, in the order they were given.
    pub fn assessments_of(
        &self,
        round: &str,
        service: &str,
    ) -> Result<Vec<egovwatch_domain::monitoring::Assessment>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::assessments_of(c, round, service))
    }

    /// A value that changes whenever anything readers see changes (registry, rounds, answers):
    /// caches compare it to know when to reload.
    pub fn data_version(&self) -> Result<[i64; 4], StoreError> {
        on_backend!(self, |q, c| q::rounds_q::data_version(c))
    }

    /// Corrections of a published round: (revision, author, reason, time).
    pub fn round_revisions(
        &self,
        code: &str,
    ) -> Result<Vec<(i32, String, String, String)>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::revisions(c, code))
    }
}

/// Now, as RFC 3339 UTC to the second: sortable text on both backends.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
