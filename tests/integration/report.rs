//! The progress report on the demo, on both backends: written in each format, deterministic,
//! the seed's story in it, and the Markdown equal to the reviewed snapshot
//! (`tests/integration/snapshots`, insta).

use crate::support::*;

#[test]
fn the_demo_report_tells_the_seed_story_the_same_way_every_time() {
    for db in backends("the_demo_report_tells_the_seed_story_the_same_way_every_time") {
        let out = run_demo(&db);
        let write = |dir: &std::path::Path, lang: &str| {
            let d = dir.display().to_string();
            let (ok, text) = run_bin(&[
                "report",
                "--round",
                "2015-H1",
                "--against",
                "2014-H2",
                "--lang",
                lang,
                "--format",
                "all",
                "--out",
                &d,
                "--db",
                &db.url,
            ]);
            assert!(ok, "{}: {text}", db.name);
        };
        let (a, b) = (out.path().join("a"), out.path().join("b"));
        write(&a, "en");
        write(&b, "en");
        let pdf = a.join("progress-report-2015-H1-en.pdf");
        assert!(
            std::fs::read(&pdf)
                .expect("pdf written")
                .starts_with(b"%PDF-"),
            "{}: a PDF",
            db.name
        );
        assert_eq!(
            std::fs::read(&pdf).expect("pdf"),
            std::fs::read(b.join("progress-report-2015-H1-en.pdf")).expect("pdf"),
            "{}: the PDF is deterministic too",
            db.name
        );
        pdf_checks(&pdf, &out.path().join("pages"));
        for ext in ["html", "md"] {
            let name = format!("progress-report-2015-H1-en.{ext}");
            let first = std::fs::read(a.join(&name)).expect("report written");
            assert_eq!(
                first,
                std::fs::read(b.join(&name)).expect("report written"),
                "{}: {name} is deterministic",
                db.name
            );
        }
        let md =
            std::fs::read_to_string(a.join("progress-report-2015-H1-en.md")).expect("markdown");
        for seed in [
            "E-registration with kindergartens",
            "Online change of residential registration",
            "Searching for a job",
            "Assignment of unemployment status",
            "Unemployment allowance",
            "Award of disability status",
            "Disability allowance",
            "Online medical death certificate",
            "Online passport application",
            "Online national ID card application",
            "Online change of driver's licence",
            "Ordering a car plate number online",
        ] {
            assert!(md.contains(seed), "{}: the report names {seed}", db.name);
        }
        assert!(md.contains("The national index is 33.6 (previous round 22.7, change +10.9)."));
        assert!(md.contains("Certificate of diploma") && md.contains("Land cadastre"));
        assert!(
            md.contains("Date: 2015-06-29"),
            "dated from the round, not the clock"
        );
        assert!(
            a.join("progress-report-2015-H1-en-data.csv").is_file()
                && a.join("progress-report-2015-H1-en-stages-per-life-event.svg")
                    .is_file()
        );
        insta::assert_snapshot!("progress-report-2015-H1-en", md);

        write(&out.path().join("az"), "az");
        let az = std::fs::read_to_string(out.path().join("az/progress-report-2015-H1-az.md"))
            .expect("az");
        assert!(
            az.contains("Elektron xidmətlər üzrə irəliləyiş hesabatı")
                && az.contains("Uşaq bağçalarına elektron qeydiyyat")
        );
        let html = std::fs::read_to_string(out.path().join("az/progress-report-2015-H1-az.html"))
            .expect("html");
        assert!(
            html.starts_with("<!doctype html>")
                && html.contains("<html lang=\"az\">")
                && html.contains("<svg")
                && !html.contains("<link"),
            "self-contained"
        );
        // Each chart's numbers are behind a disclosure inside its figure, not a table after it.
        let charts = html.matches("<svg").count();
        assert!(
            charts >= 3
                && html.matches("<details>").count() == charts
                && !html.contains("</svg>\n<table>")
                && !html.contains("</figure>\n<table>"),
            "{}: {charts} charts, each with its table behind a disclosure",
            db.name
        );
    }
}

/// With poppler's tools (Debian `poppler-utils`) present: the PDF's text holds the headline
/// numbers and the seed's services, and its first pages render to PNG images (kept in
/// `target/report-pages` for a look). Without them the check says SKIP.
fn pdf_checks(pdf: &std::path::Path, pages: &std::path::Path) {
    let text = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output();
    let Some(text) = text.ok().filter(|o| o.status.success()) else {
        skip("pdf text: pdftotext (poppler-utils) not found");
        return;
    };
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    for w in [
        "33.6",
        "22.7",
        "kindergartens",
        "passport",
        "plate number",
        "death certificate",
        "disability",
        "unemployment",
        "Certificate of diploma",
        "Land cadastre",
        "Contents",
    ] {
        assert!(text.contains(w), "the PDF text has {w}");
    }
    std::fs::create_dir_all(pages).expect("pages dir");
    let prefix = pages.join("page");
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "50", "-f", "1", "-l", "3", "-png"])
        .arg(pdf)
        .arg(&prefix)
        .status();
    if ok.is_ok_and(|s| s.success()) {
        let rendered: Vec<_> = std::fs::read_dir(pages).expect("pages").flatten().collect();
        assert_eq!(rendered.len(), 3, "three pages rendered");
        for p in &rendered {
            let bytes = std::fs::read(p.path()).expect("png");
            assert!(
                bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000,
                "{} is a page with content",
                p.path().display()
            );
        }
        let keep = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-pages");
        let _ = std::fs::create_dir_all(&keep);
        for p in rendered {
            let _ = std::fs::copy(p.path(), keep.join(p.file_name()));
        }
    } else {
        skip("pdf pages: pdftoppm (poppler-utils) not found");
    }
}

/// The texts of a report a reader sees: the Markdown and HTML files of `lang` with their
/// escapes undone (`\*`, `&amp;`), so that a message can be looked for as written.
fn report_texts(dir: &std::path::Path, lang: &str) -> Vec<(String, String)> {
    ["md", "html"]
        .into_iter()
        .map(|ext| {
            let name = format!("progress-report-2015-H1-{lang}.{ext}");
            let raw = std::fs::read_to_string(dir.join(&name)).expect("report written");
            let mut text = String::with_capacity(raw.len());
            let mut chars = raw.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, chars.peek()) {
                    ('\\', Some(n)) if n.is_ascii_punctuation() => {}
                    _ => text.push(c),
                }
            }
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            (name, text)
        })
        .collect()
}

/// Internal codes a reader must not meet: record codes (services, organisations, exchange
/// links, channels, evidence types, information systems) and the syntax of `--assume`.
fn internal_codes(text: &str) -> Vec<String> {
    const PREFIXES: [&str; 6] = ["SRV-", "ORG-", "XL-", "CH-", "EV-", "IS-"];
    const SYNTAX: [&str; 5] = ["--assume", "link:", "dataset:", "system:", "evidence:"];
    text.split(|c: char| c.is_whitespace() || "()[]{}<>|;,\"'".contains(c))
        .filter(|w| {
            PREFIXES.iter().any(|p| w.starts_with(p)) || SYNTAX.iter().any(|s| w.contains(s))
        })
        .map(String::from)
        .collect()
}

/// The parts of an English message a reader could meet in a report: its text between the
/// placeables (`{ $round }`), trimmed; short parts (a word or two, a sign) are left out, as
/// they may be names or shared with the other language.
fn english_fragments(en: &str, other: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut part = String::new();
    for c in en.chars() {
        match c {
            '{' => {
                depth += 1;
                parts.push(std::mem::take(&mut part));
            }
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => part.push(c),
            _ => {}
        }
    }
    parts.push(part);
    parts
        .into_iter()
        .map(|p| {
            p.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
                .to_string()
        })
        .filter(|p| p.chars().count() >= 12 && p.contains(' ') && !other.contains(p.as_str()))
        .collect()
}

/// In Azerbaijani and Russian every word of the report is in the reader's language (no message
/// of the English catalogue that reads differently in theirs, no framework text left in
/// English), no internal code or assumption syntax is shown to a reader, and the PDF's title
/// page gives the national index as the language writes numbers.
#[test]
fn az_and_ru_reports_speak_the_readers_language_and_name_no_codes() {
    use egovwatch_domain::Lang;
    use egovwatch_i18n::Tr;
    let db = sqlite();
    let out = run_demo(&db);
    let en_keys = egovwatch_i18n::message_keys(egovwatch_i18n::sources()[1].1);
    assert!(en_keys.len() > 100, "{} messages", en_keys.len());
    let reported = egovwatch_app::rounds::reported(&db.store(), "2015-H1", Some("2014-H2"))
        .expect("the demo's rounds");
    for (lang, code) in [(Lang::Az, "az"), (Lang::Ru, "ru")] {
        let dir = out.path().join(code);
        let d = dir.display().to_string();
        let (ok, text) = run_bin(&[
            "report",
            "--round",
            "2015-H1",
            "--against",
            "2014-H2",
            "--lang",
            code,
            "--format",
            "all",
            "--out",
            &d,
            "--db",
            &db.url,
        ]);
        assert!(ok, "{code}: {text}");
        let (en, tr) = (Tr::new(Lang::En), Tr::new(lang));
        let english: Vec<(String, String)> = en_keys
            .iter()
            .filter_map(|k| {
                let (e, o) = (en.t(k), tr.t(k));
                (e != o).then(|| {
                    english_fragments(&e, &o)
                        .into_iter()
                        .map(move |f| (k.clone(), f))
                })
            })
            .flatten()
            .collect();
        assert!(
            english.len() > 100,
            "{code}: {} English parts",
            english.len()
        );
        // The framework's own English (its description, the stages' descriptions) too.
        let fw = &reported.now.fw;
        let framework_english: Vec<String> = std::iter::once(&fw.description)
            .chain(fw.stage_levels().iter().map(|l| &l.description))
            .filter_map(|t| t.get(Lang::En))
            .map(String::from)
            .collect();
        assert!(!framework_english.is_empty());
        for (file, text) in report_texts(&dir, code) {
            for (key, fragment) in &english {
                assert!(
                    !text.contains(fragment.as_str()),
                    "{file}: English text of {key} in a {code} report: {fragment:?}"
                );
            }
            for fragment in &framework_english {
                assert!(
                    !text.contains(fragment.as_str()),
                    "{file}: the framework's English in a {code} report: {fragment:?}"
                );
            }
            let codes = internal_codes(&text);
            assert!(codes.is_empty(), "{file}: internal codes {codes:?}");
        }

        // The title page: the national index as the reader's language writes it (33,6).
        let report = egovwatch_report::gather(&reported, lang, None).expect("report");
        let index = report.number(report.index_now);
        assert!(index.contains(','), "{code}: {index} has a decimal comma");
        let pdf = dir.join(format!("progress-report-2015-H1-{code}.pdf"));
        let page1 = std::process::Command::new("pdftotext")
            .args(["-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg("-")
            .output();
        let Some(page1) = page1.ok().filter(|o| o.status.success()) else {
            skip("pdf title page: pdftotext (poppler-utils) not found");
            continue;
        };
        let page1 = String::from_utf8_lossy(&page1.stdout).to_string();
        for want in [
            index.clone(),
            report.delta(report.index_now, report.index_before),
            tr.t("report-key-figures"),
            report.round_name.clone(),
        ] {
            assert!(
                page1.contains(&want),
                "{code}: the title page has {want:?}:\n{page1}"
            );
        }
        let all = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext ran once already");
        let codes = internal_codes(&String::from_utf8_lossy(&all.stdout));
        assert!(
            codes.is_empty(),
            "{code}: PDF text with internal codes {codes:?}"
        );
    }
}

/// A reader forwarding the PDF meets no page that is mostly empty: the title page is a page
/// of its own, every other page at least half full, the last one not a stray row or two.
#[test]
fn no_page_of_the_demo_pdf_is_mostly_empty() {
    use egovwatch_domain::Lang;
    let db = sqlite();
    let _out = run_demo(&db);
    let reported = egovwatch_app::rounds::reported(&db.store(), "2015-H1", Some("2014-H2"))
        .expect("the demo's rounds");
    for lang in Lang::ALL {
        let report = egovwatch_report::gather(&reported, lang, None).expect("report");
        let blocks = egovwatch_report::document::blocks(&report);
        let fills = egovwatch_report::pdf::page_fills(&report, &blocks).expect("typesets");
        let shown: Vec<String> = fills.iter().map(|f| format!("{f:.2}")).collect();
        let Some((last, pages)) = fills.split_last() else {
            panic!("{lang}: no pages");
        };
        assert!(pages.len() >= 2, "{lang}: pages {shown:?}");
        for (i, f) in pages.iter().enumerate() {
            assert!(
                *f >= 0.5,
                "{lang}: page {} is mostly empty: {shown:?}",
                i + 1
            );
        }
        assert!(
            *last >= 0.3,
            "{lang}: the last page is almost empty: {shown:?}"
        );
    }
}

/// In a registry of several countries (`synth`, the EU benchmark's framework: no stages), the
/// report of one country's round and the gap analysis of that round speak of that country
/// only: its base registries, its missing exchanges, what to build first for it.
#[test]
fn a_country_s_report_and_gaps_speak_of_that_country_only() {
    let country = regex::Regex::new(r"\bC\d{3}-").expect("pattern");
    for db in backends("a_country_s_report_and_gaps_speak_of_that_country_only") {
        let (_out, md) = synthetic_report(&db, ["3", "60", "2"], "C002-R02", Some("C002-R01"));
        let (ok, gaps) = run_bin(&[
            "gaps", "--round", "C002-R02", "--format", "json", "--db", &db.url,
        ]);
        assert!(ok, "{}: {gaps}", db.name);
        let gaps: serde_json::Value = serde_json::from_str(&gaps).expect("json");
        // Every code of a record the report names is the country's; the sections are there.
        let countries = |text: &str| -> std::collections::BTreeSet<String> {
            country
                .find_iter(text)
                .map(|m| m.as_str().to_string())
                .collect()
        };
        assert_eq!(
            countries(&md).into_iter().collect::<Vec<_>>(),
            ["C002-"],
            "{}",
            db.name
        );
        for section in [
            "### Base registries not fully digitised",
            "### What to build first",
        ] {
            let at = md.find(section).expect(section);
            assert!(
                md[at..].contains("| 1 |") || md[at..].contains("Register no."),
                "{}: {section} lists the country's records",
                db.name
            );
        }
        let analysed = gaps["services"].as_array().expect("services");
        assert_eq!(analysed.len(), 60, "{}: the country's services", db.name);
        assert_eq!(
            countries(&gaps.to_string()).into_iter().collect::<Vec<_>>(),
            ["C002-"],
            "{}",
            db.name
        );
    }
}

/// A round of more services than a table of the report shows (`document::MAX_ROWS`): each
/// table stops there and says how many rows there are and where every one is; the CSV data
/// file beside the report has them all.
#[test]
fn a_large_round_s_report_shows_bounded_tables_and_says_where_the_rest_is() {
    let db = sqlite();
    let (out, md) = synthetic_report(&db, ["1", "300", "1"], "C001-STAGES", None);
    let max = egovwatch_report::document::MAX_ROWS;
    let annex = &md[md.find("## Annex B").expect("annex B")..];
    let annex = &annex[..annex.find("## Annex C").expect("annex C")];
    let rows = annex
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("(C001-S"))
        .count();
    assert_eq!(rows, max, "{annex}");
    assert!(
        annex.contains(&format!("The first {max} of 300 rows are shown here")),
        "{annex}"
    );
    let csv = std::fs::read_to_string(out.path().join("progress-report-C001-STAGES-en-data.csv"))
        .expect("data file");
    assert_eq!(csv.lines().count(), 301, "every service in the data file");
    // Without a round to compare with, nothing is said to have moved.
    assert!(md.contains("The national index is "), "{md}");
    assert!(md.contains("There is no earlier round to compare with."));
    assert!(!md.contains("unchanged") && !md.contains("previous round"));
    assert!(
        csv.lines().skip(1).all(|l| l.ends_with(',')),
        "no change column"
    );
}

/// `synth` of `[countries, services, rounds]` into `db`, then the English Markdown report of
/// `round` (against `against`): the folder it is written in, and the report.
fn synthetic_report(
    db: &TestDb,
    synth: [&str; 3],
    round: &str,
    against: Option<&str>,
) -> (tempfile::TempDir, String) {
    synth_into(db, synth);
    let out = tempfile::tempdir().expect("temp dir");
    let d = out.path().display().to_string();
    let mut args = vec!["report", "--round", round, "--format", "md", "--out", &d];
    if let Some(a) = against {
        args.extend(["--against", a]);
    }
    args.extend(["--db", &db.url]);
    let (ok, text) = run_bin(&args);
    assert!(ok, "{}: {text}", db.name);
    let md = std::fs::read_to_string(out.path().join(format!("progress-report-{round}-en.md")))
        .expect("markdown");
    (out, md)
}

/// A report on an earlier round is written on the registry as it stands now: it says so when a
/// base registry's record describes a state after the round's period.
#[test]
fn a_report_on_an_earlier_round_says_when_the_registry_describes_a_later_state() {
    let db = sqlite();
    let _out = run_demo(&db);
    let said = |round: &str| {
        let reported =
            egovwatch_app::rounds::reported(&db.store(), round, None).expect("the demo's rounds");
        let rep = egovwatch_report::gather(&reported, egovwatch_domain::Lang::En, None)
            .expect("a report");
        let blocks = egovwatch_report::document::blocks(&rep);
        egovwatch_report::markdown::render(&rep, &blocks)
    };
    let earlier = said("2014-H2");
    assert!(
        earlier.contains(
            "These are the registry's records as they stand now: some describe a state after \
             this round's period, which ended on 2014-12-31."
        ),
        "the 2014-H2 report names registries as of 2015"
    );
    assert!(!said("2015-H1").contains("as they stand now"));
}
