//! Gap analysis on small hand-made registries: each blocking rule, best paths, diamonds,
//! cycles, what-ifs and the ranking.

use egovwatch_domain::Registry;
use egovwatch_domain::gaps::{
    Assumption, BlockingRules, Condition, Graph, MAX_ASSUMPTIONS, Weights, check_assumptions,
    held_back_by,
};
use serde_json::{Value, json};
use std::collections::HashMap;

fn list<T: serde::de::DeserializeOwned>(v: Value) -> Vec<T> {
    serde_json::from_value(v).expect("valid test records")
}

fn org(code: &str) -> Value {
    json!({ "code": code, "name": { "en": code }, "type": "ministry", "status": "active", "provenance": "manual" })
}

fn system(code: &str, owner: &str, lifecycle: &str, state: &str, base: bool) -> Value {
    json!({ "code": code, "name": { "en": code }, "owner": owner, "base_registry": base, "lifecycle": lifecycle,
            "digitisation": { "state": state }, "provenance": "manual" })
}

fn dataset(code: &str, system: &str, supplies: &[&str]) -> Value {
    json!({ "code": code, "name": { "en": code }, "system": system, "supplies": supplies, "status": "active", "provenance": "manual" })
}

fn service(code: &str, org: &str, evidence: &[&str], outputs: &[&str]) -> Value {
    json!({ "code": code, "name": { "en": code }, "status": "active", "organisations": [org], "life_events": ["LE-A"],
            "evidence": evidence, "outputs": outputs, "provenance": "manual" })
}

fn link(
    code: &str,
    dataset: &str,
    target_system: Option<&str>,
    target_service: Option<&str>,
    status: &str,
) -> Value {
    let mut l = json!({ "code": code, "source_dataset": dataset, "status": status, "provenance": "manual" });
    if let Some(t) = target_system {
        l["target_system"] = json!(t);
    }
    if let Some(t) = target_service {
        l["target_service"] = json!(t);
    }
    l
}

struct Reg {
    orgs: Vec<Value>,
    systems: Vec<Value>,
    datasets: Vec<Value>,
    services: Vec<Value>,
    links: Vec<Value>,
    outputs: Vec<Value>,
}

impl Reg {
    fn new() -> Reg {
        Reg {
            orgs: vec![org("ORG-A"), org("ORG-B")],
            systems: vec![],
            datasets: vec![],
            services: vec![],
            links: vec![],
            outputs: vec![],
        }
    }

    fn build(self) -> Registry {
        let evidence: Vec<Value> = ["EV-1", "EV-2", "EV-3"]
            .iter()
            .map(|e| json!({ "code": e, "name": { "en": e }, "status": "active", "provenance": "manual" }))
            .collect();
        Registry {
            organisations: list(json!(self.orgs)).into(),
            life_events: list(
                json!([{ "code": "LE-A", "name": { "en": "A" }, "journey_order": 1, "eu_code": "BIR", "status": "active", "provenance": "manual" }]),
            ).into(),
            evidence_types: list(json!(evidence)).into(),
            outputs: list(json!(self.outputs)).into(),
            information_systems: list(json!(self.systems)).into(),
            datasets: list(json!(self.datasets)).into(),
            services: list(json!(self.services)).into(),
            exchange_links: list(json!(self.links)).into(),
        }
    }
}

fn rules() -> BlockingRules {
    BlockingRules::default_rules().expect("shipped rules")
}

fn analyse(reg: &Registry, assume: &[&str]) -> egovwatch_domain::gaps::Analysis {
    let stages: HashMap<String, u8> = reg
        .services
        .iter()
        .map(|s| (s.code.as_str().to_string(), 1))
        .collect();
    analyse_at(reg, &stages, assume)
}

/// The analysis with the services observed at `stages`.
fn analyse_at(
    reg: &Registry,
    stages: &HashMap<String, u8>,
    assume: &[&str],
) -> egovwatch_domain::gaps::Analysis {
    let rules = rules();
    let assumptions: Vec<Assumption> = assume
        .iter()
        .map(|a| Assumption::parse(a).expect("assumption"))
        .collect();
    Graph::new(reg, &rules).analyse(stages, &assumptions, &Weights::default())
}

fn conditions(a: &egovwatch_domain::gaps::Analysis, service: &str) -> Vec<Condition> {
    a.services
        .iter()
        .find(|s| s.service == service)
        .expect("service")
        .blocks
        .iter()
        .map(|b| b.condition)
        .collect()
}

#[test]
fn each_rule_caps_the_stage() {
    let mut r = Reg::new();
    r.systems = vec![
        system("IS-OWN", "ORG-A", "in_use", "mostly_digital", true),
        system("IS-PAPER", "ORG-B", "in_use", "paper_only", true),
        system("IS-NEW", "ORG-B", "planned", "born_digital", true),
        system("IS-FAR", "ORG-B", "in_use", "born_digital", true),
    ];
    r.datasets = vec![
        dataset("D-OWN", "IS-OWN", &["EV-1"]),
        dataset("D-PAPER", "IS-PAPER", &["EV-2"]),
        dataset("D-NEW", "IS-NEW", &["EV-3"]),
        dataset("D-FAR", "IS-FAR", &["EV-3"]),
    ];
    r.services = vec![
        service("S-OWN", "ORG-A", &["EV-1"], &[]),
        service("S-PAPER", "ORG-A", &["EV-2"], &[]),
        service("S-FAR", "ORG-A", &["EV-3"], &[]),
        service("S-NONE", "ORG-A", &["EV-9"], &[]),
    ];
    r.links = vec![link("XL-1", "D-PAPER", None, Some("S-PAPER"), "in_use")];
    let reg = r.build();
    let a = analyse(&reg, &[]);
    let ceiling = |s: &str| {
        a.services
            .iter()
            .find(|g| g.service == s)
            .expect("service")
            .ceiling
    };
    assert_eq!(
        ceiling("S-OWN"),
        5,
        "data held by the competent organisation need no exchange"
    );
    assert_eq!(conditions(&a, "S-PAPER"), [Condition::DatasetNotDigital]);
    assert_eq!(ceiling("S-PAPER"), 3);
    // EV-3: a planned system (cap 3) or a digital one without a link (cap 4): the better path wins.
    assert_eq!(conditions(&a, "S-FAR"), [Condition::NoExchangeInUse]);
    assert_eq!(ceiling("S-FAR"), 4);
    assert_eq!(conditions(&a, "S-NONE"), [Condition::EvidenceUnsupplied]);
    assert!(
        a.findings
            .iter()
            .any(|f| f.kind == "evidence_unsupplied" && f.subject == "EV-9")
    );
}

#[test]
fn outputs_of_other_services_count_and_registers_win_ties() {
    let mut r = Reg::new();
    r.systems = vec![system(
        "IS-P",
        "ORG-B",
        "in_use",
        "partially_digitised",
        true,
    )];
    r.datasets = vec![dataset("D-P", "IS-P", &["EV-1"])];
    r.outputs = vec![
        json!({ "code": "OUT-1", "name": { "en": "o" }, "type": "declaration", "evidence_type": "EV-1", "status": "active", "provenance": "manual" }),
    ];
    r.services = vec![
        service("S-MAKER", "ORG-B", &[], &["OUT-1"]),
        service("S-USER", "ORG-A", &["EV-1"], &[]),
    ];
    let reg = r.build();
    let a = analyse(&reg, &[]);
    // Both ways cap at 3 (partial register; output of a service at stage 1): the register wins.
    assert_eq!(
        conditions(&a, "S-USER"),
        [Condition::DatasetNotDigital, Condition::NoExchangeInUse]
    );
    // With the maker's output electronic, the output path (no block) is better.
    let b = analyse(&reg, &["service:S-MAKER=4"]);
    assert!(conditions(&b, "S-USER").is_empty());
    let user = b
        .services
        .iter()
        .find(|g| g.service == "S-USER")
        .expect("service");
    assert_eq!((user.ceiling, user.projected), (5, Some(5)));
}

#[test]
fn a_diamond_counts_each_investment_once_per_service() {
    // S needs EV-1 and EV-2, both from the same partly digitised system through one dataset.
    let mut r = Reg::new();
    r.systems = vec![system(
        "IS-D",
        "ORG-B",
        "in_use",
        "partially_digitised",
        true,
    )];
    r.datasets = vec![dataset("D-D", "IS-D", &["EV-1", "EV-2"])];
    r.services = vec![service("S", "ORG-A", &["EV-1", "EV-2"], &[])];
    r.links = vec![link("XL-1", "D-D", None, Some("S"), "in_use")];
    let reg = r.build();
    let a = analyse(&reg, &[]);
    assert_eq!(conditions(&a, "S").len(), 2, "one reason per evidence");
    let inv = &a.investments[0];
    assert_eq!(inv.id, "dataset:D-D=digitised");
    assert_eq!(inv.unlocks.len(), 1);
    assert_eq!(inv.unlocks[0].stages, 2);
    assert!(inv.unlocks[0].alone);
    assert_eq!(inv.score, 2.0);
}

#[test]
fn cycles_of_outputs_are_found() {
    let mut r = Reg::new();
    r.outputs = vec![
        json!({ "code": "OUT-1", "name": { "en": "o1" }, "type": "declaration", "evidence_type": "EV-1", "status": "active", "provenance": "manual" }),
        json!({ "code": "OUT-2", "name": { "en": "o2" }, "type": "declaration", "evidence_type": "EV-2", "status": "active", "provenance": "manual" }),
    ];
    r.services = vec![
        service("S-1", "ORG-A", &["EV-2"], &["OUT-1"]),
        service("S-2", "ORG-B", &["EV-1"], &["OUT-2"]),
    ];
    let reg = r.build();
    let a = analyse(&reg, &[]);
    let cycle = a
        .findings
        .iter()
        .find(|f| f.kind == "cycle")
        .expect("cycle found");
    assert!(
        cycle.detail.contains("S-1 -> S-2 -> S-1"),
        "{}",
        cycle.detail
    );
}

#[test]
fn withdrawn_systems_are_reported_and_what_ifs_lift_caps() {
    let mut r = Reg::new();
    r.systems = vec![
        system("IS-OLD", "ORG-B", "withdrawn", "born_digital", true),
        system("IS-P", "ORG-B", "in_use", "paper_only", true),
    ];
    r.datasets = vec![dataset("D-P", "IS-P", &["EV-1"])];
    r.services = vec![service("S", "ORG-A", &["EV-1"], &[])];
    r.links = vec![
        link("XL-OLD", "D-P", Some("IS-OLD"), None, "in_use"),
        link("XL-PLAN", "D-P", None, Some("S"), "planned"),
    ];
    let reg = r.build();
    let a = analyse(&reg, &[]);
    assert!(
        a.findings
            .iter()
            .any(|f| f.kind == "link_to_withdrawn" && f.subject == "XL-OLD")
    );
    assert_eq!(
        conditions(&a, "S"),
        [Condition::DatasetNotDigital, Condition::NoExchangeInUse]
    );
    let planned = a.services[0]
        .blocks
        .iter()
        .find(|b| b.condition == Condition::NoExchangeInUse)
        .expect("link block");
    assert_eq!(
        planned.investment, "link:XL-PLAN=in-use",
        "a planned link is named, not a new one"
    );
    let digitised = analyse(&reg, &["dataset:D-P=digitised"]);
    assert_eq!(
        (
            digitised.services[0].ceiling,
            digitised.services[0].projected
        ),
        (4, Some(4))
    );
    let both = analyse(&reg, &["dataset:D-P=digitised", "link:XL-PLAN=in-use"]);
    assert_eq!(both.services[0].ceiling, 5);
    let new_link = analyse(&reg, &["dataset:D-P=digitised", "link:D-P>ORG-A=in-use"]);
    assert_eq!(
        new_link.services[0].ceiling, 5,
        "a new link to the competent organisation"
    );
}

#[test]
fn assumptions_parse_and_print_alike() {
    for text in [
        "dataset:LAND-CADASTRE=digitised",
        "system:IS-HEALTH=in-use",
        "link:XL-0005=in-use",
        "link:D>ORG-A=in-use",
        "evidence:EV-PHOTO=supplied",
        "service:SRV-0017=4",
        "system:IS-X=paper-only",
    ] {
        assert_eq!(Assumption::parse(text).expect("parses").text(), text);
    }
    for bad in [
        "dataset:X",
        "moon:X=1",
        "dataset:X=shiny",
        "link:A>B=planned",
        ":=",
        "service:S=four",
    ] {
        assert!(Assumption::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn assumptions_name_records_and_stay_on_the_scale() {
    let mut r = Reg::new();
    r.systems = vec![system("IS-P", "ORG-B", "in_use", "paper_only", true)];
    r.datasets = vec![dataset("D-P", "IS-P", &["EV-1"])];
    r.services = vec![service("S", "ORG-A", &["EV-1"], &[])];
    r.links = vec![link("XL-PLAN", "D-P", None, Some("S"), "planned")];
    let reg = r.build();
    let rules = rules();
    let check = |texts: &[&str]| {
        let a: Vec<Assumption> = texts
            .iter()
            .map(|t| Assumption::parse(t).expect("parses"))
            .collect();
        check_assumptions(&reg, &rules, &a)
    };
    assert_eq!(
        check(&[
            "dataset:D-P=digitised",
            "system:IS-P=in-use",
            "link:XL-PLAN=in-use",
            "link:D-P>ORG-A=in-use",
            "link:D-P>S=in-use",
            "link:D-P>IS-P=in-use",
            "evidence:EV-1=supplied",
            "service:S=5",
            "service:S=0",
        ]),
        Ok(())
    );
    for (text, why) in [
        ("dataset:NOPE=digitised", "no dataset NOPE"),
        ("system:IS-NOPE=in-use", "no information system IS-NOPE"),
        ("link:XL-NOPE=in-use", "no exchange link XL-NOPE"),
        ("link:D-NOPE>ORG-A=in-use", "no dataset D-NOPE"),
        (
            "link:D-P>NOPE=in-use",
            "no organisation, service or information system NOPE",
        ),
        ("evidence:EV-NOPE=supplied", "no evidence type EV-NOPE"),
        ("service:NOPE=4", "no service NOPE"),
        ("service:S=6", "stages go from 0 to 5"),
        ("service:S=255", "stages go from 0 to 5"),
        // A dataset's code is not an information system's.
        ("system:D-P=in-use", "no information system D-P"),
    ] {
        let problems = check(&[text]).expect_err(text);
        assert_eq!(problems.len(), 1, "{text}: {problems:?}");
        assert!(problems[0].starts_with(text), "{text}: {problems:?}");
        assert!(problems[0].contains(why), "{text}: {problems:?}");
    }
    let many: Vec<String> = (0..=MAX_ASSUMPTIONS)
        .map(|_| "service:S=4".to_string())
        .collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert!(check(&many).is_err());
}

#[test]
fn a_what_if_gives_what_a_full_analysis_gives() {
    let mut r = Reg::new();
    r.systems = vec![
        system("IS-P", "ORG-B", "in_use", "partially_digitised", true),
        system("IS-N", "ORG-B", "in_development", "mostly_digital", true),
        system("IS-OK", "ORG-B", "in_use", "born_digital", true),
    ];
    r.datasets = vec![
        dataset("D-P", "IS-P", &["EV-1"]),
        dataset("D-N", "IS-N", &["EV-2"]),
        dataset("D-OK", "IS-OK", &["EV-3"]),
    ];
    r.outputs = vec![
        json!({ "code": "OUT-1", "name": { "en": "o" }, "type": "declaration", "evidence_type": "EV-2", "status": "active", "provenance": "manual" }),
    ];
    r.services = vec![
        service("S-1", "ORG-A", &["EV-1", "EV-2"], &[]),
        service("S-2", "ORG-A", &["EV-2", "EV-3"], &["OUT-1"]),
        service("S-3", "ORG-B", &["EV-1", "EV-3", "EV-9"], &[]),
    ];
    r.links = vec![
        link("XL-1", "D-P", None, Some("S-1"), "planned"),
        link("XL-2", "D-OK", Some("IS-P"), None, "in_use"),
    ];
    let reg = r.build();
    let rules = rules();
    let g = Graph::new(&reg, &rules);
    let observed = g.observed(
        &reg.services
            .iter()
            .map(|s| (s.code.as_str().to_string(), 2))
            .collect(),
    );
    let base = g.compute(&observed, &[], &Weights::default());
    let mut tried = 0;
    for inv in base.investments.iter().map(|i| i.inv) {
        let assume = [g.assumption(inv)];
        let full = g.resolve(&g.compute(&observed, &assume, &Weights::default()));
        let quick = g.resolve(&g.what_if(&base, &observed, &assume, &Weights::default()));
        assert_eq!(full.services, quick.services, "{}", assume[0].text());
        assert_eq!(full.investments, quick.investments, "{}", assume[0].text());
        tried += 1;
    }
    assert!(tried >= 5, "every kind of investment tried: {tried}");
}

#[test]
fn an_analysis_made_once_reads_the_same_in_every_language() {
    use egovwatch_domain::gaps::explain::{analyse, explain};
    use egovwatch_domain::{Index, Lang};
    let mut r = Reg::new();
    r.systems = vec![system("IS-P", "ORG-B", "in_use", "paper_only", true)];
    r.datasets = vec![dataset("D-P", "IS-P", &["EV-1"])];
    r.services = vec![service("S", "ORG-A", &["EV-1", "EV-2"], &[])];
    r.links = vec![link("XL-PLAN", "D-P", None, Some("S"), "planned")];
    let reg = r.build();
    let rules = rules();
    let phrase = |k: &str, a: &[(&'static str, &str)]| format!("{k}{a:?}");
    let once = analyse(&reg, None, &[], &rules, &Weights::default()).expect("analysis");
    let codes = Index::new(&reg);
    // Every language's view holds the same services and investments, not copies of them.
    let (az, en) = (
        once.explain(&reg, &codes, &rules, Lang::Az, &phrase),
        once.explain(&reg, &codes, &rules, Lang::En, &phrase),
    );
    for (a, e) in az.services.iter().zip(&en.services) {
        assert!(std::ptr::eq(&*a.gap, &*e.gap), "{}", e.gap.service);
    }
    assert!(std::ptr::eq(
        &*az.investments[0].investment,
        &*en.investments[0].investment
    ));
    for lang in Lang::ALL {
        let shared = once.explain(&reg, &codes, &rules, lang, &phrase);
        let whole =
            explain(&reg, None, &[], &rules, &Weights::default(), lang, &phrase).expect("explain");
        assert_eq!(
            serde_json::to_value(&shared).expect("json"),
            serde_json::to_value(&whole).expect("json"),
            "{lang}"
        );
        assert!(!shared.services.is_empty() && !shared.services[0].reasons.is_empty());
        // One service, or the first investment, in words: what the whole analysis says of it.
        for (k, code) in once.services().enumerate() {
            let one = once
                .explain_service(&reg, &codes, &rules, k, lang)
                .expect("a service of the analysis");
            assert_eq!(one.gap.service, *code);
            assert_eq!(
                serde_json::to_value(&one).expect("json"),
                serde_json::to_value(&shared.services[k]).expect("json"),
                "{lang} {code}"
            );
        }
        assert!(
            once.explain_service(&reg, &codes, &rules, shared.services.len(), lang)
                .is_none()
        );
        let first = once
            .explain_first_investment(&reg, &codes, lang, &phrase)
            .expect("an investment");
        assert_eq!(
            serde_json::to_value(&first).expect("json"),
            serde_json::to_value(&shared.investments[0]).expect("json"),
            "{lang}"
        );
    }
}

#[test]
fn an_analysis_with_a_round_covers_the_part_of_the_registry_connected_to_it() {
    use egovwatch_domain::Index;
    use egovwatch_domain::component::connected;
    use egovwatch_domain::gaps::explain::analyse_stages;
    // Two countries in one registry: nothing of one refers to the other (the life event is
    // shared by both).
    let countries = |shared_evidence: bool| {
        let mut r = Reg::new();
        r.systems = vec![
            system("IS-A", "ORG-A", "in_use", "paper_only", true),
            system("IS-B", "ORG-B", "in_use", "born_digital", true),
        ];
        r.datasets = vec![
            dataset("D-A", "IS-A", &["EV-1"]),
            dataset("D-B", "IS-B", &["EV-2"]),
        ];
        let b_needs: &[&str] = if shared_evidence {
            &["EV-2", "EV-1"]
        } else {
            &["EV-2"]
        };
        r.services = vec![
            service("SA", "ORG-A", &["EV-1"], &[]),
            service("SB", "ORG-B", b_needs, &[]),
        ];
        r.links = vec![link("XL-B", "D-B", None, Some("SB"), "in_use")];
        r.build()
    };
    let reg = countries(false);
    let part = connected(&reg, ["SA"]).expect("a part of the registry");
    let codes =
        |v: Vec<&egovwatch_domain::Code>| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    assert_eq!(
        codes(part.services.iter().map(|s| &s.code).collect()),
        ["SA"]
    );
    assert_eq!(
        codes(part.organisations.iter().map(|o| &o.code).collect()),
        ["ORG-A"]
    );
    assert_eq!(
        codes(part.information_systems.iter().map(|s| &s.code).collect()),
        ["IS-A"]
    );
    assert_eq!(
        codes(part.datasets.iter().map(|d| &d.code).collect()),
        ["D-A"]
    );
    assert_eq!(
        codes(part.evidence_types.iter().map(|e| &e.code).collect()),
        ["EV-1"]
    );
    assert!(part.exchange_links.is_empty());
    assert_eq!(part.life_events.len(), reg.life_events.len());
    // Every service connected, or no seed a service: the whole registry, not copied.
    assert!(connected(&reg, ["SA", "SB"]).is_none());
    assert!(connected(&reg, ["NO-SUCH"]).is_none());
    assert!(connected(&countries(true), ["SA"]).is_none());

    // The analysis of a round on country A is the analysis of country A alone.
    let rules = rules();
    let stages = HashMap::from([("SA".to_string(), 1u8)]);
    let phrase = |k: &str, a: &[(&'static str, &str)]| format!("{k}{a:?}");
    let words = |reg: &Registry| {
        let a = analyse_stages(
            reg,
            Some(("R", &["SA"])),
            &stages,
            &[],
            &rules,
            &Weights::default(),
        )
        .expect("analysis");
        let codes = Index::new(reg);
        serde_json::to_value(a.explain(reg, &codes, &rules, egovwatch_domain::Lang::En, &phrase))
            .expect("json")
    };
    let of_a = words(&reg);
    assert_eq!(of_a, words(&part));
    assert_eq!(of_a["services"].as_array().map(Vec::len), Some(1));
    assert_eq!(of_a["services"][0]["service"], "SA");
    // Without a round, every country.
    let whole = analyse_stages(
        &reg,
        None,
        &HashMap::new(),
        &[],
        &rules,
        &Weights::default(),
    )
    .expect("analysis");
    assert_eq!(whole.services().count(), 2);
    // A round on a framework without stages (the EU benchmark's): still country A alone.
    let unstaged = analyse_stages(
        &reg,
        Some(("R", &["SA"])),
        &HashMap::new(),
        &[],
        &rules,
        &Weights::default(),
    )
    .expect("analysis");
    assert_eq!(
        unstaged.services().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["SA"]
    );
}

#[test]
fn what_the_data_allow_is_told_apart_from_what_was_built_and_from_what_was_observed() {
    // Three services need EV-1, held only on paper; each has its exchange in use. One was
    // observed above what that allows, one at it, one below it.
    let mut r = Reg::new();
    r.systems = vec![system("IS-P", "ORG-B", "in_use", "paper_only", true)];
    r.datasets = vec![dataset("D-P", "IS-P", &["EV-1"])];
    r.services = ["S-HIGH", "S-AT", "S-LOW"]
        .iter()
        .map(|s| service(s, "ORG-A", &["EV-1"], &[]))
        .collect();
    r.links = ["S-HIGH", "S-AT", "S-LOW"]
        .iter()
        .map(|s| link(&format!("XL-{s}"), "D-P", None, Some(s), "in_use"))
        .collect();
    let reg = r.build();
    let stages: HashMap<String, u8> = [("S-HIGH", 5), ("S-AT", 3), ("S-LOW", 1)]
        .into_iter()
        .map(|(s, v)| (s.to_string(), v))
        .collect();
    let a = analyse_at(&reg, &stages, &[]);
    let gap = |a: &egovwatch_domain::gaps::Analysis, s: &str| {
        a.services
            .iter()
            .find(|g| g.service == s)
            .expect("service")
            .clone()
    };
    let high = gap(&a, "S-HIGH");
    assert_eq!((high.stage, high.ceiling), (Some(5), 3));
    assert!(high.above_ceiling() && !high.held_back());
    assert_eq!(
        high.projected,
        Some(5),
        "never projected below what was observed"
    );
    for s in ["S-AT", "S-LOW"] {
        let g = gap(&a, s);
        assert!(g.held_back() && !g.above_ceiling(), "{s}");
        assert_eq!(
            g.projected,
            Some(3),
            "{s}: projected as built as far as the data allow"
        );
    }
    // Digitising the register is worth two stages to each service it holds back, nothing to
    // the one observed above it.
    let inv = &a.investments[0];
    assert_eq!(inv.id, "dataset:D-P=digitised");
    let unlocked: Vec<(&str, u8)> = inv
        .unlocks
        .iter()
        .map(|u| (u.service.as_str(), u.stages))
        .collect();
    assert_eq!(unlocked, [("S-AT", 2), ("S-LOW", 2)]);
    assert_eq!(inv.score, 4.0);
    // Nothing else holds them: on its own it takes both from 3 to 5.
    assert_eq!(inv.delivers, 4.0);
    assert!(inv.unlocks.iter().all(|u| u.delivers == 2));
    assert!(inv.with.is_empty());
    assert_eq!(held_back_by(&a.services, &["IS-P".to_string()], 4), 2);
    assert_eq!(held_back_by(&a.services, &["IS-OTHER".to_string()], 4), 0);
    assert_eq!(
        held_back_by(&a.services, &["IS-P".to_string()], 3),
        0,
        "a cap at the fully online stage does not keep a service from it"
    );
    let above = a
        .findings
        .iter()
        .find(|f| f.kind == "observed_above_data")
        .expect("the contradiction is a finding");
    assert_eq!(above.subject, "S-HIGH");
    assert_eq!(above.message, "finding-observed-above-data");
    assert!(above.args.contains(&("count", "1".to_string())));
    // The investment assumed: every service could be built to the top.
    let digitised = analyse_at(&reg, &stages, &["dataset:D-P=digitised"]);
    for s in ["S-HIGH", "S-AT", "S-LOW"] {
        assert_eq!(gap(&digitised, s).projected, Some(5), "{s}");
    }
    assert!(
        digitised
            .findings
            .iter()
            .all(|f| f.kind != "observed_above_data"),
        "nothing is observed above the data once they allow the top"
    );
}

#[test]
fn an_investment_needed_with_another_delivers_nothing_on_its_own_and_names_it() {
    // S needs EV-1 from a paper register held in a system still planned: digitising it or
    // bringing the system into use alone leaves S where it is; both together lift it.
    let mut r = Reg::new();
    r.systems = vec![system("IS-P", "ORG-B", "planned", "paper_only", true)];
    r.datasets = vec![dataset("D-P", "IS-P", &["EV-1"])];
    r.services = vec![
        service("S", "ORG-A", &["EV-1"], &[]),
        service("S-OTHER", "ORG-A", &["EV-2"], &[]),
    ];
    r.links = vec![link("XL-1", "D-P", None, Some("S"), "in_use")];
    let reg = r.build();
    let a = analyse(&reg, &[]);
    let inv = |id: &str| {
        a.investments
            .iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("{id}: {:?}", a.investments))
            .clone()
    };
    let (dataset, system) = (inv("dataset:D-P=digitised"), inv("system:IS-P=in-use"));
    for (i, other) in [(&dataset, &system), (&system, &dataset)] {
        assert_eq!((i.score, i.delivers), (2.0, 0.0), "{}", i.id);
        assert_eq!(i.with, std::slice::from_ref(&other.id), "{}", i.id);
    }
    // One that delivers on its own ranks before them, whatever they are needed for.
    let supplied = inv("evidence:EV-2=supplied");
    assert!(supplied.delivers > 0.0);
    assert_eq!(a.investments[0].id, supplied.id);
    let both = analyse(&reg, &["dataset:D-P=digitised", "system:IS-P=in-use"]);
    let s = both.services.iter().find(|g| g.service == "S").expect("S");
    assert_eq!(s.ceiling, 5);
}
