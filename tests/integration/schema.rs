//! Both migration trees must give the same tables, columns, nullability and indexes.

use crate::support::*;

#[test]
fn both_backends_have_the_same_schema() {
    let lite = sqlite();
    let Some(pg) = postgres("both_backends_have_the_same_schema") else {
        return;
    };
    let (a, b) = (lite.store(), pg.store());
    let (ca, cb) = (
        a.columns().expect("sqlite columns"),
        b.columns().expect("pg columns"),
    );
    assert!(ca.len() > 50, "introspection found too little: {ca:?}");
    let only_a: Vec<_> = ca.iter().filter(|c| !cb.contains(c)).collect();
    let only_b: Vec<_> = cb.iter().filter(|c| !ca.contains(c)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "columns only in SQLite: {only_a:?}\nonly in PostgreSQL: {only_b:?}"
    );
    let (ia, ib) = (
        a.indexes().expect("sqlite indexes"),
        b.indexes().expect("pg indexes"),
    );
    assert!(!ia.is_empty());
    assert_eq!(ia, ib, "indexes differ");
}

#[test]
fn migrations_revert_and_run_again() {
    for db in backends("migrations_revert_and_run_again") {
        let store = demo_store(&db);
        let before = store.columns().expect("columns");
        store.reset().expect("reset");
        assert!(
            store.registry().expect("load").is_empty(),
            "{}: reset leaves data",
            db.name
        );
        assert_eq!(store.columns().expect("columns"), before, "{}", db.name);
        assert!(
            store.migrate().expect("migrate").is_empty(),
            "{}: nothing left to run",
            db.name
        );
    }
}

/// A database written before each service's and dataset's references were packed in its row
/// (`refs`, migration `2026-12-06-000002_packed_refs`) reads the same once migrated: the
/// migration fills `refs` from the `relations` table, every list in its order.
#[test]
fn references_are_packed_from_the_relations_of_an_earlier_database() {
    const DOWN: [&str; 2] = [
        include_str!("../../migrations/sqlite/2026-12-06-000002_packed_refs/down.sql"),
        include_str!("../../migrations/postgres/2026-12-06-000002_packed_refs/down.sql"),
    ];
    const FORGET: &str = "DELETE FROM __diesel_schema_migrations WHERE version = '20261206000002'";
    for db in backends("references_are_packed_from_the_relations_of_an_earlier_database") {
        let store = demo_store(&db);
        let before = store.registry().expect("read");
        // Not a vacuous comparison: every list the rows pack is somewhere not empty, and some
        // service has more than one organisation or life event, so order counts.
        let services = &before.services;
        assert!(
            services.iter().any(|s| !s.outputs.is_empty()),
            "{}",
            db.name
        );
        assert!(services.iter().any(|s| s.evidence.len() > 1), "{}", db.name);
        assert!(
            services
                .iter()
                .any(|s| s.organisations.len() > 1 || s.life_events.len() > 1),
            "{}",
            db.name
        );
        assert!(before.datasets.iter().any(|d| !d.supplies.is_empty()));
        // The database as the schema before the migration left it.
        let down = if db.name == "postgres" {
            DOWN[1]
        } else {
            DOWN[0]
        };
        db.execute(&format!("{down}\n{FORGET};"));
        assert!(store.registry().is_err(), "{}: refs is gone", db.name);
        assert_eq!(
            store.migrate().expect("migrate"),
            vec!["20261206000002".to_string()],
            "{}",
            db.name
        );
        assert_eq!(store.registry().expect("read again"), before, "{}", db.name);
    }
}

/// A database that a newer egovwatch migrated is refused, saying so, before anything is read or
/// written: this build would read and write its tables as they were before (a service saved
/// without what the newer schema keeps in its row).
#[test]
fn a_database_migrated_by_a_newer_egovwatch_is_refused() {
    const NEWER: &str =
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000001');";
    for db in backends("a_database_migrated_by_a_newer_egovwatch_is_refused") {
        let store = demo_store(&db);
        let before = store.registry().expect("read");
        drop(store);
        db.execute(NEWER);
        let refused = egovwatch_store::Store::open(&db.url)
            .map(|_| ())
            .expect_err("a newer database opened");
        let says = refused.to_string();
        assert!(
            matches!(&refused, egovwatch_store::StoreError::Newer(v) if v == &["29991231000001"]),
            "{}: {says}",
            db.name
        );
        assert!(says.contains("migrated by a newer egovwatch"), "{says}");
        // Nothing was changed: without the newer migration the database reads as before.
        db.execute("DELETE FROM __diesel_schema_migrations WHERE version = '29991231000001';");
        let store = egovwatch_store::Store::open(&db.url).expect("open");
        assert_eq!(store.registry().expect("read"), before, "{}", db.name);
    }
}
