//! `egovwatch gaps`: why services are stuck and what to fund first, with what-ifs.

use anyhow::{Context, Result};
use clap::Args;
use egovwatch_app::gaps::{analyse, load_rules};
use egovwatch_domain::Lang;
use egovwatch_domain::gaps::explain::Explained;
use egovwatch_domain::gaps::{Assumption, Weights};
use std::collections::HashMap;
use std::path::PathBuf;

use crate::cli::DbArg;
use crate::monitoring::Format;

#[derive(Args, Debug)]
pub struct GapsArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The round whose stages are the starting point (default: the latest round on a framework
    /// with stages).
    #[arg(long)]
    pub round: Option<String>,
    /// A change to assume, e.g. dataset:LAND-CADASTRE=digitised, link:XL-0005=in-use,
    /// link:DATASET>ORGANISATION=in-use, system:IS-HEALTH=in-use, evidence:EV-PHOTO=supplied,
    /// service:SRV-0017=4. Repeatable; every investment's id is such an assumption.
    #[arg(long, value_parser = Assumption::parse)]
    pub assume: Vec<Assumption>,
    /// table (for people), json or csv.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Blocking rules of your own (default: frameworks/blocking.toml, compiled in).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// CSV `investment,cost`: cost estimates, for unlocked stages per unit of cost.
    #[arg(long)]
    pub costs: Option<PathBuf>,
    /// CSV `service,transactions`: yearly transactions, to weigh what an investment unlocks.
    #[arg(long)]
    pub volumes: Option<PathBuf>,
    /// Rank by score per unit of cost instead of score.
    #[arg(long)]
    pub by_cost: bool,
    /// Language of the names and reasons: az, en or ru.
    #[arg(long, default_value = "en")]
    pub lang: Lang,
}

fn read_pairs(path: &PathBuf, what: &str) -> Result<HashMap<String, f64>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(egovwatch_interop::pairs::read(
        &path.display().to_string(),
        &bytes,
        what,
    )?)
}

pub fn run(a: GapsArgs) -> Result<()> {
    let store = a.db.open()?;
    let rules = load_rules(a.rules.as_ref())?;
    let weights = Weights {
        volumes: a
            .volumes
            .as_ref()
            .map(|p| read_pairs(p, "transactions"))
            .transpose()?
            .unwrap_or_default(),
        costs: a
            .costs
            .as_ref()
            .map(|p| read_pairs(p, "cost"))
            .transpose()?
            .unwrap_or_default(),
        by_cost: a.by_cost,
    };
    let tr = egovwatch_web::i18n::Tr::new(a.lang);
    let phrase = move |k: &str, args: &[(&'static str, &str)]| tr.with(k, args);
    let report = analyse(
        &store,
        a.round.as_deref(),
        &a.assume,
        &rules,
        &weights,
        a.lang,
        &phrase,
    )?;
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Csv => {
            let mut w = egovwatch_interop::spreadsheet::Writer::new(
                std::io::stdout(),
                egovwatch_interop::spreadsheet::Cells::Safe,
            );
            w.write_record([
                "rank",
                "investment",
                "title",
                "score",
                "services",
                "life_events",
                "cost",
                "score_per_cost",
            ])?;
            for i in &report.investments {
                let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
                w.write_record([
                    i.rank.to_string(),
                    i.investment.id.clone(),
                    i.title.clone(),
                    i.investment.score.to_string(),
                    i.investment.unlocks.len().to_string(),
                    i.investment.life_events.len().to_string(),
                    opt(i.investment.cost),
                    opt(i.investment.score_per_cost),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => print_table(&report),
    }
    Ok(())
}

fn print_table(r: &Explained) {
    let f = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into());
    println!(
        "gap analysis{} (rules {})",
        r.round
            .as_ref()
            .map(|c| format!(" from round {c}"))
            .unwrap_or_default(),
        r.rules
    );
    if !r.assumptions.is_empty() {
        println!("assuming: {}", r.assumptions.join(", "));
    }
    println!(
        "national index: {} now, {} projected",
        f(r.index.now),
        f(r.index.projected)
    );
    println!("\ninvestments, those delivering most on their own first:");
    for i in &r.investments {
        let cost = i
            .investment
            .score_per_cost
            .map(|v| format!(", {v:.3} per unit of cost"))
            .unwrap_or_default();
        println!(
            "{:>3}. {}  [delivers {:.0} stage(s) on its own, needed for {:.0}{cost}; --assume {}]",
            i.rank, i.title, i.investment.delivers, i.investment.score, i.investment.id
        );
        println!(
            "     needed by {} service(s) in {} life event(s), moves {} on its own: {}",
            i.unlocked_services.len(),
            i.investment.life_events.len(),
            i.investment.moves(),
            i.unlocked_services.join("; ")
        );
        if i.investment.delivers <= 0.0 && !i.investment.with.is_empty() {
            println!(
                "     delivers only together with: {}",
                i.investment.with.join(", ")
            );
        }
    }
    println!("\nblocked services:");
    for s in r.services.iter().filter(|s| s.gap.held_back()) {
        let stage = s
            .gap
            .stage
            .map(|v| v.to_string())
            .unwrap_or_else(|| "?".into());
        let projected = match s.gap.projected {
            Some(p) if Some(p) != s.gap.stage => format!(", projected {p}"),
            _ => String::new(),
        };
        println!(
            "  {} {}: stage {stage}, can reach {}{projected}",
            s.gap.service, s.name, s.gap.ceiling
        );
        for reason in &s.reasons {
            println!("      - {reason}");
        }
    }
    if !r.findings.is_empty() {
        println!("\nregistry findings:");
        for x in &r.findings {
            println!("  {}: {}", x.kind, x.detail);
        }
    }
}
