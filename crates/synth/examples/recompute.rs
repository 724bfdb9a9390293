//! Full recompute of every country-round of a synthetic data set, timed, for the side-by-side
//! comparison with DuckDB in `bench/duckdb.sh`. Writes the national scores it computed so the
//! other side can be checked against them.
//!
//! Usage: recompute COUNTRIES SERVICES ROUNDS RUNS OUT.csv

use egovwatch_domain::scoring::{RoundInput, catalog, par_map, score_round};
use egovwatch_synth::{Params, engine_input};
use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [countries, services, rounds, runs, out] = &args[..] else {
        return Err("usage: recompute COUNTRIES SERVICES ROUNDS RUNS OUT.csv".into());
    };
    let p = Params {
        countries: countries.parse()?,
        services: services.parse()?,
        rounds: rounds.parse()?,
        seed: 2015,
    };
    let runs: usize = runs.parse()?;
    let fw = catalog::builtin_by_id("eu-egov-benchmark-2020").ok_or("EU framework not shipped")?;
    let keys: Vec<(usize, usize)> = (0..p.countries)
        .flat_map(|c| (0..p.rounds).map(move |r| (c, r)))
        .collect();
    let inputs = par_map(&keys, |&(c, r)| engine_input(&p, &fw, c, r));
    let answers: usize = inputs.iter().map(|(_, e, _)| e.len()).sum();
    let overall = fw.node_index("overall").ok_or("no overall node")?;
    let mut times = Vec::new();
    let mut totals = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        totals = par_map(&inputs, |(flags, evidence, groupings)| {
            let input = RoundInput::build(&fw, flags.clone(), evidence);
            score_round(&fw, &input, groupings).total_value(overall)
        });
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "egovwatch engine: {answers} answers ({} countries x {} services x {} rounds), full recompute median {median:.0} ms over {runs} runs (min {:.0}, max {:.0})",
        p.countries,
        p.services,
        p.rounds,
        times[0],
        times[times.len() - 1]
    );
    let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
    writeln!(f, "country,round,overall")?;
    for ((c, r), v) in keys.iter().zip(&totals) {
        writeln!(
            f,
            "{},{},{}",
            c + 1,
            r + 1,
            v.map(|v| v.to_string()).unwrap_or_default()
        )?;
    }
    Ok(())
}
