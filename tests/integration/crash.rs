//! Crash safety: the real binary is killed (`SIGKILL`) at random points of a registry import,
//! of a round's publication and of a correction of a published round, on both backends; the
//! database must then be exactly as before the command or exactly as after it.
//!
//! Half the kills come after a random delay from the start of the process, half after the test
//! has seen the command write (an open write transaction: PostgreSQL `backend_xid`, SQLite's
//! write lock), so that some land in the middle of the transaction.

use crate::support::*;
use diesel::prelude::*;
use egovwatch_domain::monitoring::{Round, RoundState};
use egovwatch_domain::{Lang, Registry};
use egovwatch_store::Store;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_egovwatch");
/// libpq's `application_name` of the children, to find their server processes.
const APP: &str = "egovwatch-crash-test";

/// A small deterministic generator, seeded from the clock (the seed is printed).
struct Dice(u64);

impl Dice {
    fn new() -> Dice {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7)
            | 1;
        say(&format!("crash test seed {seed}"));
        Dice(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }

    fn up_to(&mut self, d: Duration) -> Duration {
        Duration::from_micros(self.below(d.as_micros() as u64 + 1))
    }
}

/// Tells whether the child is inside a write transaction right now.
enum Probe {
    Sqlite(String),
    Postgres(PgConnection),
}

impl Probe {
    fn new(db: &TestDb) -> Probe {
        match db.name {
            "postgres" => Probe::Postgres(PgConnection::establish(&db.url).expect("probe")),
            _ => Probe::Sqlite(db.url.clone()),
        }
    }

    fn writing(&mut self) -> bool {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        match self {
            Probe::Postgres(c) => diesel::sql_query(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 \
                 AND backend_xid IS NOT NULL",
            )
            .bind::<diesel::sql_types::Text, _>(APP)
            .get_result::<N>(c)
            .map(|r| r.n > 0)
            .unwrap_or(false),
            Probe::Sqlite(path) => {
                // Someone holds the write lock when an immediate transaction cannot start.
                let Ok(mut c) = SqliteConnection::establish(path) else {
                    return false;
                };
                if diesel::sql_query("PRAGMA busy_timeout = 0")
                    .execute(&mut c)
                    .is_err()
                {
                    return false;
                }
                match diesel::sql_query("BEGIN IMMEDIATE").execute(&mut c) {
                    Ok(_) => {
                        let _ = diesel::sql_query("ROLLBACK").execute(&mut c);
                        false
                    }
                    Err(_) => true,
                }
            }
        }
    }

    /// Waits until the server has finished with the killed child's connections, so that a
    /// commit it had already received is visible before the state is checked.
    fn settle(&mut self) {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        if let Probe::Postgres(c) = self {
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                let left = diesel::sql_query(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1",
                )
                .bind::<diesel::sql_types::Text, _>(APP)
                .get_result::<N>(c)
                .map(|r| r.n)
                .unwrap_or(0);
                if left == 0 {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            panic!("the killed child's server processes did not end");
        }
    }
}

fn spawn(args: &[&str]) -> Child {
    Command::new(BIN)
        .args(args)
        .env_remove("EGOVWATCH_DB")
        .env("PGAPPNAME", APP)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn egovwatch")
}

/// How one kill went.
#[derive(Default)]
struct Tally {
    kills: usize,
    while_writing: usize,
    before: usize,
    after: usize,
}

/// Runs `args` and kills it: after a random delay up to `window` from the start, or (every
/// other trial) once it writes plus a random delay up to `window / 4`.
fn run_and_kill(
    args: &[&str],
    probe: &mut Probe,
    dice: &mut Dice,
    trial: usize,
    window: Duration,
    tally: &mut Tally,
) {
    let mut child = spawn(args);
    let start = Instant::now();
    if trial.is_multiple_of(2) {
        std::thread::sleep(dice.up_to(window));
    } else {
        while start.elapsed() < window * 2 && !probe.writing() {
            if child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(dice.up_to(window / 4));
    }
    let writing = probe.writing();
    let _ = child.kill();
    let _ = child.wait();
    probe.settle();
    tally.kills += 1;
    tally.while_writing += usize::from(writing);
}

/// Every service renamed with `k`, so an import of it rewrites the whole registry.
fn renamed(base: &Registry, k: usize) -> Registry {
    let mut r = base.clone();
    for s in &mut r.services {
        let en = s.name.get(Lang::En).unwrap_or_default().to_string();
        s.name.set(Lang::En, format!("{en} v{k}"));
    }
    r
}

fn export(store: &Store) -> String {
    egovwatch_interop::json::write(&store.registry().expect("registry"))
}

fn stages_round(code: &str) -> Round {
    open_stages_round(code, 1)
}

const SERVICES: usize = 150;
const TRIALS: usize = 5;

#[test]
fn killed_commands_leave_the_state_before_or_after() {
    for db in backends("killed_commands_leave_the_state_before_or_after") {
        let began = Instant::now();
        let dir = tempfile::tempdir().expect("tmp");
        let store = db.store();
        let p = egovwatch_synth::Params {
            countries: 1,
            services: SERVICES,
            rounds: 1,
            seed: 3,
        };
        let base = egovwatch_synth::registry(&p).expect("synthetic registry");
        store.import(&base, &meta("base")).expect("base");
        let mut probe = Probe::new(&db);
        let mut dice = Dice::new();

        // 1. Registry imports: each file renames every service.
        let mut tally = Tally::default();
        let mut window = Duration::from_secs(1);
        for k in 0..=TRIALS {
            let next = renamed(&base, k);
            let file = dir.path().join(format!("registry-{k}.json"));
            std::fs::write(&file, egovwatch_interop::json::write(&next)).expect("write");
            let (before, revs) = (export(&store), store.data_version().expect("version"));
            let after = egovwatch_interop::json::write(&next);
            let file = file.display().to_string();
            let args = ["import", "registry", file.as_str(), "--db", &db.url];
            if k == 0 {
                // The first runs to the end: it measures the window the kills aim at.
                let t = Instant::now();
                let (ok, text) = run_bin(&args);
                assert!(ok, "{}: {text}", db.name);
                window = t.elapsed();
            } else {
                run_and_kill(&args, &mut probe, &mut dice, k, window, &mut tally);
            }
            let (now, now_revs) = (export(&store), store.data_version().expect("version"));
            if now == before {
                assert_eq!(
                    now_revs, revs,
                    "{}: trial {k}: revisions without records",
                    db.name
                );
                tally.before += 1;
            } else {
                assert!(
                    now == after,
                    "{}: trial {k}: a half-written registry",
                    db.name
                );
                let changed = store.changes_since(revs, i64::MAX).expect("changes");
                assert_eq!(
                    (changed.len(), changed.last().map(|c| c.seq)),
                    (SERVICES, Some(now_revs)),
                    "{}: trial {k}: one change per renamed service",
                    db.name
                );
                tally.after += 1;
            }
        }
        report(&db, "import registry", window, &tally);
        assert!(
            tally.while_writing > 0,
            "{}: no kill landed mid-import",
            db.name
        );

        // 2. Publishing closed rounds (the first runs to the end, to measure).
        let mut tally = Tally::default();
        for k in 0..=TRIALS {
            let code = format!("P{k}");
            store.create_round(&stages_round(&code)).expect("create");
            store
                .add_assessments(&code, &stage_answers(&base, 50), None)
                .expect("answers");
            let closed = store
                .set_round_state(&code, RoundState::Closed)
                .expect("close");
            let v = store.data_version().expect("version");
            let args = ["round", "publish", &code, "--db", &db.url];
            if k == 0 {
                let t = Instant::now();
                let (ok, text) = run_bin(&args);
                assert!(ok, "{}: {text}", db.name);
                window = t.elapsed();
            } else {
                run_and_kill(&args, &mut probe, &mut dice, k, window, &mut tally);
            }
            let r = store.round(&code).expect("read").expect("round");
            let now = store.data_version().expect("version");
            if r.state == RoundState::Closed {
                assert_eq!((&r, now), (&closed, v), "{}: {code}", db.name);
                tally.before += 1;
            } else {
                assert_eq!(r.state, RoundState::Published, "{}: {code}", db.name);
                assert!(r.published_at.is_some(), "{}: {code}", db.name);
                let changed = store.changes_since(v, i64::MAX).expect("changes");
                assert!(
                    !changed.is_empty()
                        && changed.iter().all(|c| c.kind == "round" && c.code == code),
                    "{}: {code}: the publication is the only change: {changed:?}",
                    db.name
                );
                tally.after += 1;
            }
        }
        report(&db, "round publish", window, &tally);

        // 3. Corrections of a published round: many answers each.
        let rows = 10_000;
        store.create_round(&stages_round("CORR")).expect("create");
        store
            .add_assessments("CORR", &stage_answers(&base, 100), None)
            .expect("answers");
        store
            .set_round_state("CORR", RoundState::Closed)
            .expect("close");
        store
            .set_round_state("CORR", RoundState::Published)
            .expect("publish");
        let mut csv = String::from("service,question,answer,assessor,evidence_note\n");
        for (i, s) in base.services.iter().cycle().take(rows).enumerate() {
            csv.push_str(&format!("{},stage,{},crash test,row {i}\n", s.code, i % 6));
        }
        let file = dir.path().join("correction.csv");
        std::fs::write(&file, csv).expect("write");
        let file = file.display().to_string();
        let mut tally = Tally::default();
        for k in 0..=TRIALS {
            let reason = format!("correction {k}");
            let args = [
                "import",
                "assessments",
                "--round",
                "CORR",
                "--correction",
                &reason,
                "--db",
                &db.url,
                &file,
            ];
            let state = |store: &Store| {
                let r = store.round("CORR").expect("read").expect("round");
                (
                    r.revision,
                    store.assessments("CORR").expect("answers").len(),
                    store.round_revisions("CORR").expect("revisions").len(),
                )
            };
            let (rev, n, fixes) = state(&store);
            if k == 0 {
                let t = Instant::now();
                let (ok, text) = run_bin(&args);
                assert!(ok, "{}: {text}", db.name);
                window = t.elapsed();
            } else {
                run_and_kill(&args, &mut probe, &mut dice, k, window, &mut tally);
            }
            let now = state(&store);
            if now == (rev, n, fixes) {
                tally.before += 1;
            } else {
                assert_eq!(
                    now,
                    (rev + 1, n + rows, fixes + 1),
                    "{}: trial {k}",
                    db.name
                );
                tally.after += 1;
            }
        }
        report(&db, "correction", window, &tally);
        assert!(
            tally.while_writing > 0,
            "{}: no kill landed mid-correction",
            db.name
        );
        say(&format!(
            "crash {}: all scenarios in {:.1} s",
            db.name,
            began.elapsed().as_secs_f64()
        ));
    }
}

fn report(db: &TestDb, what: &str, window: Duration, t: &Tally) {
    say(&format!(
        "crash {} {what}: full run {} ms, {} kills ({} while writing): {} left the state before, {} after",
        db.name,
        window.as_millis(),
        t.kills,
        t.while_writing,
        t.before,
        t.after
    ));
}
