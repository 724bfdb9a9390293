//! The native registry JSON: one document, lossless, byte-stable for the same registry.

use crate::location::{ImportError, Located, Location, Parsed};
use egovwatch_domain::change::Record;
use egovwatch_domain::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

pub const FORMAT: &str = "egovwatch-registry";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    format: &'static str,
    format_version: u32,
    organisations: &'a Records<Organisation>,
    life_events: &'a Records<LifeEvent>,
    evidence_types: &'a Records<EvidenceType>,
    outputs: &'a Records<Output>,
    information_systems: &'a Records<InformationSystem>,
    datasets: &'a Records<Dataset>,
    services: &'a Records<Service>,
    exchange_links: &'a Records<ExchangeLink>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDoc<'a> {
    format: Option<String>,
    format_version: Option<u32>,
    #[serde(borrow, default)]
    organisations: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    life_events: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    evidence_types: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    outputs: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    information_systems: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    datasets: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    services: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    exchange_links: Vec<&'a RawValue>,
}

/// The registry as JSON, in canonical order, ending with a newline.
pub fn write(registry: &Registry) -> String {
    let mut reg = registry.clone();
    reg.sort();
    let doc = Doc {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        organisations: &reg.organisations,
        life_events: &reg.life_events,
        evidence_types: &reg.evidence_types,
        outputs: &reg.outputs,
        information_systems: &reg.information_systems,
        datasets: &reg.datasets,
        services: &reg.services,
        exchange_links: &reg.exchange_links,
    };
    // Plain data of strings, numbers and booleans always serialises.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The offset of every newline of a text, to find the line of an offset by binary search
/// (counting from the start for each record would make reading quadratic).
struct Lines(Vec<usize>);

impl Lines {
    fn of(text: &str) -> Self {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The 1-based line of a byte offset.
    fn at(&self, offset: usize) -> usize {
        self.0.partition_point(|&nl| nl < offset) + 1
    }
}

/// Reads a registry document; `file` names it in errors.
pub fn read(file: &str, bytes: &[u8]) -> Result<Parsed, ImportError> {
    let at = |line: usize| {
        Some(Location {
            file: file.to_string(),
            line,
        })
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        ImportError(vec![Located {
            location: at(line),
            field: None,
            message: "invalid UTF-8".into(),
        }])
    })?;
    // A byte order mark is accepted, as in CSV files (spreadsheets write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawDoc = serde_json::from_str(text).map_err(|e| {
        ImportError(vec![Located {
            location: at(e.line()),
            field: None,
            message: format!("not a registry document: {e}"),
        }])
    })?;
    let mut errors = Vec::new();
    if raw.format.as_deref().is_some_and(|f| f != FORMAT) {
        errors.push(Located {
            location: at(1),
            field: Some("format".into()),
            message: format!("expected {FORMAT:?}"),
        });
    }
    if raw.format_version.is_some_and(|v| v > FORMAT_VERSION) {
        errors.push(Located {
            location: at(1),
            field: Some("format_version".into()),
            message: format!("this egovwatch reads versions up to {FORMAT_VERSION}"),
        });
    }
    let mut parsed = Parsed {
        channels_given: true,
        ..Parsed::default()
    };
    let lines = Lines::of(text);
    let ctx = &mut (file, text, &lines, &mut parsed, &mut errors);
    let reg = Registry {
        organisations: take(ctx, &raw.organisations).into(),
        life_events: take(ctx, &raw.life_events).into(),
        evidence_types: take(ctx, &raw.evidence_types).into(),
        outputs: take(ctx, &raw.outputs).into(),
        information_systems: take(ctx, &raw.information_systems).into(),
        datasets: take(ctx, &raw.datasets).into(),
        services: take(ctx, &raw.services).into(),
        exchange_links: take(ctx, &raw.exchange_links).into(),
    };
    if !errors.is_empty() {
        return Err(ImportError(errors));
    }
    parsed.registry = reg;
    Ok(parsed)
}

/// serde_json's message without its " at line L column C" tail, which counts from the start of
/// the record rather than the file; the located line replaces it.
fn without_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

type Ctx<'a, 'b> = (
    &'a str,
    &'a str,
    &'a Lines,
    &'b mut Parsed,
    &'b mut Vec<Located>,
);

fn take<T: Record + DeserializeOwned>(ctx: &mut Ctx<'_, '_>, raws: &[&RawValue]) -> Vec<T> {
    let (file, text, lines, parsed, errors) = ctx;
    let mut out = Vec::new();
    for raw in raws {
        // The raw value borrows from `text`, so its address gives its line.
        let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let first_line = lines.at(offset);
        let record: T = match serde_json::from_str(raw.get()) {
            Ok(r) => r,
            Err(e) => {
                errors.push(Located {
                    location: Some(Location {
                        file: file.to_string(),
                        line: first_line + e.line().saturating_sub(1),
                    }),
                    field: None,
                    message: format!("{}: {}", T::KIND, without_position(&e)),
                });
                continue;
            }
        };
        let here = Location {
            file: file.to_string(),
            line: first_line,
        };
        if !parsed.place(T::KIND, record.code(), here.clone(), errors) {
            continue;
        }
        for e in record.field_errors() {
            errors.push(Located {
                location: Some(here.clone()),
                field: Some(e.field),
                message: e.message,
            });
        }
        out.push(record);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_point_at_the_record_line() {
        let doc = r#"{
  "evidence_types": [
    {"code": "EV-A", "name": {"en": "A"}, "status": "active", "provenance": "manual"},
    {"code": "EV-B", "name": {"en": "B"}, "status": "gone", "provenance": "manual"},
    {"code": "EV-A", "name": {"en": "A again"}, "status": "active", "provenance": "manual"},
    {"code": "EV-C", "name": {"en": " "}, "status": "active", "provenance": "manual"}
  ]
}"#;
        let err = read("reg.json", doc.as_bytes()).expect_err("bad input");
        let lines: Vec<String> = err.0.iter().map(|e| e.to_string()).collect();
        assert!(
            lines[0].starts_with("reg.json:4: evidence_type: "),
            "{lines:?}"
        );
        assert_eq!(
            lines[0],
            "reg.json:4: evidence_type: unknown variant `gone`, expected `active` or `withdrawn`"
        );
        assert_eq!(
            lines[1],
            "reg.json:5: code: EV-A appears twice (first at reg.json:3)"
        );
        assert_eq!(lines[2], "reg.json:6: name.en: is empty");
    }

    #[test]
    fn refuses_unknown_collections_and_bad_utf8() {
        let err = read("x.json", br#"{"servces": []}"#).expect_err("typo");
        assert!(err.to_string().contains("unknown field `servces`"), "{err}");
        let err = read("x.json", b"{\n\"services\": [\xff]}").expect_err("bad bytes");
        assert_eq!(err.to_string(), "x.json:2: invalid UTF-8");
    }

    #[test]
    fn writes_what_it_reads() {
        let doc = r#"{"organisations": [{"code": "ORG-B", "name": {"ru": "Б", "az": "B"}, "type": "fund", "status": "active", "provenance": "imported:riha"},
            {"code": "ORG-A", "name": {"en": "A"}, "type": "ministry", "parent": "ORG-B", "status": "active", "provenance": "seed"}]}"#;
        let parsed = read("x.json", doc.as_bytes()).expect("valid");
        let out = write(&parsed.registry);
        let again = read("y.json", out.as_bytes()).expect("own output reads");
        assert_eq!(write(&again.registry), out);
        assert!(
            out.find("ORG-A").expect("a") < out.find("ORG-B").expect("b"),
            "sorted by code"
        );
        assert!(out.find("\"az\": \"B\"").expect("az") < out.find("\"ru\": \"Б\"").expect("ru"));
    }
}
