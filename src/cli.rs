//! The command line: arguments and dispatch to the job each subcommand names.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use egovwatch_domain::{EntityKind, Lang, Text};
use egovwatch_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;

pub const DEFAULT_DB: &str = "egovwatch.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Parser, Debug)]
#[command(
    name = "egovwatch",
    version,
    about = "The registry of public e-services and how far each can be done online, from birth to death"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct DbArg {
    /// Database: an SQLite file path or a postgres:// URL [default: egovwatch.db]. Only the
    /// commands that fill a database (migrate, import, demo, synth) create a missing SQLite
    /// file; the others refuse a path where there is none. Given no database at all and with
    /// no egovwatch.db here, the commands that read use the bundled demo (the seed story) and
    /// say so.
    #[arg(long, env = "EGOVWATCH_DB")]
    pub db: Option<String>,
}

impl DbArg {
    /// The database named, or the default file.
    pub fn url(&self) -> &str {
        self.db.as_deref().unwrap_or(DEFAULT_DB)
    }

    /// Opens an existing database: a mistyped SQLite path is refused, not created empty. With
    /// no database named and no default file, the bundled demo is loaded into memory, with a
    /// note on stderr, so a first try on a fresh machine shows the seed story.
    pub fn open(&self) -> Result<Store> {
        let missing = |db: &str| match egovwatch_store::parse_url(db) {
            Ok((egovwatch_store::Backend::Sqlite, path)) => {
                (path != ":memory:" && !std::path::Path::new(&path).exists()).then_some(path)
            }
            _ => None,
        };
        match (&self.db, missing(self.url())) {
            (_, None) => self.create(),
            (Some(_), Some(path)) => anyhow::bail!(
                "no database at {path} (check --db or EGOVWATCH_DB; `egovwatch migrate`, `import`, `demo` and `synth` create one)"
            ),
            (None, Some(_)) => {
                eprintln!(
                    "note: no --db, no EGOVWATCH_DB and no {DEFAULT_DB} here: reading the bundled demo (the seed story, as `egovwatch demo` loads it)"
                );
                crate::demo::in_memory()
            }
        }
    }

    /// Opens the database, creating an SQLite file where there is none (the commands that fill
    /// a database).
    pub fn create(&self) -> Result<Store> {
        Store::open(self.url()).with_context(|| {
            format!(
                "opening database {}",
                egovwatch_store::redact_url(self.url())
            )
        })
    }
}

#[derive(Args, Debug, Clone)]
pub struct FallbackArg {
    /// Languages tried, in order, when a record has no text in the page's language
    /// (the others follow in the order az, en, ru).
    #[arg(long = "fallback", env = "EGOVWATCH_FALLBACK", default_value = "en,az,ru", value_parser = parse_fallback)]
    pub order: [Lang; 3],
}

/// The server's bounds (see docs/web.md, "Limits").
#[derive(Args, Debug, Clone)]
pub struct LimitsArg {
    /// Seconds a client has to send a whole request head; a kept-alive connection waiting
    /// for its next request is closed after this time too.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds the server may take to start answering a request (then 503).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Seconds a connection may stay without reading or writing a byte before it is closed.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Connections open at once (each is a file descriptor); more wait to be accepted.
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: u64,
    /// The longest request target (path and query) in bytes (longer: 414).
    #[arg(long, default_value_t = 8192, value_parser = clap::value_parser!(u64).range(256..))]
    pub max_uri_bytes: u64,
    /// The largest request body in bytes (larger: 413).
    #[arg(long, default_value_t = 65536)]
    pub max_body_bytes: u64,
    /// What-if gap analyses computed at once (more wait up to 5 s, then 503).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_whatifs: u64,
    /// Round reports (HTML, Markdown, PDF, CSV of a round) written at once (more wait up to
    /// 5 s, then 503).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_reports: u64,
    /// Threads that read the store and compute analyses (each keeps the memory it last used).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u64).range(2..))]
    pub blocking_threads: u64,
    /// Megabytes of answers kept in the response cache.
    #[arg(long, default_value_t = 32)]
    pub cache_mb: u64,
}

impl LimitsArg {
    pub fn limits(&self) -> egovwatch_web::Limits {
        use std::time::Duration;
        let size = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
        egovwatch_web::Limits {
            header_timeout: Duration::from_secs(self.header_timeout),
            request_timeout: Duration::from_secs(self.request_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            max_connections: size(self.max_connections),
            max_uri_bytes: size(self.max_uri_bytes),
            // A head holds the target and the headers: room for both.
            max_head_bytes: size(self.max_uri_bytes).saturating_add(56 * 1024),
            max_body_bytes: size(self.max_body_bytes),
            max_whatifs: size(self.max_whatifs),
            max_reports: size(self.max_reports),
            blocking_threads: size(self.blocking_threads),
            cache_bytes: self.cache_mb.saturating_mul(1024 * 1024),
            ..egovwatch_web::Limits::default()
        }
    }
}

fn parse_fallback(s: &str) -> Result<[Lang; 3], String> {
    egovwatch_domain::lang::parse_fallback(s)
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// (Re)create the demo database from the seed story, write its exports, serve the web UI.
    Demo(crate::demo::DemoArgs),
    /// Serve the web UI.
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on.
        #[arg(long, default_value = DEFAULT_LISTEN)]
        listen: SocketAddr,
        #[command(flatten)]
        fallback: FallbackArg,
        #[command(flatten)]
        limits: LimitsArg,
    },
    /// Run the database migrations that have not run yet.
    Migrate {
        #[command(flatten)]
        db: DbArg,
    },
    /// Import data.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export data.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Monitoring rounds: create, list, close, reopen, publish, discrepancies.
    Round {
        #[command(subcommand)]
        what: crate::monitoring::RoundCmd,
    },
    /// Scores of a round by service, life event or organisation; `score explain` traces one.
    Score(crate::monitoring::ScoreCmd),
    /// What changed between two rounds: improved, regressed, new, withdrawn, still undeveloped.
    Compare(crate::monitoring::CompareCmd),
    /// Why services are stuck and which investment unlocks the most; what-ifs with --assume.
    Gaps(crate::gaps::GapsArgs),
    /// The progress report of a round (HTML, Markdown), compared with an earlier round.
    Report(crate::report::ReportArgs),
    /// Generates a large synthetic registry and rounds (and their CSV) for load tests.
    Synth(crate::synth::SynthArgs),
    /// Scores what was imported from a published benchmark and compares it with the scores the
    /// publisher gives, level by level.
    Replay {
        #[command(subcommand)]
        what: crate::eu_benchmark::ReplayWhat,
    },
    /// The methodologies the scores are computed with.
    Framework {
        #[command(subcommand)]
        what: crate::monitoring::FrameworkCmd,
    },
    /// Show every revision of one record: who changed it, when, why, and what it became.
    History {
        #[command(flatten)]
        db: DbArg,
        /// organisation, life_event, evidence_type, output, information_system, dataset,
        /// service or exchange_link.
        kind: String,
        /// The record's code.
        code: String,
        /// Print the revisions as JSON, snapshots included.
        #[arg(long)]
        json: bool,
    },
}

impl Command {
    /// Whether the command runs the web server.
    pub fn serves(&self) -> bool {
        match self {
            Command::Serve { .. } => true,
            Command::Demo(args) => !args.no_serve,
            _ => false,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum ImportWhat {
    /// Answers of a round from CSV (columns: service, channel, question, answer, evidence_url,
    /// evidence_note, evidence_note_az, evidence_note_ru, evidence_hash, assessor,
    /// assessed_at, source, perspective); all or nothing.
    Assessments {
        #[command(flatten)]
        db: DbArg,
        /// The round the answers belong to (any case).
        #[arg(long)]
        round: String,
        /// The assessments CSV.
        path: PathBuf,
        /// For a published round: the reason for this correction, in English (starts a new
        /// revision; give it in any of the three languages).
        #[arg(long)]
        correction: Option<String>,
        /// The reason for the correction in Azerbaijani.
        #[arg(long)]
        correction_az: Option<String>,
        /// The reason for the correction in Russian.
        #[arg(long)]
        correction_ru: Option<String>,
        /// Who makes the correction (recorded with it); defaults to $USER.
        #[arg(long)]
        author: Option<String>,
    },
    /// Upsert registry records by code from a registry JSON file or a folder of CSV files.
    /// All or nothing: one bad row rejects the whole import.
    Registry {
        #[command(flatten)]
        db: DbArg,
        /// A `.json` file or a folder of CSV files.
        path: PathBuf,
        /// Who makes the change (recorded in each revision); defaults to $USER.
        #[arg(long)]
        author: Option<String>,
        /// Why, in English (recorded in each revision; defaults to the file imported).
        #[arg(long)]
        reason: Option<String>,
        /// Why, in Azerbaijani.
        #[arg(long)]
        reason_az: Option<String>,
        /// Why, in Russian.
        #[arg(long)]
        reason_ru: Option<String>,
    },
    /// The European Commission's eGovernment Benchmark "Final Results" workbook (xlsx): its
    /// countries, life events, services and evaluated URLs into the registry, and one published
    /// round per country and data collection with every answer. All or nothing; importing the
    /// same workbook again changes nothing.
    EuBenchmark(crate::eu_benchmark::ImportArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RegistryFormat {
    Json,
    Csv,
}

#[derive(Subcommand, Debug)]
pub enum ExportWhat {
    /// Write the whole registry as JSON (one file, or standard output) or CSV (a folder).
    Registry {
        #[command(flatten)]
        db: DbArg,
        /// json (one file) or csv (a folder, one file per kind of record).
        #[arg(long, value_enum, default_value = "json")]
        format: RegistryFormat,
        /// File (json) or folder (csv); json goes to standard output without it.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        cells: CellsArg,
    },
}

/// How CSV cells are written.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct CellsArg {
    /// Write CSV cells exactly as stored. By default a cell a spreadsheet would run as a formula
    /// (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
    #[arg(long)]
    pub raw_cells: bool,
}

impl CellsArg {
    pub fn cells(self) -> egovwatch_interop::spreadsheet::Cells {
        if self.raw_cells {
            egovwatch_interop::spreadsheet::Cells::Raw
        } else {
            egovwatch_interop::spreadsheet::Cells::Safe
        }
    }
}

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Demo(args) => crate::demo::run(args),
        Command::Serve {
            db,
            listen,
            fallback,
            limits,
        } => {
            let store = db.open()?;
            serve(store, listen, fallback.order, &limits.limits())
        }
        Command::Migrate { db } => {
            let store = Store::connect(db.url()).with_context(|| {
                format!("opening database {}", egovwatch_store::redact_url(db.url()))
            })?;
            let ran = store.migrate()?;
            for m in &ran {
                println!("ran migration {m}");
            }
            // Published rounds from before results were stored get theirs.
            let stored = egovwatch_app::rounds::ensure_results(&store)?;
            for r in &stored {
                println!("stored the results of round {r}");
            }
            if ran.is_empty() && stored.is_empty() {
                println!("the database is up to date");
            }
            Ok(())
        }
        Command::Round { what } => crate::monitoring::run_round(what),
        Command::Score(cmd) => crate::monitoring::run_score(cmd),
        Command::Compare(cmd) => crate::monitoring::run_compare(cmd),
        Command::Synth(args) => crate::synth::run(args),
        Command::Gaps(args) => crate::gaps::run(args),
        Command::Report(args) => crate::report::run(args),
        Command::Framework { what } => crate::monitoring::run_framework(what),
        Command::Import {
            what: ImportWhat::EuBenchmark(args),
        } => crate::eu_benchmark::run_import(args),
        Command::Replay { what } => crate::eu_benchmark::run_replay(what),
        Command::Import {
            what:
                ImportWhat::Assessments {
                    db,
                    round,
                    path,
                    correction,
                    correction_az,
                    correction_ru,
                    author,
                },
        } => {
            let store = db.open()?;
            let author = author.unwrap_or_else(default_author);
            let reason = [
                (Lang::En, correction),
                (Lang::Az, correction_az),
                (Lang::Ru, correction_ru),
            ]
            .into_iter()
            .fold(Text::new(), |t, (lang, r)| {
                t.with(lang, r.unwrap_or_default())
            });
            let correction = (!reason.is_empty()).then_some((author.as_str(), &reason));
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let n = egovwatch_app::rounds::import_assessments(
                &store,
                &round,
                (&path.display().to_string(), &bytes),
                correction,
                &crate::monitoring::now(),
            )?;
            println!(
                "imported {n} answers into round {round} from {}",
                path.display()
            );
            Ok(())
        }
        Command::Import {
            what:
                ImportWhat::Registry {
                    db,
                    path,
                    author,
                    reason,
                    reason_az,
                    reason_ru,
                },
        } => {
            let store = db.create()?;
            let author = author.unwrap_or_else(default_author);
            let given = Text::new()
                .with(Lang::En, reason.unwrap_or_default())
                .with(Lang::Az, reason_az.unwrap_or_default())
                .with(Lang::Ru, reason_ru.unwrap_or_default());
            let reason = if given.is_empty() {
                egovwatch_i18n::in_every_language(
                    "reason-import-registry",
                    &[("file", &path.display().to_string())],
                )
            } else {
                given
            };
            let working = crate::progress::spinner(&format!("importing {}", path.display()));
            let report = crate::registry_io::import(&store, &path, &author, &reason);
            working.finish_and_clear();
            println!("imported {}: {}", path.display(), report?.counts());
            Ok(())
        }
        Command::Export {
            what:
                ExportWhat::Registry {
                    db,
                    format,
                    out,
                    cells,
                },
        } => {
            let store = db.open()?;
            crate::registry_io::export(&store, format, out.as_deref(), cells.cells())
        }
        Command::History {
            db,
            kind,
            code,
            json,
        } => {
            let kind: EntityKind = kind.parse().map_err(anyhow::Error::msg)?;
            let store = db.open()?;
            let revisions = store.history(kind, &code)?;
            if revisions.is_empty() {
                anyhow::bail!("no {kind} with code {code}");
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&revisions)?);
            } else {
                for r in revisions {
                    println!(
                        "{} {} v{} {} by {}: {}",
                        r.created_at,
                        r.code,
                        r.version,
                        r.action,
                        r.author,
                        r.reason.show(Lang::En)
                    );
                }
            }
            Ok(())
        }
    }
}

pub fn default_author() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

pub fn serve(
    store: Store,
    listen: SocketAddr,
    fallback: [Lang; 3],
    limits: &egovwatch_web::Limits,
) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Store reads and analyses run on blocking threads; each thread keeps the memory it
        // last used, so a few busy threads (as many as the store has connections, plus the
        // what-ifs) hold far less than tokio's default of up to 512.
        .max_blocking_threads(limits.blocking_threads)
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("listening on {listen}"))?;
        let addr = listener.local_addr()?;
        println!("serving on http://{addr}/ (Ctrl-C stops)");
        egovwatch_web::serve(listener, store, fallback, limits)
            .await
            .context("web server")
    })
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every argument of every command says what it is for in `--help`.
    #[test]
    fn every_argument_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id != "help" && id != "version" && arg.get_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() {
                    missing.push(format!("{path} {} (the command)", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "egovwatch", &mut missing);
        assert!(missing.is_empty(), "without help:\n{}", missing.join("\n"));
    }
}
