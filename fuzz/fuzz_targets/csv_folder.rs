//! The CSV folder reader: the input is the files in `csv_folder::FILES` order, separated by NUL
//! bytes (an empty part is a missing file). Never panics; what it reads writes and re-reads to
//! the same registry.
#![no_main]

use egovwatch_interop::csv_folder;
use egovwatch_interop::spreadsheet::Cells;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let parts = egovwatch_fuzz::parts(data, csv_folder::FILES.len());
    let mut files = BTreeMap::new();
    for ((kind, _), body) in csv_folder::FILES.iter().zip(parts) {
        if !body.is_empty() {
            files.insert(format!("{}.csv", kind.plural()), body.to_vec());
        }
    }
    let Ok(parsed) = csv_folder::read_files(&files) else {
        return;
    };
    let write = |reg| match csv_folder::write(reg, Cells::Safe) {
        Ok(files) => files,
        Err(e) => panic!("CSV write failed: {e}"),
    };
    let out = write(&parsed.registry);
    let bytes: BTreeMap<String, Vec<u8>> = out
        .iter()
        .map(|(n, b)| (n.clone(), b.clone().into_bytes()))
        .collect();
    match csv_folder::read_files(&bytes) {
        Ok(again) => assert_eq!(write(&again.registry), out, "CSV write is not stable"),
        Err(e) => panic!("its own output does not read: {e}\n{out:?}"),
    }
});
