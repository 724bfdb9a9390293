//! The Commission's eGovernment Benchmark workbook: imported into the registry and rounds, and
//! replayed (every round scored and compared with the scores the workbook publishes).

use crate::error::{Error, Result};
use crate::rounds;
use egovwatch_domain::monitoring::{Perspective, ScoredRound};
use egovwatch_domain::scoring::{Framework, round_to, window_mean};
use egovwatch_interop::eu_benchmark::{self, Cell, Workbook};
use egovwatch_interop::eu_registry::{self, LIFE_EVENTS, SERVICE_COLUMNS};
use egovwatch_store::{ChangeMeta, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// Reads a workbook file; every unreadable cell is reported.
pub fn read(path: &std::path::Path) -> Result<Workbook> {
    let bytes = crate::error::read(path)?;
    let name = path.display().to_string();
    Ok(eu_benchmark::read(&name, &bytes)?)
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    pub countries: usize,
    pub services: usize,
    pub channels: usize,
    pub answers: usize,
    pub rounds_new: usize,
    pub rounds_unchanged: usize,
    /// What happened to the registry's records (created, updated, withdrawn, unchanged).
    pub registry: String,
    /// Published values of proactive services imported as set values: (service, node, value,
    /// cell).
    pub set_values: Vec<(String, String, Option<f64>, String)>,
}

/// Imports a workbook: the registry records and one published round per country and data
/// collection, all in one transaction. The same workbook imported again changes nothing.
pub fn import(store: &Store, wb: &Workbook, meta: &ChangeMeta) -> Result<Imported> {
    let fw = rounds::framework(eu_registry::FRAMEWORK)?;
    let records = eu_registry::records(wb, &fw)?;
    let incoming: Vec<_> = records
        .rounds
        .iter()
        .map(|r| (r.round.clone(), r.answers.clone()))
        .collect();
    let (report, created) = store.import_rounds(&records.registry, meta, &incoming)?;
    // The rounds come published: their results are stored as a publication stores them.
    rounds::ensure_results(store)?;
    let counts = report.counts();
    Ok(Imported {
        countries: records.registry.organisations.len(),
        services: records.registry.services.len(),
        channels: records
            .registry
            .services
            .iter()
            .map(|s| s.channels.len())
            .sum(),
        answers: incoming.iter().map(|(_, a)| a.len()).sum(),
        rounds_new: created.iter().filter(|c| **c).count(),
        rounds_unchanged: created.iter().filter(|c| !**c).count(),
        registry: counts.to_string(),
        set_values: records
            .set_values
            .into_iter()
            .map(|(s, n, v, c)| (s, n, v, c.to_string()))
            .collect(),
    })
}

/// How many published values of one level the replay matched.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LevelResult {
    pub level: &'static str,
    pub compared: usize,
    pub equal_at_published_precision: usize,
    pub equal_unrounded: usize,
}

impl LevelResult {
    /// A level with nothing compared yet.
    fn none(level: &'static str) -> LevelResult {
        LevelResult {
            level,
            compared: 0,
            equal_at_published_precision: 0,
            equal_unrounded: 0,
        }
    }
}

/// A published value the replay does not reproduce exactly.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Difference {
    pub level: &'static str,
    /// Country, round or service, and the node (`AT/EU-2022-AT/Family/le_eid`).
    pub path: String,
    pub cell: String,
    pub published: Option<f64>,
    pub computed: Option<f64>,
}

/// The replay of a workbook against what was imported from it.
#[derive(Debug, Clone, Serialize)]
pub struct Replay {
    pub levels: Vec<LevelResult>,
    /// Worst first.
    pub differences: Vec<Difference>,
}

/// The published precision: one decimal (the Method Paper's rounding of official scores).
pub const PUBLISHED_DECIMALS: u32 = 1;

/// The levels compared, in order.
pub const LEVELS: [&str; 6] = [
    "service",
    "indicator",
    "benchmark",
    "life_event",
    "country",
    "biennial",
];

/// The sheet-1 indicator rows and the framework node each one is, per life event.
pub const INDICATORS: [(&str, &str); 19] = [
    ("0. OVERALL SCORE", "life_event_score"),
    ("1. User centricity", "user_centricity"),
    ("1.1 Online availability", "le_online_availability"),
    ("1.2 Mobile friendliness", "le_mobile_friendliness"),
    ("1.3 User support", "le_user_support"),
    ("2. Transparency", "transparency"),
    (
        "2.1 Transparency of service delivery",
        "le_service_delivery",
    ),
    ("2.2 Transparency of personal data", "le_personal_data"),
    ("2.3 Transparency of service design", "le_service_design"),
    ("3. Key Enablers", "key_enablers"),
    ("3.1 eID", "le_eid"),
    ("3.2 eDocuments", "le_edocuments"),
    ("3.3 Pre-filled forms", "le_authentic_sources"),
    ("3.4 Digital Post", "le_digital_post"),
    ("4. Cross-border services", "cross_border"),
    (
        "4.1 Cross-border online availability",
        "le_cb_online_availability",
    ),
    ("4.2 Cross-border user support", "le_cb_user_support"),
    ("4.3 Cross-border eID", "le_cb_eid"),
    ("4.4 Cross-border eDocuments", "le_cb_edocuments"),
];

/// The level of a sheet-1 indicator row: the overall score is the life event's, `N.` rows are
/// the four benchmarks, `N.M` rows their indicators.
fn indicator_level(row: &str) -> &'static str {
    let number = row.split(' ').next().unwrap_or_default();
    if number == "0." {
        "life_event"
    } else if number.trim_end_matches('.').contains('.') {
        "indicator"
    } else {
        "benchmark"
    }
}

struct Tally {
    levels: BTreeMap<&'static str, LevelResult>,
    differences: Vec<Difference>,
}

impl Tally {
    fn compare(
        &mut self,
        level: &'static str,
        path: String,
        cell: Cell,
        published: Option<f64>,
        computed: Option<f64>,
    ) {
        if published.is_none() && computed.is_none() {
            return;
        }
        let l = self
            .levels
            .entry(level)
            .or_insert_with(|| LevelResult::none(level));
        l.compared += 1;
        let (rounded, exact) = match (published, computed) {
            (Some(p), Some(c)) => (
                round_to(p, PUBLISHED_DECIMALS) == round_to(c, PUBLISHED_DECIMALS),
                (p - c).abs() < 1e-9,
            ),
            _ => (false, false),
        };
        l.equal_at_published_precision += usize::from(rounded);
        l.equal_unrounded += usize::from(exact);
        if !exact {
            self.differences.push(Difference {
                level,
                path,
                cell: cell.to_string(),
                published,
                computed,
            });
        }
    }
}

/// Scores every benchmark round in the store and compares it with the workbook's published
/// scores: every service value of sheets 3a and 4a, and per country the life-event
/// indicators, benchmarks and scores, the year averages and the biennial average of sheet 1.
pub fn replay(store: &Store, wb: &Workbook) -> Result<Replay> {
    let registry = std::sync::Arc::new(store.registry()?);
    let mut scored: BTreeMap<(String, u16), (Framework, ScoredRound)> = BTreeMap::new();
    let mut keys: Vec<(String, u16)> = wb
        .services
        .iter()
        .map(|s| (s.country.clone(), s.year))
        .collect();
    keys.sort();
    keys.dedup();
    for (country, year) in keys {
        let code = eu_registry::round_code(&country, year);
        let loaded = match rounds::load_on(store, &code, registry.clone()) {
            Err(Error::NoRound(_) | Error::NoRoundLike { .. }) => {
                return Err(Error::NotImported(code));
            }
            other => other?,
        };
        scored.insert((country, year), (loaded.fw, loaded.scored));
    }
    let mut tally = Tally {
        levels: BTreeMap::new(),
        differences: Vec::new(),
    };
    // Services.
    for row in &wb.services {
        let Some(((fw, s), (le, _))) = scored
            .get(&(row.country.clone(), row.year))
            .zip(eu_registry::life_event(&row.life_event))
        else {
            continue;
        };
        let number = row.label.trim().split(' ').next().unwrap_or_default();
        let service = format!("{}-{}-{le}-{number}", row.country, row.year);
        let unit = s.unit_from(&service, row.perspective);
        for (column, cell, published) in &row.published {
            let Some(node) = SERVICE_COLUMNS
                .iter()
                .find(|(c, _)| c == column)
                .and_then(|(_, n)| fw.node_index(n))
            else {
                continue;
            };
            let computed = unit.and_then(|u| s.scores.unit_value(node, u));
            let path = format!(
                "{service}{}/{}",
                if row.perspective == Perspective::CrossBorder {
                    " (cross-border)"
                } else {
                    ""
                },
                fw.nodes[node].id
            );
            tally.compare("service", path, *cell, *published, computed);
        }
    }
    // Sheet 1: per life event and year, the year averages and the biennial.
    for p in &wb.published {
        let Some(&(_, node)) = INDICATORS.iter().find(|(row, _)| *row == p.indicator) else {
            continue;
        };
        let of_year = |year: u16| scored.get(&(p.country.clone(), year));
        let group_values = |year: u16| -> Option<&[f64]> {
            let (fw, s) = of_year(year)?;
            Some(s.life_event_values(fw.node_index(node)?))
        };
        let column = p.column.as_str();
        let path = |what: &str| format!("{}/{what}/{node}", p.country);
        if let Some(year) = column
            .strip_prefix("Average (")
            .and_then(|y| y.strip_suffix(')'))
            .and_then(|y| y.parse::<u16>().ok())
        {
            if let Some(values) = group_values(year) {
                let v = window_mean(&[values]);
                tally.compare("country", path(column), p.at, Some(p.value), v);
            }
        } else if column == "Biennial average 2021 + 2022" {
            if let (Some(a), Some(b)) = (group_values(2021), group_values(2022)) {
                let v = window_mean(&[a, b]);
                tally.compare("biennial", path(column), p.at, Some(p.value), v);
            }
        } else if let Some((name, year)) = column
            .strip_suffix(')')
            .and_then(|c| c.rsplit_once(" ("))
            .and_then(|(n, y)| Some((n, y.parse::<u16>().ok()?)))
            && let Some(le) = LIFE_EVENTS.iter().find(|l| l.2 == name)
            && let Some((fw, s)) = of_year(year)
        {
            let code = eu_registry::life_event_code(le.0);
            let computed = s
                .life_events
                .iter()
                .position(|c| *c == code)
                .zip(fw.node_index(node))
                .and_then(|(k, n)| s.life_event_values(n).get(k).copied())
                .filter(|v| !v.is_nan());
            let level = indicator_level(&p.indicator);
            tally.compare(level, path(column), p.at, Some(p.value), computed);
        }
    }
    let mut differences = tally.differences;
    let gap = |d: &Difference| match (d.published, d.computed) {
        (Some(a), Some(b)) => (a - b).abs(),
        _ => f64::INFINITY,
    };
    differences.sort_by(|a, b| gap(b).total_cmp(&gap(a)).then_with(|| a.path.cmp(&b.path)));
    let levels = LEVELS
        .iter()
        .map(|l| {
            tally
                .levels
                .remove(l)
                .unwrap_or_else(|| LevelResult::none(l))
        })
        .collect();
    Ok(Replay {
        levels,
        differences,
    })
}
