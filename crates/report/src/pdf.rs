//! PDF through typst used as a library: the report's blocks become typst markup (all text as
//! string literals, so nothing in the data is read as markup), typeset with the fonts compiled
//! into the binary (Libertinus Serif covers ə, ğ, ı, İ and Cyrillic), with page numbers, running
//! headers and a table of contents. The document date is the round's, never the clock's.

use crate::charts::{self, svg};
use crate::document::Block;
use crate::error::{Error, Result};
use crate::model::Report;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
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

/// The typst source of the report.
pub fn source(r: &Report, blocks: &[Block]) -> String {
    let title = r.tr.with("report-title", &[("round", &r.round)]);
    let (y, m, d) = date_parts(&r.date);
    let mut out = format!(
        "#set document(title: {t}, date: datetime(year: {y}, month: {m}, day: {d}))\n\
#set text(font: \"Libertinus Serif\", size: 10.5pt, lang: \"{lang}\")\n\
#set page(paper: \"a4\", margin: (x: 2cm, y: 2.2cm), numbering: \"1\", header: context {{ if counter(page).get().first() > 1 [#text(size: 8.5pt)[#{t} #h(1fr) #counter(page).display()]] }})\n\
#set heading(numbering: \"1.1\")\n\
#show heading.where(level: 1): it => {{ pagebreak(weak: true); it }}\n\
#set table(stroke: 0.4pt + rgb(\"#9aa5b1\"), inset: 4pt)\n\
#show table: set text(size: 8.5pt)\n\
#show table: set par(justify: false)\n",
        t = lit(&title),
        lang = r.lang,
    );
    // The charts' tables go at the end of the data annex, before the next part.
    let data_annex = r.tr.t("report-annex-data");
    let (mut in_data_annex, mut shown) = (false, Vec::new());
    for b in blocks {
        if in_data_annex && matches!(b, Block::Heading(1, _)) {
            chart_tables(&mut out, r, &mut shown);
        }
        match b {
            Block::Title { title, lines } => {
                out.push_str(&format!(
                    "#align(center)[#v(4cm)#text(size: 22pt, weight: \"bold\")[#{}]#v(1cm)]\n",
                    lit(title)
                ));
                for l in lines {
                    out.push_str(&format!("#align(center)[#{}]\n\n", lit(l)));
                }
                out.push_str(&format!(
                    "#pagebreak()\n#outline(title: {})\n",
                    content(&r.tr.t("report-contents"))
                ));
            }
            Block::Heading(level, text) => {
                out.push_str(&format!("#heading(level: {level}, {})\n", lit(text)))
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
                out.push_str(&format!(
                    "#figure(image(bytes({}), format: \"svg\", width: {}pt, alt: {}), caption: {})\n",
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
    // Fixed shares rather than `auto` columns: auto widths measure every cell twice.
    out.push_str(&format!(
        "#table(columns: (2fr,) + (1fr,) * {}, table.header(repeat: true, {}), {})\n",
        head.len().saturating_sub(1),
        cells[..head.len()].join(", "),
        cells[head.len()..].join(", ")
    ));
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
    let text = source(r, blocks);
    let typeset = |messages: Vec<String>| Error::Typeset {
        stage: "typesetting",
        messages,
    };
    let path = VirtualPath::new("report.typ").map_err(|e| typeset(vec![format!("{e:?}")]))?;
    let id = FileId::new(RootedPath::new(VirtualRoot::Project, path));
    let (y, m, d) = date_parts(&r.date);
    let world = ReportWorld {
        main: Source::new(id, text),
        today: Datetime::from_ymd(y, m, d)
            .ok_or_else(|| typeset(vec![format!("the report's date {} is not a date", r.date)]))?,
    };
    let doc: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| typeset(errors.iter().map(|e| e.message.to_string()).collect()))?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(r.file_stem()),
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|errors| Error::Typeset {
        stage: "writing",
        messages: errors.iter().map(|e| e.message.to_string()).collect(),
    })
}
