//! The public site in a real browser: headless Chromium driven over W3C WebDriver
//! (`chromedriver`), the real router served on a local port over the demo, on each backend.
//! A screenshot of every page visited, axe's findings per page and chromedriver's log are kept
//! in `$EGOVWATCH_ARTIFACTS`, else `<target>/browser-artifacts`. Without Chromium and
//! chromedriver the tests print a SKIP line (a failure under `EGOVWATCH_REQUIRE_TOOLS=1`).

use crate::support::*;
use serde_json::{Value, json};
use std::cell::Cell;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const AXE: &str = include_str!("../browser/axe-core-4.14.1.min.js");
/// The page's scroll width, and what sticks out past 360 px from a parent that does not, outside
/// any box that scrolls or clips it.
const TOO_WIDE: &str = "
  const out = e => e.getBoundingClientRect().right > 360.5;
  const held = e => { for (let a = e.parentElement; a; a = a.parentElement)
    if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
  const name = e => e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('');
  const wide = [...document.body.querySelectorAll('*')]
    .filter(e => out(e) && !out(e.parentElement) && !held(e));
  const right = e => Math.round(e.getBoundingClientRect().right);
  return [document.documentElement.scrollWidth,
    wide.map(e => name(e) + ' in ' + name(e.parentElement) + ' to ' + right(e) + ' px').join('; ')];";
/// How long a page change or a download may take.
const PATIENCE: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread")]
async fn journey_shows_life_events_in_order_with_stage_words_and_fits_a_phone() {
    browse("journey", |b| {
        b.goto("/en/");
        assert_eq!(b.lang(), "en", "<html lang> of /en/");
        assert_eq!(b.find_all("ol.journey > li").len(), 11, "life events");
        let heads = b.find_all("ol.journey > li > h2");
        let events: Vec<String> = heads.iter().map(|h| b.text(h)).collect();
        let in_order =
            (events.iter().enumerate()).all(|(i, e)| e.starts_with(&format!("{} ", i + 1)));
        assert!(in_order, "life events out of order: {events:?}");
        assert!(events[0].contains("Birth of a child"), "{events:?}");
        assert!(events[10].contains("Death and inheritance"), "{events:?}");
        // Every service row names its stage in words: colour is never the only sign.
        let rows = b.execute(
            "const rows = [...document.querySelectorAll('ol.journey tbody tr')];
             const word = tr => tr.querySelector('.stage')?.innerText.trim() ?? '';
             const wordless = rows.filter(tr => !/\\p{L}/u.test(word(tr)));
             return [rows.length, wordless.map(tr => tr.innerText)];",
        );
        assert!(rows[0].as_u64() > Some(0), "the journey lists no services");
        assert_eq!(rows[1], json!([]), "rows without a stage word");

        b.set_window_size(360, 800);
        let mut wide = Vec::new();
        for page in ["/en/", "/az/rounds/2015-H1", "/en/services/SRV-0008"] {
            b.goto(page);
            let width = b.execute(TOO_WIDE);
            let (scroll, culprits) = (&width[0], width[1].as_str().unwrap_or("?"));
            if scroll.as_u64().is_none_or(|w| w > 360) {
                wide.push(format!("{page}: {scroll} px wide; {culprits}"));
            }
        }
        assert!(wide.is_empty(), "scrolls sideways at 360 px: {wide:#?}");
        // No table of a round's dashboard runs past the screen, even inside a box that
        // scrolls, and a table laid out as cards keeps each value's column label.
        for page in ["/ru/rounds/2015-H1", "/az/rounds/2015-H1", "/en/gaps"] {
            b.goto(page);
            let m = b.execute(
                "const tables = [...document.querySelectorAll('main table')]
                   .filter(t => t.offsetParent !== null);
                 const wide = tables.filter(t => t.getBoundingClientRect().right > innerWidth + 0.5)
                   .map(t => (t.id || t.getAttribute('aria-labelledby') || 'table') + ' to '
                     + Math.round(t.getBoundingClientRect().right) + ' px');
                 const cells = [...document.querySelectorAll('table.stack td[data-label]')]
                   .filter(td => td.offsetParent !== null);
                 const bare = cells.filter(td => {
                   const c = getComputedStyle(td, '::before').content;
                   return !c || c === 'none' || c === 'normal' || c === '\"\"'; });
                 return [wide, cells.length, bare.length];",
            );
            assert_eq!(m[0], json!([]), "{page}: tables wider than 360 px");
            assert!(m[1].as_u64() > Some(0), "{page}: no labelled cells");
            assert_eq!(m[2], json!(0), "{page}: values without their column label");
            b.screenshot(&format!("360px-{}-tables", slug(page)));
        }
    })
    .await;
}

/// A journalist who reads only the first screen of the home page (1280 × 800) gets the seed's
/// story: how many services go no further than information, which are fully online, the base
/// registries not digitised, what to build first; in each language. Screenshots are kept.
#[tokio::test(flavor = "multi_thread")]
async fn the_first_screen_of_the_home_page_states_the_findings() {
    browse("first-screen", |b| {
        b.set_window_size(1280, 800);
        for (lang, stuck, registries) in [
            (
                "en",
                "12 of 22 services",
                "base registries are not yet fully digitised",
            ),
            (
                "az",
                "22 xidmətdən 12",
                "əsas reyestr hələ tam rəqəmsallaşdırılmayıb",
            ),
            (
                "ru",
                "12 из 22 услуг",
                "Не полностью оцифрованы базовые реестры",
            ),
        ] {
            b.goto(&format!("/{lang}/"));
            let seen = b.execute(
                "const items = [...document.querySelectorAll('section.findings li')];
                 return items.filter(li => li.getBoundingClientRect().bottom <= innerHeight)
                   .map(li => li.innerText);",
            );
            let seen: Vec<&str> = seen
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            b.screenshot(&format!("1280px-home-{lang}"));
            assert!(
                seen.len() >= 5,
                "/{lang}/: findings on the first screen: {seen:#?}"
            );
            let said = |what: &str| seen.iter().any(|s| s.contains(what));
            assert!(
                said(stuck),
                "/{lang}/: {stuck} not on the first screen: {seen:#?}"
            );
            assert!(
                said(registries),
                "/{lang}/: {registries} not on the first screen"
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn header_search_folds_azerbaijani_letters_and_marks_the_match() {
    browse("search", |b| {
        b.goto("/az/");
        b.send_keys(&b.find("#site-q"), "ehali\u{E007}"); // U+E007: WebDriver's Enter key
        let want = format!("{}/az/search?q=ehali", b.base);
        b.wait_for("the results page /az/search?q=ehali", || b.url() == want);
        b.screenshot("results");
        let marks = b.execute(
            "return [...document.querySelectorAll('ol.results li')].map(li =>
               [li.querySelector('.code')?.textContent,
                [...li.querySelectorAll('a mark')].map(m => m.textContent)]);",
        );
        let results = marks.as_array().expect("results");
        let marked = |r: &Value| r[1].as_array().is_some_and(|m| m.contains(&json!("Əhali")));
        let hit = results.iter().any(|r| r[0] == "ORG-MLSPP" && marked(r));
        assert!(hit, "no ORG-MLSPP link with <mark>Əhali</mark>: {marks}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn language_switch_goes_to_the_same_page_and_is_remembered() {
    browse("language", |b| {
        const RU: &str = r#"nav.langs a[hreflang="ru"]"#;
        b.goto("/en/services/SRV-0008");
        b.click(&b.find(RU));
        let want = format!("{}/ru/services/SRV-0008", b.base);
        b.wait_for("/ru/services/SRV-0008 after the switch", || b.url() == want);
        b.screenshot("switched");
        assert_eq!(b.lang(), "ru", "<html lang> after the switch");
        let current = b.attr(&b.find(RU), "aria-current");
        assert_eq!(current.as_deref(), Some("page"), "aria-current");
        b.goto("/");
        assert_eq!(b.lang(), "ru", "/ forgot the language chosen");
        let h1 = b.text(&b.find("h1"));
        let cyrillic = h1.chars().any(|c| ('а'..='я').contains(&c));
        assert!(cyrillic, "/ is not in Russian: <h1> {h1}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn life_event_services_download_as_csv() {
    const CSV_HEADER: &str = "code,name_az,name_en,name_ru";
    browse("download", |b| {
        b.goto("/en/life-events/LE-DEATH");
        let links = b.find_all("a[download]");
        let csv_link = links.iter().find(|a| b.text(a) == "CSV");
        b.click(csv_link.expect("an a[download] link named CSV"));
        let mut file = None;
        // Chromium may show the file's name before its bytes: wait for both, and for no
        // download still in progress.
        b.wait_for("a whole .csv file in the download folder", || {
            let dir = std::fs::read_dir(b.downloads.path()).expect("read the download folder");
            let paths: Vec<_> = dir.filter_map(Result::ok).map(|e| e.path()).collect();
            let busy = paths
                .iter()
                .any(|p| p.extension().is_some_and(|x| x == "crdownload"));
            file = paths
                .into_iter()
                .find(|p| p.extension().is_some_and(|x| x == "csv"))
                .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0));
            file.is_some() && !busy
        });
        let path = file.expect("a downloaded CSV");
        let text = std::fs::read_to_string(&path).expect("read the downloaded CSV");
        let first = text.lines().next().unwrap_or_default();
        assert!(first.starts_with(CSV_HEADER), "{path:?}: {first}");
        assert!(text.contains("SRV-0008"), "{path:?}: {text}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_have_no_serious_accessibility_violations() {
    const PAGES: [&str; 8] = [
        "/en/",
        "/az/",
        "/ru/rounds/2015-H1",
        "/en/services/SRV-0008",
        "/az/search?q=ehali",
        "/en/gaps",
        "/en/life-events/LE-DEATH",
        "/en/organisations/ORG-MLSPP",
    ];
    browse("axe", |b| {
        let mut serious = Vec::new();
        for page in PAGES {
            b.goto(page);
            b.execute(AXE);
            let found = b.execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {runOnly: {type: 'tag',
                     values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => done(r.violations), e => done('axe failed: ' + e));",
            );
            let file = artefacts().join(format!("{}-{}.axe.json", b.name, slug(page)));
            let pretty = serde_json::to_string_pretty(&found).expect("violations as JSON");
            std::fs::write(&file, pretty).expect("write the axe artefact");
            let list = found.as_array();
            let list = list.unwrap_or_else(|| panic!("axe on {page}: {found}"));
            let grave = |v: &&Value| matches!(v["impact"].as_str(), Some("serious" | "critical"));
            for v in list.iter().filter(grave) {
                let nodes = v["nodes"].as_array().into_iter().flatten();
                let at: Vec<String> = nodes.map(|n| n["target"].to_string()).collect();
                let field = |k: &str| v[k].as_str().unwrap_or("?").to_string();
                let (id, impact, help) = (field("id"), field("impact"), field("help"));
                let at = at.join(" ");
                serious.push(format!("{id} ({impact}) on {page}: {help}: {at}"));
            }
        }
        let (dir, list) = (artefacts().display(), serious.join("\n"));
        let why = format!("serious or critical WCAG 2.1 A/AA violations (in {dir}):\n{list}");
        assert!(serious.is_empty(), "axe found {why}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_keep_to_their_content_security_policy() {
    const PAGES: [&str; 6] = [
        "/en/",
        "/ru/rounds/2015-H1",
        "/en/services/SRV-0008",
        "/en/gaps",
        "/az/search?q=ehali",
        "/en/rounds/2015-H1/report.html",
    ];
    browse("csp", |b| {
        for page in PAGES {
            b.goto(page);
            // The style sheet applies: the site's own file, or the report's inline one, allowed
            // by its hash.
            let styled = b.execute(
                "const s = getComputedStyle(document.body);
                 return [s.fontFamily, s.marginTop, document.styleSheets.length];",
            );
            let family = styled[0].as_str().unwrap_or_default();
            assert!(
                family.contains("system-ui") || family.contains("sans"),
                "{page}: no style: {styled}"
            );
        }
        let log = b.call("POST", "/se/log", Some(json!({"type": "browser"})));
        let entries = log.as_array().map(Vec::as_slice).unwrap_or_default();
        let violations: Vec<String> = entries
            .iter()
            .filter_map(|e| e["message"].as_str())
            .filter(|m| m.contains("Content Security Policy") || m.contains("Refused to"))
            .map(str::to_string)
            .collect();
        assert!(
            violations.is_empty(),
            "CSP violations in the console: {violations:#?}"
        );
    })
    .await;
}

/// Every chart on the page, read as a reader sees it: the page's scroll width, the rendered
/// size of every visible text
/// (CSS font size times the scale its SVG is drawn at), the boxes of the texts of each chart and
/// of each HTML legend (no two may overlap, none may stick out of its chart), and what each
/// chart carries: a name (`role="img"`, `aria-labelledby` its `<title>` and `<desc>`), its
/// numbers in a table behind a closed disclosure, not a table repeating it, and every series of
/// that table named on the chart.
const LEGIBILITY: &str = r#"
  const seen = e => { const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    for (let a = e; a; a = a.parentElement) { const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden') return false; }
    return true; };
  const label = e => (e.textContent || '').replace(/\s+/g, ' ').trim();
  const where = e => { const f = e.closest('figure, .legend');
    const named = f && (f.querySelector('svg title')?.textContent || f.className);
    return e.tagName.toLowerCase() + ' "' + label(e).slice(0, 40) + '"' + (named ? ' in ' + named : ''); };
  const scale = e => { const svg = e.closest('svg'); const vb = svg && svg.viewBox.baseVal;
    return vb && vb.width ? svg.getBoundingClientRect().width / vb.width : 1; };
  const size = e => parseFloat(getComputedStyle(e).fontSize) * scale(e);
  const own = e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const texts = [...document.body.querySelectorAll('*')]
    .filter(e => own(e) && !e.closest('title, desc, script, style') && seen(e));
  const inChart = e => !!e.closest('figure, .legend, svg');
  const sizes = texts.map(e => [size(e), e]);
  const least = list => list.reduce((m, x) => x[0] < m[0] ? x : m, [Infinity, null]);
  const [min, minAt] = least(sizes), [chartMin, chartMinAt] = least(sizes.filter(x => inChart(x[1])));
  const small = sizes.filter(([s]) => s < 11.995).map(([s, e]) => where(e) + ': ' + s.toFixed(2) + ' px');
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const groups = [...document.querySelectorAll('svg[role=img]')].map(s => [...s.querySelectorAll('text')])
    .concat([...document.querySelectorAll('.legend')].map(l => [...l.children]));
  const overlaps = [], outside = [];
  let boxes = 0;
  for (const group of groups) {
    const shown = group.filter(seen).map(e => [e, e.getBoundingClientRect()]);
    boxes += shown.length;
    shown.forEach(([a, ra], i) => shown.slice(i + 1).forEach(([b, rb]) => {
      if (hit(ra, rb)) overlaps.push(where(a) + ' overlaps ' + where(b)); }));
    for (const [e, r] of shown) { const svg = e.closest('svg'); if (!svg) continue;
      const o = svg.getBoundingClientRect();
      if (r.left < o.left - 1 || r.right > o.right + 1 || r.top < o.top - 1 || r.bottom > o.bottom + 1)
        outside.push(where(e) + ' sticks out of its chart'); }
  }
  const charts = [...document.querySelectorAll('figure')].filter(f => f.querySelector('svg[role=img]'));
  const structure = [];
  charts.forEach((f, k) => {
    const svg = f.querySelector('svg[role=img]'), name = label(svg.querySelector('title') || f) || 'chart ' + k;
    const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    const named = ids.map(id => document.getElementById(id)).filter(x => x && svg.contains(x) && label(x));
    if (ids.length < 2 || named.length !== ids.length || !svg.querySelector(':scope > title')
        || !svg.querySelector(':scope > desc'))
      structure.push(name + ': not named by its <title> and <desc>');
    const details = f.querySelector('details'), table = details && details.querySelector('table');
    if (!table) structure.push(name + ': no data table behind a disclosure');
    else if (details.open) structure.push(name + ': the data table is open by default');
    if ([...f.querySelectorAll('table')].some(t => !t.closest('details'))
        || f.nextElementSibling?.tagName === 'TABLE')
      structure.push(name + ': a table repeats the chart');
    const series = table ? [...table.querySelectorAll('thead th')].slice(1).map(label) : [];
    const drawn = [...svg.querySelectorAll('text')].filter(seen).map(label);
    if (series.length > 1) for (const s of series)
      if (!drawn.includes(s)) structure.push(name + ': the legend lacks "' + s + '"');
  });
  return {viewport: innerWidth, scroll: document.documentElement.scrollWidth, charts: charts.length, texts: texts.length, boxes,
    min, minAt: minAt ? where(minAt) : '', chartMin: charts.length ? chartMin : null,
    chartMinAt: chartMinAt ? where(chartMinAt) : '', small, overlaps, outside, structure};"#;

#[tokio::test(flavor = "multi_thread")]
async fn charts_are_legible_at_phone_and_desktop_widths() {
    // Each page with a chart (or the stage legend), and how many charts it has at least.
    const PAGES: [(&str, u64); 11] = [
        ("/en/rounds/2015-H1", 3),
        ("/az/rounds/2015-H1", 3),
        ("/ru/rounds/2015-H1", 3),
        ("/en/services/SRV-0005", 1),
        ("/az/services/SRV-0005", 1),
        ("/ru/services/SRV-0005", 1),
        ("/en/rounds", 1),
        ("/en/rounds/2015-H1/report.html", 3),
        ("/ru/rounds/2015-H1/report.html", 3),
        ("/az/", 0),
        ("/en/life-events/LE-DEATH", 0),
    ];
    browse("charts", |b| {
        let (mut failures, mut measured) = (Vec::new(), Vec::new());
        for (width, height) in [(360, 800), (1280, 800)] {
            b.set_window_size(width, height);
            for (page, charts) in PAGES {
                b.goto(page);
                let at = format!("{page} at {width} px");
                let m = b.execute(LEGIBILITY);
                assert_eq!(m["viewport"], json!(width), "{at}: the window's width");
                if m["scroll"].as_u64().is_none_or(|s| s > u64::from(width)) {
                    failures.push(format!("{at}: scrolls sideways, {} px wide", m["scroll"]));
                }
                let found = m["charts"].as_u64().unwrap_or_default();
                if found < charts {
                    failures.push(format!("{at}: {found} charts, expected {charts}"));
                }
                for k in 0..found {
                    b.execute(&format!(
                        "[...document.querySelectorAll('figure')].filter(f => f.querySelector('svg[role=img]'))[{k}].scrollIntoView({{block: 'start'}});"
                    ));
                    b.screenshot(&format!("{width}px-{}-chart-{k}", slug(page)));
                }
                // The tables behind the disclosures, opened, must be as legible as the rest.
                b.execute("document.querySelectorAll('details').forEach(d => d.open = true);");
                let opened = b.execute(LEGIBILITY);
                for list in ["overlaps", "outside", "structure"] {
                    for f in m[list].as_array().into_iter().flatten() {
                        failures.push(format!("{at}: {}", f.as_str().unwrap_or("?")));
                    }
                }
                for f in opened["small"].as_array().into_iter().flatten() {
                    failures.push(format!("{at}: text below 12 px: {}", f.as_str().unwrap_or("?")));
                }
                let px = |v: &Value| v.as_f64().map_or("-".into(), |p| format!("{p:.2} px"));
                measured.push(format!(
                    "{at}: {found} charts, {} boxes, {} overlaps; smallest chart text {} ({}); smallest text on the page {} ({})",
                    m["boxes"],
                    m["overlaps"].as_array().map_or(0, Vec::len),
                    px(&m["chartMin"]),
                    m["chartMinAt"].as_str().unwrap_or_default(),
                    px(&opened["min"]),
                    opened["minAt"].as_str().unwrap_or_default(),
                ));
            }
        }
        let file = artefacts().join(format!("{}-legibility.txt", b.name));
        std::fs::write(&file, measured.join("\n")).expect("write the legibility artefact");
        say(&measured.join("\n"));
        assert!(failures.is_empty(), "charts hard to read:\n{}", failures.join("\n"));
    })
    .await;
}

/// Runs `steps` in a fresh browser against the demo site, on each backend, in a thread named
/// after the test and backend (so a failure says which); the server keeps running meanwhile.
async fn browse(test: &str, steps: fn(&Browser)) {
    let on_path = |p: &str| {
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path).any(|d| d.join(p).is_file())
    };
    if !Path::new(CHROMIUM).is_file() || !on_path(CHROMEDRIVER) {
        skip("browser: chromium/chromedriver not installed");
        return;
    }
    for db in backends(test) {
        let out = run_demo(&db);
        // The server as `egovwatch serve` runs it: its limits, its headers.
        let limits = egovwatch_web::Limits::default();
        let app = egovwatch_web::app(db.store(), egovwatch_web::i18n::DEFAULT_FALLBACK, &limits);
        let listener = (tokio::net::TcpListener::bind("127.0.0.1:0").await).expect("a port");
        let port = listener.local_addr().expect("the site's address").port();
        let server = tokio::spawn(async move {
            let forever = std::future::pending::<()>();
            egovwatch_web::serve_with(listener, app, &limits, forever)
                .await
                .expect("serve")
        });
        let name = format!("{test}-{}", db.name);
        let base = format!("http://127.0.0.1:{port}");
        let thread = std::thread::Builder::new().name(name.clone());
        let run = thread
            .spawn(move || steps(&Browser::start(name, base)))
            .expect("a thread");
        let done = tokio::task::spawn_blocking(move || run.join()).await;
        server.abort();
        drop((out, db));
        if let Err(panic) = done.expect("the browser thread was joined") {
            std::panic::resume_unwind(panic);
        }
    }
}

/// Where screenshots, axe reports and chromedriver logs go, announced once.
fn artefacts() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let target = (std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from))
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
        let dir = (std::env::var_os("EGOVWATCH_ARTIFACTS").map(PathBuf::from))
            .unwrap_or_else(|| target.join("browser-artifacts"));
        std::fs::create_dir_all(&dir).expect("create the artefacts folder");
        say(&format!("browser artefacts: {}", dir.display()));
        dir
    })
}

/// A page path as part of a file name: `/en/services/SRV-0008` → `en-services-SRV-0008`.
fn slug(path: &str) -> String {
    let s: String = (path.chars())
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    match s.trim_matches('-') {
        "" => "root".into(),
        s => s.into(),
    }
}

/// One Chromium under its own chromedriver, in one WebDriver session; both end on drop.
struct Browser {
    /// The test and backend, naming artefacts.
    name: String,
    /// The site's origin, `http://127.0.0.1:port`.
    base: String,
    downloads: tempfile::TempDir,
    driver: Child,
    port: u16,
    session: String,
    shots: Cell<usize>,
}

impl Browser {
    fn start(name: String, base: String) -> Browser {
        let free = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr());
        let port = free.expect("a free port for chromedriver").port();
        let log = artefacts().join(format!("{name}-chromedriver.log"));
        let log = format!("--log-path={}", log.display());
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(log)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let downloads = tempfile::tempdir().expect("a download folder");
        let (session, shots) = (String::new(), Cell::new(0));
        let mut b = Browser {
            name,
            base,
            downloads,
            driver,
            port,
            session,
            shots,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        let ready = |(_, body): (u16, String)| body.contains("\"ready\":true");
        while !request(port, "GET", "/status", None).is_ok_and(ready) {
            assert!(Instant::now() < deadline, "chromedriver is not ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let options = json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"],
            "prefs": {
                "download.default_directory": b.downloads.path(),
                "download.prompt_for_download": false,
            },
        });
        let timeouts = json!({"script": 60_000, "pageLoad": 30_000});
        let logs = json!({"browser": "ALL"});
        let caps = json!({"alwaysMatch": {"goog:chromeOptions": options, "timeouts": timeouts,
            "goog:loggingPrefs": logs}});
        let made = b.call("POST", "/session", Some(json!({"capabilities": caps})));
        b.session = made["sessionId"].as_str().expect("a session id").into();
        b
    }

    /// A WebDriver command (below the session, once there is one): its `value`.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = match self.session.as_str() {
            "" => path.to_string(),
            id => format!("/session/{id}{path}"),
        };
        let (status, text) = request(self.port, method, &full, body.as_ref())
            .unwrap_or_else(|e| panic!("WebDriver {method} {full}: {e}"));
        let mut answer: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("WebDriver {method} {full}: {e}: HTTP {status} {text}"));
        if status != 200 {
            if let Some(v) = answer["value"].as_object_mut() {
                v.remove("stacktrace");
            }
            let sent = body.map_or(String::new(), |b| b.to_string());
            let sent: String = sent.chars().take(200).collect();
            panic!("WebDriver {method} {full} {sent} failed: HTTP {status} {answer}");
        }
        answer["value"].take()
    }

    /// Opens a page of the site and screenshots it.
    fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.call("POST", "/url", Some(json!({ "url": url })));
        self.screenshot(&slug(path));
    }

    fn url(&self) -> String {
        let url = self.call("GET", "/url", None);
        url.as_str().expect("the URL").into()
    }

    fn find(&self, css: &str) -> String {
        let by = json!({"using": "css selector", "value": css});
        id(&self.call("POST", "/element", Some(by)))
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let by = json!({"using": "css selector", "value": css});
        let all = self.call("POST", "/elements", Some(by));
        all.as_array().expect("elements").iter().map(id).collect()
    }

    fn text(&self, el: &str) -> String {
        let t = self.call("GET", &format!("/element/{el}/text"), None);
        t.as_str().expect("text").into()
    }

    fn attr(&self, el: &str, name: &str) -> Option<String> {
        let v = self.call("GET", &format!("/element/{el}/attribute/{name}"), None);
        v.as_str().map(str::to_string)
    }

    fn click(&self, el: &str) {
        self.call("POST", &format!("/element/{el}/click"), Some(json!({})));
    }

    fn send_keys(&self, el: &str, text: &str) {
        let keys = json!({ "text": text });
        self.call("POST", &format!("/element/{el}/value"), Some(keys));
    }

    fn execute(&self, script: &str) -> Value {
        let run = json!({"script": script, "args": []});
        self.call("POST", "/execute/sync", Some(run))
    }

    fn execute_async(&self, script: &str) -> Value {
        let run = json!({"script": script, "args": []});
        self.call("POST", "/execute/async", Some(run))
    }

    /// The `<html lang>` of the page.
    fn lang(&self) -> String {
        self.attr(&self.find("html"), "lang").unwrap_or_default()
    }

    fn set_window_size(&self, width: u32, height: u32) {
        let rect = json!({"width": width, "height": height});
        self.call("POST", "/window/rect", Some(rect));
    }

    /// Saves the viewport as `<test>-<backend>-<n>-<step>.png` in the artefacts folder.
    fn screenshot(&self, step: &str) {
        self.shots.set(self.shots.get() + 1);
        let png = self.call("GET", "/screenshot", None);
        let name = format!("{}-{:02}-{step}.png", self.name, self.shots.get());
        let file = artefacts().join(name);
        std::fs::write(&file, base64(png.as_str().expect("a base64 PNG")))
            .unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    }

    /// Polls `done` until it holds, failing after `PATIENCE`.
    fn wait_for(&self, what: &str, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done() {
            assert!(Instant::now() < deadline, "gave up waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A found element's WebDriver id.
fn id(found: &Value) -> String {
    found[ELEMENT].as_str().expect("an element id").into()
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = request(self.port, "DELETE", &path, None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One HTTP/1.1 exchange with chromedriver: (status, body). Chromedriver may keep the socket
/// open after answering, so the answer ends where its length or last chunk says.
fn request(port: u16, method: &str, path: &str, body: Option<&Value>) -> io::Result<(u16, String)> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    let len = body.len();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
    )?;
    write!(
        s,
        "Content-Type: application/json\r\nContent-Length: {len}\r\n\r\n{body}"
    )?;
    let (mut raw, mut buf) = (Vec::new(), vec![0; 1 << 16]);
    loop {
        let n = s.read(&mut buf).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                io::Error::other("no answer in 120 s; see the chromedriver log")
            }
            _ => e,
        })?;
        raw.extend_from_slice(&buf[..n]);
        if let Some((status, body)) = parse(&raw, n == 0) {
            let text = String::from_utf8(body).map_err(io::Error::other)?;
            return Ok((status, text));
        }
        if n == 0 {
            let raw = String::from_utf8_lossy(&raw);
            return Err(io::Error::other(format!("a broken answer: {raw}")));
        }
    }
}

/// A whole answer: (status, body), or None while it is incomplete.
fn parse(raw: &[u8], eof: bool) -> Option<(u16, Vec<u8>)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let header = |name: &str| {
        let mut fields = head.lines().skip(1).filter_map(|l| l.split_once(':'));
        fields
            .find(|(k, _)| k.trim() == name)
            .map(|(_, v)| v.trim())
    };
    let rest = &raw[end + 4..];
    let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        dechunk(rest)?
    } else if let Some(n) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        rest.get(..n)?.to_vec()
    } else if eof {
        rest.to_vec()
    } else {
        return None;
    };
    Some((status, body))
}

/// A chunked body, joined; None when it is cut short.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = rest.windows(2).position(|w| w == b"\r\n")?;
        let line = std::str::from_utf8(&rest[..eol]).ok()?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(eol + 2..eol + 2 + size)?);
        rest = rest.get(eol + 4 + size..)?;
    }
}

/// Standard base64, as WebDriver sends screenshots.
fn base64(text: &str) -> Vec<u8> {
    const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in text.bytes().take_while(|&c| c != b'=') {
        let digit = DIGITS.iter().position(|&d| d == c).expect("a base64 digit");
        (acc, bits) = ((acc << 6) | digit as u32, bits + 6);
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
