//! Choosing the backend from the URL, connection pools, migrations, and the per-backend copies
//! of the query code.

use crate::{ColumnInfo, DataChange, ImportReport, Revision, StoreError};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{
    ConnectionManager, CustomizeConnection, ManageConnection, Pool, PooledConnection,
    R2D2Connection,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use egovwatch_domain::change::Channels;
use egovwatch_domain::{EntityKind, Registry};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

pub(crate) mod sqlite {
    // `queries.rs` brings in diesel's prelude and the schema.
    use crate::round_rows::RoundRow;
    pub type Conn = diesel::SqliteConnection;

    /// SQLite takes the write lock when the transaction starts, so two writers queue instead of
    /// failing half-way when both try to upgrade a read lock; one still busy after the busy
    /// timeout is retried (`crate::retry`).
    fn write_tx<T>(
        c: &mut Conn,
        mut f: impl FnMut(&mut Conn) -> Result<T, crate::StoreError>,
    ) -> Result<T, crate::StoreError> {
        crate::retry::run(|| c.immediate_transaction(&mut f))
    }

    /// Registry writers queue on the database's write lock, which the transaction holds.
    fn lock_registry_writers(_c: &mut Conn) -> Result<(), crate::StoreError> {
        Ok(())
    }

    /// A round's row in a write transaction: the write lock is already held.
    fn round_row_for_update(c: &mut Conn, code: &str) -> QueryResult<Option<RoundRow>> {
        rounds::table
            .filter(rounds::code.eq(code))
            .select(RoundRow::as_select())
            .first(c)
            .optional()
    }

    include!("queries.rs");
    include!("round_queries.rs");
}

pub(crate) mod postgres {
    // `queries.rs` brings in diesel's prelude and the schema.
    use crate::round_rows::RoundRow;
    pub type Conn = diesel::PgConnection;

    /// The key of the advisory lock that registry writers queue on.
    const REGISTRY_WRITERS: i64 = 0x6567_7677_0001;
    /// The key of the advisory lock every write transaction takes first: writers commit one
    /// after another, so the `seq` of `changes` grows in the order of commits and a reader
    /// that has seen one `seq` has seen every smaller one (`changes_since`).
    const DATA_WRITERS: i64 = 0x6567_7677_0002;

    /// READ COMMITTED, writers taking turns (see the lock above and the two functions below);
    /// a transaction that still loses a race is retried (`crate::retry`).
    fn write_tx<T>(
        c: &mut Conn,
        mut f: impl FnMut(&mut Conn) -> Result<T, crate::StoreError>,
    ) -> Result<T, crate::StoreError> {
        crate::retry::run(|| {
            c.transaction(|c| {
                diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                    .bind::<diesel::sql_types::BigInt, _>(DATA_WRITERS)
                    .execute(c)?;
                f(c)
            })
        })
    }

    /// Registry writers take turns: the lock is held until the transaction ends, and the
    /// import then plans against everything committed before it.
    fn lock_registry_writers(c: &mut Conn) -> Result<(), crate::StoreError> {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(REGISTRY_WRITERS)
            .execute(c)?;
        Ok(())
    }

    /// A round's row, locked until the transaction ends: changes of state and new answers of
    /// one round take turns, and each sees the state the previous one left.
    fn round_row_for_update(c: &mut Conn, code: &str) -> QueryResult<Option<RoundRow>> {
        rounds::table
            .filter(rounds::code.eq(code))
            .select(RoundRow::as_select())
            .for_update()
            .first(c)
            .optional()
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
    Sqlite(Pooled<SqliteConnection>),
    Postgres(Pooled<PgConnection>),
}

/// One database's connections, and the turn of this process's writers: writers through one
/// `Store` wait for each other here, without holding a connection, so readers always find one
/// and a queue of writers never runs into the pool's timeout.
pub struct Pooled<C: R2D2Connection + Send + 'static> {
    pool: Pool<Manager<C>>,
    writers: Arc<Mutex<()>>,
}

impl<C: R2D2Connection + Send + 'static> Clone for Pooled<C> {
    fn clone(&self) -> Self {
        Pooled {
            pool: self.pool.clone(),
            writers: Arc::clone(&self.writers),
        }
    }
}

impl<C: R2D2Connection + Send + 'static> Pooled<C> {
    fn new(pool: Pool<Manager<C>>) -> Self {
        Pooled {
            pool,
            writers: Arc::new(Mutex::new(())),
        }
    }

    fn get(&self) -> Result<PooledConnection<Manager<C>>, StoreError> {
        Ok(self.pool.get()?)
    }

    /// Whether two connections can be held at once (not by an in-memory database).
    fn two_at_once(&self) -> bool {
        self.pool.max_size() > 1
    }

    /// This process's turn to write (a writer that panicked does not block the others).
    fn write_turn(&self) -> MutexGuard<'_, ()> {
        self.writers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// diesel's connection manager, with the database password masked in its errors (libpq quotes
/// parts of a URL it cannot parse).
#[derive(Debug)]
pub struct Manager<C> {
    inner: ConnectionManager<C>,
    secrets: crate::redact::Secrets,
}

impl<C: R2D2Connection + Send + 'static> ManageConnection for Manager<C> {
    type Connection = C;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<C, Self::Error> {
        self.inner.connect().map_err(|e| {
            diesel::r2d2::Error::ConnectionError(ConnectionError::BadConnection(
                self.secrets.apply(&e.to_string()),
            ))
        })
    }

    fn is_valid(&self, c: &mut C) -> Result<(), Self::Error> {
        self.inner.is_valid(c)
    }

    fn has_broken(&self, c: &mut C) -> bool {
        self.inner.has_broken(c)
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({:?})", self.backend())
    }
}

/// Runs `$body` with `$q` naming the backend's query module and `$c` its connection; with
/// `write`, first waits for this process's turn to write.
macro_rules! on_backend {
    (write $store:expr, |$q:ident, $c:ident| $body:expr) => {
        match $store {
            Store::Sqlite(db) => {
                let _turn = db.write_turn();
                let mut guard = db.get()?;
                let $c = &mut *guard;
                use crate::backend::sqlite as $q;
                $body
            }
            Store::Postgres(db) => {
                let _turn = db.write_turn();
                let mut guard = db.get()?;
                let $c = &mut *guard;
                use crate::backend::postgres as $q;
                $body
            }
        }
    };
    ($store:expr, |$q:ident, $c:ident| $body:expr) => {
        match $store {
            Store::Sqlite(db) => {
                let mut guard = db.get()?;
                let $c = &mut *guard;
                use crate::backend::sqlite as $q;
                $body
            }
            Store::Postgres(db) => {
                let mut guard = db.get()?;
                let $c = &mut *guard;
                use crate::backend::postgres as $q;
                $body
            }
        }
    };
}

#[derive(Debug)]
struct SqlitePragmas;

/// How long an SQLite statement waits for another process's write lock before it reports busy
/// (and its transaction is retried, see `crate::retry`).
const SQLITE_BUSY_TIMEOUT_MS: u32 = 30_000;

/// The key of the session lock PostgreSQL migrations take, so that two processes opening a
/// new database do not both create its tables.
const MIGRATIONS_LOCK: i64 = 0x6567_7677_0000;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, c: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        // The busy timeout comes first, so the other settings wait for a writer too. WAL lets
        // the web server read while an import writes; the busy timeout makes a second writer
        // wait for the first instead of failing at once (and `crate::retry` retries a writer
        // still busy after it).
        c.batch_execute(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};"))
            .map_err(diesel::r2d2::Error::QueryError)?;
        c.batch_execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
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
            "{:?}: use a file path, sqlite:PATH, or postgres://user@host/db",
            crate::redact::redact_url(url)
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
    /// No error names the password the URL carries.
    pub fn connect(url: &str) -> Result<Store, StoreError> {
        let secrets = crate::redact::Secrets::of(url);
        let connect_error =
            |e: &dyn std::fmt::Display| StoreError::Connect(secrets.apply(&e.to_string()));
        match parse_url(url)? {
            (Backend::Postgres, url) => {
                let manager = Manager {
                    inner: ConnectionManager::<PgConnection>::new(url),
                    secrets: secrets.clone(),
                };
                // One connection first, so a wrong URL or a server that is down is reported at
                // once rather than after the pool's timeout.
                drop(manager.connect().map_err(|e| connect_error(&e))?);
                let pool = Pool::builder()
                    .max_size(8)
                    .min_idle(Some(1))
                    .connection_timeout(Duration::from_secs(10))
                    .build(manager)
                    .map_err(|e| connect_error(&e))?;
                Ok(Store::Postgres(Pooled::new(pool)))
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
                    .build(Manager {
                        inner: ConnectionManager::<SqliteConnection>::new(path),
                        secrets: secrets.clone(),
                    })
                    .map_err(|e| connect_error(&e))?;
                Ok(Store::Sqlite(Pooled::new(pool)))
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs pending migrations; returns the versions it ran, or refuses a database a newer
    /// egovwatch migrated ([`StoreError::Newer`]). Processes opening a new database
    /// at the same time take turns (PostgreSQL: a session advisory lock; SQLite: its write lock,
    /// retried while busy). A database that is up to date is only read, so a read-only
    /// connection (a streaming replica of PostgreSQL, docs/deploy.md) opens.
    pub fn migrate(&self) -> Result<Vec<String>, StoreError> {
        fn names(v: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
            v.iter().map(|m| m.to_string()).collect()
        }
        match self {
            Store::Sqlite(db) => {
                let applied = diesel::sql_query(APPLIED).load(&mut *db.get()?);
                if up_to_date::<diesel::sqlite::Sqlite>(applied, &SQLITE_MIGRATIONS)? {
                    return Ok(Vec::new());
                }
                let _turn = db.write_turn();
                crate::retry::run(|| {
                    let mut c = db.get()?;
                    c.run_pending_migrations(SQLITE_MIGRATIONS)
                        .map(names)
                        .map_err(|e| migration_error(e.as_ref()))
                })
            }
            Store::Postgres(db) => {
                let applied = diesel::sql_query(APPLIED).load(&mut *db.get()?);
                if up_to_date::<diesel::pg::Pg>(applied, &POSTGRES_MIGRATIONS)? {
                    return Ok(Vec::new());
                }
                let _turn = db.write_turn();
                let mut c = db.get()?;
                let lock = |c: &mut PgConnection, sql: &str| {
                    diesel::sql_query(sql)
                        .bind::<diesel::sql_types::BigInt, _>(MIGRATIONS_LOCK)
                        .execute(c)
                };
                lock(&mut c, "SELECT pg_advisory_lock($1)")?;
                let done = c
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(names)
                    .map_err(|e| migration_error(e.as_ref()));
                lock(&mut c, "SELECT pg_advisory_unlock($1)")?;
                done
            }
        }
    }

    /// Empties the database: reverts every migration, then runs them again. Used by `demo`,
    /// which recreates its database on each run.
    pub fn reset(&self) -> Result<(), StoreError> {
        let reverted = match self {
            Store::Sqlite(db) => db
                .get()?
                .revert_all_migrations(SQLITE_MIGRATIONS)
                .map(|_| ()),
            Store::Postgres(db) => db
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

    /// Up to `limit` of the services `filter` leaves, after the service `after` in code order
    /// (from the first when none), with how many it leaves: indexed reads, for answering
    /// before (or without) reading the whole registry. What it names and the registry does
    /// not have is said (the filter's life event, then its organisation, then `after`).
    pub fn services_page(
        &self,
        filter: crate::ServiceFilter<'_>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Result<crate::ServicesPage, crate::Unknown>, StoreError> {
        on_backend!(self, |q, c| q::services_page(c, filter, after, limit))
    }

    /// Up to `limit` codes of the records of `kind` after the record `after` in code order
    /// (from the first when none), with how many the registry has; none when `after` is no
    /// record of the kind (or for channels). Indexed reads only.
    pub fn records_page(
        &self,
        kind: EntityKind,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Option<crate::RecordsPage>, StoreError> {
        on_backend!(self, |q, c| q::records_page(c, kind, after, limit))
    }

    /// Life events' services that are not withdrawn, as the site's journey lists them (every
    /// life event's, or `only`'s): how many, and the codes of those in the rows `window` gives
    /// for that count, in code order (indexed reads only; [`crate::JourneyEntry`]).
    pub fn journey(
        &self,
        only: Option<&str>,
        window: &dyn Fn(usize) -> std::ops::Range<usize>,
    ) -> Result<Vec<crate::JourneyEntry>, StoreError> {
        on_backend!(self, |q, c| q::journey(c, only, window))
    }

    /// The stored results of groups `groups` of grouping `grouping` (`life_event`,
    /// `organisation`) in each of `rounds`: (round, group, node, value) rows, through the
    /// results' primary key, whatever the number of rounds stored.
    pub fn group_results(
        &self,
        grouping: &str,
        groups: &[&str],
        rounds: &[&str],
    ) -> Result<Vec<crate::GroupResult>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::group_results(
            c, grouping, groups, rounds
        ))
    }

    /// The stored records `named` names (kind and code), services with their channels, in
    /// canonical order; codes of no stored record are left out. Indexed reads only.
    pub fn records_named(&self, named: &[(EntityKind, &str)]) -> Result<Registry, StoreError> {
        on_backend!(self, |q, c| q::records_named(c, named))
    }

    /// The records of `kinds` whose folded text holds every one of `terms`, or none when there
    /// are more than `most`: what a search for those words can find, read without reading the
    /// registry (one scan of each kind's folded text).
    pub fn records_holding(
        &self,
        terms: &[String],
        kinds: &[EntityKind],
        most: usize,
    ) -> Result<Option<Vec<(EntityKind, String)>>, StoreError> {
        on_backend!(self, |q, c| q::records_holding(c, terms, kinds, most))
    }

    /// How many services each of organisations `codes` is competent for (any of their
    /// organisations, withdrawn or not), in the order of `codes`. Through the relations' index.
    pub fn services_of_organisations(&self, codes: &[&str]) -> Result<Vec<usize>, StoreError> {
        on_backend!(self, |q, c| q::services_of_organisations(c, codes))
    }

    /// The codes of the datasets that supply any of evidence types `codes`. Through the
    /// relations' index.
    pub fn datasets_supplying(&self, codes: &[&str]) -> Result<Vec<String>, StoreError> {
        on_backend!(self, |q, c| q::datasets_supplying(c, codes))
    }

    /// The registry read on two connections at once: the services and their channels on one,
    /// the other records on the other, in about half the time of [`Store::registry`]. Each part is as
    /// committed when its read began, so a change committed in between may show in one part
    /// only: this is for readers that read the data version first and then re-read every record
    /// changed after it ([`Store::changes_since`]), as the site's snapshots do.
    pub fn registry_in_parallel(&self) -> Result<Registry, StoreError> {
        let two = match self {
            Store::Sqlite(db) => db.two_at_once(),
            Store::Postgres(db) => db.two_at_once(),
        };
        if !two {
            return self.registry();
        }
        let (services, others) = std::thread::scope(|scope| {
            let services = scope.spawn(|| on_backend!(self, |q, c| q::read_services(c, None)));
            let others = (|| on_backend!(self, |q, c| q::read_others(c, None)))();
            (services.join(), others)
        });
        let services =
            services.map_err(|_| StoreError::Corrupt("the services' reader panicked".into()))??;
        let mut reg = others?;
        reg.services = services;
        reg.sort();
        Ok(reg)
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
        on_backend!(write self, |q, c| q::import(
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
        on_backend!(write self, |q, c| q::import(
            c,
            incoming,
            Channels::Given,
            meta,
            Some(expected),
            &now
        ))
    }

    /// The stored services named `codes` with their channels, as a registry of those alone (in
    /// code order; codes of no stored service are left out): what a few answers of a round are
    /// checked against, read by key whatever the registry's size.
    pub fn services_named(&self, codes: &[&str]) -> Result<Registry, StoreError> {
        let named: Vec<(EntityKind, &str)> = codes
            .iter()
            .map(|code| (EntityKind::Service, *code))
            .collect();
        self.records_named(&named)
    }

    /// The part of the registry connected to the stored services `seeds`, with every life
    /// event (`egovwatch_domain::component::connected`'s part, found by indexed queries): what
    /// a round on those services is scored against and analysed on. In a registry of many
    /// countries, a country's records, whatever the others hold.
    pub fn connected(&self, seeds: &[&str]) -> Result<Registry, StoreError> {
        on_backend!(self, |q, c| q::connected(c, seeds))
    }

    /// [`Store::connected`] from records of any kind (life events, which join every part, are
    /// not followed), or none as soon as the part holds more than `most` services (a reader for
    /// whom a part that large is not worth reading apart from the whole).
    pub fn connected_within(
        &self,
        seeds: &[(EntityKind, &str)],
        most: usize,
    ) -> Result<Option<Registry>, StoreError> {
        on_backend!(self, |q, c| q::connected_within(c, seeds, most))
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
            Store::Sqlite(db) => diesel::sql_query(
                "SELECT m.name AS table_name, p.name AS column_name, (p.\"notnull\" = 0) AS nullable \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                 AND m.name <> '__diesel_schema_migrations'",
            )
            .load(&mut *db.get()?)?,
            Store::Postgres(db) => diesel::sql_query(
                "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                 (is_nullable = 'YES') AS nullable FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations'",
            )
            .load(&mut *db.get()?)?,
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
            Store::Sqlite(db) => diesel::sql_query(
                "SELECT m.name AS table_name, il.name AS index_name, \
                 group_concat(ii.name, ',') AS columns \
                 FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii \
                 WHERE m.type = 'table' AND il.origin = 'c' \
                 GROUP BY m.name, il.name",
            )
            .load(&mut *db.get()?)?,
            Store::Postgres(db) => diesel::sql_query(
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
            .load(&mut *db.get()?)?,
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
    /// Opens a round; its code must pass `egovwatch_domain::code::check_round_code`.
    pub fn create_round(
        &self,
        round: &egovwatch_domain::monitoring::Round,
    ) -> Result<(), StoreError> {
        self.create_round_with(round, &[])
    }

    /// Opens a round with its first answers (a prefill from an earlier round) in one
    /// transaction: either both are stored or neither.
    pub fn create_round_with(
        &self,
        round: &egovwatch_domain::monitoring::Round,
        answers: &[egovwatch_domain::monitoring::Assessment],
    ) -> Result<(), StoreError> {
        on_backend!(write self, |q, c| q::rounds_q::create(c, round, answers))
    }

    /// Registry records and whole rounds in one transaction; see `rounds_q::import_rounds`.
    pub fn import_rounds(
        &self,
        registry: &Registry,
        meta: &crate::ChangeMeta,
        rounds: &[(
            egovwatch_domain::monitoring::Round,
            Vec<egovwatch_domain::monitoring::Assessment>,
        )],
    ) -> Result<(ImportReport, Vec<bool>), StoreError> {
        let now = now();
        on_backend!(write self, |q, c| q::rounds_q::import_rounds(
            c, registry, meta, rounds, &now
        ))
    }

    /// Every round, oldest period first.
    pub fn rounds(&self) -> Result<Vec<egovwatch_domain::monitoring::Round>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::list(c))
    }

    /// The published rounds, oldest period first, each **without its scope** (`scope` left
    /// empty, not read): for readers that need the rounds' dates, frameworks and revisions
    /// only, as answers read from the store before the site's snapshot is.
    pub fn published_rounds_without_scope(
        &self,
    ) -> Result<Vec<egovwatch_domain::monitoring::Round>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::published_without_scope(c))
    }

    /// The rounds on `framework` whose scope names any of `services`, and those on it that
    /// cover every service, oldest period first (through an index: the other rounds' scopes
    /// are not read).
    pub fn rounds_naming(
        &self,
        framework: &str,
        services: &[&str],
    ) -> Result<Vec<egovwatch_domain::monitoring::Round>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::naming(c, framework, services))
    }

    /// Who the published rounds are about: their scopes' leading organisations and every
    /// organisation's parent, read by indexed queries without the scopes
    /// ([`crate::RoundLeads`]; `monitoring::Subjects::count_of_leads` counts them).
    pub fn published_rounds_leads(&self) -> Result<crate::RoundLeads, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::leads(c))
    }

    /// How many national units (services assessed) the stored results of each of `rounds`
    /// hold, in their order; 0 for one with none stored.
    pub fn national_units(&self, rounds: &[&str]) -> Result<Vec<usize>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::national_units(c, rounds))
    }

    /// How many services round `code`'s scope names (0 for a round about every service),
    /// counted through the scope's index.
    pub fn scope_size(&self, code: &str) -> Result<usize, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::scope_size(c, code))
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
        on_backend!(write self, |q, c| q::rounds_q::set_state(c, code, to, at, None))
    }

    /// Publishes a closed round with its results, computed by `compute` from the round and its
    /// answers under the round's lock and stored in the same transaction.
    pub fn publish_round(
        &self,
        code: &str,
        at: &str,
        compute: crate::Compute<'_>,
    ) -> Result<egovwatch_domain::monitoring::Round, StoreError> {
        use egovwatch_domain::monitoring::RoundState;
        on_backend!(write self, |q, c| q::rounds_q::set_state(
            c,
            code,
            RoundState::Published,
            at,
            Some(compute)
        ))
    }

    /// Corrects a published round: its answers appended as a new revision with the reason,
    /// and its results computed again (`compute`), in one transaction.
    pub fn correct_round(
        &self,
        code: &str,
        items: &[egovwatch_domain::monitoring::Assessment],
        correction: (&str, &egovwatch_domain::Text),
        compute: crate::Compute<'_>,
    ) -> Result<i32, StoreError> {
        let now = now();
        on_backend!(write self, |q, c| q::rounds_q::add_assessments(
            c,
            code,
            items,
            Some(correction),
            &now,
            Some(compute)
        ))
    }

    /// Stores a round's results, replacing any it had.
    pub fn save_round_results(
        &self,
        results: &egovwatch_domain::monitoring::RoundResults,
    ) -> Result<(), StoreError> {
        on_backend!(write self, |q, c| q::rounds_q::save_results(c, results))
    }

    /// A round's stored results, if it has any.
    pub fn round_results(
        &self,
        code: &str,
    ) -> Result<Option<egovwatch_domain::monitoring::RoundResults>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::results(c, code, true, None))
    }

    /// A round's stored results without each service's node values (`values` left empty):
    /// what pages show, at a fraction of the memory.
    pub fn round_results_in_brief(
        &self,
        code: &str,
    ) -> Result<Option<egovwatch_domain::monitoring::RoundResults>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::results(c, code, false, None))
    }

    /// [`Store::round_results_in_brief`] with the units of `services` only (through the
    /// index of unit results): a few services' standing without the round's every unit, or
    /// none of them (for none).
    pub fn round_results_for(
        &self,
        code: &str,
        services: &[&str],
    ) -> Result<Option<egovwatch_domain::monitoring::RoundResults>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::results(
            c,
            code,
            false,
            Some(services)
        ))
    }

    /// (round, revision, round compared with) of every round with stored results.
    pub fn round_result_revisions(&self) -> Result<Vec<(String, i32, Option<String>)>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::result_revisions(c))
    }

    /// Appends answers to a round, all or nothing; see `rounds_q::add_assessments`.
    pub fn add_assessments(
        &self,
        code: &str,
        items: &[egovwatch_domain::monitoring::Assessment],
        correction: Option<(&str, &egovwatch_domain::Text)>,
    ) -> Result<i32, StoreError> {
        let now = now();
        on_backend!(write self, |q, c| q::rounds_q::add_assessments(
            c, code, items, correction, &now, None
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
    pub fn data_version(&self) -> Result<i64, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::data_version(c))
    }

    /// What changed after data version `after`, oldest first, at most `limit` changes: a
    /// reader holding the data as of `after` updates only these (table `changes`).
    pub fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<DataChange>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::changes_since(c, after, limit))
    }

    /// The record of kind `kind` and code `code` as last saved, from its latest revision;
    /// none when there is no such record.
    pub fn latest_record(
        &self,
        kind: EntityKind,
        code: &str,
    ) -> Result<Option<egovwatch_domain::change::AnyRecord>, StoreError> {
        let json = on_backend!(self, |q, c| q::rounds_q::latest_revision(c, kind, code))?;
        json.map(|j| {
            egovwatch_domain::change::AnyRecord::from_json(kind, &j)
                .map_err(|e| StoreError::Corrupt(format!("revision of {kind} {code}: {e}")))
        })
        .transpose()
    }

    /// Corrections of a published round: (revision, author, reason, time).
    pub fn round_revisions(
        &self,
        code: &str,
    ) -> Result<Vec<(i32, String, egovwatch_domain::Text, String)>, StoreError> {
        on_backend!(self, |q, c| q::rounds_q::revisions(c, code))
    }
}

/// A row of diesel's table of applied migrations.
#[derive(diesel::QueryableByName)]
struct Applied {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

/// Whether every embedded migration is applied, found by reading only (diesel's own check
/// creates its table first, which a read-only connection refuses): `Ok(false)` when one is not
/// or the table of migrations is missing or cannot be read, an error naming the applied
/// migrations this build does not have (a newer egovwatch's, [`StoreError::Newer`]).
fn up_to_date<DB>(
    applied: QueryResult<Vec<Applied>>,
    source: &EmbeddedMigrations,
) -> Result<bool, StoreError>
where
    DB: diesel::backend::Backend,
    EmbeddedMigrations: diesel::migration::MigrationSource<DB>,
{
    let Ok(applied) = applied else {
        return Ok(false);
    };
    let Ok(known) = diesel::migration::MigrationSource::<DB>::migrations(source) else {
        return Ok(false);
    };
    let known: std::collections::BTreeSet<String> = known
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let applied: std::collections::BTreeSet<String> =
        applied.into_iter().map(|a| a.version).collect();
    let newer: Vec<String> = applied.difference(&known).cloned().collect();
    if !newer.is_empty() {
        return Err(StoreError::Newer(newer));
    }
    Ok(known.is_subset(&applied))
}

/// The versions of the applied migrations, for [`up_to_date`].
const APPLIED: &str = "SELECT version FROM __diesel_schema_migrations";

/// Now, as RFC 3339 UTC to the second: sortable text on both backends.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A failed migration, with SQLite's "busy" kept recognisable so that `crate::retry` runs the
/// migrations again once the other writer is done.
fn migration_error(e: &(dyn std::error::Error + Send + Sync)) -> StoreError {
    let text = e.to_string();
    if text.contains("database is locked") {
        StoreError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::Unknown,
            Box::new(text),
        ))
    } else {
        StoreError::Migration(text)
    }
}
