//! `egovwatch report`: the progress report of a round, in HTML and Markdown.

use anyhow::Result;
use clap::{Args, ValueEnum};
use egovwatch_domain::Lang;
use egovwatch_report::Format;
use std::path::PathBuf;

use crate::cli::DbArg;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Pdf,
    Md,
    All,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The round the report is about (any case).
    #[arg(long)]
    pub round: String,
    /// The earlier round to compare with.
    #[arg(long)]
    pub against: Option<String>,
    /// The report's language: az, en or ru.
    #[arg(long, default_value = "en")]
    pub lang: Lang,
    /// html, pdf, md, or all three.
    #[arg(long, value_enum, default_value = "all")]
    pub format: ReportFormat,
    /// The monitoring organisation named on the title page (default: the round's assessors).
    #[arg(long)]
    pub monitor: Option<String>,
    /// The folder the files are written to (created if needed).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn formats(f: ReportFormat) -> Vec<Format> {
    match f {
        ReportFormat::Html => vec![Format::Html],
        ReportFormat::Pdf => vec![Format::Pdf],
        ReportFormat::Md => vec![Format::Markdown],
        ReportFormat::All => vec![Format::Html, Format::Pdf, Format::Markdown],
    }
}

pub fn run(a: ReportArgs) -> Result<()> {
    let store = a.db.open()?;
    let working = crate::progress::spinner(&format!("writing the report of round {}", a.round));
    let written = egovwatch_app::rounds::reported(&store, &a.round, a.against.as_deref())
        .map_err(anyhow::Error::from)
        .and_then(|r| Ok(egovwatch_report::gather(&r, a.lang, a.monitor.as_deref())?))
        .and_then(|report| {
            Ok(egovwatch_report::write(
                &report,
                &formats(a.format),
                &a.out,
            )?)
        });
    working.finish_and_clear();
    for path in written? {
        println!("wrote {}", path.display());
    }
    Ok(())
}
