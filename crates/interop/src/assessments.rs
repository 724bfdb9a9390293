//! The assessments CSV of a monitoring round: one answer per row, with its evidence.
//!
//! Columns `service,channel,question,answer,evidence_url,evidence_note,evidence_note_az,
//! evidence_note_ru,evidence_hash,assessor,assessed_at,source,perspective` (`national`, the
//! default, or `cross_border`); `service`, `question`, `answer` and `assessor` are required, the
//! others may be left out. The evidence note is written in English (`evidence_note`),
//! Azerbaijani (`evidence_note_az`) and Russian (`evidence_note_ru`), in any of them or all
//! three. Landscaping rows (`@automated`, `@not_applicable`, ...) need a justification in one
//! of the note columns, as does an `NR` answer.
//!
//! Like the registry readers, reading collects every problem, each as `file:line: field: what`,
//! and returns nothing when there is one. The rules an answer follows are the domain's
//! (`monitoring::AnswerRules`, built once per file, so reading is linear in the rows); this
//! module reads the cells.

use crate::location::{ImportError, Located, Location};
use egovwatch_domain::monitoring::{AnswerRules, Assessment, AssessmentSource, Round};
use egovwatch_domain::scoring::Framework;
use egovwatch_domain::{Lang, Registry, Text};
use std::collections::BTreeSet;

/// The columns, in the order `egovwatch` writes them.
pub const COLUMNS: [&str; 13] = [
    "service",
    "channel",
    "question",
    "answer",
    "evidence_url",
    "evidence_note",
    "evidence_note_az",
    "evidence_note_ru",
    "evidence_hash",
    "assessor",
    "assessed_at",
    "source",
    "perspective",
];

const REQUIRED: [&str; 4] = ["service", "question", "answer", "assessor"];

/// Reads the answers of `round` from one CSV document; `file` names it in errors and `now`
/// (RFC 3339) is the time recorded for rows without `assessed_at`.
pub fn read(
    file: &str,
    bytes: &[u8],
    fw: &Framework,
    registry: &Registry,
    round: &Round,
    now: &str,
) -> Result<Vec<Assessment>, ImportError> {
    let at = |line: usize| {
        Some(Location {
            file: file.to_string(),
            line,
        })
    };
    let mut problems: Vec<Located> = Vec::new();
    let mut reader = reader(bytes);
    let header: Vec<String> = match header(&mut reader) {
        Ok(h) => h,
        Err(e) => {
            return Err(ImportError(vec![Located {
                location: at(1),
                field: None,
                message: format!("unreadable header: {}", csv_message(&e)),
            }]));
        }
    };
    let columns = COLUMNS.join(",");
    for required in REQUIRED {
        if !header.iter().any(|h| h == required) {
            problems.push(Located {
                location: at(1),
                field: None,
                message: format!("missing column {required:?} (columns: {columns})"),
            });
        }
    }
    for h in &header {
        if !COLUMNS.contains(&h.as_str()) {
            problems.push(Located {
                location: at(1),
                field: None,
                message: format!("unknown column {h:?} (columns: {columns})"),
            });
        }
    }
    if !problems.is_empty() {
        return Err(ImportError(problems));
    }
    // The column of each known name, looked up once rather than per cell.
    let col: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|name| header.iter().position(|h| h == name))
        .collect();
    let checks = Checks {
        rules: AnswerRules::new(fw, registry, round),
        now,
    };
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut row = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(row + 1, |p| p.line() as usize);
                problems.push(Located {
                    location: at(line),
                    field: None,
                    message: csv_message(&e),
                });
                row = line;
                continue;
            }
        }
        let line = record.position().map_or(row + 1, |p| p.line() as usize);
        row = line;
        if record.len() != header.len() {
            problems.push(Located {
                location: at(line),
                field: None,
                message: format!("{} fields, the header has {}", record.len(), header.len()),
            });
            continue;
        }
        let mut bad = |field: &str, message: String| {
            problems.push(Located {
                location: at(line),
                field: Some(field.to_string()),
                message,
            })
        };
        if let Some(a) = checks.assessment(cells(&record, &col), &mut bad) {
            out.push(a);
        }
    }
    if !problems.is_empty() {
        return Err(ImportError(problems));
    }
    Ok(out)
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().flexible(true).from_reader(bytes)
}

/// The column names, trimmed, without a byte order mark.
fn header(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, csv::Error> {
    Ok(reader
        .headers()?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect())
}

/// The services the rows of an assessments CSV name, read as [`read`] reads them: what the
/// registry is asked for before the answers are checked against it. Rows [`read`] refuses
/// for their form may be left out; it reports them.
pub fn services_named(bytes: &[u8]) -> BTreeSet<String> {
    let mut reader = reader(bytes);
    let Some(col) = header(&mut reader)
        .ok()
        .and_then(|h| h.iter().position(|h| h == "service"))
    else {
        return BTreeSet::new();
    };
    reader
        .records()
        .filter_map(|r| Some(r.ok()?.get(col)?.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// A CSV-level problem without the reader's own position (the location says where).
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        _ => e.to_string(),
    }
}

/// The cells of one row, trimmed, an empty cell being absent.
struct Cells {
    service: String,
    channel: Option<String>,
    question: String,
    answer: String,
    evidence_url: Option<String>,
    evidence_note: Text,
    evidence_hash: Option<String>,
    assessor: String,
    assessed_at: Option<String>,
    source: Option<String>,
    perspective: Option<String>,
}

fn cells(rec: &csv::StringRecord, col: &[Option<usize>]) -> Cells {
    let get = |k: usize| {
        col[k]
            .and_then(|c| rec.get(c))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    Cells {
        service: get(0).unwrap_or_default(),
        channel: get(1),
        question: get(2).unwrap_or_default(),
        answer: get(3).unwrap_or_default(),
        evidence_url: get(4),
        evidence_note: [(Lang::En, 5), (Lang::Az, 6), (Lang::Ru, 7)]
            .into_iter()
            .fold(Text::new(), |t, (lang, k)| {
                t.with(lang, get(k).unwrap_or_default())
            }),
        evidence_hash: get(8),
        assessor: get(9).unwrap_or_default(),
        assessed_at: get(10),
        source: get(11),
        perspective: get(12),
    }
}

/// What a row is checked against: the domain's rules for an answer, and the time recorded for
/// rows without one.
struct Checks<'a> {
    rules: AnswerRules<'a>,
    now: &'a str,
}

impl Checks<'_> {
    /// The assessment of one row, with every problem of its cells (format) and of the answer
    /// ([`AnswerRules`]) sent to `bad`; `None` when its service is unknown (nothing else about
    /// the row can be checked then).
    fn assessment(&self, c: Cells, bad: &mut impl FnMut(&str, String)) -> Option<Assessment> {
        let Cells {
            service,
            channel,
            question,
            answer,
            evidence_url,
            evidence_note,
            evidence_hash,
            assessor,
            assessed_at,
            source,
            perspective,
        } = c;
        // Problems of the cells themselves, reported after those of the answer.
        let mut cells: Vec<(&str, String)> = Vec::new();
        for (field, value) in [
            ("assessed_at", assessed_at.as_ref()),
            ("source", source.as_ref()),
            ("perspective", perspective.as_ref()),
        ] {
            if let Some(e) = value.and_then(|v| egovwatch_domain::validate::control_error(v)) {
                cells.push((field, e));
            }
        }
        let assessed_at = assessed_at.unwrap_or_else(|| self.now.to_string());
        let dated = chrono::DateTime::parse_from_rfc3339(&assessed_at).is_ok()
            || chrono::NaiveDate::parse_from_str(&assessed_at, "%Y-%m-%d").is_ok();
        if !dated {
            cells.push((
                "assessed_at",
                format!("{assessed_at:?} is not a date (YYYY-MM-DD or RFC 3339)"),
            ));
        }
        let source = match source.as_deref().unwrap_or("manual").parse() {
            Ok(s) => s,
            Err(e) => {
                cells.push(("source", e));
                AssessmentSource::Manual
            }
        };
        let perspective = match perspective.as_deref().unwrap_or("national").parse() {
            Ok(p) => p,
            Err(e) => {
                cells.push(("perspective", e));
                Default::default()
            }
        };
        let a = Assessment {
            service,
            channel,
            perspective,
            question,
            answer,
            evidence_url,
            evidence_note,
            evidence_hash: evidence_hash.map(|h| h.to_ascii_lowercase()),
            assessor,
            assessed_at,
            source,
            correction: None,
            revision: 0,
        };
        let problems = self.rules.problems(&a);
        let unknown = problems
            .iter()
            .any(|(f, m)| *f == "service" && m.starts_with("no service"));
        for (field, message) in problems {
            bad(field, message);
        }
        // Nothing else about a row of an unknown service can be checked.
        if unknown {
            return None;
        }
        for (field, message) in cells {
            bad(field, message);
        }
        Some(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egovwatch_domain::scoring::catalog;

    const HEADER: &str = "service,channel,question,answer,evidence_url,evidence_note,evidence_hash,assessor,assessed_at,source\n";
    const NOW: &str = "2015-06-30T12:00:00Z";

    fn demo() -> (Framework, Registry, Round) {
        let fw = catalog::builtin_by_id("stages").expect("stages ships");
        let bytes = include_bytes!("../../../data/demo/registry.json");
        let registry = crate::json::read("registry.json", bytes)
            .expect("demo registry")
            .registry;
        let round = Round::open(
            "2015-H1",
            Text::new().with(Lang::En, "2015-H1"),
            &fw,
            ("2015-01-01", "2015-06-30"),
            Vec::new(),
            "2015-06-30T00:00:00Z",
        );
        (fw, registry, round)
    }

    /// The registry of the services `text` names alone, as the store reads it for an import.
    fn named_part(registry: &Registry, text: &str) -> Registry {
        let named = services_named(text.as_bytes());
        Registry {
            services: (registry.services.iter())
                .filter(|s| named.contains(s.code.as_str()))
                .cloned()
                .collect(),
            ..Registry::default()
        }
    }

    /// Reads `text` against the whole demo registry, checking that the services it names
    /// alone give the same answers or the same problems.
    fn read_demo(text: &str) -> Result<Vec<Assessment>, ImportError> {
        let (fw, registry, round) = demo();
        let whole = read("a.csv", text.as_bytes(), &fw, &registry, &round, NOW);
        let part = named_part(&registry, text);
        let named = read("a.csv", text.as_bytes(), &fw, &part, &round, NOW);
        assert_eq!(format!("{whole:?}"), format!("{named:?}"));
        whole
    }

    fn errors(text: &str) -> Vec<String> {
        read_demo(text)
            .expect_err("refused")
            .0
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_the_demo_rounds() {
        let text = include_str!("../../../data/demo/rounds/2015-H1.csv");
        let items = read_demo(text).expect("the demo round reads");
        assert_eq!(items.len(), text.lines().count() - 1);
        assert!(items.iter().all(|a| a.source == AssessmentSource::Manual));
    }

    #[test]
    fn control_characters_are_refused_where_they_are() {
        let e = errors(&format!(
            "{HEADER}SRV-0017,,stage,3,,\"a\u{0}note\",,TA,2015-06-01,manual\n"
        ));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("a.csv:2: evidence_note: contains the control character U+0000"),
            "{e:?}"
        );
    }

    #[test]
    fn a_missing_date_is_the_import_time() {
        let (fw, registry, round) = demo();
        let text = "service,question,answer,assessor\nSRV-0017,stage,3,TA\n";
        let items = read("a.csv", text.as_bytes(), &fw, &registry, &round, NOW).expect("valid");
        assert_eq!(items[0].assessed_at, NOW);
        assert_eq!(items[0].channel, None);
    }

    #[test]
    fn header_errors_are_on_line_1() {
        let e = errors("service,question,answr,assessor\n");
        assert_eq!(
            e,
            [
                format!(
                    "a.csv:1: missing column \"answer\" (columns: {})",
                    COLUMNS.join(",")
                ),
                format!(
                    "a.csv:1: unknown column \"answr\" (columns: {})",
                    COLUMNS.join(",")
                ),
            ]
        );
    }

    #[test]
    fn every_row_error_is_located() {
        let hash = "ab".repeat(32);
        let text = format!(
            "{HEADER}\
             SRV-9999,,stage,3,,,,TA,,\n\
             SRV-0017,CH-NOPE,stage,3,,,,TA,,\n\
             SRV-0017,,stag,3,,,,TA,,\n\
             SRV-0017,,stage,9,,,,TA,,\n\
             SRV-0017,,@automated,yes,,,,TA,,\n\
             SRV-0017,,stage,3,ftp://x,,{hash}x,,yesterday,robot\n\
             SRV-0017,,stage,3\n\
             \"SRV-0017\",,stage,3,,\"a note\non two lines\",,TA,2015-06-01,manual\n\
             SRV-0017,,stage,nr,,,,TA,,\n"
        );
        let e = errors(&text);
        let expect = [
            "a.csv:2: service: no service \"SRV-9999\" in the registry",
            "a.csv:3: channel: \"CH-NOPE\" is not a channel of SRV-0017",
            "a.csv:4: question: no question \"stag\" in framework stages",
            "a.csv:5: answer: ",
            "a.csv:6: evidence_note: @automated needs a justification",
            "a.csv:7: evidence_url: ",
            "a.csv:7: evidence_hash: a SHA-256 is 64 hexadecimal digits",
            "a.csv:7: assessor: is required",
            "a.csv:7: assessed_at: \"yesterday\" is not a date (YYYY-MM-DD or RFC 3339)",
            "a.csv:7: source: ",
            "a.csv:8: 4 fields, the header has 10",
            // The row on lines 9-10 is valid; the next starts on line 11.
            "a.csv:11: answer: question `stage` does not allow NR",
        ];
        assert_eq!(e.len(), expect.len(), "{e:#?}");
        for (got, want) in e.iter().zip(expect) {
            assert!(got.starts_with(want), "{got:?} should start with {want:?}");
        }
    }

    #[test]
    fn out_of_scope_and_bad_bytes() {
        let (fw, registry, mut round) = demo();
        round.scope = vec!["SRV-0001".into()];
        let text =
            b"service,question,answer,assessor\nSRV-0017,stage,3,TA\nSRV-0001,stage,\xff,TA\n";
        let e = read("a.csv", text, &fw, &registry, &round, NOW).expect_err("refused");
        let e: Vec<String> = e.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            e,
            [
                "a.csv:2: service: SRV-0017 is not in the scope of round 2015-H1",
                "a.csv:3: invalid UTF-8",
            ]
        );
    }

    /// Demo services plus `n` more, and an answer to each new one.
    fn big(n: usize) -> (Registry, String) {
        let (_, mut registry, _) = demo();
        let template = registry.service("SRV-0017").expect("demo service").clone();
        let mut text = String::from("service,question,answer,assessor,assessed_at\n");
        for i in 0..n {
            let mut s = template.clone();
            s.code = egovwatch_domain::Code::parse(&format!("SRV-X{i:06}")).expect("code");
            s.channels.clear();
            registry.services.push(s);
            text.push_str(&format!("SRV-X{i:06},stage,3,TA,2015-06-01\n"));
        }
        (registry, text)
    }

    /// Each row looked its service up by scanning the registry: 40,000 rows took 6.4 s. With
    /// one index the time per row does not grow with the registry.
    #[test]
    fn reading_is_linear_in_the_rows() {
        let (fw, _, round) = demo();
        let time = |n: usize| {
            let (registry, text) = big(n);
            let started = std::time::Instant::now();
            let items =
                read("big.csv", text.as_bytes(), &fw, &registry, &round, NOW).expect("valid");
            assert_eq!(items.len(), n);
            started.elapsed()
        };
        let small = time(5_000);
        let large = time(50_000);
        // Unoptimised test builds are some ten times slower than a release build.
        let limit = std::time::Duration::from_secs(if cfg!(debug_assertions) { 5 } else { 1 });
        assert!(large < limit, "50,000 rows took {large:?}");
        // Ten times the rows: about ten times the time (a scan per row would be a hundred).
        assert!(
            large < small * 30,
            "5,000 rows took {small:?}, 50,000 took {large:?}"
        );
    }

    #[test]
    fn the_services_named_are_read_as_the_rows_are() {
        let text = "\u{feff} service ,question,answer,assessor\n SRV-0017 ,stage,3,TA\n,stage,3,TA\nSRV-0001,stage\n\"SRV-0002\",stage,3,TA\n";
        let named: Vec<String> = services_named(text.as_bytes()).into_iter().collect();
        assert_eq!(named, ["SRV-0001", "SRV-0002", "SRV-0017"]);
        assert!(services_named(b"question,answer\nstage,3\n").is_empty());
        assert!(services_named(b"").is_empty());
        // Rows naming services outside the registry or the round's scope are refused the same
        // way against the services named alone.
        let (_, registry, _) = demo();
        let other = registry
            .services
            .iter()
            .find(|s| s.status == egovwatch_domain::ServiceStatus::Withdrawn);
        let mut text = format!("{HEADER}SRV-9999,,stage,3,,,,TA,2015-06-01,manual\n");
        if let Some(w) = other {
            text.push_str(&format!("{},,stage,3,,,,TA,2015-06-01,manual\n", w.code));
        }
        assert!(!errors(&text).is_empty());
    }
}
