//! Persistence of the registry on SQLite (the embedded default) and PostgreSQL.
//!
//! The backend is chosen at run time from the database URL. Both are always compiled in, share
//! one schema description (`schema.rs`) and run the same queries: the query code in
//! `queries.rs` is compiled once per backend (see `backend.rs`), so each copy is an ordinary,
//! fully type-checked diesel function for its connection type.

mod backend;
mod error;
mod redact;
mod retry;
mod round_rows;
mod rows;
mod schema;

pub use backend::{Backend, Store, parse_url};
pub use error::StoreError;
pub use redact::redact_url;

use egovwatch_domain::EntityKind;
use egovwatch_domain::change::{Change, ChangeCounts};

/// How a round's results are computed from the round and all its answers, called inside the
/// transaction that publishes or corrects it (`Store::publish_round`,
/// `Store::correct_round`); an error refuses the change.
pub type Compute<'a> = &'a dyn Fn(
    &egovwatch_domain::monitoring::Round,
    &[egovwatch_domain::monitoring::Assessment],
) -> Result<egovwatch_domain::monitoring::RoundResults, String>;

/// The stored version of each record, keyed by kind and code; a record not stored is version 0.
pub type Versions = std::collections::BTreeMap<(EntityKind, String), i32>;

/// Which services a page of services holds (`Store::services_page`): each given filter
/// narrows them.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServiceFilter<'a> {
    /// Only the services of this life event (code).
    pub life_event: Option<&'a str>,
    /// Only the services this organisation provides (code; any of their organisations).
    pub organisation: Option<&'a str>,
    /// Only the services with this status (word).
    pub status: Option<&'a str>,
}

/// What a page of services names that the registry does not have (`Store::services_page`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// The filter's life event.
    LifeEvent,
    /// The filter's organisation.
    Organisation,
    /// The service the page starts after, among those the filter leaves.
    After,
}

/// A page of the registry's services in code order (`Store::services_page`).
#[derive(Debug, Clone)]
pub struct ServicesPage {
    /// The services of the page, each whole (channels and relations).
    pub services: Vec<egovwatch_domain::Service>,
    /// How many services the filter leaves in the registry.
    pub total: usize,
}

/// A group's stored result in a round (`Store::group_results`): round, group, node, value.
pub type GroupResult = (String, String, String, Option<f64>);

/// A page of the registry's records of one kind in code order (`Store::records_page`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordsPage {
    /// The codes of the page's records, in code order.
    pub codes: Vec<String>,
    /// How many records of the kind the registry has.
    pub total: usize,
}

/// A life event as the site's journey lists it (`Store::journey`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JourneyEntry {
    /// The life event's code.
    pub life_event: String,
    /// How many services it has, withdrawn or not.
    pub all: usize,
    /// How many of its services are not withdrawn.
    pub services: usize,
    /// Where `listed` starts among those.
    pub start: usize,
    /// The codes of the services not withdrawn the window asked for, in code order.
    pub listed: Vec<String>,
}

/// Who the published rounds are about, as the store holds it
/// (`Store::published_rounds_leads`).
#[derive(Debug, Clone, Default)]
pub struct RoundLeads {
    /// Whether a published round covers every service (an empty scope).
    pub covers_every: bool,
    /// Each published round's code with the leading (first) organisation of a service its
    /// scope names, once each.
    pub leads: Vec<(String, String)>,
    /// Every organisation's code with its parent's.
    pub parents: Vec<(String, Option<String>)>,
}

/// Who makes a change and why; written into every revision the change creates.
#[derive(Debug, Clone)]
pub struct ChangeMeta {
    pub author: String,
    /// Why, in as many of the three languages as the editor gave.
    pub reason: egovwatch_domain::Text,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub changes: Vec<Change>,
}

impl ImportReport {
    pub fn counts(&self) -> ChangeCounts {
        ChangeCounts::of(&self.changes)
    }
}

/// One saved state of a record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Revision {
    pub kind: String,
    pub code: String,
    pub version: i32,
    pub action: String,
    pub author: String,
    pub reason: egovwatch_domain::Text,
    pub created_at: String,
    /// The record as it was saved, in the registry JSON format.
    pub snapshot: serde_json::Value,
}

/// One committed change of public data (table `changes`): a registry record saved (`kind` is
/// its entity kind) or a round created, moved or corrected (`kind` is `round`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataChange {
    /// Its place in the order of commits; the data version once it is committed.
    pub seq: i64,
    pub kind: String,
    pub code: String,
}

/// A table's shape, as the database reports it: for the schema-parity check between backends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    pub table: String,
    pub column: String,
    pub nullable: bool,
}
