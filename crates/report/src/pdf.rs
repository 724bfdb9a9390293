//! PDF through typst used as a library: the report's blocks become typst markup (all text as
//! string literals, so nothing in the data is read as markup), typeset with the fonts compiled
//! into the binary (Libertinus Serif covers ə, ğ, ı, İ and Cyrillic), with a title page of its
//! own (the key figures as a grid), page numbers, running headers and a table of contents.
//! Tables are sized to their content with numbers right-aligned; charts float to the top or
//! bottom of a page rather than leave a gap, and a last page that would be almost empty makes
//! the tables be set a little denser or looser. The document date is the round's, never the
//! clock's.

use crate::charts::{self, svg};
use crate::document::{Block, Figure, numeric_columns};
use crate::error::{Error, Result};
use crate::model::Report;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::layout::{Frame, FrameItem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

/// A string literal for typst code.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text as content: `[#"…"]`.
fn content(s: &str) -> String {
    format!("[#{}]", lit(s))
}

fn date_parts(date: &str) -> (i32, u8, u8) {
    let mut it = date.split('-').map(|p| p.parse::<i64>().unwrap_or(1));
    let y = it.next().unwrap_or(2000) as i32;
    let m = it.next().unwrap_or(1).clamp(1, 12) as u8;
    let d = it.next().unwrap_or(1).clamp(1, 31) as u8;
    (y, m, d)
}

/// How tightly tables are set: the usual way, or a little denser or looser when that saves a
/// last page that would hold only a few lines (denser: they move back to the page before;
/// looser: more follow them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Density {
    Normal,
    Dense,
    Loose,
}

/// The typst source of the report.
pub fn source(r: &Report, blocks: &[Block]) -> String {
    source_with(r, blocks, Density::Normal)
}

fn source_with(r: &Report, blocks: &[Block], density: Density) -> String {
    let title = r.tr.with("report-title", &[("round", &r.round)]);
    let (y, m, d) = date_parts(&r.date);
    let (table_size, inset) = match density {
        Density::Normal => ("8.5pt", "4pt"),
        Density::Dense => ("8pt", "3pt"),
        Density::Loose => ("9pt", "5pt"),
    };
    let mut out = format!(
        "#set document(title: {t}, date: datetime(year: {y}, month: {m}, day: {d}))\n\
#set text(font: \"Libertinus Serif\", size: 10.5pt, lang: \"{lang}\")\n\
#set page(paper: \"a4\", margin: (x: 2cm, y: {MARGIN_Y_CM}cm), numbering: \"1\", header: context {{ if counter(page).get().first() > 1 [#text(size: 8.5pt)[#{t} #h(1fr) #counter(page).display()]] }})\n\
#set heading(numbering: \"1.1\")\n\
#show heading.where(level: 1): set block(above: 1.8em, below: 0.9em)\n\
#set table(stroke: 0.4pt + rgb(\"#9aa5b1\"), inset: {inset})\n\
#show table: set text(size: {table_size})\n\
#set table.cell(breakable: false)\n\
#show table: set par(justify: false)\n",
        t = lit(&title),
        lang = r.lang,
    );
    // The charts' tables go at the end of the data annex, before the next part.
    let data_annex = r.tr.t("report-annex-data");
    let (mut in_data_annex, mut shown) = (false, Vec::new());
    for (k, b) in blocks.iter().enumerate() {
        if in_data_annex && matches!(b, Block::Heading(1, _)) {
            chart_tables(&mut out, r, &mut shown);
        }
        match b {
            Block::Title {
                title,
                subtitle,
                lines,
                figures,
            } => title_page(&mut out, r, title, subtitle, lines, figures),
            Block::Heading(level, text) => {
                out.push_str(&format!("#heading(level: {level}, {})\n", lit(text)))
            }
            // A paragraph that introduces a table stays on the table's page.
            Block::Para(text) if matches!(blocks.get(k + 1), Some(Block::Table { .. })) => {
                out.push_str(&format!("#block(sticky: true, par({}))\n", content(text)))
            }
            Block::Para(text) => out.push_str(&format!("#par({})\n", content(text))),
            Block::List(items) => {
                let items: Vec<String> = items.iter().map(|i| content(i)).collect();
                out.push_str(&format!("#list({})\n", items.join(", ")));
            }
            Block::Table { head, rows } => table(&mut out, head, rows),
            Block::Chart(i) => {
                let c = &r.charts[*i];
                // At the width it is laid out for, scaled so that its text matches the body's.
                // Floating to the top or bottom of a page: the text goes on around a chart
                // that does not fit where it stands, rather than leaving the page empty.
                out.push_str(&format!(
                    "#figure(placement: auto, image(bytes({}), format: \"svg\", width: {}pt, alt: {}), caption: {})\n",
                    lit(&svg(c)),
                    charts::WIDTH * CHART_SCALE,
                    lit(&c.description),
                    content(&c.title)
                ));
                shown.push(*i);
            }
        }
        if let Block::Heading(1, text) = b {
            in_data_annex = *text == data_annex;
        }
    }
    chart_tables(&mut out, r, &mut shown);
    out
}

/// The title page, a page of its own without header or number: the title and the round's name,
/// the key figures as a grid of large numbers with what each counts, and at the foot who
/// monitored, the period, the framework and the date. The contents follow on the next page.
fn title_page(
    out: &mut String,
    r: &Report,
    title: &str,
    subtitle: &str,
    lines: &[String],
    figures: &[Figure],
) {
    out.push_str("#page(header: none, footer: none)[\n#v(3cm)\n");
    out.push_str(&format!(
        "#align(center)[#text(size: 24pt, weight: \"bold\")[#{}]]\n",
        lit(title)
    ));
    if !subtitle.is_empty() {
        out.push_str(&format!(
            "#v(0.4cm)\n#align(center)[#text(size: 14pt)[#{}]]\n",
            lit(subtitle)
        ));
    }
    if !figures.is_empty() {
        let cells: Vec<String> = figures
            .iter()
            .map(|f| {
                format!(
                    "[#text(size: 22pt, weight: \"bold\")[#{}] #linebreak() #text(size: 9pt)[#{}]]",
                    lit(&f.value),
                    lit(&f.label)
                )
            })
            .collect();
        // Shaded boxes of one height per row; the cells left over in the last row stay blank.
        let columns = figures.len().clamp(1, 4);
        out.push_str(&format!(
            "#v(1.6cm)\n#text(size: 12pt, weight: \"bold\")[#{}]\n#v(0.2cm)\n#grid(columns: (1fr,) * {columns}, gutter: 8pt, inset: (x: 8pt, y: 10pt), fill: (x, y) => if y * {columns} + x < {} {{ rgb(\"#f0f3f6\") }}, {})\n",
            lit(&r.tr.t("report-key-figures")),
            figures.len(),
            cells.join(", ")
        ));
    }
    out.push_str("#v(1fr)\n#line(length: 100%, stroke: 0.4pt + rgb(\"#9aa5b1\"))\n#set par(spacing: 0.6em)\n");
    for l in lines {
        out.push_str(&format!("#par[#{}]\n", lit(l)));
    }
    out.push_str("]\n");
    out.push_str(&format!(
        "#outline(title: {})\n",
        content(&r.tr.t("report-contents"))
    ));
}

/// Points per user unit of a chart: its 16-unit text becomes 11 pt, near the body's 10.5 pt.
const CHART_SCALE: f64 = 0.6875;

/// The numbers of the charts shown, each as a compact table headed by its chart's title, once,
/// in the data annex (rather than a table repeating every chart right after it).
fn chart_tables(out: &mut String, r: &Report, shown: &mut Vec<usize>) {
    for i in shown.drain(..) {
        let c = &r.charts[i];
        let (head, rows) = c.table();
        out.push_str(&format!(
            "#heading(level: 2, {})\n",
            lit(&r.tr.with("report-chart-data", &[("chart", &c.title)]))
        ));
        table(out, &head, &rows);
    }
}

/// Tables longer than this are set as a listing, one line per row: a typst table lays out
/// every cell as its own box, which makes a country's thousands of services cost seconds.
const LISTING_ROWS: usize = 40;

fn table(out: &mut String, head: &[String], rows: &[Vec<String>]) {
    if rows.len() > LISTING_ROWS {
        return listing(out, head, rows);
    }
    let cells: Vec<String> = head
        .iter()
        .map(|h| format!("[#strong({})]", content(h)))
        .chain(rows.iter().flat_map(|r| r.iter().map(|c| content(c))))
        .collect();
    let numeric = numeric_columns(head, rows);
    let align: Vec<&str> = numeric
        .iter()
        .map(|n| if *n { "right" } else { "left" })
        .collect();
    let table = format!(
        "table(columns: ({},), align: ({},), table.header(repeat: true, {}), {})",
        column_widths(head, rows, &numeric).join(", "),
        align.join(", "),
        cells[..head.len()].join(", "),
        cells[head.len()..].join(", ")
    );
    // A short table is kept on one page rather than leaving its head and a row behind.
    if rows.len() <= UNBROKEN_ROWS {
        out.push_str(&format!("#block(breakable: false, {table})\n"));
    } else {
        out.push_str(&format!("#{table}\n"));
    }
}

/// Tables of at most this many rows are not broken across pages.
const UNBROKEN_ROWS: usize = 8;

/// Cells longer than this (in characters) make their column share the width left; shorter
/// ones are as wide as their longest cell.
const SHORT_CELL: usize = 20;
/// A column of single words (addresses, dates) is as wide as its longest one up to this many
/// characters: an address broken over lines is hard to read and to copy.
const LONG_WORD: usize = 40;

/// Each column sized to its content: numbers and short texts as wide as they need (`auto`, or
/// as wide as the longest word of a heading longer than the column's values, which then
/// wraps), the columns of longer texts sharing the rest of the line by the square root of
/// their average length (`5fr`, `9fr`), so that a rank never takes half the page and a name
/// gets room.
fn column_widths(head: &[String], rows: &[Vec<String>], numeric: &[bool]) -> Vec<String> {
    (0..head.len())
        .map(|c| {
            let lens: Vec<usize> = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.chars().count())
                .collect();
            let longest = lens.iter().copied().max().unwrap_or(0);
            let words = rows
                .iter()
                .filter_map(|r| r.get(c))
                .all(|v| !v.trim().contains(char::is_whitespace));
            if numeric.get(c).copied().unwrap_or(false)
                || longest <= SHORT_CELL
                || (words && longest <= LONG_WORD)
            {
                let heading = head.get(c).map_or("", String::as_str);
                if heading.chars().count() <= longest {
                    return "auto".to_string();
                }
                let word = heading
                    .split_whitespace()
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0);
                // Table text is 8.5 pt; a letter is about 0.6 em wide (bold a little more),
                // the cell's inset adds 8 pt.
                let em = (word as f64 * 0.65).max(longest as f64 * 0.6) + 1.0;
                return format!("{em:.1}em");
            }
            // Shares growing with the square root of the average length: a long text gets
            // more room than a short one, but not so much that the short one wraps word by word.
            let mean = lens.iter().sum::<usize>() as f64 / lens.len().max(1) as f64;
            format!("{}fr", mean.sqrt().round().max(1.0))
        })
        .collect()
}

/// A long table as a listing: the first column on the left, the others after it on the
/// right, separated by middle dots, with the column names in the same shape on top.
fn listing(out: &mut String, head: &[String], rows: &[Vec<String>]) {
    let line = |cells: &[String], strong: bool| {
        let (first, rest) = cells
            .split_first()
            .map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
        let rest: Vec<&str> = rest
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect();
        let inner = format!("#{} #h(1fr) #{}", lit(first), lit(&rest.join("  ·  ")));
        if strong {
            format!("#par[#strong[{inner}]]\n")
        } else {
            format!("#par[{inner}]\n")
        }
    };
    out.push_str("#block[#set text(size: 8.5pt)\n#set par(spacing: 0.55em, justify: false)\n");
    out.push_str(&line(head, true));
    for r in rows {
        out.push_str(&line(r, false));
    }
    out.push_str("]\n");
}

fn fonts() -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::embedded());
        store
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// One document to typeset: its source and the compiled-in fonts; no file system, no network.
struct ReportWorld {
    main: Source,
    today: Datetime,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        fonts().book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Typesets the report; the bytes depend only on the report.
pub fn render(r: &Report, blocks: &[Block]) -> Result<Vec<u8>> {
    let doc = layout(r, blocks)?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(r.file_stem()),
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|errors| Error::Typeset {
        stage: "writing",
        messages: errors.iter().map(|e| e.message.to_string()).collect(),
    })
}

/// The report laid out in pages. When the last page would be mostly empty, the tables are set
/// a little denser, then a little looser, and the first layout whose last page is not mostly
/// empty is kept (else the one whose last page is fullest).
fn layout(r: &Report, blocks: &[Block]) -> Result<PagedDocument> {
    let last_fill = |doc: &PagedDocument| match doc.pages() {
        [_, _, .., last] => filled(&last.frame),
        // A title page and one more: nothing to fill.
        _ => 1.0,
    };
    let mut doc = typeset(r, blocks, Density::Normal)?;
    let mut fill = last_fill(&doc);
    for density in [Density::Dense, Density::Loose] {
        if fill >= LAST_PAGE_FILL {
            break;
        }
        let other = typeset(r, blocks, density)?;
        let other_fill = last_fill(&other);
        if other_fill > fill {
            (doc, fill) = (other, other_fill);
        }
    }
    Ok(doc)
}

/// How much of each page of the PDF its content fills, from 0 to 1 ([`filled`]).
pub fn page_fills(r: &Report, blocks: &[Block]) -> Result<Vec<f64>> {
    Ok(layout(r, blocks)?
        .pages()
        .iter()
        .map(|p| filled(&p.frame))
        .collect())
}

/// Below this share of its height filled, a last page counts as mostly empty.
const LAST_PAGE_FILL: f64 = 0.3;

/// The report laid out in pages.
fn typeset(r: &Report, blocks: &[Block], density: Density) -> Result<PagedDocument> {
    compile(source_with(r, blocks, density), &r.date)
}

/// Typst source dated `date` (YYYY-MM-DD) laid out in pages.
fn compile(text: String, date: &str) -> Result<PagedDocument> {
    let typeset = |messages: Vec<String>| Error::Typeset {
        stage: "typesetting",
        messages,
    };
    let path = VirtualPath::new("report.typ").map_err(|e| typeset(vec![format!("{e:?}")]))?;
    let id = FileId::new(RootedPath::new(VirtualRoot::Project, path));
    let (y, m, d) = date_parts(date);
    let world = ReportWorld {
        main: Source::new(id, text),
        today: Datetime::from_ymd(y, m, d)
            .ok_or_else(|| typeset(vec![format!("the report's date {date} is not a date")]))?,
    };
    typst::compile(&world)
        .output
        .map_err(|errors| typeset(errors.iter().map(|e| e.message.to_string()).collect()))
}

/// How much of a page's text area its content fills, from 0 to 1. The text area starts and
/// ends at the page's margins; the header and the page number outside them do not count. The
/// body is either one group the size of the text area (whose items are measured) or its items
/// placed on the page directly.
pub fn filled(page: &Frame) -> f64 {
    let top = MARGIN_Y_CM * PT_PER_CM;
    let area = page.height().to_pt() - 2.0 * top;
    if area <= 0.0 {
        return 0.0;
    }
    let near = |a: f64, b: f64| (a - b).abs() < 0.5;
    let low = page
        .items()
        .filter(|(pos, _)| pos.y.to_pt() >= top - 0.5 && pos.y.to_pt() < top + area - 0.5)
        .map(|(pos, item)| match item {
            FrameItem::Group(g)
                if near(pos.y.to_pt(), top) && near(g.frame.height().to_pt(), area) =>
            {
                top + bottom(&g.frame)
            }
            item => pos.y.to_pt() + extent(item),
        })
        .fold(top, f64::max);
    ((low - top) / area).clamp(0.0, 1.0)
}

/// The page's top and bottom margin.
const MARGIN_Y_CM: f64 = 2.2;
const PT_PER_CM: f64 = 72.0 / 2.54;

/// How far an item reaches down from where it is placed, in points.
fn extent(item: &FrameItem) -> f64 {
    match item {
        FrameItem::Group(g) => g.frame.height().to_pt(),
        FrameItem::Text(t) => t.size.to_pt(),
        FrameItem::Shape(s, _) => s.bbox(false).max.y.to_pt(),
        FrameItem::Image(_, size, _) => size.y.to_pt(),
        FrameItem::Link(_, size) => size.y.to_pt(),
        FrameItem::Tag(_) => 0.0,
    }
}

/// Where the lowest item of a frame ends, in points from its top.
fn bottom(frame: &Frame) -> f64 {
    frame
        .items()
        .map(|(pos, item)| pos.y.to_pt() + extent(item))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of the report's shape filled with `lines` lines of text.
    fn page_with(lines: usize) -> PagedDocument {
        let mut text = format!(
            "#set page(paper: \"a4\", margin: (x: 2cm, y: {MARGIN_Y_CM}cm), numbering: \"1\", header: [#text(size: 8.5pt)[Head #h(1fr) 1]])\n\
#set par(spacing: 0pt, leading: 0pt)\n"
        );
        for _ in 0..lines {
            text.push_str("#block(height: 10pt, width: 100%)[x]\n");
        }
        compile(text, "2015-06-29").expect("typesets")
    }

    #[test]
    fn a_page_filled_is_measured_from_margin_to_margin() {
        // A4 with 2.2 cm margins leaves about 717 pt: 10 pt blocks fill a share of it.
        let area = 841.89 - 2.0 * MARGIN_Y_CM * PT_PER_CM;
        for lines in [3, 20, 36, 60] {
            let doc = page_with(lines);
            let got = filled(&doc.pages()[0].frame);
            let want = (lines as f64 * 10.0 / area).min(1.0);
            assert!(
                (got - want).abs() < 0.03,
                "{lines} blocks: filled {got:.3}, expected {want:.3}"
            );
        }
    }
}
