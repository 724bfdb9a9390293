//! `egovwatch demo`: the seed story as a running registry, in one command.

use crate::cli::{DEFAULT_LISTEN, serve};
use anyhow::{Context, Result};
use clap::Args;
use egovwatch_domain::monitoring::{Round, RoundState};
use egovwatch_domain::{Lang, Text};
use egovwatch_interop::json;
use egovwatch_store::{Backend, Store};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The demo registry, built from the seed document (see `data/demo/README.md`).
pub const DEMO_REGISTRY: &str = include_str!("../data/demo/registry.json");

/// The two monitoring rounds of the seed's six-month report: (code, name in en, az, ru,
/// period, answers).
const DEMO_ROUNDS: [(&str, [&str; 3], &str, &str, &str); 2] = [
    (
        "2014-H2",
        [
            "Monitoring of e-services, second half of 2014",
            "Elektron xidmətlərin monitorinqi, 2014-cü ilin ikinci yarısı",
            "Мониторинг электронных услуг, второе полугодие 2014 года",
        ],
        "2014-07-01",
        "2014-12-31",
        include_str!("../data/demo/rounds/2014-H2.csv"),
    ),
    (
        "2015-H1",
        [
            "Monitoring of e-services, first half of 2015",
            "Elektron xidmətlərin monitorinqi, 2015-ci ilin birinci yarısı",
            "Мониторинг электронных услуг, первое полугодие 2015 года",
        ],
        // Up to the day the report was presented (29 June 2015): a report does not cover days
        // after its own date.
        "2015-01-01",
        "2015-06-29",
        include_str!("../data/demo/rounds/2015-H1.csv"),
    ),
];

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Database to (re)create. Not read from EGOVWATCH_DB, so the demo never wipes a real
    /// registry by accident.
    #[arg(long, default_value = "egovwatch-demo.db")]
    pub db: String,
    /// Address for the web UI.
    #[arg(long, default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// Load the demo and write its files, then exit.
    #[arg(long)]
    pub no_serve: bool,
    #[command(flatten)]
    pub fallback: crate::cli::FallbackArg,
    #[command(flatten)]
    pub limits: crate::cli::LimitsArg,
    /// Folder for what the demo writes.
    #[arg(long, default_value = "egovwatch-demo")]
    pub out: PathBuf,
}

pub fn run(args: DemoArgs) -> Result<()> {
    let store = recreate(&args.db)?;
    let report = load(&store)?;
    println!("demo database {}: {}", args.db, report.counts());
    load_rounds(&store)?;
    print_story(&store)?;
    write_outputs(&store, &args.out)?;
    write_reports(&store, &args.out)?;
    if args.no_serve {
        return Ok(());
    }
    serve(
        store,
        args.listen,
        args.fallback.order,
        &args.limits.limits(),
    )
}

/// Opens the database empty: an SQLite file is deleted and created anew, a PostgreSQL
/// database has its tables dropped and migrated again.
pub fn recreate(db: &str) -> Result<Store> {
    let (backend, path) = egovwatch_store::parse_url(db)?;
    if backend == Backend::Sqlite && path != ":memory:" {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let p = format!("{path}{suffix}");
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("removing {p}")),
            }
        }
    }
    let store = Store::open(db)
        .with_context(|| format!("opening database {}", egovwatch_store::redact_url(db)))?;
    if backend == Backend::Postgres {
        store.reset().context("emptying the demo database")?;
    }
    Ok(store)
}

/// The demo's registry and published rounds in an in-memory database, for the commands that
/// read when no database is named (nothing is written to disk).
pub fn in_memory() -> Result<Store> {
    let store = Store::open(":memory:").context("opening an in-memory database")?;
    load(&store)?;
    load_rounds(&store)?;
    Ok(store)
}

pub fn load(store: &Store) -> Result<egovwatch_store::ImportReport> {
    let parsed = json::read("data/demo/registry.json", DEMO_REGISTRY.as_bytes())
        .map_err(|e| anyhow::anyhow!("the bundled demo registry is invalid:\n{e}"))?;
    crate::registry_io::import_parsed(
        store,
        &parsed,
        "egovwatch demo",
        &egovwatch_i18n::in_every_language("reason-demo", &[]),
    )
}

/// Creates the seed's two rounds on the `stages` framework, imports their answers and
/// publishes them, as the monitor did with its report.
pub fn load_rounds(store: &Store) -> Result<()> {
    let fw = crate::monitoring::framework("stages")?;
    for (code, [en, az, ru], from, to, answers) in DEMO_ROUNDS {
        let created = format!("{to}T00:00:00Z");
        let name = Text::new()
            .with(Lang::En, en)
            .with(Lang::Az, az)
            .with(Lang::Ru, ru);
        let round = Round::open(code, name, &fw, (from, to), Vec::new(), &created);
        store.create_round(&round)?;
        let file = format!("data/demo/rounds/{code}.csv");
        egovwatch_app::rounds::import_assessments(
            store,
            code,
            (&file, answers.as_bytes()),
            None,
            &created,
        )
        .with_context(|| format!("the bundled {file} is invalid"))?;
        // The seed's report was presented on 29 June 2015; the first round closed with 2014.
        let published = if code == "2015-H1" {
            "2015-06-29T10:00:00Z".to_string()
        } else {
            format!("{to}T18:00:00Z")
        };
        store.set_round_state_at(code, RoundState::Closed, &published)?;
        egovwatch_app::rounds::publish(store, code, &published)?;
    }
    Ok(())
}

/// Prints what the demo's two rounds say, with the command that shows it.
fn print_story(store: &Store) -> Result<()> {
    let fw = crate::monitoring::framework("stages")?;
    let now = crate::monitoring::load(store, "2015-H1")?;
    let before = crate::monitoring::load(store, "2014-H2")?;
    let cmp = egovwatch_domain::monitoring::compare(&fw, &now.scored, &before.scored);
    let improved = cmp
        .services
        .iter()
        .filter(|c| c.movement == egovwatch_domain::monitoring::Movement::Improved)
        .count();
    println!(
        "rounds 2014-H2 and 2015-H1 on {}: {improved} services improved, {} still undeveloped, {} stuck at information (egovwatch compare --round 2015-H1 --against 2014-H2)",
        fw.id,
        cmp.undeveloped.len(),
        cmp.information_only.len()
    );
    Ok(())
}

/// The seed's six-month progress report, 2015-H1 against 2014-H2, in English and Azerbaijani.
fn write_reports(store: &Store, out: &Path) -> Result<()> {
    let dir = out.join("reports");
    let working = crate::progress::spinner("writing the progress report (en, az)");
    let r = egovwatch_app::rounds::reported(store, "2015-H1", Some("2014-H2"))?;
    for lang in [egovwatch_domain::Lang::En, egovwatch_domain::Lang::Az] {
        let report = egovwatch_report::gather(&r, lang, None)?;
        egovwatch_report::write(
            &report,
            &crate::report::formats(crate::report::ReportFormat::All),
            &dir,
        )?;
    }
    working.finish_and_clear();
    println!(
        "wrote the progress report 2015-H1 against 2014-H2 (en, az) to {}",
        dir.display()
    );
    Ok(())
}

fn write_outputs(store: &Store, out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let registry = store.registry()?;
    let json_path = out.join("registry.json");
    std::fs::write(&json_path, json::write(&registry))
        .with_context(|| format!("writing {}", json_path.display()))?;
    let csv_dir = out.join("registry-csv");
    egovwatch_interop::csv_folder::write_folder(
        &registry,
        &csv_dir,
        egovwatch_interop::spreadsheet::Cells::Safe,
    )
    .with_context(|| format!("writing {}", csv_dir.display()))?;
    println!("wrote {} and {}", json_path.display(), csv_dir.display());
    Ok(())
}
