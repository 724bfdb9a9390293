//! The Commission's benchmark workbook as egovwatch records: the registry (countries, the nine
//! benchmark life events, services per country and data collection, channels per evaluated
//! URL) and one published round per country and data collection on `eu-egov-benchmark-2020`,
//! with every answer and the cell it came from as its evidence.
//!
//! The mapping is pure and deterministic: the same workbook gives the same records, so
//! importing it twice changes nothing. Every problem is reported as `sheet!cell: what is wrong`
//! and nothing is returned while there is one.
//!
//! Codes: a country is its EU code (`AT`); a life event `EU-FAM`; a service
//! `AT-2022-FAM-1.2` (country, data collection, life event, the number of its label, which is
//! unique per life event); a life event's portals `AT-2022-FAM-PORTAL`; the k-th evaluated URL
//! of a service `…-N01` (national) or `…-X01` (cross-border), in the workbook's row order (the
//! same URL may be evaluated several times, so the URL is not a key). A round is
//! `EU-2022-AT`.

use crate::eu_benchmark::{
    Answer, Cell, GovernmentLevel, Perspective, PortalRow, ServiceRow, UrlRow, Workbook,
};
use crate::location::{ImportError, Located};
use egovwatch_domain::monitoring::{
    self, AUTOMATED, AnswerRules, Assessment, AssessmentSource, KINDS, NOT_APPLICABLE, Round,
    RoundState,
};
use egovwatch_domain::scoring::Framework;
use egovwatch_domain::{
    Audience, Channel, ChannelType, Code, EuLifeEvent, Lang, LifeEvent, Organisation,
    OrganisationType, Provenance, Registry, Service, ServiceStatus, Status, Text,
};
use std::collections::BTreeMap;

/// The framework the benchmark's rounds are scored on.
pub const FRAMEWORK: &str = "eu-egov-benchmark-2020";

/// Who answered, as recorded with every imported answer.
pub const ASSESSOR: &str = "European Commission, eGovernment Benchmark";

/// The life events of the benchmark's data collections 2021 and 2022: (code suffix, name in
/// the workbook's sheets 3-6, name in sheet 1, nearest EU life event, business event).
pub const LIFE_EVENTS: [(&str, &str, &str, EuLifeEvent, bool); 9] = [
    (
        "BSU",
        "Business Start-up",
        "Business Start-up",
        EuLifeEvent::Stbu,
        true,
    ),
    ("FAM", "Family", "Family", EuLifeEvent::Bir, false),
    ("CAR", "Career", "Career", EuLifeEvent::Wor, false),
    ("STU", "Studying", "Studying", EuLifeEvent::Stu, false),
    (
        "RBO",
        "Economic",
        "Regular business operations",
        EuLifeEvent::Rubu,
        true,
    ),
    ("TRA", "Transport", "Transport", EuLifeEvent::Drv, false),
    ("JUS", "Justice", "Justice", EuLifeEvent::Fcr, false),
    ("MOV", "Moving", "Moving", EuLifeEvent::Mov, false),
    ("HEA", "Health", "Health", EuLifeEvent::Fehp, false),
];

/// The 35 countries of the benchmark (EU codes; `EL` is Greece).
pub const COUNTRIES: [(&str, &str); 35] = [
    ("AL", "Albania"),
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("CH", "Switzerland"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("EE", "Estonia"),
    ("EL", "Greece"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("HR", "Croatia"),
    ("HU", "Hungary"),
    ("IE", "Ireland"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("ME", "Montenegro"),
    ("MK", "North Macedonia"),
    ("MT", "Malta"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("RS", "Serbia"),
    ("SE", "Sweden"),
    ("SI", "Slovenia"),
    ("SK", "Slovakia"),
    ("TR", "Türkiye"),
];

/// The published service columns of sheets 3a and 4a and the unit-level node each one is.
pub const SERVICE_COLUMNS: [(&str, &str); 9] = [
    ("Online availability", "online_availability"),
    ("Mobile Friendliness", "mobile_friendliness"),
    ("Service delivery", "service_delivery"),
    ("eID", "eid"),
    ("eDocuments", "edocuments"),
    ("Pre-filed forms", "authentic_sources"),
    ("Online availability score", "cb_online_availability"),
    ("eID score", "cb_eid"),
    ("eDocuments score", "cb_edocuments"),
];

/// The cross-border barriers (`G3_1` … `G3_7`) as options of the framework's `G3`.
const BARRIERS: [(&str, &str); 7] = [
    ("G3_1", "national_eid_required"),
    ("G3_2", "foreign_documents_refused"),
    ("G3_3", "translation_or_recognition"),
    ("G3_4", "no_english"),
    ("G3_5", "poor_translation"),
    ("G3_6", "no_information_for_foreigners"),
    ("G3_7", "physical_presence"),
];

/// One round of the benchmark: a country in one data collection.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkRound {
    pub country: String,
    pub year: u16,
    pub round: Round,
    pub answers: Vec<Assessment>,
}

/// The workbook as records.
#[derive(Debug, Clone, PartialEq)]
pub struct Records {
    pub registry: Registry,
    pub rounds: Vec<BenchmarkRound>,
    /// Published service values a proactive service has in place of the proactive rule's
    /// (imported as `@value:` answers): (service, node, value, cell).
    pub set_values: Vec<(String, String, Option<f64>, Cell)>,
}

/// The life event (code suffix, sheet-1 name) of a name used in sheets 3-6.
pub fn life_event(sheet_name: &str) -> Option<(&'static str, &'static str)> {
    LIFE_EVENTS
        .iter()
        .find(|l| l.1 == sheet_name.trim())
        .map(|l| (l.0, l.2))
}

/// The code of a life event by its suffix (`FAM` → `EU-FAM`).
pub fn life_event_code(suffix: &str) -> String {
    format!("EU-{suffix}")
}

/// The round of a country's data collection.
pub fn round_code(country: &str, year: u16) -> String {
    format!("EU-{year}-{country}")
}

struct Problems(Vec<Located>);

impl Problems {
    fn at(&mut self, cell: Cell, message: impl Into<String>) {
        self.0.push(Located {
            location: None,
            field: Some(cell.to_string()),
            message: message.into(),
        });
    }
}

/// The key of a service in the workbook: country, year, life event (suffix), label number.
type Key = (String, u16, &'static str, String);

/// Maps a workbook onto registry records and rounds; `fw` is the EU framework the answers are
/// checked against.
pub fn records(wb: &Workbook, fw: &Framework) -> Result<Records, ImportError> {
    let mut bad = Problems(Vec::new());
    let source = Provenance::Imported("European Commission, eGovernment Benchmark 2023".into());
    let mut registry = Registry::default();
    let country_name = |c: &str| COUNTRIES.iter().find(|(k, _)| *k == c).map(|(_, n)| *n);

    // Services: one per (country, year, life event, label number), national and
    // cross-border rows of the same label being one service.
    let mut services: BTreeMap<Key, (Service, Vec<&ServiceRow>)> = BTreeMap::new();
    let mut countries: std::collections::BTreeSet<String> = Default::default();
    for row in &wb.services {
        let Some(key) = key_of(
            &mut bad,
            row.at,
            &row.country,
            row.year,
            &row.life_event,
            &row.label,
        ) else {
            continue;
        };
        if country_name(&row.country).is_none() {
            bad.at(
                row.at,
                format!("{:?} is not a country of the benchmark", row.country),
            );
            continue;
        }
        countries.insert(row.country.clone());
        let code = service_code(&key);
        let Ok(code) = Code::parse(&code) else {
            bad.at(row.at, format!("{code:?} cannot be a service code"));
            continue;
        };
        let entry = services.entry(key.clone()).or_insert_with(|| {
            let name = row.label.trim();
            let name = name.split_once(' ').map_or(name, |(_, n)| n.trim());
            let business = LIFE_EVENTS.iter().any(|l| l.0 == key.2 && l.4);
            (
                Service {
                    code,
                    name: Text::new().with(Lang::En, name),
                    description: Text::new().with(Lang::En, row.definition.trim()),
                    status: ServiceStatus::Active,
                    audience: vec![if business {
                        Audience::Business
                    } else {
                        Audience::Citizen
                    }],
                    organisations: Code::parse(&row.country).into_iter().collect(),
                    life_events: Code::parse(&life_event_code(key.2)).into_iter().collect(),
                    evidence: Vec::new(),
                    outputs: Vec::new(),
                    channels: Vec::new(),
                    provenance: source.clone(),
                },
                Vec::new(),
            )
        });
        if entry.1.iter().any(|r| r.perspective == row.perspective) {
            bad.at(
                row.at,
                format!(
                    "{} {} is listed twice in {}",
                    row.country,
                    row.label.trim(),
                    row.year
                ),
            );
            continue;
        }
        entry.1.push(row);
    }
    // Evaluated URLs, in row order, numbered per service and perspective.
    let mut urls: BTreeMap<Key, Vec<&UrlRow>> = BTreeMap::new();
    for row in &wb.urls {
        let Some(key) = key_of(
            &mut bad,
            row.at,
            &row.country,
            row.year,
            &row.life_event,
            &row.label,
        ) else {
            continue;
        };
        match services.get(&key) {
            Some((_, rows)) if rows.iter().any(|r| r.perspective == row.perspective) => {
                urls.entry(key).or_default().push(row);
            }
            _ => bad.at(
                row.at,
                format!(
                    "{} {} ({}, {}) has no row in the {} results sheet",
                    row.country,
                    row.label.trim(),
                    row.year,
                    row.perspective.as_str(),
                    row.perspective.as_str()
                ),
            ),
        }
    }
    // Portals: one record per (country, year, life event) with a channel per portal page.
    let mut portals: BTreeMap<(String, u16, &'static str), Vec<&PortalRow>> = BTreeMap::new();
    for row in &wb.portals {
        let Some((le, _)) = life_event(&row.life_event) else {
            bad.at(
                row.at,
                format!("{:?} is not a life event of the benchmark", row.life_event),
            );
            continue;
        };
        if country_name(&row.country).is_none() {
            bad.at(
                row.at,
                format!("{:?} is not a country of the benchmark", row.country),
            );
            continue;
        }
        portals
            .entry((row.country.clone(), row.year, le))
            .or_default()
            .push(row);
    }

    for country in &countries {
        let (Ok(code), Some(name)) = (Code::parse(country), country_name(country)) else {
            continue;
        };
        registry.organisations.push(Organisation {
            code,
            name: Text::new().with(Lang::En, name),
            org_type: OrganisationType::Other,
            parent: None,
            status: Status::Active,
            provenance: source.clone(),
        });
    }
    for (order, (suffix, _, name, eu, _)) in LIFE_EVENTS.iter().enumerate() {
        if let Ok(code) = Code::parse(&life_event_code(suffix)) {
            registry.life_events.push(LifeEvent {
                code,
                name: Text::new().with(Lang::En, *name),
                description: Text::new(),
                journey_order: order as i32 + 1,
                eu_code: *eu,
                status: Status::Active,
                provenance: source.clone(),
            });
        }
    }

    let mut rounds: BTreeMap<(String, u16), Vec<Assessment>> = BTreeMap::new();
    let mut set_values = Vec::new();
    for (key, (service, rows)) in &mut services {
        let answers = rounds.entry((key.0.clone(), key.1)).or_default();
        let code = service.code.as_str().to_string();
        for row in rows.iter() {
            landscaping(answers, &code, row);
            set_values.extend(published_values(answers, fw, &code, row));
        }
        let mut numbered: BTreeMap<Perspective, usize> = BTreeMap::new();
        for row in urls.get(key).map(Vec::as_slice).unwrap_or_default() {
            let n = numbered.entry(row.perspective).or_default();
            *n += 1;
            let channel = channel(
                &mut service.channels,
                &code,
                row.perspective,
                *n,
                &row.url,
                &source,
            );
            url_answers(&mut bad, answers, fw, &code, &channel, row);
        }
        service.channels.sort_by(|a, b| a.code.cmp(&b.code));
    }
    let mut portal_services = Vec::new();
    for ((country, year, le), rows) in &portals {
        let code = format!("{country}-{year}-{le}-PORTAL");
        let Ok(parsed) = Code::parse(&code) else {
            continue;
        };
        let name = LIFE_EVENTS.iter().find(|l| l.0 == *le).map_or("", |l| l.2);
        let mut service = Service {
            code: parsed,
            name: Text::new().with(Lang::En, format!("{name}: life-event portals")),
            description: Text::new(),
            status: ServiceStatus::Active,
            audience: Vec::new(),
            organisations: Code::parse(country).into_iter().collect(),
            life_events: Code::parse(&life_event_code(le)).into_iter().collect(),
            evidence: Vec::new(),
            outputs: Vec::new(),
            channels: Vec::new(),
            provenance: source.clone(),
        };
        let answers = rounds.entry((country.clone(), *year)).or_default();
        let mut numbered: BTreeMap<Perspective, usize> = BTreeMap::new();
        for row in rows {
            if !numbered.contains_key(&row.perspective) {
                answers.push(landscape(&code, row.perspective, KINDS, "portal", row.at));
            }
            let n = numbered.entry(row.perspective).or_default();
            *n += 1;
            let channel = channel(
                &mut service.channels,
                &code,
                row.perspective,
                *n,
                &row.url,
                &source,
            );
            for (question, answer) in &row.answers {
                answer_of(
                    &mut bad,
                    answers,
                    fw,
                    &code,
                    &channel,
                    row.perspective,
                    question,
                    *answer,
                    &row.url,
                    row.at,
                );
            }
        }
        service.channels.sort_by(|a, b| a.code.cmp(&b.code));
        portal_services.push(service);
    }
    registry.services = services.into_values().map(|(s, _)| s).collect();
    registry.services.extend(portal_services);
    registry.sort();

    if !bad.0.is_empty() {
        return Err(ImportError(bad.0));
    }
    let rounds: Vec<BenchmarkRound> = rounds
        .into_iter()
        .map(|((country, year), answers)| {
            let mut scope: Vec<String> = registry
                .services
                .iter()
                .filter(|s| s.code.as_str().starts_with(&format!("{country}-{year}-")))
                .map(|s| s.code.as_str().to_string())
                .collect();
            scope.sort();
            let name = country_name(&country).unwrap_or_default();
            let end = format!("{year}-12-31");
            let mut round = Round::open(
                &round_code(&country, year),
                english(format!(
                    "eGovernment Benchmark, data collection {year}: {name}"
                )),
                fw,
                (&format!("{year}-01-01"), &end),
                scope,
                &end,
            );
            round.state = RoundState::Published;
            round.closed_at = Some(end.clone());
            round.published_at = Some(end);
            BenchmarkRound {
                country,
                year,
                round,
                answers,
            }
        })
        .collect();
    // Every answer follows the rules of any other round's answers.
    let mut broken = Vec::new();
    for r in &rounds {
        let rules = AnswerRules::new(fw, &registry, &r.round);
        for a in &r.answers {
            for (field, message) in rules.problems(a) {
                broken.push(Located {
                    location: None,
                    field: Some(format!(
                        "{} {}: {field}",
                        a.evidence_note.get(Lang::En).unwrap_or(&a.service),
                        a.question
                    )),
                    message,
                });
            }
        }
    }
    if !broken.is_empty() {
        return Err(ImportError(broken));
    }
    Ok(Records {
        registry,
        rounds,
        set_values,
    })
}

fn key_of(
    bad: &mut Problems,
    at: Cell,
    country: &str,
    year: u16,
    life_event_name: &str,
    label: &str,
) -> Option<Key> {
    let Some((le, _)) = life_event(life_event_name) else {
        bad.at(
            at,
            format!("{life_event_name:?} is not a life event of the benchmark"),
        );
        return None;
    };
    let number = label.trim().split(' ').next().unwrap_or_default();
    let numbered = !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        && number.chars().next().is_some_and(|c| c.is_ascii_digit());
    if !numbered {
        bad.at(
            at,
            format!("service label {label:?} does not start with its number (`1.2 …`)"),
        );
        return None;
    }
    Some((country.to_string(), year, le, number.to_string()))
}

fn service_code(key: &Key) -> String {
    format!("{}-{}-{}-{}", key.0, key.1, key.2, key.3)
}

fn perspective_letter(p: Perspective) -> char {
    match p {
        Perspective::National => 'N',
        Perspective::CrossBorder => 'X',
    }
}

/// A URL cell as a web address; none for what is not one (`Proactive`, notes).
fn web_address(url: &str) -> Option<String> {
    let url = url.trim();
    (url.starts_with("http://") || url.starts_with("https://"))
        .then(|| url.to_string())
        .filter(|u| egovwatch_domain::validate::url_error(u).is_none())
}

/// The channel of the n-th evaluated page of a service from one perspective.
fn channel(
    channels: &mut Vec<Channel>,
    service: &str,
    perspective: Perspective,
    n: usize,
    url: &str,
    source: &Provenance,
) -> String {
    let code = format!("{service}-{}{n:02}", perspective_letter(perspective));
    let url = web_address(url);
    if let Ok(c) = Code::parse(&code) {
        channels.push(Channel {
            code: c,
            channel_type: ChannelType::WebPage,
            url,
            e_id: false,
            e_signature: false,
            e_payment: false,
            electronic_output: false,
            status: Status::Active,
            provenance: source.clone(),
        });
    }
    code
}

fn landscape(
    service: &str,
    perspective: Perspective,
    question: &str,
    answer: &str,
    at: Cell,
) -> Assessment {
    Assessment {
        service: service.to_string(),
        channel: None,
        perspective,
        question: question.to_string(),
        answer: answer.to_string(),
        evidence_url: None,
        evidence_note: english(format!("as published by the European Commission ({at})")),
        evidence_hash: None,
        assessor: ASSESSOR.to_string(),
        assessed_at: "2023-01-01".to_string(),
        source: AssessmentSource::Manual,
        correction: None,
        revision: 0,
    }
}

/// Service type, government level, proactive and applicable, from a results row.
fn landscaping(answers: &mut Vec<Assessment>, service: &str, row: &ServiceRow) {
    let mut kinds = vec![if row.transactional {
        "transactional"
    } else {
        "informational"
    }];
    kinds.extend(row.level.map(GovernmentLevel::as_str));
    let p = row.perspective;
    answers.push(landscape(service, p, KINDS, &kinds.join(","), row.at));
    answers.push(landscape(
        service,
        p,
        AUTOMATED,
        if row.proactive { "yes" } else { "no" },
        row.at,
    ));
    answers.push(landscape(
        service,
        p,
        NOT_APPLICABLE,
        if row.applicable { "no" } else { "yes" },
        row.at,
    ));
}

/// The published values of a proactive service that its landscaping does not give: the
/// Commission sets a proactive service's scores itself (100 where the service is scored), and
/// where it published something else, that value is imported as the service's set value.
fn published_values(
    answers: &mut Vec<Assessment>,
    fw: &Framework,
    service: &str,
    row: &ServiceRow,
) -> Vec<(String, String, Option<f64>, Cell)> {
    let mut out = Vec::new();
    if !(row.proactive && row.applicable) {
        return out;
    }
    for (column, cell, value) in &row.published {
        let Some(&(_, node)) = SERVICE_COLUMNS.iter().find(|(c, _)| c == column) else {
            continue;
        };
        let Some(i) = fw.node_index(node) else {
            continue;
        };
        let rule = fw.nodes[i].automated;
        let scored = row.transactional
            || matches!(
                node,
                "online_availability" | "mobile_friendliness" | "cb_online_availability"
            );
        let expected = if scored { rule } else { None };
        if *value != expected {
            let text = value.map_or("none".to_string(), |v| v.to_string());
            let mut a = landscape(
                service,
                row.perspective,
                &format!("{}{node}", monitoring::VALUE),
                &text,
                *cell,
            );
            a.evidence_note = english(format!(
                "the Commission published {} for this proactive service where its rule gives {} ({cell})",
                value.map_or("no score".to_string(), |v| v.to_string()),
                expected.map_or("no score".to_string(), |v| v.to_string()),
            ));
            answers.push(a);
            out.push((service.to_string(), node.to_string(), *value, *cell));
        }
    }
    out
}

/// The answers of one evaluated page.
fn url_answers(
    bad: &mut Problems,
    answers: &mut Vec<Assessment>,
    fw: &Framework,
    service: &str,
    channel: &str,
    row: &UrlRow,
) {
    let mut barriers = Vec::new();
    for (question, answer) in &row.answers {
        if let Some(&(_, option)) = BARRIERS.iter().find(|(q, _)| q == question) {
            if *answer == Answer::Yes {
                barriers.push(option);
            }
            continue;
        }
        answer_of(
            bad,
            answers,
            fw,
            service,
            channel,
            row.perspective,
            question,
            *answer,
            &row.url,
            row.at,
        );
    }
    if row.note.is_some() {
        barriers.push("other");
    }
    if !barriers.is_empty() {
        let mut a = landscape(service, row.perspective, "G3", &barriers.join("|"), row.at);
        a.channel = Some(channel.to_string());
        a.evidence_note = english(match &row.note {
            Some(n) => format!("{n} ({})", row.at),
            None => format!("{}", row.at),
        });
        answers.push(a);
    }
}

/// One answer of a page, as the framework's question takes it.
#[allow(clippy::too_many_arguments)]
fn answer_of(
    bad: &mut Problems,
    answers: &mut Vec<Assessment>,
    fw: &Framework,
    service: &str,
    channel: &str,
    perspective: Perspective,
    question: &str,
    answer: Answer,
    url: &str,
    at: Cell,
) {
    let Some(q) = fw.question_index(question) else {
        bad.at(
            at,
            format!("question {question} is not in framework {}", fw.id),
        );
        return;
    };
    let text = match (answer, question) {
        (Answer::Yes, _) => "yes".to_string(),
        (Answer::No, _) => "no".to_string(),
        (Answer::NotRelevant, _) => "NR".to_string(),
        // Not assessed on this page: no answer.
        (Answer::NotApplicable, _) => return,
        (Answer::Number(100.0), "MF") => "yes".to_string(),
        (Answer::Number(0.0), "MF") => "no".to_string(),
        (Answer::Number(v), _) if v.fract() == 0.0 && (0.0..=100.0).contains(&v) => {
            format!("{v}")
        }
        (Answer::Number(v), _) => {
            bad.at(
                at,
                format!("{question}: {v} is not an answer the method knows"),
            );
            return;
        }
    };
    if let Err(e) = fw.parse_answer(q, &text) {
        bad.at(at, e);
        return;
    }
    answers.push(Assessment {
        service: service.to_string(),
        channel: Some(channel.to_string()),
        perspective,
        question: question.to_string(),
        answer: text,
        evidence_url: web_address(url),
        evidence_note: english(format!("{at}")),
        evidence_hash: None,
        assessor: ASSESSOR.to_string(),
        assessed_at: "2023-01-01".to_string(),
        source: if question == "MF" {
            AssessmentSource::Automatic
        } else {
            AssessmentSource::Manual
        },
        correction: None,
        revision: 0,
    });
}

/// A note of the import: the workbook and its comments are in English.
fn english(note: String) -> Text {
    Text::new().with(Lang::En, note)
}
