//! The registry on both backends: the demo, import and export, revisions, all-or-nothing.

use crate::support::*;
use egovwatch_domain::change::Action;
use egovwatch_domain::*;
use egovwatch_interop::spreadsheet::Cells;
use egovwatch_interop::{csv_folder, json};
use egovwatch_store::StoreError;
use std::collections::BTreeMap;

#[test]
fn the_demo_holds_the_seed_story() {
    for db in backends("the_demo_holds_the_seed_story") {
        let store = demo_store(&db);
        let reg = store.registry().expect("load");
        let seed: Vec<&Service> = reg
            .services
            .iter()
            .filter(|s| s.provenance == Provenance::Seed)
            .collect();
        assert_eq!(seed.len(), 16, "{}", db.name);
        assert!(reg.life_events.len() >= 10, "{}", db.name);
        let orders: Vec<i32> = reg.life_events.iter().map(|e| e.journey_order).collect();
        assert!(
            orders.windows(2).all(|w| w[0] < w[1]),
            "life events in journey order"
        );
        // The four registries whose data the seed says is not fully digitised.
        for code in [
            "IS-REAL-ESTATE",
            "IS-LAND-CADASTRE",
            "IS-HEALTH",
            "IS-ARCHIVE",
        ] {
            let s = reg
                .information_system(code)
                .unwrap_or_else(|| panic!("{code} missing"));
            assert!(
                !s.digitisation.state.is_digital(),
                "{code} is {:?}",
                s.digitisation.state
            );
        }
        assert!(reg.dataset("LAND-CADASTRE").is_some());
        // Every name in all three languages.
        for s in &reg.services {
            for l in Lang::ALL {
                assert!(s.name.get(l).is_some(), "{} lacks {l}", s.code);
            }
        }
    }
}

#[test]
fn export_import_export_is_identical() {
    for db in backends("export_import_export_is_identical") {
        let store = demo_store(&db);
        let first = json::write(&store.registry().expect("load"));
        let csv_first =
            csv_folder::write(&store.registry().expect("load"), Cells::Safe).expect("csv");

        let empty = fresh_like(&db);
        let other = empty.store();
        let parsed = json::read("export.json", first.as_bytes()).expect("own export reads");
        let report = other
            .import(&parsed.registry, &meta("round trip"))
            .expect("import");
        assert_eq!(report.counts().total(Action::Unchanged), 0);
        assert_eq!(
            json::write(&other.registry().expect("load")),
            first,
            "{}: json round trip",
            db.name
        );

        // The CSV folder carries the same registry.
        let files: BTreeMap<String, Vec<u8>> = csv_first
            .iter()
            .map(|(n, b)| (n.clone(), b.clone().into_bytes()))
            .collect();
        let from_csv = csv_folder::read_files(&files).expect("own csv reads");
        let empty = fresh_like(&db);
        let third = empty.store();
        third
            .import(&from_csv.registry, &meta("csv round trip"))
            .expect("csv import");
        assert_eq!(
            json::write(&third.registry().expect("load")),
            first,
            "{}: csv round trip",
            db.name
        );
        assert_eq!(
            csv_folder::write(&third.registry().expect("load"), Cells::Safe).expect("csv"),
            csv_first
        );
    }
}

/// Another empty database on the same backend as `db`.
fn fresh_like(db: &TestDb) -> TestDb {
    if db.name == "sqlite" {
        sqlite()
    } else {
        postgres("fresh_like").expect("PostgreSQL answered a moment ago")
    }
}

#[test]
fn reimport_is_unchanged_and_edits_become_revisions() {
    for db in backends("reimport_is_unchanged_and_edits_become_revisions") {
        let store = demo_store(&db);
        let parsed = json::read("registry.json", DEMO.as_bytes()).expect("parses");
        let again = store
            .import(&parsed.registry, &meta("again"))
            .expect("import");
        assert_eq!(
            again.counts().total(Action::Unchanged),
            again.changes.len(),
            "{}",
            db.name
        );

        let mut edit = Registry::default();
        let mut s = store
            .registry()
            .expect("load")
            .service("SRV-0002")
            .expect("service")
            .clone();
        s.name.set(
            Lang::En,
            "Online change of residential registration (renamed)",
        );
        edit.services.push(s.clone());
        let mut w = store
            .registry()
            .expect("load")
            .service("SRV-0003")
            .expect("service")
            .clone();
        w.status = ServiceStatus::Withdrawn;
        edit.services.push(w);
        let report = store
            .import(
                &edit,
                &egovwatch_store::ChangeMeta {
                    author: "editor@mlspp".into(),
                    reason: egovwatch_domain::Text::new().with(egovwatch_domain::Lang::En, "typo"),
                },
            )
            .expect("edit");
        let counts = report.counts();
        assert_eq!(
            (counts.total(Action::Update), counts.total(Action::Withdraw)),
            (1, 1),
            "{}",
            db.name
        );

        let history = store
            .history(EntityKind::Service, "SRV-0002")
            .expect("history");
        assert_eq!(history.len(), 2);
        assert_eq!(
            (history[0].version, history[0].action.as_str()),
            (1, "create")
        );
        assert_eq!(
            (history[1].version, history[1].action.as_str()),
            (2, "update")
        );
        assert_eq!(
            (
                history[1].author.as_str(),
                history[1].reason.show(egovwatch_domain::Lang::En).as_str()
            ),
            ("editor@mlspp", "typo")
        );
        assert_eq!(
            history[1].snapshot["name"]["en"],
            "Online change of residential registration (renamed)"
        );
        assert_eq!(
            history[0].snapshot["name"]["en"],
            "Online change of residential registration"
        );

        // Withdrawn, not deleted: still exported, with its status.
        let reg = store.registry().expect("load");
        assert_eq!(
            reg.service("SRV-0003").map(|s| s.status),
            Some(ServiceStatus::Withdrawn)
        );
        assert_eq!(
            store.history(EntityKind::Service, "SRV-0003").expect("h")[1].action,
            "withdraw"
        );
    }
}

#[test]
fn two_editors_of_one_record_do_not_overwrite_each_other() {
    for db in backends("two_editors_of_one_record_do_not_overwrite_each_other") {
        let store = demo_store(&db);
        let (reg, versions) = store.registry_with_versions().expect("load");
        let read = reg.service("SRV-0005").expect("service").clone();
        let expected: egovwatch_store::Versions = [(
            (EntityKind::Service, "SRV-0005".to_string()),
            versions[&(EntityKind::Service, "SRV-0005".to_string())],
        )]
        .into();

        // Both editors start from the same version; the first to save wins.
        let mut first = read.clone();
        first
            .name
            .set(Lang::En, "Unemployment allowance (edited by the ministry)");
        let mut second = read.clone();
        second
            .name
            .set(Lang::En, "Unemployment allowance (edited by the agency)");
        let one = |s: Service| Registry {
            services: vec![s].into(),
            ..Registry::default()
        };
        store
            .import_expecting(&one(first), &meta("ministry"), &expected)
            .expect("first save");
        let err = store
            .import_expecting(&one(second), &meta("agency"), &expected)
            .expect_err("stale save");
        assert!(matches!(err, StoreError::Conflict(_)), "{}: {err}", db.name);
        assert!(
            err.to_string().contains("service SRV-0005 is at version 2"),
            "{err}"
        );
        let now = store.registry().expect("load");
        assert_eq!(
            now.service("SRV-0005").and_then(|s| s.name.get(Lang::En)),
            Some("Unemployment allowance (edited by the ministry)"),
            "{}",
            db.name
        );
        assert_eq!(
            store
                .history(EntityKind::Service, "SRV-0005")
                .expect("history")
                .len(),
            2
        );
    }
}

#[test]
fn concurrent_imports_serialise_without_losing_revisions() {
    for db in backends("concurrent_imports_serialise_without_losing_revisions") {
        let store = demo_store(&db);
        let base = store
            .registry()
            .expect("load")
            .service("SRV-0007")
            .expect("service")
            .clone();
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let store = store.clone();
                let mut s = base.clone();
                s.name
                    .set(Lang::En, format!("Disability allowance, edit {i}"));
                std::thread::spawn(move || {
                    let reg = Registry {
                        services: vec![s].into(),
                        ..Registry::default()
                    };
                    store.import(&reg, &meta(&format!("edit {i}")))
                })
            })
            .collect();
        let mut ok = 0;
        for h in handles {
            match h.join().expect("thread") {
                Ok(_) => ok += 1,
                // A writer that lost a race is told so; it never half-writes.
                Err(StoreError::Conflict(_)) => {}
                Err(e) => panic!("{}: {e}", db.name),
            }
        }
        let history = store
            .history(EntityKind::Service, "SRV-0007")
            .expect("history");
        assert_eq!(
            history.len(),
            1 + ok,
            "{}: one revision per successful writer",
            db.name
        );
        let versions: Vec<i32> = history.iter().map(|r| r.version).collect();
        assert_eq!(
            versions,
            (1..=history.len() as i32).collect::<Vec<_>>(),
            "no gaps, no duplicates"
        );
        let last = history.last().expect("last");
        let stored = store.registry().expect("load");
        assert_eq!(
            last.snapshot["name"]["en"].as_str(),
            stored
                .service("SRV-0007")
                .and_then(|s| s.name.get(Lang::En))
        );
    }
}

#[test]
fn revisions_are_append_only_in_the_database() {
    use diesel::prelude::*;
    for db in backends("revisions_are_append_only_in_the_database") {
        let _store = demo_store(&db);
        let tamper = [
            "UPDATE revisions SET author = 'someone else'",
            "DELETE FROM revisions",
        ];
        for sql in tamper {
            let result = if db.name == "sqlite" {
                let mut c = SqliteConnection::establish(&db.url).expect("connect");
                diesel::sql_query(sql).execute(&mut c)
            } else {
                let mut c = PgConnection::establish(&db.url).expect("connect");
                diesel::sql_query(sql).execute(&mut c)
            };
            let err = result.expect_err("tampering must fail").to_string();
            assert!(err.contains("append-only"), "{}: {err}", db.name);
        }
    }
}

/// Applies `mutate` to the demo's CSV file `file`, imports the folder, and expects it refused
/// with an error starting `file:line: field:` and the store left as it was.
fn check_refused(file: &str, mutate: impl Fn(&mut Vec<String>), expect: &str) {
    for db in backends("check_refused") {
        let store = demo_store(&db);
        let before = json::write(&store.registry().expect("load"));
        let mut files: BTreeMap<String, Vec<u8>> =
            csv_folder::write(&store.registry().expect("load"), Cells::Safe)
                .expect("csv")
                .into_iter()
                .map(|(n, b)| (n, b.into_bytes()))
                .collect();
        let body = String::from_utf8(files[file].clone()).expect("utf8");
        let mut lines: Vec<String> = body.split('\n').map(str::to_string).collect();
        mutate(&mut lines);
        files.insert(file.to_string(), lines.join("\n").into_bytes());
        let message = match csv_folder::read_files(&files) {
            Err(e) => e.to_string(),
            Ok(parsed) => match store.import(&parsed.registry, &meta("bad")) {
                Err(StoreError::Invalid(p)) => parsed.locate(&p).to_string(),
                Err(e) => panic!("{}: unexpected error {e}", db.name),
                Ok(_) => panic!("{}: a bad {file} was accepted ({expect})", db.name),
            },
        };
        assert!(
            message.contains(expect),
            "{}: expected {expect:?} in:\n{message}",
            db.name
        );
        assert_eq!(
            json::write(&store.registry().expect("load")),
            before,
            "{}: store changed",
            db.name
        );
    }
}

fn set_cell(lines: &mut [String], line: usize, col: usize, value: &str) {
    let mut rec: Vec<String> = {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(lines[line - 1].as_bytes());
        r.records()
            .next()
            .expect("row")
            .expect("csv")
            .iter()
            .map(str::to_string)
            .collect()
    };
    rec[col] = value.to_string();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(&rec).expect("write");
    lines[line - 1] = String::from_utf8(w.into_inner().expect("flush"))
        .expect("utf8")
        .trim_end()
        .to_string();
}

#[test]
fn a_bad_row_rejects_the_whole_import() {
    check_refused(
        "services.csv",
        |l| l[6].push_str(",an extra column"),
        "services.csv:7: column 15: wrong column count",
    );
    check_refused(
        "services.csv",
        |l| {
            let cut = l[6].rfind(',').expect("a comma");
            l[6].truncate(cut);
        },
        "services.csv:7: provenance: wrong column count: the row has 13 fields, the header has 14",
    );
    // services.csv columns: 0 code .. 9 organisations .. 13 provenance
    check_refused(
        "services.csv",
        |l| set_cell(l, 7, 9, "ORG-NOWHERE"),
        "services.csv:7: organisations: unknown organisation code ORG-NOWHERE",
    );
    check_refused(
        "services.csv",
        |l| set_cell(l, 5, 7, ""),
        "services.csv:5: status: is required",
    );
    check_refused(
        "services.csv",
        |l| set_cell(l, 4, 0, "SRV-0001"),
        "services.csv:4: code: SRV-0001 appears twice (first at services.csv:2)",
    );
    check_refused(
        "channels.csv",
        |l| set_cell(l, 3, 3, "ftp://files.example/x"),
        "channels.csv:3: url: \"ftp://files.example/x\" is not an http(s) URL",
    );
    check_refused(
        "organisations.csv",
        |l| set_cell(l, 2, 4, "guild"),
        "organisations.csv:2: type: \"guild\" is not one of",
    );
    check_refused(
        "information_systems.csv",
        |l| set_cell(l, 3, 12, "2015-02-30"),
        "information_systems.csv:3: digitisation_as_of:",
    );
}

#[test]
fn invalid_utf8_is_refused_with_its_line() {
    let db = sqlite();
    let store = demo_store(&db);
    let mut files: BTreeMap<String, Vec<u8>> =
        csv_folder::write(&store.registry().expect("load"), Cells::Safe)
            .expect("csv")
            .into_iter()
            .map(|(n, b)| (n, b.into_bytes()))
            .collect();
    let body = files.get_mut("life_events.csv").expect("file");
    let at = body
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(3)
        .map(|(i, _)| i + 1)
        .expect("line 5");
    body.insert(at + 2, 0xff);
    let err = csv_folder::read_files(&files)
        .expect_err("bad bytes")
        .to_string();
    assert!(err.contains("life_events.csv:5: invalid UTF-8"), "{err}");
}

#[test]
fn a_folder_without_channels_keeps_the_channels() {
    for db in backends("a_folder_without_channels_keeps_the_channels") {
        let store = demo_store(&db);
        let before = store.registry().expect("load");
        let channels = |r: &Registry| r.services.iter().map(|s| s.channels.len()).sum::<usize>();
        assert!(channels(&before) > 0, "{}", db.name);
        // services.csv alone, one name changed: the services are updated, channels kept.
        let mut files: BTreeMap<String, Vec<u8>> = csv_folder::write(&before, Cells::Safe)
            .expect("csv")
            .into_iter()
            .filter(|(name, _)| name == "services.csv")
            .map(|(name, body)| (name, body.into_bytes()))
            .collect();
        let text = String::from_utf8(files["services.csv"].clone()).expect("utf-8");
        let renamed = text.replacen(",Doğum", ",Doğumun", 1);
        assert_ne!(renamed, text, "{}: the demo has a birth service", db.name);
        files.insert("services.csv".into(), renamed.into_bytes());
        let parsed = csv_folder::read_files(&files).expect("parse");
        assert!(!parsed.channels_given);
        let channels_kept = if parsed.channels_given {
            change::Channels::Given
        } else {
            change::Channels::Kept
        };
        let report = store
            .import_with(&parsed.registry, channels_kept, &meta("names only"))
            .expect("import");
        let after = store.registry().expect("load");
        assert_eq!(channels(&after), channels(&before), "{}", db.name);
        for (a, b) in after.services.iter().zip(&before.services) {
            assert_eq!(a.channels, b.channels, "{}: {}", db.name, a.code);
        }
        assert_eq!(
            report.counts().total(Action::Update),
            1,
            "{}: only the renamed service changes",
            db.name
        );
    }
}

#[test]
fn formula_cells_survive_the_csv_round_trip_neutralised() {
    for db in backends("formula_cells_survive_the_csv_round_trip_neutralised") {
        let store = demo_store(&db);
        let mut reg = store.registry().expect("load");
        let name = "=HYPERLINK(\"http://evil.example\",\"x\")";
        reg.services[0].name.set(Lang::En, name);
        store.import(&reg, &meta("formula")).expect("import");
        let files = csv_folder::write(&store.registry().expect("load"), Cells::Safe).expect("csv");
        let services = &files
            .iter()
            .find(|(n, _)| n == "services.csv")
            .expect("services.csv")
            .1;
        assert!(services.contains("'=HYPERLINK"), "{}", db.name);
        assert!(!services.contains(",\"=HYPERLINK"), "{}", db.name);
        let bytes: BTreeMap<String, Vec<u8>> = files
            .into_iter()
            .map(|(n, b)| (n, b.into_bytes()))
            .collect();
        let back = csv_folder::read_files(&bytes).expect("parse");
        let s = back
            .registry
            .services
            .iter()
            .find(|s| s.code == reg.services[0].code)
            .expect("service");
        assert_eq!(s.name.get(Lang::En), Some(name), "{}", db.name);
    }
}

#[test]
fn nul_and_bom_behave_the_same_on_both_backends() {
    for db in backends("nul_and_bom_behave_the_same_on_both_backends") {
        let store = demo_store(&db);
        let doc = json::write(&store.registry().expect("load"));
        // A byte order mark, as spreadsheets and some editors write, is accepted.
        let with_bom = format!("\u{feff}{doc}");
        let parsed = json::read("bom.json", with_bom.as_bytes()).expect("BOM accepted");
        store
            .import(&parsed.registry, &meta("bom"))
            .expect("import");
        // A NUL in a name is refused before the database sees it, with its place.
        let mut reg = store.registry().expect("load");
        reg.services[0].name.set(Lang::Az, "Ad\u{0}soyad");
        match store.import(&reg, &meta("nul")) {
            Err(StoreError::Invalid(problems)) => {
                assert!(
                    problems
                        .iter()
                        .any(|p| p.error.field == "name.az" && p.error.message.contains("U+0000")),
                    "{}: {problems:?}",
                    db.name
                );
            }
            other => panic!("{}: NUL accepted: {other:?}", db.name),
        }
        let text = json::write(&reg);
        let err = json::read("nul.json", text.as_bytes())
            .and_then(|p| {
                let plan = change::plan_import(change::Touched::default(), &p.registry);
                if plan.problems.is_empty() {
                    Ok(())
                } else {
                    Err(p.locate(&plan.problems))
                }
            })
            .expect_err("NUL refused");
        let msg = err.to_string();
        assert!(msg.starts_with("nul.json:"), "{}: {msg}", db.name);
        assert!(msg.contains("U+0000"), "{}: {msg}", db.name);
    }
}

/// An import is checked against the stored records it touches: what it refers to, the
/// channel codes other services own, the organisation hierarchy. Each refusal names the
/// record and writes nothing; what refers to stored and arriving records together is saved.
#[test]
fn an_import_is_checked_against_the_stored_records_it_touches() {
    for db in backends("an_import_is_checked_against_the_stored_records_it_touches") {
        let store = demo_store(&db);
        let stored = store.registry().expect("load");
        let code = |s: &str| Code::parse(s).expect("code");
        let mut new = stored.service("SRV-0001").expect("service").clone();
        new.code = code("SRV-0900");
        new.channels.clear();
        let refused = |incoming: Registry, want: &str| {
            let before = store.data_version().expect("version");
            match store.import(&incoming, &meta("refused")) {
                Err(StoreError::Invalid(problems)) => {
                    let said: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                    assert!(
                        said.iter().any(|p| p.contains(want)),
                        "{}: {said:?} lacks {want}",
                        db.name
                    );
                }
                other => panic!("{}: {want}: {other:?}", db.name),
            }
            assert_eq!(
                store.data_version().expect("version"),
                before,
                "{}",
                db.name
            );
        };

        let mut taken = new.clone();
        taken.channels = vec![stored.service("SRV-0001").expect("s").channels[0].clone()];
        let channel = taken.channels[0].code.clone();
        refused(
            Registry {
                services: vec![taken].into(),
                ..Registry::default()
            },
            &format!("channels: channel code {channel} already belongs to service SRV-0001"),
        );

        let mut unknown = new.clone();
        unknown.life_events.push(code("LE-NOWHERE"));
        refused(
            Registry {
                services: vec![unknown].into(),
                ..Registry::default()
            },
            "life_events: unknown life event code LE-NOWHERE",
        );

        // ORG-DPC's parent is ORG-MCHT: ORG-MCHT under ORG-DPC would close a cycle.
        let mut cycle = stored.organisation("ORG-MCHT").expect("stored").clone();
        assert_eq!(
            stored
                .organisation("ORG-DPC")
                .and_then(|o| o.parent.as_ref()),
            Some(&cycle.code),
            "{}",
            db.name
        );
        cycle.parent = Some(code("ORG-DPC"));
        refused(
            Registry {
                organisations: vec![cycle].into(),
                ..Registry::default()
            },
            "parent: the hierarchy above ORG-MCHT has a cycle",
        );

        // A stored service's channel moves to a new service arriving with a new output.
        let mut giver = stored.service("SRV-0002").expect("service").clone();
        let moved = giver.channels.remove(0);
        let mut output = stored.outputs[0].clone();
        output.code = code("OUT-NEW");
        let mut taker = new.clone();
        taker.channels = vec![moved.clone()];
        taker.outputs = vec![output.code.clone()];
        let report = store
            .import(
                &Registry {
                    services: vec![giver, taker].into(),
                    outputs: vec![output].into(),
                    ..Registry::default()
                },
                &meta("moved"),
            )
            .expect("saved");
        let counts = report.counts();
        assert_eq!(
            (counts.total(Action::Create), counts.total(Action::Update)),
            (2, 1),
            "{}",
            db.name
        );
        let after = store.registry().expect("load");
        let owner = after
            .services
            .iter()
            .find(|s| s.channels.iter().any(|c| c.code == moved.code))
            .map(|s| s.code.as_str());
        assert_eq!(owner, Some("SRV-0900"), "{}", db.name);
    }
}

/// The part of the registry connected to some services, read by the store's queries, is the
/// part `component::connected` keeps of the whole registry: on the demo (one country), on
/// three synthetic countries, and once two of them share an evidence type. (A service that
/// refers to nothing is added to the whole before the comparison, so that `connected` keeps a
/// part even when every stored service is connected to the seeds.)
#[test]
fn the_part_connected_to_some_services_is_read_as_the_whole_registry_holds_it() {
    use egovwatch_domain::component::connected;
    let check = |db: &TestDb, store: &egovwatch_store::Store, seeds: &[&str], services: usize| {
        let mut whole = store.registry().expect("registry");
        let mut alone = whole.services[0].clone();
        alone.code = Code::parse("ZZ-ALONE").expect("code");
        alone.organisations.clear();
        alone.evidence.clear();
        alone.outputs.clear();
        whole.services.push(alone);
        let want = connected(&whole, seeds.iter().copied()).unwrap_or_default();
        let part = store.connected(seeds).expect("part");
        assert_eq!(part.services.len(), services, "{}: {seeds:?}", db.name);
        assert!(part == want, "{}: {seeds:?}: the part differs", db.name);
    };
    for db in backends("the_part_connected_to_some_services_of_the_demo") {
        let demo = demo_store(&db);
        let all = demo.registry().expect("registry").services.len();
        check(&db, &demo, &["SRV-0001"], all);
        check(&db, &demo, &["SRV-0001", "SRV-0002", "NO-SUCH"], all);
        check(&db, &demo, &["NO-SUCH"], 0);
        check(&db, &demo, &[], 0);
    }
    for db in backends("the_part_connected_to_some_services_of_three_countries") {
        let store = db.store();
        let p = egovwatch_synth::Params {
            countries: 3,
            services: 40,
            rounds: 1,
            seed: 7,
        };
        let reg = egovwatch_synth::registry(&p).expect("synth");
        store.import(&reg, &meta("synth")).expect("import");
        check(&db, &store, &["C001-S00001"], 40);
        check(&db, &store, &["C002-S00040", "C002-S00003"], 40);
        check(&db, &store, &["C001-S00001", "C003-S00002"], 80);
        // Two countries joined by one evidence type both need.
        let mut joined = Vec::new();
        for code in ["C001-S00005", "C003-S00005"] {
            let mut s = reg.service(code).expect("service").clone();
            s.evidence.push(Code::parse("EV-SHARED").expect("code"));
            joined.push(s);
        }
        let shared = Registry {
            evidence_types: vec![EvidenceType {
                code: Code::parse("EV-SHARED").expect("code"),
                ..reg.evidence_types[0].clone()
            }]
            .into(),
            services: joined.into(),
            ..Registry::default()
        };
        store.import(&shared, &meta("joined")).expect("import");
        check(&db, &store, &["C003-S00017"], 80);
        check(&db, &store, &["C002-S00001"], 40);
    }
}
