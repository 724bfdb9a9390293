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
    }
}
