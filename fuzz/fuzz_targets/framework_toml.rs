//! The framework definition reader (`Framework::from_toml`): never panics or overflows the
//! stack; a definition it accepts scores a round of the demo registry and explains a unit.
#![no_main]

use egovwatch_domain::Lang;
use egovwatch_domain::monitoring::{self, Assessment, AssessmentSource, Round};
use egovwatch_domain::scoring::{Framework, explain_unit};
use egovwatch_fuzz::DEMO;
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        egovwatch_fuzz::init();
    },
    |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(fw) = Framework::from_toml("fuzz.toml", &text) else {
        return;
    };
    let round = Round::open(
        "R",
        egovwatch_domain::Text::new().with(egovwatch_domain::Lang::En, "R"),
        &fw,
        ("2015-01-01", "2015-06-30"),
        Vec::new(),
        "2015-06-30T00:00:00Z",
    );
    // Every service answers every question with the first of a few answers it accepts, the
    // answer picked by the service's position so units differ.
    let tries = ["1", "0", "yes", "no", "nr", "5", "2"];
    let mut answers = Vec::new();
    for (u, s) in round.services(&DEMO).iter().enumerate() {
        for (q, question) in fw.questions.iter().enumerate() {
            let Some(answer) = (0..tries.len())
                .map(|k| tries[(u + q + k) % tries.len()])
                .find(|a| fw.parse_answer(q, a).is_ok())
            else {
                continue;
            };
            answers.push(Assessment {
                service: s.code.to_string(),
                channel: None,
                perspective: Default::default(),
                question: question.id.clone(),
                answer: answer.into(),
                evidence_url: None,
                evidence_note: egovwatch_domain::Text::new().with(egovwatch_domain::Lang::En, "fuzz"),
                evidence_hash: None,
                assessor: "fuzz".into(),
                assessed_at: "2015-06-01".into(),
                source: AssessmentSource::Manual,
                correction: None,
                revision: 0,
            });
        }
    }
    let scored = monitoring::score(&fw, &DEMO, &round, &answers);
    // An explanation is a tree over the nodes, not a graph: a node read by two others is
    // explained twice, so a definition built as a ladder of such nodes explains in time
    // exponential in its nodes. Shipped frameworks are small; explain small ones only.
    if fw.nodes.len() > 12 {
        return;
    }
    let raw = |_q: usize| Vec::new();
    for unit in 0..scored.services.len().min(3) {
        let tree = explain_unit(&fw, &scored.input, &scored.scores, unit, Lang::En, &raw);
        let _ = tree.lines(fw.decimals);
    }
});
