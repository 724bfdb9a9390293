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
    use std::io::{BufRead, BufReader, Read, Write};
    let db = sqlite();
    let _ = demo_store(&db);
    let mut child = Command::new(BIN)
        .args(["serve", "--db", &db.url, "--listen", "127.0.0.1:0"])
        .env_remove("EGOVWATCH_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start serve");
    let mut first = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("read address");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    let mut conn = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        conn,
        "GET /en/services/SRV-0013 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut resp = String::new();
    conn.read_to_string(&mut resp).expect("read");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        resp.starts_with("HTTP/1.1 200"),
        "{}",
        resp.lines().next().unwrap_or_default()
    );
    assert!(resp.contains("Certificate of residential registration"));
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
