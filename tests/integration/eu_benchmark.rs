//! The Commission's benchmark workbook (the three-country sample of `data/eu-egbr-2023`)
//! imported and replayed through the command line, on SQLite and PostgreSQL: every published
//! value at the published precision.

use crate::support::*;

const WORKBOOK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/eu-egbr-2023/egbr-2023-final-results-AT-MT-NO.xlsx"
);

#[test]
fn the_sample_workbook_is_replayed_to_every_published_value() {
    for db in backends("the_sample_workbook_is_replayed_to_every_published_value") {
        let (ok, out) = run_bin(&["import", "eu-benchmark", WORKBOOK, "--db", &db.url]);
        assert!(ok, "{}: import failed: {out}", db.name);
        assert!(out.contains("6 new, 0 unchanged"), "{}: {out}", db.name);
        // The one proactive service whose published values its rule does not give.
        assert!(
            out.contains("set value: NO-2022-FAM-1.2 eid = no score")
                && out.contains("set value: NO-2022-FAM-1.2 edocuments = 0"),
            "{}: {out}",
            db.name
        );
        let export = || {
            let (ok, out) = run_bin(&["export", "registry", "--format", "json", "--db", &db.url]);
            assert!(ok, "{out}");
            out
        };
        let before = export();
        let (ok, out) = run_bin(&["import", "eu-benchmark", WORKBOOK, "--db", &db.url]);
        assert!(ok, "{}: second import failed: {out}", db.name);
        assert!(
            out.contains("0 new, 6 unchanged") && out.contains("created 0, updated 0, withdrawn 0"),
            "{}: {out}",
            db.name
        );
        assert_eq!(
            before,
            export(),
            "{}: a second import changed the registry",
            db.name
        );

        let (ok, out) = run_bin(&[
            "replay",
            "eu-benchmark",
            WORKBOOK,
            "--format",
            "json",
            "--db",
            &db.url,
        ]);
        assert!(ok, "{}: replay failed: {out}", db.name);
        let doc: serde_json::Value = serde_json::from_str(&out).expect("replay JSON");
        let levels = doc["levels"].as_array().expect("levels");
        let mut seen = Vec::new();
        for l in levels {
            let name = l["level"].as_str().expect("level name");
            let compared = l["compared"].as_u64().expect("compared");
            assert!(compared > 0, "{}: nothing compared at {name}", db.name);
            assert_eq!(
                l["equal_at_published_precision"].as_u64(),
                Some(compared),
                "{}: {name}: {}",
                db.name,
                doc["differences"]
            );
            seen.push((name.to_string(), compared));
        }
        // Every published number of the sample for these levels (docs/eu-benchmark.md 1).
        let count = |n: &str| seen.iter().find(|(l, _)| l == n).map(|(_, c)| *c);
        assert_eq!(count("service"), Some(1104 + 332), "{}: {seen:?}", db.name);
        assert_eq!(count("indicator"), Some(377), "{}: {seen:?}", db.name);
        assert_eq!(count("benchmark"), Some(108), "{}: {seen:?}", db.name);
        assert_eq!(count("life_event"), Some(27), "{}: {seen:?}", db.name);
        assert_eq!(count("country"), Some(114), "{}: {seen:?}", db.name);
        assert_eq!(count("biennial"), Some(57), "{}: {seen:?}", db.name);

        // The same figures through `score`: Austria 2022 (published 82.268…) and the biennial
        // with 2021, a round with other services and life events (published 77.752…).
        let (ok, out) = run_bin(&[
            "score",
            "--round",
            "EU-2022-AT",
            "--format",
            "json",
            "--db",
            &db.url,
        ]);
        assert!(ok, "{}: {out}", db.name);
        let doc: serde_json::Value = serde_json::from_str(&out).expect("score JSON");
        assert_eq!(doc["total"].as_f64(), Some(82.3), "{}: {out}", db.name);
        assert_eq!(
            doc["window"]["rounds"],
            serde_json::json!(["EU-2021-AT", "EU-2022-AT"]),
            "{}: {out}",
            db.name
        );
        assert_eq!(
            doc["window"]["value"].as_f64(),
            Some(77.8),
            "{}: {out}",
            db.name
        );
    }
}

#[test]
fn a_workbook_that_is_not_one_is_refused_with_nothing_written() {
    let db = sqlite();
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("not.xlsx");
    std::fs::write(&path, b"PK\x03\x04 not really a zip").expect("write");
    let (ok, out) = run_bin(&[
        "import",
        "eu-benchmark",
        &path.display().to_string(),
        "--db",
        &db.url,
    ]);
    assert!(!ok && out.contains("not an xlsx workbook"), "{out}");
    // Refused before the database was touched: not even created.
    assert!(!std::path::Path::new(&db.url).exists(), "{out}");
}
