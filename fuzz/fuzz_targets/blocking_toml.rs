//! The gap analysis' blocking rules (`BlockingRules::from_toml`, `egovwatch gaps --rules`):
//! never panics; rules it accepts analyse the demo registry.
#![no_main]

use egovwatch_domain::gaps::{BlockingRules, Graph, Weights};
use egovwatch_fuzz::DEMO;
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

fuzz_target!(
    init: {
        egovwatch_fuzz::init();
    },
    |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(rules) = BlockingRules::from_toml("fuzz.toml", &text) else {
        return;
    };
    let graph = Graph::new(&DEMO, &rules);
    let _ = graph.analyse(&HashMap::new(), &[], &Weights::default());
});
