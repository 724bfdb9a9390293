//! The registry JSON reader: never panics, and what it reads writes and re-reads to the same
//! registry (JSON, and the CSV folder too).
#![no_main]

use egovwatch_domain::validate::check_references;
use egovwatch_interop::spreadsheet::Cells;
use egovwatch_interop::{csv_folder, json};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = json::read("fuzz.json", data) else {
        return;
    };
    let out = json::write(&parsed.registry);
    let again = match json::read("again.json", out.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("its own output does not read: {e}\n{out}"),
    };
    assert_eq!(
        json::write(&again.registry),
        out,
        "JSON write is not stable"
    );
    // The same registry through the CSV folder.
    let files: BTreeMap<String, Vec<u8>> = match csv_folder::write(&parsed.registry, Cells::Safe) {
        Ok(files) => files
            .into_iter()
            .map(|(n, b)| (n, b.into_bytes()))
            .collect(),
        Err(e) => panic!("CSV write failed: {e}"),
    };
    match csv_folder::read_files(&files) {
        Ok(p) => assert_eq!(json::write(&p.registry), out, "the CSV folder loses data"),
        // The CSV reader checks some rules the JSON reader leaves to the import plan (channel
        // codes unique across services); a registry that passes every rule must read.
        Err(e) => assert!(
            !check_references(&parsed.registry).is_empty(),
            "the CSV folder of a valid registry does not read: {e}"
        ),
    }
});
