//! Gap analysis on the demo, on both backends: the ranking tells the seed's conclusion, what-ifs
//! move the projection, the page and the JSON endpoint show it.

use crate::support::*;
use axum::http::StatusCode;

fn gaps_json(db: &TestDb, assume: &[&str]) -> serde_json::Value {
    let mut args = vec!["gaps", "--format", "json", "--db", &db.url];
    for a in assume {
        args.extend(["--assume", a]);
    }
    let (ok, text) = run_bin(&args);
    assert!(ok, "{}: {text}", db.name);
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn the_demo_ranking_puts_the_undigitised_registries_first() {
    for db in backends("the_demo_ranking_puts_the_undigitised_registries_first") {
        let _out = run_demo(&db);
        let doc = gaps_json(&db, &[]);
        assert_eq!(
            doc["round"], "2015-H1",
            "starts from the latest stages round"
        );
        let ids: Vec<&str> = doc["investments"]
            .as_array()
            .expect("ranking")
            .iter()
            .map(|i| i["id"].as_str().unwrap_or_default())
            .collect();
        // Ranked by what each delivers on its own: the photograph no register holds first
        // (two services go from 3 to 5), then the base registries the seed names as not fully
        // digitised.
        let investments = doc["investments"].as_array().expect("ranking");
        let delivers: Vec<f64> = investments
            .iter()
            .map(|i| i["delivers"].as_f64().expect("delivers"))
            .collect();
        assert!(delivers.windows(2).all(|w| w[0] >= w[1]), "{delivers:?}");
        assert_eq!((ids[0], delivers[0]), ("evidence:EV-PHOTO=supplied", 4.0));
        let top: Vec<&str> = ids[..6].to_vec();
        for id in [
            "dataset:ARCHIVE-RECORDS=digitised",
            "dataset:REAL-ESTATE-REGISTER=digitised",
            "dataset:LAND-CADASTRE=digitised",
        ] {
            assert!(
                top.contains(&id),
                "{}: {id} in the top six: {top:?}",
                db.name
            );
        }
        // The health records and the health system are needed by the most stages, and each
        // delivers only with the other: it says so.
        let investment = |id: &str| {
            investments
                .iter()
                .find(|i| i["id"] == id)
                .expect("investment")
                .clone()
        };
        for (id, other) in [
            (
                "dataset:HEALTH-RECORDS=digitised",
                "system:IS-HEALTH=in-use",
            ),
            (
                "system:IS-HEALTH=in-use",
                "dataset:HEALTH-RECORDS=digitised",
            ),
        ] {
            let i = investment(id);
            assert_eq!(i["delivers"], 0.0, "{id}");
            assert_eq!(i["score"], 10.0, "{id}");
            assert_eq!(i["with"][0], other, "{id}");
        }
        // Each names the seed services it would unlock.
        let unlocks = |id: &str| -> Vec<String> {
            doc["investments"]
                .as_array()
                .expect("ranking")
                .iter()
                .find(|i| i["id"] == id)
                .expect("investment")["unlocks"]
                .as_array()
                .expect("unlocks")
                .iter()
                .map(|u| u["service"].as_str().unwrap_or_default().to_string())
                .collect()
        };
        assert!(
            unlocks("dataset:REAL-ESTATE-REGISTER=digitised").contains(&"SRV-0002".to_string()),
            "change of residential registration"
        );
        let health = unlocks("dataset:HEALTH-RECORDS=digitised");
        assert!(
            health.contains(&"SRV-0006".to_string()) && health.contains(&"SRV-0008".to_string()),
            "disability status, death certificate"
        );
        // The missing exchange links follow, starting with the planned one for SRV-0002.
        let services = doc["services"].as_array().expect("services");
        let srv2 = services
            .iter()
            .find(|s| s["service"] == "SRV-0002")
            .expect("SRV-0002");
        let reasons = srv2["reasons"].as_array().expect("reasons");
        assert!(
            reasons.iter().any(|r| r
                .as_str()
                .unwrap_or_default()
                .contains("not fully digitised")),
            "{reasons:?}"
        );
        assert!(
            srv2["blocks"]
                .as_array()
                .expect("blocks")
                .iter()
                .any(|b| b["investment"] == "link:XL-0005=in-use")
        );
        assert!(
            doc["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .any(|f| f["subject"] == "EV-PHOTO"),
            "no one supplies the photograph"
        );
    }
}

#[test]
fn assumptions_change_the_projection_as_expected() {
    for db in backends("assumptions_change_the_projection_as_expected") {
        let _out = run_demo(&db);
        let before = gaps_json(&db, &[]);
        let svc = |doc: &serde_json::Value, code: &str| {
            doc["services"]
                .as_array()
                .expect("services")
                .iter()
                .find(|s| s["service"] == code)
                .expect("service")
                .clone()
        };
        let stages = |g: &serde_json::Value| {
            (
                g["stage"].as_u64(),
                g["ceiling"].as_u64(),
                g["projected"].as_u64(),
            )
        };
        // Without assumptions, every service is projected as built as far as its data allow
        // already: what an investment changes is measured from there.
        assert!(before["index"]["projected"].as_f64() > before["index"]["now"].as_f64());
        assert_eq!(
            stages(&svc(&before, "SRV-0020")),
            (Some(2), Some(3), Some(3))
        );
        let land = gaps_json(&db, &["dataset:LAND-CADASTRE=digitised"]);
        // The land plot registration (stage 2) can now reach 4: a link is still missing.
        assert_eq!(stages(&svc(&land, "SRV-0020")), (Some(2), Some(4), Some(4)));
        assert!(land["index"]["projected"].as_f64() > before["index"]["projected"].as_f64());
        // Real estate digitised and its planned link in use: the change of residential
        // registration is no longer blocked and is projected at the top stage.
        let both = gaps_json(
            &db,
            &[
                "dataset:REAL-ESTATE-REGISTER=digitised",
                "link:XL-0005=in-use",
            ],
        );
        let srv2 = svc(&both, "SRV-0002");
        assert_eq!(
            (srv2["ceiling"].as_u64(), srv2["projected"].as_u64()),
            (Some(5), Some(5))
        );
        assert!(both["index"]["projected"].as_f64() > before["index"]["projected"].as_f64());
        let (ok, text) = run_bin(&[
            "gaps",
            "--assume",
            "dataset:LAND-CADASTRE=shiny",
            "--db",
            &db.url,
        ]);
        assert!(!ok && text.contains("shiny"), "{text}");
    }
}

async fn get(app: &axum::Router, path: &str) -> (StatusCode, String) {
    let a = request(app, path, &[]).await;
    (a.status, a.body)
}

/// The site analyses on the stages stored with the current round's results, the command line
/// on the round scored from its answers: they agree on every service, investment and figure.
#[tokio::test]
async fn the_site_s_analysis_on_stored_stages_is_the_scored_one() {
    for db in backends("the_site_s_analysis_on_stored_stages_is_the_scored_one") {
        let _out = run_demo(&db);
        let cli = gaps_json(&db, &[]);
        let app = egovwatch_web::router(db.store());
        // A service's page first: it names what blocks the service from the same analysis.
        let (st, _) = get(&app, "/api/v1/services/SRV-0008").await;
        assert_eq!(st, StatusCode::OK, "{}", db.name);
        let (_, brief) = get(&app, "/api/v1/gaps").await;
        let brief: serde_json::Value = serde_json::from_str(&brief).expect("JSON");
        assert_eq!(brief["index"], cli["index"], "{}", db.name);
        assert_eq!(brief["round"], cli["round"], "{}", db.name);
        for list in ["services", "investments", "findings"] {
            let (st, page) = get(&app, &format!("/api/v1/gaps/{list}?limit=500")).await;
            assert_eq!(st, StatusCode::OK, "{}: {list}", db.name);
            let mut page: serde_json::Value = serde_json::from_str(&page).expect("JSON");
            assert!(
                cli[list].as_array().is_some_and(|l| !l.is_empty()),
                "{list}"
            );
            // An investment's item says how many services need it and where they all are
            // (its list: every one here, under a hundred), and how many investments it goes with.
            for item in page["data"].as_array_mut().into_iter().flatten() {
                if let Some(item) = item.as_object_mut()
                    && let Some(total) = item.remove("unlocks_total")
                {
                    let all = item.remove("unlocks_all").expect("where all are");
                    assert_eq!(
                        total.as_u64(),
                        item["unlocks"].as_array().map(|u| u.len() as u64)
                    );
                    assert!(
                        all.as_str().is_some_and(|a| a.ends_with("/unlocks")),
                        "{all}"
                    );
                    // And how many investments it goes with (all of them here, under twenty).
                    let with = item.remove("with_total").expect("how many it goes with");
                    assert_eq!(
                        with.as_u64(),
                        item["with"].as_array().map(|w| w.len() as u64)
                    );
                }
            }
            assert_eq!(page["data"], cli[list], "{}: {list}", db.name);
        }
    }
}

#[tokio::test]
async fn the_gaps_page_and_endpoint_show_the_analysis() {
    for db in backends("the_gaps_page_and_endpoint_show_the_analysis") {
        let _out = run_demo(&db);
        let app = egovwatch_web::router(db.store());
        let (st, html) = get(&app, "/en/gaps").await;
        assert_eq!(st, StatusCode::OK, "{}", db.name);
        assert!(html.contains("Digitise Health records"), "ranking shown");
        assert!(
            html.contains("<svg")
                && html.contains("<title id=\"gaps-svg-title\">")
                && html.contains("<desc"),
            "dependency view with title and description"
        );
        assert!(html.contains("Online change of residential registration"));
        assert!(
            html.contains("<details>") && html.contains("is required by"),
            "the table fallback of the view"
        );
        let (_, az) = get(&app, "/az/gaps").await;
        assert!(az.contains("<html lang=\"az\">") && az.contains("Rəqəmsallaşdırma: "));
        let (_, ru) = get(&app, "/ru/gaps").await;
        assert!(ru.contains("Оцифровать"));

        let (st, json) = get(&app, "/api/v1/gaps").await;
        assert_eq!(st, StatusCode::OK);
        let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(doc["investments"][0]["rank"], 1);
        let (_, what_if) = get(
            &app,
            "/api/v1/gaps?assume=dataset%3ALAND-CADASTRE%3Ddigitised",
        )
        .await;
        let w: serde_json::Value = serde_json::from_str(&what_if).expect("JSON");
        assert_eq!(w["assumptions"][0], "dataset:LAND-CADASTRE=digitised");
        assert!(w["index"]["projected"].as_f64() > doc["index"]["projected"].as_f64());
        // The brief links its three lists; each pages with a cursor and downloads as CSV.
        assert_eq!(doc["totals"]["services"], 22, "{doc}");
        let mut seen = Vec::new();
        let mut next = doc["links"]["services"].as_str().expect("link").to_string() + "?limit=5";
        loop {
            let (st, page) = get(&app, &next).await;
            assert_eq!(st, StatusCode::OK, "{next}: {page}");
            let page: serde_json::Value = serde_json::from_str(&page).expect("JSON");
            seen.extend(
                page["data"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| s["service"].as_str().unwrap_or_default().to_string()),
            );
            match page["links"]["next"].as_str() {
                Some(n) => next = n.to_string(),
                None => break,
            }
        }
        let unique: std::collections::BTreeSet<&String> = seen.iter().collect();
        assert_eq!((seen.len(), unique.len()), (22, 22), "every service once");
        let (st, w_inv) = get(
            &app,
            "/api/v1/gaps/investments?assume=dataset%3ALAND-CADASTRE%3Ddigitised&limit=100",
        )
        .await;
        assert_eq!(st, StatusCode::OK);
        let w_inv: serde_json::Value = serde_json::from_str(&w_inv).expect("JSON");
        assert_eq!(
            w_inv["meta"]["total"], w["totals"]["investments"],
            "the list is of the same what-if"
        );
        let (st, csv) = get(&app, "/api/v1/gaps/findings?format=csv").await;
        assert_eq!(st, StatusCode::OK);
        assert!(csv.starts_with("kind,subject,detail"), "{csv}");
        let (st, _) = get(&app, "/api/v1/gaps/nothing").await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, unknown) = get(&app, "/api/v1/gaps?limt=5").await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        assert!(unknown.contains("limt"), "{unknown}");
        let (st, bad) = get(&app, "/api/v1/gaps?assume=moon:x=1").await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        assert!(bad.contains("\"code\":\"bad_parameter\""), "{bad}");
        let (st, page) = get(&app, "/en/gaps?assume=moon:x=1").await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            page.contains("role=\"alert\""),
            "a bad assumption is explained on the page"
        );
    }
}

/// The what-if on the page is a form of choices: the investments as checkboxes, ticked ones
/// assumed together and shown ticked; what a reader wrote by hand stays in the box, also when
/// it is refused, with the unknown code named.
#[tokio::test]
async fn the_what_if_form_offers_the_investments_as_choices() {
    let db = sqlite();
    let _out = run_demo(&db);
    let app = egovwatch_web::router(db.store());
    let (_, html) = get(&app, "/en/gaps").await;
    let choice = regex::Regex::new(r#"<input type="checkbox" name="assume" value="([^"]+)">"#)
        .expect("pattern");
    let ids: Vec<String> = choice
        .captures_iter(&html)
        .map(|c| c[1].to_string())
        .collect();
    assert!(ids.len() >= 5, "the first investments are offered: {ids:?}");
    assert!(ids.contains(&"dataset:HEALTH-RECORDS=digitised".to_string()));
    assert!(html.contains("Digitise Health records (Health information system)"));
    let figure = |page: &str, label: &str| -> String {
        let at = page.find(label).expect(label);
        page[at..].split("<dd>").nth(1).expect("dd")[..4].to_string()
    };
    let as_allowed = "If every service were built as far as the data allow";
    let assumed = "The same, with the assumptions chosen";
    let base = figure(&html, as_allowed);
    assert!(
        !html.contains(assumed),
        "nothing assumed, nothing said of it"
    );
    let query: Vec<String> = ids[..2]
        .iter()
        .map(|i| format!("assume={}", i.replace(':', "%3A").replace('=', "%3D")))
        .collect();
    let (st, both) = get(&app, &format!("/en/gaps?{}", query.join("&"))).await;
    assert_eq!(st, StatusCode::OK);
    for id in &ids[..2] {
        assert!(
            both.contains(&format!("value=\"{id}\" checked>")),
            "{id} is shown ticked"
        );
    }
    // The first two investments assumed: the services they hold back go further, beside the
    // same projection without them.
    assert_eq!(figure(&both, as_allowed), base);
    // What they move is said, service by service: the photograph takes the passport and the
    // ID card application from 3 to 5.
    assert!(
        both.contains("The assumptions chosen move "),
        "what they move"
    );
    assert!(
        both.contains("Online passport application</a>: 3 → 5"),
        "{}",
        &both[both.find("id=\"moved\"").unwrap_or(0)..][..600]
    );
    // The health records alone move nothing: said, with where to look.
    let (_, alone) = get(&app, "/en/gaps?assume=dataset%3AHEALTH-RECORDS%3Ddigitised").await;
    assert!(alone.contains("The assumptions chosen move no service on their own"));
    assert!(
        figure(&both, assumed) > base,
        "{} > {base}",
        figure(&both, assumed)
    );
    assert!(!both.contains("role=\"alert\""));
    let (_, refused) = get(
        &app,
        "/en/gaps?assume=dataset%3ANO-SUCH-DATASET%3Ddigitised",
    )
    .await;
    assert!(refused.contains("role=\"alert\"") && refused.contains("no dataset NO-SUCH-DATASET"));
    assert!(
        refused.contains(">dataset:NO-SUCH-DATASET=digitised</textarea>"),
        "the box keeps what was written"
    );
    let (_, az) = get(&app, "/az/gaps").await;
    assert!(az.contains("Bunlar qurulsaydı nə olardı?") && az.contains("xidmətə lazımdır"));
}

/// Every investment of the ranking, not only those the form offers, leads to the page with it
/// assumed done beside what is assumed already.
#[tokio::test]
async fn every_investment_of_the_ranking_leads_to_its_what_if() {
    let db = sqlite();
    let _out = run_demo(&db);
    let app = egovwatch_web::router(db.store());
    let whatif = regex::Regex::new(r#"<a href="([^"]+)" title="What if this were built\?">"#)
        .expect("pattern");
    let links = |html: &str| -> Vec<String> {
        whatif
            .captures_iter(html)
            .map(|c| crate::page_tables::unescape(&c[1]))
            .collect()
    };
    let (_, html) = get(&app, "/en/gaps").await;
    let all = links(&html);
    let rows = html.matches("<tr>").count();
    assert!(
        all.len() > 12,
        "one a row, beyond the form's choices: {}",
        all.len()
    );
    assert!(rows > all.len(), "{rows} rows");
    // The last of the ranking: not among the form's first choices until asked for.
    let last = all.last().expect("a link");
    let assumed = |link: &str| -> Vec<String> {
        let query = link.split(['?', '#']).nth(1).unwrap_or_default();
        form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k == "assume")
            .map(|(_, v)| v.into_owned())
            .collect()
    };
    let id = assumed(last).pop().expect("an assumption");
    // The form's choices, ticked or not, as their values read.
    let choice =
        regex::Regex::new(r#"name="assume" value="([^"]+)"( checked)?>"#).expect("pattern");
    let choices = |html: &str, ticked: bool| -> Vec<String> {
        choice
            .captures_iter(html)
            .filter(|c| !ticked || c.get(2).is_some())
            .map(|c| crate::page_tables::unescape(&c[1]))
            .collect()
    };
    assert!(
        !choices(&html, false).contains(&id),
        "{id} is not a choice yet"
    );
    assert!(
        last.starts_with("/en/gaps?assume=") && last.ends_with("#moved"),
        "{last}"
    );
    let (st, page) = get(&app, last.trim_end_matches("#moved")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        choices(&page, true),
        std::slice::from_ref(&id),
        "{id} ticked"
    );
    assert!(page.contains("id=\"moved\""), "what it moves is said");
    assert!(!page.contains("role=\"alert\""));
    // From there, each link keeps the assumption made and adds its own.
    let next = links(&page);
    assert!(!next.is_empty());
    for l in &next {
        let both = assumed(l);
        assert_eq!((both.len(), &both[0]), (2, &id), "{l}");
    }
}

#[test]
fn costs_and_volumes_weigh_the_ranking() {
    for db in backends("costs_and_volumes_weigh_the_ranking") {
        let out = run_demo(&db);
        let costs = out.path().join("costs.csv");
        std::fs::write(&costs, "investment,cost\ndataset:HEALTH-RECORDS=digitised,1000\ndataset:LAND-CADASTRE=digitised,10\n").expect("write");
        let volumes = out.path().join("volumes.csv");
        std::fs::write(&volumes, "service,transactions\nSRV-0020,50000\n").expect("write");
        let args = |extra: &[&str]| {
            let mut v = vec!["gaps", "--format", "json", "--db", db.url.as_str()];
            v.extend_from_slice(extra);
            let (ok, text) = run_bin(&v);
            assert!(ok, "{text}");
            serde_json::from_str::<serde_json::Value>(&text).expect("JSON")
        };
        let c = costs.display().to_string();
        let by_cost = args(&["--costs", &c, "--by-cost"]);
        assert_eq!(
            by_cost["investments"][0]["id"], "dataset:LAND-CADASTRE=digitised",
            "4 stages for 10 beats 10 stages for 1000"
        );
        assert_eq!(by_cost["investments"][0]["score_per_cost"], 0.4);
        let v = volumes.display().to_string();
        let weighted = args(&["--volumes", &v]);
        assert_eq!(
            weighted["investments"][0]["id"], "dataset:LAND-CADASTRE=digitised",
            "the busy land plot service weighs in"
        );
        std::fs::write(&costs, "investment,cost\nx,cheap\n").expect("write");
        let (ok, text) = run_bin(&["gaps", "--costs", &c, "--db", &db.url]);
        assert!(!ok && text.contains("costs.csv:2: cost"), "{text}");
    }
}
