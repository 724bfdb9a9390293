//! The assessments CSV reader over the demo registry and an open `stages` round: never
//! panics, and every answer it accepts names a service in the round and a known question.
#![no_main]

use egovwatch_fuzz::{DEMO, ROUND, STAGES};
use egovwatch_interop::assessments;
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        egovwatch_fuzz::init();
    },
    |data: &[u8]| {
    let Ok(items) = assessments::read(
        "fuzz.csv",
        data,
        &STAGES,
        &DEMO,
        &ROUND,
        "2015-06-30T12:00:00Z",
    ) else {
        return;
    };
    for a in &items {
        assert!(DEMO.service(&a.service).is_some(), "{a:?}");
        assert!(
            a.question.starts_with('@') || STAGES.question_index(&a.question).is_some(),
            "{a:?}"
        );
        assert!(!a.assessor.is_empty(), "{a:?}");
    }
    // What was accepted scores.
    let scored = egovwatch_domain::monitoring::score(&STAGES, &DEMO, &ROUND, &items);
    assert_eq!(scored.services.len(), ROUND.services(&DEMO).len());
});
