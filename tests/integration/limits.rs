//! The server's bounds and headers: on a real server on loopback, stalled and idle connections
//! are closed and the connection cap holds; requests over a bound are refused clearly; the
//! response cache stays within its bytes whatever the query strings; answers over the buffer
//! bound are refused or streamed, never a 500; what-ifs beyond the limit get 503; every answer
//! carries the security headers.

use crate::support::*;
use axum::http::StatusCode;
use egovwatch_web::Limits;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A real server over `store` within `limits`, stopped on drop of the sender.
async fn start(
    store: egovwatch_store::Store,
    limits: Limits,
) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("address");
    let app = egovwatch_web::app(store, egovwatch_web::i18n::DEFAULT_FALLBACK, &limits);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let stop = async {
            let _ = rx.await;
        };
        egovwatch_web::serve_with(listener, app, &limits, stop)
            .await
            .expect("serve");
    });
    (addr, tx)
}

/// Reads until the server closes the connection (or `within` passes): what was read, and
/// whether it closed.
async fn until_closed(s: &mut TcpStream, within: Duration) -> (String, bool) {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Err(_) => return (String::from_utf8_lossy(&out).into_owned(), false),
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&out).into_owned(), true),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// One request on its own connection (`Connection: close`): the whole answer as text.
async fn exchange(addr: SocketAddr, head: &str) -> String {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(head.as_bytes()).await.expect("send");
    let (text, closed) = until_closed(&mut s, Duration::from_secs(20)).await;
    assert!(
        closed,
        "no complete answer to {}",
        head.lines().next().unwrap_or("")
    );
    text
}

fn status_of(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn header_of<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn stalled_and_idle_connections_are_closed_and_the_cap_holds() {
    let db = sqlite();
    let limits = Limits {
        header_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(2),
        max_connections: 3,
        ..Limits::default()
    };
    let (addr, _stop) = start(demo_store(&db), limits).await;

    // Part of a request head, then nothing: closed after the header timeout.
    let t = Instant::now();
    let mut partial = TcpStream::connect(addr).await.expect("connect");
    partial
        .write_all(b"GET /en/ HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .expect("send");
    let (_, closed) = until_closed(&mut partial, Duration::from_secs(6)).await;
    assert!(closed, "a connection with a partial head was held 6 s");
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );

    // Nothing at all: closed after the idle timeout.
    let t = Instant::now();
    let mut silent = TcpStream::connect(addr).await.expect("connect");
    let (_, closed) = until_closed(&mut silent, Duration::from_secs(8)).await;
    assert!(closed, "a silent connection was held 8 s");
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );

    // A kept-alive connection is closed after its answer once it idles.
    let mut kept = TcpStream::connect(addr).await.expect("connect");
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("send");
    let (text, closed) = until_closed(&mut kept, Duration::from_secs(8)).await;
    assert!(closed && text.starts_with("HTTP/1.1 200"), "{text}");

    // Three stalled connections fill the cap: a fourth is answered only once they are closed.
    let mut stalled = Vec::new();
    for _ in 0..3 {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET / HTTP/1.1\r\n").await.expect("send");
        stalled.push(s);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t = Instant::now();
    let answer = exchange(
        addr,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&answer), 200, "{answer}");
    assert!(
        t.elapsed() >= Duration::from_millis(600),
        "a fourth connection was served beside three at a cap of three ({:?})",
        t.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_over_the_bounds_are_refused_clearly() {
    let db = sqlite();
    let (addr, _stop) = start(demo_store(&db), Limits::default()).await;
    let long = "a".repeat(50_000);

    let page = exchange(
        addr,
        &format!("GET /en/search?q={long} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(status_of(&page), 414, "{}", &page[..page.len().min(400)]);
    assert!(page.contains("<html lang=\"en\">") && page.contains("The address is too long"));
    assert!(header_of(&page, "content-security-policy").is_some());

    let api = exchange(
        addr,
        &format!("GET /api/v1/search?q={long} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(status_of(&api), 414);
    assert!(api.contains("\"code\":\"too_large\""), "{api}");

    // Search words past 1,000 characters, in an address the server takes: refused too.
    let words = "ab ".repeat(700);
    let words = words.replace(' ', "+");
    let page = exchange(
        addr,
        &format!("GET /en/search?q={words} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(status_of(&page), 414, "{}", &page[..page.len().min(400)]);

    // A body over the bound: 413 before anything reads it.
    let body = exchange(
        addr,
        "POST /api/v1/services HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status_of(&body), 413, "{body}");

    // Headers larger than the head bound: 431 from the server itself.
    let big = exchange(
        addr,
        &format!(
            "GET /en/ HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
            "b".repeat(200_000)
        ),
    )
    .await;
    assert!(
        matches!(status_of(&big), 431 | 400) || big.is_empty(),
        "{big:.200}"
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_pages_need_no_inline_code() {
    for db in backends("every_answer_carries_the_security_headers") {
        let _out = run_demo(&db);
        let app = egovwatch_web::router(db.store());
        for path in [
            "/",
            "/en/",
            "/en/services/SRV-0008",
            "/en/rounds/2015-H1",
            "/en/gaps",
            "/az/search?q=ehali",
            "/api/v1/services",
            "/api/openapi.json",
            "/static/style.css",
            "/en/nope",
            "/api/v1/nope",
        ] {
            let a = request(&app, path, &[]).await;
            let h = |n: &str| a.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
            let csp = h("content-security-policy");
            assert!(
                csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
                "{}: {path}: CSP {csp:?}",
                db.name
            );
            assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
            assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
            assert_eq!(h("x-frame-options"), "DENY", "{path}");
            assert!(!h("referrer-policy").is_empty(), "{path}");
            if a.headers
                .get("content-type")
                .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
            {
                // The policy allows no inline style or script: the pages have none.
                for inline in ["<style", " style=", "<script", " onclick=", " onload="] {
                    assert!(!a.body.contains(inline), "{path} has {inline}");
                }
            }
        }
        // The self-contained report: its own policy, its inline style allowed by hash only.
        let a = request(&app, "/en/rounds/2015-H1/report.html", &[]).await;
        assert_eq!(a.status, StatusCode::OK, "{}", db.name);
        let csp = a.headers["content-security-policy"].to_str().expect("csp");
        assert!(
            csp.contains("style-src 'sha256-") && csp.contains("sandbox"),
            "{csp}"
        );
        assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"));
        assert_eq!(a.headers["x-content-type-options"], "nosniff");
        // A conditional read's 304 too.
        let etag = a.headers["etag"].to_str().expect("etag").to_string();
        let again = request(
            &app,
            "/en/rounds/2015-H1/report.html",
            &[("if-none-match", &etag)],
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert!(again.headers.contains_key("content-security-policy"));
    }
}

#[tokio::test]
async fn distinct_query_strings_do_not_grow_the_cache_past_its_bytes() {
    for db in backends("distinct_query_strings_do_not_grow_the_cache") {
        let _out = run_demo(&db);
        let limits = Limits {
            cache_bytes: 256 * 1024,
            ..Limits::default()
        };
        let (app, shared) =
            egovwatch_web::build(db.store(), egovwatch_web::i18n::DEFAULT_FALLBACK, &limits);
        let kept = || {
            shared
                .held()
                .map(|s| (s.responses.len(), s.responses.weight()))
        };
        let a = request(&app, "/en/services/SRV-0008", &[]).await;
        assert_eq!(a.status, StatusCode::OK);
        let before = kept().expect("a snapshot").0;
        // Parameters the page does not read: answered, never kept.
        for i in 0..300 {
            let a = request(&app, &format!("/en/services/SRV-0008?utm={i}"), &[]).await;
            assert_eq!(a.status, StatusCode::OK);
        }
        let api = request(&app, "/api/v1/services?colour=red", &[]).await;
        assert_eq!(
            api.status,
            StatusCode::BAD_REQUEST,
            "unknown API parameters stay errors"
        );
        assert_eq!(kept().expect("snapshot").0, before, "{}", db.name);
        // The same parameters in another order or spelling are one entry.
        let x = request(&app, "/api/v1/services?stage=2&limit=5", &[]).await;
        let n = kept().expect("snapshot").0;
        let y = request(&app, "/api/v1/services?limit=5&stage=%32", &[]).await;
        assert_eq!(x.headers["etag"], y.headers["etag"]);
        assert_eq!(
            kept().expect("snapshot").0,
            n,
            "{}: reordered parameters kept twice",
            db.name
        );
        // Many distinct searches: the cache stays within its bytes.
        for i in 0..1500 {
            let a = request(&app, &format!("/en/search?q=s{i}"), &[]).await;
            assert_eq!(a.status, StatusCode::OK);
        }
        let (len, weight) = kept().expect("snapshot");
        assert!(
            weight <= 256 * 1024,
            "{}: {len} answers, {weight} bytes",
            db.name
        );
    }
}

#[tokio::test]
async fn answers_over_the_buffer_bound_are_refused_or_streamed_never_a_500() {
    for db in backends("answers_over_the_buffer_bound") {
        let _out = run_demo(&db);
        let limits = Limits {
            max_buffer_bytes: 4096,
            ..Limits::default()
        };
        let app = egovwatch_web::app(db.store(), egovwatch_web::i18n::DEFAULT_FALLBACK, &limits);
        // The gap analysis answers in brief, its lists a page at a time.
        let a = request(&app, "/api/v1/gaps", &[]).await;
        assert_eq!(a.status, StatusCode::OK, "{}: {}", db.name, a.body);
        assert_eq!(a.json()["totals"]["services"], 22);
        let a = request(&app, "/api/v1/gaps/services?limit=1000", &[]).await;
        assert_eq!(a.status, StatusCode::OK, "{}: {}", db.name, a.body);
        assert_eq!(a.json()["data"].as_array().map(Vec::len), Some(22));
        let a = request(&app, "/en/gaps", &[]).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
        assert!(a.body.contains("Too much to show at once"), "{}", a.body);
        // A long list is streamed whole, without an ETag.
        let a = request(&app, "/api/v1/services?limit=1000", &[]).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.len() > 4096 && !a.headers.contains_key("etag"));
        assert_eq!(a.json()["data"].as_array().map(Vec::len), Some(22));
        // A table is built from the page's data, not cut from the rendered page: it downloads
        // whatever the length of the page it is on.
        let a = request(
            &app,
            "/en/services/SRV-0008?table=t-history&format=csv",
            &[],
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", db.name);
        assert!(a.body.starts_with("Version,"), "{}", a.body);
    }
}

/// Asks for every path at once: each is answered (200) or refused as busy (503 with
/// `Retry-After`). Gives the answers, in the order of `paths`, and the refused paths.
async fn at_once<'a>(
    app: &axum::Router,
    db: &str,
    paths: &'a [String],
) -> (Vec<Answer>, Vec<&'a String>) {
    let answers = futures_util::future::join_all(paths.iter().map(|p| request(app, p, &[]))).await;
    let mut busy = Vec::new();
    for (p, a) in paths.iter().zip(&answers) {
        match a.status {
            StatusCode::OK => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(a.headers.contains_key("retry-after"), "{db}: {p}");
                busy.push(p);
            }
            s => panic!("{db}: {p}: {s} {}", a.body),
        }
    }
    (answers, busy)
}

#[tokio::test(flavor = "multi_thread")]
async fn what_ifs_beyond_the_limit_get_503_with_retry_after() {
    for db in backends("what_ifs_beyond_the_limit") {
        let _out = run_demo(&db);
        let limits = Limits {
            max_whatifs: 1,
            busy_wait: Duration::ZERO,
            ..Limits::default()
        };
        let app = egovwatch_web::app(db.store(), egovwatch_web::i18n::DEFAULT_FALLBACK, &limits);
        assert_eq!(
            request(&app, "/api/v1/gaps", &[]).await.status,
            StatusCode::OK
        );
        let paths: Vec<String> = (1..=12)
            .map(|i| format!("/api/v1/gaps?assume=service:SRV-{i:04}=3"))
            .collect();
        let (answers, busy) = at_once(&app, db.name, &paths).await;
        for (p, a) in paths.iter().zip(&answers) {
            if a.status == StatusCode::SERVICE_UNAVAILABLE {
                assert_eq!(a.json()["error"]["code"], "busy", "{p}");
            }
        }
        assert!(
            !busy.is_empty() && busy.len() < 12,
            "{}: {} of 12 busy",
            db.name,
            busy.len()
        );
        let page = request(&app, "/en/gaps?assume=service:SRV-0002=3", &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.name);
    }
}

/// Round reports are written on request, seconds and hundreds of megabytes for a large round:
/// beyond `max_reports` at once a request is told to come back (503 with `Retry-After`, a
/// localised page), never queued without bound; a refused one is written when asked again.
#[tokio::test(flavor = "multi_thread")]
async fn reports_beyond_the_limit_get_503_with_retry_after() {
    for db in backends("reports_beyond_the_limit") {
        let _out = run_demo(&db);
        let limits = Limits {
            max_reports: 1,
            busy_wait: Duration::ZERO,
            ..Limits::default()
        };
        let app = egovwatch_web::app(db.store(), egovwatch_web::i18n::DEFAULT_FALLBACK, &limits);
        let round = request(&app, "/api/v1/rounds", &[]).await.json()["data"][0]["code"]
            .as_str()
            .expect("a round")
            .to_string();
        let paths: Vec<String> = ["az", "en", "ru"]
            .iter()
            .flat_map(|lang| {
                ["html", "md", "pdf", "csv"].map(|f| format!("/{lang}/rounds/{round}/report.{f}"))
            })
            .collect();
        let (answers, busy) = at_once(&app, db.name, &paths).await;
        assert!(
            !busy.is_empty() && busy.len() < paths.len(),
            "{}: {} of {} busy",
            db.name,
            busy.len(),
            paths.len()
        );
        let page = answers
            .iter()
            .find(|a| a.status == StatusCode::SERVICE_UNAVAILABLE)
            .expect("a refusal");
        assert!(
            ["The server is busy", "Server məşğuldur", "Сервер занят"]
                .iter()
                .any(|t| page.body.contains(t)),
            "{}",
            page.body
        );
        // Once the others are written, each refused one is written in turn.
        for p in &busy {
            assert_eq!(request(&app, p, &[]).await.status, StatusCode::OK, "{p}");
        }
    }
}

/// A store the site cannot read (here a table gone) fails the first build; the requests that
/// follow within a second get that failure at once instead of each building again, and a
/// request after it tries again.
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_build_is_not_repeated_for_every_request() {
    use diesel::prelude::*;
    let db = sqlite();
    let _out = run_demo(&db);
    let mut c = diesel::SqliteConnection::establish(&db.url).expect("sqlite");
    diesel::sql_query("DROP TABLE round_unit_results")
        .execute(&mut c)
        .expect("drop");
    let (app, shared) = egovwatch_web::build(
        db.store(),
        egovwatch_web::i18n::DEFAULT_FALLBACK,
        &Limits::default(),
    );
    // Sorted: answered from the snapshot (the first page in code order is answered from the
    // store before it is read).
    let paths: Vec<String> = (0..20)
        .map(|i| format!("/api/v1/services?sort=name&limit={}", i + 1))
        .collect();
    let answers = futures_util::future::join_all(paths.iter().map(|p| request(&app, p, &[]))).await;
    for a in &answers {
        assert!(a.status.is_server_error(), "{}: {}", a.status, a.body);
    }
    // One build (a second one only if the machine is so busy that a request started more
    // than a second after the first failed); a build per request would be twenty.
    let builds = shared.builds();
    assert!(
        (1..=2).contains(&builds),
        "{builds} builds for twenty requests"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let again = request(&app, "/en/", &[]).await;
    assert!(again.status.is_server_error());
    assert_eq!(shared.builds(), builds + 1, "tried again after a second");
}
