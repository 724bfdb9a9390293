//! The European Commission's eGovernment Benchmark "Final Results" workbook (xlsx), read as it
//! is published: the mystery shoppers' answers per evaluated web page (sheets `3b`, `4b`, `5`,
//! `6`), the landscaping and published score of every service (`3a`, `4a`) and the published
//! scores per country (`1. Scores 2022`).
//!
//! Columns are found by their header text, not by position, and answers are normalised (`yes`,
//! `YEs`, `nr `, `NR*` occur). Reading never stops at the first problem: every cell that cannot
//! be read is reported as `sheet!cell: what is wrong`, and nothing is returned unless the whole
//! workbook reads. The rules the published scores follow are in `docs/frameworks.md`.

use crate::location::{ImportError, Located};
use calamine::{Data, Reader, Xlsx};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Cursor;

/// A cell of the workbook, shown as Excel writes it (`3b. Nat. Services - Data!M17`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    pub sheet: &'static str,
    /// 1-based, as Excel numbers rows.
    pub row: u32,
    /// 0-based (A is 0).
    pub col: u32,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}!{}{}", self.sheet, column_name(self.col), self.row)
    }
}

/// `A`, `B`, ..., `Z`, `AA`, ... for a 0-based column.
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a service was assessed by a national or a foreign (cross-border) shopper.
pub use egovwatch_domain::monitoring::Perspective;

/// The level of government that provides a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GovernmentLevel {
    Central,
    Regional,
    Local,
}

impl GovernmentLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            GovernmentLevel::Central => "central",
            GovernmentLevel::Regional => "regional",
            GovernmentLevel::Local => "local",
        }
    }
}

/// One answer of a mystery shopper, normalised. An empty cell is no answer and is not kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    Yes,
    No,
    /// `NR`: the question is not relevant for this service.
    NotRelevant,
    /// `.`: not applicable (the page was not assessed on it).
    NotApplicable,
    /// A graded answer (D1 0-3, D5 0-5) or a measured score (mobile friendliness 0 or 100).
    Number(f64),
}

/// A service of one country in one data collection (a row of `3a` or `4a`): its landscaping and
/// the scores the Commission published for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRow {
    pub at: Cell,
    pub perspective: Perspective,
    pub country: String,
    pub life_event: String,
    pub label: String,
    pub definition: String,
    pub transactional: bool,
    pub year: u16,
    pub applicable: bool,
    pub proactive: bool,
    pub level: Option<GovernmentLevel>,
    /// Published score per column header (`Online availability`, `eID score`, ...); `None`
    /// where the workbook holds no score (`.`, empty).
    pub published: Vec<(String, Cell, Option<f64>)>,
}

/// One evaluated web page of a service (a row of `3b` or `4b`) with its answers by question.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlRow {
    pub at: Cell,
    pub perspective: Perspective,
    pub country: String,
    pub life_event: String,
    pub label: String,
    pub year: u16,
    pub level: Option<GovernmentLevel>,
    pub provider: String,
    pub url: String,
    pub answers: BTreeMap<String, Answer>,
    /// Free text the shopper wrote (`G3_8: other barriers`).
    pub note: Option<String>,
}

/// One portal page of a country's life event (a row of `5` or `6`) with its answers.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalRow {
    pub at: Cell,
    pub perspective: Perspective,
    pub country: String,
    pub life_event: String,
    pub year: u16,
    pub provider: String,
    pub url: String,
    pub answers: BTreeMap<String, Answer>,
}

/// One published score of sheet `1. Scores 2022`: a country, an indicator (`Scoring`) and a
/// column (`Family (2022)`, `Biennial average 2021 + 2022`, `Central`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedScore {
    pub at: Cell,
    pub country: String,
    pub indicator: String,
    /// The column header with its line breaks and repeated spaces made single spaces.
    pub column: String,
    pub value: f64,
}

/// Everything read from a workbook.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workbook {
    pub services: Vec<ServiceRow>,
    pub urls: Vec<UrlRow>,
    pub portals: Vec<PortalRow>,
    pub published: Vec<PublishedScore>,
}

pub const SCORES: &str = "1. Scores 2022";
pub const NAT_RESULTS: &str = "3a. Nat. Services - Results";
pub const NAT_DATA: &str = "3b. Nat. Services - Data";
pub const CB_RESULTS: &str = "4a. CB Services - Results";
pub const CB_DATA: &str = "4b. CB Services - Data";
pub const NAT_PORTALS: &str = "5. Nat. Portals - Data";
pub const CB_PORTALS: &str = "6. CB Portals - Data";

/// Reads a workbook from its bytes; `name` is used in messages about the file as a whole.
///
/// The xlsx reader is a third party's: should it panic on a malformed file (it overflows on
/// absurd cell references in builds with overflow checks, found by fuzzing), the file is
/// refused with that reason instead of taking the program down.
pub fn read(name: &str, bytes: &[u8]) -> Result<Workbook, ImportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_checked(name, bytes)))
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no reason given".to_string());
            Err(ImportError(vec![Located {
                location: None,
                field: None,
                message: format!("{name}: the xlsx reader failed on this file ({why})"),
            }]))
        })
}

fn read_checked(name: &str, bytes: &[u8]) -> Result<Workbook, ImportError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        ImportError(vec![Located {
            location: None,
            field: None,
            message: format!("{name}: not an xlsx workbook ({e})"),
        }])
    })?;
    let mut errors = Errors::default();
    let mut sheet = |sheet: &'static str| -> Option<Sheet> {
        match book.worksheet_range(sheet) {
            Ok(range) => Some(Sheet { name: sheet, range }),
            Err(e) => {
                errors.file(format!("{name}: no sheet {sheet:?} ({e})"));
                None
            }
        }
    };
    let sheets = [
        sheet(SCORES),
        sheet(NAT_RESULTS),
        sheet(NAT_DATA),
        sheet(CB_RESULTS),
        sheet(CB_DATA),
        sheet(NAT_PORTALS),
        sheet(CB_PORTALS),
    ];
    let [
        Some(scores),
        Some(nat_results),
        Some(nat_data),
        Some(cb_results),
        Some(cb_data),
        Some(nat_portals),
        Some(cb_portals),
    ] = sheets
    else {
        return Err(errors.done());
    };
    let mut wb = Workbook::default();
    read_results(&nat_results, 7, Perspective::National, &mut wb, &mut errors);
    read_results(
        &cb_results,
        7,
        Perspective::CrossBorder,
        &mut wb,
        &mut errors,
    );
    read_urls(&nat_data, 6, Perspective::National, &mut wb, &mut errors);
    read_urls(&cb_data, 7, Perspective::CrossBorder, &mut wb, &mut errors);
    read_portals(&nat_portals, 6, Perspective::National, &mut wb, &mut errors);
    read_portals(
        &cb_portals,
        6,
        Perspective::CrossBorder,
        &mut wb,
        &mut errors,
    );
    read_scores(&scores, 6, &mut wb, &mut errors);
    if errors.0.is_empty() {
        Ok(wb)
    } else {
        Err(errors.done())
    }
}

/// Problems found so far; reading goes on after each.
#[derive(Default)]
struct Errors(Vec<Located>);

/// More than this many problems are summed up in one line: a wrong file gives thousands.
const MAX_ERRORS: usize = 200;

impl Errors {
    fn at(&mut self, cell: Cell, message: impl Into<String>) {
        self.0.push(Located {
            location: None,
            field: Some(cell.to_string()),
            message: message.into(),
        });
    }

    fn file(&mut self, message: String) {
        self.0.push(Located {
            location: None,
            field: None,
            message,
        });
    }

    fn done(mut self) -> ImportError {
        if self.0.len() > MAX_ERRORS {
            let more = self.0.len() - MAX_ERRORS;
            self.0.truncate(MAX_ERRORS);
            self.file(format!("... and {more} more problems"));
        }
        ImportError(self.0)
    }
}

struct Sheet {
    name: &'static str,
    range: calamine::Range<Data>,
}

impl Sheet {
    fn cell(&self, row: u32, col: u32) -> Cell {
        Cell {
            sheet: self.name,
            row,
            col,
        }
    }

    /// The value at a 1-based row and 0-based column (empty outside the used range).
    fn get(&self, row: u32, col: u32) -> &Data {
        self.range
            .get_value((row.saturating_sub(1), col))
            .unwrap_or(&Data::Empty)
    }

    /// The last used row, 1-based.
    fn last_row(&self) -> u32 {
        self.range.end().map(|(r, _)| r + 1).unwrap_or(0)
    }

    fn last_col(&self) -> u32 {
        self.range.end().map(|(_, c)| c).unwrap_or(0)
    }

    /// The columns of the header row by their text (whitespace made single spaces).
    fn header(&self, row: u32) -> Vec<(u32, String)> {
        (0..=self.last_col())
            .filter_map(|c| {
                let t = normalise_space(&text(self.get(row, c)));
                (!t.is_empty()).then_some((c, t))
            })
            .collect()
    }

    /// The data rows under the header: from the row below it to the last row whose country
    /// column holds a country code (aggregate rows such as `EU27+` and blank rows are skipped).
    fn country_rows(&self, header: u32, country_col: u32) -> impl Iterator<Item = (u32, String)> {
        (header + 1..=self.last_row()).filter_map(move |r| {
            let c = text(self.get(r, country_col)).trim().to_string();
            is_country(&c).then_some((r, c))
        })
    }
}

/// A two-letter country code (`AT`, `EL`); the aggregate rows (`EU27`, `AVERAGE_EU27`) are not.
fn is_country(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn normalise_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cell as text; numbers as Excel shows them without formatting.
fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Finds the columns named in `wanted` in the header row; reports each one missing.
fn columns<const N: usize>(
    sheet: &Sheet,
    header_row: u32,
    wanted: [&str; N],
    errors: &mut Errors,
) -> Option<[u32; N]> {
    let header = sheet.header(header_row);
    let mut out = [0u32; N];
    let mut ok = true;
    for (i, w) in wanted.iter().enumerate() {
        match header.iter().find(|(_, t)| t.eq_ignore_ascii_case(w)) {
            Some((c, _)) => out[i] = *c,
            None => {
                ok = false;
                errors.at(
                    sheet.cell(header_row, 0),
                    format!("no column {w:?} in the header row"),
                );
            }
        }
    }
    ok.then_some(out)
}

/// The question a header names: `A1: information available online?` is `A1`, `G3_5
/// Translation unclear` is `G3_5`, `Mobile Friendliness` is `MF`.
fn question_of(header: &str) -> Option<String> {
    if header.eq_ignore_ascii_case("Mobile Friendliness") {
        return Some("MF".to_string());
    }
    let code: String = header
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let rest = &header[code.len()..];
    let mut chars = code.chars();
    let shaped = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.next().is_some_and(|c| c.is_ascii_digit());
    (shaped && (rest.starts_with(':') || rest.starts_with(' '))).then_some(code)
}

/// The question columns of a data sheet, from `first` on.
fn question_columns(sheet: &Sheet, header_row: u32, first: u32) -> Vec<(u32, String)> {
    sheet
        .header(header_row)
        .into_iter()
        .filter(|(c, _)| *c >= first)
        .filter_map(|(c, t)| question_of(&t).map(|q| (c, q)))
        .collect()
}

/// A normalised answer; `Ok(None)` for an empty cell.
fn answer(d: &Data) -> Result<Option<Answer>, String> {
    match d {
        Data::Empty => Ok(None),
        Data::Float(f) => Ok(Some(Answer::Number(*f))),
        Data::Int(i) => Ok(Some(Answer::Number(*i as f64))),
        Data::String(s) => {
            let t = s.trim().to_ascii_lowercase();
            Ok(match t.as_str() {
                "" => None,
                "yes" => Some(Answer::Yes),
                "no" => Some(Answer::No),
                "." => Some(Answer::NotApplicable),
                _ if t.trim_end_matches('*') == "nr" => Some(Answer::NotRelevant),
                _ => match t.parse::<f64>() {
                    Ok(n) if n.is_finite() => Some(Answer::Number(n)),
                    _ => {
                        return Err(format!(
                            "{s:?} is not an answer (Yes, No, NR, '.', a number or empty)"
                        ));
                    }
                },
            })
        }
        other => Err(format!(
            "{other:?} is not an answer (Yes, No, NR, '.', a number or empty)"
        )),
    }
}

/// A published score: a number, or no score (`.`, `. `, empty).
fn score(d: &Data) -> Result<Option<f64>, String> {
    match d {
        Data::Empty => Ok(None),
        Data::Float(f) if f.is_finite() => Ok(Some(*f)),
        Data::Int(i) => Ok(Some(*i as f64)),
        Data::String(s) if matches!(s.trim(), "" | ".") => Ok(None),
        other => Err(format!(
            "{:?} is not a score (a number, '.' or empty)",
            text(other)
        )),
    }
}

fn year(d: &Data) -> Result<u16, String> {
    let y = match d {
        Data::Float(f) if f.fract() == 0.0 => Some(*f as i64),
        Data::Int(i) => Some(*i),
        Data::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match y {
        Some(y) if (2000..=2100).contains(&y) => Ok(y as u16),
        _ => Err(format!("{:?} is not a year of data collection", text(d))),
    }
}

fn yes_no(d: &Data, what: &str, dot: Option<bool>) -> Result<bool, String> {
    match text(d).trim().to_ascii_lowercase().as_str() {
        "yes" => Ok(true),
        "no" => Ok(false),
        "." if dot.is_some() => Ok(dot.unwrap_or(false)),
        _ => Err(format!("{:?} is not Yes or No ({what})", text(d))),
    }
}

fn level(d: &Data) -> Result<Option<GovernmentLevel>, String> {
    match text(d).trim().to_ascii_lowercase().as_str() {
        "central" => Ok(Some(GovernmentLevel::Central)),
        "regional" => Ok(Some(GovernmentLevel::Regional)),
        "local" => Ok(Some(GovernmentLevel::Local)),
        "." | "" => Ok(None),
        _ => Err(format!(
            "{:?} is not a government level (Central, Regional, Local or '.')",
            text(d)
        )),
    }
}

fn transactional(d: &Data) -> Result<bool, String> {
    match text(d).trim().to_ascii_lowercase().as_str() {
        "transactional" => Ok(true),
        "informational" => Ok(false),
        _ => Err(format!(
            "{:?} is not a service type (Transactional or Informational)",
            text(d)
        )),
    }
}

/// Reads a value, or reports where and why it cannot be read.
fn take<T>(
    sheet: &Sheet,
    row: u32,
    col: u32,
    errors: &mut Errors,
    f: impl FnOnce(&Data) -> Result<T, String>,
) -> Option<T> {
    match f(sheet.get(row, col)) {
        Ok(v) => Some(v),
        Err(m) => {
            errors.at(sheet.cell(row, col), m);
            None
        }
    }
}

/// The answers of row `r` by question, and the free text the shopper wrote, if any.
fn answers_of(
    sheet: &Sheet,
    r: u32,
    questions: &[(u32, String)],
    errors: &mut Errors,
) -> (BTreeMap<String, Answer>, Option<String>) {
    let mut answers = BTreeMap::new();
    let mut note = None;
    for (c, q) in questions {
        // `G3_8: other barriers` is what the shopper wrote, not an answer.
        if q == "G3_8" {
            let t = text(sheet.get(r, *c)).trim().to_string();
            if !t.is_empty() && t != "." {
                note = Some(t);
            }
            continue;
        }
        if let Some(Some(a)) = take(sheet, r, *c, errors, answer) {
            answers.insert(q.clone(), a);
        }
    }
    (answers, note)
}

fn read_results(
    sheet: &Sheet,
    header_row: u32,
    perspective: Perspective,
    wb: &mut Workbook,
    errors: &mut Errors,
) {
    let Some(
        [
            country,
            life_event,
            label,
            definition,
            kind,
            year_col,
            applicable,
            proactive,
            level_col,
        ],
    ) = columns(
        sheet,
        header_row,
        [
            "Country",
            "Life event",
            "Label service",
            "Definition",
            "Service type",
            "Year data collection",
            "Applicable",
            "Proactive",
            "Government level",
        ],
        errors,
    )
    else {
        return;
    };
    // The published scores follow the landscaping columns.
    let scores: Vec<(u32, String)> = sheet
        .header(header_row)
        .into_iter()
        .filter(|(c, t)| *c > level_col && !t.eq_ignore_ascii_case("Mandatory online"))
        .collect();
    for (r, code) in sheet.country_rows(header_row, country) {
        let before = errors.0.len();
        let row = ServiceRow {
            at: sheet.cell(r, country),
            perspective,
            country: code,
            life_event: text(sheet.get(r, life_event)).trim().to_string(),
            label: text(sheet.get(r, label)).trim().to_string(),
            definition: text(sheet.get(r, definition)).trim().to_string(),
            transactional: take(sheet, r, kind, errors, transactional).unwrap_or(false),
            year: take(sheet, r, year_col, errors, year).unwrap_or(0),
            applicable: take(sheet, r, applicable, errors, |d| {
                yes_no(d, "Applicable", None)
            })
            .unwrap_or(false),
            proactive: take(sheet, r, proactive, errors, |d| {
                yes_no(d, "Proactive", Some(false))
            })
            .unwrap_or(false),
            level: take(sheet, r, level_col, errors, level).flatten(),
            published: scores
                .iter()
                .map(|(c, h)| {
                    (
                        h.clone(),
                        sheet.cell(r, *c),
                        take(sheet, r, *c, errors, score).flatten(),
                    )
                })
                .collect(),
        };
        if row.label.is_empty() {
            errors.at(sheet.cell(r, label), "no service label");
        }
        if errors.0.len() == before {
            wb.services.push(row);
        }
    }
}

fn read_urls(
    sheet: &Sheet,
    header_row: u32,
    perspective: Perspective,
    wb: &mut Workbook,
    errors: &mut Errors,
) {
    let Some(
        [
            country,
            life_event,
            label,
            level_col,
            year_col,
            provider,
            url,
        ],
    ) = columns(
        sheet,
        header_row,
        [
            "Country",
            "Life event",
            "Service",
            "Government level",
            "Year data collection",
            "Service Provider",
            "Url",
        ],
        errors,
    )
    else {
        return;
    };
    let questions = question_columns(sheet, header_row, url + 1);
    for (r, code) in sheet.country_rows(header_row, country) {
        let before = errors.0.len();
        let (answers, note) = answers_of(sheet, r, &questions, errors);
        let row = UrlRow {
            at: sheet.cell(r, country),
            perspective,
            country: code,
            life_event: text(sheet.get(r, life_event)).trim().to_string(),
            label: text(sheet.get(r, label)).trim().to_string(),
            year: take(sheet, r, year_col, errors, year).unwrap_or(0),
            level: take(sheet, r, level_col, errors, level).flatten(),
            provider: text(sheet.get(r, provider)).trim().to_string(),
            url: text(sheet.get(r, url)).trim().to_string(),
            answers,
            note,
        };
        if errors.0.len() == before {
            wb.urls.push(row);
        }
    }
}

fn read_portals(
    sheet: &Sheet,
    header_row: u32,
    perspective: Perspective,
    wb: &mut Workbook,
    errors: &mut Errors,
) {
    let Some([country, life_event, year_col, provider, url]) = columns(
        sheet,
        header_row,
        [
            "Country",
            "Life event",
            "Year data collection",
            "Service provider",
            "URL",
        ],
        errors,
    ) else {
        return;
    };
    let questions = question_columns(sheet, header_row, url + 1);
    for (r, code) in sheet.country_rows(header_row, country) {
        let before = errors.0.len();
        let (answers, _) = answers_of(sheet, r, &questions, errors);
        let row = PortalRow {
            at: sheet.cell(r, country),
            perspective,
            country: code,
            life_event: text(sheet.get(r, life_event)).trim().to_string(),
            year: take(sheet, r, year_col, errors, year).unwrap_or(0),
            provider: text(sheet.get(r, provider)).trim().to_string(),
            url: text(sheet.get(r, url)).trim().to_string(),
            answers,
        };
        if errors.0.len() == before {
            wb.portals.push(row);
        }
    }
}

fn read_scores(sheet: &Sheet, header_row: u32, wb: &mut Workbook, errors: &mut Errors) {
    let Some([country, indicator]) = columns(sheet, header_row, ["Country", "Scoring"], errors)
    else {
        return;
    };
    let columns: Vec<(u32, String)> = sheet
        .header(header_row)
        .into_iter()
        .filter(|(c, _)| *c > indicator)
        .collect();
    for (r, code) in sheet.country_rows(header_row, country) {
        let name = normalise_space(&text(sheet.get(r, indicator)));
        if name.is_empty() {
            errors.at(sheet.cell(r, indicator), "no indicator (Scoring)");
            continue;
        }
        for (c, header) in &columns {
            if let Some(Some(value)) = take(sheet, r, *c, errors, score) {
                wb.published.push(PublishedScore {
                    at: sheet.cell(r, *c),
                    country: code.clone(),
                    indicator: name.clone(),
                    column: header.clone(),
                    value,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_excel_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(49), "AX");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        let c = Cell {
            sheet: NAT_DATA,
            row: 17,
            col: 12,
        };
        assert_eq!(c.to_string(), "3b. Nat. Services - Data!M17");
    }

    #[test]
    fn questions_are_read_from_their_headers() {
        assert_eq!(
            question_of("A1: information available online?").as_deref(),
            Some("A1")
        );
        assert_eq!(
            question_of("F7_2: possible to obtain eDoc?").as_deref(),
            Some("F7_2")
        );
        assert_eq!(
            question_of("G3_5 Translation unclear").as_deref(),
            Some("G3_5")
        );
        assert_eq!(question_of("Mobile Friendliness").as_deref(), Some("MF"));
        assert_eq!(question_of("Url"), None);
        assert_eq!(question_of("Service Provider"), None);
        assert_eq!(question_of("ID"), None);
    }

    #[test]
    fn answers_are_normalised() {
        let s = |t: &str| answer(&Data::String(t.to_string()));
        for yes in ["Yes", "yes", "YEs", " yes "] {
            assert_eq!(s(yes), Ok(Some(Answer::Yes)), "{yes}");
        }
        for no in ["No", "no", "NO"] {
            assert_eq!(s(no), Ok(Some(Answer::No)), "{no}");
        }
        for nr in ["NR", "nr", "Nr", "nr ", "NR*"] {
            assert_eq!(s(nr), Ok(Some(Answer::NotRelevant)), "{nr}");
        }
        assert_eq!(s("."), Ok(Some(Answer::NotApplicable)));
        assert_eq!(s(""), Ok(None));
        assert_eq!(answer(&Data::Empty), Ok(None));
        assert_eq!(answer(&Data::Float(100.0)), Ok(Some(Answer::Number(100.0))));
        assert_eq!(answer(&Data::Int(3)), Ok(Some(Answer::Number(3.0))));
        assert_eq!(s("3"), Ok(Some(Answer::Number(3.0))));
        let e = s("maybe").expect_err("refused");
        assert!(e.contains("\"maybe\" is not an answer"), "{e}");
    }

    #[test]
    fn scores_years_and_flags_are_checked() {
        assert_eq!(score(&Data::String(". ".into())), Ok(None));
        assert_eq!(score(&Data::String(String::new())), Ok(None));
        assert_eq!(score(&Data::Float(77.75)), Ok(Some(77.75)));
        assert!(score(&Data::String("n/a".into())).is_err());
        assert_eq!(year(&Data::Float(2022.0)), Ok(2022));
        assert_eq!(year(&Data::String("2021".into())), Ok(2021));
        assert!(year(&Data::String("last year".into())).is_err());
        assert_eq!(
            yes_no(&Data::String(".".into()), "Proactive", Some(false)),
            Ok(false)
        );
        assert!(yes_no(&Data::String(".".into()), "Applicable", None).is_err());
        assert_eq!(
            level(&Data::String("Local".into())),
            Ok(Some(GovernmentLevel::Local))
        );
        assert!(is_country("EL") && !is_country("EU27") && !is_country("AVERAGE_EU27"));
    }
}
