//! Lookups by code across a registry, built once.
//!
//! The registry's own finders (`Registry::service` and friends) scan a vector, which is right for
//! one lookup and wrong for a report or a page over thousands of services: those build an
//! [`Index`] once and look up in constant time. The index holds positions, not references, so it
//! can live beside the registry it was built from (a web snapshot owns both).

use crate::{
    Code, Dataset, EntityKind, InformationSystem, Lang, LifeEvent, Organisation, Registry, Service,
    Text,
};
use std::collections::HashMap;

/// A map by code with a fast, per-process seeded hash: every read of a page or an answer looks
/// codes up here, and SipHash was a visible share of a record's answer.
type ByCode<V> = HashMap<Code, V, foldhash::fast::RandomState>;

/// Positions of every record by code, and of each life event's and organisation's services.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    /// Positions are `u32`: a registry has fewer than four billion records of a kind.
    by_code: ByCode<(EntityKind, u32)>,
    /// Services per life event, in registry order, by life event position.
    services_of_life_event: Vec<Vec<usize>>,
    /// Services per organisation (any competent organisation), by organisation position.
    services_of_organisation: Vec<Vec<usize>>,
    /// Datasets that supply each piece of evidence, in registry order, by evidence code.
    suppliers: ByCode<Vec<u32>>,
}

impl Index {
    pub fn new(reg: &Registry) -> Index {
        let mut by_code = ByCode::with_capacity_and_hasher(
            reg.services.len()
                + reg.organisations.len()
                + reg.datasets.len()
                + reg.information_systems.len()
                + reg.evidence_types.len()
                + reg.exchange_links.len(),
            Default::default(),
        );
        // Earlier kinds win when two kinds share a code, in the order names were always
        // resolved: services, datasets, systems, organisations, evidence, life events.
        let mut put = |code: &Code, kind: EntityKind, i: usize| {
            if let Ok(i) = u32::try_from(i) {
                by_code.entry(code.clone()).or_insert((kind, i));
            }
        };
        for (i, s) in reg.services.iter().enumerate() {
            put(&s.code, EntityKind::Service, i);
        }
        for (i, d) in reg.datasets.iter().enumerate() {
            put(&d.code, EntityKind::Dataset, i);
        }
        for (i, s) in reg.information_systems.iter().enumerate() {
            put(&s.code, EntityKind::InformationSystem, i);
        }
        for (i, o) in reg.organisations.iter().enumerate() {
            put(&o.code, EntityKind::Organisation, i);
        }
        for (i, e) in reg.evidence_types.iter().enumerate() {
            put(&e.code, EntityKind::EvidenceType, i);
        }
        for (i, e) in reg.life_events.iter().enumerate() {
            put(&e.code, EntityKind::LifeEvent, i);
        }
        for (i, o) in reg.outputs.iter().enumerate() {
            put(&o.code, EntityKind::Output, i);
        }
        for (i, l) in reg.exchange_links.iter().enumerate() {
            put(&l.code, EntityKind::ExchangeLink, i);
        }
        let mut index = Index {
            by_code,
            services_of_life_event: vec![Vec::new(); reg.life_events.len()],
            services_of_organisation: vec![Vec::new(); reg.organisations.len()],
            suppliers: ByCode::default(),
        };
        for (i, d) in reg.datasets.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            for e in &d.supplies {
                let at = index.suppliers.entry(e.clone()).or_default();
                // A dataset listing one piece of evidence twice supplies it once.
                if at.last() != Some(&i) {
                    at.push(i);
                }
            }
        }
        for (i, s) in reg.services.iter().enumerate() {
            for le in &s.life_events {
                if let Some(g) = index.position(EntityKind::LifeEvent, le.as_str()) {
                    index.services_of_life_event[g].push(i);
                }
            }
            for o in &s.organisations {
                if let Some(g) = index.position(EntityKind::Organisation, o.as_str()) {
                    index.services_of_organisation[g].push(i);
                }
            }
        }
        index
    }

    /// The index of `reg`, made from this one, the index of `reg` before the services at
    /// `added` (their positions in `reg`, ascending) were added to it, every other record as
    /// it was: the other services shifted past the added ones, and the added ones put in,
    /// without going over the whole registry again. The same as [`Index::new`] of `reg` (a
    /// test compares them).
    pub fn with_services_added(&self, reg: &Registry, added: &[usize]) -> Index {
        // The new position of the service at old position `p`: past every added one before it.
        let shift = |p: usize| {
            let mut moved = 0;
            while moved < added.len() && added[moved] <= p + moved {
                moved += 1;
            }
            p + moved
        };
        let mut index = self.clone();
        for (kind, at) in index.by_code.values_mut() {
            if *kind == EntityKind::Service
                && let Ok(p) = u32::try_from(shift(*at as usize))
            {
                *at = p;
            }
        }
        for list in index
            .services_of_life_event
            .iter_mut()
            .chain(index.services_of_organisation.iter_mut())
        {
            list.iter_mut().for_each(|p| *p = shift(*p));
        }
        for &i in added {
            let Some(s) = reg.services.get(i) else {
                continue;
            };
            // A service's code wins over another kind's, as in `Index::new`.
            if let Ok(at) = u32::try_from(i) {
                index
                    .by_code
                    .insert(s.code.clone(), (EntityKind::Service, at));
            }
            for le in &s.life_events {
                if let Some(g) = index.position(EntityKind::LifeEvent, le.as_str()) {
                    let list = &mut index.services_of_life_event[g];
                    list.insert(list.partition_point(|&p| p <= i), i);
                }
            }
            for o in &s.organisations {
                if let Some(g) = index.position(EntityKind::Organisation, o.as_str()) {
                    let list = &mut index.services_of_organisation[g];
                    list.insert(list.partition_point(|&p| p <= i), i);
                }
            }
        }
        index
    }

    /// The datasets that supply evidence `evidence` (positions, in registry order).
    pub fn suppliers(&self, evidence: &str) -> impl Iterator<Item = usize> + '_ {
        self.suppliers
            .get(evidence)
            .into_iter()
            .flatten()
            .map(|&i| i as usize)
    }

    /// The kind and position of the record with this code.
    pub fn get(&self, code: &str) -> Option<(EntityKind, usize)> {
        self.by_code.get(code).map(|&(kind, i)| (kind, i as usize))
    }

    /// The position of a record of `kind` with this code.
    pub fn position(&self, kind: EntityKind, code: &str) -> Option<usize> {
        self.get(code).filter(|(k, _)| *k == kind).map(|(_, i)| i)
    }

    pub fn service<'r>(&self, reg: &'r Registry, code: &str) -> Option<&'r Service> {
        self.position(EntityKind::Service, code)
            .map(|i| &reg.services[i])
    }

    pub fn organisation<'r>(&self, reg: &'r Registry, code: &str) -> Option<&'r Organisation> {
        self.position(EntityKind::Organisation, code)
            .map(|i| &reg.organisations[i])
    }

    pub fn life_event<'r>(&self, reg: &'r Registry, code: &str) -> Option<&'r LifeEvent> {
        self.position(EntityKind::LifeEvent, code)
            .map(|i| &reg.life_events[i])
    }

    pub fn information_system<'r>(
        &self,
        reg: &'r Registry,
        code: &str,
    ) -> Option<&'r InformationSystem> {
        self.position(EntityKind::InformationSystem, code)
            .map(|i| &reg.information_systems[i])
    }

    pub fn dataset<'r>(&self, reg: &'r Registry, code: &str) -> Option<&'r Dataset> {
        self.position(EntityKind::Dataset, code)
            .map(|i| &reg.datasets[i])
    }

    /// The name of any named record by code.
    pub fn name<'r>(&self, reg: &'r Registry, code: &str) -> Option<&'r Text> {
        let (kind, i) = self.get(code)?;
        Some(match kind {
            EntityKind::Service => &reg.services[i].name,
            EntityKind::Organisation => &reg.organisations[i].name,
            EntityKind::LifeEvent => &reg.life_events[i].name,
            EntityKind::EvidenceType => &reg.evidence_types[i].name,
            EntityKind::Output => &reg.outputs[i].name,
            EntityKind::InformationSystem => &reg.information_systems[i].name,
            EntityKind::Dataset => &reg.datasets[i].name,
            // Links have no name; channels are not indexed (their codes live in services).
            EntityKind::ExchangeLink | EntityKind::Channel => return None,
        })
    }

    /// Positions of the services of the life event at position `g`, in registry order.
    pub fn services_of_life_event(&self, g: usize) -> &[usize] {
        self.services_of_life_event
            .get(g)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Positions of the services an organisation (at position `o`) is competent for.
    pub fn services_of_organisation(&self, o: usize) -> &[usize] {
        self.services_of_organisation
            .get(o)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// A record's name by code, whatever its kind, through an index built once; the code itself
/// when it has none.
pub fn name_in(reg: &Registry, codes: &Index, code: &str, lang: Lang) -> String {
    shown_name(reg, codes, code, lang).to_string()
}

/// [`name_in`], borrowed: the name as shown in `lang` (else English), or the code.
pub fn shown_name<'a>(reg: &'a Registry, codes: &Index, code: &'a str, lang: Lang) -> &'a str {
    codes
        .name(reg, code)
        .and_then(|t| t.pick(lang, &[Lang::En]))
        .map(|s| s.text)
        .filter(|s| !s.is_empty())
        .unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppliers_are_the_datasets_that_supply_evidence_in_registry_order() {
        let reg = Registry {
            datasets: serde_json::from_value(serde_json::json!([
                { "code": "D1", "name": { "en": "One" }, "system": "SYS", "supplies": ["E1", "E2", "E1"], "status": "active", "provenance": "manual" },
                { "code": "D2", "name": { "en": "Two" }, "system": "SYS", "supplies": ["E2"], "status": "active", "provenance": "manual" },
                { "code": "D3", "name": { "en": "Three" }, "system": "SYS", "supplies": ["E1"], "status": "withdrawn", "provenance": "manual" }
            ]))
            .expect("valid test records"),
            ..Registry::default()
        };
        let idx = Index::new(&reg);
        // The same as filtering every dataset, which the index replaces.
        for e in ["E1", "E2", "E3"] {
            let scanned: Vec<usize> = (0..reg.datasets.len())
                .filter(|&d| reg.datasets[d].supplies.iter().any(|x| x.as_str() == e))
                .collect();
            assert_eq!(idx.suppliers(e).collect::<Vec<_>>(), scanned, "{e}");
        }
        assert_eq!(idx.suppliers("E1").collect::<Vec<_>>(), vec![0, 2]);
    }

    proptest::proptest! {
        /// Services added to a registry, indexed from the index before them, give the index
        /// made anew: the same positions by code, the same services per life event and
        /// organisation, whoever shares a code with whom.
        #[test]
        fn services_added_give_the_index_made_anew(
            services in proptest::collection::btree_map(0u8..40, (0u8..3, 0u8..3, proptest::bool::ANY), 0..25),
        ) {
            let service = |n: u8, (le, org, added): (u8, u8, bool)| {
                let v = serde_json::json!({
                    "code": format!("S{n:02}"), "name": { "en": "S" }, "status": "active",
                    "organisations": [format!("O{org}")], "life_events": [format!("L{le}"), format!("L{}", (le + 1) % 3)],
                    "provenance": "manual" });
                (serde_json::from_value::<Service>(v).expect("a service"), added)
            };
            let registry = |services: Vec<Service>| {
                let mut reg = Registry {
                    services: services.into(),
                    organisations: serde_json::from_value(serde_json::json!([
                        { "code": "O0", "name": { "en": "O" }, "type": "ministry", "status": "active", "provenance": "manual" },
                        { "code": "O1", "name": { "en": "O" }, "type": "ministry", "status": "active", "provenance": "manual" }
                    ])).expect("organisations"),
                    life_events: serde_json::from_value(serde_json::json!([
                        { "code": "L0", "name": { "en": "L" }, "journey_order": 1, "eu_code": "BIR", "status": "active", "provenance": "manual" },
                        { "code": "L1", "name": { "en": "L" }, "journey_order": 2, "eu_code": "BIR", "status": "active", "provenance": "manual" },
                        // A life event sharing a service's code: the service's wins.
                        { "code": "S05", "name": { "en": "L" }, "journey_order": 3, "eu_code": "BIR", "status": "active", "provenance": "manual" }
                    ])).expect("life events"),
                    ..Registry::default()
                };
                reg.sort();
                reg
            };
            let all: Vec<(Service, bool)> = services.into_iter().map(|(n, v)| service(n, v)).collect();
            let before = registry(all.iter().filter(|(_, a)| !a).map(|(s, _)| s.clone()).collect());
            let after = registry(all.iter().map(|(s, _)| s.clone()).collect());
            let added: Vec<usize> = (0..after.services.len())
                .filter(|&i| before.service(after.services[i].code.as_str()).is_none())
                .collect();
            proptest::prop_assert_eq!(
                Index::new(&before).with_services_added(&after, &added),
                Index::new(&after)
            );
        }
    }

    #[test]
    fn finds_every_kind_and_groups_services() {
        fn list<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Vec<T> {
            serde_json::from_value(v).expect("valid test records")
        }
        let reg = Registry {
            organisations: list(serde_json::json!([
                { "code": "ORG1", "name": { "en": "Ministry" }, "type": "ministry", "status": "active", "provenance": "manual" }
            ])).into(),
            life_events: list(serde_json::json!([
                { "code": "LE1", "name": { "en": "Birth" }, "journey_order": 1, "eu_code": "BIR", "status": "active", "provenance": "manual" },
                { "code": "LE2", "name": { "en": "Work" }, "journey_order": 2, "eu_code": "BIR", "status": "active", "provenance": "manual" }
            ])).into(),
            services: list(serde_json::json!([
                { "code": "S1", "name": { "en": "One" }, "status": "active", "organisations": ["ORG1"], "life_events": ["LE1"], "provenance": "manual" },
                { "code": "S2", "name": { "en": "Two" }, "status": "active", "organisations": ["ORG1"], "life_events": ["LE1", "LE2"], "provenance": "manual" }
            ])).into(),
            ..Registry::default()
        };
        let idx = Index::new(&reg);
        assert_eq!(idx.service(&reg, "S2").map(|s| s.code.as_str()), Some("S2"));
        assert!(idx.service(&reg, "ORG1").is_none());
        assert_eq!(idx.get("ORG1"), Some((EntityKind::Organisation, 0)));
        assert_eq!(idx.get("LE2"), Some((EntityKind::LifeEvent, 1)));
        assert_eq!(
            idx.name(&reg, "LE1").map(|t| t.show(crate::Lang::En)),
            Some("Birth".to_string())
        );
        assert_eq!(idx.services_of_life_event(0), &[0, 1]);
        assert_eq!(idx.services_of_life_event(1), &[1]);
        assert_eq!(idx.services_of_organisation(0), &[0, 1]);
        assert!(idx.get("NOPE").is_none());
    }
}
