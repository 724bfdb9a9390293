//! Every table of every page downloads as CSV or JSON from the page that shows it:
//! `?table=ID&format=csv` on the page's own address answers that table's rows as the page
//! shows them (the same words, in the page's language). The rows are built from the page's own
//! data (each page's view says its tables, [`Tables`]), never read back from the rendered HTML.
//! Typed data for programs is in `/api/v1`; this is for the reader who wants the table they are
//! looking at.

use crate::api::{csv, pairs};
use crate::i18n::Tr;
use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use serde_json::{Map, Value};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// One table of a page: its column titles and the text of each cell, as the page shows them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataTable {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl DataTable {
    /// A table with the column titles of message keys `titles` (in the page's language) and a
    /// row made by `row` from each of `items`.
    pub fn of<T>(
        tr: &Tr,
        titles: &[&str],
        items: impl IntoIterator<Item = T>,
        row: impl FnMut(T) -> Vec<String>,
    ) -> DataTable {
        DataTable {
            head: titles.iter().map(|k| tr.t(k)).collect(),
            rows: items.into_iter().map(row).collect(),
        }
    }

    /// Rows as objects keyed by the column titles (a nameless column is `column N`).
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

/// A page's downloadable tables, by the id its `<table>` carries.
pub trait Tables {
    /// The table `id` of this page, built from the same values the template shows.
    fn table(&self, _id: &str) -> Option<DataTable> {
        None
    }
}

/// The table a request asks for instead of its page.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub id: String,
    /// `csv` or `json`.
    pub format: String,
}

tokio::task_local! {
    static WANTED: Wanted;
}

/// The table the request being answered asks for (`?table=ID`), if any.
pub fn wanted() -> Option<Wanted> {
    WANTED.try_with(Wanted::clone).ok()
}

/// The answer to a request for one of `page`'s tables: the table as CSV or JSON, or `404`
/// when the page has no table of that id.
pub fn answer(page: &impl Tables, want: &Wanted) -> Response {
    let Some(table) = page.table(&want.id) else {
        return (
            StatusCode::NOT_FOUND,
            format!("this page has no table {:?}", want.id),
        )
            .into_response();
    };
    let records = table.records();
    let file: String = want
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let (content_type, body) = if want.format == "csv" {
        ("text/csv; charset=utf-8", csv(&records))
    } else {
        (
            "application/json",
            serde_json::to_string(&crate::records::DataBody { data: records }).unwrap_or_default(),
        )
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, crate::cache::PAGE.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}.{}\"", want.format),
            ),
        ],
        Body::from(body),
    )
        .into_response()
}

/// Reads `?table=ID&format=csv|json` on pages and lets the page's handler answer with that
/// table ([`wanted`], `pages::render`); every other request passes to the service it wraps
/// untouched (no clone of it, no boxed future: most requests are not downloads).
#[derive(Clone)]
pub struct Downloads<S> {
    inner: S,
}

impl<S> Downloads<S> {
    pub fn layer() -> impl tower::Layer<S, Service = Downloads<S>> + Clone {
        tower::layer::layer_fn(|inner| Downloads { inner })
    }
}

type Boxed<E> = Pin<Box<dyn Future<Output = Result<Response, E>> + Send>>;

impl<S, B> tower::Service<axum::http::Request<B>> for Downloads<S>
where
    S: tower::Service<axum::http::Request<B>, Response = Response>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Either<S::Future, Boxed<S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: axum::http::Request<B>) -> Self::Future {
        match asked(req.uri()) {
            Ok(None) => Either::Left(self.inner.call(req)),
            Ok(Some(wanted)) => {
                let answer = WANTED.scope(wanted, self.inner.call(req));
                Either::Right(Box::pin(async move { answer.await.map(tables_only) }))
            }
            Err(refusal) => {
                let refusal = (StatusCode::BAD_REQUEST, refusal).into_response();
                Either::Right(Box::pin(async move { Ok(refusal) }))
            }
        }
    }
}

/// The table a page request asks for; none for the API's answers and pages asked for without
/// `table`; why a format other than CSV or JSON is refused.
fn asked(uri: &axum::http::Uri) -> Result<Option<Wanted>, &'static str> {
    let (Some(query), false) = (uri.query(), uri.path().starts_with("/api/")) else {
        return Ok(None);
    };
    let q = pairs(Some(query));
    let find = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let Some(id) = find("table") else {
        return Ok(None);
    };
    let format = find("format").unwrap_or_else(|| "csv".into());
    if format != "csv" && format != "json" {
        return Err("format is csv or json");
    }
    Ok(Some(Wanted { id, format }))
}

/// A page that answered a table request with its HTML has no tables to give.
fn tables_only(res: Response) -> Response {
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() == StatusCode::OK && is_html {
        return (StatusCode::NOT_FOUND, "this page has no tables to download").into_response();
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_keyed_by_the_column_titles() {
        let t = DataTable {
            head: vec!["Service".into(), "Stage".into()],
            rows: [("Şəhər & kənd", "2 · Two-way"), ("B", "—")]
                .map(|(a, b)| vec![a.into(), b.into(), "extra".into()])
                .to_vec(),
        };
        let r = t.records();
        assert_eq!(r[0]["Service"], "Şəhər & kənd");
        assert_eq!(r[1]["Stage"], "—");
        assert_eq!(r[1]["column 3"], "extra");
        assert_eq!(
            csv(&r[..1]),
            "Service,Stage,column 3\nŞəhər & kənd,2 · Two-way,extra\n"
        );
    }
}
