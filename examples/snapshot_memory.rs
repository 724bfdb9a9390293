//! What the public site's snapshot holds in memory, part by part, on a given database.
//!
//! `cargo run --release --example snapshot_memory -- DB`
//!
//! Prints the bytes live on the heap (jemalloc's count of allocated bytes, not the resident
//! memory the allocator keeps) after each part is read or built, and the time each took.

use egovwatch_domain::Index;
use egovwatch_domain::search::SearchIndex;
use egovwatch_store::Store;
mod support;
use support::{held_mb, live_mb};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = std::env::args()
        .nth(1)
        .ok_or("usage: snapshot_memory DB (an SQLite path or a postgres:// URL)")?;
    let store = Store::open(&db)?;
    let base = live_mb();
    let mut last = base;
    let mut since = std::time::Instant::now();
    let mut step = |what: &str| {
        let now = live_mb();
        println!(
            "{what:<40} {:>8.1} MB {:>+8.1} MB {:>9.2?}   held {:>6.1} MB",
            now - base,
            now - last,
            since.elapsed(),
            held_mb()
        );
        last = now;
        since = std::time::Instant::now();
    };
    let reg = store.registry()?;
    step(&format!(
        "registry ({} services, {} outputs)",
        reg.services.len(),
        reg.outputs.len()
    ));
    let codes = Index::new(&reg);
    step("index of codes");
    let search = SearchIndex::new(&reg);
    step("search index");
    drop((reg, codes, search));
    step("(dropped)");
    let snapshot = egovwatch_web::snapshot::Snapshot::build(&store)?;
    step("whole snapshot");
    snapshot.search();
    step("its search index");
    if let Some(r) = snapshot.current() {
        let scored = snapshot.scored(r);
        step(&format!(
            "current round {} scored (while the analysis runs)",
            r.round.code
        ));
        drop(scored);
    }
    let one = (0..snapshot.reg.services.len())
        .find_map(|i| snapshot.service_gap(i, egovwatch_domain::Lang::En));
    step(&format!(
        "gap analysis made, one service in words ({} reasons)",
        one.map_or(0, |v| v.reasons.len())
    ));
    for lang in egovwatch_domain::Lang::ALL {
        let gaps = snapshot.gaps(lang);
        let (investments, unlocks, services, reasons) = gaps.as_ref().map_or((0, 0, 0, 0), |r| {
            (
                r.investments.len(),
                r.investments
                    .iter()
                    .map(|i| i.unlocked_services.len())
                    .sum::<usize>(),
                r.services.len(),
                r.services.iter().map(|s| s.reasons.len()).sum::<usize>(),
            )
        });
        step(&format!(
            "gap analysis in {lang} ({investments} investments unlocking {unlocks}, {services} services, {reasons} reasons)"
        ));
    }
    Ok(())
}
