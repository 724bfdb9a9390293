//! The Commission's eGovernment Benchmark 2023 workbook, three-country sample
//! (`data/eu-egbr-2023/`, CC BY 4.0, © European Union), read as it is published.

use egovwatch_interop::eu_benchmark::{
    self, Answer, CB_DATA, GovernmentLevel, NAT_DATA, Perspective, ServiceRow, Workbook,
};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;

fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/eu-egbr-2023/egbr-2023-final-results-AT-MT-NO.xlsx")
}

fn sample() -> Workbook {
    let bytes = std::fs::read(sample_path()).expect("the sample workbook");
    eu_benchmark::read("sample.xlsx", &bytes).expect("the sample reads")
}

fn count<T>(items: &[T], f: impl Fn(&T) -> bool) -> usize {
    items.iter().filter(|x| f(x)).count()
}

#[test]
fn every_row_of_the_sample_is_read() {
    let wb = sample();
    // Row counts of data/eu-egbr-2023/README.md (AT + MT + NO).
    let seen = |p: Perspective| move |s: &ServiceRow| s.perspective == p;
    assert_eq!(count(&wb.services, seen(Perspective::National)), 276);
    assert_eq!(count(&wb.services, seen(Perspective::CrossBorder)), 165);
    let urls = |p: Perspective| count(&wb.urls, |u| u.perspective == p);
    assert_eq!(urls(Perspective::National), 538);
    assert_eq!(urls(Perspective::CrossBorder), 244);
    let portals = |p: Perspective| count(&wb.portals, |u| u.perspective == p);
    assert_eq!(portals(Perspective::National), 72);
    assert_eq!(portals(Perspective::CrossBorder), 72);
    // Per data collection, as the README counts them.
    for (country, y2022, y2021) in [("AT", 158, 99), ("MT", 72, 48), ("NO", 93, 68)] {
        let n = |y: u16| {
            count(&wb.urls, |u| {
                u.perspective == Perspective::National && u.country == country && u.year == y
            })
        };
        assert_eq!((n(2022), n(2021)), (y2022, y2021), "{country}");
    }
}

#[test]
fn the_published_scores_are_those_of_the_expected_file() {
    let wb = sample();
    let path = sample_path().with_file_name("expected-AT-MT-NO.csv");
    let mut expected = BTreeMap::new();
    let mut r = csv::Reader::from_path(path).expect("expected csv");
    for row in r.records() {
        let row = row.expect("row");
        let value: f64 = row[3].parse().expect("value");
        expected.insert(
            (row[0].to_string(), row[1].to_string(), row[2].to_string()),
            value,
        );
    }
    assert_eq!(expected.len(), 2422);
    let read: BTreeMap<_, _> = wb
        .published
        .iter()
        .map(|p| {
            (
                (p.country.clone(), p.indicator.clone(), p.column.clone()),
                p.value,
            )
        })
        .collect();
    assert_eq!(read.len(), wb.published.len(), "one value per cell");
    for (k, v) in &expected {
        // Bit for bit: the workbook holds the values Excel stored.
        assert_eq!(read.get(k), Some(v), "{k:?}");
    }
    assert_eq!(read.len(), expected.len());
}

#[test]
fn answers_flags_and_places_are_kept() {
    let wb = sample();
    // AT Business Start-up 1.1, the first URL of sheet 3b (row 7).
    let u = &wb.urls[0];
    assert_eq!(u.at.to_string(), format!("{NAT_DATA}!C7"));
    assert_eq!((u.country.as_str(), u.year), ("AT", 2022));
    assert!(u.label.starts_with("1.1 Check requirements"), "{}", u.label);
    assert_eq!(u.level, Some(GovernmentLevel::Central));
    assert!(u.url.starts_with("https://www.usp.gv.at/"), "{}", u.url);
    assert_eq!(u.answers.get("A1"), Some(&Answer::Yes));
    assert_eq!(u.answers.get("MF"), Some(&Answer::Number(100.0)));
    assert_eq!(u.answers.get("C1"), None, "an empty cell is no answer");
    // Split and barrier questions of the cross-border sheet keep their own ids.
    let cb = wb
        .urls
        .iter()
        .find(|u| u.perspective == Perspective::CrossBorder && u.answers.contains_key("I4_1"))
        .expect("a cross-border page with I4_1");
    assert!(cb.at.to_string().starts_with(CB_DATA), "{}", cb.at);
    assert!(cb.answers.contains_key("I4_2") && cb.answers.contains_key("G3_1"));
    assert!(
        !cb.answers.contains_key("G3_8"),
        "free text is a note, not an answer"
    );
    // Proactive and not-applicable services are flagged on their own perspective.
    assert!(wb.services.iter().any(|s| s.proactive && s.applicable));
    assert!(
        wb.services
            .iter()
            .any(|s| !s.applicable && s.level.is_none())
    );
    // Portals: graded answers are numbers.
    let p = &wb.portals[0];
    assert_eq!(p.answers.get("D1"), Some(&Answer::Number(3.0)));
    // Not relevant is read whatever its spelling.
    assert!(
        wb.urls
            .iter()
            .any(|u| u.answers.values().any(|a| *a == Answer::NotRelevant))
    );
}

/// The sample with cells changed: (sheet XML file, exact cell XML, replacement).
fn edited(edits: &[(&str, &str, &str)]) -> Vec<u8> {
    let bytes = std::fs::read(sample_path()).expect("sample");
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read entry");
        for (file, from, to) in edits {
            if name == *file {
                let text = String::from_utf8(data).expect("xml");
                assert!(text.contains(from), "{from} not in {file}");
                data = text.replacen(from, to, 1).into_bytes();
            }
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn every_unreadable_cell_is_named() {
    // Sheet 7 of the file is `3b. Nat. Services - Data`.
    let sheet = "xl/worksheets/sheet7.xml";
    let bytes = edited(&[
        (
            sheet,
            r#"<c r="M7" s="91" t="inlineStr"><is><t>Yes</t></is></c>"#,
            r#"<c r="M7" s="91" t="inlineStr"><is><t>Maybe</t></is></c>"#,
        ),
        (
            sheet,
            r#"<c r="J7" s="95" t="n"><v>2022</v></c>"#,
            r#"<c r="J7" s="95" t="inlineStr"><is><t>last year</t></is></c>"#,
        ),
    ]);
    let err = eu_benchmark::read("edited.xlsx", &bytes).expect_err("refused");
    let text = err.to_string();
    assert!(
        text.contains("3b. Nat. Services - Data!M7: \"Maybe\" is not an answer"),
        "{text}"
    );
    assert!(
        text.contains("3b. Nat. Services - Data!J7: \"last year\" is not a year"),
        "{text}"
    );
    assert_eq!(err.0.len(), 2, "{text}");
}

#[test]
fn a_file_that_is_not_the_workbook_is_refused_whole() {
    let err = eu_benchmark::read("notes.txt", b"not a workbook").expect_err("refused");
    assert!(
        err.to_string()
            .starts_with("notes.txt: not an xlsx workbook"),
        "{err}"
    );
    // A zip without the workbook's sheets.
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    out.start_file("x.txt", zip::write::SimpleFileOptions::default())
        .expect("start");
    out.write_all(b"x").expect("write");
    let bytes = out.finish().expect("finish").into_inner();
    assert!(eu_benchmark::read("empty.xlsx", &bytes).is_err());
}

/// Found by the `eu_workbook` fuzz target: a cell reference of absurd length overflows inside
/// the xlsx reader (in builds with overflow checks); the file is refused, nothing panics.
#[test]
fn an_absurd_cell_reference_is_refused_not_a_crash() {
    let bytes = edited(&[(
        "xl/worksheets/sheet7.xml",
        r#"<c r="M7" s="91" t="inlineStr">"#,
        r#"<c r="MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM7" s="91" t="inlineStr">"#,
    )]);
    match eu_benchmark::read("absurd.xlsx", &bytes) {
        // Without overflow checks the reader wraps the column and reads on.
        Ok(_) if !cfg!(debug_assertions) => {}
        Ok(_) => panic!("the overflow was not seen"),
        Err(e) => assert!(
            e.to_string()
                .starts_with("absurd.xlsx: the xlsx reader failed on this file"),
            "{e}"
        ),
    }
}

fn eu_framework() -> egovwatch_domain::scoring::Framework {
    egovwatch_domain::scoring::catalog::builtin_by_id("eu-egov-benchmark-2020").expect("shipped")
}

#[test]
fn the_sample_becomes_records_and_rounds_the_same_way_every_time() {
    use egovwatch_interop::eu_registry;
    let (wb, fw) = (sample(), eu_framework());
    let records = eu_registry::records(&wb, &fw).expect("the sample maps");
    assert_eq!(records, eu_registry::records(&wb, &fw).expect("again"));
    let reg = &records.registry;
    let codes: Vec<&str> = reg.organisations.iter().map(|o| o.code.as_str()).collect();
    assert_eq!(codes, ["AT", "MT", "NO"]);
    assert_eq!(reg.life_events.len(), 9);
    // 92 national and 55 cross-border labels per year and country make 276 + 9 CB-only
    // services, and 3 countries × 9 life events of portals.
    let portals = reg
        .services
        .iter()
        .filter(|s| s.code.as_str().ends_with("-PORTAL"))
        .count();
    assert_eq!(portals, 27);
    assert_eq!(reg.services.len() - portals, 285);
    let child = reg
        .services
        .iter()
        .find(|s| s.code.as_str() == "NO-2022-FAM-1.2")
        .expect("NO Family 1.2");
    assert_eq!(child.organisations[0].as_str(), "NO");
    assert_eq!(child.life_events[0].as_str(), "EU-FAM");
    assert_eq!(records.rounds.len(), 6);
    let at22 = records
        .rounds
        .iter()
        .find(|r| r.round.code == "EU-2022-AT")
        .expect("Austria 2022");
    assert!(at22.round.scope.iter().all(|s| s.starts_with("AT-2022-")));
    // Every answer names the cell it came from; cross-border answers say so.
    assert!(at22.answers.iter().all(|a| !a.evidence_note.is_empty()));
    assert!(
        at22.answers
            .iter()
            .any(|a| a.perspective == Perspective::CrossBorder && a.question == "G1")
    );
    assert_eq!(
        records
            .set_values
            .iter()
            .map(|(s, n, v, _)| (s.as_str(), n.as_str(), *v))
            .collect::<Vec<_>>(),
        [
            ("NO-2022-FAM-1.2", "eid", None),
            ("NO-2022-FAM-1.2", "edocuments", Some(0.0))
        ]
    );
}

#[test]
fn rows_that_cannot_become_records_are_named_by_their_cell() {
    use egovwatch_interop::eu_registry;
    let mut wb = sample();
    wb.services[3].label = "Register a child".into();
    wb.services[5].country = "XX".into();
    wb.urls[7].life_event = "Holidays".into();
    let err = eu_registry::records(&wb, &eu_framework())
        .expect_err("refused")
        .to_string();
    for (row, what) in [
        (&wb.services[3].at, "does not start with its number"),
        (
            &wb.services[5].at,
            "\"XX\" is not a country of the benchmark",
        ),
        (
            &wb.urls[7].at,
            "\"Holidays\" is not a life event of the benchmark",
        ),
    ] {
        assert!(
            err.contains(&format!("{row}: ")) && err.contains(what),
            "{err}"
        );
    }
}
