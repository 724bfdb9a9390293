//! Two-column CSV files of a code and a number ≥ 0 (`code,value`): the costs and the volumes a
//! gap analysis weighs investments and services with. Every bad row is reported as
//! `file:line: what is wrong`, and nothing is returned while there is one.

use crate::location::{ImportError, Located, Location};
use std::collections::HashMap;

/// Reads the pairs of one CSV document (a header row first); `file` names it in errors and
/// `what` says what the numbers are (`cost`, `volume`).
pub fn read(file: &str, bytes: &[u8], what: &str) -> Result<HashMap<String, f64>, ImportError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let mut out = HashMap::new();
    let mut problems = Vec::new();
    let mut bad = |line: usize, field: Option<&str>, message: String| {
        problems.push(Located {
            location: Some(Location {
                file: file.to_string(),
                line,
            }),
            field: field.map(str::to_string),
            message,
        })
    };
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        match rec {
            Ok(rec) if rec.len() == 2 => match rec[1].trim().parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => {
                    out.insert(rec[0].trim().to_string(), v);
                }
                _ => bad(
                    line,
                    Some(what),
                    format!("{:?} is not a number ≥ 0", &rec[1]),
                ),
            },
            Ok(rec) => bad(line, None, format!("{} fields, expected 2", rec.len())),
            Err(e) => bad(line, None, e.to_string()),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ImportError(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::read;

    #[test]
    fn pairs_are_read_and_every_bad_row_is_located() {
        let ok = read("c.csv", b"code,cost\nSYS-1,1000\nLINK-2, 2.5\n", "cost").expect("reads");
        assert_eq!(ok.get("SYS-1"), Some(&1000.0));
        assert_eq!(ok.get("LINK-2"), Some(&2.5));
        let err = read("c.csv", b"code,cost\nA,-1\nB,x\nC,1,2\n", "cost")
            .expect_err("refused")
            .to_string();
        assert!(
            err.contains("c.csv:2: cost: \"-1\" is not a number"),
            "{err}"
        );
        assert!(err.contains("c.csv:3: cost: \"x\""), "{err}");
        assert!(err.contains("c.csv:4: "), "{err}");
    }
}
