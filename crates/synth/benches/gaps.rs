//! Gap analysis speed on a synthetic registry: by default 50 countries × 2,000 services
//! (100,000 services, each requiring 6-10 evidence types, about a million edges in all).
//! `EGOVWATCH_BENCH_SCALE=countries,services` changes it.

use divan::Bencher;
use egovwatch_domain::Registry;
use egovwatch_domain::gaps::{BlockingRules, Graph, Weights};
use egovwatch_synth::{Params, stage_of};
use std::collections::HashMap;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

struct Data {
    registry: Registry,
    stages: HashMap<String, u8>,
    rules: BlockingRules,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let scale = std::env::var("EGOVWATCH_BENCH_SCALE").unwrap_or_else(|_| "50,2000".into());
        let v: Vec<usize> = scale
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect();
        let (countries, services) = (
            v.first().copied().unwrap_or(50),
            v.get(1).copied().unwrap_or(2000),
        );
        let p = Params {
            countries,
            services,
            rounds: 1,
            seed: 2015,
        };
        let registry = egovwatch_synth::registry(&p).expect("synthetic registry");
        let mut stages = HashMap::new();
        for c in 0..countries {
            for s in 0..services {
                stages.insert(egovwatch_synth::service_code(c, s), stage_of(&p, c, s));
            }
        }
        let edges: usize = registry
            .services
            .iter()
            .map(|s| {
                s.evidence.len()
                    + s.outputs.len()
                    + s.organisations.len()
                    + s.life_events.len()
                    + s.channels.len()
            })
            .sum::<usize>()
            + registry
                .datasets
                .iter()
                .map(|d| d.supplies.len() + 1)
                .sum::<usize>()
            + registry.exchange_links.len() * 2
            + registry
                .outputs
                .iter()
                .filter(|o| o.evidence_type.is_some())
                .count();
        eprintln!(
            "gaps: {} services, {} datasets, {} links, {edges} edges",
            registry.services.len(),
            registry.datasets.len(),
            registry.exchange_links.len()
        );
        Data {
            registry,
            stages,
            rules: BlockingRules::default_rules().expect("rules"),
        }
    })
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn index_registry(bencher: Bencher) {
    let d = data();
    bencher.bench_local(|| divan::black_box(Graph::new(&d.registry, &d.rules).findings().len()));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn full_analysis(bencher: Bencher) {
    let d = data();
    bencher.bench_local(|| {
        let graph = Graph::new(&d.registry, &d.rules);
        let observed = graph.observed(&d.stages);
        divan::black_box(
            graph
                .compute(&observed, &[], &Weights::default())
                .investments
                .len(),
        )
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn resolve_to_codes(bencher: Bencher) {
    let d = data();
    let graph = Graph::new(&d.registry, &d.rules);
    let compact = graph.compute(&graph.observed(&d.stages), &[], &Weights::default());
    bencher.bench_local(|| divan::black_box(graph.resolve(&compact).services.len()));
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn what_if(bencher: Bencher) {
    let d = data();
    let graph = Graph::new(&d.registry, &d.rules);
    let observed = graph.observed(&d.stages);
    let base = graph.compute(&observed, &[], &Weights::default());
    let assume = [graph.assumption(base.investments[0].inv)];
    let unlocks: u32 = base.investments.iter().map(|i| i.services).sum();
    eprintln!(
        "what_if: {} investments, {unlocks} unlocks, {} blocks; assuming {}",
        base.investments.len(),
        base.blocks.len(),
        assume[0].text()
    );
    // The what-if gives what a full analysis with the same assumption gives.
    let full = graph.resolve(&graph.compute(&observed, &assume, &Weights::default()));
    let quick = graph.resolve(&graph.what_if(&base, &observed, &assume, &Weights::default()));
    assert_eq!(full.services, quick.services);
    assert_eq!(full.investments.len(), quick.investments.len());
    bencher.bench_local(|| {
        divan::black_box(
            graph
                .what_if(&base, &observed, &assume, &Weights::default())
                .investments
                .len(),
        )
    });
}
