//! The what-if language of the gap analysis (`--assume kind:SUBJECT=VALUE`): never panics, an
//! assumption's canonical text parses back to it, and the demo's what-if with it runs and
//! agrees with the full analysis.
#![no_main]

use egovwatch_domain::gaps::analysis::Compact;
use egovwatch_domain::gaps::{Assumption, BlockingRules, Graph, Weights};
use egovwatch_fuzz::DEMO;
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use std::sync::LazyLock;

static RULES: LazyLock<BlockingRules> = LazyLock::new(|| match BlockingRules::default_rules() {
    Ok(r) => r,
    Err(e) => panic!("the shipped blocking rules do not read: {e}"),
});

/// The demo's graph, observed stages (none) and base analysis, computed once.
static BASE: LazyLock<(Graph<'static>, Vec<Option<u8>>, Compact)> = LazyLock::new(|| {
    let graph = Graph::new(&DEMO, &RULES);
    let observed = graph.observed(&HashMap::new());
    let base = graph.compute(&observed, &[], &Weights::default());
    (graph, observed, base)
});

fuzz_target!(
    init: {
        LazyLock::force(&BASE);
    },
    |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Several assumptions, one per line, as several --assume flags.
    let mut assumptions = Vec::new();
    for line in text.lines() {
        let Ok(a) = Assumption::parse(line) else {
            continue;
        };
        let canonical = a.text();
        match Assumption::parse(&canonical) {
            Ok(b) => assert_eq!(a, b, "{line:?} -> {canonical:?}"),
            Err(e) => panic!("{line:?} -> {canonical:?} does not parse: {e}"),
        }
        assumptions.push(a);
    }
    if assumptions.is_empty() {
        return;
    }
    let (graph, observed, base) = &*BASE;
    let weights = Weights::default();
    let full = graph.resolve(&graph.compute(observed, &assumptions, &weights));
    let quick = graph.resolve(&graph.what_if(base, observed, &assumptions, &weights));
    assert_eq!(
        shown(&full),
        shown(&quick),
        "what-if and full analysis disagree on {assumptions:?}"
    );
});

fn shown(a: &egovwatch_domain::gaps::Analysis) -> String {
    format!("{a:?}")
}
