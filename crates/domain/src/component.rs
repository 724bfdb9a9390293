//! The part of a registry connected to some of its services: in a registry of many countries
//! (an international survey), what one country's analysis needs, without the others'.
//!
//! Records are connected through every reference the gap analysis follows: a service to its
//! organisations, evidence and outputs; an output to the evidence it is; a dataset to its system
//! and the evidence it supplies; a system to its owner; an organisation to its parent; an
//! exchange link to its source and target records. Life events are shared by every country and
//! connect nothing; the part keeps all of them.

use crate::Records;
use crate::registry::Registry;
use std::collections::HashMap;

/// Disjoint sets over record numbers, with path halving.
struct Sets(Vec<u32>);

impl Sets {
    fn root(&mut self, mut x: u32) -> u32 {
        while let Some(&p) = self.0.get(x as usize) {
            if p == x {
                break;
            }
            let grand = self.0.get(p as usize).copied().unwrap_or(p);
            if let Some(slot) = self.0.get_mut(x as usize) {
                *slot = grand;
            }
            x = grand;
        }
        x
    }

    fn join(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb
            && let Some(slot) = self.0.get_mut(ra as usize)
        {
            *slot = rb;
        }
    }
}

/// Codes numbered from `first`, in order.
fn numbered<'r>(codes: impl Iterator<Item = &'r str>, first: u32) -> HashMap<&'r str, u32> {
    codes.zip(first..).collect()
}

/// The records of `reg` connected to the services coded `seeds`, in the registry's order; none
/// when that is every service (the whole registry is the part, no copy is made) or when no seed
/// names a service.
pub fn connected<'a>(reg: &Registry, seeds: impl IntoIterator<Item = &'a str>) -> Option<Registry> {
    // Record numbers: organisations, evidence types (then evidence codes used but not
    // defined), outputs, systems, datasets, services, links.
    let mut next = 0u32;
    let mut number = |n: usize| {
        let first = next;
        next = next.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        first
    };
    let org0 = number(reg.organisations.len());
    let out0 = number(reg.outputs.len());
    let sys0 = number(reg.information_systems.len());
    let ds0 = number(reg.datasets.len());
    let sv0 = number(reg.services.len());
    let ln0 = number(reg.exchange_links.len());
    let ev0 = next;
    let org = numbered(reg.organisations.iter().map(|o| o.code.as_str()), org0);
    let out = numbered(reg.outputs.iter().map(|o| o.code.as_str()), out0);
    let sys = numbered(
        reg.information_systems.iter().map(|s| s.code.as_str()),
        sys0,
    );
    let ds = numbered(reg.datasets.iter().map(|d| d.code.as_str()), ds0);
    let sv = numbered(reg.services.iter().map(|s| s.code.as_str()), sv0);
    // Evidence by code, defined or only referred to.
    let mut ev: HashMap<&str, u32> = HashMap::new();
    let referred = reg
        .evidence_types
        .iter()
        .map(|e| &e.code)
        .chain(reg.services.iter().flat_map(|s| &s.evidence))
        .chain(reg.datasets.iter().flat_map(|d| &d.supplies))
        .chain(reg.outputs.iter().filter_map(|o| o.evidence_type.as_ref()));
    for code in referred {
        let n = ev0.saturating_add(u32::try_from(ev.len()).unwrap_or(u32::MAX));
        ev.entry(code.as_str()).or_insert(n);
    }
    let total = ev0.saturating_add(u32::try_from(ev.len()).unwrap_or(u32::MAX));
    let mut sets = Sets((0..total).collect());
    let mut join = |a: u32, to: Option<&u32>| {
        if let Some(&b) = to {
            sets.join(a, b);
        }
    };
    for (o, n) in reg.organisations.iter().zip(org0..) {
        join(n, o.parent.as_ref().and_then(|p| org.get(p.as_str())));
    }
    for (o, n) in reg.outputs.iter().zip(out0..) {
        join(n, o.evidence_type.as_ref().and_then(|e| ev.get(e.as_str())));
    }
    for (s, n) in reg.information_systems.iter().zip(sys0..) {
        join(n, org.get(s.owner.as_str()));
    }
    for (d, n) in reg.datasets.iter().zip(ds0..) {
        join(n, sys.get(d.system.as_str()));
        for e in &d.supplies {
            join(n, ev.get(e.as_str()));
        }
    }
    for (s, n) in reg.services.iter().zip(sv0..) {
        for o in &s.organisations {
            join(n, org.get(o.as_str()));
        }
        for e in &s.evidence {
            join(n, ev.get(e.as_str()));
        }
        for o in &s.outputs {
            join(n, out.get(o.as_str()));
        }
    }
    for (l, n) in reg.exchange_links.iter().zip(ln0..) {
        join(
            n,
            l.source_dataset.as_ref().and_then(|d| ds.get(d.as_str())),
        );
        join(
            n,
            l.source_system.as_ref().and_then(|s| sys.get(s.as_str())),
        );
        join(
            n,
            l.target_system.as_ref().and_then(|s| sys.get(s.as_str())),
        );
        join(
            n,
            l.target_service.as_ref().and_then(|s| sv.get(s.as_str())),
        );
    }
    let roots: Vec<u32> = (0..total).map(|x| sets.root(x)).collect();
    let keep: std::collections::HashSet<u32> = seeds
        .into_iter()
        .filter_map(|code| sv.get(code))
        .filter_map(|&n| roots.get(n as usize).copied())
        .collect();
    if keep.is_empty() {
        return None;
    }
    let kept = |n: u32| roots.get(n as usize).is_some_and(|r| keep.contains(r));
    let services = kept_of(&reg.services, sv0, &kept);
    if services.len() == reg.services.len() {
        return None;
    }
    Some(Registry {
        organisations: kept_of(&reg.organisations, org0, &kept),
        life_events: reg.life_events.clone(),
        evidence_types: reg
            .evidence_types
            .sharing(|_, e| ev.get(e.code.as_str()).is_some_and(|&n| kept(n))),
        outputs: kept_of(&reg.outputs, out0, &kept),
        information_systems: kept_of(&reg.information_systems, sys0, &kept),
        datasets: kept_of(&reg.datasets, ds0, &kept),
        services,
        exchange_links: kept_of(&reg.exchange_links, ln0, &kept),
    })
}

/// The records numbered from `first` that `kept` keeps, in order.
fn kept_of<T>(records: &Records<T>, first: u32, kept: &impl Fn(u32) -> bool) -> Records<T> {
    records.sharing(|i, _| kept(first + i as u32))
}
