//! A reader's check of the table downloads: every table a page offers to download gives the
//! rows the page shows. The site builds downloads from each page's data; here the page's HTML
//! is read the way a reader reads it (the text of each cell) and the two must agree.

/// The cells of one table as the page shows them: header and body rows, as text.
#[derive(Debug, PartialEq)]
pub struct Shown {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Text or an attribute's value as a browser reads it: the HTML entities the templates write
/// (askama's numeric ones, and the named ones of hand-written markup), `&` last.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

/// Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed.
fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn cells(tr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = tr;
    while let Some(i) = [rest.find("<td"), rest.find("<th")]
        .into_iter()
        .flatten()
        .min()
    {
        let after = &rest[i..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let inner = &after[open_end + 1..];
        let close = [inner.find("</td>"), inner.find("</th>")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(inner.len());
        out.push(text(&inner[..close]));
        rest = &inner[close..];
    }
    out
}

fn rows(html: &str) -> Vec<Vec<String>> {
    html.split("<tr")
        .skip(1)
        .map(|tr| cells(tr.split("</tr>").next().unwrap_or_default()))
        .collect()
}

/// The table with `id` in a rendered page.
pub fn shown(page: &str, id: &str) -> Option<Shown> {
    let start = page.find(&format!("<table id=\"{id}\""))?;
    let body = &page[start..];
    let table = &body[..body.find("</table>")?];
    let (head, body) = match table.find("</thead>") {
        Some(h) => (&table[..h], &table[h..]),
        None => ("", table),
    };
    Some(Shown {
        head: rows(head).into_iter().next().unwrap_or_default(),
        rows: rows(body),
    })
}

/// The ids of the tables a page offers to download.
pub fn offered(page: &str) -> Vec<String> {
    let mut ids: Vec<String> = page
        .split("table=")
        .skip(1)
        .filter_map(|s| s.split("&amp;format=csv").next())
        .filter(|id| id.starts_with("t-") && !id.contains(['"', '&', ' ']))
        .map(str::to_string)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A cell compared as a reader sees it: where a page shows a list, a download separates its
/// items with `; `, so separators and spacing are left out of the comparison.
pub fn as_read(cell: &str) -> String {
    cell.replace(';', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_reader_of_a_page_sees_the_cells_of_its_tables() {
    let page = r#"<p>x</p><table id="t-a" class="stack"><thead><tr><th scope="col">Service</th><th scope="col">Stage</th></tr></thead>
<tbody><tr><td><a href="/x">Şəhər &amp; kənd</a> <span class="code">S1</span></td><td><span class="stage">2 · Two-way</span></td></tr>
<tr><td>B</td><td>—</td></tr></tbody></table><a href="/en/x?table=t-a&amp;format=csv">CSV</a>"#;
    let a = shown(page, "t-a").expect("t-a");
    assert_eq!(a.head, ["Service", "Stage"]);
    assert_eq!(a.rows[0], ["Şəhər & kənd S1", "2 · Two-way"]);
    assert_eq!(a.rows[1], ["B", "—"]);
    assert!(shown(page, "t-c").is_none());
    assert_eq!(offered(page), ["t-a"]);
    assert_eq!(as_read("a; b  c"), as_read("a b c"));
}
