//! The site's snapshot follows the store by reading only what changed: an updated snapshot
//! must show exactly what a snapshot read whole from the store shows.

use crate::support::*;
use egovwatch_domain::monitoring::RoundState;
use egovwatch_domain::{Audience, Code, EntityKind, Lang, ServiceStatus, Text};
use egovwatch_web::snapshot::Snapshot;
use std::sync::Arc;

/// Everything a page or the API reads from a snapshot, in comparable form.
fn seen(s: &Snapshot) -> String {
    let mut out = format!("version {}\n", s.version);
    for (i, svc) in s.reg.services.iter().enumerate() {
        out += &format!(
            "{} {:?} {:?} at {:?}\n",
            svc.code,
            svc.name.get(Lang::En),
            svc.status,
            s.codes.position(EntityKind::Service, svc.code.as_str())
        );
        assert_eq!(
            s.codes.position(EntityKind::Service, svc.code.as_str()),
            Some(i)
        );
        for r in &s.rounds {
            out += &format!(
                "  {} stage {:?} score {:?} {:?}\n",
                r.round.code,
                r.stage(i),
                r.score(i),
                r.movement(i)
            );
        }
    }
    for r in &s.rounds {
        out += &format!(
            "round {} index {:?} previous {:?} services {}\n",
            r.round.code,
            r.index(),
            r.previous.map(|p| s.rounds[p].round.code.clone()),
            r.services()
        );
        out += &format!(
            "  moves {:?} before {:?}\n",
            r.movement_counts(),
            r.comparison.as_ref().map(|c| c.index_before)
        );
        for (grouping, len) in [(0, s.reg.life_events.len()), (1, s.reg.organisations.len())] {
            for g in 0..len {
                if let Some(v) = r.group(grouping, g) {
                    out += &format!(
                        "  group {grouping} {g} {v} of {}\n",
                        r.services_in(grouping, g)
                    );
                }
            }
        }
        for m in r.moved(&s.reg) {
            out += &format!(
                "  moved {} {:?} {:?}/{:?} -> {:?}/{:?}\n",
                m.service, m.movement, m.stage_before, m.before, m.stage_now, m.now
            );
        }
    }
    for (g, le) in s.reg.life_events.iter().enumerate() {
        out += &format!(
            "life event {} services {:?}\n",
            le.code,
            s.codes.services_of_life_event(g)
        );
    }
    for (o, org) in s.reg.organisations.iter().enumerate() {
        out += &format!(
            "organisation {} services {:?}\n",
            org.code,
            s.codes.services_of_organisation(o)
        );
    }
    for r in &s.rounds {
        out += &format!(
            "round {} about {:?}\n",
            r.round.code,
            s.subjects.of_round(&r.round.code)
        );
    }
    for q in ["renamed", "birth", "yenidən"] {
        let (hits, total) = s.search().search(q, None, 20);
        let hits: Vec<_> = hits
            .into_iter()
            .map(|h| (h.kind, h.position, h.score, total))
            .collect();
        out += &format!("search {q}: {hits:?}\n");
    }
    out
}

/// `held` brought up to date with `store`, and a snapshot read whole from it: the two must show
/// the same (`what` says after what, `db` on which backend). Both are returned for more checks.
fn followed(
    held: &Snapshot,
    store: &egovwatch_store::Store,
    db: &str,
    what: &str,
) -> (Snapshot, Snapshot) {
    let updated = held.update(store).expect("update").expect("changed");
    let fresh = Snapshot::build(store).expect("build");
    assert_eq!(seen(&updated), seen(&fresh), "{db}: after {what}");
    (updated, fresh)
}

/// The gap analysis a snapshot shows, in English, with its projected national index.
fn gaps_seen(s: &Snapshot) -> String {
    let gaps = s.gaps(Lang::En).expect("the gap analysis");
    format!(
        "{}\n{:?}",
        serde_json::to_string(&*gaps).expect("JSON"),
        s.projection(&gaps)
    )
}

/// Every service's place in the gap analysis, by registry position, in English.
fn service_gaps(s: &Snapshot) -> Vec<String> {
    (0..s.reg.services.len())
        .map(|i| serde_json::to_string(&s.service_gap(i, Lang::En)).expect("JSON"))
        .collect()
}

fn answer(store: &egovwatch_store::Store, code: &str) {
    let reg = store.registry().expect("registry");
    store
        .create_round(&open_stages_round(code, 1))
        .expect("create");
    store
        .add_assessments(code, &stage_answers(&reg, reg.services.len()), None)
        .expect("answers");
    store
        .set_round_state(code, RoundState::Closed)
        .expect("close");
}

#[test]
fn an_updated_snapshot_shows_what_a_fresh_one_shows() {
    for db in backends("an_updated_snapshot_shows_what_a_fresh_one_shows") {
        let store = demo_store(&db);
        answer(&store, "R1");
        egovwatch_app::rounds::publish(&store, "R1", "2016-07-01T00:00:00Z").expect("publish");
        let first = Snapshot::build(&store).expect("build");
        // The gap analysis made, so that a change of words only can take it over.
        let first_gaps = gaps_seen(&first);
        assert!(
            first.update(&store).expect("update").is_none(),
            "nothing changed"
        );

        // An edit in place: positions hold, so the published round is shared, not read again.
        // The search index made, so that the next one is made on it.
        first.search();
        let code = first.reg.services[3].code.to_string();
        rename_service(
            &store,
            &code,
            Text::new().with(Lang::En, "Renamed service"),
            "an editor's rename",
        );
        let (edited, fresh) = followed(&first, &store, db.name, "a rename");
        assert!(seen(&edited).contains("Renamed service"));
        assert_eq!(
            gaps_seen(&edited),
            gaps_seen(&fresh),
            "{}: gaps after a rename",
            db.name
        );
        assert!(gaps_seen(&edited).contains("Renamed service") || !first_gaps.contains(&code));
        assert!(Arc::ptr_eq(&edited.rounds[0], &first.rounds[0]));
        assert!(
            edited.search().shares_index(first.search()),
            "{}: the renamed record is indexed beside the index held",
            db.name
        );
        assert!(
            Arc::ptr_eq(&edited.codes, &first.codes),
            "{}: a rename keeps the index of codes",
            db.name
        );
        assert!(edited.version > first.version);

        // A change of substance that refers to what it did (another audience): the index of
        // codes is kept, the gap analysis made again.
        let mut other_audience = store.registry().expect("load").services[4].clone();
        other_audience.audience = vec![Audience::Business];
        save_services(&store, vec![other_audience], "another audience");
        let (audience, fresh) = followed(&edited, &store, db.name, "another audience");
        assert!(Arc::ptr_eq(&audience.codes, &edited.codes));
        assert_eq!(gaps_seen(&audience), gaps_seen(&fresh));
        assert!(!audience.shares_analysis(&edited));
        let edited = audience;

        // An edit in place that is more than words: a service moved to another life event.
        // Positions hold, but the index of what belongs to what is made again.
        let registry = store.registry().expect("load");
        let mut moved_on = registry.services[2].clone();
        let other = registry
            .life_events
            .iter()
            .map(|le| le.code.clone())
            .find(|c| !moved_on.life_events.contains(c))
            .expect("another life event");
        moved_on.life_events = vec![other];
        save_services(&store, vec![moved_on], "another life event");
        let (relinked, _) = followed(&edited, &store, db.name, "a new life event");
        assert_ne!(
            seen(&relinked),
            seen(&edited),
            "{}: the move shows",
            db.name
        );
        assert!(!Arc::ptr_eq(&relinked.codes, &edited.codes));
        let edited = relinked;

        // A life event moved to the end of the journey: life events are in journey order, so
        // their positions move, though no record was added.
        let mut last = store.registry().expect("load").life_events[0].clone();
        last.journey_order = i32::MAX;
        let reg = egovwatch_domain::Registry {
            life_events: vec![last].into(),
            ..egovwatch_domain::Registry::default()
        };
        store
            .import(&reg, &meta("the journey reordered"))
            .expect("import");
        let (reordered, _) = followed(&edited, &store, db.name, "a journey reordered");
        let edited = reordered;

        // A new service sorted before the others and a withdrawal: positions move.
        let mut added = store.registry().expect("load").services[0].clone();
        added.code = egovwatch_domain::Code::parse("AAA-NEW").expect("code");
        added.channels.clear();
        added.name = Text::new().with(Lang::En, "A renamed newcomer");
        let mut gone = store.registry().expect("load").services[5].clone();
        gone.status = ServiceStatus::Withdrawn;
        save_services(&store, vec![added, gone], "one more, one less");
        let (moved, fresh) = followed(&edited, &store, db.name, "an addition");
        assert_eq!(
            gaps_seen(&moved),
            gaps_seen(&fresh),
            "{}: gaps after a withdrawal",
            db.name
        );
        assert_eq!(moved.reg.services[0].code.as_str(), "AAA-NEW");
        assert!(moved.search().shares_index(first.search()), "{}", db.name);
        assert!(
            moved.rounds[0].shares_units(&edited.rounds[0]),
            "{}: the round is placed by the new positions, not read again",
            db.name
        );

        // A second round published: compared with the first, which is kept.
        answer(&store, "R2");
        egovwatch_app::rounds::publish(&store, "R2", "2017-01-01T00:00:00Z").expect("publish");
        let (published, _) = followed(&moved, &store, db.name, "a publication");
        assert_eq!(published.rounds.len(), 2);
        assert!(Arc::ptr_eq(&published.rounds[0], &moved.rounds[0]));

        // A correction of the first round: the second, compared with it, has its results
        // stored again in a transaction of its own, and the snapshot follows both.
        let service = store.registry().expect("load").services[1].code.to_string();
        let csv = format!("service,question,answer,assessor\n{service},stage,5,setup\n");
        egovwatch_app::rounds::import_assessments(
            &store,
            "R1",
            ("fix.csv", csv.as_bytes()),
            Some(("editor", &Text::new().with(Lang::En, "a missed service"))),
            "2017-02-01T00:00:00Z",
        )
        .expect("correction");
        let changed = store
            .changes_since(published.version, 100)
            .expect("changes");
        for round in ["R1", "R2"] {
            assert!(
                changed.iter().any(|c| c.kind == "round" && c.code == round),
                "{}: {round} among the changes: {changed:?}",
                db.name
            );
        }
        let (corrected, _) = followed(&published, &store, db.name, "a correction");
        assert_ne!(
            seen(&corrected),
            seen(&published),
            "{}: the correction shows",
            db.name
        );
    }
}

/// In a registry of several countries, the current round's gap analysis covers its country's
/// part of the registry: an edit in another country leaves it as it was and an updated
/// snapshot takes it over; an edit in its country, or one that connects another country's
/// record to it, makes it again. Each time the updated snapshot shows what a fresh one does.
#[test]
fn an_edit_outside_the_current_rounds_part_keeps_its_gap_analysis() {
    for db in backends("an_edit_outside_the_current_rounds_part_keeps_its_gap_analysis") {
        synth_into(&db, ["2", "12", "1"]);
        let store = db.store();
        let first = Snapshot::build(&store).expect("build");
        let before = gaps_seen(&first);
        let current = first.current().expect("a current round").round.code.clone();
        let country = |code: &str| code.split('-').next().unwrap_or_default().to_string();
        let here = country(&current);
        let service_of = |reg: &egovwatch_domain::Registry, home: bool| {
            reg.services
                .iter()
                .find(|s| (country(s.code.as_str()) == here) == home)
                .expect("a service")
                .clone()
        };
        let flip = |s: &mut egovwatch_domain::Service| {
            s.audience = if s.audience == [Audience::Business] {
                vec![Audience::Citizen]
            } else {
                vec![Audience::Business]
            };
        };

        let mut abroad = service_of(&store.registry().expect("load"), false);
        flip(&mut abroad);
        save_services(&store, vec![abroad], "another country's audience");
        let (kept, fresh) = followed(&first, &store, db.name, "an edit abroad");
        assert!(
            kept.shares_analysis(&first),
            "{}: the analysis is kept",
            db.name
        );
        assert_eq!(gaps_seen(&kept), gaps_seen(&fresh), "{}", db.name);
        assert_eq!(gaps_seen(&kept), before, "{}", db.name);

        // A new service of another country, sorted before every other: every position moves,
        // and the analysis is kept, its services placed anew.
        let mut newcomer = service_of(&store.registry().expect("load"), false);
        newcomer.code = Code::parse("AAA-NEW").expect("code");
        newcomer.channels.clear();
        save_services(&store, vec![newcomer], "a new service abroad");
        let (grown, fresh) = followed(&kept, &store, db.name, "a new service abroad");
        assert_eq!(grown.reg.services[0].code.as_str(), "AAA-NEW");
        fn current_of(s: &Snapshot) -> &egovwatch_web::snapshot::RoundData {
            s.current().expect("a current round")
        }
        assert!(
            current_of(&grown).shares_units(current_of(&kept)),
            "{}: the rounds are placed by the new positions, not read again",
            db.name
        );
        assert!(!current_of(&fresh).shares_units(current_of(&kept)));
        assert!(
            grown.shares_analysis(&kept),
            "{}: the analysis is kept",
            db.name
        );
        assert_eq!(gaps_seen(&grown), gaps_seen(&fresh), "{}", db.name);
        assert_eq!(service_gaps(&grown), service_gaps(&fresh), "{}", db.name);
        let kept = grown;

        let mut home = service_of(&store.registry().expect("load"), true);
        flip(&mut home);
        save_services(&store, vec![home], "the current country's audience");
        let (remade, fresh) = followed(&kept, &store, db.name, "an edit at home");
        assert_eq!(gaps_seen(&remade), gaps_seen(&fresh), "{}", db.name);
        assert!(!remade.shares_analysis(&kept), "{}", db.name);

        // Another country's service led by an organisation of the current round's country
        // too: it joins the part the analysis covers.
        let reg = store.registry().expect("load");
        let mut joined = service_of(&reg, false);
        let organisation: Code = service_of(&reg, true).organisations[0].clone();
        joined.organisations.push(organisation);
        save_services(&store, vec![joined], "led from the current country too");
        let (connected, fresh) = followed(&remade, &store, db.name, "a connection");
        assert_eq!(gaps_seen(&connected), gaps_seen(&fresh), "{}", db.name);
        assert!(!connected.shares_analysis(&remade), "{}", db.name);

        // Each country's second round published, one after the other: the rounds held are
        // taken as held and the new one's subject added to theirs.
        let mut held = connected;
        for (round, at) in [
            ("C002-R01", "2021-01-01T00:00:00Z"),
            ("C001-R01", "2021-02-01T00:00:00Z"),
        ] {
            store
                .set_round_state(round, RoundState::Closed)
                .expect("close");
            egovwatch_app::rounds::publish(&store, round, at).expect("publish");
            let (published, _) = followed(&held, &store, db.name, round);
            assert!(published.round(round).is_some(), "{}: {round}", db.name);
            let stages = |s: &Snapshot| s.round("C001-STAGES").expect("held").1.clone();
            assert!(
                Arc::ptr_eq(&stages(&published), &stages(&held)),
                "{}: a round held is kept",
                db.name
            );
            held = published;
        }
    }
}
