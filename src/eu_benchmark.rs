//! `import eu-benchmark` and `replay eu-benchmark`: arguments and printing; the use cases are
//! `egovwatch_app::eu_benchmark`.

use crate::cli::{DbArg, default_author};
use crate::monitoring::Format;
use anyhow::Result;
use clap::{Args, Subcommand};
use egovwatch_app::eu_benchmark as eu;
use egovwatch_interop::spreadsheet::{Cells, Writer};
use egovwatch_store::ChangeMeta;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The workbook (`eGovernment_Benchmark_… Final_Results….xlsx`, or a cut of it with the
    /// same sheets).
    pub workbook: PathBuf,
    /// Who makes the change (recorded in each revision); defaults to $USER.
    #[arg(long)]
    pub author: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ReplayWhat {
    /// Scores the rounds imported from the Commission's workbook and compares them with the
    /// scores it publishes: services, life-event indicators, benchmarks and scores, country
    /// per year, biennial.
    EuBenchmark(ReplayArgs),
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The workbook imported with `import eu-benchmark`.
    pub workbook: PathBuf,
    /// table (for people), json or csv (the differences).
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// How many of the largest differences the table shows (JSON and CSV show all).
    #[arg(long, default_value_t = 10)]
    pub worst: usize,
}

pub fn run_import(args: ImportArgs) -> Result<()> {
    let working = crate::progress::spinner(&format!("reading {}", args.workbook.display()));
    let wb = eu::read(&args.workbook);
    working.finish_and_clear();
    let wb = wb?;
    let store = args.db.create()?;
    let meta = ChangeMeta {
        author: args.author.unwrap_or_else(default_author),
        reason: egovwatch_i18n::in_every_language(
            "reason-import-eu",
            &[("file", &args.workbook.display().to_string())],
        ),
    };
    let done = eu::import(&store, &wb, &meta)?;
    println!(
        "imported {}: {} countries, {} services and portals, {} evaluated URLs, {} answers",
        args.workbook.display(),
        done.countries,
        done.services,
        done.channels,
        done.answers
    );
    println!(
        "rounds: {} new, {} unchanged; registry records: {}",
        done.rounds_new, done.rounds_unchanged, done.registry
    );
    for (service, node, value, cell) in &done.set_values {
        println!(
            "set value: {service} {node} = {} as published ({cell}; a proactive service's value that its rule does not give)",
            value.map_or("no score".to_string(), |v| v.to_string())
        );
    }
    Ok(())
}

pub fn run_replay(what: ReplayWhat) -> Result<()> {
    let ReplayWhat::EuBenchmark(args) = what;
    let wb = eu::read(&args.workbook)?;
    let store = args.db.open()?;
    let replay = eu::replay(&store, &wb)?;
    let value = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&replay)?),
        Format::Csv => {
            let mut w = Writer::new(std::io::stdout(), Cells::Safe);
            w.write_record(["level", "path", "cell", "published", "computed"])?;
            for d in &replay.differences {
                w.write_record([
                    d.level.to_string(),
                    d.path.clone(),
                    d.cell.clone(),
                    value(d.published),
                    value(d.computed),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            println!(
                "{:<12} {:>9} {:>14} {:>10}",
                "level", "compared", "equal (1 dp)", "unrounded"
            );
            for l in &replay.levels {
                println!(
                    "{:<12} {:>9} {:>14} {:>10}",
                    l.level, l.compared, l.equal_at_published_precision, l.equal_unrounded
                );
            }
            if replay.differences.is_empty() {
                println!("every published value is reproduced exactly");
            } else {
                println!("largest differences:");
                for d in replay.differences.iter().take(args.worst) {
                    println!(
                        "  {} {} ({}): published {}, computed {}",
                        d.level,
                        d.path,
                        d.cell,
                        d.published.map_or("no score".into(), |v| v.to_string()),
                        d.computed.map_or("no score".into(), |v| v.to_string())
                    );
                }
            }
        }
    }
    Ok(())
}
