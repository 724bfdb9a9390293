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
