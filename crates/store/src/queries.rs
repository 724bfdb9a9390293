// The registry's queries, written once and compiled once per backend: `backend.rs` includes
// this file in a module where `Conn` is that backend's connection type and `write_tx` its
// write transaction. Keep everything here backend-neutral diesel.

use crate::rows::*;
use crate::schema::*;
use crate::{ChangeMeta, ImportReport, Revision, StoreError};
use diesel::prelude::*;
use egovwatch_domain::change::{plan_import, Action, Change, Channels, Record, Touched};
use egovwatch_domain::validate::{each_code, each_reference, CodeSet};
use egovwatch_domain::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::Versions;

pub fn load_registry(c: &mut Conn) -> Result<(Registry, Versions), StoreError> {
    let mut versions = Versions::new();
    let mut reg = read_others(c, Some(&mut versions))?;
    reg.services = read_services(c, Some(&mut versions))?;
    reg.sort();
    Ok((reg, versions))
}

/// The services `filter` leaves, as a boxed query to page or count.
fn services_where<'a>(
    filter: crate::ServiceFilter<'a>,
) -> services::BoxedQuery<'a, <Conn as diesel::Connection>::Backend> {
    let mut query = services::table.into_boxed();
    // A life event's or an organisation's services, through the relations' (kind, to) index.
    let related = [
        (REL_SERVICE_LIFE_EVENT, filter.life_event),
        (REL_SERVICE_ORGANISATION, filter.organisation),
    ];
    for (kind, to) in related {
        if let Some(to) = to {
            query = query.filter(
                services::code.eq_any(
                    relations::table
                        .filter(relations::kind.eq(kind))
                        .filter(relations::to_code.eq(to))
                        .select(relations::from_code),
                ),
            );
        }
    }
    if let Some(st) = filter.status {
        query = query.filter(services::status.eq(st));
    }
    query
}

/// A page of services in code order: up to `limit` of the services `filter` leaves, after the
/// service `after` (from the first when none), each whole (channels and references), and how
/// many the filter leaves; or what it names that the registry does not have. Indexed reads
/// only, whatever the registry's size.
pub fn services_page(
    c: &mut Conn,
    filter: crate::ServiceFilter<'_>,
    after: Option<&str>,
    limit: usize,
) -> Result<Result<crate::ServicesPage, crate::Unknown>, StoreError> {
    use diesel::dsl::exists;
    if let Some(le) = filter.life_event
        && !diesel::select(exists(life_events::table.find(le))).get_result::<bool>(c)?
    {
        return Ok(Err(crate::Unknown::LifeEvent));
    }
    if let Some(o) = filter.organisation
        && !diesel::select(exists(organisations::table.find(o))).get_result::<bool>(c)?
    {
        return Ok(Err(crate::Unknown::Organisation));
    }
    if let Some(a) = after {
        let known = services_where(filter)
            .filter(services::code.eq(a))
            .select(services::code)
            .first::<String>(c)
            .optional()?;
        if known.is_none() {
            return Ok(Err(crate::Unknown::After));
        }
    }
    let total: i64 = services_where(filter).count().get_result(c)?;
    let mut query = services_where(filter)
        .order(services::code)
        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
        .select(ServiceRow::as_select());
    if let Some(a) = after {
        query = query.filter(services::code.gt(a));
    }
    let rows = query.load(c)?;
    let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    let channels = channels::table
        .filter(channels::service_code.eq_any(&codes))
        .order(channels::code)
        .select(ChannelRow::as_select())
        .load(c)?;
    let mut channels = channels_by_service(channels.into_iter().map(Ok))?;
    let services = rows
        .iter()
        .map(|r| r.to_domain(channels.remove(&r.code).unwrap_or_default()))
        .collect::<Result<Vec<Service>, StoreError>>()?;
    Ok(Ok(crate::ServicesPage {
        services,
        total: usize::try_from(total).unwrap_or_default(),
    }))
}

/// A page of the records of `kind` in code order: the codes of up to `limit` of them after the
/// record `after` (from the first when none), and how many the registry has; none when `after`
/// is no record of the kind, or for channels (kept in their services). Through the primary
/// key, whatever the registry's size.
pub fn records_page(
    c: &mut Conn,
    kind: EntityKind,
    after: Option<&str>,
    limit: usize,
) -> Result<Option<crate::RecordsPage>, StoreError> {
    use diesel::dsl::exists;
    use EntityKind as K;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    macro_rules! page {
        ($table:ident) => {{
            if let Some(a) = after
                && !diesel::select(exists($table::table.find(a))).get_result::<bool>(c)?
            {
                return Ok(None);
            }
            let total: i64 = $table::table.count().get_result(c)?;
            let codes = $table::table.select($table::code).order($table::code).limit(limit);
            let codes: Vec<String> = match after {
                Some(a) => codes.filter($table::code.gt(a)).load(c)?,
                None => codes.load(c)?,
            };
            (codes, total)
        }};
    }
    let (codes, total) = match kind {
        K::Organisation => page!(organisations),
        K::LifeEvent => page!(life_events),
        K::EvidenceType => page!(evidence_types),
        K::Output => page!(outputs),
        K::InformationSystem => page!(information_systems),
        K::Dataset => page!(datasets),
        K::Service => page!(services),
        K::ExchangeLink => page!(exchange_links),
        K::Channel => return Ok(None),
    };
    Ok(Some(crate::RecordsPage {
        codes,
        total: usize::try_from(total).unwrap_or_default(),
    }))
}

/// Life events' services that are not withdrawn, as the site's journey lists them: for each
/// life event (in code order; only `only` when given) how many services it has, how many of
/// them are not withdrawn, and the codes of those in the rows `window` gives for that count, in
/// code order. Indexed reads only, whatever the registry's size.
pub fn journey(
    c: &mut Conn,
    only: Option<&str>,
    window: &dyn Fn(usize) -> std::ops::Range<usize>,
) -> Result<Vec<crate::JourneyEntry>, StoreError> {
    let mut codes = life_events::table.select(life_events::code).order(life_events::code).into_boxed();
    if let Some(code) = only {
        codes = codes.filter(life_events::code.eq(code));
    }
    let codes: Vec<String> = codes.load(c)?;
    codes
        .into_iter()
        .map(|life_event| {
            // Through the relations' (kind, to, from) index: the life event's services in code
            // order, each looked up for its status until enough are found; counted there too,
            // less the withdrawn ones (found through the services' status index).
            let of_event = relations::table
                .filter(relations::kind.eq(REL_SERVICE_LIFE_EVENT))
                .filter(relations::to_code.eq(&life_event));
            let all: i64 = of_event.count().get_result(c)?;
            let withdrawn: i64 = services::table
                .filter(services::status.eq(ServiceStatus::Withdrawn.as_str()))
                .filter(diesel::dsl::exists(of_event.filter(relations::from_code.eq(services::code))))
                .count()
                .get_result(c)?;
            let all = usize::try_from(all).unwrap_or_default();
            let services = all.saturating_sub(usize::try_from(withdrawn).unwrap_or_default());
            let rows = window(services);
            let listed = of_event
                .inner_join(services::table.on(services::code.eq(relations::from_code)))
                .filter(services::status.ne(ServiceStatus::Withdrawn.as_str()))
                .order(relations::from_code)
                .offset(i64::try_from(rows.start).unwrap_or(i64::MAX))
                .limit(i64::try_from(rows.len()).unwrap_or(i64::MAX))
                .select(relations::from_code)
                .load(c)?;
            Ok(crate::JourneyEntry { life_event, all, services, start: rows.start, listed })
        })
        .collect()
}

/// Every row of `$query` (a table) made a record by `$record` as it is read, in the
/// order read; each record's version goes to `$versions` when given. Rows are made records one
/// at a time, never all held at once: at the UN survey's scale the services' rows alone are
/// hundreds of megabytes.
macro_rules! records {
    ($c:expr, $query:expr, $row:ty, $kind:expr, $versions:expr, |$r:ident| $record:expr) => {{
        let mut out = Records::new();
        let query = $query.select(<$row>::as_select());
        for $r in query.load_iter::<$row, diesel::connection::DefaultLoadingMode>($c)? {
            let $r = $r?;
            if let Some(v) = $versions.as_deref_mut() {
                v.insert(($kind, $r.code.clone()), $r.version);
            }
            out.push($record?);
        }
        // Exact capacity: a registry is held for as long as the site answers from it.
        out.shrink_to_fit();
        out
    }};
}

/// Every stored service with its channels, in code order.
pub fn read_services(
    c: &mut Conn,
    mut versions: Option<&mut Versions>,
) -> Result<Records<Service>, StoreError> {
    let mut channels = channels_by_service(
        channels::table
            .order(channels::code)
            .select(ChannelRow::as_select())
            .load_iter::<ChannelRow, diesel::connection::DefaultLoadingMode>(c)?,
    )?;
    let mut services = records!(c, services::table, ServiceRow, EntityKind::Service, versions, |r| {
        r.to_domain(channels.remove(&r.code).unwrap_or_default())
    });
    services.sort_unstable_by(|a, b| a.code.cmp(&b.code));
    Ok(services)
}

/// Codes of one kind looked up in one `eq_any` query (under SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters); beyond it, the table is read once and the codes kept are picked
/// from it, which for most of a table (an import of a whole registry) is also faster.
const CODES_PER_QUERY: usize = 5_000;

/// Codes to read from one table: few, looked up by key, or many, picked from one read of it.
enum Wanted<'a> {
    Few(Vec<&'a str>),
    Many(CodeSet<&'a str>),
}

impl<'a> Wanted<'a> {
    fn of(codes: impl IntoIterator<Item = &'a str>) -> Self {
        let codes: Vec<&str> = codes.into_iter().collect();
        if codes.len() <= CODES_PER_QUERY {
            Wanted::Few(codes)
        } else {
            Wanted::Many(codes.into_iter().collect())
        }
    }

    /// Whether a row read for these codes is one of them: every row of a query by key is,
    /// a row of a whole table's read only when its code is wanted.
    fn keeps(&self, code: &str) -> bool {
        match self {
            Wanted::Few(_) => true,
            Wanted::Many(codes) => codes.contains(code),
        }
    }
}

/// The stored records `named` names (kind and code), services with their channels, in
/// canonical order; each one's version goes to `versions`.
fn read_named(
    c: &mut Conn,
    named: &BTreeSet<(EntityKind, &str)>,
    versions: &mut Versions,
) -> Result<Registry, StoreError> {
    use EntityKind as K;
    let codes = |kind: EntityKind| {
        Wanted::of(named.iter().filter(|(k, _)| *k == kind).map(|(_, code)| *code))
    };
    macro_rules! named {
        ($table:ident, $row:ty, $kind:expr, |$r:ident| $record:expr) => {{
            let mut out = Records::new();
            match codes($kind) {
                Wanted::Few(codes) if codes.is_empty() => {}
                Wanted::Few(codes) => {
                    let query = $table::table.filter($table::code.eq_any(&codes));
                    out = records!(c, query, $row, $kind, &mut Some(&mut *versions), |$r| $record);
                }
                many @ Wanted::Many(_) => {
                    let query = $table::table.select(<$row>::as_select());
                    for $r in query.load_iter::<$row, diesel::connection::DefaultLoadingMode>(c)? {
                        let $r = $r?;
                        if many.keeps(&$r.code) {
                            versions.insert(($kind, $r.code.clone()), $r.version);
                            out.push($record?);
                        }
                    }
                }
            }
            out
        }};
    }
    let query = channels::table.order(channels::code).select(ChannelRow::as_select()).into_boxed();
    let mut channels = match codes(K::Service) {
        Wanted::Few(codes) => {
            let query = query.filter(channels::service_code.eq_any(codes));
            channels_by_service(query.load_iter::<ChannelRow, diesel::connection::DefaultLoadingMode>(c)?)?
        }
        Wanted::Many(_) => {
            // Those of services not named are never taken.
            channels_by_service(query.load_iter::<ChannelRow, diesel::connection::DefaultLoadingMode>(c)?)?
        }
    };
    let mut reg = Registry {
        organisations: named!(organisations, OrganisationRow, K::Organisation, |r| r.to_domain()),
        life_events: named!(life_events, LifeEventRow, K::LifeEvent, |r| r.to_domain()),
        evidence_types: named!(evidence_types, EvidenceTypeRow, K::EvidenceType, |r| r.to_domain()),
        outputs: named!(outputs, OutputRow, K::Output, |r| r.to_domain()),
        information_systems: named!(information_systems, InformationSystemRow, K::InformationSystem, |r| r.to_domain()),
        datasets: named!(datasets, DatasetRow, K::Dataset, |r| r.to_domain()),
        services: named!(services, ServiceRow, K::Service, |r| {
            r.to_domain(channels.remove(&r.code).unwrap_or_default())
        }),
        exchange_links: named!(exchange_links, ExchangeLinkRow, K::ExchangeLink, |r| r.to_domain()),
    };
    reg.sort();
    Ok(reg)
}

/// The stored records `named` names (kind and code), in canonical order.
pub fn records_named(c: &mut Conn, named: &[(EntityKind, &str)]) -> Result<Registry, StoreError> {
    let named = named.iter().copied().collect();
    read_named(c, &named, &mut Versions::new())
}

/// The records of `kinds` (services, organisations, life events, information systems,
/// datasets) whose folded text (code, names, descriptions: [`search_text`]) holds every one of
/// `terms` (folded words), in canonical order; none when there are more than `most`. Every
/// record a search for those words finds is among them (a word starting with a term holds
/// it), and a few more (a term inside a word), which the search's own index leaves out. Read
/// by one scan of each table's `search_text` column; life events and datasets, which are few
/// and have none, are folded as they are read.
pub fn records_holding(
    c: &mut Conn,
    terms: &[String],
    kinds: &[EntityKind],
    most: usize,
) -> Result<Option<Vec<(EntityKind, String)>>, StoreError> {
    use EntityKind as K;
    let bound = i64::try_from(most.saturating_add(1)).unwrap_or(i64::MAX);
    let patterns: Vec<String> = terms.iter().map(|t| format!("%{t}%")).collect();
    let mut found = Vec::new();
    macro_rules! holding {
        ($table:ident) => {{
            let mut q = $table::table.select($table::code).order($table::code).limit(bound).into_boxed();
            for p in &patterns {
                q = q.filter($table::search_text.like(p.clone()));
            }
            q.load::<String>(c)?
        }};
    }
    macro_rules! folded {
        ($table:ident, $t:literal) => {{
            let rows: Vec<(String, String, String)> = $table::table
                .select(($table::code, $table::name, $table::description))
                .order($table::code)
                .load(c)?;
            let mut codes = Vec::new();
            for (code, name, description) in rows {
                let texts = [text($t, &code, "name", &name)?, text($t, &code, "description", &description)?];
                let folded = search_text(&code_of($t, &code, "code", &code)?, &[&texts[0], &texts[1]]);
                if terms.iter().all(|t| folded.contains(t.as_str())) {
                    codes.push(code);
                }
            }
            codes
        }};
    }
    for kind in [K::Service, K::Organisation, K::LifeEvent, K::InformationSystem, K::Dataset] {
        if !kinds.contains(&kind) {
            continue;
        }
        let codes = match kind {
            K::Service => holding!(services),
            K::Organisation => holding!(organisations),
            K::InformationSystem => holding!(information_systems),
            K::LifeEvent => folded!(life_events, "life_event"),
            _ => folded!(datasets, "dataset"),
        };
        found.extend(codes.into_iter().map(|code| (kind, code)));
        if found.len() > most {
            return Ok(None);
        }
    }
    Ok(Some(found))
}

/// How many services name each of organisations `codes` among theirs, in the order of `codes`.
pub fn services_of_organisations(c: &mut Conn, codes: &[&str]) -> Result<Vec<usize>, StoreError> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for chunk in codes.chunks(CODES_PER_QUERY) {
        let rows: Vec<(String, i64)> = relations::table
            .filter(relations::kind.eq(REL_SERVICE_ORGANISATION))
            .filter(relations::to_code.eq_any(chunk))
            .group_by(relations::to_code)
            .select((relations::to_code, diesel::dsl::count(relations::from_code)))
            .load(c)?;
        counts.extend(rows.into_iter().map(|(code, n)| (code, usize::try_from(n).unwrap_or_default())));
    }
    Ok(codes.iter().map(|code| counts.get(*code).copied().unwrap_or_default()).collect())
}

/// The codes of the datasets that supply any of evidence types `codes`, in code order.
pub fn datasets_supplying(c: &mut Conn, codes: &[&str]) -> Result<Vec<String>, StoreError> {
    let mut found = BTreeSet::new();
    for chunk in codes.chunks(CODES_PER_QUERY) {
        found.extend(
            relations::table
                .filter(relations::kind.eq(REL_DATASET_SUPPLIES))
                .filter(relations::to_code.eq_any(chunk))
                .select(relations::from_code)
                .load::<String>(c)?,
        );
    }
    Ok(found.into_iter().collect())
}

/// The records connected to the stored services `seeds`, every life event, in canonical order:
/// the part `egovwatch_domain::component::connected` keeps of the whole registry, found by
/// indexed queries instead (from the seeds along every reference the gap analysis follows, in
/// both directions, until nothing new is found), in one transaction (on SQLite one consistent
/// read; on PostgreSQL each query sees what was committed before it, as the whole registry's
/// read does, so readers that must not mix versions check the data version around it, as
/// `Snapshot::of_part` does). In a registry of many countries a country's rounds and analysis
/// read their country's few thousand records, not every country's. Codes of no stored service
/// are left out; when none is stored, the part is empty (not even life events).
pub fn connected(c: &mut Conn, seeds: &[&str]) -> Result<Registry, StoreError> {
    let seeds: Vec<(EntityKind, &str)> =
        seeds.iter().map(|code| (EntityKind::Service, *code)).collect();
    Ok(connected_within(c, &seeds, usize::MAX)?.unwrap_or_default())
}

/// [`connected`] from records of any kind but life events (which join every part, and are
/// not followed), or none as soon as the part would hold more than `most` services: counted
/// before they are read, as the relations naming them are read.
pub fn connected_within(
    c: &mut Conn,
    seeds: &[(EntityKind, &str)],
    most: usize,
) -> Result<Option<Registry>, StoreError> {
    use EntityKind as K;
    c.transaction(|c| {
        let mut part = Registry::default();
        let mut seen: BTreeSet<(EntityKind, String)> = BTreeSet::new();
        let mut fresh: BTreeSet<(EntityKind, String)> = seeds
            .iter()
            .filter(|(kind, _)| *kind != K::LifeEvent)
            .map(|(kind, code)| (*kind, (*code).to_string()))
            .collect();
        while !fresh.is_empty() {
            // Counted before they are read: in a national registry a wave names most of the
            // registry's services, and reading them only to give up would cost more than the
            // whole snapshot read beside it.
            let services = fresh.iter().filter(|(k, _)| *k == K::Service).count();
            if part.services.len() + services > most {
                return Ok(None);
            }
            let named: BTreeSet<(EntityKind, &str)> =
                fresh.iter().map(|(k, code)| (*k, code.as_str())).collect();
            let found = read_named(c, &named, &mut Versions::new())?;
            let mut next: Vec<(EntityKind, String)> = Vec::new();
            // The services the next wave would read, counted as they are found: a base register's
            // evidence is required by most of a national registry's services (hundreds of
            // thousands of relations), which are not all listed only to learn that the part is
            // too large.
            let known = part.services.len() + found.services.len();
            let mut reached: BTreeSet<(EntityKind, String)> = BTreeSet::new();
            // What the records found refer to.
            each_reference(&found, |r| {
                if r.to != K::LifeEvent {
                    next.push((r.to, r.target.to_string()));
                }
            });
            // What refers to them.
            let of = |kind: EntityKind| -> Vec<&str> {
                fresh.iter().filter(|(k, _)| *k == kind).map(|(_, code)| code.as_str()).collect()
            };
            macro_rules! referring {
                ($kind:expr, $codes:expr, $table:ident, $column:ident) => {
                    for chunk in $codes.chunks(CODES_PER_QUERY) {
                        let rows = $table::table
                            .filter($table::$column.eq_any(chunk))
                            .select($table::code)
                            .load::<String>(c)?;
                        next.extend(rows.into_iter().map(|code| ($kind, code)));
                    }
                };
            }
            // `position` is read too, although not needed: the primary key (kind, from, to)
            // covers `from_code` alone, and SQLite, without statistics, then scans every
            // relation of the kind through it (1.2 s for a country's evidence at the UN survey's
            // scale) instead of looking the codes up in the (kind, to) index (0.04 s).
            macro_rules! related {
                ($kind:expr, $relation:expr, $codes:expr) => {
                    for chunk in $codes.chunks(CODES_PER_QUERY) {
                        let rows = relations::table
                            .filter(relations::kind.eq($relation))
                            .filter(relations::to_code.eq_any(chunk))
                            .select((relations::from_code, relations::position))
                            .load::<(String, i32)>(c)?;
                        next.extend(rows.into_iter().map(|(code, _)| ($kind, code)));
                    }
                };
            }
            // The services related to `$codes`, read a row at a time until they are too many
            // (`position` read as in `related!`, for the same index).
            macro_rules! services_related {
                ($relation:expr, $codes:expr) => {
                    for chunk in $codes.chunks(CODES_PER_QUERY) {
                        let rows = relations::table
                            .filter(relations::kind.eq($relation))
                            .filter(relations::to_code.eq_any(chunk))
                            .select((relations::from_code, relations::position))
                            .load_iter::<(String, i32), diesel::connection::DefaultLoadingMode>(c)?;
                        for row in rows {
                            let service = (K::Service, row?.0);
                            if !seen.contains(&service) && !fresh.contains(&service) {
                                reached.insert(service);
                                if known + reached.len() > most {
                                    return Ok(None);
                                }
                            }
                        }
                    }
                };
            }
            let organisations = of(K::Organisation);
            referring!(K::Organisation, organisations, organisations, parent_code);
            referring!(K::InformationSystem, organisations, information_systems, owner_code);
            services_related!(REL_SERVICE_ORGANISATION, organisations);
            let evidence = of(K::EvidenceType);
            referring!(K::Output, evidence, outputs, evidence_type_code);
            related!(K::Dataset, REL_DATASET_SUPPLIES, evidence);
            services_related!(REL_SERVICE_EVIDENCE, evidence);
            services_related!(REL_SERVICE_OUTPUT, of(K::Output));
            next.extend(reached);
            let systems = of(K::InformationSystem);
            referring!(K::Dataset, systems, datasets, system_code);
            referring!(K::ExchangeLink, systems, exchange_links, source_system_code);
            referring!(K::ExchangeLink, systems, exchange_links, target_system_code);
            referring!(K::ExchangeLink, of(K::Dataset), exchange_links, source_dataset_code);
            referring!(K::ExchangeLink, of(K::Service), exchange_links, target_service_code);
            part.append(found);
            seen.append(&mut fresh);
            fresh = next.into_iter().filter(|r| !seen.contains(r)).collect();
        }
        if part.services.is_empty() {
            return Ok(Some(Registry::default()));
        }
        part.life_events = records!(c, life_events::table, LifeEventRow, K::LifeEvent, &mut None::<&mut Versions>, |r| r.to_domain());
        part.sort();
        Ok(Some(part))
    })
}

/// What `incoming` touches of the stored registry, given the stored records with its codes
/// ([`Touched`]): the stored records it refers to, the stored owners of its channel codes,
/// and the organisation hierarchy.
fn touched(c: &mut Conn, records: Registry, incoming: &Registry) -> Result<Touched, StoreError> {
    let mut known = CodeSet::default();
    for (kind, codes) in Touched::referred_to(incoming) {
        for code in stored_codes(c, kind, Wanted::of(codes.into_iter().map(Code::as_str)))? {
            known.insert((kind, code_of(kind.plural(), &code, "code", &code)?));
        }
    }
    let channel_codes = Wanted::of(
        incoming
            .services
            .iter()
            .flat_map(|s| s.channels.iter().map(|ch| ch.code.as_str())),
    );
    let query = channels::table.select((channels::code, channels::service_code)).into_boxed();
    let rows = match &channel_codes {
        Wanted::Few(codes) if codes.is_empty() => Vec::new(),
        Wanted::Few(codes) => query.filter(channels::code.eq_any(codes)).load::<(String, String)>(c)?,
        Wanted::Many(_) => query.load::<(String, String)>(c)?,
    };
    let mut channel_owners = BTreeMap::new();
    for (code, service) in rows.into_iter().filter(|(code, _)| channel_codes.keeps(code)) {
        let owner = code_of("channels", &code, "service_code", &service)?;
        channel_owners.insert(code_of("channels", &code, "code", &code)?, owner);
    }
    let mut parents = BTreeMap::new();
    if !incoming.organisations.is_empty() {
        let rows = organisations::table
            .filter(organisations::parent_code.is_not_null())
            .select((organisations::code, organisations::parent_code.assume_not_null()))
            .load::<(String, String)>(c)?;
        for (code, parent) in rows {
            let parent = code_of("organisations", &code, "parent_code", &parent)?;
            parents.insert(code_of("organisations", &code, "code", &code)?, parent);
        }
    }
    Ok(Touched {
        records,
        known,
        channel_owners,
        parents,
    })
}

/// Which of `codes` a record of `kind` has in the store.
fn stored_codes(c: &mut Conn, kind: EntityKind, codes: Wanted) -> Result<Vec<String>, StoreError> {
    use EntityKind as K;
    macro_rules! stored {
        ($table:ident) => {{
            let query = $table::table.select($table::code);
            match &codes {
                Wanted::Few(codes) => query.filter($table::code.eq_any(codes)).load::<String>(c)?,
                Wanted::Many(_) => {
                    let mut all = query.load::<String>(c)?;
                    all.retain(|code| codes.keeps(code));
                    all
                }
            }
        }};
    }
    Ok(match kind {
        K::Organisation => stored!(organisations),
        K::LifeEvent => stored!(life_events),
        K::EvidenceType => stored!(evidence_types),
        K::Output => stored!(outputs),
        K::InformationSystem => stored!(information_systems),
        K::Dataset => stored!(datasets),
        K::Service => stored!(services),
        K::Channel => stored!(channels),
        K::ExchangeLink => stored!(exchange_links),
    })
}

/// Every stored record that is not a service (or a service's channel), in canonical order.
pub fn read_others(
    c: &mut Conn,
    mut versions: Option<&mut Versions>,
) -> Result<Registry, StoreError> {
    use EntityKind as K;
    let v = &mut versions;
    let mut reg = Registry {
        organisations: records!(c, organisations::table, OrganisationRow, K::Organisation, v, |r| r.to_domain()),
        life_events: records!(c, life_events::table, LifeEventRow, K::LifeEvent, v, |r| r.to_domain()),
        evidence_types: records!(c, evidence_types::table, EvidenceTypeRow, K::EvidenceType, v, |r| r.to_domain()),
        outputs: records!(c, outputs::table, OutputRow, K::Output, v, |r| r.to_domain()),
        information_systems: records!(c, information_systems::table, InformationSystemRow, K::InformationSystem, v, |r| r.to_domain()),
        datasets: records!(c, datasets::table, DatasetRow, K::Dataset, v, |r| r.to_domain()),
        services: Records::new(),
        exchange_links: records!(c, exchange_links::table, ExchangeLinkRow, K::ExchangeLink, v, |r| r.to_domain()),
    };
    reg.sort();
    Ok(reg)
}

fn conflict(kind: EntityKind, code: &Code) -> StoreError {
    StoreError::Conflict(Conflict::Changed {
        kind,
        code: code.to_string(),
    })
}

/// Rows an import writes after its main rows, collected and then inserted in multi-row
/// statements: one statement per thousand rows instead of one per row is what keeps a national
/// registry's first import (80,000 services, about a million rows) to seconds.
#[derive(Default)]
struct Pending {
    revisions: Vec<RevisionRow>,
    relations: Vec<RelationRow>,
    channels: Vec<ChannelRow>,
    /// The services whose organisations were written, whose rounds' leads are counted again
    /// at the end ([`count_leads`]).
    led: Vec<String>,
}

/// Rows per insert statement: under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters
/// for the widest of these rows (8 columns).
const ROWS_PER_INSERT: usize = 1000;

/// Rows of one kind kept before they are written.
const SPILL_AT: usize = 250_000;

impl Pending {
    /// Keeps the revision row for one saved state of a record.
    fn revision<R: Record>(
        &mut self,
        c: &mut Conn,
        r: &R,
        version: i32,
        action: Action,
        meta: &ChangeMeta,
        now: &str,
    ) -> Result<(), StoreError> {
        let snapshot = serde_json::to_string(r)
            .map_err(|e| StoreError::Corrupt(format!("{} {}: {e}", R::KIND, r.code())))?;
        self.revisions.push(RevisionRow {
            entity_kind: R::KIND.as_str().to_string(),
            entity_code: r.code().to_string(),
            version,
            action: action.as_str().to_string(),
            author: meta.author.clone(),
            reason: crate::rows::text_json(&meta.reason),
            created_at: now.to_string(),
            snapshot,
        });
        self.spill(c, SPILL_AT)
    }

    /// Replaces the relations of kind `kind` from `from`; a record saved for the first time
    /// (`old` is `None`) has none to delete.
    fn relations(
        &mut self,
        c: &mut Conn,
        kind: &str,
        from: &Code,
        to: &[Code],
        old: Option<i32>,
    ) -> Result<(), StoreError> {
        if old.is_some() {
            diesel::delete(
                relations::table
                    .filter(relations::kind.eq(kind))
                    .filter(relations::from_code.eq(from.as_str())),
            )
            .execute(c)?;
        }
        self.relations.extend(relation_rows(kind, from, to));
        if kind == REL_SERVICE_ORGANISATION {
            self.led.push(from.to_string());
        }
        Ok(())
    }

    /// Inserts every kind of row of which at least `at` are kept, in key order (a B-tree
    /// filled in order splits the fewest pages). Called with a bound while records are saved,
    /// so memory stays flat, and with 0 at the end. Safe at any point after the channel
    /// deletes: every other delete removes only rows of the record being saved, kept after it.
    fn spill(&mut self, c: &mut Conn, at: usize) -> Result<(), StoreError> {
        if !self.channels.is_empty() && self.channels.len() >= at {
            self.channels.sort_unstable_by(|a, b| a.code.cmp(&b.code));
            for rows in self.channels.chunks(ROWS_PER_INSERT) {
                diesel::insert_into(channels::table).values(rows).execute(c)?;
            }
            self.channels.clear();
        }
        if !self.relations.is_empty() && self.relations.len() >= at {
            self.relations.sort_unstable_by(|a, b| {
                (&a.kind, &a.from_code, &a.to_code).cmp(&(&b.kind, &b.from_code, &b.to_code))
            });
            for rows in self.relations.chunks(ROWS_PER_INSERT) {
                diesel::insert_into(relations::table).values(rows).execute(c)?;
            }
            self.relations.clear();
        }
        if !self.revisions.is_empty() && self.revisions.len() >= at {
            self.revisions.sort_unstable_by(|a, b| {
                (&a.entity_kind, &a.entity_code, a.version)
                    .cmp(&(&b.entity_kind, &b.entity_code, b.version))
            });
            for rows in self.revisions.chunks(ROWS_PER_INSERT) {
                diesel::insert_into(revisions::table).values(rows).execute(c)?;
            }
            self.revisions.clear();
        }
        Ok(())
    }
}

/// Inserts or updates the main row of a record. An update only touches the row when it still
/// has the version that was read, so two writers can never silently overwrite each other.
/// A new record's row is kept in `$new` and inserted with the others of its table by
/// `insert_new!`.
macro_rules! save_row {
    ($c:expr, $table:ident, $row:expr, $kind:expr, $code:expr, $old_version:expr, $new:expr) => {{
        let row = $row;
        match $old_version {
            None => $new.push(row),
            Some(old) => {
                let n = diesel::update(
                    $table::table
                        .filter($table::code.eq($code.as_str()))
                        .filter($table::version.eq(old)),
                )
                .set(&row)
                .execute($c)?;
                if n != 1 {
                    return Err(conflict($kind, $code));
                }
            }
        }
    }};
}

/// Inserts the new rows of one table, many per statement.
macro_rules! insert_new {
    ($c:expr, $table:ident, $rows:expr) => {{
        for rows in $rows.chunks(ROWS_PER_INSERT) {
            diesel::insert_into($table::table).values(rows).execute($c)?;
        }
    }};
}

/// Upserts an import into the registry in one write transaction: checks the registry as it would
/// be afterwards, then writes each new or changed record with a revision. Any problem or
/// conflict rolls the whole import back.
pub fn import(
    c: &mut Conn,
    incoming: &Registry,
    channels: Channels,
    meta: &ChangeMeta,
    expected: Option<&Versions>,
    now: &str,
) -> Result<ImportReport, StoreError> {
    write_tx(c, |c| import_in(c, incoming, channels, meta, expected, now))
}

/// [`import`] inside the caller's write transaction (the registry with the rounds of an
/// import that brings both, all or nothing).
pub fn import_in(
    c: &mut Conn,
    incoming: &Registry,
    channels: Channels,
    meta: &ChangeMeta,
    expected: Option<&Versions>,
    now: &str,
) -> Result<ImportReport, StoreError> {
    // Registry writers take turns, so this plan is made against everything stored before.
    lock_registry_writers(c)?;
    // Only what the import touches is read: one record's edit reads a few rows, whatever the
    // registry's size.
    let mut named: BTreeSet<(EntityKind, &str)> =
        each_code(incoming).map(|(k, code)| (k, code.as_str())).collect();
    named.extend(expected.into_iter().flatten().map(|((k, code), _)| (*k, code.as_str())));
    let mut versions = Versions::new();
    let stored = read_named(c, &named, &mut versions)?;
    let incoming = &*channels.apply(&stored, incoming);
    // An editor who read version N may only save over version N.
    if let Some(expected) = expected {
        for ((kind, code), want) in expected {
            let have = versions.get(&(*kind, code.clone())).copied().unwrap_or(0);
            if have != *want {
                return Err(StoreError::Conflict(Conflict::Edited {
                    kind: *kind,
                    code: code.to_string(),
                    stored: have.into(),
                    read: (*want).into(),
                }));
            }
        }
    }
    let touched = touched(c, stored, incoming)?;
    let plan = plan_import(touched, incoming);
    if !plan.problems.is_empty() {
        return Err(StoreError::Invalid(plan.problems));
    }
    let action: BTreeMap<(EntityKind, &Code), Action> = plan
        .changes
        .iter()
        .map(|ch| ((ch.kind, &ch.code), ch.action))
        .collect();

    let mut pending = Pending::default();
    // The write plan per record: skip the unchanged, give the others their next version.
    let step = |kind: EntityKind, code: &Code| -> Option<(Action, Option<i32>, i32)> {
        let a = *action.get(&(kind, code))?;
        if a == Action::Unchanged {
            return None;
        }
        let old = versions.get(&(kind, code.to_string())).copied();
        Some((a, old, old.unwrap_or(0) + 1))
    };

    let mut new_rows = Vec::new();
    for r in &incoming.organisations {
        let k = EntityKind::Organisation;
        let Some((a, old, v)) = step(k, &r.code) else { continue };
        save_row!(c, organisations, OrganisationRow::from_domain(r, v, now), k, &r.code, old, new_rows);
        pending.revision(c, r, v, a, meta, now)?;
    }
    insert_new!(c, organisations, new_rows);
    let mut new_rows = Vec::new();
    for r in &incoming.life_events {
        let k = EntityKind::LifeEvent;
        let Some((a, old, v)) = step(k, &r.code) else { continue };
        save_row!(c, life_events, LifeEventRow::from_domain(r, v, now), k, &r.code, old, new_rows);
        pending.revision(c, r, v, a, meta, now)?;
    }
    insert_new!(c, life_events, new_rows);
    let mut new_rows = Vec::new();
    for r in &incoming.evidence_types {
        let k = EntityKind::EvidenceType;
        let Some((a, old, v)) = step(k, &r.code) else { continue };
        save_row!(c, evidence_types, EvidenceTypeRow::from_domain(r, v, now), k, &r.code, old, new_rows);
        pending.revision(c, r, v, a, meta, now)?;
    }
    insert_new!(c, evidence_types, new_rows);
    let mut new_rows = Vec::new();
    for r in &incoming.outputs {
        let k = EntityKind::Output;
        let Some((a, old, v)) = step(k, &r.code) else { continue };
        save_row!(c, outputs, OutputRow::from_domain(r, v, now), k, &r.code, old, new_rows);
        pending.revision(c, r, v, a, meta, now)?;
    }
    insert_new!(c, outputs, new_rows);
    let mut new_rows = Vec::new();
    for r in &incoming.information_systems {
        let k = EntityKind::InformationSystem;
        let Some((a, old, v)) = step(k, &r.code) else { continue };
        let row = InformationSystemRow::from_domain(r, v, now);
        save_row!(c, information_systems, row, k, &r.code, old, new_rows);
        pending.revision(c, r, v, a, meta, now)?;
    }
    insert_new!(c, information_systems, new_rows);
    let mut new_rows = Vec::new();
    for r in &incoming.datasets {
        let k = EntityKind::Dataset;
        let Some((a, old, v)) = step(k, &r.code) else { continue };
        save_row!(c, datasets, DatasetRow::from_domain(r, v, now), k, &r.code, old, new_rows);
        pending.relations(c, REL_DATASET_SUPPLIES, &r.code, &r.supplies, old)?;
        pending.revision(c, r, v, a, meta, now)?;
    }
    insert_new!(c, datasets, new_rows);
    // Channels of every changed service go first, so a channel may move between services.
    let changed: Vec<&Service> = incoming
        .services
        .iter()
        .filter(|s| step(EntityKind::Service, &s.code).is_some())
        .collect();
    for s in &changed {
        if versions.contains_key(&(EntityKind::Service, s.code.to_string())) {
            diesel::delete(channels::table.filter(channels::service_code.eq(s.code.as_str())))
                .execute(c)?;
        }
    }
    let mut new_rows = Vec::new();
    for r in changed {
        let k = EntityKind::Service;
        let Some((a, old, v)) = step(k, &r.code) else { continue };
        save_row!(c, services, ServiceRow::from_domain(r, v, now), k, &r.code, old, new_rows);
        pending.relations(c, REL_SERVICE_ORGANISATION, &r.code, &r.organisations, old)?;
        pending.relations(c, REL_SERVICE_LIFE_EVENT, &r.code, &r.life_events, old)?;
        pending.relations(c, REL_SERVICE_EVIDENCE, &r.code, &r.evidence, old)?;
        pending.relations(c, REL_SERVICE_OUTPUT, &r.code, &r.outputs, old)?;
        pending
            .channels
            .extend(r.channels.iter().map(|ch| ChannelRow::from_domain(&r.code, ch)));
        pending.revision(c, r, v, a, meta, now)?;
    }
    insert_new!(c, services, new_rows);
    let mut new_rows = Vec::new();
    for r in &incoming.exchange_links {
        let k = EntityKind::ExchangeLink;
        let Some((a, old, v)) = step(k, &r.code) else { continue };
        save_row!(c, exchange_links, ExchangeLinkRow::from_domain(r, v, now), k, &r.code, old, new_rows);
        pending.revision(c, r, v, a, meta, now)?;
    }
    insert_new!(c, exchange_links, new_rows);
    pending.spill(c, 0)?;
    count_leads(c, &pending.led)?;
    let changes: Vec<Change> = plan.changes;
    Ok(ImportReport { changes })
}

/// Counts again, in `round_leads`, the leading organisations of the rounds whose scopes name
/// any of `services` (whose organisations were just written): who each round is about stays
/// as its services are (`Store::published_rounds_leads`). Rows in the same transaction as
/// the services, once per import: a first import, before any round, reads one row.
fn count_leads(c: &mut Conn, services: &[String]) -> Result<(), StoreError> {
    use diesel::dsl::exists;
    let any_round = exists(round_scope::table.select(round_scope::round_code));
    if services.is_empty() || !diesel::select(any_round).get_result::<bool>(c)? {
        return Ok(());
    }
    let mut rounds: BTreeSet<String> = BTreeSet::new();
    for chunk in services.chunks(CODES_PER_QUERY) {
        rounds.extend(
            round_scope::table
                .filter(round_scope::service_code.eq_any(chunk))
                .select(round_scope::round_code)
                .distinct()
                .load::<String>(c)?,
        );
    }
    for round in rounds {
        // The scope's services, then their leads through the relations' primary key (kind,
        // from): two indexed reads, where a join let SQLite, without statistics, scan every
        // lead of the registry once per round.
        let scope: Vec<String> = round_scope::table
            .filter(round_scope::round_code.eq(&round))
            .select(round_scope::service_code)
            .load(c)?;
        let mut leads: BTreeMap<String, i32> = BTreeMap::new();
        for chunk in scope.chunks(CODES_PER_QUERY) {
            for organisation in relations::table
                .filter(relations::kind.eq(REL_SERVICE_ORGANISATION))
                .filter(relations::from_code.eq_any(chunk))
                .filter(relations::position.eq(0))
                .select(relations::to_code)
                .load::<String>(c)?
            {
                *leads.entry(organisation).or_default() += 1;
            }
        }
        diesel::delete(round_leads::table.filter(round_leads::round_code.eq(&round))).execute(c)?;
        let rows: Vec<_> = leads
            .into_iter()
            .map(|(organisation, n)| {
                (
                    round_leads::round_code.eq(round.clone()),
                    round_leads::organisation_code.eq(organisation),
                    round_leads::services.eq(n),
                )
            })
            .collect();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            diesel::insert_into(round_leads::table).values(chunk).execute(c)?;
        }
    }
    Ok(())
}

/// Every saved state of one record, oldest first.
pub fn history(c: &mut Conn, kind: EntityKind, code: &str) -> Result<Vec<Revision>, StoreError> {
    let rows = revisions::table
        .filter(revisions::entity_kind.eq(kind.as_str()))
        .filter(revisions::entity_code.eq(code))
        .order(revisions::version)
        .select(RevisionRow::as_select())
        .load(c)?;
    rows.into_iter()
        .map(|r| {
            let snapshot = serde_json::from_str(&r.snapshot).map_err(|e| {
                StoreError::Corrupt(format!("revision {} {} {}: {e}", r.entity_kind, r.entity_code, r.version))
            })?;
            Ok(Revision {
                kind: r.entity_kind,
                code: r.entity_code,
                version: r.version,
                action: r.action,
                author: r.author,
                reason: crate::rows::stored_text(Some(&r.reason)),
                created_at: r.created_at,
                snapshot,
            })
        })
        .collect()
}
