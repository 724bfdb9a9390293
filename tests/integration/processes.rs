//! Several `serve` processes on one PostgreSQL database, as behind a reverse proxy
//! (docs/deploy.md): each answers from what the database holds, and a change stored through any
//! of them (here: a registry import and a round publication by the command line) is visible
//! through all of them within the bound below. One of them reads through a read-only
//! connection, as `serve` does from a streaming replica.

use crate::support::{self, Server, get, say, serve};
use egovwatch_domain::monitoring::RoundState;
use egovwatch_domain::{Lang, Text};
use std::time::{Duration, Instant};

/// How soon a change must show on every process: a process asks the database every
/// `snapshot::RECHECK` (100 ms) whether its data moved, then reads only what changed
/// (milliseconds here, under a second at 50,000 services: bench/README.md).
const VISIBLE_WITHIN: Duration = Duration::from_secs(1);

/// Asks every server for `path` until its answer contains `needle`; how long each took.
fn until_all_show(servers: &[Server], path: &str, needle: &str, within: Duration) -> Vec<Duration> {
    let start = Instant::now();
    let mut seen: Vec<Option<Duration>> = vec![None; servers.len()];
    while seen.iter().any(Option::is_none) && start.elapsed() < within {
        for (s, at) in servers.iter().zip(seen.iter_mut()) {
            if at.is_none() && get(&s.addr, path).is_some_and(|b| b.contains(needle)) {
                *at = Some(start.elapsed());
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    seen.into_iter()
        .enumerate()
        .map(|(i, t)| {
            t.unwrap_or_else(|| {
                panic!("server {i} did not show {needle:?} on {path} within {within:?}")
            })
        })
        .collect()
}

#[test]
fn three_serve_processes_on_one_postgres_see_every_change() {
    let Some(db) = support::postgres("three_serve_processes_on_one_postgres_see_every_change")
    else {
        return;
    };
    let store = support::demo_store(&db);
    // The third reads through a read-only connection, as from a streaming replica.
    let sep = if db.url.contains('?') { '&' } else { '?' };
    let read_only = format!(
        "{}{sep}options=-c%20default_transaction_read_only%3Don",
        db.url
    );
    let servers = [serve(&db.url), serve(&db.url), serve(&read_only)];
    let path = "/api/v1/services/SRV-0013";
    until_all_show(
        &servers,
        path,
        "Certificate of residential registration",
        Duration::from_secs(60),
    );

    // A registry change, stored as an import stores it.
    let renamed = "Residence certificate, renamed for the test";
    support::rename_service(
        &store,
        "SRV-0013",
        Text::new()
            .with(Lang::En, renamed)
            .with(Lang::Az, "Yaşayış yeri arayışı"),
        "renamed by the three-process test",
    );
    let took = until_all_show(&servers, path, renamed, VISIBLE_WITHIN);
    say(&format!(
        "a registry change showed on the three processes after {:?}",
        took
    ));

    // A round published through the command line.
    let round = support::open_stages_round("PROC-R1", 1);
    store.create_round(&round).expect("round");
    let registry = store.registry().expect("registry");
    store
        .add_assessments("PROC-R1", &support::stage_answers(&registry, 10), None)
        .expect("answers");
    store
        .set_round_state("PROC-R1", RoundState::Closed)
        .expect("close");
    let (ok, out) = support::run_bin(&["round", "publish", "PROC-R1", "--db", &db.url]);
    assert!(ok, "{out}");
    let took = until_all_show(&servers, "/api/v1/rounds", "PROC-R1", VISIBLE_WITHIN);
    say(&format!(
        "a round publication showed on the three processes after {:?}",
        took
    ));
}
