//! Progress reports a monitor can publish and defend: gathered from the store once
//! (`model`), laid out once (`document`), rendered as HTML and Markdown with SVG charts
//! (`charts`), the full data table written as CSV beside them. Every date in a report comes
//! from the round, so the same data always give the same bytes.

pub mod charts;
pub mod document;
pub mod error;
pub mod findings;
pub mod html;
pub mod markdown;
pub mod model;
pub mod pdf;

use egovwatch_interop::spreadsheet::{self, Cells};
pub use error::{Error, Result};
use std::path::{Path, PathBuf};

pub use model::{Report, gather};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
    Pdf,
}

/// Writes the report in the formats asked for into `dir`; returns the files written.
pub fn write(r: &Report, formats: &[Format], dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let blocks = document::blocks(r);
    let stem = r.file_stem();
    let mut written = Vec::new();
    let mut put = |name: String, bytes: &[u8]| -> Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|source| Error::Write {
            path: path.display().to_string(),
            source,
        })?;
        written.push(path);
        Ok(())
    };
    for f in formats {
        match f {
            Format::Html => put(format!("{stem}.html"), html::render(r, &blocks).as_bytes())?,
            Format::Pdf => put(format!("{stem}.pdf"), &pdf::render(r, &blocks)?)?,
            Format::Markdown => {
                put(
                    format!("{stem}.md"),
                    markdown::render(r, &blocks).as_bytes(),
                )?;
                for c in &r.charts {
                    put(format!("{stem}-{}.svg", c.id), charts::svg(c).as_bytes())?;
                }
            }
        }
    }
    put(format!("{stem}-data.csv"), data_csv(r).as_bytes())?;
    put(format!("{stem}-evidence.csv"), evidence_csv(r).as_bytes())?;
    Ok(written)
}

/// Every answer that counts in the round with its evidence: the full annex C. Cells a
/// spreadsheet would run as formulas are neutralised ([`egovwatch_interop::spreadsheet`]).
pub fn evidence_csv(r: &Report) -> String {
    let head = [
        "service",
        "question",
        "answer",
        "evidence_url",
        "evidence_note",
        "date",
        "assessor",
    ];
    let rows = r.evidence.iter().map(|e| {
        [
            e.service.as_str(),
            e.question.as_str(),
            e.answer.as_str(),
            e.url.as_str(),
            e.note.as_str(),
            e.date.as_str(),
            e.assessor.as_str(),
        ]
    });
    spreadsheet::to_string(std::iter::once(head).chain(rows), Cells::Safe)
}

/// The full data table, one row per service, for spreadsheets.
pub fn data_csv(r: &Report) -> String {
    let opt = |v: Option<u8>| v.map(|v| v.to_string()).unwrap_or_default();
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let head = [
        "service",
        "name",
        "organisation",
        "life_events",
        "stage_before",
        "stage_now",
        "score_before",
        "score_now",
        "change",
    ]
    .map(String::from);
    let rows = r.services.iter().map(|s| {
        let change = s.movement.map_or("", |m| m.as_str());
        [
            s.code.clone(),
            s.name.clone(),
            s.organisation.clone(),
            s.life_events.clone(),
            opt(s.stage_before),
            opt(s.stage_now),
            num(s.score_before),
            num(s.score_now),
            change.to_string(),
        ]
    });
    spreadsheet::to_string(std::iter::once(head).chain(rows), Cells::Safe)
}

#[cfg(test)]
mod tests {
    /// Every message the report uses exists (the i18n crate checks the three languages agree).
    #[test]
    fn every_report_message_exists() {
        let keys = egovwatch_i18n::message_keys(egovwatch_i18n::sources()[1].1);
        let sources = [
            include_str!("document.rs"),
            include_str!("charts.rs"),
            include_str!("html.rs"),
            include_str!("markdown.rs"),
            include_str!("pdf.rs"),
            include_str!("model.rs"),
        ];
        let mut used = 0;
        for src in sources {
            for part in src.split("\"report-").skip(1) {
                let key = format!("report-{}", part.split('"').next().unwrap_or_default());
                assert!(keys.contains(&key), "unknown message {key}");
                used += 1;
            }
        }
        assert!(used > 40, "{used} keys found");
    }
}
