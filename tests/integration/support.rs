//! A fresh database per test on each backend.
//!
//! PostgreSQL is found at `EGOVWATCH_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test gets its own database, dropped at the
//! end. Without PostgreSQL a test prints a SKIP line, which `EGOVWATCH_REQUIRE_POSTGRES=1`
//! turns into a failure.

use diesel::prelude::*;
use egovwatch_store::Store;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

impl TestDb {
    pub fn store(&self) -> Store {
        Store::open(&self.url).unwrap_or_else(|e| panic!("{}: open {}: {e}", self.name, self.url))
    }

    /// Runs `sql` (statements separated by `;`) on a connection of its own, outside the store:
    /// for a test that puts the database in a state the store would not.
    pub fn execute(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        let done = match self.name {
            "postgres" => diesel::PgConnection::establish(&self.url)
                .map_err(|e| e.to_string())
                .and_then(|mut c| c.batch_execute(sql).map_err(|e| e.to_string())),
            // Waits, as the store's connections do, for one a pool is still closing.
            _ => diesel::SqliteConnection::establish(&self.url)
                .map_err(|e| e.to_string())
                .and_then(|mut c| {
                    c.batch_execute(&format!("PRAGMA busy_timeout = 30000; {sql}"))
                        .map_err(|e| e.to_string())
                }),
        };
        if let Err(e) = done {
            panic!("{}: {sql}: {e}", self.name);
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, db)) = &self.pg_drop
            && let Ok(mut c) = PgConnection::establish(admin)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .execute(&mut c);
        }
    }
}

/// Prints past the test harness's capture, so a skip is seen in a normal `cargo test` run.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A check that needs an external tool: a visible SKIP line, or a failure when
/// `EGOVWATCH_REQUIRE_TOOLS=1` (set by CI, which installs the tools).
pub fn skip(what: &str) {
    if std::env::var_os("EGOVWATCH_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("{what}, and EGOVWATCH_REQUIRE_TOOLS=1 forbids skipping");
    }
    say(&format!("SKIP {what}"));
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = dir.path().join("test.db").display().to_string();
    TestDb {
        name: "sqlite",
        url,
        _dir: Some(dir),
        pg_drop: None,
    }
}

/// A new, empty PostgreSQL database, or None (after a SKIP line) when there is no server.
pub fn postgres(test: &str) -> Option<TestDb> {
    postgres_with(test, "")
}

/// [`postgres`], the database created with `options` (`CREATE DATABASE name {options}`).
pub fn postgres_with(test: &str, options: &str) -> Option<TestDb> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let admin = std::env::var("EGOVWATCH_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_PG.to_string());
    let mut c = match PgConnection::establish(&admin) {
        Ok(c) => c,
        Err(e) => {
            if std::env::var("EGOVWATCH_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!(
                    "{test}: PostgreSQL is required (EGOVWATCH_REQUIRE_POSTGRES=1) but {admin} does not answer: {e}"
                );
            }
            say(&format!(
                "SKIP postgres: {test}: {admin} does not answer ({e})"
            ));
            return None;
        }
    };
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let db = format!("egw_test_{}_{}_{}", std::process::id(), n, nanos);
    if let Err(e) = diesel::sql_query(format!("CREATE DATABASE {db} {options}")).execute(&mut c) {
        // A server built without what the options ask for (ICU, say) is a missing tool.
        if !options.is_empty() {
            skip(&format!("{test}: CREATE DATABASE ... {options}: {e}"));
            return None;
        }
        panic!("create database {db}: {e}");
    }
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin.clone());
    Some(TestDb {
        name: "postgres",
        url: format!("{base}/{db}"),
        _dir: None,
        pg_drop: Some((admin, db)),
    })
}

/// SQLite always, PostgreSQL when it answers.
pub fn backends(test: &str) -> Vec<TestDb> {
    let mut v = vec![sqlite()];
    v.extend(postgres(test));
    v
}

pub const DEMO: &str = include_str!("../../data/demo/registry.json");

pub fn meta(reason: &str) -> egovwatch_store::ChangeMeta {
    egovwatch_store::ChangeMeta {
        author: "test".into(),
        reason: egovwatch_domain::Text::new().with(egovwatch_domain::Lang::En, reason),
    }
}

/// A store loaded with the demo registry.
pub fn demo_store(db: &TestDb) -> Store {
    let store = db.store();
    let parsed =
        egovwatch_interop::json::read("registry.json", DEMO.as_bytes()).expect("demo parses");
    store
        .import(&parsed.registry, &meta("demo"))
        .expect("demo imports");
    store
}

/// The real binary, as a user runs it: (succeeded, stdout + stderr).
/// `egovwatch synth` of `[countries, services, rounds]` into `db`; panics if it fails.
pub fn synth_into(db: &TestDb, [countries, services, rounds]: [&str; 3]) {
    let (ok, text) = run_bin(&[
        "synth",
        "--countries",
        countries,
        "--services",
        services,
        "--rounds",
        rounds,
        "--db",
        &db.url,
    ]);
    assert!(ok, "{}: {text}", db.name);
}

pub fn run_bin(args: &[&str]) -> (bool, String) {
    run_bin_env(args, &[])
}

/// `run_bin` with environment variables set (a locale, say).
pub fn run_bin_env(args: &[&str], vars: &[(&str, &str)]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_egovwatch"))
        .args(args)
        .env_remove("EGOVWATCH_DB")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .envs(vars.iter().copied())
        .output()
        .expect("run egovwatch");
    let mut text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // How it ended, when it failed: a process killed by a signal says nothing of its own.
    if !out.status.success() {
        text += &format!("\n({})", out.status);
    }
    (out.status.success(), text)
}

/// `egovwatch demo --no-serve` into `db`; the returned folder holds what it wrote.
pub fn run_demo(db: &TestDb) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tmp");
    let (ok, text) = run_bin(&[
        "demo",
        "--no-serve",
        "--db",
        &db.url,
        "--out",
        &out.path().display().to_string(),
    ]);
    assert!(ok, "{}: {text}", db.name);
    out
}

/// Renames a stored service, as an editor would, in one import.
pub fn rename_service(store: &Store, code: &str, name: egovwatch_domain::Text, reason: &str) {
    let mut s = store
        .registry()
        .expect("load")
        .service(code)
        .expect("service")
        .clone();
    s.name = name;
    save_services(store, vec![s], reason);
}

/// Imports `services` as one change, for `reason`.
pub fn save_services(store: &Store, services: Vec<egovwatch_domain::Service>, reason: &str) {
    let reg = egovwatch_domain::Registry {
        services: services.into(),
        ..egovwatch_domain::Registry::default()
    };
    store.import(&reg, &meta(reason)).expect("import");
}

/// An answer of the router, read whole.
pub struct Answer {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// A GET through the real router, with the request headers given.
pub async fn request(app: &axum::Router, path: &str, headers: &[(&str, &str)]) -> Answer {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut req = axum::http::Request::builder().uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app
        .clone()
        .oneshot(req.body(axum::body::Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// An open round of the `stages` framework for the first half of 2016, scope: every service.
pub fn open_stages_round(code: &str, assessors: u8) -> egovwatch_domain::monitoring::Round {
    use egovwatch_domain::monitoring::{Round, RoundState};
    Round {
        code: code.into(),
        name: egovwatch_domain::Text::new().with(egovwatch_domain::Lang::En, code),
        period_start: "2016-01-01".into(),
        period_end: "2016-06-30".into(),
        framework: "stages".into(),
        framework_version: "2015.1".into(),
        scope: vec![],
        state: RoundState::Open,
        assessors,
        revision: 0,
        created_at: "2016-01-01T00:00:00Z".into(),
        closed_at: None,
        published_at: None,
    }
}

/// `n` answers to the `stages` question, over the registry's services in turn, stages 0-5.
pub fn stage_answers(
    registry: &egovwatch_domain::Registry,
    n: usize,
) -> Vec<egovwatch_domain::monitoring::Assessment> {
    use egovwatch_domain::monitoring::{Assessment, AssessmentSource};
    (0..n)
        .map(|i| Assessment {
            service: registry.services[i % registry.services.len()]
                .code
                .to_string(),
            channel: None,
            perspective: Default::default(),
            question: "stage".into(),
            answer: (i % 6).to_string(),
            evidence_url: None,
            evidence_note: Default::default(),
            evidence_hash: None,
            assessor: "setup".into(),
            assessed_at: "2016-03-01".into(),
            source: AssessmentSource::Manual,
            correction: None,
            revision: 0,
        })
        .collect()
}

/// A running `serve`, stopped when dropped.
pub struct Server {
    child: std::process::Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `egovwatch serve` on `url`, on a free loopback port (the address it prints first).
pub fn serve(url: &str) -> Server {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_egovwatch"))
        .args(["serve", "--db", url, "--listen", "127.0.0.1:0"])
        .env_remove("EGOVWATCH_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start serve");
    let mut first = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("read address");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    Server { child, addr }
}

/// The body of a GET, when it answered 200.
pub fn get(addr: &str, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(addr).ok()?;
    conn.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .ok()?;
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut resp = String::new();
    conn.read_to_string(&mut resp).ok()?;
    resp.starts_with("HTTP/1.1 200")
        .then(|| resp.split_once("\r\n\r\n").map(|(_, b)| b.to_string()))
        .flatten()
}
