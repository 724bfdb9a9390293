//! The binary as a user runs it: demo, export, a refused import that leaves the file alone.

use crate::support::*;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_egovwatch");

fn run(args: &[&str]) -> (bool, String) {
    run_bin(args)
}

fn sha(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read db file")
}

#[test]
fn demo_export_and_a_refused_csv_import() {
    for db in backends("demo_export_and_a_refused_csv_import") {
        let dir = tempfile::tempdir().expect("tmp");
        let d = |p: &str| dir.path().join(p).display().to_string();
        let (ok, out) = run(&["demo", "--no-serve", "--db", &db.url, "--out", &d("out")]);
        assert!(ok, "{}: demo failed: {out}", db.name);
        assert!(Path::new(&d("out/registry.json")).is_file());

        let (ok, out) = run(&[
            "export",
            "registry",
            "--format",
            "json",
            "--db",
            &db.url,
            "--out",
            &d("reg.json"),
        ]);
        assert!(ok, "{out}");
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d("reg.json")).expect("read"))
                .expect("json");
        let seed = doc["services"]
            .as_array()
            .expect("services")
            .iter()
            .filter(|s| s["provenance"] == "seed")
            .count();
        assert_eq!(seed, 16);

        let (ok, out) = run(&[
            "export",
            "registry",
            "--format",
            "csv",
            "--db",
            &db.url,
            "--out",
            &d("csv"),
        ]);
        assert!(ok, "{out}");
        let services = dir.path().join("csv/services.csv");
        let body = std::fs::read_to_string(&services).expect("services.csv");
        let mut lines: Vec<&str> = body.split('\n').collect();
        let bad = format!("{},an extra column", lines[6]);
        lines[6] = &bad;
        std::fs::write(&services, lines.join("\n")).expect("write");

        let before_file = (db.name == "sqlite").then(|| sha(Path::new(&db.url)));
        let before_export = std::fs::read_to_string(d("reg.json")).expect("read");
        let (ok, out) = run(&["import", "registry", &d("csv"), "--db", &db.url]);
        assert!(!ok, "{}: a bad CSV was accepted", db.name);
        assert!(
            out.contains("services.csv:7: column 15: wrong column count"),
            "{}: {out}",
            db.name
        );
        assert!(out.contains("nothing was imported"), "{out}");
        if let Some(before) = before_file {
            assert!(sha(Path::new(&db.url)) == before, "the SQLite file changed");
        }
        let (ok, _) = run(&[
            "export",
            "registry",
            "--db",
            &db.url,
            "--out",
            &d("after.json"),
        ]);
        assert!(ok);
        assert_eq!(
            std::fs::read_to_string(d("after.json")).expect("read"),
            before_export,
            "{}",
            db.name
        );

        let (ok, out) = run(&["history", "service", "SRV-0013", "--db", &db.url]);
        assert!(
            ok && out.contains("SRV-0013 v1 create by egovwatch demo"),
            "{out}"
        );
    }
}

#[test]
fn serve_prints_its_address_and_answers() {
    let db = sqlite();
    let _ = demo_store(&db);
    // `serve` prints the address it listens on first, and answers there.
    let server = serve(&db.url);
    let page = get(&server.addr, "/en/services/SRV-0013").expect("200");
    assert!(page.contains("Certificate of residential registration"));
}

#[test]
fn migrate_and_json_errors_speak_plainly() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("m.db").display().to_string();
    let (ok, out) = run(&["migrate", "--db", &db]);
    assert!(ok && out.contains("ran migration"), "{out}");
    let (ok, out) = run(&["migrate", "--db", &db]);
    assert!(ok && out.contains("up to date"), "{out}");

    let bad = dir.path().join("bad.json");
    let doc = "{\n  \"organisations\": [\n    {\"code\": \"ORG-X\", \"name\": {\"en\": \"X\"}, \"type\": \"ministry\", \"status\": \"active\", \"provenance\": \"manual\"}\n  ],\n  \"services\": [\n    {\"code\": \"SRV-X\", \"name\": {\"en\": \"X\"}, \"status\": \"active\", \"organisations\": [\"ORG-Y\"], \"provenance\": \"manual\"}\n  ]\n}\n";
    std::fs::write(&bad, doc).expect("write");
    let (ok, out) = run(&[
        "import",
        "registry",
        &bad.display().to_string(),
        "--db",
        &db,
    ]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("bad.json:6: organisations: unknown organisation code ORG-Y"),
        "{out}"
    );
    let (ok, out) = run(&["export", "registry", "--db", &db]);
    assert!(
        ok && !out.contains("ORG-X"),
        "nothing of a refused file is kept: {out}"
    );
}

/// `score --node all`: every node of the framework for every service, group and total, unrounded
/// with `--precision full`, on the demo's `stages` round and on a synthetic EU benchmark round.
#[test]
fn score_prints_every_node_at_full_precision() {
    let db = sqlite();
    let (ok, text) = run(&[
        "synth",
        "--countries",
        "1",
        "--services",
        "40",
        "--rounds",
        "1",
        "--db",
        &db.url,
    ]);
    assert!(ok, "{text}");
    let (ok, rounds) = run(&["round", "list", "--db", &db.url]);
    assert!(ok, "{rounds}");
    let codes: Vec<&str> = rounds
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(codes.len() >= 2, "{rounds}");
    for code in codes {
        let (ok, text) = run(&[
            "score",
            "--round",
            code,
            "--node",
            "all",
            "--precision",
            "full",
            "--format",
            "json",
            "--db",
            &db.url,
        ]);
        assert!(ok, "{code}: {text}");
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        let fw = doc["framework"]["id"]
            .as_str()
            .expect("framework")
            .to_string();
        let framework = egovwatch_domain::scoring::catalog::builtin_by_id(&fw).expect("shipped");
        let nodes = doc["nodes"].as_array().expect("nodes");
        // Every node of the framework is there, at every level it lives on.
        for node in &framework.nodes {
            assert!(
                nodes.iter().any(|n| n["node"] == node.id.as_str()),
                "{code}: node {} missing",
                node.id
            );
        }
        let levels: std::collections::BTreeSet<&str> =
            nodes.iter().filter_map(|n| n["level"].as_str()).collect();
        assert!(
            levels.contains("unit") && levels.contains("total"),
            "{levels:?}"
        );
        for n in nodes {
            if let Some(v) = n["value"].as_f64() {
                assert!((0.0..=framework.scale + 1e-9).contains(&v), "{n}");
            }
        }
        // Full precision keeps the digits the published precision rounds away, and only those.
        let (ok, published) = run(&[
            "score", "--round", code, "--node", "all", "--format", "json", "--db", &db.url,
        ]);
        assert!(ok, "{published}");
        let published: serde_json::Value = serde_json::from_str(&published).expect("json");
        let mut finer = 0;
        for (full, shown) in nodes
            .iter()
            .zip(published["nodes"].as_array().expect("nodes"))
        {
            match (full["value"].as_f64(), shown["value"].as_f64()) {
                (Some(f), Some(p)) => {
                    assert!((f - p).abs() <= 0.05 + 1e-9, "{full} vs {shown}");
                    if f != p {
                        finer += 1;
                    }
                }
                (None, None) => {}
                other => panic!("{code}: {other:?}"),
            }
        }
        if fw == "eu-egov-benchmark-2020" {
            assert!(finer > 0, "{code}: no value finer than one decimal");
        }
    }
    let (ok, text) = run(&[
        "score", "--round", "C001-R01", "--node", "nope", "--db", &db.url,
    ]);
    assert!(!ok && text.contains("\"nope\" is not a node"), "{text}");
}

/// A read command on a mistyped SQLite path refuses and creates nothing; the commands that
/// fill a database create it.
#[test]
fn a_missing_database_is_refused_by_reading_commands_and_created_by_filling_ones() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("typo.db").display().to_string();
    for args in [
        vec!["score", "--round", "2015-H1"],
        vec!["round", "list"],
        vec!["export", "registry"],
        vec!["gaps"],
    ] {
        let mut all = args.clone();
        all.extend(["--db", &db]);
        let (ok, out) = run(&all);
        assert!(!ok && out.contains("no database at"), "{args:?}: {out}");
        assert!(!Path::new(&db).exists(), "{args:?} created {db}");
    }
    let (ok, out) = run(&["migrate", "--db", &db]);
    assert!(ok && Path::new(&db).exists(), "{out}");
    let (ok, out) = run(&["round", "list", "--db", &db]);
    assert!(ok, "{out}");
}

/// With no database named and none in the working folder, the reading commands read the
/// bundled demo in memory: stdout stays the command's own output, stderr says where the data
/// come from, and no file is created.
#[test]
fn no_database_at_all_reads_the_bundled_demo_and_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = Command::new(BIN)
        .args(["score", "--round", "2015-h1", "--format", "json"])
        .current_dir(dir.path())
        .env_remove("EGOVWATCH_DB")
        .output()
        .expect("run egovwatch");
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON only");
    assert_eq!(json["round"], "2015-H1", "{json}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bundled demo"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(left.is_empty(), "files created: {left:?}");
}

/// Round codes are matched without regard to case, and a mistyped one gets suggestions.
#[test]
fn round_codes_match_in_any_case_and_a_typo_gets_a_suggestion() {
    let db = sqlite();
    let _out = run_demo(&db);
    let (ok, out) = run(&["score", "--round", "2015-h1", "--db", &db.url]);
    assert!(ok && out.contains("round 2015-H1"), "{out}");
    let (ok, out) = run(&["score", "--round", "2015-H2", "--db", &db.url]);
    assert!(
        !ok && out.contains("did you mean") && out.contains("2015-H1"),
        "{out}"
    );
    let (ok, out) = run(&["score", "--round", "nothing-like-it", "--db", &db.url]);
    assert!(!ok && out.contains("egovwatch round list"), "{out}");
}

/// A reader that stops early (`compare | head -1`) ends the command quietly.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let db = sqlite();
    let _out = run_demo(&db);
    let mut child = Command::new(BIN)
        .args([
            "compare",
            "--round",
            "2015-H1",
            "--against",
            "2014-H2",
            "--db",
            &db.url,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run egovwatch");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a line");
    // The reader is gone now.
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!first.is_empty());
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
}

/// `synth` with nowhere to put the data says so instead of doing nothing.
#[test]
fn synth_without_a_destination_is_refused() {
    let (ok, out) = run(&["synth", "--countries", "1", "--services", "5"]);
    assert!(
        !ok && out.contains("--db") && out.contains("--export-csv"),
        "{out}"
    );
}
