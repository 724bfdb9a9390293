//! The scoring engine on small hand-made frameworks and on the shipped EU benchmark, plus the
//! properties every score must have: in range, independent of input order, monotone.

use egovwatch_domain::scoring::catalog::builtin;
use egovwatch_domain::scoring::{
    Answer, Evidence, Framework, Grouping, Level, RoundInput, UnitFlags, score_round, update_answer,
};
use proptest::prelude::*;

fn fw(id: &str) -> Framework {
    builtin()
        .expect("shipped frameworks load")
        .into_iter()
        .find(|f| f.id == id)
        .expect("shipped")
}

fn errors(text: &str) -> String {
    Framework::from_toml("test.toml", text)
        .expect_err("must be refused")
        .to_string()
}

const HEAD: &str = r#"[framework]
id = "t"
version = "1"
title = { en = "T" }
unit = "service"
kinds = ["informational", "transactional"]
scale = 100
headline = { unit = "a", total = "all" }
"#;

fn with_head(body: &str) -> String {
    format!(
        "{HEAD}{body}\n[[node]]\nid = \"all\"\nlevel = \"total\"\nfunction = \"rollup\"\nfrom = \"a\"\n"
    )
}

#[test]
fn definition_errors_name_file_line_and_problem() {
    let unknown = errors(&with_head(
        "[[question]]\nid = \"q1\"\ntype = \"binary\"\n\n[[node]]\nid = \"a\"\nlevel = \"unit\"\nfunction = \"mean\"\ninputs = [\"q1\", \"q9\"]\n",
    ));
    assert!(unknown.starts_with("test.toml:17:"), "{unknown}");
    assert!(
        unknown.contains("unknown indicator or question `q9`"),
        "{unknown}"
    );

    let weights = errors(&with_head(
        "[[question]]\nid = \"q1\"\ntype = \"binary\"\n[[question]]\nid = \"q2\"\ntype = \"binary\"\n\n[[node]]\nid = \"a\"\nlevel = \"unit\"\nfunction = \"weighted_sum\"\ninputs = { q1 = 0.5, q2 = 0.4 }\n",
    ));
    assert!(
        weights.contains("weights add up to 0.9, not 1"),
        "{weights}"
    );
    assert!(weights.starts_with("test.toml:20:"), "{weights}");

    let cycle = errors(&with_head(
        "[[node]]\nid = \"a\"\nlevel = \"unit\"\nfunction = \"mean\"\ninputs = [\"b\"]\n\n[[node]]\nid = \"b\"\nlevel = \"unit\"\nfunction = \"mean\"\ninputs = [\"a\"]\n",
    ));
    assert!(
        cycle.contains("cycle: a -> b -> a") || cycle.contains("cycle: b -> a -> b"),
        "{cycle}"
    );

    let scale = errors(&with_head(
        "[[question]]\nid = \"q\"\ntype = \"ordinal\"\nvalues = { low = 0, high = 140 }\n\n[[node]]\nid = \"a\"\nlevel = \"unit\"\nfunction = \"mean\"\ninputs = [\"q\"]\n",
    ));
    assert!(
        scale.contains("value 140 of `high` is outside 0..=100"),
        "{scale}"
    );
    assert!(scale.starts_with("test.toml:12:"), "{scale}");

    let syntax = errors("[framework]\nid = \"t\"\nversion = 1\n");
    assert!(syntax.starts_with("test.toml:3:"), "{syntax}");

    let kind = errors(&with_head(
        "[[question]]\nid = \"q\"\ntype = \"binary\"\napplies_to = [\"portal\"]\n\n[[node]]\nid = \"a\"\nlevel = \"unit\"\nfunction = \"mean\"\ninputs = [\"q\"]\n",
    ));
    assert!(kind.contains("unknown unit kind `portal`"), "{kind}");

    let level = errors(&with_head(
        "[[question]]\nid = \"q\"\ntype = \"binary\"\n\n[[node]]\nid = \"a\"\nlevel = \"unit\"\nfunction = \"mean\"\ninputs = [\"q\"]\n\n[[node]]\nid = \"g\"\nlevel = \"group\"\nfunction = \"mean\"\ninputs = [\"q\"]\n",
    ));
    assert!(
        level.contains("questions are read at unit level"),
        "{level}"
    );
}

/// Defect 15: `framework check` died with a stack overflow (exit 134) on a condition with
/// 10,000 nested parentheses. Deep input of any kind is now a located error.
#[test]
fn deep_nesting_is_a_located_error_not_a_crash() {
    let rules = |when: &str| {
        with_head(&format!(
            "[[question]]\nid = \"q\"\ntype = \"binary\"\n\n[[node]]\nid = \"a\"\nlevel = \"unit\"\nfunction = \"rules\"\nrules = [{{ when = \"{when}\", score = 100 }}]\notherwise = 0\n"
        ))
    };
    let n = 10_000;
    for when in [
        format!("{}q{}", "(".repeat(n), ")".repeat(n)),
        format!("{}q", "!".repeat(n)),
        vec!["q"; n].join(" && "),
    ] {
        let e = errors(&rules(&when));
        assert!(e.starts_with("test.toml:17: node `a`: condition `"), "{e}");
        assert!(e.contains("nested too deeply"), "{e}");
        assert!(e.len() < 400, "the condition is quoted short: {e}");
    }
    // At the limit it is a valid definition.
    let fine = format!("{}q{}", "(".repeat(64), ")".repeat(64));
    assert!(Framework::from_toml("test.toml", &rules(&fine)).is_ok());

    // A chain of nodes, each reading the one before, is ordered without recursion.
    let mut chain = String::from("[[question]]\nid = \"q\"\ntype = \"binary\"\n");
    let links = 20_000;
    // Written from the top down, so ordering them walks the whole chain from its first node.
    for k in (0..=links).rev() {
        let input = if k == 0 {
            "q".to_string()
        } else {
            format!("n{}", k - 1)
        };
        let id = if k == links {
            "a".to_string()
        } else {
            format!("n{k}")
        };
        chain.push_str(&format!(
            "[[node]]\nid = \"{id}\"\nlevel = \"unit\"\nfunction = \"mean\"\ninputs = [\"{input}\"]\n"
        ));
    }
    // On a small stack, so that a recursive walk along the chain would overflow it.
    let text = with_head(&chain);
    let checked = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || Framework::from_toml("test.toml", &text).is_ok())
        .expect("thread")
        .join()
        .expect("no panic");
    assert!(checked, "a chain of {links} nodes is a valid definition");

    // TOML's own nesting: arrays, inline tables and dotted keys.
    for deep in [
        format!("x = {}1{}", "[".repeat(n), "]".repeat(n)),
        format!("x = {}1{}", "{ a = ".repeat(n), " }".repeat(n)),
        format!("{} = 1", vec!["a"; n].join(".")),
        format!("[{}]", vec!["a"; n].join(".")),
    ] {
        let e = errors(&format!("{HEAD}{deep}\n"));
        assert!(e.starts_with("test.toml:"), "{e}");
    }
}

#[test]
fn shipped_frameworks_load() {
    let all = builtin().expect("load");
    let ids: Vec<&str> = all.iter().map(|f| f.id.as_str()).collect();
    for id in ["stages", "eu-egov-benchmark-2020", "un-egdi"] {
        assert!(ids.contains(&id), "{id} shipped");
    }
    let eu = fw("eu-egov-benchmark-2020");
    assert!(
        eu.questions.len() >= 60,
        "the whole questionnaire: {}",
        eu.questions.len()
    );
    assert_eq!(eu.window, Some(2));
}

fn answer(fw: &Framework, unit: usize, source: u32, q: &str, raw: &str) -> Evidence {
    let question = fw.question_index(q).expect("question");
    let answer = fw.parse_answer(question, raw).expect("valid answer");
    Evidence {
        unit,
        source,
        question,
        answer,
        seq: u64::from(source),
    }
}

fn flags(fw: &Framework, kinds: &[&str]) -> UnitFlags {
    let kinds: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
    UnitFlags {
        kinds: fw.kind_mask(&kinds),
        ..UnitFlags::default()
    }
}

#[test]
fn eu_online_availability_best_per_question_for_central_mean_for_local() {
    let eu = fw("eu-egov-benchmark-2020");
    // Three URLs: (Y,N,N), (Y,Y,N), (Y,N,Y). Central: per question any yes => 100.
    // Local: mean of per-URL scores (25, 75, 50) => 50.
    let urls = [
        ["yes", "no", "no"],
        ["yes", "yes", "no"],
        ["yes", "no", "yes"],
    ];
    let mut ev = Vec::new();
    for unit in 0..2 {
        for (src, a) in urls.iter().enumerate() {
            for (q, raw) in ["A1", "A2", "A3"].iter().zip(a) {
                ev.push(answer(&eu, unit, src as u32, q, raw));
            }
        }
    }
    let units = vec![
        flags(&eu, &["national", "transactional", "central"]),
        flags(&eu, &["national", "transactional", "local"]),
    ];
    let input = RoundInput::build(&eu, units, &ev);
    let s = score_round(&eu, &input, &[]);
    let oa = eu.node_index("online_availability").expect("node");
    assert_eq!(s.unit_value(oa, 0), Some(100.0));
    assert_eq!(s.unit_value(oa, 1), Some(50.0));
}

#[test]
fn eu_eid_steps_and_gates() {
    let eu = fw("eu-egov-benchmark-2020");
    type Case<'a> = (&'a [(&'a str, &'a str)], Option<f64>);
    let cases: [Case; 9] = [
        (&[("F1", "no")], None),
        // Not relevant or unanswered authentication: no score, not 0.
        (&[("F1", "NR"), ("F2", "NR")], None),
        (&[("F2", "yes")], None),
        (&[("F1", "yes")], Some(0.0)),
        (&[("F1", "yes"), ("F2", "no")], Some(0.0)),
        // A service's eID score is rounded to a whole number (docs/eu-benchmark.md 3.4).
        (
            &[("F1", "yes"), ("F2", "yes"), ("F3", "no"), ("F4", "no")],
            Some(33.0),
        ),
        (
            &[("F1", "yes"), ("F2", "yes"), ("F3", "yes"), ("F4", "no")],
            Some(67.0),
        ),
        (
            &[("F1", "yes"), ("F2", "yes"), ("F3", "yes"), ("F4", "yes")],
            Some(100.0),
        ),
        (
            &[("F1", "yes"), ("F2", "yes"), ("F3", "no"), ("F4", "NR")],
            Some(50.0),
        ),
    ];
    let mut ev = Vec::new();
    for (unit, (answers, _)) in cases.iter().enumerate() {
        for (q, raw) in answers.iter() {
            ev.push(answer(&eu, unit, 0, q, raw));
        }
    }
    let units = vec![flags(&eu, &["national", "transactional", "central"]); cases.len()];
    let s = score_round(&eu, &RoundInput::build(&eu, units, &ev), &[]);
    let eid = eu.node_index("eid").expect("node");
    for (unit, (answers, want)) in cases.iter().enumerate() {
        assert_eq!(s.unit_value(eid, unit), *want, "{answers:?}");
    }
}

#[test]
fn eu_life_event_weights_transactional_over_informational_and_automated_is_full() {
    let eu = fw("eu-egov-benchmark-2020");
    let mut ev = Vec::new();
    // unit 0: transactional, OA 75; unit 1: informational, OA 25; unit 2: automated transactional.
    for (q, raw) in [("A1", "yes"), ("A2", "yes"), ("A3", "no")] {
        ev.push(answer(&eu, 0, 0, q, raw));
    }
    for (q, raw) in [("A1", "yes"), ("A2", "no"), ("A3", "no")] {
        ev.push(answer(&eu, 1, 0, q, raw));
    }
    let mut auto = flags(&eu, &["national", "transactional", "central"]);
    auto.automated = true;
    let units = vec![
        flags(&eu, &["national", "transactional", "central"]),
        flags(&eu, &["national", "informational", "central"]),
        auto,
    ];
    let input = RoundInput::build(&eu, units, &ev);
    let le = Grouping::new("life_event", 3, vec![vec![0, 1, 2]]);
    let s = score_round(&eu, &input, std::slice::from_ref(&le));
    let oa = eu.node_index("online_availability").expect("node");
    assert_eq!(s.unit_value(oa, 2), Some(100.0), "automated => 100");
    let le_oa = eu.node_index("le_online_availability").expect("node");
    // 0.8 × mean(75, 100) + 0.2 × 25
    let want = 0.8 * 87.5 + 0.2 * 25.0;
    assert!((s.group_value(0, le_oa, 0).expect("value") - want).abs() < 1e-9);
    // A missing indicator is left out and the others' weights re-spread (docs/eu-benchmark.md
    // 7): usability is mobile friendliness alone (100: only the automated service has a
    // value, and automated is full), user support having none; UC = 2/3 OA + 1/3 usability.
    // The automated service scores 100 on service delivery (transparency = 100, the two
    // portal indicators having no value) and on eID, eDocuments and authentic sources (KE =
    // 100). Cross-border has nothing, so it has no value and is left out of the mean.
    let score = s
        .group_value(0, eu.node_index("life_event_score").expect("node"), 0)
        .expect("value");
    let uc = 2.0 / 3.0 * want + 1.0 / 3.0 * 100.0;
    assert!((score - (uc + 100.0 + 100.0) / 3.0).abs() < 1e-9, "{score}");
}

/// Regional and local services: service delivery pools each question over the sampled URLs,
/// not relevant counting as no once some URL answered (docs/eu-benchmark.md 3.3); online
/// availability stays the mean of the URLs' scores.
#[test]
fn eu_local_service_delivery_pools_each_question_over_the_urls() {
    let eu = fw("eu-egov-benchmark-2020");
    // Three municipalities: C1 Y/N/NR (1 of 3), C2 Y/Y/Y (3 of 3), C3 NR everywhere (dropped).
    let urls = [
        ["yes", "yes", "NR"],
        ["no", "yes", "NR"],
        ["NR", "yes", "NR"],
    ];
    let mut ev = Vec::new();
    for unit in 0..2 {
        for (src, a) in urls.iter().enumerate() {
            for (q, raw) in ["C1", "C2", "C3"].iter().zip(a) {
                ev.push(answer(&eu, unit, src as u32, q, raw));
            }
        }
    }
    let units = vec![
        flags(&eu, &["national", "transactional", "local"]),
        flags(&eu, &["national", "transactional", "central"]),
    ];
    let s = score_round(&eu, &RoundInput::build(&eu, units, &ev), &[]);
    let sd = eu.node_index("service_delivery").expect("node");
    let local = s.unit_value(sd, 0).expect("value");
    assert!(
        (local - (100.0 / 3.0 + 100.0) / 2.0).abs() < 1e-9,
        "{local}"
    );
    // Central: the best answer per question (C1 yes, C2 yes), NR dropped.
    assert_eq!(s.unit_value(sd, 1), Some(100.0));
}

/// The cross-border assessment of a service is a unit of its own: its questions and nodes
/// apply to it, the national ones do not, and its landscaping is its own.
#[test]
fn eu_perspectives_keep_national_and_cross_border_apart() {
    let eu = fw("eu-egov-benchmark-2020");
    let mut ev = Vec::new();
    for (q, raw) in [("A1", "yes"), ("A2", "yes"), ("A3", "yes")] {
        ev.push(answer(&eu, 0, 0, q, raw));
    }
    for (q, raw) in [("G1", "yes"), ("G2", "no"), ("I1", "yes"), ("I2", "yes")] {
        ev.push(answer(&eu, 1, 1, q, raw));
    }
    let mut cb = flags(&eu, &["cross_border", "transactional", "central"]);
    let units = vec![flags(&eu, &["national", "transactional", "central"]), cb];
    let le = Grouping::new("life_event", 2, vec![vec![0, 1]]);
    let s = score_round(
        &eu,
        &RoundInput::build(&eu, units.clone(), &ev),
        std::slice::from_ref(&le),
    );
    let node = |id: &str| eu.node_index(id).expect("node");
    assert_eq!(s.unit_value(node("online_availability"), 0), Some(100.0));
    assert_eq!(s.unit_value(node("online_availability"), 1), None);
    assert_eq!(s.unit_value(node("cb_online_availability"), 0), None);
    assert_eq!(s.unit_value(node("cb_online_availability"), 1), Some(50.0));
    assert_eq!(s.unit_value(node("cb_eid"), 1), Some(100.0));
    // Proactive only from abroad: the national unit keeps its answers.
    cb.automated = true;
    let s = score_round(&eu, &RoundInput::build(&eu, vec![units[0], cb], &ev), &[]);
    assert_eq!(s.unit_value(node("cb_online_availability"), 1), Some(100.0));
    assert_eq!(s.unit_value(node("online_availability"), 0), Some(100.0));
    assert_eq!(s.unit_value(node("mobile_friendliness"), 0), None);
}

/// A life event with informational services only has no online-availability score
/// (`requires = "transactional"`), and a set value replaces what the answers give.
#[test]
fn eu_online_availability_needs_a_transactional_service_and_set_values_win() {
    let eu = fw("eu-egov-benchmark-2020");
    let mut ev = Vec::new();
    for unit in 0..2 {
        for (q, raw) in [("A1", "yes"), ("A2", "yes"), ("A3", "no")] {
            ev.push(answer(&eu, unit, 0, q, raw));
        }
    }
    let units = vec![
        flags(&eu, &["national", "informational", "central"]),
        flags(&eu, &["national", "transactional", "central"]),
    ];
    let mut input = RoundInput::build(&eu, units, &ev);
    let le = Grouping::new("life_event", 2, vec![vec![0], vec![0, 1]]);
    let le_oa = eu.node_index("le_online_availability").expect("node");
    let s = score_round(&eu, &input, std::slice::from_ref(&le));
    assert_eq!(s.group_value(0, le_oa, 0), None);
    assert_eq!(s.group_value(0, le_oa, 1), Some(75.0));
    let oa = eu.node_index("online_availability").expect("node");
    input.set_value(oa, 1, Some(0.0));
    let s = score_round(&eu, &input, std::slice::from_ref(&le));
    assert_eq!(s.unit_value(oa, 1), Some(0.0));
    assert_eq!(s.group_value(0, le_oa, 1), Some(0.2 * 75.0));
    input.set_value(oa, 1, None);
    let s = score_round(&eu, &input, std::slice::from_ref(&le));
    assert_eq!(s.group_value(0, le_oa, 1), None);
}

#[test]
fn eu_biennial_is_the_mean_of_all_life_event_scores() {
    // Year one measured 4 life events, year two 5: the biennial is the mean of the 9 values,
    // not the mean of the two year means.
    let y1 = [40.0, 50.0, 60.0, 70.0];
    let y2 = [10.0, 20.0, 30.0, 40.0, 50.0];
    let got = egovwatch_domain::scoring::window_mean(&[&y1, &y2]).expect("value");
    assert!((got - 370.0 / 9.0).abs() < 1e-12);
    assert!(
        (got - (55.0 + 30.0) / 2.0).abs() > 1.0,
        "not the mean of means"
    );
}

#[test]
fn stages_demo_style_round() {
    let st = fw("stages");
    let mut ev = Vec::new();
    for (unit, stage) in ["0", "1", "4", "4"].iter().enumerate() {
        ev.push(answer(&st, unit, 0, "stage", stage));
    }
    // Two channels of one service: the best counts.
    ev.push(answer(&st, 1, 1, "stage", "2"));
    let input = RoundInput::build(&st, vec![UnitFlags::default(); 4], &ev);
    let le = Grouping::new("life_event", 4, vec![vec![0, 1], vec![2, 3]]);
    let s = score_round(&st, &input, std::slice::from_ref(&le));
    let unit = st.headline_unit;
    assert_eq!(s.unit_value(unit, 1), Some(40.0));
    assert_eq!(st.stage_of(40.0), Some(2));
    assert_eq!(
        s.group_value(0, st.headline_group.expect("group"), 0),
        Some(20.0)
    );
    assert_eq!(
        s.total_value(st.headline_total),
        Some((0.0 + 40.0 + 80.0 + 80.0) / 4.0)
    );
    assert!(st.parse_answer(0, "6").is_err(), "stage above 5 refused");
    assert!(st.parse_answer(0, "NR").is_err(), "stages do not allow NR");
}

/// Random answers to the stages framework for `n` services in three life events.
fn stage_round(stages: &[u8]) -> (Framework, Vec<Evidence>, Grouping) {
    let st = fw("stages");
    let ev: Vec<Evidence> = stages
        .iter()
        .enumerate()
        .map(|(unit, s)| answer(&st, unit, 0, "stage", &s.to_string()))
        .collect();
    let members: Vec<Vec<usize>> = (0..3)
        .map(|g| (0..stages.len()).filter(|u| u % 3 == g).collect())
        .collect();
    let grouping = Grouping::new("life_event", stages.len(), members);
    (st, ev, grouping)
}

#[test]
fn every_node_of_every_shipped_framework_can_be_printed() {
    use egovwatch_domain::monitoring::{Round, score};
    for fw in builtin().expect("shipped") {
        let all = fw.select_nodes("all").expect("all");
        assert_eq!(all.len(), fw.nodes.len(), "{}", fw.id);
        let round = Round::open(
            "R",
            egovwatch_domain::Text::new().with(egovwatch_domain::Lang::En, "R"),
            &fw,
            ("2020-01-01", "2020-12-31"),
            Vec::new(),
            "now",
        );
        let scored = score(&fw, &egovwatch_domain::Registry::default(), &round, &[]);
        let values = scored.node_values(&fw, &all);
        // No services: one row per total node, with no value (an empty node carries none).
        let totals = fw.nodes.iter().filter(|n| n.level == Level::Total).count();
        assert_eq!(values.len(), totals, "{}", fw.id);
        assert!(
            values
                .iter()
                .all(|v| v.level == "total" && v.value.is_none()),
            "{}",
            fw.id
        );
        let some = fw.nodes[0].id.clone();
        assert_eq!(fw.select_nodes(&format!(" {some} ,")), Ok(vec![0]));
        let err = fw.select_nodes("nope").expect_err("unknown");
        assert!(
            err.contains("\"nope\" is not a node") && err.contains(&some),
            "{err}"
        );
    }
}

proptest! {
    #[test]
    fn scores_stay_within_the_scale(stages in proptest::collection::vec(0u8..=5, 1..40)) {
        let (st, ev, g) = stage_round(&stages);
        let s = score_round(&st, &RoundInput::build(&st, vec![UnitFlags::default(); stages.len()], &ev), std::slice::from_ref(&g));
        for u in 0..stages.len() {
            let v = s.unit_value(st.headline_unit, u).expect("scored");
            prop_assert!((0.0..=100.0).contains(&v));
        }
        let t = s.total_value(st.headline_total).expect("total");
        prop_assert!((0.0..=100.0).contains(&t));
    }

    #[test]
    fn scores_do_not_depend_on_answer_order(stages in proptest::collection::vec(0u8..=5, 1..40), seed in any::<u64>()) {
        let (st, ev, g) = stage_round(&stages);
        let mut shuffled = ev.clone();
        // A deterministic shuffle from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let flags = vec![UnitFlags::default(); stages.len()];
        let a = score_round(&st, &RoundInput::build(&st, flags.clone(), &ev), std::slice::from_ref(&g));
        let b = score_round(&st, &RoundInput::build(&st, flags, &shuffled), std::slice::from_ref(&g));
        prop_assert_eq!(a.total_value(st.headline_total), b.total_value(st.headline_total));
    }

    #[test]
    fn improving_an_answer_never_lowers_a_score(stages in proptest::collection::vec(0u8..=4, 1..40), pick in any::<prop::sample::Index>()) {
        let (st, ev, g) = stage_round(&stages);
        let flags = vec![UnitFlags::default(); stages.len()];
        let mut input = RoundInput::build(&st, flags, &ev);
        let groupings = [g];
        let mut s = score_round(&st, &input, &groupings);
        let before = s.clone();
        let unit = pick.index(stages.len());
        let better = st.parse_answer(0, &(stages[unit] + 1).to_string()).expect("valid");
        update_answer(&st, &mut input, &groupings, &mut s, unit, 0, better);
        prop_assert!(s.unit_value(st.headline_unit, unit) > before.unit_value(st.headline_unit, unit));
        prop_assert!(s.total_value(st.headline_total) > before.total_value(st.headline_total));
        for k in 0..3 {
            let node = st.headline_group.expect("group");
            prop_assert!(s.group_value(0, node, k) >= before.group_value(0, node, k));
        }
        // The incremental update equals a full recompute.
        let full = score_round(&st, &input, &groupings);
        prop_assert_eq!(full.total_value(st.headline_total), s.total_value(st.headline_total));
    }

    #[test]
    fn a_yes_instead_of_a_no_never_lowers_an_eu_score(answers in proptest::collection::vec(prop_oneof!["yes", "no"], 20), flip in 0usize..20) {
        let eu = fw("eu-egov-benchmark-2020");
        let qs = ["A1", "A2", "A3", "MF", "C1", "C2", "C3", "C4", "C5", "C6"];
        let build = |answers: &[&str]| {
            let mut ev = Vec::new();
            for unit in 0..2 {
                for (i, q) in qs.iter().enumerate() {
                    ev.push(answer(&eu, unit, 0, q, answers[unit * qs.len() + i]));
                }
            }
            let units = vec![flags(&eu, &["national", "transactional", "central"]), flags(&eu, &["national", "informational", "central"])];
            let g = Grouping::new("life_event", 2, vec![vec![0, 1]]);
            score_round(&eu, &RoundInput::build(&eu, units, &ev), std::slice::from_ref(&g))
        };
        let before: Vec<&str> = answers.iter().map(String::as_str).collect();
        let mut after = before.clone();
        after[flip] = "yes";
        let (b, a) = (build(&before), build(&after));
        for (i, node) in eu.nodes.iter().enumerate() {
            let pairs: Vec<(Option<f64>, Option<f64>)> = match node.level {
                egovwatch_domain::scoring::Level::Unit => (0..2).map(|u| (b.unit_value(i, u), a.unit_value(i, u))).collect(),
                egovwatch_domain::scoring::Level::Group => vec![(b.group_value(0, i, 0), a.group_value(0, i, 0))],
                egovwatch_domain::scoring::Level::Total => vec![(b.total_value(i), a.total_value(i))],
            };
            for (x, y) in pairs {
                if let (Some(x), Some(y)) = (x, y) {
                    prop_assert!(y >= x - 1e-9, "{} fell from {} to {}", node.id, x, y);
                }
            }
        }
    }

    #[test]
    fn eu_scores_stay_within_the_scale(answers in proptest::collection::vec(prop_oneof!["yes", "no", "NR"], 30)) {
        let eu = fw("eu-egov-benchmark-2020");
        let qs = ["A1", "A2", "A3", "C1", "C2", "C3", "F1", "F2", "F3", "F4", "F6", "F7_1", "F8", "F9", "G1"];
        let mut ev = Vec::new();
        for unit in 0..2 {
            for (i, q) in qs.iter().enumerate() {
                let raw = &answers[unit * qs.len() + i];
                let question = eu.question_index(q).expect("question");
                let a = eu.parse_answer(question, raw).unwrap_or(Answer::Missing);
                ev.push(Evidence { unit, source: 0, question, answer: a, seq: 0 });
            }
        }
        let units = vec![flags(&eu, &["national", "transactional", "central"]), flags(&eu, &["national", "informational", "local"])];
        let g = Grouping::new("life_event", 2, vec![vec![0, 1]]);
        let s = score_round(&eu, &RoundInput::build(&eu, units, &ev), std::slice::from_ref(&g));
        for (i, node) in eu.nodes.iter().enumerate() {
            let values: Vec<Option<f64>> = match node.level {
                egovwatch_domain::scoring::Level::Unit => (0..2).map(|u| s.unit_value(i, u)).collect(),
                egovwatch_domain::scoring::Level::Group => vec![s.group_value(0, i, 0)],
                egovwatch_domain::scoring::Level::Total => vec![s.total_value(i)],
            };
            for v in values.into_iter().flatten() {
                prop_assert!((0.0..=100.0 + 1e-9).contains(&v), "{} = {}", node.id, v);
            }
        }
    }

    /// An empty node carries no value: a life event with no services in the round's scope is
    /// left out of the country's figure instead of counting as 0, on every shipped framework
    /// that rolls life events up.
    #[test]
    fn adding_an_empty_life_event_never_changes_a_countrys_score(answers in proptest::collection::vec(prop_oneof!["yes", "no", "NR"], 20)) {
        let eu = fw("eu-egov-benchmark-2020");
        let qs = ["A1", "A2", "A3", "MF", "C1", "C2", "C3", "F1", "F2", "F3"];
        let mut ev = Vec::new();
        for unit in 0..2 {
            for (i, q) in qs.iter().enumerate() {
                let question = eu.question_index(q).expect("question");
                let a = eu.parse_answer(question, &answers[unit * qs.len() + i]).unwrap_or(Answer::Missing);
                ev.push(Evidence { unit, source: 0, question, answer: a, seq: 0 });
            }
        }
        let units = vec![flags(&eu, &["national", "transactional", "central"]), flags(&eu, &["national", "informational", "central"])];
        let input = RoundInput::build(&eu, units, &ev);
        let score = |groups: Vec<Vec<usize>>| {
            let g = Grouping::new("life_event", 2, groups);
            score_round(&eu, &input, std::slice::from_ref(&g)).total_value(eu.headline_total)
        };
        let two = score(vec![vec![0], vec![1]]);
        prop_assert_eq!(two, score(vec![vec![0], vec![1], vec![]]));
        prop_assert_eq!(two, score(vec![vec![], vec![0], vec![1], vec![]]));

        let st = fw("stages");
        let stages: Vec<Evidence> = (0..2).map(|u| answer(&st, u, 0, "stage", if answers[u] == "yes" { "4" } else { "1" })).collect();
        let input = RoundInput::build(&st, vec![UnitFlags::default(); 2], &stages);
        let score = |groups: Vec<Vec<usize>>| {
            let g = Grouping::new("life_event", 2, groups);
            score_round(&st, &input, std::slice::from_ref(&g)).total_value(st.headline_total)
        };
        prop_assert_eq!(score(vec![vec![0, 1]]), score(vec![vec![0, 1], vec![]]));
    }
}

/// Scores a round written as text and prints the values of `nodes`, so that a case is its
/// input and its expected output side by side (the `check(input, expected)` style of
/// rust-analyzer's tests). One line per unit: its kinds, `|`, then its answers as `Q=answer`,
/// the answers of each evidence unit (URL) separated by ` / `; `automated` among the kinds
/// flags the unit. Every unit is in one life event. Output: per node, `node: v0 v1 ...` for a
/// unit-level node (`-` for no value), `node: v` for a group or total; values with two
/// decimals.
fn check(framework: &str, input: &str, nodes: &[&str]) -> String {
    let fw = fw(framework);
    let mut flags_of = Vec::new();
    let mut evidence = Vec::new();
    for (unit, line) in input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let (kinds, answers) = line.split_once('|').expect("kinds | answers");
        let kinds: Vec<&str> = kinds.split(',').map(str::trim).collect();
        let mut f = flags(&fw, &kinds);
        f.automated = kinds.contains(&"automated");
        flags_of.push(f);
        for (source, url) in answers.split(" / ").enumerate() {
            for pair in url.split_whitespace() {
                let (q, raw) = pair.split_once('=').expect("Q=answer");
                evidence.push(answer(&fw, unit, source as u32, q, raw));
            }
        }
    }
    let units = flags_of.len();
    let input = RoundInput::build(&fw, flags_of, &evidence);
    let le = Grouping::new("life_event", units, vec![(0..units).collect()]);
    let s = score_round(&fw, &input, std::slice::from_ref(&le));
    let show = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
    let mut out = String::new();
    for id in nodes {
        let i = fw.node_index(id).expect("node");
        let values: Vec<String> = match fw.nodes[i].level {
            Level::Unit => (0..units).map(|u| show(s.unit_value(i, u))).collect(),
            Level::Group => vec![show(s.group_value(0, i, 0))],
            Level::Total => vec![show(s.total_value(i))],
        };
        out.push_str(&format!("{id}: {}\n", values.join(" ")));
    }
    out
}

#[test]
fn eu_cases_by_check() {
    // Local online availability is the mean of the URLs' scores; central takes the best
    // answer per question.
    assert_eq!(
        check(
            "eu-egov-benchmark-2020",
            "national,transactional,local | A1=yes A2=no A3=no / A1=yes A2=yes A3=no
             national,transactional,central | A1=yes A2=no A3=no / A1=yes A2=yes A3=no",
            &["online_availability", "le_online_availability"],
        ),
        "online_availability: 50.00 75.00\nle_online_availability: 62.50\n"
    );
    // Informational services alone give a life event no online availability; a proactive
    // transactional service scores 100 whatever its answers.
    assert_eq!(
        check(
            "eu-egov-benchmark-2020",
            "national,informational,central | A1=yes A2=no A3=yes",
            &["online_availability", "le_online_availability"],
        ),
        "online_availability: 50.00\nle_online_availability: -\n"
    );
    assert_eq!(
        check(
            "eu-egov-benchmark-2020",
            "national,informational,central | A1=yes A2=no A3=yes
             national,transactional,central,automated | A1=no",
            &[
                "online_availability",
                "service_delivery",
                "le_online_availability"
            ],
        ),
        "online_availability: 50.00 100.00\nservice_delivery: - 100.00\nle_online_availability: 90.00\n"
    );
    // eID at a local service: the mean over the URLs that need identification, rounded to a
    // whole number (66.7, 0, 0 → 22); NR in F1 leaves a URL out.
    assert_eq!(
        check(
            "eu-egov-benchmark-2020",
            "national,transactional,local | F1=yes F2=yes F3=yes F4=no / F1=yes F2=no / F1=yes F2=no / F1=NR",
            &["eid"],
        ),
        "eid: 22.00\n"
    );
    // Cross-border: G1 and G2 make 100, G1 alone 50; the national nodes stay empty.
    assert_eq!(
        check(
            "eu-egov-benchmark-2020",
            "cross_border,transactional,central | G1=yes G2=yes I1=yes I2=no I3=yes I4_1=no I4_2=yes
             cross_border,informational,central | G1=yes G2=no",
            &["cb_online_availability", "cb_eid", "cb_edocuments", "online_availability", "le_cb_online_availability"],
        ),
        "cb_online_availability: 100.00 50.00\ncb_eid: 0.00 -\ncb_edocuments: 100.00 -\nonline_availability: - -\nle_cb_online_availability: 90.00\n"
    );
}
