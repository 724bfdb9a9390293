//! Scoring speed on synthetic data (EU eGovernment Benchmark framework).
//!
//! `full_recompute`: every country-round of the data set laid out from raw answers and scored
//! through every node (services, life events, organisations, country). `single_answer`: one
//! changed answer re-scored up to the national level. The scale comes from `EGOVWATCH_BENCH_SCALE`
//! (`countries,services,rounds`; default `50,2000,10`, about 9.6 million answers).

use divan::Bencher;
use egovwatch_domain::scoring::{
    Answer, Framework, RoundInput, catalog, par_map, score_round, update_answer,
};
use egovwatch_synth::{Params, engine_input};

fn main() {
    divan::main();
}

fn params() -> Params {
    let scale = std::env::var("EGOVWATCH_BENCH_SCALE").unwrap_or_else(|_| "50,2000,10".into());
    let v: Vec<usize> = scale
        .split(',')
        .filter_map(|x| x.trim().parse().ok())
        .collect();
    let [countries, services, rounds] = v[..] else {
        panic!("EGOVWATCH_BENCH_SCALE is countries,services,rounds, not {scale:?}");
    };
    Params {
        countries,
        services,
        rounds,
        seed: 2015,
    }
}

fn eu() -> Framework {
    catalog::builtin_by_id("eu-egov-benchmark-2020").expect("shipped")
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn full_recompute(bencher: Bencher) {
    let p = params();
    let fw = eu();
    let inputs: Vec<_> = (0..p.countries)
        .flat_map(|c| (0..p.rounds).map(move |r| (c, r)))
        .map(|(c, r)| engine_input(&p, &fw, c, r))
        .collect();
    let answers: usize = inputs.iter().map(|(_, e, _)| e.len()).sum();
    eprintln!(
        "full_recompute: {} countries x {} services x {} rounds = {answers} answers",
        p.countries, p.services, p.rounds
    );
    bencher.bench_local(|| {
        let totals = par_map(&inputs, |(flags, evidence, groupings)| {
            let input = RoundInput::build(&fw, flags.clone(), evidence);
            let s = score_round(&fw, &input, groupings);
            s.total_value(fw.headline_total).unwrap_or(0.0)
        });
        divan::black_box(totals)
    });
}

#[divan::bench(sample_count = 200)]
fn single_answer(bencher: Bencher) {
    let p = params();
    let fw = eu();
    let (flags, evidence, groupings) = engine_input(&p, &fw, 0, 0);
    let mut input = RoundInput::build(&fw, flags, &evidence);
    let mut scores = score_round(&fw, &input, &groupings);
    let q = fw.question_index("A2").expect("A2");
    let mut flip = false;
    bencher.bench_local(|| {
        flip = !flip;
        let unit = p.services / 2;
        let a = Answer::Value(if flip { 100.0 } else { 0.0 });
        update_answer(&fw, &mut input, &groupings, &mut scores, unit, q, a);
        divan::black_box(scores.total_value(fw.headline_total))
    });
}
