//! Markdown, for publishing on a website or in a repository. Charts are written as SVG files
//! beside the report and referenced, each followed by its data table.
//!
//! Every text of the report is plain text (registry names, evidence notes, messages), so it is
//! escaped before it becomes Markdown: HTML cannot get through (`<script>` is written as
//! `&lt;script&gt;`), and no name can start a list, a heading, a link, emphasis or a table cell.

use crate::document::{Block, numeric_columns};
use crate::model::Report;

/// Plain text as Markdown that renders as exactly that text, on one line.
fn text(s: &str) -> String {
    escaped(s, true)
}

/// Plain text inside a line (after other text or markup): what starts a block only at the start
/// of a line needs no escape there.
fn inline(s: &str) -> String {
    escaped(s, false)
}

fn escaped(s: &str, line_start: bool) -> String {
    let s = s.trim_start();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            // What starts a heading, a list, a quote or a setext underline only at the start.
            '#' | '+' | '-' | '=' if i == 0 && line_start => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    // "1. text" would start a numbered list ("22.7" would not).
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let mut after = out[digits..].chars();
    if line_start
        && digits > 0
        && matches!(after.next(), Some('.' | ')'))
        && after.next().is_none_or(|c| c == ' ')
    {
        out.insert(digits, '\\');
    }
    out
}

fn cell(s: &str) -> String {
    text(s)
}

fn table(out: &mut String, head: &[String], rows: &[Vec<String>]) {
    out.push_str(&format!(
        "| {} |\n",
        head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
    ));
    // Numbers right aligned.
    let rule: String = numeric_columns(head, rows)
        .iter()
        .map(|n| if *n { " ---: |" } else { " --- |" })
        .collect();
    out.push_str(&format!("|{rule}\n"));
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
            Block::Title {
                title,
                subtitle,
                lines,
                figures,
            } => {
                out.push_str(&format!("# {}\n\n", text(title)));
                if !subtitle.is_empty() {
                    out.push_str(&format!("{}\n\n", text(subtitle)));
                }
                for l in lines {
                    out.push_str(&format!("{}  \n", text(l)));
                }
                out.push('\n');
                if !figures.is_empty() {
                    out.push_str(&format!("**{}**\n\n", text(&r.tr.t("report-key-figures"))));
                    for f in figures {
                        out.push_str(&format!("- {}: **{}**\n", text(&f.label), inline(&f.value)));
                    }
                    out.push('\n');
                }
            }
            Block::Heading(level, heading) => out.push_str(&format!(
                "{} {}\n\n",
                "#".repeat(usize::from(*level) + 1),
                text(heading)
            )),
            Block::Para(para) => out.push_str(&format!("{}\n\n", text(para))),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {}\n", text(i)));
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
                out.push_str(&format!("*{}*\n\n", text(&c.title)));
                let (head, rows) = c.table();
                table(&mut out, &head, &rows);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::text;
    use pulldown_cmark::{Event, Parser};

    /// What a Markdown renderer makes of a line: its text, and whether anything else (HTML,
    /// links, emphasis, lists, headings) appeared.
    fn rendered(md: &str) -> (String, Vec<String>) {
        let mut plain = String::new();
        let mut other = Vec::new();
        for e in Parser::new(md) {
            match e {
                Event::Text(t) => plain.push_str(&t),
                Event::Start(pulldown_cmark::Tag::Paragraph)
                | Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
                e => other.push(format!("{e:?}")),
            }
        }
        (plain, other)
    }

    #[test]
    fn registry_text_stays_text() {
        for s in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "Health information system (IS-HEALTH)",
            "[click](javascript:alert(1))",
            "![x](http://evil/x.png)",
            "**bold** and _under_ and `code` and ~~strike~~",
            "# not a heading",
            "- not a list",
            "+ not a list",
            "> not a quote",
            "1. not a list",
            "2) not a list",
            "3.",
            "22.7",
            "2015-H1",
            "a | b | c",
            "back\\slash",
            "AT&T &amp; &lt;",
            "<http://autolink.example>",
            "===",
            "line\nbreak",
            "    indented",
            "Əhali reyestri: şəxsiyyət vəsiqəsi",
        ] {
            let md = text(s);
            let (plain, other) = rendered(&md);
            let want = s.trim_start().replace('\n', " ");
            assert_eq!(plain, want, "{s:?} as {md:?}");
            assert!(other.is_empty(), "{s:?} as {md:?} gave {other:?}");
        }
    }
}
