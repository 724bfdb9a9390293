//! Monitoring commands: rounds, importing assessments, scores, explanations and comparisons.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use egovwatch_domain::monitoring::{
    self, Assessment, Comparison, Movement, Perspective, Round, RoundState,
};
use egovwatch_domain::scoring::{Framework, catalog, explain_unit};
use egovwatch_domain::{Index, Lang, Text};
use egovwatch_store::Store;
use std::path::PathBuf;

use crate::cli::DbArg;
pub use egovwatch_app::rounds::{framework, load, round_of};
use egovwatch_domain::index::name_in;
use egovwatch_domain::monitoring::AssessedRound;

#[derive(Subcommand, Debug)]
pub enum RoundCmd {
    /// Opens a new round.
    Create {
        #[command(flatten)]
        db: DbArg,
        /// A short code, e.g. 2015-H1.
        code: String,
        /// The framework the round is assessed on (`egovwatch framework list`).
        #[arg(long, default_value = "stages")]
        framework: String,
        /// A name for people, in English (defaults to the code).
        #[arg(long)]
        name: Option<String>,
        /// The name in Azerbaijani.
        #[arg(long)]
        name_az: Option<String>,
        /// The name in Russian.
        #[arg(long)]
        name_ru: Option<String>,
        /// First day of the period assessed (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day of the period assessed (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        /// Service codes assessed (comma-separated); all services in use when absent.
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
        /// Two independent assessors per item, with discrepancies to arbitrate.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
        assessors: u8,
        /// Copy this round's answers in as proposals to confirm.
        #[arg(long)]
        prefill_from: Option<String>,
    },
    /// Lists the rounds.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Closes an open round (refused while two assessors disagree on an item).
    Close {
        #[command(flatten)]
        db: DbArg,
        /// The round's code (any case).
        code: String,
    },
    /// Reopens a closed round.
    Reopen {
        #[command(flatten)]
        db: DbArg,
        /// The round's code (any case).
        code: String,
    },
    /// Publishes a closed round; from then on it changes only by corrections.
    Publish {
        #[command(flatten)]
        db: DbArg,
        /// The round's code (any case).
        code: String,
    },
    /// Items two assessors answered differently, not yet arbitrated.
    Discrepancies {
        #[command(flatten)]
        db: DbArg,
        /// The round's code (any case).
        code: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum By {
    Service,
    LifeEvent,
    Organisation,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ScoreCmd {
    #[command(subcommand)]
    pub explain: Option<ScoreSub>,
    #[command(flatten)]
    pub db: DbArg,
    /// The round (any case).
    #[arg(long)]
    pub round: Option<String>,
    /// One row per service, life event or organisation.
    #[arg(long, value_enum, default_value = "service")]
    pub by: By,
    /// table (for people), json or csv.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Language of the names and words: az, en or ru.
    #[arg(long, default_value = "en")]
    pub lang: Lang,
    /// Print nodes of the framework instead of the headline: `all`, or node ids separated by
    /// commas (an unknown id lists them); one row per service, group and total.
    #[arg(long)]
    pub node: Option<String>,
    /// `published`: values rounded to the framework's decimals; `full`: as computed.
    #[arg(long, value_enum, default_value = "published")]
    pub precision: Precision,
}

/// How many decimals values are printed with.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// The framework's own decimals (what is published).
    Published,
    /// Every digit the computation gives (shortest exact form).
    Full,
}

#[derive(Subcommand, Debug)]
pub enum ScoreSub {
    /// Prints the tree from raw answers through each rule and weight to a service's score.
    Explain {
        #[command(flatten)]
        db: DbArg,
        /// The round (any case).
        #[arg(long)]
        round: String,
        /// The service's code.
        #[arg(long)]
        service: String,
        /// Print the tree as JSON.
        #[arg(long)]
        json: bool,
        /// Language of the names and words: az, en or ru.
        #[arg(long, default_value = "en")]
        lang: Lang,
    },
}

#[derive(Args, Debug)]
pub struct CompareCmd {
    #[command(flatten)]
    pub db: DbArg,
    /// The round to report on (any case).
    #[arg(long)]
    pub round: String,
    /// The earlier round it is compared with.
    #[arg(long)]
    pub against: String,
    /// table (for people), json or csv.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Language of the names and words: az, en or ru.
    #[arg(long, default_value = "en")]
    pub lang: Lang,
}

#[derive(Subcommand, Debug)]
pub enum FrameworkCmd {
    /// The frameworks this binary ships.
    List,
    /// Checks a framework definition file and reports every problem with its line.
    Check {
        /// The definition (TOML; format in docs/frameworks.md).
        path: PathBuf,
    },
}

pub fn run_framework(cmd: FrameworkCmd) -> Result<()> {
    match cmd {
        FrameworkCmd::List => {
            for f in catalog::builtin()? {
                let title = f
                    .title
                    .pick(Lang::En, &[Lang::Az, Lang::Ru])
                    .map(|s| s.text)
                    .unwrap_or("");
                println!(
                    "{:<26} {:<10} {} ({} questions, {} nodes)",
                    f.id,
                    f.version,
                    title,
                    f.questions.len(),
                    f.nodes.len()
                );
            }
            Ok(())
        }
        FrameworkCmd::Check { path } => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let f = Framework::from_toml(&path.display().to_string(), &text)?;
            println!(
                "{}: framework {} {} is valid ({} questions, {} nodes)",
                path.display(),
                f.id,
                f.version,
                f.questions.len(),
                f.nodes.len()
            );
            Ok(())
        }
    }
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn run_round(cmd: RoundCmd) -> Result<()> {
    match cmd {
        RoundCmd::Create {
            db,
            code,
            framework: fid,
            name,
            name_az,
            name_ru,
            from,
            to,
            scope,
            assessors,
            prefill_from,
        } => {
            let store = db.open()?;
            let fw = framework(&fid)?;
            let round = Round {
                code: code.clone(),
                name: Text::new()
                    .with(Lang::En, name.unwrap_or_else(|| code.clone()))
                    .with(Lang::Az, name_az.unwrap_or_default())
                    .with(Lang::Ru, name_ru.unwrap_or_default()),
                period_start: from,
                period_end: to,
                framework: fw.id.clone(),
                framework_version: fw.version.clone(),
                scope,
                state: RoundState::Open,
                assessors,
                revision: 0,
                created_at: now(),
                closed_at: None,
                published_at: None,
            };
            let opened =
                egovwatch_app::rounds::open(&store, &round, prefill_from.as_deref(), &now());
            let proposed = match opened {
                Err(
                    e @ (egovwatch_app::Error::NoRound(_)
                    | egovwatch_app::Error::NoRoundLike { .. }),
                ) if prefill_from.is_some() => bail!("--prefill-from: {e}"),
                other => other?,
            };
            println!("round {code} opened on framework {} {}", fw.id, fw.version);
            if let Some(prev) = prefill_from {
                println!("{proposed} answers of round {prev} proposed for confirmation");
            }
            Ok(())
        }
        RoundCmd::List { db } => {
            let store = db.open()?;
            let rounds = store.rounds()?;
            if rounds.is_empty() {
                println!("no rounds yet (egovwatch round create CODE --from DATE --to DATE)");
            }
            println!(
                "{:<10} {:<10} {:<23} {:<24} {:>9} {:>8}",
                "round", "state", "period", "framework", "revision", "answers"
            );
            for r in rounds {
                let n = store.assessments(&r.code)?.len();
                println!(
                    "{:<10} {:<10} {:<23} {:<24} {:>9} {:>8}",
                    r.code,
                    r.state,
                    format!("{}..{}", r.period_start, r.period_end),
                    r.framework,
                    r.revision,
                    n
                );
            }
            Ok(())
        }
        RoundCmd::Close { db, code } => {
            // The store refuses to close a round whose assessors still disagree (checked under
            // the round's lock); `round discrepancies` lists what to arbitrate.
            let store = db.open()?;
            let code = round_of(&store, &code)?.code;
            store.set_round_state(&code, RoundState::Closed)?;
            println!("round {code} closed");
            Ok(())
        }
        RoundCmd::Reopen { db, code } => {
            let store = db.open()?;
            let code = round_of(&store, &code)?.code;
            store.set_round_state(&code, RoundState::Open)?;
            println!("round {code} reopened");
            Ok(())
        }
        RoundCmd::Publish { db, code } => {
            let store = db.open()?;
            let code = round_of(&store, &code)?.code;
            egovwatch_app::rounds::publish(&store, &code, &now())?;
            println!("round {code} published; it can now change only by corrections");
            Ok(())
        }
        RoundCmd::Discrepancies { db, code } => {
            let store = db.open()?;
            let code = round_of(&store, &code)?.code;
            let items = monitoring::discrepancies(&store.assessments(&code)?);
            if items.is_empty() {
                println!("no discrepancies in round {code}");
            }
            for (service, channel, question, answers) in items {
                let given: Vec<String> = answers
                    .iter()
                    .map(|(who, a)| format!("{who}: {a}"))
                    .collect();
                println!(
                    "{service} {} {question}: {}",
                    channel.unwrap_or_default(),
                    given.join(", ")
                );
            }
            Ok(())
        }
    }
}

fn stage_name(fw: &Framework, stage: Option<u8>, lang: Lang) -> String {
    stage
        .and_then(|s| fw.stage_levels().get(usize::from(s)))
        .map(|l| l.name.show(lang))
        .unwrap_or_default()
}

fn fmt_value(v: Option<f64>, decimals: u32) -> String {
    v.map(|v| format!("{v:.prec$}", prec = decimals as usize))
        .unwrap_or_else(|| "—".into())
}

#[derive(serde::Serialize)]
struct ScoreRow {
    code: String,
    name: String,
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stage: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    services: Option<usize>,
}

pub fn run_score(cmd: ScoreCmd) -> Result<()> {
    if let Some(ScoreSub::Explain {
        db,
        round,
        service,
        json,
        lang,
    }) = cmd.explain
    {
        return explain(&db.open()?, &round, &service, json, lang);
    }
    let Some(code) = cmd.round else {
        bail!("score needs --round R (see `egovwatch round list`)")
    };
    let store = cmd.db.open()?;
    let l = load(&store, &code)?;
    if let Some(nodes) = &cmd.node {
        return print_nodes(&l, nodes, cmd.precision, cmd.format);
    }
    let (fw, s) = (&l.fw, &l.scored);
    let index = Index::new(&l.registry);
    let name = |c: &str| name_in(&l.registry, &index, c, cmd.lang);
    let rows: Vec<ScoreRow> = match cmd.by {
        By::Service => s
            .national()
            .map(|(u, c)| ScoreRow {
                code: c.clone(),
                name: name(c),
                score: s.headline(fw, u).map(|v| fw.round(v)),
                stage: s.stage(fw, u),
                services: None,
            })
            .collect(),
        By::LifeEvent | By::Organisation => {
            let g = if cmd.by == By::LifeEvent { 0 } else { 1 };
            let codes = if g == 0 {
                &s.life_events
            } else {
                &s.organisations
            };
            codes
                .iter()
                .enumerate()
                .filter(|(k, _)| !s.groupings[g].members[*k].is_empty())
                .map(|(k, c)| ScoreRow {
                    code: c.clone(),
                    name: name(c),
                    score: fw
                        .headline_group
                        .and_then(|n| s.scores.group_value(g, n, k))
                        .map(|v| fw.round(v)),
                    stage: None,
                    services: Some(s.groupings[g].members[k].len()),
                })
                .collect()
        }
    };
    let total = l.national_index();
    let window = egovwatch_app::rounds::window(&store, &l)?;
    match cmd.format {
        Format::Json => {
            let doc = serde_json::json!({
                "round": l.round.code,
                "framework": { "id": fw.id, "version": fw.version },
                "round_revision": l.round.revision,
                "by": format!("{:?}", cmd.by).to_lowercase(),
                "total": total,
                "window": window.as_ref().map(|(rounds, v)| serde_json::json!({ "rounds": rounds, "value": v })),
                "rows": rows,
            });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        Format::Csv => {
            let mut w = egovwatch_interop::spreadsheet::Writer::new(
                std::io::stdout(),
                egovwatch_interop::spreadsheet::Cells::Safe,
            );
            w.write_record(["code", "name", "score", "stage", "services"])?;
            for r in &rows {
                w.write_record([
                    r.code.clone(),
                    r.name.clone(),
                    r.score.map(|v| v.to_string()).unwrap_or_default(),
                    r.stage.map(|v| v.to_string()).unwrap_or_default(),
                    r.services.map(|v| v.to_string()).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            println!(
                "round {} ({}, framework {} {})",
                l.round.code, l.round.state, fw.id, fw.version
            );
            for r in &rows {
                let extra = match (r.stage, r.services) {
                    (Some(st), _) => format!("stage {st} {}", stage_name(fw, Some(st), cmd.lang)),
                    (_, Some(n)) => format!("{n} services"),
                    _ => String::new(),
                };
                println!(
                    "{:<12} {:>7}  {:<60} {}",
                    r.code,
                    fmt_value(r.score, fw.decimals),
                    r.name,
                    extra
                );
            }
            println!(
                "{:<12} {:>7}  national index",
                "TOTAL",
                fmt_value(total, fw.decimals)
            );
        }
    }
    Ok(())
}

/// `score --node`: the values of the nodes asked for, per service, group and total.
fn print_nodes(l: &AssessedRound, nodes: &str, precision: Precision, format: Format) -> Result<()> {
    let fw = &l.fw;
    let wanted = fw.select_nodes(nodes).map_err(anyhow::Error::msg)?;
    let values = l.scored.node_values(fw, &wanted);
    let shown = |v: Option<f64>| -> Option<f64> {
        match precision {
            Precision::Full => v,
            Precision::Published => v.map(|v| fw.round(v)),
        }
    };
    let text = |v: Option<f64>| match (precision, shown(v)) {
        (_, None) => String::new(),
        (Precision::Full, Some(v)) => v.to_string(),
        (Precision::Published, Some(v)) => format!("{v:.prec$}", prec = fw.decimals as usize),
    };
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = values
                .iter()
                .map(|n| {
                    serde_json::json!({
                        "node": n.node, "level": n.level, "grouping": n.grouping,
                        "code": n.code, "perspective": n.perspective, "value": shown(n.value),
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "round": l.round.code,
                "framework": { "id": fw.id, "version": fw.version, "decimals": fw.decimals },
                "round_revision": l.round.revision,
                "precision": format!("{precision:?}").to_lowercase(),
                "nodes": rows,
            });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        Format::Csv => {
            let mut w = egovwatch_interop::spreadsheet::Writer::new(
                std::io::stdout(),
                egovwatch_interop::spreadsheet::Cells::Safe,
            );
            w.write_record(["node", "level", "grouping", "code", "value", "perspective"])?;
            for n in &values {
                w.write_record([
                    n.node.clone(),
                    n.level.to_string(),
                    n.grouping.clone().unwrap_or_default(),
                    n.code.clone().unwrap_or_default(),
                    text(n.value),
                    n.perspective.map(|p| p.to_string()).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            println!(
                "round {} ({}, framework {} {}), {} values",
                l.round.code,
                l.round.state,
                fw.id,
                fw.version,
                values.len()
            );
            for n in &values {
                let value = match text(n.value) {
                    t if t.is_empty() => "—".to_string(),
                    t => t,
                };
                let mut code = n.code.clone().unwrap_or_default();
                if n.perspective == Some(Perspective::CrossBorder) {
                    code.push_str(" (cross-border)");
                }
                println!(
                    "{:<28} {:<6} {:<13} {:<16} {value}",
                    n.node,
                    n.level,
                    n.grouping.as_deref().unwrap_or(""),
                    code
                );
            }
        }
    }
    Ok(())
}

fn explain(store: &Store, round: &str, service: &str, json: bool, lang: Lang) -> Result<()> {
    let l = load(store, round)?;
    let Some(unit) = l.scored.unit_of(service) else {
        bail!("service {service:?} is not in round {round}");
    };
    let answers: Vec<&Assessment> = monitoring::effective(&l.assessments)
        .into_iter()
        .filter(|a| a.service == service)
        .collect();
    let fw = &l.fw;
    let index = Index::new(&l.registry);
    let name = |c: &str| name_in(&l.registry, &index, c, lang);
    let raw = |q: usize| -> Vec<(String, String)> {
        answers
            .iter()
            .filter(|a| a.question == fw.questions[q].id)
            .map(|a| {
                let mut from = vec![
                    a.assessor.clone(),
                    a.assessed_at.clone(),
                    a.source.to_string(),
                ];
                from.extend(a.channel.clone());
                from.extend(a.evidence_url.clone());
                from.extend(Some(a.evidence_note.show(lang)).filter(|n| !n.is_empty()));
                if let Some(reason) = &a.correction {
                    from.push(format!(
                        "correction in revision {}: {}",
                        a.revision,
                        reason.show(lang)
                    ));
                }
                (a.answer.clone(), from.join(", "))
            })
            .collect()
    };
    let tree = explain_unit(fw, &l.scored.input, &l.scored.scores, unit, lang, &raw);
    if json {
        println!("{}", serde_json::to_string_pretty(&tree)?);
        return Ok(());
    }
    println!(
        "{} {} in round {} (framework {} {})",
        service,
        name(service),
        round,
        fw.id,
        fw.version
    );
    for line in tree.lines(fw.decimals) {
        println!("  {line}");
    }
    for a in answers.iter().filter(|a| a.question.starts_with('@')) {
        println!(
            "  landscaping {} = {} ({})",
            a.question,
            a.answer,
            a.evidence_note.show(lang)
        );
    }
    // Up the hierarchy: the groups the service counts in and the national figure.
    let s = &l.scored;
    for (g, label) in [(0, "life event"), (1, "organisation")] {
        let codes = if g == 0 {
            &s.life_events
        } else {
            &s.organisations
        };
        for &k in s.groupings[g].groups_of(unit) {
            let v = fw
                .headline_group
                .and_then(|n| s.scores.group_value(g, n, k));
            println!(
                "  -> {label} {} {}: {} (mean of {} services)",
                codes[k],
                name(&codes[k]),
                fmt_value(v.map(|v| fw.round(v)), fw.decimals),
                s.groupings[g].members[k].len()
            );
        }
    }
    let total = s.national_index(fw);
    println!(
        "  -> national index: {} (mean of {} services)",
        fmt_value(total, fw.decimals),
        s.national_units().len()
    );
    Ok(())
}

pub fn run_compare(cmd: CompareCmd) -> Result<()> {
    let store = cmd.db.open()?;
    let now = load(&store, &cmd.round)?;
    let before = load(&store, &cmd.against)?;
    if now.fw.id != before.fw.id {
        bail!(
            "round {} uses {} and round {} uses {}: scores of different frameworks are not comparable",
            cmd.round,
            now.fw.id,
            cmd.against,
            before.fw.id
        );
    }
    let cmp = monitoring::compare(&now.fw, &now.scored, &before.scored);
    match cmd.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&cmp)?),
        Format::Csv => {
            let mut w = egovwatch_interop::spreadsheet::Writer::new(
                std::io::stdout(),
                egovwatch_interop::spreadsheet::Cells::Safe,
            );
            w.write_record([
                "service",
                "movement",
                "before",
                "now",
                "stage_before",
                "stage_now",
            ])?;
            for c in &cmp.services {
                let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
                let st = |v: Option<u8>| v.map(|v| v.to_string()).unwrap_or_default();
                w.write_record([
                    c.service.clone(),
                    format!("{:?}", c.movement).to_lowercase(),
                    opt(c.before),
                    opt(c.now),
                    st(c.stage_before),
                    st(c.stage_now),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => print_comparison(&cmp, &now, &cmd.against, cmd.lang),
    }
    Ok(())
}

fn print_comparison(cmp: &Comparison, now: &AssessedRound, against: &str, lang: Lang) {
    let fw = &now.fw;
    let reg = &now.registry;
    let index = Index::new(reg);
    let name = |c: &str| name_in(reg, &index, c, lang);
    let d = fw.decimals;
    println!(
        "round {} against {} (framework {} {})",
        now.round.code, against, fw.id, fw.version
    );
    println!(
        "national index: {} -> {}",
        fmt_value(cmp.index_before, d),
        fmt_value(cmp.index_now, d)
    );
    let stage = |s: Option<u8>| match s {
        Some(s) => format!("stage {s} ({})", stage_name(fw, Some(s), lang)),
        None => "—".into(),
    };
    for (movement, title) in [
        (Movement::Improved, "improved"),
        (Movement::Regressed, "regressed"),
        (Movement::New, "new"),
        (Movement::Withdrawn, "withdrawn"),
        (Movement::Unchanged, "unchanged"),
    ] {
        let list: Vec<_> = cmp
            .services
            .iter()
            .filter(|c| c.movement == movement)
            .collect();
        println!("\n{title} ({}):", list.len());
        for c in list {
            println!(
                "  {:<10} {:<58} {} -> {}   {} -> {}",
                c.service,
                name(&c.service),
                stage(c.stage_before),
                stage(c.stage_now),
                fmt_value(c.before, d),
                fmt_value(c.now, d)
            );
        }
    }
    println!("\nlife events:");
    for le in &cmp.life_events {
        let delta = le
            .delta
            .map(|v| format!("{v:+.prec$}", prec = d as usize))
            .unwrap_or_else(|| "—".into());
        println!(
            "  {:<10} {:<40} {} -> {}  ({delta})",
            le.life_event,
            name(&le.life_event),
            fmt_value(le.before, d),
            fmt_value(le.now, d)
        );
    }
    for (title, list) in [
        ("still undeveloped (stage 0)", &cmp.undeveloped),
        (
            "stuck at information provision (stage 1)",
            &cmp.information_only,
        ),
    ] {
        println!("\n{title} ({}):", list.len());
        for code in list {
            println!("  {:<10} {}", code, name(code));
        }
    }
}
