//! The EU benchmark workbook reader (`eu_benchmark::read`): whatever a sheet holds, it never
//! panics, and a refusal names what is wrong.
//!
//! The input is the XML of sheet `3b. Nat. Services - Data` (the mystery shoppers' answers),
//! put into the sample workbook of `data/eu-egbr-2023/` (CC BY 4.0, © European Union) whose
//! sheets are cut to their first rows so that one run takes milliseconds. The seed is that
//! sheet cut the same way. Its first finding (an overflow inside calamine on an absurd cell
//! reference) is caught by the reader and tested in `crates/interop/tests/eu_benchmark.rs`.
#![no_main]

use egovwatch_interop::eu_benchmark;
use libfuzzer_sys::fuzz_target;
use std::io::{Cursor, Read, Write};
use std::sync::LazyLock;

/// The sheet the input replaces.
const FUZZED: &str = "xl/worksheets/sheet7.xml";
/// Rows kept of every sheet: the header rows (up to row 7) and a few data rows.
const KEEP_ROWS: u32 = 16;

/// The sample workbook's entries, sheets cut to their first rows.
static BASE: LazyLock<Vec<(String, Vec<u8>)>> = LazyLock::new(|| {
    let bytes = include_bytes!("../../data/eu-egbr-2023/egbr-2023-final-results-AT-MT-NO.xlsx");
    let mut zip = match zip::ZipArchive::new(Cursor::new(&bytes[..])) {
        Ok(z) => z,
        Err(e) => panic!("the sample workbook does not open: {e}"),
    };
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => panic!("entry {i}: {e}"),
        };
        let name = match f.name() {
            Ok(n) => n.to_string(),
            Err(e) => panic!("entry {i}: {e}"),
        };
        let mut data = Vec::new();
        if let Err(e) = f.read_to_end(&mut data) {
            panic!("{name}: {e}");
        }
        if name.starts_with("xl/worksheets/sheet") && name.ends_with(".xml") {
            data = cut_rows(&String::from_utf8_lossy(&data), KEEP_ROWS).into_bytes();
        }
        out.push((name, data));
    }
    out
});

/// The sheet XML with only the rows numbered up to `keep`.
fn cut_rows(xml: &str, keep: u32) -> String {
    let (Some(a), Some(b)) = (xml.find("<sheetData>"), xml.find("</sheetData>")) else {
        return xml.to_string();
    };
    let body = &xml[a + "<sheetData>".len()..b];
    let mut kept = String::new();
    let mut rest = body;
    while let Some(i) = rest.find("<row ") {
        let Some(tag) = rest[i..].find('>') else {
            break;
        };
        let end = if rest[i..i + tag].ends_with('/') {
            i + tag + 1
        } else {
            match rest[i..].find("</row>") {
                Some(e) => i + e + "</row>".len(),
                None => break,
            }
        };
        let element = &rest[i..end];
        let number = element
            .split_once("r=\"")
            .and_then(|(_, r)| r.split_once('"'))
            .and_then(|(n, _)| n.parse::<u32>().ok());
        if number.is_some_and(|n| n <= keep) {
            kept.push_str(element);
        }
        rest = &rest[end..];
    }
    format!(
        "{}<sheetData>{kept}</sheetData>{}",
        &xml[..a],
        &xml[b + "</sheetData>".len()..]
    )
}

/// The workbook with the fuzzed sheet in place, stored without compression.
fn workbook(sheet: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in BASE.iter() {
        let data = if name == FUZZED { sheet } else { data };
        if let Err(e) = w.start_file(name.as_str(), options) {
            panic!("{name}: {e}");
        }
        if let Err(e) = w.write_all(data) {
            panic!("{name}: {e}");
        }
    }
    match w.finish() {
        Ok(c) => c.into_inner(),
        Err(e) => panic!("zip: {e}"),
    }
}

fuzz_target!(
    init: {
        LazyLock::force(&BASE);
        // A panic inside the third-party xlsx reader (it overflows on absurd cell references
        // when built with overflow checks, as here) is caught by `eu_benchmark::read` and
        // turned into a refusal; let it unwind there. Any other panic aborts as usual.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
    match eu_benchmark::read("fuzz.xlsx", &workbook(data)) {
        Ok(wb) => {
            // The cut sample still reads, and what it reads stays in its rows.
            for u in &wb.urls {
                assert!(u.at.row > 6 && u.at.row <= 1_048_576, "{}", u.at);
            }
        }
        Err(e) => {
            assert!(!e.0.is_empty(), "a refusal without a reason");
            assert!(e.0.iter().all(|l| !l.message.is_empty()), "{e}");
        }
    }
});
