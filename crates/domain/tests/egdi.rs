//! Golden test: the UN E-Government Development Index 2010-2018, recomputed from its published
//! components by the shipped `un-egdi*` frameworks, value by value and rank by rank.
//!
//! Data: `tests/data/un-egdi/` (UNU-EGOV/datasets, egdi/, from the UN E-Government Knowledgebase
//! data centre). The published components are already normalised to 0..1; normalising them again
//! must leave them unchanged, so the test also checks the framework's min-max step.

use egovwatch_domain::scoring::catalog::builtin;
use egovwatch_domain::scoring::{
    Answer, Evidence, Framework, RoundInput, UnitFlags, rank, score_round,
};

struct Row {
    name: String,
    rank: Option<usize>,
    egdi: Option<f64>,
    osi: Option<f64>,
    tii: Option<f64>,
    hci: Option<f64>,
    epi: Option<f64>,
}

fn read(year: u16) -> Vec<Row> {
    let path = format!(
        "{}/tests/data/un-egdi/egdi-{year}.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut r = csv::Reader::from_path(&path).expect("golden data present");
    let num = |s: &str| s.trim().parse::<f64>().ok();
    r.records()
        .map(|rec| {
            let rec = rec.expect("well-formed CSV");
            Row {
                name: rec[1].to_string(),
                rank: num(&rec[2]).map(|v| v as usize),
                egdi: num(&rec[3]),
                epi: num(&rec[4]),
                osi: num(&rec[5]),
                hci: num(&rec[6]),
                tii: num(&rec[7]),
            }
        })
        .collect()
}

fn framework(id: &str) -> Framework {
    builtin()
        .expect("shipped frameworks load")
        .into_iter()
        .find(|f| f.id == id)
        .expect("framework shipped")
}

/// Scores one edition; returns (computed EGDI, computed rank) per row.
fn replay(fw: &Framework, rows: &[Row]) -> Vec<(Option<f64>, Option<usize>)> {
    let mut evidence = Vec::new();
    for (unit, row) in rows.iter().enumerate() {
        for (id, v) in [
            ("osi", row.osi),
            ("tii", row.tii),
            ("hci", row.hci),
            ("epi", row.epi),
        ] {
            if let (Some(q), Some(v)) = (fw.question_index(id), v) {
                evidence.push(Evidence {
                    unit,
                    source: 0,
                    question: q,
                    answer: Answer::Value(v),
                    seq: 0,
                });
            }
        }
    }
    let input = RoundInput::build(fw, vec![UnitFlags::default(); rows.len()], &evidence);
    let scores = score_round(fw, &input, &[]);
    let egdi = fw.node_index("egdi").expect("egdi node");
    let values: Vec<f64> = (0..rows.len())
        .map(|u| scores.unit_value(egdi, u).unwrap_or(f64::NAN))
        .collect();
    let ranks = rank(&values, Some(fw.decimals));
    values
        .iter()
        .map(|v| (!v.is_nan()).then_some(*v))
        .zip(ranks)
        .collect()
}

fn golden(year: u16, id: &str) {
    let fw = framework(id);
    let rows = read(year);
    assert_eq!(rows.len(), 193, "{year}: 193 Member States");
    let computed = replay(&fw, &rows);
    let mut value_errors = Vec::new();
    let mut rank_errors = Vec::new();
    for (row, (egdi, r)) in rows.iter().zip(&computed) {
        let complete = row.osi.is_some() && row.tii.is_some() && row.hci.is_some();
        if !complete {
            // The edition publishes no index for a country lacking a component.
            assert!(
                egdi.is_none(),
                "{year} {}: no EGDI without all components",
                row.name
            );
            continue;
        }
        let published = row.egdi.expect("published EGDI");
        let got = egdi.expect("computed EGDI");
        // At the published precision: within half a unit of its last decimal.
        let tolerance = 0.5 * 10f64.powi(-(fw.decimals as i32)) + 1e-9;
        if (got - published).abs() > tolerance.max(1e-4 / 2.0 + 1e-9) {
            value_errors.push(format!("{}: {got:.6} vs {published}", row.name));
        }
        if *r != row.rank {
            rank_errors.push(format!("{}: rank {r:?} vs {:?}", row.name, row.rank));
        }
    }
    assert!(
        value_errors.is_empty(),
        "{year}: {} values differ: {value_errors:?}",
        value_errors.len()
    );
    assert!(
        rank_errors.is_empty(),
        "{year}: {} ranks differ: {rank_errors:?}",
        rank_errors.len()
    );
}

#[test]
fn egdi_2010_weights_034_033_033() {
    golden(2010, "un-egdi-2010");
}

#[test]
fn egdi_2012_no_portal_means_zero() {
    golden(2012, "un-egdi-2012");
}

#[test]
fn egdi_2014() {
    golden(2014, "un-egdi-2014");
}

#[test]
fn egdi_2016() {
    golden(2016, "un-egdi-2014");
}

#[test]
fn egdi_2018() {
    golden(2018, "un-egdi");
}

#[test]
fn egdi_components_survive_normalisation() {
    // Published components span exactly 0..1, so min-max leaves them as they are.
    let fw = framework("un-egdi");
    let rows = read(2018);
    let mut evidence = Vec::new();
    for (unit, row) in rows.iter().enumerate() {
        for (id, v) in [("osi", row.osi), ("tii", row.tii), ("hci", row.hci)] {
            let q = fw.question_index(id).expect("question");
            evidence.push(Evidence {
                unit,
                source: 0,
                question: q,
                answer: Answer::Value(v.expect("2018 complete")),
                seq: 0,
            });
        }
    }
    let input = RoundInput::build(&fw, vec![UnitFlags::default(); rows.len()], &evidence);
    let scores = score_round(&fw, &input, &[]);
    let osi_n = fw.node_index("osi_n").expect("node");
    for (u, row) in rows.iter().enumerate() {
        let got = scores.unit_value(osi_n, u).expect("value");
        assert!((got - row.osi.expect("osi")).abs() < 1e-12, "{}", row.name);
    }
}
