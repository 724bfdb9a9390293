//! Markdown, for publishing on a website or in a repository. Charts are written as SVG files
//! beside the report and referenced, each followed by its data table.

use crate::document::Block;
use crate::model::Report;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn table(out: &mut String, head: &[String], rows: &[Vec<String>]) {
    out.push_str(&format!(
        "| {} |\n",
        head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
    ));
    out.push_str(&format!("|{}\n", " --- |".repeat(head.len())));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out.push('\n');
}

pub fn render(r: &Report, blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Title { title, lines } => {
                out.push_str(&format!("# {title}\n\n"));
                for l in lines {
                    out.push_str(&format!("{l}  \n"));
                }
                out.push('\n');
            }
            Block::Heading(level, text) => out.push_str(&format!(
                "{} {text}\n\n",
                "#".repeat(usize::from(*level) + 1)
            )),
            Block::Para(text) => out.push_str(&format!("{text}\n\n")),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {i}\n"));
                }
                out.push('\n');
            }
            Block::Table { head, rows } => table(&mut out, head, rows),
            Block::Chart(i) => {
                let c = &r.charts[*i];
                out.push_str(&format!(
                    "![{}]({}-{}.svg)\n\n",
                    cell(&c.description),
                    r.file_stem(),
                    c.id
                ));
                out.push_str(&format!("*{}*\n\n", c.title));
                let (head, rows) = c.table();
                table(&mut out, &head, &rows);
            }
        }
    }
    out
}
