//! Rounds and scores on both backends: the seed story through the binary, the round life
//! cycle, corrections of published rounds, append-only answers and two-assessor mode.

use crate::support::*;
use diesel::prelude::*;
use egovwatch_domain::monitoring::{self, Assessment, AssessmentSource, Round, RoundState};
use egovwatch_store::StoreError;

fn run(args: &[&str]) -> (bool, String) {
    run_bin(args)
}

fn round(code: &str, assessors: u8) -> Round {
    open_stages_round(code, assessors)
}

fn stage(service: &str, answer: &str, assessor: &str, source: AssessmentSource) -> Assessment {
    Assessment {
        service: service.into(),
        channel: None,
        perspective: Default::default(),
        question: "stage".into(),
        answer: answer.into(),
        evidence_url: None,
        evidence_note: Default::default(),
        evidence_hash: None,
        assessor: assessor.into(),
        assessed_at: "2016-03-01".into(),
        source,
        correction: None,
        revision: 0,
    }
}

#[test]
fn demo_rounds_tell_the_seed_story() {
    for db in backends("demo_rounds_tell_the_seed_story") {
        let out = run_demo(&db);
        let (ok, text) = run(&[
            "compare",
            "--round",
            "2015-H1",
            "--against",
            "2014-H2",
            "--format",
            "json",
            "--db",
            &db.url,
        ]);
        assert!(ok, "{}: {text}", db.name);
        let cmp: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let with = |m: &str| -> Vec<String> {
            cmp["services"]
                .as_array()
                .expect("services")
                .iter()
                .filter(|s| s["movement"] == m)
                .map(|s| s["service"].as_str().unwrap_or_default().to_string())
                .collect()
        };
        assert_eq!(
            with("improved"),
            ["SRV-0013", "SRV-0014", "SRV-0015", "SRV-0016"],
            "{}: the certificates",
            db.name
        );
        assert!(with("regressed").is_empty() && with("new").is_empty());
        let mut stuck: Vec<String> = ["undeveloped", "information_only"]
            .iter()
            .flat_map(|k| {
                cmp[k]
                    .as_array()
                    .expect("list")
                    .iter()
                    .map(|v| v.as_str().unwrap_or_default().to_string())
            })
            .collect();
        stuck.sort();
        let twelve: Vec<String> = (1..=12).map(|i| format!("SRV-{i:04}")).collect();
        assert_eq!(
            stuck, twelve,
            "{}: the twelve services stay at stage 0 or 1",
            db.name
        );
        assert!(cmp["index_now"].as_f64() > cmp["index_before"].as_f64());

        let (ok, text) = run(&[
            "score",
            "explain",
            "--round",
            "2015-H1",
            "--service",
            "SRV-0015",
            "--db",
            &db.url,
        ]);
        assert!(ok, "{text}");
        assert!(
            text.contains("answer: 4") && text.contains("https://www.e-gov.az/"),
            "explain shows the answer and its evidence: {text}"
        );
        assert!(text.contains("national index"), "{text}");

        // A published round refuses an edit; a correction with a reason is a new revision.
        let fix = out.path().join("fix.csv");
        std::fs::write(&fix, "service,question,answer,assessor,evidence_note\nSRV-0017,stage,3,Transparency Azerbaijan,re-checked\n").expect("write");
        let (ok, text) = run(&[
            "import",
            "assessments",
            "--round",
            "2015-H1",
            &fix.display().to_string(),
            "--db",
            &db.url,
        ]);
        assert!(!ok && text.contains("published"), "{}: {text}", db.name);
        let (ok, text) = run(&[
            "import",
            "assessments",
            "--round",
            "2015-H1",
            &fix.display().to_string(),
            "--correction",
            "online form found after publication",
            "--correction-az",
            "onlayn forma dərcdən sonra tapıldı",
            "--db",
            &db.url,
        ]);
        assert!(ok, "{text}");
        let store = db.store();
        let r = store.round("2015-H1").expect("read").expect("round");
        assert_eq!(r.revision, 1);
        let revs = store.round_revisions("2015-H1").expect("revisions");
        use egovwatch_domain::Lang;
        assert_eq!(
            revs[0].2.get(Lang::En),
            Some("online form found after publication")
        );
        assert_eq!(
            revs[0].2.get(Lang::Az),
            Some("onlayn forma dərcdən sonra tapıldı")
        );
        let corrected: Vec<_> = store
            .assessments("2015-H1")
            .expect("read")
            .into_iter()
            .filter(|a| a.correction.is_some())
            .collect();
        assert_eq!(corrected.len(), 1);
        assert_eq!(corrected[0].correction.as_ref(), Some(&revs[0].2));
        assert_eq!(corrected[0].revision, 1);
    }
}

/// The results of `code` as computed now from the store: what a publication stores.
fn computed(store: &egovwatch_store::Store, code: &str) -> monitoring::RoundResults {
    egovwatch_app::rounds::results_of(store, code).expect("results")
}

/// A published round keeps what it says: publishing stores its results in the same
/// transaction, a correction stores them again as a new revision (and the round compared with
/// it gets its "before" figures again), and `migrate` stores them for rounds published before.
#[test]
fn published_rounds_keep_their_results() {
    for db in backends("published_rounds_keep_their_results") {
        let out = run_demo(&db);
        let store = db.store();
        for code in ["2014-H2", "2015-H1"] {
            let stored = store.round_results(code).expect("read").expect("stored");
            assert_eq!(stored, computed(&store, code), "{}: {code}", db.name);
        }
        let latest = store
            .round_results("2015-H1")
            .expect("read")
            .expect("stored");
        assert_eq!(latest.against.as_deref(), Some("2014-H2"));
        assert_eq!(
            (latest.index, latest.index_before),
            (Some(33.6), Some(22.7))
        );
        let f = latest.findings.as_ref().expect("findings");
        assert_eq!((f.undeveloped.len(), f.information_only.len()), (4, 8));
        assert_eq!(f.improved, ["SRV-0013", "SRV-0014", "SRV-0015", "SRV-0016"]);
        assert_eq!(latest.units.len(), 22);
        assert!(latest.units.iter().all(|u| !u.values.is_empty()));
        assert!(!latest.groups.is_empty() && !latest.totals.is_empty());

        // A correction of the earlier round: its results are of the new revision, and the
        // later round is compared with the corrected figures.
        let fix = out.path().join("fix-2014.csv");
        std::fs::write(
            &fix,
            "service,question,answer,assessor,evidence_note\nSRV-0017,stage,5,Transparency Azerbaijan,re-checked\n",
        )
        .expect("write");
        let (ok, text) = run(&[
            "import",
            "assessments",
            "--round",
            "2014-H2",
            &fix.display().to_string(),
            "--correction",
            "a proactive service was missed",
            "--db",
            &db.url,
        ]);
        assert!(ok, "{text}");
        let earlier = store
            .round_results("2014-H2")
            .expect("read")
            .expect("stored");
        assert_eq!(earlier.revision, 1, "{}", db.name);
        assert_eq!(earlier, computed(&store, "2014-H2"));
        let later = store
            .round_results("2015-H1")
            .expect("read")
            .expect("stored");
        assert_eq!(later.index_before, earlier.index, "{}", db.name);
        assert_ne!(later.index_before, Some(22.7), "the before figure moved");
        assert_eq!(later, computed(&store, "2015-H1"));

        // A round published without its results (by an older version) gets them on migrate.
        store.create_round(&round("2016-H1", 1)).expect("create");
        store
            .add_assessments(
                "2016-H1",
                &[stage("SRV-0001", "2", "a", AssessmentSource::Manual)],
                None,
            )
            .expect("add");
        store
            .set_round_state("2016-H1", RoundState::Closed)
            .expect("close");
        store
            .set_round_state("2016-H1", RoundState::Published)
            .expect("publish");
        assert!(store.round_results("2016-H1").expect("read").is_none());
        // The site computes what publishing would have stored meanwhile.
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let page = rt.block_on(request(
            &egovwatch_web::router(db.store()),
            "/api/v1/rounds/2016-H1",
            &[],
        ));
        assert_eq!(page.status.as_u16(), 200, "{}: {}", db.name, page.body);
        let (ok, text) = run(&["migrate", "--db", &db.url]);
        assert!(
            ok && text.contains("stored the results of round 2016-H1"),
            "{text}"
        );
        let backfilled = store
            .round_results("2016-H1")
            .expect("read")
            .expect("stored");
        assert_eq!(backfilled, computed(&store, "2016-H1"));
        let (ok, text) = run(&["migrate", "--db", &db.url]);
        assert!(ok && text.contains("up to date"), "{}: {text}", db.name);
    }
}

#[test]
fn round_life_cycle_and_append_only_answers() {
    for db in backends("round_life_cycle_and_append_only_answers") {
        let store = demo_store(&db);
        store.create_round(&round("2016-H1", 1)).expect("create");
        assert!(matches!(
            store.create_round(&round("2016-H1", 1)),
            Err(StoreError::Conflict(_))
        ));
        let refused = store.set_round_state("2016-H1", RoundState::Published);
        assert!(
            matches!(refused, Err(StoreError::Refused(_))),
            "{}: open -> published is refused",
            db.name
        );
        store
            .add_assessments(
                "2016-H1",
                &[stage("SRV-0001", "2", "a", AssessmentSource::Manual)],
                None,
            )
            .expect("add");
        store
            .set_round_state("2016-H1", RoundState::Closed)
            .expect("close");
        let closed = store.add_assessments(
            "2016-H1",
            &[stage("SRV-0001", "3", "a", AssessmentSource::Manual)],
            None,
        );
        assert!(
            matches!(closed, Err(StoreError::Refused(_))),
            "a closed round takes no answers"
        );
        store
            .set_round_state("2016-H1", RoundState::Open)
            .expect("reopen");
        store
            .add_assessments(
                "2016-H1",
                &[stage("SRV-0001", "3", "a", AssessmentSource::Manual)],
                None,
            )
            .expect("add");
        // The later answer supersedes the earlier one; both are kept.
        let all = store.assessments("2016-H1").expect("read");
        assert_eq!(all.len(), 2);
        let fw = egovwatch_domain::scoring::catalog::builtin_by_id("stages").expect("stages");
        let reg = store.registry().expect("registry");
        let r = store.round("2016-H1").expect("read").expect("round");
        let scored = monitoring::score(&fw, &reg, &r, &all);
        let unit = scored.unit_of("SRV-0001").expect("in scope");
        assert_eq!(scored.stage(&fw, unit), Some(3));

        // The database refuses to change or remove an answer.
        let sql_update = "UPDATE assessments SET answer = '5'";
        let refused = match &store {
            egovwatch_store::Store::Sqlite(_) => {
                let path = db.url.clone();
                let mut c = SqliteConnection::establish(&path).expect("sqlite");
                diesel::sql_query(sql_update).execute(&mut c).is_err()
                    && diesel::sql_query("DELETE FROM assessments")
                        .execute(&mut c)
                        .is_err()
            }
            egovwatch_store::Store::Postgres(_) => {
                let mut c = PgConnection::establish(&db.url).expect("pg");
                diesel::sql_query(sql_update).execute(&mut c).is_err()
                    && diesel::sql_query("DELETE FROM assessments")
                        .execute(&mut c)
                        .is_err()
            }
        };
        assert!(refused, "{}: assessments are append-only", db.name);
    }
}

#[test]
fn a_new_round_can_start_from_last_rounds_answers() {
    for db in backends("a_new_round_can_start_from_last_rounds_answers") {
        let out = run_demo(&db);
        let (ok, text) = run(&[
            "round",
            "create",
            "2015-H2",
            "--from",
            "2015-07-01",
            "--to",
            "2015-12-31",
            "--prefill-from",
            "2015-H1",
            "--db",
            &db.url,
        ]);
        assert!(
            ok && text.contains("22 answers of round 2015-H1 proposed"),
            "{text}"
        );
        let score = |round: &str| {
            let (ok, text) = run(&[
                "score", "--round", round, "--format", "json", "--db", &db.url,
            ]);
            assert!(ok, "{text}");
            serde_json::from_str::<serde_json::Value>(&text).expect("JSON")["total"].clone()
        };
        assert_eq!(
            score("2015-H2"),
            score("2015-H1"),
            "{}: proposals count until answered",
            db.name
        );
        // Confirming a different answer replaces the proposal.
        let csv = out.path().join("new.csv");
        std::fs::write(
            &csv,
            "service,question,answer,assessor\nSRV-0001,stage,3,monitor\n",
        )
        .expect("write");
        let (ok, text) = run(&[
            "import",
            "assessments",
            "--round",
            "2015-H2",
            &csv.display().to_string(),
            "--db",
            &db.url,
        ]);
        assert!(ok, "{text}");
        let store = db.store();
        let all = store.assessments("2015-H2").expect("read");
        let eff = monitoring::effective(&all);
        let srv1: Vec<_> = eff.iter().filter(|a| a.service == "SRV-0001").collect();
        assert_eq!(srv1.len(), 1);
        assert_eq!(srv1[0].answer, "3");
        assert!(score("2015-H2").as_f64() > score("2015-H1").as_f64());
    }
}

#[test]
fn two_assessors_disagree_until_arbitrated() {
    for db in backends("two_assessors_disagree_until_arbitrated") {
        let store = demo_store(&db);
        store.create_round(&round("2016-H1", 2)).expect("create");
        store
            .add_assessments(
                "2016-H1",
                &[
                    stage("SRV-0002", "1", "first", AssessmentSource::Manual),
                    stage("SRV-0002", "3", "second", AssessmentSource::Manual),
                    stage("SRV-0003", "2", "first", AssessmentSource::Manual),
                    stage("SRV-0003", "2", "second", AssessmentSource::Manual),
                ],
                None,
            )
            .expect("add");
        let open = monitoring::discrepancies(&store.assessments("2016-H1").expect("read"));
        assert_eq!(open.len(), 1, "{}: only SRV-0002 differs", db.name);
        assert_eq!(open[0].0, "SRV-0002");
        let url = db.url.clone();
        let (ok, text) = run(&["round", "close", "2016-H1", "--db", &url]);
        assert!(
            !ok && text.contains("discrepancies"),
            "closing waits for arbitration: {text}"
        );
        store
            .add_assessments(
                "2016-H1",
                &[stage(
                    "SRV-0002",
                    "2",
                    "arbiter",
                    AssessmentSource::Arbitration,
                )],
                None,
            )
            .expect("arbitrate");
        let all = store.assessments("2016-H1").expect("read");
        assert!(monitoring::discrepancies(&all).is_empty());
        let eff = monitoring::effective(&all);
        let srv2: Vec<_> = eff.iter().filter(|a| a.service == "SRV-0002").collect();
        assert_eq!(srv2.len(), 1);
        assert_eq!(srv2[0].answer, "2", "the arbitration counts");
        let (ok, text) = run(&["round", "close", "2016-H1", "--db", &url]);
        assert!(ok, "{text}");
    }
}

#[test]
fn synth_fills_a_database_whose_scores_match_the_engine() {
    for db in backends("synth_fills_a_database_whose_scores_match_the_engine") {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().display().to_string();
        let (ok, text) = run(&[
            "synth",
            "--countries",
            "2",
            "--services",
            "40",
            "--rounds",
            "2",
            "--db",
            &db.url,
            "--export-csv",
            &out,
        ]);
        assert!(ok, "{}: {text}", db.name);
        assert!(
            dir.path().join("answers.csv").is_file()
                && dir.path().join("registry-csv/services.csv").is_file()
        );
        let (ok, text) = run(&[
            "score", "--round", "C002-R02", "--format", "json", "--db", &db.url,
        ]);
        assert!(ok, "{text}");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        // The same round scored straight from the generator, without text or database.
        let p = egovwatch_synth::Params {
            countries: 2,
            services: 40,
            rounds: 2,
            seed: 2015,
        };
        let fw = egovwatch_domain::scoring::catalog::builtin_by_id("eu-egov-benchmark-2020")
            .expect("EU");
        let (flags, evidence, groupings) = egovwatch_synth::engine_input(&p, &fw, 1, 1);
        let input = egovwatch_domain::scoring::RoundInput::build(&fw, flags, &evidence);
        let direct = egovwatch_domain::scoring::score_round(&fw, &input, &groupings);
        let want = direct.total_value(fw.headline_total).map(|v| fw.round(v));
        assert_eq!(
            doc["total"].as_f64(),
            want,
            "{}: stored and generated answers score alike",
            db.name
        );
        // Each country's rounds form their own series: its second round, published, is
        // compared with its first, not with another country's (found through the rounds'
        // scope index, whatever the other rounds hold).
        let store = db.store();
        for code in ["C001-R02", "C002-R02"] {
            store
                .set_round_state(code, RoundState::Closed)
                .expect("close");
            egovwatch_app::rounds::publish(&store, code, "2026-12-04T00:00:00Z").expect("publish");
        }
        // Publishing read each round's country alone (`rounds::registry_of`); what it stored
        // is what the whole registry gives, as is what `synth` stored on the whole registry.
        let whole = std::sync::Arc::new(store.registry().expect("registry"));
        let on_whole = |code: &str| egovwatch_app::rounds::load_on(&store, code, whole.clone());
        for (code, against) in [("C001-R02", "C001-R01"), ("C002-R02", "C002-R01")] {
            let results = store.round_results(code).expect("read").expect("stored");
            assert_eq!(results.against.as_deref(), Some(against), "{}", db.name);
            let now = on_whole(code).expect("load");
            let before = on_whole(against).expect("load");
            assert!(
                results == monitoring::results(&now, Some(&before)),
                "{}: {code} published on its part differs from the whole's",
                db.name
            );
            assert_eq!(
                computed(&store, against),
                store.round_results(against).expect("read").expect("stored")
            );
            let part = egovwatch_app::rounds::registry_of(&store, &now.round).expect("part");
            assert_eq!(part.services.len(), 40, "{}: {code}", db.name);
        }
        assert_eq!(
            store
                .rounds_naming("eu-egov-benchmark-2020", &["C002-S00001"])
                .expect("read")
                .iter()
                .map(|r| r.code.as_str())
                .collect::<Vec<_>>(),
            ["C002-R01", "C002-R02"],
            "{}",
            db.name
        );
        assert!(
            store
                .rounds_naming("stages", &["C002-S00001"])
                .expect("read")
                .iter()
                .all(|r| r.framework == "stages")
        );
        let (ok, text) = run(&[
            "synth",
            "--countries",
            "1",
            "--services",
            "5",
            "--db",
            &db.url,
        ]);
        assert!(!ok && text.contains("already holds a registry"), "{text}");
    }
}

/// A round is opened only on a scope of services in the registry; the check reads the scope's
/// services alone, and a refused round leaves nothing behind.
#[test]
fn a_round_is_opened_only_on_services_in_the_registry() {
    for db in backends("a_round_is_opened_only_on_services_in_the_registry") {
        let store = demo_store(&db);
        let fw = egovwatch_app::rounds::framework("stages").expect("stages");
        let round = |code: &str, scope: &[&str]| {
            Round::open(
                code,
                egovwatch_domain::Text::new().with(egovwatch_domain::Lang::En, code),
                &fw,
                ("2016-01-01", "2016-06-30"),
                scope.iter().map(|s| s.to_string()).collect(),
                "2016-01-01T00:00:00Z",
            )
        };
        let now = "2016-01-01T00:00:00Z";
        let refused = round("2016-H1", &["SRV-0001", "SRV-9999"]);
        match egovwatch_app::rounds::open(&store, &refused, None, now) {
            Err(egovwatch_app::Error::InvalidRound(problems)) => assert_eq!(
                problems,
                ["scope: no service \"SRV-9999\" in the registry"],
                "{}",
                db.name
            ),
            other => panic!("{}: {other:?}", db.name),
        }
        let codes = |s: &egovwatch_store::Store| -> Vec<String> {
            s.rounds()
                .expect("rounds")
                .into_iter()
                .map(|r| r.code)
                .collect()
        };
        assert!(
            !codes(&store).contains(&"2016-H1".to_string()),
            "{}",
            db.name
        );
        let opened = round("2016-H1", &["SRV-0001", "SRV-0002"]);
        egovwatch_app::rounds::open(&store, &opened, None, now).expect("opened");
        assert!(
            codes(&store).contains(&"2016-H1".to_string()),
            "{}",
            db.name
        );
    }
}
