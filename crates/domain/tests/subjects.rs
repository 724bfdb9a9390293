//! Who each round is about (`monitoring::Subjects`): a record added to the registry keeps the
//! rounds' subjects exactly when `Subjects::kept_on_adding` says so, checked against the
//! subjects computed again from the grown registry.

use egovwatch_domain::Registry;
use egovwatch_domain::change::AnyRecord;
use egovwatch_domain::monitoring::{Round, Subjects};
use serde_json::{Value, json};

fn list<T: serde::de::DeserializeOwned>(v: Value) -> Vec<T> {
    serde_json::from_value(v).expect("valid test records")
}

fn org(code: &str, parent: Option<&str>) -> Value {
    let mut o = json!({ "code": code, "name": { "en": code }, "type": "ministry", "status": "active", "provenance": "manual" });
    if let Some(p) = parent {
        o["parent"] = json!(p);
    }
    o
}

fn service(code: &str, org: &str, status: &str) -> Value {
    json!({ "code": code, "name": { "en": code }, "status": status, "organisations": [org],
            "life_events": [], "evidence": [], "outputs": [], "provenance": "manual" })
}

fn round(code: &str, scope: &[&str]) -> Round {
    serde_json::from_value(json!({
        "code": code, "name": { "en": code }, "period_start": "2015-01-01", "period_end": "2015-06-30",
        "framework": "az-stages", "framework_version": "1", "scope": scope, "state": "published",
        "assessors": 1, "revision": 0, "created_at": "2015-01-01T00:00:00Z",
        "closed_at": null, "published_at": "2015-07-01T00:00:00Z"
    }))
    .expect("a valid round")
}

/// Two countries: A (with a ministry under it) and B, a service in each, and the rounds
/// `scopes` name.
fn registry() -> Registry {
    Registry {
        organisations: list(json!([
            org("A", None),
            org("A-MIN", Some("A")),
            org("B", None)
        ]))
        .into(),
        services: list(json!([
            service("A-1", "A-MIN", "active"),
            service("B-1", "B", "active")
        ]))
        .into(),
        ..Registry::default()
    }
}

/// Each round's subject and the number of subjects, as `Subjects::of` computes them.
fn subjects(rounds: &[Round], reg: &Registry) -> (Vec<Option<Vec<String>>>, usize) {
    let s = Subjects::of(rounds, reg);
    (
        rounds
            .iter()
            .map(|r| s.of_round(&r.code).map(<[String]>::to_vec))
            .collect(),
        s.count(),
    )
}

/// Whether adding `record` leaves the subjects of `rounds` as they were, computed both ways.
fn kept(rounds: &[Round], record: Value, kind: &str) -> (bool, bool) {
    let reg = registry();
    let mut grown = reg.clone();
    let record: AnyRecord = match kind {
        "service" => {
            let s = serde_json::from_value(record).expect("a service");
            grown.services.push(Clone::clone(&s));
            AnyRecord::Service(s)
        }
        _ => {
            let o = serde_json::from_value(record).expect("an organisation");
            grown.organisations.push(Clone::clone(&o));
            AnyRecord::Organisation(o)
        }
    };
    (
        Subjects::kept_on_adding(rounds, &record),
        subjects(rounds, &reg) == subjects(rounds, &grown),
    )
}

#[test]
fn a_record_added_keeps_the_subjects_only_when_it_cannot_change_them() {
    let scoped = [round("A-R1", &["A-1"]), round("B-R1", &["B-1"])];
    let with_everyone = [round("A-R1", &["A-1"]), round("ALL", &[])];

    // A new service no scope names: kept, and indeed unchanged.
    let outside = service("C-1", "C", "active");
    assert_eq!(kept(&scoped, outside.clone(), "service"), (true, true));
    // The same service while a round covers every service: the round about everyone now
    // counts country C too.
    assert_eq!(kept(&with_everyone, outside, "service"), (false, false));
    // Withdrawn, it is in no round about everyone.
    let withdrawn = service("C-1", "C", "withdrawn");
    assert_eq!(kept(&with_everyone, withdrawn, "service"), (true, true));
    // A service a scope already named (its answers were imported before the service was):
    // the round's subject gains its country.
    let named = [round("A-R1", &["A-1", "C-1"])];
    assert_eq!(
        kept(&named, service("C-1", "C", "active"), "service"),
        (false, false)
    );

    // An organisation without a parent is its own top, as its code was while unknown.
    assert_eq!(kept(&scoped, org("C", None), "organisation"), (true, true));
    // One with a parent may move a service's top: not kept (here it happens to change
    // nothing, which the rule does not try to tell).
    assert_eq!(
        kept(&scoped, org("C-MIN", Some("C")), "organisation"),
        (false, true)
    );
}

#[test]
fn rounds_added_to_subjects_give_what_computing_them_whole_gives() {
    let reg = registry();
    let held = [round("A-R1", &["A-1"])];
    let (b_first, a_again) = (round("B-R1", &["B-1"]), round("A-R2", &["A-1", "B-1"]));
    let all = [held[0].clone(), b_first.clone(), a_again.clone()];
    let added = Subjects::of(&held, &reg)
        .adding([&b_first, &a_again], &reg)
        .expect("added");
    let whole = Subjects::of(&all, &reg);
    assert_eq!(added.count(), whole.count());
    for r in &all {
        assert_eq!(
            added.of_round(&r.code),
            whole.of_round(&r.code),
            "{}",
            r.code
        );
        for other in &all {
            assert_eq!(
                added.same_series(r, other),
                whole.same_series(r, other),
                "{} {}",
                r.code,
                other.code
            );
        }
    }
    // A round added again with its subject unchanged (a correction) keeps it.
    assert!(added.adding([&b_first], &reg).is_some());
    // A round about every service, or one whose subject changed, asks for the whole.
    assert!(added.adding([&round("ALL", &[])], &reg).is_none());
    assert!(added.adding([&round("B-R1", &["A-1"])], &reg).is_none());
}

/// The leads the store reads for `rounds` (`Store::published_rounds_leads`): each round's code
/// with the leading organisation of every service its scope names, and every organisation's
/// parent.
type Leads = (Vec<(String, String)>, Vec<(String, Option<String>)>);
fn leads(rounds: &[Round], reg: &Registry) -> Leads {
    let mut leads = Vec::new();
    for r in rounds {
        for code in &r.scope {
            let lead = (reg.services.iter())
                .find(|s| s.code.as_str() == code)
                .and_then(|s| s.organisations.first());
            if let Some(o) = lead {
                leads.push((r.code.clone(), o.to_string()));
            }
        }
    }
    let parents = (reg.organisations.iter())
        .map(|o| (o.code.to_string(), o.parent.as_ref().map(|p| p.to_string())))
        .collect();
    (leads, parents)
}

#[test]
fn the_subjects_counted_from_the_rounds_leads_are_those_counted_from_their_scopes() {
    let mut reg = registry();
    // A service without an organisation: a round naming it alone is about no one, a subject
    // of its own.
    let orphan: egovwatch_domain::Service = serde_json::from_value(json!({
        "code": "C-1", "name": { "en": "C-1" }, "status": "active", "organisations": [],
        "life_events": [], "evidence": [], "outputs": [], "provenance": "manual"
    }))
    .expect("a service");
    reg.services.push(orphan);
    let cases: Vec<Vec<Round>> = vec![
        vec![],
        vec![round("R1", &["A-1"])],
        vec![round("R1", &["A-1"]), round("R2", &["A-1"])],
        vec![round("R1", &["A-1"]), round("R2", &["B-1"])],
        vec![
            round("R1", &["A-1"]),
            round("R2", &["B-1"]),
            round("R3", &["A-1", "B-1"]),
        ],
        vec![round("R1", &["A-1"]), round("R2", &["C-1"])],
        vec![round("R1", &["NOT-IN-THE-REGISTRY"]), round("R2", &["C-1"])],
    ];
    for rounds in cases {
        let (leads, parents) = leads(&rounds, &reg);
        assert_eq!(
            Subjects::count_of_leads(&rounds, &leads, &parents),
            subjects(&rounds, &reg).1,
            "{:?}",
            rounds.iter().map(|r| &r.scope).collect::<Vec<_>>()
        );
    }
}
