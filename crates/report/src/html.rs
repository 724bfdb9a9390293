//! One self-contained HTML file: styles and charts inline, printable (page breaks before each
//! part, no navigation chrome).

use crate::charts::{escape, svg};
use crate::document::Block;
use crate::model::Report;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2933;line-height:1.45}\
h1{font-size:1.6rem;margin-top:2.5rem;border-bottom:2px solid #1f2933}h2{font-size:1.2rem;margin-top:1.6rem}\
header.title{border:0;margin-bottom:2rem}header.title h1{font-size:2rem;border:0}\
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}th,td{border:1px solid #c4cdd5;padding:.3rem .45rem;text-align:left;vertical-align:top}\
th{background:#f0f3f6}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.5rem}svg{display:block;max-width:100%;height:auto}\
details{margin:.5rem 0 1rem}summary{cursor:pointer;color:#0b5cad}\
@media (max-width:40rem){table{display:block;overflow-x:auto}}\
@media print{h1{break-before:page}header.title+h1{break-before:auto}a{color:inherit}}";

pub fn render(r: &Report, blocks: &[Block]) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        r.lang,
        escape(&r.tr.with("report-title", &[("round", &r.round)]))
    );
    for b in blocks {
        match b {
            Block::Title { title, lines } => {
                out.push_str(&format!(
                    "<header class=\"title\"><h1>{}</h1>\n",
                    escape(title)
                ));
                for l in lines {
                    out.push_str(&format!("<p>{}</p>\n", escape(l)));
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
    out.push_str("<table>\n");
    out.push_str("<thead><tr>");
    for h in head {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for (k, c) in r.iter().enumerate() {
            if k == 0 {
                out.push_str(&format!("<th scope=\"row\">{}</th>", escape(c)));
            } else {
                out.push_str(&format!("<td>{}</td>", escape(c)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}
