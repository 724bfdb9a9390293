//! Writers racing each other on both backends: changes of a round's state against a large
//! import, eight concurrent registry imports, eight concurrent imports of answers into one
//! round. Every acknowledged write must be there afterwards, a refused one must say why in
//! words, and no database error text may reach the caller. Also: round codes, a failed prefill,
//! and passwords in connection errors.

use crate::support::*;
use egovwatch_domain::monitoring::{Assessment, AssessmentSource, Round, RoundState};
use egovwatch_domain::{Lang, Registry, Text};
use egovwatch_store::{Store, StoreError};
use std::sync::{Arc, Barrier};

const WRITERS: usize = 8;

fn round(code: &str) -> Round {
    open_stages_round(code, 1)
}

fn answers(assessor: &str, n: usize) -> Vec<Assessment> {
    (0..n)
        .map(|i| Assessment {
            service: format!("SRV-{:04}", i % 40 + 1),
            channel: None,
            perspective: Default::default(),
            question: "stage".into(),
            answer: (i % 5).to_string(),
            evidence_url: None,
            evidence_note: Text::new().with(Lang::En, format!("answer {i}")),
            evidence_hash: None,
            assessor: assessor.into(),
            assessed_at: "2016-03-01".into(),
            source: AssessmentSource::Manual,
            correction: None,
            revision: 0,
        })
        .collect()
}

/// Words a database uses that must never reach a user.
fn assert_no_raw_database_text(context: &str, text: &str) {
    for raw in [
        "duplicate key",
        "_pkey",
        "database is locked",
        "could not serialize",
        "deadlock",
        "UNIQUE constraint",
        "database error",
    ] {
        assert!(
            !text.contains(raw),
            "{context}: raw database text {raw:?}: {text}"
        );
    }
}

/// Defect: on PostgreSQL the round's state was read without a lock, so closing a round while
/// a large import ran let the import commit its answers into the closed (then published)
/// round, with no correction recorded.
#[test]
fn closing_and_publishing_take_turns_with_a_running_import() {
    for db in backends("closing_and_publishing_take_turns_with_a_running_import") {
        let importer = db.store();
        let publisher = db.store();
        importer.create_round(&round("2016-H1")).expect("create");
        let big = answers("importer", 60_000);
        let started = Arc::new(Barrier::new(2));
        let s2 = Arc::clone(&started);
        let import = std::thread::spawn(move || {
            s2.wait();
            importer.add_assessments("2016-H1", &big, None)
        });
        started.wait();
        // Let the import get going, then close and publish under it.
        std::thread::sleep(std::time::Duration::from_millis(300));
        publisher
            .set_round_state("2016-H1", RoundState::Closed)
            .expect("close");
        let at_close = publisher.assessments("2016-H1").expect("read").len();
        publisher
            .set_round_state("2016-H1", RoundState::Published)
            .expect("publish");
        let imported = import.join().expect("import thread");
        match &imported {
            Ok(n) => assert_eq!(*n, 60_000, "{}", db.name),
            Err(StoreError::Refused(m)) => assert!(m.contains("closed"), "{}: {m}", db.name),
            Err(e) => panic!("{}: the import failed with {e}", db.name),
        }
        let stored = publisher.assessments("2016-H1").expect("read");
        let uncorrected = stored.iter().filter(|a| a.correction.is_none()).count();
        assert_eq!(
            uncorrected, at_close,
            "{}: every answer of the published round without a correction was there when it closed",
            db.name
        );
        let r = publisher.round("2016-H1").expect("read").expect("round");
        assert_eq!(
            (r.state, r.revision),
            (RoundState::Published, 0),
            "{}",
            db.name
        );
        assert!(
            publisher
                .round_revisions("2016-H1")
                .expect("read")
                .is_empty(),
            "{}",
            db.name
        );
    }
}

/// One country of the synthetic registry (its records and the shared life events, with names
/// that say which writer sent them).
fn country_part(all: &Registry, country: usize, writer: &str) -> Registry {
    let cc = format!("{}-", egovwatch_synth::country_code(country));
    let mine = |code: &str| code.starts_with(&cc);
    let mut life_events = all.life_events.clone();
    for le in &mut life_events {
        le.name.set(
            egovwatch_domain::Lang::En,
            format!("Life event named by {writer}"),
        );
    }
    Registry {
        organisations: all
            .organisations
            .iter()
            .filter(|r| mine(r.code.as_str()))
            .cloned()
            .collect(),
        life_events,
        evidence_types: all
            .evidence_types
            .iter()
            .filter(|r| mine(r.code.as_str()))
            .cloned()
            .collect(),
        outputs: all
            .outputs
            .iter()
            .filter(|r| mine(r.code.as_str()))
            .cloned()
            .collect(),
        information_systems: all
            .information_systems
            .iter()
            .filter(|r| mine(r.code.as_str()))
            .cloned()
            .collect(),
        datasets: all
            .datasets
            .iter()
            .filter(|r| mine(r.code.as_str()))
            .cloned()
            .collect(),
        services: all
            .services
            .iter()
            .filter(|r| mine(r.code.as_str()))
            .cloned()
            .collect(),
        exchange_links: all
            .exchange_links
            .iter()
            .filter(|r| mine(r.code.as_str()))
            .cloned()
            .collect(),
    }
}

/// Defect: most of eight concurrent registry imports failed: on PostgreSQL with "conflict" or a
/// raw `duplicate key ... _pkey`, on SQLite with `database is locked`. Each writer here has its
/// own `Store`, as separate processes would; all eight create records and update the same
/// shared ones.
#[test]
fn eight_concurrent_registry_imports_all_land() {
    for db in backends("eight_concurrent_registry_imports_all_land") {
        let p = egovwatch_synth::Params {
            countries: WRITERS,
            services: 60,
            rounds: 1,
            seed: 11,
        };
        let all = egovwatch_synth::registry(&p).expect("synthetic registry");
        // The shared life events exist before, so every writer also updates them.
        let setup = db.store();
        let first = Registry {
            life_events: all.life_events.clone(),
            ..Registry::default()
        };
        setup.import(&first, &meta("life events")).expect("setup");
        let stores: Vec<Store> = (0..WRITERS).map(|_| db.store()).collect();
        let gate = Arc::new(Barrier::new(WRITERS));
        let handles: Vec<_> = stores
            .into_iter()
            .enumerate()
            .map(|(i, store)| {
                let part = country_part(&all, i, &format!("writer {i}"));
                let gate = Arc::clone(&gate);
                std::thread::spawn(move || {
                    gate.wait();
                    store.import(&part, &meta(&format!("writer {i}")))
                })
            })
            .collect();
        let results: Vec<_> = handles
            .into_iter()
            .map(|h| h.join().expect("writer thread"))
            .collect();
        for (i, r) in results.iter().enumerate() {
            if let Err(e) = r {
                assert_no_raw_database_text(&format!("{} writer {i}", db.name), &e.to_string());
                panic!("{}: writer {i} failed: {e}", db.name);
            }
        }
        let stored = setup.registry().expect("registry");
        assert_eq!(stored.services.len(), all.services.len(), "{}", db.name);
        assert_eq!(
            stored.organisations.len(),
            all.organisations.len(),
            "{}",
            db.name
        );
        assert_eq!(stored.outputs.len(), all.outputs.len(), "{}", db.name);
        let le = all.life_events[0].code.as_str();
        let history = setup
            .history(egovwatch_domain::EntityKind::LifeEvent, le)
            .expect("history");
        assert_eq!(
            history.len(),
            1 + WRITERS,
            "{}: each writer's rename of {le} is a revision",
            db.name
        );
        let versions: Vec<i32> = history.iter().map(|r| r.version).collect();
        assert_eq!(
            versions,
            (1..=1 + WRITERS as i32).collect::<Vec<_>>(),
            "{}",
            db.name
        );
    }
}

/// Defect: concurrent imports of answers into one open round numbered their answers from the
/// same last one, so on PostgreSQL all but one failed on the primary key.
#[test]
fn eight_concurrent_assessment_imports_into_one_round_all_land() {
    for db in backends("eight_concurrent_assessment_imports_into_one_round_all_land") {
        let setup = db.store();
        setup.create_round(&round("2016-H1")).expect("create");
        let per_writer = 3_000;
        let stores: Vec<Store> = (0..WRITERS).map(|_| db.store()).collect();
        let gate = Arc::new(Barrier::new(WRITERS));
        let handles: Vec<_> = stores
            .into_iter()
            .enumerate()
            .map(|(i, store)| {
                let gate = Arc::clone(&gate);
                let items = answers(&format!("assessor {i}"), per_writer);
                std::thread::spawn(move || {
                    gate.wait();
                    store.add_assessments("2016-H1", &items, None)
                })
            })
            .collect();
        for (i, h) in handles.into_iter().enumerate() {
            match h.join().expect("writer thread") {
                Ok(n) => assert_eq!(n as usize, per_writer, "{}", db.name),
                Err(e) => {
                    assert_no_raw_database_text(&format!("{} writer {i}", db.name), &e.to_string());
                    panic!("{}: writer {i} failed: {e}", db.name);
                }
            }
        }
        let stored = setup.assessments("2016-H1").expect("read");
        assert_eq!(stored.len(), WRITERS * per_writer, "{}", db.name);
        for i in 0..WRITERS {
            let who = format!("assessor {i}");
            let mine: Vec<&Assessment> = stored.iter().filter(|a| a.assessor == who).collect();
            assert_eq!(mine.len(), per_writer, "{}: {who}", db.name);
            // One import's answers stay together and in order.
            let notes: Vec<String> = mine
                .iter()
                .map(|a| a.evidence_note.show(Lang::En))
                .collect();
            let want: Vec<String> = (0..per_writer).map(|k| format!("answer {k}")).collect();
            assert_eq!(notes, want, "{}: {who}", db.name);
        }
    }
}

/// Defect: round codes were not checked (empty, `/`, `..`, HTML, 5,000 characters); a code
/// with `/` broke the writing of reports.
#[test]
fn round_codes_are_checked_at_every_entry() {
    for db in backends("round_codes_are_checked_at_every_entry") {
        let store = db.store();
        let long = "R".repeat(5000);
        for bad in ["", "a/b", "..", "../x", "<b>x</b>", "a b", long.as_str()] {
            match store.create_round(&round(bad)) {
                Err(StoreError::Refused(m)) => assert!(m.starts_with("round code"), "{m}"),
                other => panic!("{}: {bad:?} gave {other:?}", db.name),
            }
            let (ok, text) = run_bin(&[
                "round",
                "create",
                bad,
                "--from",
                "2016-01-01",
                "--to",
                "2016-06-30",
                "--db",
                &db.url,
            ]);
            assert!(!ok, "{}: {bad:?} accepted: {text}", db.name);
            assert!(text.contains("error: round code"), "{}: {text}", db.name);
            assert!(
                text.len() < 400,
                "{}: the message stays short: {text}",
                db.name
            );
        }
        assert!(store.rounds().expect("rounds").is_empty(), "{}", db.name);
        store
            .create_round(&round("2016-H1.v2_a"))
            .expect("a good code");
    }
}

/// A writer that loses to another gets a conflict in its own language, never database text.
#[test]
fn a_conflict_is_told_in_the_users_language() {
    for db in backends("a_conflict_is_told_in_the_users_language") {
        let create = [
            "round",
            "create",
            "2016-H1",
            "--from",
            "2016-01-01",
            "--to",
            "2016-06-30",
            "--db",
            &db.url,
        ];
        // Only the commands that fill a database create one.
        let (ok, text) = run_bin(&["migrate", "--db", &db.url]);
        assert!(ok, "{}: {text}", db.name);
        let (ok, text) = run_bin(&create);
        assert!(ok, "{}: {text}", db.name);
        for (locale, said) in [
            (
                "az_AZ.UTF-8",
                "2016-H1 monitorinq raundu artıq mövcuddur. Heç nə yazılmadı",
            ),
            (
                "ru_RU.UTF-8",
                "Раунд 2016-H1 уже существует. Ничего не записано",
            ),
            (
                "C.UTF-8",
                "Round 2016-H1 already exists. Nothing was written",
            ),
        ] {
            let (ok, text) = run_bin_env(&create, &[("LANG", locale)]);
            assert!(!ok, "{}: created twice", db.name);
            assert!(text.contains(said), "{} {locale}: {text}", db.name);
        }
    }
}

/// Defect: `round create R --prefill-from NOPE` failed but left round R created.
#[test]
fn a_failed_prefill_leaves_no_round_behind() {
    for db in backends("a_failed_prefill_leaves_no_round_behind") {
        let store = db.store();
        let (ok, text) = run_bin(&[
            "round",
            "create",
            "2016-H1",
            "--from",
            "2016-01-01",
            "--to",
            "2016-06-30",
            "--prefill-from",
            "NOPE",
            "--db",
            &db.url,
        ]);
        assert!(!ok, "{}: {text}", db.name);
        assert!(
            text.contains("--prefill-from") && text.contains("NOPE"),
            "{}: {text}",
            db.name
        );
        assert!(
            store.round("2016-H1").expect("read").is_none(),
            "{}: {text}",
            db.name
        );
        // The same command with a real source creates the round with its proposals.
        store.create_round(&round("2015-H2")).expect("create");
        store
            .add_assessments("2015-H2", &answers("a", 3), None)
            .expect("answers");
        let (ok, text) = run_bin(&[
            "round",
            "create",
            "2016-H1",
            "--from",
            "2016-01-01",
            "--to",
            "2016-06-30",
            "--prefill-from",
            "2015-H2",
            "--db",
            &db.url,
        ]);
        assert!(ok, "{}: {text}", db.name);
        let got = store.assessments("2016-H1").expect("read");
        assert!(
            !got.is_empty() && got.iter().all(|a| a.source == AssessmentSource::Proposal),
            "{}: {got:?}",
            db.name
        );
    }
}

/// Defect: a database password appeared in connection errors.
#[test]
fn connection_errors_never_show_the_password() {
    let urls = [
        "postgres://u:s3cretpw@127.0.0.1:1/x",
        "postgresql://u:s3cretpw@127.0.0.1:1/x?sslmode=disable",
        "postgres://u@127.0.0.1:1/x?password=s3cretpw",
        "postgres://u:s3cret%ZZpw@127.0.0.1:1/x",
        "postgres://u:s3cretpw@127.0.0.1:notaport/x",
        "postgres://u@127.0.0.1:1/x?password=s3cretpw&bogus_option=1",
        "mysql://u:s3cretpw@127.0.0.1/x",
    ];
    for url in urls {
        let e = Store::open(url).expect_err(url).to_string();
        assert!(!e.contains("s3cret"), "{url}: {e}");
        let (ok, text) = run_bin(&["round", "list", "--db", url]);
        assert!(!ok, "{url}: {text}");
        assert!(!text.contains("s3cret"), "{url}: {text}");
        assert!(
            text.contains("***") || !text.contains("u:"),
            "{url}: {text}"
        );
    }
}

/// The bundled SQLite is built in its multi-thread mode without allocation statistics
/// (`.cargo/config.toml`, `LIBSQLITE3_FLAGS`): no connection is used by two threads at once, and
/// the serialized mode's mutex on every call cost a tenth of reading a large registry.
#[test]
fn the_bundled_sqlite_is_built_multi_thread() {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }
    let db = sqlite();
    let mut c = diesel::SqliteConnection::establish(&db.url).expect("connection");
    let options: Vec<String> = diesel::sql_query("PRAGMA compile_options")
        .load::<CompileOption>(&mut c)
        .expect("compile options")
        .into_iter()
        .map(|o| o.compile_options)
        .collect();
    assert!(options.iter().any(|o| o == "THREADSAFE=2"), "{options:?}");
    assert!(
        options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
        "{options:?}"
    );
}
