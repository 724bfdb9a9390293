//! Every table of every page downloads as CSV or JSON from the page that shows it:
//! `?table=ID&format=csv` on the page's own address answers that table's rows as the page
//! shows them (the same words, in the page's language), cut from the rendered page. Typed data
//! for programs is in `/api/v1`; this is for the reader who wants the table they are looking at.

use crate::api::{csv, pairs};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// The cells of one table: header (from `<thead>`) and body rows, as text.
#[derive(Debug, PartialEq)]
pub struct Cut {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// HTML entities our templates write (askama escapes exactly these).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
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

/// The text of each cell of one row.
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

/// The cells of each `<tr>` in `html`.
fn rows(html: &str) -> Vec<Vec<String>> {
    html.split("<tr")
        .skip(1)
        .map(|tr| cells(tr.split("</tr>").next().unwrap_or_default()))
        .collect()
}

/// The table with `id` in a rendered page.
pub fn cut(page: &str, id: &str) -> Option<Cut> {
    let marker = format!("<table id=\"{id}\"");
    let start = page.find(&marker)?;
    let body = &page[start..];
    let end = body.find("</table>")?;
    let table = &body[..end];
    let (head, body) = match table.find("</thead>") {
        Some(h) => (&table[..h], &table[h..]),
        None => ("", table),
    };
    Some(Cut {
        head: rows(head).into_iter().next().unwrap_or_default(),
        rows: rows(body),
    })
}

impl Cut {
    /// Rows as objects keyed by the column names (a nameless column is `column N`).
    pub fn records(&self) -> Vec<Value> {
        let width = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let names: Vec<String> = (0..width.max(self.head.len()))
            .map(|i| match self.head.get(i) {
                Some(h) if !h.is_empty() => h.clone(),
                _ => format!("column {}", i + 1),
            })
            .collect();
        self.rows
            .iter()
            .map(|r| {
                let mut m = Map::new();
                for (i, name) in names.iter().enumerate() {
                    m.insert(
                        name.clone(),
                        Value::String(r.get(i).cloned().unwrap_or_default()),
                    );
                }
                Value::Object(m)
            })
            .collect()
    }
}

/// Answers `?table=ID&format=csv|json` on pages; every other request passes through.
pub async fn download(State(state): State<crate::AppState>, req: Request, next: Next) -> Response {
    let q = pairs(req.uri().query());
    let find = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let (Some(id), false) = (find("table"), req.uri().path().starts_with("/api/")) else {
        return next.run(req).await;
    };
    let format = find("format").unwrap_or_else(|| "csv".into());
    if format != "csv" && format != "json" {
        return (StatusCode::BAD_REQUEST, "format is csv or json").into_response();
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    // A page is cut only when it is held whole; a longer one is refused, not buffered.
    let Ok(bytes) = axum::body::to_bytes(res.into_body(), state.max_buffer).await else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "this page is too long to cut a table from; the API lists the same rows a page at a time",
        )
            .into_response();
    };
    let page = String::from_utf8_lossy(&bytes);
    let Some(table) = cut(&page, &id) else {
        return (
            StatusCode::NOT_FOUND,
            format!("this page has no table {id:?}"),
        )
            .into_response();
    };
    let records = table.records();
    let file: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let (content_type, body) = if format == "csv" {
        ("text/csv; charset=utf-8", csv(&records))
    } else {
        (
            "application/json",
            serde_json::json!({ "data": records }).to_string(),
        )
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, crate::cache::PAGE.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}.{format}\""),
            ),
        ],
        Body::from(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<p>x</p><table id="t-a" class="stack"><thead><tr><th scope="col">Service</th><th scope="col">Stage</th></tr></thead>
<tbody><tr><td><a href="/x">Şəhər &amp; kənd</a> <span class="code">S1</span></td><td><span class="stage">2 · Two-way</span></td></tr>
<tr><td>B</td><td>—</td></tr></tbody></table><table id="t-b"><tbody><tr><th scope="row">Improved</th><td>3</td></tr></tbody></table>"#;

    #[test]
    fn cuts_the_named_table_as_the_page_shows_it() {
        let a = cut(PAGE, "t-a").expect("t-a");
        assert_eq!(a.head, ["Service", "Stage"]);
        assert_eq!(
            a.rows,
            vec![
                vec!["Şəhər & kənd S1".to_string(), "2 · Two-way".to_string()],
                vec!["B".to_string(), "—".to_string()],
            ]
        );
        let b = cut(PAGE, "t-b").expect("t-b");
        assert!(b.head.is_empty());
        assert_eq!(b.records()[0]["column 1"], "Improved");
        assert!(cut(PAGE, "t-c").is_none());
        assert_eq!(
            csv(&a.records()),
            "Service,Stage\nŞəhər & kənd S1,2 · Two-way\nB,—\n"
        );
    }
}
