//! One self-contained HTML file: styles and charts inline, printable (page breaks before each
//! part, no navigation chrome).

use crate::charts::{escape, svg};
use crate::document::{Block, numeric_columns};
use crate::model::Report;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2933;line-height:1.45}\
h1{font-size:1.6rem;margin-top:2.5rem;border-bottom:2px solid #1f2933}h2{font-size:1.2rem;margin-top:1.6rem}\
header.title{border:0;margin-bottom:2rem}header.title h1{font-size:2rem;border:0}header.title .subtitle{font-size:1.2rem;margin-top:-.5rem}\
.figures dl{display:grid;grid-template-columns:repeat(4,1fr);gap:.5rem;margin:1rem 0}.figures dl>div{display:flex;flex-direction:column-reverse;justify-content:flex-end;background:#f0f3f6;border-radius:3px;padding:.6rem .75rem}\
.figures dt{font-size:.85rem}.figures dd{margin:0;font-size:1.6rem;font-weight:700}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}th,td{border:1px solid #c4cdd5;padding:.3rem .45rem;text-align:left;vertical-align:top}\
th{background:#f0f3f6}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.5rem}svg{display:block;max-width:100%;height:auto}\
details{margin:.5rem 0 1rem}summary{cursor:pointer;color:#0b5cad}\
@media (max-width:40rem){table{display:block;overflow-x:auto}.figures dl{grid-template-columns:repeat(2,1fr)}}\
@media print{h1{break-before:page}header.title+h1{break-before:auto}a{color:inherit}}";

pub fn render(r: &Report, blocks: &[Block]) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        r.lang,
        escape(&r.tr.with("report-title", &[("round", &r.round)]))
    );
    for b in blocks {
        match b {
            Block::Title {
                title,
                subtitle,
                lines,
                figures,
            } => {
                out.push_str(&format!(
                    "<header class=\"title\"><h1>{}</h1>\n",
                    escape(title)
                ));
                if !subtitle.is_empty() {
                    out.push_str(&format!("<p class=\"subtitle\">{}</p>\n", escape(subtitle)));
                }
                for l in lines {
                    out.push_str(&format!("<p>{}</p>\n", escape(l)));
                }
                if !figures.is_empty() {
                    // Each number under what it counts for a screen reader (dt, dd); shown
                    // large above its label.
                    out.push_str(&format!(
                        "<section class=\"figures\" aria-label=\"{}\"><dl>\n",
                        escape(&r.tr.t("report-key-figures"))
                    ));
                    for f in figures {
                        out.push_str(&format!(
                            "<div><dt>{}</dt><dd>{}</dd></div>\n",
                            escape(&f.label),
                            escape(&f.value)
                        ));
                    }
                    out.push_str("</dl></section>\n");
                }
                out.push_str("</header>\n");
            }
            Block::Heading(level, text) => {
                let h = level + 1;
                out.push_str(&format!("<h{h}>{}</h{h}>\n", escape(text)));
            }
            Block::Para(text) => out.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    out.push_str(&format!("<li>{}</li>\n", escape(i)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { head, rows } => table(&mut out, head, rows),
            Block::Chart(i) => {
                let c = &r.charts[*i];
                out.push_str(&format!(
                    "<figure>\n<figcaption>{}</figcaption>\n{}\n",
                    escape(&c.title),
                    svg(c)
                ));
                // The numbers behind a disclosure: there for a screen reader or a check, out
                // of the way of a reader of the chart.
                let (head, rows) = c.table();
                out.push_str(&format!(
                    "<details>\n<summary>{}</summary>\n",
                    escape(&r.tr.with("report-chart-data", &[("chart", &c.title)]))
                ));
                table(&mut out, &head, &rows);
                out.push_str("</details>\n</figure>\n");
            }
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn table(out: &mut String, head: &[String], rows: &[Vec<String>]) {
    let numeric = numeric_columns(head, rows);
    let class = |k: usize| {
        if numeric.get(k).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        }
    };
    out.push_str("<table>\n");
    out.push_str("<thead><tr>");
    for (k, h) in head.iter().enumerate() {
        out.push_str(&format!("<th scope=\"col\"{}>{}</th>", class(k), escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for (k, c) in r.iter().enumerate() {
            if k == 0 {
                out.push_str(&format!("<th scope=\"row\"{}>{}</th>", class(k), escape(c)));
            } else {
                out.push_str(&format!("<td{}>{}</td>", class(k), escape(c)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}
