//! The progress report on the demo, on both backends: written in each format, deterministic,
//! the seed's story in it, and the Markdown equal to the reviewed snapshot.

use crate::support::*;

const SNAPSHOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/snapshots/progress-report-2015-H1-en.md"
);

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
        if std::env::var_os("EGOVWATCH_UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(SNAPSHOT, &md).expect("update snapshot");
        }
        let expected = std::fs::read_to_string(SNAPSHOT)
            .expect("snapshot (EGOVWATCH_UPDATE_SNAPSHOTS=1 writes it)");
        assert!(
            md == expected,
            "{}: the Markdown differs from tests/snapshots; review and rerun with EGOVWATCH_UPDATE_SNAPSHOTS=1",
            db.name
        );

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
