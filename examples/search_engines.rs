//! The site's search, three ways, on one database's services: egovwatch's own in-memory index
//! (`egovwatch_domain::search`), SQLite FTS5, and PostgreSQL full text (a stored
//! `to_tsvector('simple')` column with a GIN index), the two engines over the folded `search_text` column the store keeps
//! (`fold_az` of code, names and descriptions, so all three fold Azerbaijani the same way).
//!
//! `cargo run --release --example search_engines -- SQLITE_DB [POSTGRES_URL]`
//!
//! Prints, for each engine, how long its index takes to build and how much memory it holds, and
//! per query the median time to find the first 20 services (prefix match on every word, all
//! words required) and count them all. The PostgreSQL part copies the services' codes and
//! folded texts into a temporary table of the database at `POSTGRES_URL` (nothing is kept).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use egovwatch_domain::EntityKind;
use egovwatch_domain::search::{SearchIndex, terms};
use egovwatch_store::Store;
use std::time::{Duration, Instant};

mod support;
use support::live_mb;

const QUERIES: [&str; 6] = [
    "arayis",
    "issue",
    "seher ehali",
    "certificate population",
    "регистрация",
    "qeydiyyat sur",
];
const RUNS: usize = 101;

/// The median time of `RUNS` calls, and how many services the last one found.
fn median(mut f: impl FnMut() -> QueryResult<usize>) -> QueryResult<(Duration, usize)> {
    let mut times = Vec::with_capacity(RUNS);
    let mut found = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        found = f()?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok((times[RUNS / 2], found))
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    code: String,
    #[diesel(sql_type = Text)]
    search_text: String,
}

#[derive(QueryableByName)]
struct Code {
    #[diesel(sql_type = Text)]
    #[allow(dead_code)]
    code: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn report(engine: &str, build: Duration, memory: &str, per_query: &[(Duration, usize)]) {
    println!("{engine}: index built in {build:.2?}, {memory}");
    for (q, (t, n)) in QUERIES.iter().zip(per_query) {
        println!("  {q:<26} {n:>7} services  median {t:.2?}");
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args
        .next()
        .ok_or("usage: search_engines SQLITE_DB [POSTGRES_URL]")?;
    let pg = args.next();
    let store = Store::open(&db)?;
    let reg = store.registry()?;
    println!(
        "{} services ({} records searched by the site's own index)",
        reg.services.len(),
        reg.services.len()
            + reg.organisations.len()
            + reg.life_events.len()
            + reg.information_systems.len()
            + reg.datasets.len()
    );

    // 1. The site's own index, over every searchable record.
    let before = live_mb();
    let t = Instant::now();
    let index = SearchIndex::new(&reg);
    let build = t.elapsed();
    let memory = format!("{:.1} MB in memory", live_mb() - before);
    let services = [EntityKind::Service];
    let own: Vec<_> = QUERIES
        .iter()
        .map(|q| median(|| Ok(index.search(q, Some(&services), 20).1)))
        .collect::<QueryResult<_>>()?;
    report("egovwatch index", build, &memory, &own);
    drop(index);

    // The engines' match expressions: every folded word of the query, as a prefix.
    let fts5 = |q: &str| {
        terms(q)
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let tsquery = |q: &str| {
        terms(q)
            .iter()
            .map(|w| format!("{w}:*"))
            .collect::<Vec<_>>()
            .join(" & ")
    };

    // 2. SQLite FTS5, in a temporary table beside the database's own.
    let mut c = SqliteConnection::establish(&db)?;
    diesel::sql_query(
        "CREATE VIRTUAL TABLE temp.services_fts USING fts5(code UNINDEXED, search_text)",
    )
    .execute(&mut c)?;
    let t = Instant::now();
    diesel::sql_query(
        "INSERT INTO temp.services_fts (code, search_text) SELECT code, search_text FROM services",
    )
    .execute(&mut c)?;
    let build = t.elapsed();
    let mut sqlite = Vec::new();
    for q in QUERIES {
        let m = fts5(q);
        sqlite.push(median(|| {
            let page: Vec<Code> = diesel::sql_query(
                "SELECT code FROM temp.services_fts WHERE services_fts MATCH ? ORDER BY rank LIMIT 20",
            )
            .bind::<Text, _>(&m)
            .load(&mut c)?;
            let n: Count = diesel::sql_query(
                "SELECT count(*) AS n FROM temp.services_fts WHERE services_fts MATCH ?",
            )
            .bind::<Text, _>(&m)
            .get_result(&mut c)?;
            Ok(page.len().max(n.n as usize))
        })?);
    }
    report("SQLite FTS5", build, "on disk with the database", &sqlite);

    // 3. PostgreSQL full text, when a server is given.
    let Some(pg) = pg else {
        println!("PostgreSQL: no URL given");
        return Ok(());
    };
    let rows: Vec<Row> =
        diesel::sql_query("SELECT code, search_text FROM services").load(&mut c)?;
    let mut p = PgConnection::establish(&pg)?;
    diesel::sql_query("CREATE TEMPORARY TABLE services_fts (code text, search_text text)")
        .execute(&mut p)?;
    for chunk in rows.chunks(1000) {
        let values: Vec<String> = (0..chunk.len())
            .map(|k| format!("(${}, ${})", 2 * k + 1, 2 * k + 2))
            .collect();
        let sql = format!(
            "INSERT INTO services_fts (code, search_text) VALUES {}",
            values.join(", ")
        );
        let mut query = diesel::sql_query(sql).into_boxed::<diesel::pg::Pg>();
        for r in chunk {
            query = query
                .bind::<Text, _>(r.code.clone())
                .bind::<Text, _>(r.search_text.clone());
        }
        query.execute(&mut p)?;
    }
    let t = Instant::now();
    diesel::sql_query(
        "ALTER TABLE services_fts ADD COLUMN tsv tsvector \
         GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    )
    .execute(&mut p)?;
    diesel::sql_query("CREATE INDEX services_fts_gin ON services_fts USING gin (tsv)")
        .execute(&mut p)?;
    diesel::sql_query("ANALYZE services_fts").execute(&mut p)?;
    let build = t.elapsed();
    let mut postgres = Vec::new();
    for q in QUERIES {
        let m = tsquery(q);
        postgres.push(median(|| {
            let page: Vec<Code> = diesel::sql_query(
                "SELECT code FROM services_fts WHERE tsv @@ to_tsquery('simple', $1) \
                 ORDER BY ts_rank(tsv, to_tsquery('simple', $1)) DESC LIMIT 20",
            )
            .bind::<Text, _>(&m)
            .load(&mut p)?;
            let n: Count = diesel::sql_query(
                "SELECT count(*) AS n FROM services_fts WHERE tsv @@ to_tsquery('simple', $1)",
            )
            .bind::<Text, _>(&m)
            .get_result(&mut p)?;
            Ok(page.len().max(n.n as usize))
        })?);
    }
    report(
        "PostgreSQL full text",
        build,
        "on disk with the database",
        &postgres,
    );
    Ok(())
}
