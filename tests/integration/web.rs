//! The first pages, on both backends, through the real router.

use crate::support::*;
use axum::http::StatusCode;

async fn get(
    app: &axum::Router,
    path: &str,
    accept_language: Option<&str>,
) -> (StatusCode, String, axum::http::HeaderMap) {
    let headers: Vec<(&str, &str)> = accept_language
        .map(|l| ("accept-language", l))
        .into_iter()
        .collect();
    let a = request(app, path, &headers).await;
    (a.status, a.body, a.headers)
}

#[tokio::test]
async fn pages_show_the_registry_in_three_languages() {
    for db in backends("pages_show_the_registry_in_three_languages") {
        let app = egovwatch_web::router(demo_store(&db));

        let (st, html, _) = get(&app, "/", None).await;
        assert_eq!(st, StatusCode::OK, "{}", db.name);
        assert!(
            html.contains("<html lang=\"az\">"),
            "default language is Azerbaijani"
        );
        assert!(html.contains("Uşaq bağçalarına elektron qeydiyyat"));
        assert!(html.contains("hreflang=\"ru\""));

        let (_, html, _) = get(&app, "/", Some("ru-RU,ru;q=0.9")).await;
        assert!(html.contains("<html lang=\"ru\">") && html.contains("Поиск работы"));

        let (st, html, headers) = get(&app, "/en/", None).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("Birth of a child") && html.contains("Death and inheritance"));
        let birth = html.find("Birth of a child").expect("birth");
        let death = html.find("Death and inheritance").expect("death");
        assert!(birth < death, "journey from birth to death");
        assert!(
            headers
                .get("set-cookie")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.contains("egovwatch_lang=en"))
        );

        let (st, html, _) = get(&app, "/en/services/SRV-0008", None).await;
        assert_eq!(st, StatusCode::OK, "{}", db.name);
        assert!(html.contains("Online medical death certificate"));
        assert!(html.contains("Revision history") && html.contains("create"));
        assert!(
            html.contains("Health information system"),
            "evidence shows the dataset that can supply it"
        );

        let (st, html, _) = get(&app, "/ru/organisations/ORG-MLSPP", None).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("Министерство труда"));

        let (st, html, _) = get(&app, "/en/services/SRV-9999", None).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        assert!(html.contains("SRV-9999") && html.contains("lang=\"en\""));
        let (st, _, _) = get(&app, "/static/style.css", None).await;
        assert_eq!(st, StatusCode::OK);
    }
}

#[tokio::test]
async fn missing_translations_fall_back_and_are_marked() {
    use egovwatch_domain::*;
    for db in backends("missing_translations_fall_back_and_are_marked") {
        let store = demo_store(&db);
        rename_service(
            &store,
            "SRV-0001",
            Text::new()
                .with(Lang::En, "Kindergarten enrolment")
                .with(Lang::Ru, "Запись в детский сад"),
            "only en and ru",
        );

        let app = egovwatch_web::router(store.clone());
        let (_, html, _) = get(&app, "/az/services/SRV-0001", None).await;
        assert!(
            html.contains("<span lang=\"en\" class=\"fallback\""),
            "{}: az page falls back to English",
            db.name
        );
        assert!(html.contains("Kindergarten enrolment"));

        let app = egovwatch_web::router_with(store, [Lang::Ru, Lang::En, Lang::Az]);
        let (_, html, _) = get(&app, "/az/services/SRV-0001", None).await;
        assert!(
            html.contains("<span lang=\"ru\" class=\"fallback\""),
            "{}: configured order puts Russian first",
            db.name
        );
    }
}

/// Every kind of record has a browse page in each language, with facets that filter the table,
/// counts, ordering, pages and the table as CSV; `/api/v1` lists the API's resources.
#[tokio::test]
async fn browse_pages_list_filter_and_download_every_kind_of_record() {
    for db in backends("browse_pages_list_filter_and_download_every_kind_of_record") {
        let app = egovwatch_web::router(demo_store(&db));
        for lang in ["az", "en", "ru"] {
            for kind in [
                "services",
                "organisations",
                "systems",
                "datasets",
                "life-events",
            ] {
                let (st, html, _) = get(&app, &format!("/{lang}/{kind}"), None).await;
                assert_eq!(st, StatusCode::OK, "{}: /{lang}/{kind}", db.name);
                assert!(html.contains("id=\"t-browse\""), "/{lang}/{kind}");
                assert!(
                    html.contains("href=\"/api/v1\""),
                    "/{lang}/{kind} links the API"
                );
            }
        }
        let (_, html, _) = get(&app, "/en/services", None).await;
        assert!(html.contains("22 of 22"), "{html}");
        assert!(
            html.contains("Ministry of Education (3)"),
            "a facet value with its count"
        );
        let (_, html, _) = get(&app, "/en/services?organisation=ORG-MOE", None).await;
        assert!(html.contains("3 of 22"), "{html}");
        let (_, csv, _) = get(
            &app,
            "/en/services?organisation=ORG-MOE&table=t-browse&format=csv",
            None,
        )
        .await;
        assert_eq!(
            csv.lines().count(),
            4,
            "a header and the three services: {csv}"
        );
        // The orders: by name, by name descending, by code; each over the facets chosen.
        let names = |csv: String| -> Vec<String> {
            csv.lines()
                .skip(1)
                .map(|l| l.split(',').next().unwrap_or_default().to_string())
                .collect()
        };
        let csv_of = |q: &'static str| {
            let app = app.clone();
            async move {
                get(
                    &app,
                    &format!("/en/services?{q}table=t-browse&format=csv"),
                    None,
                )
                .await
                .1
            }
        };
        let by_name = names(csv_of("").await);
        assert_eq!(by_name.len(), 22);
        assert!(by_name.is_sorted(), "{by_name:?}");
        let mut descending = names(csv_of("sort=-name&").await);
        descending.reverse();
        assert_eq!(descending, by_name);
        let moe = names(csv_of("organisation=ORG-MOE&sort=-name&").await);
        assert!(moe.is_sorted_by(|a, b| a >= b) && moe.len() == 3, "{moe:?}");
        let (_, html, _) = get(&app, "/en/organisations?sort=code", None).await;
        assert!(html.contains("aria-current=\"true\">by code"), "{html}");
        let (st, _, _) = get(&app, "/en/no-such-list", None).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, json, _) = get(&app, "/api/v1", None).await;
        assert_eq!(st, StatusCode::OK);
        let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(doc["openapi"], "/api/openapi.json");
        assert!(
            doc["resources"].as_array().is_some_and(|r| r.len() > 5),
            "{doc}"
        );
    }
}

/// The home page opens with the round's findings in words, computed from the data: the seed's
/// story (twelve services no further than information, four fully online, the base registries
/// not digitised, what to build first) in each language.
#[tokio::test]
async fn the_home_page_opens_with_the_rounds_findings() {
    let db = sqlite();
    let _out = run_demo(&db);
    let app = egovwatch_web::router(db.store());
    let (st, html, _) = get(&app, "/en/", None).await;
    assert_eq!(st, StatusCode::OK);
    let findings = html.find("What the latest round found").expect("findings");
    let journey = html.find("class=\"journey\"").expect("journey");
    assert!(findings < journey, "the findings come before the journey");
    for said in [
        "12 of 22 services go no further than information: 4 not available online at all, 8 information only.",
        "4 services are fully online:",
        "Since round 2014-H2, 4 services improved",
        "base registries are not yet fully digitised",
        "Build first:",
    ] {
        assert!(html.contains(said), "{said}");
    }
    let (_, az, _) = get(&app, "/az/", None).await;
    assert!(
        az.contains("22 xidmətdən 12 məlumat verməkdən o yana keçmir"),
        "{az}"
    );
    let (_, ru, _) = get(&app, "/ru/", None).await;
    assert!(
        ru.contains("12 из 22 услуг не идут дальше информации"),
        "{ru}"
    );
    // The round's dashboard opens with the same findings and lists the stuck services.
    let (st, round, _) = get(&app, "/en/rounds/2015-H1", None).await;
    assert_eq!(st, StatusCode::OK);
    let findings = round.find("What this round found").expect("findings");
    let charts = round.find("<figure").expect("charts");
    assert!(findings < charts, "the findings come before the charts");
    assert!(round.contains("The services not yet online beyond information (12)"));
    for stuck in [
        "Online passport application",
        "E-registration with kindergartens",
    ] {
        assert!(round.contains(stuck), "{stuck} listed");
    }
    // A dataset says how digitised it is and where it goes, by name, not by link code.
    let (st, dataset, _) = get(&app, "/en/datasets/LAND-CADASTRE", None).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        dataset.contains("<dt>Digitisation</dt><dd>partially digitised (30%)"),
        "{dataset}"
    );
    let (_, with_links, _) = get(&app, "/en/datasets/POPULATION-REGISTER", None).await;
    assert!(with_links.contains(">Purpose</th>"), "{with_links}");
    assert!(
        !with_links.contains(">XL-"),
        "no exchange-link codes in the text"
    );
    let (_, earlier, _) = get(&app, "/en/rounds/2014-H2", None).await;
    assert!(
        earlier.contains("What this round found") && !earlier.contains("Build first:"),
        "an earlier round has its own findings, without today's investments"
    );
}

/// The page's visible text: no scripts or styles, no tags, entities decoded, and without the
/// registry text shown in another language (marked `class="fallback"` with its `lang`, which
/// is the honest way to show an untranslated name).
fn visible_text(html: &str) -> String {
    use regex::Regex;
    let strip = |re: &str, s: &str| {
        Regex::new(re)
            .expect("pattern")
            .replace_all(s, " ")
            .into_owned()
    };
    let s = strip(
        r"(?is)<(script|style|svg)[^>]*>.*?</(script|style|svg)>",
        html,
    );
    let s = strip(
        r#"(?is)<span lang="[a-z]+" class="fallback"[^>]*>[^<]*</span>"#,
        &s,
    );
    let s = strip(r"(?s)<[^>]+>", &s);
    let s = s
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    strip(r"\s+", &s)
}

/// The English catalogue's phrases that a page in another language must not show: the literal
/// parts of each message (between its placeables) of at least two words, unless the other
/// language's message has the same words (product names, formats).
fn english_phrases(other: egovwatch_domain::Lang) -> Vec<(String, String)> {
    let values = |lang: egovwatch_domain::Lang| -> std::collections::HashMap<String, String> {
        let (_, ftl) = egovwatch_i18n::sources()
            .into_iter()
            .find(|(l, _)| *l == lang)
            .expect("catalogue");
        ftl.lines()
            .filter_map(|l| l.split_once(" = "))
            .filter(|(k, _)| !k.starts_with(['#', ' ']) && !k.contains(' '))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let (en, theirs) = (values(egovwatch_domain::Lang::En), values(other));
    let placeable = regex::Regex::new(r"\{[^}]*\}").expect("pattern");
    let mut out = Vec::new();
    for (key, value) in &en {
        let their = theirs.get(key).map(String::as_str).unwrap_or_default();
        for part in placeable.split(value) {
            let part = part
                .trim()
                .trim_matches(|c: char| c.is_ascii_punctuation() || c == '·');
            let part = part.trim();
            if part.split_whitespace().count() >= 2 && part.len() >= 10 && !their.contains(part) {
                out.push((key.clone(), part.to_string()));
            }
        }
    }
    out
}

/// Every page reachable from the home page, in az and in ru, is in its language: no phrase of
/// the English catalogue and no word of the chrome left in English. Registry text shown in a
/// fallback language is marked as such and allowed.
#[tokio::test]
async fn every_page_in_az_and_ru_is_in_its_language() {
    use egovwatch_domain::Lang;
    let db = sqlite();
    let _out = run_demo(&db);
    let app = egovwatch_web::router(db.store());
    let href = regex::Regex::new(r##"href="(/[^"#?]*)"##).expect("pattern");
    let chrome = [
        "Download",
        "Services",
        "Service",
        "Stage",
        "Search",
        "Next",
        "Previous",
        "improved",
        "regressed",
        "Information only",
        "Not available",
        "Full online",
        "Organisation",
        "Life event",
        "Round",
        "Score",
        "Since",
        "Evidence",
        "Dataset",
        "Information system",
        "not translated",
    ];
    let word = |w: &str| regex::Regex::new(&format!(r"\b{}\b", regex::escape(w))).expect("word");
    let chrome: Vec<(&str, regex::Regex)> = chrome.iter().map(|w| (*w, word(w))).collect();
    let mut problems = Vec::new();
    let mut pages = 0;
    for lang in [Lang::Az, Lang::Ru] {
        let phrases = english_phrases(lang);
        let prefix = format!("/{lang}/");
        let mut seen = std::collections::BTreeSet::from([prefix.clone()]);
        let mut queue = vec![prefix.clone()];
        while let Some(path) = queue.pop() {
            let a = request(&app, &path, &[]).await;
            assert!(a.status.is_success(), "{path}: {}", a.status);
            let html_page = a
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            if !html_page {
                continue;
            }
            pages += 1;
            let text = visible_text(&a.body);
            for (key, phrase) in &phrases {
                if text.contains(phrase.as_str()) {
                    problems.push(format!("{path}: \"{phrase}\" ({key})"));
                }
            }
            for (w, re) in &chrome {
                if let Some(m) = re.find(&text) {
                    let from = m.start().saturating_sub(40);
                    let context: String = text[from..].chars().take(90).collect();
                    problems.push(format!("{path}: English word \"{w}\" in \"{context}\""));
                }
            }
            for c in href.captures_iter(&a.body) {
                let link = &c[1];
                let wanted = link.starts_with(&prefix)
                    && !link.ends_with(".pdf")
                    && !link.ends_with(".csv")
                    && seen.len() < 600;
                if wanted && seen.insert(link.to_string()) {
                    queue.push(link.to_string());
                }
            }
        }
    }
    assert!(pages > 60, "only {pages} pages reached");
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A site on a synthetic registry of `countries` × `services`, with one round.
fn synthetic_site(countries: &str, services: &str) -> (TestDb, axum::Router) {
    let db = sqlite();
    synth_into(&db, [countries, services, "1"]);
    let app = egovwatch_web::router(db.store());
    (db, app)
}

/// In a registry of many countries the home page says that its findings and index are one
/// country's (the latest round's subject), and the rounds are listed a page at a time; in a
/// registry of one country nothing of the kind is said.
#[tokio::test]
async fn a_registry_of_many_countries_says_whose_the_home_page_s_figures_are() {
    let (_db, app) = synthetic_site("110", "2");
    let (st, home, _) = get(&app, "/en/", None).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        home.contains("the monitoring of several subjects (110: countries"),
        "{}",
        &home[home.find("findings-h").unwrap_or(0)..][..800]
    );
    let (_, az, _) = get(&app, "/az/", None).await;
    assert!(az.contains("bir neçə subyektin (110:"));
    // The rounds, 100 a page, each once.
    let row = regex::Regex::new(r#"<tr><td><a href="/en/rounds/([^"]+)">"#).expect("pattern");
    let codes =
        |html: &str| -> Vec<String> { row.captures_iter(html).map(|c| c[1].to_string()).collect() };
    let (_, first, _) = get(&app, "/en/rounds", None).await;
    assert!(first.contains("href=\"/en/rounds?page=2\" rel=\"next\""));
    let mut all = codes(&first);
    assert_eq!(all.len(), 100);
    let (_, second, _) = get(&app, "/en/rounds?page=2", None).await;
    all.extend(codes(&second));
    let (_, api, _) = get(&app, "/api/v1/rounds?limit=1000", None).await;
    let api: serde_json::Value = serde_json::from_str(&api).expect("json");
    let published = api["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter(|r| r["state"] == "published")
        .count();
    assert!(published > 100, "{published} published rounds");
    assert_eq!(all.len(), published);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), published, "each round once");

    let (_db, one) = synthetic_site("1", "30");
    let (_, home, _) = get(&one, "/en/", None).await;
    assert!(home.contains("findings-h") && !home.contains("several subjects"));
}

/// The services page's organisation facet, as HTML.
fn organisation_facet(html: &str) -> String {
    html.split("aria-label=\"Competent organisation\"")
        .nth(1)
        .and_then(|n| n.split("</nav>").next())
        .expect("the organisation facet")
        .to_string()
}

/// Facet values are in the numbers' order: "no. 2" before "no. 10".
#[tokio::test]
async fn facet_values_with_numbers_are_in_the_numbers_order() {
    // 1,200 services: twelve organisations, "State Agency no. 1" to "no. 12".
    let (_db, app) = synthetic_site("1", "1200");
    let (st, html, _) = get(&app, "/en/services", None).await;
    assert_eq!(st, StatusCode::OK);
    let nav = organisation_facet(&html);
    let numbers: Vec<u32> = nav
        .split("State Agency no. ")
        .skip(1)
        .filter_map(|rest| rest.split(' ').next()?.parse().ok())
        .collect();
    assert_eq!(numbers, (1..=12).collect::<Vec<_>>(), "{nav}");
}

/// A facet lists at most `browse::MAX_VALUES` values, those with the most records and the one
/// chosen, and says how many more there are: 60 organisations in a registry of 20 countries.
#[tokio::test]
async fn a_facet_of_many_values_lists_the_largest_and_counts_the_rest() {
    let (_db, app) = synthetic_site("20", "30");
    let organisations = |html: &str| -> Vec<String> {
        organisation_facet(html)
            .split("organisation=")
            .skip(1)
            .filter_map(|p| p.split('"').next().map(str::to_string))
            .collect()
    };
    let (st, html, _) = get(&app, "/en/services", None).await;
    assert_eq!(st, StatusCode::OK);
    let listed = organisations(&html);
    assert_eq!(listed.len(), 50, "{listed:?}");
    assert!(html.contains("and 10 more values"), "60 organisations");
    // One not listed, chosen: listed beside the fifty, and the rest counted without it.
    let (_, orgs, _) = get(&app, "/api/v1/organisations?limit=100", None).await;
    let orgs: serde_json::Value = serde_json::from_str(&orgs).expect("json");
    let other = orgs["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|o| o["code"].as_str())
        .find(|c| !listed.iter().any(|l| l == c))
        .expect("an organisation not listed")
        .to_string();
    let (_, html, _) = get(&app, &format!("/en/services?organisation={other}"), None).await;
    assert!(html.contains("and 9 more values"), "{other}");
    assert!(
        html.contains("aria-current=\"true\">C"),
        "the chosen one is shown"
    );
}

/// On a large registry the dependency view draws the services the top of the ranking moves,
/// no column beyond 40 rows, says how many of the blocked services it draws, and its table
/// holds the same edges as the drawing.
#[tokio::test]
async fn the_dependency_view_stays_readable_on_a_large_registry() {
    let (_db, app) = synthetic_site("1", "1200");
    let (st, html, _) = get(&app, "/en/gaps", None).await;
    assert_eq!(st, StatusCode::OK);
    let graph = html
        .split("<h2 id=\"graph\">")
        .nth(1)
        .and_then(|g| g.split("</details>").next())
        .expect("the dependency view");
    let node = regex::Regex::new(r#"<g class="node[^"]*"><title>[^<]*</title><text x="(\d+)""#)
        .expect("pattern");
    let mut rows = std::collections::BTreeMap::<String, usize>::new();
    for c in node.captures_iter(graph) {
        *rows.entry(c[1].to_string()).or_default() += 1;
    }
    assert_eq!(rows.len(), 4, "four columns drawn: {rows:?}");
    assert!(rows.values().all(|&n| n <= 40), "{rows:?}");
    let drawn = rows.get("758").copied().expect("the services' column");
    let note =
        regex::Regex::new(r"It draws (\d+) of the ([\d,]+) blocked services").expect("pattern");
    let said = note.captures(graph).expect("the view says it draws some");
    assert_eq!(said[1].parse::<usize>().ok(), Some(drawn));
    let blocked: usize = said[2].replace(',', "").parse().expect("a count");
    assert!(blocked > drawn, "{blocked} blocked, {drawn} drawn");
    let paths = graph.matches("<path class=\"edge").count();
    let table_rows = graph
        .split("<tbody>")
        .nth(1)
        .map_or(0, |t| t.matches("<tr>").count());
    assert_eq!(paths, table_rows, "the table is the drawing's edges");
}

/// The ranking of investments is paged on the gaps page, apart from the blocked services: each
/// list keeps its own page number in the address.
#[tokio::test]
async fn the_ranking_is_paged_apart_from_the_blocked_services() {
    let (_db, app) = synthetic_site("1", "1200");
    let (_, json, _) = get(&app, "/api/v1/gaps/investments?limit=1", None).await;
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let total = json["meta"]["total"].as_u64().expect("a total") as usize;
    assert!(total > 25, "{total} investments: more than a page");
    let rank = regex::Regex::new(r"<tr>\s*<td>(\d+)</td>").expect("pattern");
    let ranks = |html: &str| -> Vec<usize> {
        let table = html
            .split("id=\"t-investments\"")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .expect("the ranking");
        rank.captures_iter(table)
            .filter_map(|c| c[1].parse().ok())
            .collect()
    };
    let (st, html, _) = get(&app, "/en/gaps", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ranks(&html), (1..=25).collect::<Vec<_>>());
    assert!(
        html.contains("href=\"/en/gaps?ranking=2#ranking\""),
        "next page of the ranking"
    );
    let (st, html, _) = get(&app, "/en/gaps?ranking=2&page=2", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ranks(&html).first(), Some(&26));
    assert!(
        html.contains("href=\"/en/gaps?ranking=2&#38;page=3#services\""),
        "the blocked services' pager keeps the ranking's page"
    );
}

/// An investment a country's base register stands for is needed by hundreds of services: its
/// item in the API lists the first hundred and says how many there are, and its own list gives
/// every one of them, a page at a time, in the same order.
#[tokio::test]
async fn an_investment_s_services_are_listed_a_page_at_a_time() {
    let (_db, app) = synthetic_site("1", "2000");
    let json = |body: &str| -> serde_json::Value { serde_json::from_str(body).expect("json") };
    let (_, list, _) = get(&app, "/api/v1/gaps/investments?limit=1000", None).await;
    let list = json(&list);
    let widest = list["data"]
        .as_array()
        .expect("data")
        .iter()
        .max_by_key(|i| i["unlocks_total"].as_u64())
        .expect("an investment")
        .clone();
    let total = widest["unlocks_total"].as_u64().expect("a total") as usize;
    assert!(total > 100, "{total}: more services than an item lists");
    // What each goes with: the first twenty named, all counted.
    for i in list["data"].as_array().expect("data") {
        let with = i["with"].as_array().expect("with").len();
        let with_total = i["with_total"].as_u64().expect("with_total") as usize;
        assert!(with == with_total.min(20), "{i}");
    }
    assert_eq!(widest["unlocks"].as_array().map(Vec::len), Some(100));
    assert_eq!(
        widest["unlocked_services"].as_array().map(Vec::len),
        Some(100)
    );
    // Every service, two pages of 150 or more, in the item's order.
    let mut next = widest["unlocks_all"]
        .as_str()
        .expect("where all are")
        .to_string()
        + "?limit=150";
    let mut all: Vec<serde_json::Value> = Vec::new();
    loop {
        let (st, page, _) = get(&app, &next, None).await;
        assert_eq!(st, StatusCode::OK, "{next}");
        let page = json(&page);
        assert_eq!(page["meta"]["total"].as_u64(), Some(total as u64));
        all.extend(page["data"].as_array().expect("data").iter().cloned());
        match page["links"]["next"].as_str() {
            Some(n) => next = n.to_string(),
            None => break,
        }
    }
    assert_eq!(all.len(), total);
    for (i, (u, listed)) in all
        .iter()
        .zip(widest["unlocks"].as_array().expect("unlocks"))
        .enumerate()
    {
        assert_eq!(u["service"], listed["service"], "{i}");
        assert_eq!(u["stages"], listed["stages"], "{i}");
        assert_eq!(u["name"], widest["unlocked_services"][i], "{i}");
    }
    let (st, _, _) = get(&app, "/api/v1/gaps/investments/NO-SUCH/unlocks", None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}
