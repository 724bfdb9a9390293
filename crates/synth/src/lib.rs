//! Synthetic data: many countries, each with its organisations and services across the life
//! events, and rounds of answers on the EU eGovernment Benchmark (ten answers per transactional
//! service, four per informational one) and on the `stages` ladder.
//!
//! Everything is a pure function of the parameters and the seed, so the benchmark, the
//! `egovwatch synth` command and the CSV given to other tools hold exactly the same data.
//! Names mix Azerbaijani, English and Russian text (with ə, ğ, ı, İ, ö, ş, ü, ç) so search and
//! folding are exercised too.

use egovwatch_domain::monitoring::{Assessment, AssessmentSource, KINDS};
use egovwatch_domain::scoring::{Answer, Evidence, Framework, Grouping, UnitFlags};
use egovwatch_domain::{Lang, Records, Registry, Text};
use serde_json::json;

#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub countries: usize,
    /// Services per country.
    pub services: usize,
    pub rounds: usize,
    pub seed: u64,
}

/// Questions answered per service on the EU framework: transactional services all eleven,
/// informational ones the first four.
pub const QUESTIONS: [&str; 11] = [
    "A1", "A2", "A3", "MF", "C1", "C2", "C3", "C4", "C5", "C6", "C7",
];
pub const INFORMATIONAL_QUESTIONS: usize = 4;

/// (code, az, en, ru, EU life-event code), as in the demo registry.
const LIFE_EVENTS: [(&str, &str, &str, &str, &str); 11] = [
    (
        "LE-BIRTH",
        "Uşağın doğulması",
        "Birth of a child",
        "Рождение ребёнка",
        "BIR",
    ),
    (
        "LE-PRESCHOOL",
        "Məktəbəqədər təhsil",
        "Pre-school and childcare",
        "Дошкольное образование",
        "STU",
    ),
    ("LE-STUDYING", "Təhsil", "Studying", "Образование", "STU"),
    (
        "LE-IDENTITY",
        "Şəxsiyyəti təsdiq edən sənədlər",
        "Identity documents",
        "Документы, удостоверяющие личность",
        "MOV",
    ),
    (
        "LE-RESIDENCE",
        "Yaşayış yeri və köçmə",
        "Residence and moving",
        "Место жительства и переезд",
        "MOV",
    ),
    (
        "LE-WORK",
        "İş axtarışı və işin itirilməsi",
        "Working and losing a job",
        "Работа и потеря работы",
        "WOR",
    ),
    (
        "LE-DRIVING",
        "Avtomobil və sürücülük",
        "Owning and driving a car",
        "Автомобиль и вождение",
        "DRV",
    ),
    (
        "LE-PROPERTY",
        "Əmlak və torpaq",
        "Property and land",
        "Недвижимость и земля",
        "RES",
    ),
    (
        "LE-HEALTH",
        "Sağlamlıq və əlillik",
        "Health and disability",
        "Здоровье и инвалидность",
        "FEHP",
    ),
    (
        "LE-RETIRING",
        "Pensiya",
        "Retiring",
        "Выход на пенсию",
        "RET",
    ),
    (
        "LE-DEATH",
        "Ölüm və vərəsəlik",
        "Death and inheritance",
        "Смерть и наследство",
        "DRE",
    ),
];

const ACTIONS: [(&str, &str, &str); 8] = [
    (
        "arayışın verilməsi",
        "Issue of a certificate on",
        "Выдача справки о",
    ),
    ("qeydiyyat", "Registration of", "Регистрация"),
    (
        "müavinətin təyin edilməsi",
        "Award of an allowance for",
        "Назначение пособия на",
    ),
    ("icazənin verilməsi", "Permit for", "Разрешение на"),
    ("ərizənin qəbulu", "Application for", "Заявление на"),
    ("məlumatın verilməsi", "Information on", "Информация о"),
    (
        "reyestrdən çıxarış",
        "Register extract on",
        "Выписка из реестра о",
    ),
    (
        "dəyişikliyin qeydə alınması",
        "Recording a change of",
        "Регистрация изменения",
    ),
];

const OBJECTS: [(&str, &str, &str); 10] = [
    ("Şəhər əhalisinin", "city population", "населении города"),
    (
        "İsmayıllı rayonunda torpaq sahəsinin",
        "a land plot in İsmayıllı",
        "земельном участке в Исмаиллы",
    ),
    ("Uşağın", "a child", "ребёнке"),
    ("Yaşayış yerinin", "residence", "месте жительства"),
    (
        "Nəqliyyat vasitəsinin",
        "a vehicle",
        "транспортном средстве",
    ),
    (
        "Sürücülük vəsiqəsinin",
        "a driving licence",
        "водительском удостоверении",
    ),
    ("Əlilliyin", "disability", "инвалидности"),
    (
        "Təhsil sənədinin",
        "an education document",
        "документе об образовании",
    ),
    (
        "Əmək müqaviləsinin",
        "an employment contract",
        "трудовом договоре",
    ),
    (
        "Göyçay şəhərində mənzilin",
        "a flat in Göyçay",
        "квартире в Гёйчае",
    ),
];

/// splitmix64: a fast, well-mixed hash of a counter; the same input always gives the same bits.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A number in 0..1 from a tuple of keys.
fn unit(seed: u64, keys: &[u64]) -> f64 {
    let h = keys.iter().fold(mix(seed), |h, k| mix(h ^ k));
    (h >> 11) as f64 / (1u64 << 53) as f64
}

pub fn country_code(c: usize) -> String {
    format!("C{:03}", c + 1)
}

pub fn service_code(c: usize, s: usize) -> String {
    format!("{}-S{:05}", country_code(c), s + 1)
}

pub fn round_code(c: usize, r: usize) -> String {
    format!("{}-R{:02}", country_code(c), r + 1)
}

/// The life event of a service (each synthetic service serves one).
pub fn life_event_of(p: &Params, c: usize, s: usize) -> usize {
    (mix(p.seed ^ ((c as u64) << 32) ^ s as u64) % LIFE_EVENTS.len() as u64) as usize
}

pub fn is_transactional(p: &Params, c: usize, s: usize) -> bool {
    unit(p.seed, &[1, c as u64, s as u64]) < 0.8
}

pub fn organisations_per_country(p: &Params) -> usize {
    (p.services / 100).clamp(3, 40)
}

pub fn organisation_of(p: &Params, c: usize, s: usize) -> usize {
    (mix(p.seed ^ 0xA5A5 ^ ((c as u64) << 32) ^ s as u64) % organisations_per_country(p) as u64)
        as usize
}

/// How mature a country's e-government is (0..1), and how much it improves per round.
fn maturity(p: &Params, c: usize, r: usize) -> f64 {
    let base = 0.15 + 0.6 * unit(p.seed, &[2, c as u64]);
    (base + 0.03 * r as f64).min(0.97)
}

/// The answer of service `s` of country `c` in round `r` to question `q`, or `None` when the
/// question is not asked of the service. About 3% of transparency answers are not relevant.
pub fn answer(p: &Params, c: usize, s: usize, r: usize, q: usize) -> Option<Answer> {
    if !is_transactional(p, c, s) && q >= INFORMATIONAL_QUESTIONS {
        return None;
    }
    let x = unit(p.seed, &[3, c as u64, s as u64, r as u64, q as u64]);
    if q >= INFORMATIONAL_QUESTIONS && x > 0.97 {
        return Some(Answer::NotRelevant);
    }
    // A service that is good in one round tends to stay good: mix a per-service level in.
    let level = 0.5 * maturity(p, c, r) + 0.5 * unit(p.seed, &[4, c as u64, s as u64]);
    Some(Answer::Value(if x < level { 100.0 } else { 0.0 }))
}

pub fn answer_text(a: Answer) -> &'static str {
    match a {
        Answer::Value(v) if v > 0.0 => "yes",
        Answer::Value(_) => "no",
        Answer::NotRelevant => "NR",
        Answer::Missing => "",
    }
}

/// Evidence types per country.
pub const EVIDENCE: usize = 200;
/// Information systems per country (besides the portal); each holds two datasets.
pub const SYSTEMS: usize = 20;

pub fn evidence_code(c: usize, e: usize) -> String {
    format!("{}-EV-{:03}", country_code(c), e + 1)
}

/// The evidence a service requires: 6 to 10 of its country's evidence types, without repeats.
pub fn evidence_of(p: &Params, c: usize, s: usize) -> Vec<String> {
    let n = 6 + (mix(p.seed ^ 0x77 ^ ((c as u64) << 32) ^ s as u64) % 5) as usize;
    let mut picked: Vec<usize> = Vec::with_capacity(n);
    let mut k = 0u64;
    while picked.len() < n {
        let e = (mix(p.seed ^ 0x78 ^ ((c as u64) << 40) ^ ((s as u64) << 8) ^ k) % EVIDENCE as u64)
            as usize;
        if !picked.contains(&e) {
            picked.push(e);
        }
        k += 1;
    }
    picked.sort_unstable();
    picked.into_iter().map(|e| evidence_code(c, e)).collect()
}

/// The stage a synthetic service is observed at.
pub fn stage_of(p: &Params, c: usize, s: usize) -> u8 {
    (mix(p.seed ^ ((c as u64) << 32) ^ s as u64) % 6) as u8
}

/// Information systems, datasets, evidence types and exchange links of each country: most data
/// digital, some partly or on paper, some systems not yet in use, links in use, planned or in
/// test between the registers and the organisations' systems and the portal.
#[derive(Default)]
struct DataLandscape {
    evidence: Vec<serde_json::Value>,
    systems: Vec<serde_json::Value>,
    datasets: Vec<serde_json::Value>,
    links: Vec<serde_json::Value>,
    outputs: Vec<serde_json::Value>,
}

impl DataLandscape {
    fn add_country(&mut self, p: &Params, c: usize) {
        let cc = country_code(c);
        let orgs = organisations_per_country(p);
        let org = |o: usize| format!("{cc}-ORG-{:03}", o % orgs + 1);
        for e in 0..EVIDENCE {
            let (az, en, ru) = OBJECTS[e % OBJECTS.len()];
            self.evidence.push(json!({
                "code": evidence_code(c, e),
                "name": { "az": format!("{az} sənədi №{}", e + 1), "en": format!("Proof of {en} no. {}", e + 1), "ru": format!("Документ о {ru} №{}", e + 1) },
                "status": "active",
                "provenance": "imported:synth",
            }));
        }
        let portal = format!("{cc}-IS-PORTAL");
        self.systems.push(json!({
            "code": portal, "name": { "az": "Elektron hökumət portalı", "en": "E-government portal", "ru": "Портал электронного правительства" },
            "owner": org(0), "base_registry": false, "lifecycle": "in_use",
            "digitisation": { "state": "born_digital", "share_pct": 100 }, "provenance": "imported:synth",
        }));
        for i in 0..SYSTEMS {
            let r = |k: u64| unit(p.seed, &[20 + k, c as u64, i as u64]);
            let lifecycle = match r(0) {
                x if x < 0.9 => "in_use",
                x if x < 0.95 => "in_development",
                _ => "planned",
            };
            let (state, share) = match r(1) {
                x if x < 0.3 => ("born_digital", 100),
                x if x < 0.6 => ("mostly_digital", 85),
                x if x < 0.85 => ("partially_digitised", 40),
                _ => ("paper_only", 5),
            };
            let code = format!("{cc}-IS-{:02}", i + 1);
            let owner = org(i);
            self.systems.push(json!({
                "code": code,
                "name": { "az": format!("Reyestr №{}", i + 1), "en": format!("Register no. {}", i + 1), "ru": format!("Реестр №{}", i + 1) },
                "owner": owner, "base_registry": i < 12, "lifecycle": lifecycle,
                "digitisation": { "state": state, "share_pct": share }, "provenance": "imported:synth",
            }));
            for d in 0..2 {
                let dcode = format!("{code}-D{}", d + 1);
                // Four evidence types per dataset, spread over the country's list; some stay
                // unsupplied (only outputs or paper).
                let supplies: Vec<String> = (0..4)
                    .map(|k| evidence_code(c, (i * 8 + d * 4 + k) % EVIDENCE))
                    .collect();
                self.datasets.push(json!({
                    "code": dcode,
                    "name": { "az": format!("Verilənlər №{}-{}", i + 1, d + 1), "en": format!("Dataset {}-{}", i + 1, d + 1), "ru": format!("Набор данных {}-{}", i + 1, d + 1) },
                    "system": code, "supplies": supplies, "status": "active", "provenance": "imported:synth",
                }));
                for l in 0..4 {
                    let status = match r(10 + (d * 4 + l) as u64) {
                        x if x < 0.6 => "in_use",
                        x if x < 0.85 => "planned",
                        _ => "in_test",
                    };
                    let target = format!("{cc}-IS-{:02}", (i + 1 + l * 3 + d) % SYSTEMS + 1);
                    self.links.push(json!({
                        "code": format!("{dcode}-XL{}", l + 1), "source_dataset": dcode, "target_system": target,
                        "status": status, "provenance": "imported:synth",
                    }));
                }
                if r(30 + d as u64) < 0.3 {
                    self.links.push(json!({
                        "code": format!("{dcode}-XLP"), "source_dataset": dcode, "target_system": portal,
                        "status": "in_use", "provenance": "imported:synth",
                    }));
                }
            }
        }
    }
}

/// The registry of all countries. An error here is a bug in the generator.
pub fn registry(p: &Params) -> Result<Registry, String> {
    let mut orgs = Vec::new();
    let mut services = Vec::new();
    let mut data = DataLandscape::default();
    for c in 0..p.countries {
        let cc = country_code(c);
        data.add_country(p, c);
        for o in 0..organisations_per_country(p) {
            let (_, en, _) = OBJECTS[o % OBJECTS.len()];
            orgs.push(json!({
                "code": format!("{cc}-ORG-{:03}", o + 1),
                "name": {
                    "az": format!("{cc} Dövlət Agentliyi №{}", o + 1),
                    "en": format!("{cc} State Agency no. {} ({en})", o + 1),
                    "ru": format!("{cc} Государственное агентство №{}", o + 1),
                },
                "type": "state_agency",
                "status": "active",
                "provenance": "imported:synth",
            }));
        }
        for s in 0..p.services {
            let code = service_code(c, s);
            let (a_az, a_en, a_ru) = ACTIONS[s % ACTIONS.len()];
            let (o_az, o_en, o_ru) = OBJECTS[(s / ACTIONS.len()) % OBJECTS.len()];
            let le = LIFE_EVENTS[life_event_of(p, c, s)].0;
            let org = format!("{cc}-ORG-{:03}", organisation_of(p, c, s) + 1);
            let host = cc.to_lowercase();
            let mut channels = vec![json!({
                "code": format!("{code}-WEB"),
                "type": "web_page",
                "url": format!("https://{host}.gov.example/services/{}", s + 1),
                "e_id": is_transactional(p, c, s),
                "e_signature": false,
                "e_payment": false,
                "electronic_output": false,
                "status": "active",
                "provenance": "imported:synth",
            })];
            if unit(p.seed, &[10, c as u64, s as u64]) < 0.2 {
                channels.push(json!({
                    "code": format!("{code}-PORTAL"),
                    "type": "online_portal",
                    "url": format!("https://portal.{host}.gov.example/services/{}", s + 1),
                    "e_id": true,
                    "e_signature": false,
                    "e_payment": false,
                    "electronic_output": true,
                    "status": "active",
                    "provenance": "imported:synth",
                }));
            }
            let output = format!("{code}-OUT");
            data.outputs.push(json!({
                "code": output,
                "name": { "az": format!("{o_az} haqqında arayış"), "en": format!("Certificate on {o_en}"), "ru": format!("Справка о {o_ru}") },
                "type": "declaration",
                "evidence_type": (unit(p.seed, &[11, c as u64, s as u64]) < 0.1).then(|| evidence_code(c, (mix(p.seed ^ 12 ^ s as u64) % EVIDENCE as u64) as usize)),
                "status": "active",
                "provenance": "imported:synth",
            }));
            services.push(json!({
                "code": code,
                "name": {
                    "az": format!("{o_az} {a_az} ({code})"),
                    "en": format!("{a_en} {o_en} ({code})"),
                    "ru": format!("{a_ru} {o_ru} ({code})"),
                },
                "status": "active",
                "audience": ["citizen"],
                "organisations": [org],
                "life_events": [le],
                "evidence": evidence_of(p, c, s),
                "outputs": [output],
                "channels": channels,
                "provenance": "imported:synth",
            }));
        }
    }
    let life_events: Vec<_> = LIFE_EVENTS
        .iter()
        .enumerate()
        .map(|(i, (code, az, en, ru, eu))| {
            json!({ "code": code, "name": { "az": az, "en": en, "ru": ru }, "journey_order": i + 1, "eu_code": eu, "status": "active", "provenance": "imported:synth" })
        })
        .collect();
    fn list<T: serde::de::DeserializeOwned>(
        v: Vec<serde_json::Value>,
    ) -> Result<Records<T>, String> {
        v.into_iter()
            .map(|x| serde_json::from_value(x).map_err(|e| e.to_string()))
            .collect()
    }
    let reg = Registry {
        organisations: list(orgs)?,
        life_events: list(life_events)?,
        evidence_types: list(data.evidence)?,
        outputs: list(data.outputs)?,
        information_systems: list(data.systems)?,
        datasets: list(data.datasets)?,
        services: list(services)?,
        exchange_links: list(data.links)?,
    };
    let mut reg = reg;
    reg.sort();
    Ok(reg)
}

/// The answers of one country in one round, as assessments (landscaping of kinds first).
pub fn assessments(p: &Params, c: usize, r: usize) -> Vec<Assessment> {
    let mut out = Vec::new();
    let when = format!(
        "{}-{:02}-15",
        2015 + r / 2,
        if r.is_multiple_of(2) { 6 } else { 12 }
    );
    let base = |s: usize, question: &str, answer: &str| Assessment {
        service: service_code(c, s),
        channel: Some(format!("{}-WEB", service_code(c, s))),
        perspective: Default::default(),
        question: question.into(),
        answer: answer.into(),
        evidence_url: Some(format!(
            "https://{}.gov.example/services/{}",
            country_code(c).to_lowercase(),
            s + 1
        )),
        evidence_note: Text::new(),
        evidence_hash: None,
        assessor: "synth".into(),
        assessed_at: when.clone(),
        source: AssessmentSource::Automatic,
        correction: None,
        revision: 0,
    };
    for s in 0..p.services {
        let kind = if is_transactional(p, c, s) {
            "transactional,central"
        } else {
            "informational,central"
        };
        out.push(Assessment {
            evidence_note: Text::new()
                .with(Lang::En, "synthetic landscaping")
                .with(Lang::Az, "sintetik landşaft")
                .with(Lang::Ru, "синтетический ландшафт"),
            channel: None,
            perspective: Default::default(),
            ..base(s, KINDS, kind)
        });
        for (q, id) in QUESTIONS.iter().enumerate() {
            if let Some(a) = answer(p, c, s, r, q) {
                let mut row = base(s, id, answer_text(a));
                if a == Answer::NotRelevant {
                    row.evidence_note = Text::new()
                        .with(Lang::En, "not relevant for this service")
                        .with(Lang::Az, "bu xidmətə aid deyil")
                        .with(Lang::Ru, "не относится к этой услуге");
                }
                out.push(row);
            }
        }
    }
    out
}

/// One country-round laid out for the engine directly (no text), as the benchmark scores it:
/// unit flags, answers and the life-event and organisation groupings.
pub fn engine_input(
    p: &Params,
    fw: &Framework,
    c: usize,
    r: usize,
) -> (Vec<UnitFlags>, Vec<Evidence>, Vec<Grouping>) {
    let kinds = |t: bool| -> Vec<String> {
        vec![
            if t { "transactional" } else { "informational" }.to_string(),
            "central".to_string(),
            // The perspective, a kind the round gives every unit (`monitoring::score`).
            "national".to_string(),
        ]
    };
    let (t_mask, i_mask) = (fw.kind_mask(&kinds(true)), fw.kind_mask(&kinds(false)));
    let qi: Vec<usize> = QUESTIONS
        .iter()
        .filter_map(|q| fw.question_index(q))
        .collect();
    let mut flags = Vec::with_capacity(p.services);
    let mut evidence = Vec::with_capacity(p.services * QUESTIONS.len());
    let mut by_le = vec![Vec::new(); LIFE_EVENTS.len()];
    let mut by_org = vec![Vec::new(); organisations_per_country(p)];
    for s in 0..p.services {
        let t = is_transactional(p, c, s);
        flags.push(UnitFlags {
            kinds: if t { t_mask } else { i_mask },
            ..UnitFlags::default()
        });
        by_le[life_event_of(p, c, s)].push(s);
        by_org[organisation_of(p, c, s)].push(s);
        for (q, &question) in qi.iter().enumerate() {
            if let Some(answer) = answer(p, c, s, r, q) {
                evidence.push(Evidence {
                    unit: s,
                    source: 0,
                    question,
                    answer,
                    seq: 0,
                });
            }
        }
    }
    let groupings = vec![
        Grouping::new("life_event", p.services, by_le),
        Grouping::new("organisation", p.services, by_org),
    ];
    (flags, evidence, groupings)
}

/// Writes the answers as CSV for other tools: one row per answer with what an aggregation
/// needs (country, round, service, kind, life event, organisation, question, value; NR empty).
pub fn write_answers_csv(p: &Params, out: &mut impl std::io::Write) -> std::io::Result<u64> {
    writeln!(
        out,
        "country,round,service,kind,life_event,organisation,question,value"
    )?;
    let mut n = 0;
    for c in 0..p.countries {
        for r in 0..p.rounds {
            for s in 0..p.services {
                let kind = if is_transactional(p, c, s) { "T" } else { "I" };
                let le = LIFE_EVENTS[life_event_of(p, c, s)].0;
                let org = organisation_of(p, c, s) + 1;
                for (q, id) in QUESTIONS.iter().enumerate() {
                    if let Some(a) = answer(p, c, s, r, q) {
                        let v = match a {
                            Answer::Value(v) => format!("{v}"),
                            _ => String::new(),
                        };
                        writeln!(
                            out,
                            "{},{},{},{kind},{le},{org},{id},{v}",
                            c + 1,
                            r + 1,
                            s + 1
                        )?;
                        n += 1;
                    }
                }
            }
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egovwatch_domain::scoring::catalog::builtin_by_id;

    #[test]
    fn the_same_parameters_give_the_same_data() {
        let p = Params {
            countries: 2,
            services: 30,
            rounds: 2,
            seed: 7,
        };
        let a = registry(&p).expect("registry");
        let b = registry(&p).expect("registry");
        assert_eq!(a, b);
        assert_eq!(a.services.len(), 60);
        assert_eq!(assessments(&p, 1, 1), assessments(&p, 1, 1));
        let other = Params { seed: 8, ..p };
        assert_ne!(assessments(&p, 1, 1), assessments(&other, 1, 1));
    }

    #[test]
    fn the_registry_is_valid_and_multilingual() {
        let p = Params {
            countries: 2,
            services: 50,
            rounds: 1,
            seed: 1,
        };
        let reg = registry(&p).expect("registry");
        let problems = egovwatch_domain::validate::check_references(&reg);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(reg.services.iter().any(|s| {
            s.name
                .get(egovwatch_domain::Lang::Az)
                .is_some_and(|n| n.contains('ə'))
        }));
        assert!(
            reg.services
                .iter()
                .all(|s| s.name.get(egovwatch_domain::Lang::Ru).is_some())
        );
    }

    #[test]
    fn each_country_s_rounds_form_one_series() {
        use egovwatch_domain::monitoring::{Round, Subjects, series_witnesses};
        let p = Params {
            countries: 3,
            services: 20,
            rounds: 2,
            seed: 5,
        };
        let mut reg = registry(&p).expect("registry");
        reg.sort();
        let fw = builtin_by_id("eu-egov-benchmark-2020").expect("EU framework");
        let round = |c: usize, r: usize, scope: Vec<String>| {
            let name = egovwatch_domain::Text::new().with(egovwatch_domain::Lang::En, "r");
            Round::open(
                &round_code(c, r),
                name,
                &fw,
                ("2020-01-01", "2020-06-30"),
                scope,
                "2020-06-30T00:00:00Z",
            )
        };
        let of_country = |c: usize| (0..p.services).map(|s| service_code(c, s)).collect();
        // A country's second round assesses only part of its services (maybe not all its
        // organisations: another subject); its third all of them, listed the other way round.
        let rounds: Vec<Round> = (0..p.countries)
            .flat_map(|c| {
                let all: Vec<String> = of_country(c);
                let back: Vec<String> = all.iter().rev().cloned().collect();
                [
                    round(c, 0, all.clone()),
                    round(c, 1, all[..5].to_vec()),
                    round(c, 2, back),
                ]
            })
            .collect();
        let subjects = Subjects::of(&rounds, &reg);
        for a in &rounds {
            let witnesses = series_witnesses(a, &reg).expect("a bound");
            for b in &rounds {
                let names = b.scope.iter().any(|s| witnesses.contains(&s.as_str()));
                if subjects.same_series(a, b) {
                    assert!(
                        names,
                        "{} {}: a round of its series names a witness",
                        a.code, b.code
                    );
                }
                if a.code[..4] != b.code[..4] {
                    assert!(
                        !subjects.same_series(a, b) && !names,
                        "{} {}",
                        a.code,
                        b.code
                    );
                }
            }
        }
        for c in 0..p.countries {
            assert!(subjects.same_series(&rounds[3 * c], &rounds[3 * c + 2]));
            // A whole country's subject is its organisations, all of that country.
            let tops = subjects.of_round(&rounds[3 * c].code).expect("its subject");
            let country = &round_code(c, 0)[..4];
            assert!(
                !tops.is_empty() && tops.iter().all(|t| t.starts_with(country)),
                "{tops:?}"
            );
        }
        // At least one subject a country; more where a round covers only part of one.
        assert!(subjects.count() >= p.countries, "{}", subjects.count());
        assert!(subjects.of_round("NO-SUCH-ROUND").is_none());
        // Searching a registry in canonical order and scanning one in any order agree.
        let codes = [
            service_code(2, 3),
            service_code(0, 1),
            "NONE".into(),
            service_code(0, 1),
        ];
        let sorted = reg.services_named(codes.iter().map(String::as_str));
        reg.services.reverse();
        let scanned: Vec<String> = reg
            .services_named(codes.iter().map(String::as_str))
            .into_iter()
            .map(|i| reg.services[i].code.to_string())
            .collect();
        reg.services.reverse();
        let sorted: Vec<String> = sorted
            .into_iter()
            .map(|i| reg.services[i].code.to_string())
            .collect();
        assert_eq!(sorted, [service_code(0, 1), service_code(2, 3)]);
        assert_eq!(scanned, [service_code(2, 3), service_code(0, 1)]);
    }

    #[test]
    fn csv_and_engine_input_hold_the_same_answers() {
        let p = Params {
            countries: 2,
            services: 40,
            rounds: 3,
            seed: 3,
        };
        let fw = builtin_by_id("eu-egov-benchmark-2020").expect("EU framework");
        let mut csv = Vec::new();
        let rows = write_answers_csv(&p, &mut csv).expect("write");
        let engine: usize = (0..2)
            .flat_map(|c| (0..3).map(move |r| (c, r)))
            .map(|(c, r)| engine_input(&p, &fw, c, r).1.len())
            .sum();
        assert_eq!(rows as usize, engine);
        // Assessments carry one landscaping row per service besides the answers.
        let stored: usize = (0..2)
            .flat_map(|c| (0..3).map(move |r| (c, r)))
            .map(|(c, r)| assessments(&p, c, r).len())
            .sum();
        assert_eq!(stored, engine + 2 * 3 * 40);
    }
}
