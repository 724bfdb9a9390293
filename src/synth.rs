//! `egovwatch synth`: a large, realistic registry with rounds of answers, for load tests and
//! benchmarks; optionally the same answers as CSV for other tools.

use anyhow::{Context, Result};
use clap::Args;
use egovwatch_domain::monitoring::{Assessment, AssessmentSource, Round, RoundState};
use egovwatch_store::Store;
use egovwatch_synth::Params;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct SynthArgs {
    /// Countries, each with its own organisations, services and rounds.
    #[arg(long, default_value_t = 3)]
    pub countries: usize,
    /// Services per country.
    #[arg(long, default_value_t = 200)]
    pub services: usize,
    /// Rounds on the EU eGovernment Benchmark per country (plus one round on `stages`).
    #[arg(long, default_value_t = 2)]
    pub rounds: usize,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 2015)]
    pub seed: u64,
    /// Database to fill (it must not hold a registry yet). Without it, nothing is stored.
    #[arg(long)]
    pub db: Option<String>,
    /// Folder for `answers.csv` (one row per answer) and the registry as CSV.
    #[arg(long)]
    pub export_csv: Option<PathBuf>,
}

pub fn run(a: SynthArgs) -> Result<()> {
    if a.db.is_none() && a.export_csv.is_none() {
        anyhow::bail!(
            "synth needs somewhere to put the data: --db (a database to fill) or --export-csv (a folder to write), or both"
        );
    }
    let p = Params {
        countries: a.countries,
        services: a.services,
        rounds: a.rounds,
        seed: a.seed,
    };
    let making = crate::progress::spinner("generating the synthetic registry");
    let registry =
        egovwatch_synth::registry(&p).map_err(|e| anyhow::anyhow!("synthetic registry: {e}"))?;
    making.finish_and_clear();
    if let Some(dir) = &a.export_csv {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join("answers.csv");
        let file =
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = std::io::BufWriter::new(file);
        let writing = crate::progress::spinner("writing answers.csv and the registry CSV");
        let n = egovwatch_synth::write_answers_csv(&p, &mut out)?;
        std::io::Write::flush(&mut out)?;
        egovwatch_interop::csv_folder::write_folder(
            &registry,
            &dir.join("registry-csv"),
            egovwatch_interop::spreadsheet::Cells::Safe,
        )
        .with_context(|| format!("writing {}", dir.display()))?;
        writing.finish_and_clear();
        println!(
            "wrote {n} answers to {} and the registry to {}",
            path.display(),
            dir.join("registry-csv").display()
        );
    }
    let Some(db) = &a.db else { return Ok(()) };
    let shown = egovwatch_store::redact_url(db);
    let store = Store::open(db).with_context(|| format!("opening database {shown}"))?;
    // How many services are stored, counted by the store: not the whole registry read.
    let stored = store.services_page(egovwatch_store::ServiceFilter::default(), None, 0)?;
    if stored.is_ok_and(|page| page.total > 0) {
        anyhow::bail!("{shown} already holds a registry; synth fills an empty database");
    }
    let meta = egovwatch_store::ChangeMeta {
        author: "egovwatch synth".into(),
        reason: egovwatch_i18n::in_every_language("reason-synth", &[("seed", &p.seed.to_string())]),
    };
    let storing = crate::progress::spinner("storing the registry");
    let report = store.import(&registry, &meta)?;
    storing.finish_and_clear();
    println!("registry: {}", report.counts());
    // Read back once: every round is published on it.
    let stored = std::sync::Arc::new(store.registry()?);
    let mut answers = 0usize;
    let bar = crate::progress::bar(p.countries as u64, "storing each country's rounds");
    for c in 0..p.countries {
        let scope: Vec<String> = (0..p.services)
            .map(|s| egovwatch_synth::service_code(c, s))
            .collect();
        for r in 0..p.rounds {
            let code = egovwatch_synth::round_code(c, r);
            let year = 2015 + r / 2;
            let (from, to) = if r.is_multiple_of(2) {
                ("01-01", "06-30")
            } else {
                ("07-01", "12-31")
            };
            let round = new_round(
                &code,
                "eu-egov-benchmark-2020",
                scope.clone(),
                &format!("{year}-{from}"),
                &format!("{year}-{to}"),
            )?;
            store.create_round(&round)?;
            let items = egovwatch_synth::assessments(&p, c, r);
            answers += items.len();
            store.add_assessments(&code, &items, None)?;
            // All but the latest round are published, as a monitor's history would be.
            if r + 1 < p.rounds {
                store.set_round_state(&code, RoundState::Closed)?;
                egovwatch_app::rounds::publish_on(
                    &store,
                    &code,
                    &crate::monitoring::now(),
                    &stored,
                )?;
            }
        }
        // A second framework: the latest stage of every service.
        let code = format!("{}-STAGES", egovwatch_synth::country_code(c));
        store.create_round(&new_round(
            &code,
            "stages",
            scope.clone(),
            "2020-01-01",
            "2020-06-30",
        )?)?;
        let stages: Vec<Assessment> = (0..p.services)
            .map(|s| Assessment {
                service: egovwatch_synth::service_code(c, s),
                channel: None,
                perspective: Default::default(),
                question: "stage".into(),
                answer: (egovwatch_synth::mix(p.seed ^ ((c as u64) << 32) ^ s as u64) % 6)
                    .to_string(),
                evidence_url: None,
                evidence_note: Default::default(),
                evidence_hash: None,
                assessor: "synth".into(),
                assessed_at: "2020-06-15".into(),
                source: AssessmentSource::Automatic,
                correction: None,
                revision: 0,
            })
            .collect();
        answers += stages.len();
        store.add_assessments(&code, &stages, None)?;
        // Published, so the public site of a synthetic country shows stages on its journey.
        store.set_round_state(&code, RoundState::Closed)?;
        egovwatch_app::rounds::publish_on(&store, &code, &crate::monitoring::now(), &stored)?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "{} rounds, {answers} answers stored in {shown}",
        p.countries * (p.rounds + 1)
    );
    Ok(())
}

fn new_round(
    code: &str,
    framework: &str,
    scope: Vec<String>,
    from: &str,
    to: &str,
) -> Result<Round> {
    let fw = crate::monitoring::framework(framework)?;
    let name = egovwatch_domain::Text::new()
        .with(
            egovwatch_domain::Lang::En,
            format!("Synthetic round {code}"),
        )
        .with(egovwatch_domain::Lang::Az, format!("Sintetik raund {code}"))
        .with(
            egovwatch_domain::Lang::Ru,
            format!("Синтетический раунд {code}"),
        );
    Ok(Round::open(
        code,
        name,
        &fw,
        (from, to),
        scope,
        &format!("{to}T00:00:00Z"),
    ))
}
