//! The public site and `/api/v1` on the demo (registry and both rounds), on both backends,
//! through a `TestApp`: the real router over its own database.

use crate::support::*;
use axum::http::StatusCode;
use serde_json::Value;

/// The router over a database of its own, loaded by `egovwatch demo`.
struct TestApp {
    name: &'static str,
    app: axum::Router,
    _db: TestDb,
    _out: tempfile::TempDir,
}

impl TestApp {
    fn demo(test: &str) -> Vec<TestApp> {
        backends(test)
            .into_iter()
            .map(|db| {
                let out = run_demo(&db);
                TestApp {
                    name: db.name,
                    app: egovwatch_web::router(db.store()),
                    _db: db,
                    _out: out,
                }
            })
            .collect()
    }

    /// A synthetic country (`egovwatch synth`): 500 services, two EU rounds (the first
    /// published) and a published stages round.
    fn synth(test: &str) -> Vec<TestApp> {
        TestApp::synth_of(test, ["1", "500", "2"])
    }

    /// [`TestApp::synth`] of `[countries, services, rounds]`.
    fn synth_of(test: &str, scale: [&str; 3]) -> Vec<TestApp> {
        backends(test)
            .into_iter()
            .map(|db| {
                synth_into(&db, scale);
                TestApp {
                    name: db.name,
                    app: egovwatch_web::router(db.store()),
                    _db: db,
                    _out: tempfile::tempdir().expect("tmp"),
                }
            })
            .collect()
    }

    async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        request(&self.app, path, headers).await
    }

    async fn get(&self, path: &str) -> Answer {
        self.get_with(path, &[]).await
    }

    /// A JSON read that must succeed.
    async fn json(&self, path: &str) -> Value {
        let a = self.get(path).await;
        assert_eq!(
            a.status,
            StatusCode::OK,
            "{}: {path}: {}",
            self.name,
            a.body
        );
        a.json()
    }
}

fn codes(v: &Value) -> Vec<String> {
    v["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|x| {
            // A record's code, or the id of what has none of its own (an investment).
            x["code"]
                .as_str()
                .or(x["id"].as_str())
                .expect("code or id")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn services_are_listed_filtered_sorted_and_paged() {
    for t in TestApp::demo("services_are_listed_filtered_sorted_and_paged") {
        // A page of the list is locked, as JSON and as CSV, the same on both backends (the data
        // version in `meta` differs between them).
        let mut list = t.json("/api/v1/services?limit=3&sort=-stage").await;
        list["meta"]["version"] = Value::from("(data version)");
        let pretty = serde_json::to_string_pretty(&list).expect("json");
        insta::assert_snapshot!("services_list", pretty);
        let csv = t
            .get("/api/v1/services?limit=3&sort=-stage&format=csv")
            .await;
        insta::assert_snapshot!("services_list_csv", csv.body);
        // A CSV page says how many rows the list has and where its next page is.
        assert_eq!(csv.headers["x-total-count"], "22", "{}", t.name);
        let next = csv.headers["link"].to_str().expect("link");
        assert!(
            next.starts_with("</api/v1/services?limit=3&sort=-stage&cursor=")
                && next.ends_with("&format=csv>; rel=\"next\""),
            "{}: {next}",
            t.name
        );
        let rest = t
            .get(
                next.trim_start_matches('<')
                    .split('>')
                    .next()
                    .expect("address"),
            )
            .await;
        assert_eq!(rest.status, StatusCode::OK, "{}", t.name);
        assert!(
            rest.body
                .starts_with(csv.body.lines().next().expect("header"))
        );
        let all = t.json("/api/v1/services?limit=1000").await;
        let total = all["meta"]["total"].as_u64().expect("total");
        assert_eq!(total, 22, "{}", t.name);
        let first = &all["data"][0];
        assert!(first["name"]["az"].is_string() && first["name"]["ru"].is_string());
        assert_eq!(
            first["round"], "2015-H1",
            "stages come from the latest round"
        );

        // Pages of 5 walk the whole list once, in the same order.
        let mut walked = Vec::new();
        let mut next = "/api/v1/services?limit=5".to_string();
        loop {
            let page = t.json(&next).await;
            walked.extend(codes(&page));
            match page["links"]["next"].as_str() {
                Some(n) => next = n.to_string(),
                None => break,
            }
        }
        assert_eq!(walked, codes(&all), "{}", t.name);

        let birth = t.json("/api/v1/services?life_event=LE-BIRTH").await;
        assert!(birth["meta"]["total"].as_u64().expect("n") >= 1);
        assert!(birth["data"].as_array().expect("data").iter().all(|s| {
            s["life_events"]
                .as_array()
                .expect("le")
                .contains(&"LE-BIRTH".into())
        }));

        let zero = t.json("/api/v1/services?stage=0").await;
        assert!(
            zero["data"]
                .as_array()
                .expect("data")
                .iter()
                .all(|s| s["stage"] == 0)
        );
        let by_stage = t.json("/api/v1/services?sort=-stage&limit=1000").await;
        let stages: Vec<i64> = by_stage["data"]
            .as_array()
            .expect("data")
            .iter()
            .filter_map(|s| s["stage"].as_i64())
            .collect();
        assert!(stages.windows(2).all(|w| w[0] >= w[1]), "{stages:?}");
        let moon = t.get("/api/v1/services?movement=moonwards").await;
        assert_eq!(moon.status, StatusCode::BAD_REQUEST, "{}", moon.body);
        assert!(
            moon.body.contains("movement is one of improved"),
            "{}",
            moon.body
        );
        let improved = t.json("/api/v1/services?movement=improved").await;
        assert!(
            improved["meta"]["total"].as_u64().expect("n") >= 1,
            "{}",
            t.name
        );

        let csv = t
            .get("/api/v1/services?life_event=LE-DEATH&format=csv")
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/csv")
        );
        assert!(
            csv.body.starts_with("code,name_az,name_en,name_ru,"),
            "{}",
            csv.body
        );
        assert!(csv.body.contains("SRV-0008"));

        let one = t.json("/api/v1/services/SRV-0008").await;
        // The whole answer is locked, the same on both backends (tests/integration/snapshots).
        for lang in ["en", "az"] {
            let body = t
                .json(&format!("/api/v1/services/SRV-0008?lang={lang}"))
                .await;
            let pretty = serde_json::to_string_pretty(&body).expect("json");
            insta::assert_snapshot!(format!("service_SRV-0008_{lang}"), pretty);
        }
        assert_eq!(one["name"]["en"], "Online medical death certificate");
        assert_eq!(one["rounds"].as_array().expect("rounds").len(), 2);
        assert!(one["evidence"].is_array());
        // Why it is blocked, in words that name the records.
        let reasons: Vec<&str> = one["blocked_by"]
            .as_array()
            .expect("blocked_by")
            .iter()
            .filter_map(|b| b["reason"].as_str())
            .collect();
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("Health information system")),
            "{reasons:?}"
        );
        let answers = t.json("/api/v1/services/SRV-0008/assessments").await;
        assert!(answers["meta"]["total"].as_u64().expect("n") >= 1);
        let history = t.json("/api/v1/services/SRV-0008/history").await;
        assert!(!history["data"].as_array().expect("data").is_empty());
    }
}

#[tokio::test]
async fn errors_share_one_envelope() {
    for t in TestApp::demo("errors_share_one_envelope") {
        for (path, status, code) in [
            (
                "/api/v1/services/SRV-9999",
                StatusCode::NOT_FOUND,
                "not_found",
            ),
            (
                "/api/v1/services?limit=0",
                StatusCode::BAD_REQUEST,
                "bad_parameter",
            ),
            (
                "/api/v1/services?colour=red",
                StatusCode::BAD_REQUEST,
                "bad_parameter",
            ),
            (
                "/api/v1/services?sort=size",
                StatusCode::BAD_REQUEST,
                "bad_parameter",
            ),
            (
                "/api/v1/services?cursor=zz",
                StatusCode::BAD_REQUEST,
                "bad_cursor",
            ),
            (
                "/api/v1/services?life_event=LE-NOPE",
                StatusCode::NOT_FOUND,
                "not_found",
            ),
            ("/api/v1/rounds/1999-H1", StatusCode::NOT_FOUND, "not_found"),
            ("/api/v1/nothing-here", StatusCode::NOT_FOUND, "not_found"),
            (
                "/api/v1/search?kind=planet",
                StatusCode::BAD_REQUEST,
                "bad_parameter",
            ),
        ] {
            let a = t.get(path).await;
            assert_eq!(a.status, status, "{}: {path}", t.name);
            let e = a.json();
            assert_eq!(e["error"]["code"], code, "{path}: {e}");
            assert_eq!(e["error"]["status"], status.as_u16());
            assert!(
                e["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty())
            );
        }
        // A route written with a slash at the end is sent to the route, its query kept.
        for (path, to) in [
            ("/api/v1/", "/api/v1"),
            ("/api/v1/services/?limit=1", "/api/v1/services?limit=1"),
        ] {
            let a = t.get(path).await;
            assert_eq!(a.status, StatusCode::PERMANENT_REDIRECT, "{path}");
            assert_eq!(a.headers["location"], to, "{path}");
        }
        let a = t.get("/api/v1/nothing-here/").await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn every_record_kind_and_round_is_readable() {
    for t in TestApp::demo("every_record_kind_and_round_is_readable") {
        let les = t.json("/api/v1/life-events").await;
        let order: Vec<i64> = les["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|l| l["journey_order"].as_i64().expect("order"))
            .collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]), "birth to death");
        t.json("/api/v1/life-events/LE-BIRTH").await;
        let orgs = t.json("/api/v1/organisations?sort=name&lang=az").await;
        assert!(orgs["meta"]["total"].as_u64().expect("n") > 5);
        t.json("/api/v1/organisations/ORG-MLSPP").await;
        let base = t
            .json("/api/v1/information-systems?base_registry=true")
            .await;
        assert!(
            base["data"]
                .as_array()
                .expect("data")
                .iter()
                .all(|s| s["base_registry"] == true)
        );
        let sys = codes(&base)[0].clone();
        let one = t.json(&format!("/api/v1/information-systems/{sys}")).await;
        assert!(one["datasets"].is_array());
        let ds = t.json("/api/v1/datasets").await;
        let d = codes(&ds)[0].clone();
        t.json(&format!("/api/v1/datasets/{d}")).await;

        for list in ["evidence-types", "outputs", "exchange-links"] {
            let all = t.json(&format!("/api/v1/{list}?limit=1000")).await;
            let first = codes(&all)
                .into_iter()
                .next()
                .unwrap_or_else(|| panic!("{}: no {list}", t.name));
            t.json(&format!("/api/v1/{list}/{first}")).await;
        }
        let in_use = t.json("/api/v1/exchange-links?status=in_use").await;
        assert!(
            in_use["data"]
                .as_array()
                .expect("data")
                .iter()
                .all(|l| l["status"] == "in_use")
        );

        let rounds = t.json("/api/v1/rounds").await;
        assert_eq!(codes(&rounds), ["2014-H2", "2015-H1"], "{}", t.name);
        let r = t.json("/api/v1/rounds/2015-H1").await;
        assert_eq!(r["previous"], "2014-H2");
        assert!(r["movement"]["improved"].as_u64().expect("n") >= 1);
        let staged: u64 = r["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .map(|s| s["services"].as_u64().expect("n"))
            .sum();
        assert!(staged > 0);
        let le = t.json("/api/v1/rounds/2015-H1/life-events").await;
        assert!(!le["data"].as_array().expect("data").is_empty());
        assert!(le["data"][0]["score"].is_number());
        t.json("/api/v1/rounds/2015-H1/organisations?sort=-score")
            .await;
    }
}

#[tokio::test]
async fn search_folds_azerbaijani_and_highlights() {
    for t in TestApp::demo("search_folds_azerbaijani_and_highlights") {
        // `ehali` finds `Əhalinin` (ə folded to e) in any language's page.
        let found = t.json("/api/v1/search?q=ehali&lang=az").await;
        assert!(
            codes(&found).contains(&"ORG-MLSPP".to_string()),
            "{}: {found}",
            t.name
        );
        let hit = &found["data"][0];
        assert!(
            hit["highlight"].as_str().expect("html").contains("<mark>"),
            "{hit}"
        );
        let ru = t
            .json("/api/v1/search?q=%D1%81%D0%BC%D0%B5%D1%80%D1%82%D1%8C")
            .await;
        assert!(found["meta"]["total"].as_u64().expect("n") >= 1 && !codes(&ru).is_empty());
        let only = t.json("/api/v1/search?q=ehali&kind=organisation").await;
        assert!(
            only["data"]
                .as_array()
                .expect("data")
                .iter()
                .all(|h| h["kind"] == "organisation")
        );
        let page = t.get("/az/search?q=ehali").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<mark>Əhali</mark>"), "{}", page.body);
        let none = t.json("/api/v1/search?q=").await;
        assert_eq!(none["meta"]["total"], 0);
    }
}

#[tokio::test]
async fn reads_carry_etags_and_cache_headers() {
    for t in TestApp::demo("reads_carry_etags_and_cache_headers") {
        let a = t.get("/api/v1/services/SRV-0001").await;
        let tag = a.headers["etag"].to_str().expect("etag").to_string();
        assert!(
            a.headers["cache-control"]
                .to_str()
                .expect("cc")
                .contains("max-age")
        );
        let again = t
            .get_with("/api/v1/services/SRV-0001", &[("if-none-match", &tag)])
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{}", t.name);
        assert!(again.body.is_empty());
        let other = t
            .get_with(
                "/api/v1/services/SRV-0001",
                &[("if-none-match", "\"nope\"")],
            )
            .await;
        assert_eq!(other.status, StatusCode::OK);
        let page = t.get("/en/").await;
        assert!(page.headers.contains_key("etag"));
        assert_eq!(page.headers["cache-control"], "private, no-cache");
    }
}

#[tokio::test]
async fn openapi_document_is_the_reviewed_one() {
    let t = TestApp::demo("openapi_document_is_the_reviewed_one")
        .into_iter()
        .next()
        .expect("sqlite");
    let doc = t.json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
    let pretty = serde_json::to_string_pretty(&doc).expect("json");
    insta::assert_snapshot!("openapi", pretty);
}

/// Every answer is what the OpenAPI document says it is (the document's schemas are generated
/// from the answers' types): every path with records filled in, lists as pages, an error.
#[tokio::test]
async fn every_answer_is_what_the_document_says() {
    for t in TestApp::demo("every_answer_is_what_the_document_says") {
        let doc = t.json("/api/openapi.json").await;
        let paths = doc["paths"].as_object().expect("paths");
        let mut checked = 0;
        for (path, item) in paths {
            let lists = path.split("/{code}").next().unwrap_or_default();
            let addresses: Vec<String> = if path.contains("{code}") {
                codes(&t.json(&format!("{lists}?limit=3")).await)
                    .iter()
                    .map(|c| path.replace("{code}", c))
                    .collect()
            } else {
                vec![path.clone()]
            };
            let ok = &item["get"]["responses"]["200"]["content"]["application/json"]["schema"];
            assert!(!ok.is_null(), "{path}: no JSON answer described");
            for address in addresses {
                let v = t.json(&address).await;
                if let Err(e) = crate::conformance::check(&doc, ok, &v, "$") {
                    panic!("{}: {address}: {e}", t.name);
                }
                checked += 1;
            }
        }
        assert!(checked > 40, "{checked} answers checked");
        // Every parameter the document names is taken, and one it does not name is refused,
        // the same way on every path.
        for (path, item) in paths {
            let address = match path.contains("{code}") {
                true => {
                    let lists = path.split("/{code}").next().unwrap_or_default();
                    let first = codes(&t.json(&format!("{lists}?limit=1")).await)[0].clone();
                    path.replace("{code}", &first)
                }
                false => path.clone(),
            };
            let params = item["get"]["parameters"].as_array().expect("parameters");
            for p in params.iter().filter(|p| p["in"] == "query") {
                let name = p["name"].as_str().expect("name");
                let value = match (&p["schema"]["enum"][0], &p["schema"]["type"]) {
                    (Value::String(w), _) => w.clone(),
                    (_, t) if t == "integer" => "1".into(),
                    _ => "x".into(),
                };
                let a = t.get(&format!("{address}?{name}={value}")).await;
                assert!(
                    !a.body.contains("unknown parameter"),
                    "{}: {address}: documented {name} refused: {}",
                    t.name,
                    a.body
                );
            }
            let a = t.get(&format!("{address}?colour=red")).await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{address}?colour=red");
            let body: Value = serde_json::from_str(&a.body).expect("json");
            assert_eq!(body["error"]["code"], "bad_parameter", "{address}");
            let message = body["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.starts_with("unknown parameter \"colour\"; ")
                    && message.contains(" takes "),
                "{address}: {message}"
            );
            // The refusal names what the route takes: exactly what the document names.
            let taken: std::collections::BTreeSet<&str> =
                match message.split(" takes ").nth(1).unwrap_or_default() {
                    "no parameters" => Default::default(),
                    names => names.split(", ").collect(),
                };
            let documented: std::collections::BTreeSet<&str> = params
                .iter()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(taken, documented, "{address}: refusal and document differ");
            // A value the schema does not allow is refused (400) on every list; a code naming
            // nothing is a 404, and a path answers 404 exactly when the document says it can.
            let mut not_found = path.contains("{code}")
                && t.get(&path.replace("{code}", "NO-SUCH")).await.status == StatusCode::NOT_FOUND;
            for p in params.iter().filter(|p| p["in"] == "query") {
                let name = p["name"].as_str().expect("name");
                let common = [
                    "limit", "cursor", "format", "lang", "sort", "q", "assume", "kind",
                ];
                if common.contains(&name) {
                    continue;
                }
                let a = t.get(&format!("{address}?{name}=NO-SUCH")).await;
                let checked = !p["schema"]["enum"].is_null() || p["schema"]["type"] == "integer";
                match checked {
                    true => assert_eq!(a.status, StatusCode::BAD_REQUEST, "{address}?{name}"),
                    false => assert!(
                        matches!(a.status, StatusCode::OK | StatusCode::NOT_FOUND),
                        "{address}?{name}: {}",
                        a.status
                    ),
                }
                not_found |= a.status == StatusCode::NOT_FOUND;
            }
            assert_eq!(
                not_found,
                !item["get"]["responses"]["404"].is_null(),
                "{address}: answers 404 and documents it, or neither"
            );
        }
        let missing = t.get("/api/v1/services/NO-SUCH").await;
        let error = &doc["paths"]["/api/v1/services/{code}"]["get"]["responses"]["404"]["content"]
            ["application/json"]["schema"];
        let body: Value = serde_json::from_str(&missing.body).expect("json");
        assert_eq!(crate::conformance::check(&doc, error, &body, "$"), Ok(()));
    }
}

/// Every registry list's first items and every kind's first record are locked (insta), the same
/// on both backends: the answers stay the same while their `json!` bodies become types.
#[tokio::test]
async fn every_record_kind_answers_as_locked() {
    for t in TestApp::demo("every_record_kind_answers_as_locked") {
        let mut locked = String::new();
        for kind in [
            "life-events",
            "organisations",
            "information-systems",
            "datasets",
            "evidence-types",
            "outputs",
            "exchange-links",
            "rounds",
        ] {
            let mut list = t.json(&format!("/api/v1/{kind}?limit=2")).await;
            list["meta"]["version"] = Value::from("(data version)");
            let first = codes(&list)[0].clone();
            let one = t.json(&format!("/api/v1/{kind}/{first}")).await;
            for (address, v) in [
                (format!("/api/v1/{kind}?limit=2"), list),
                (format!("/api/v1/{kind}/{first}"), one),
            ] {
                locked.push_str(&format!(
                    "{address}\n{}\n\n",
                    serde_json::to_string_pretty(&v).expect("json")
                ));
            }
        }
        insta::assert_snapshot!("record_kinds", locked);
    }
}

#[tokio::test]
async fn pages_show_journey_rounds_records_and_reports() {
    for t in TestApp::demo("pages_show_journey_rounds_records_and_reports") {
        let home = t.get("/en/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(
            home.body.contains("class=\"stage stage-"),
            "stages shown on the journey"
        );
        assert!(home.body.contains("National index"));
        for (path, needle) in [
            (
                "/en/life-events/LE-DEATH",
                "Online medical death certificate",
            ),
            ("/en/rounds", "2014-H2"),
            ("/en/rounds/2015-H1", "Score by life event"),
            ("/ru/rounds/2015-H1", "Раунд мониторинга 2015-H1"),
            ("/az/rounds/2015-H1", "monitorinq raundu"),
            ("/en/services/SRV-0008", "Stage in each round"),
            ("/en/organisations/ORG-MLSPP", "format=csv"),
        ] {
            let a = t.get(path).await;
            assert_eq!(a.status, StatusCode::OK, "{}: {path}", t.name);
            assert!(a.body.contains(needle), "{path} lacks {needle:?}");
        }
        let round = t.get("/en/rounds/2015-H1").await;
        assert!(round.body.contains("<svg") && round.body.contains("<title"));
        let svc = t.get("/en/services/SRV-0008").await;
        assert!(svc.body.contains("Answers and evidence in round 2015-H1"));
        let sys = t.json("/api/v1/information-systems").await;
        let code = codes(&sys)[0].clone();
        let a = t.get(&format!("/en/systems/{code}")).await;
        assert_eq!(a.status, StatusCode::OK);
        let ds = t.json("/api/v1/datasets").await;
        let code = codes(&ds)[0].clone();
        assert_eq!(
            t.get(&format!("/en/datasets/{code}")).await.status,
            StatusCode::OK
        );
        // Every table of a page downloads from the page itself, as the page shows it.
        let svc = t.get("/en/services/SRV-0008").await;
        for id in ["t-rounds", "t-channels", "t-evidence", "t-history"] {
            assert!(
                svc.body.contains(&format!("table={id}&amp;format=csv")),
                "{id}"
            );
        }
        let csv = t
            .get("/en/services/SRV-0008?table=t-channels&format=csv")
            .await;
        assert_eq!(csv.status, StatusCode::OK, "{}", t.name);
        assert!(
            csv.body.starts_with("Type,Address,Offers online,Status\n"),
            "{}",
            csv.body
        );
        assert!(csv.body.contains("https://www.health.gov.az/"));
        let json = t
            .json("/az/rounds/2015-H1?table=t-stages&format=json")
            .await;
        assert!(!json["data"].as_array().expect("rows").is_empty());
        let gaps = t.get("/en/gaps?table=t-investments&format=csv").await;
        assert_eq!(gaps.status, StatusCode::OK);
        assert_eq!(
            t.get("/en/services/SRV-0008?table=t-nothing").await.status,
            StatusCode::NOT_FOUND
        );

        // Every table a page offers gives, as a download, the rows the page shows: on every
        // kind of page with tables, in each language.
        let (sys, ds, le) = (
            codes(&t.json("/api/v1/information-systems").await)[0].clone(),
            codes(&t.json("/api/v1/datasets").await)[0].clone(),
            codes(&t.json("/api/v1/life-events").await)[0].clone(),
        );
        let rounds = codes(&t.json("/api/v1/rounds").await);
        let mut checked = 0;
        for lang in ["az", "en", "ru"] {
            for path in rounds.iter().map(|r| format!("/rounds/{r}")).chain([
                "/services/SRV-0008".to_string(),
                "/rounds".into(),
                "/gaps".into(),
                "/services?organisation=ORG-MOE".into(),
                "/systems".into(),
                format!("/systems/{sys}"),
                format!("/datasets/{ds}"),
                format!("/life-events/{le}"),
            ]) {
                let address = format!("/{lang}{path}");
                let page = t.get(&address).await;
                assert_eq!(page.status, StatusCode::OK, "{address}");
                for id in crate::page_tables::offered(&page.body) {
                    let shown = crate::page_tables::shown(&page.body, &id)
                        .unwrap_or_else(|| panic!("{address} offers {id} but has no such table"));
                    let sep = if address.contains('?') { '&' } else { '?' };
                    let got = t
                        .json(&format!("{address}{sep}table={id}&format=json"))
                        .await;
                    let rows = got["data"].as_array().expect("rows");
                    assert_eq!(rows.len(), shown.rows.len(), "{address} {id}: rows");
                    for (row, cells) in rows.iter().zip(&shown.rows) {
                        let row = row.as_object().expect("a row is an object");
                        // A column without a title downloads as `column N`.
                        let titles: Vec<String> = (0..cells.len())
                            .map(|i| match shown.head.get(i) {
                                Some(h) if !h.is_empty() => h.clone(),
                                _ => format!("column {}", i + 1),
                            })
                            .collect();
                        assert_eq!(
                            row.keys().collect::<Vec<_>>(),
                            titles.iter().collect::<Vec<_>>(),
                            "{address} {id}"
                        );
                        for (value, cell) in row.values().zip(cells) {
                            let value = value.as_str().unwrap_or_default();
                            assert_eq!(
                                crate::page_tables::as_read(value),
                                crate::page_tables::as_read(cell),
                                "{address} {id}"
                            );
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 40, "only {checked} tables were offered");

        let report = t.get("/en/rounds/2015-H1/report.md").await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(report.body.contains("E-registration with kindergartens"));
        // The charts the Markdown names beside itself are there.
        let charts: Vec<&str> = report
            .body
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
            .filter(|target| target.ends_with(".svg"))
            .collect();
        assert!(charts.len() >= 2, "{charts:?}");
        for chart in charts {
            let svg = t.get(&format!("/en/rounds/2015-H1/{chart}")).await;
            assert_eq!(svg.status, StatusCode::OK, "{chart}");
            assert_eq!(svg.headers["content-type"], "image/svg+xml", "{chart}");
            assert!(svg.body.starts_with("<svg"), "{chart}");
        }
        for missing in ["report.exe", "progress-report-2015-H1-en-nope.svg"] {
            assert_eq!(
                t.get(&format!("/en/rounds/2015-H1/{missing}")).await.status,
                StatusCode::NOT_FOUND,
                "{missing}"
            );
        }
    }
}

#[tokio::test]
async fn synthetic_country_is_served_the_same_way() {
    for t in TestApp::synth("synthetic_country_is_served_the_same_way") {
        let all = t.json("/api/v1/services?limit=1000").await;
        assert_eq!(all["meta"]["total"], 500, "{}", t.name);
        let le = all["data"][0]["life_events"][0]
            .as_str()
            .expect("le")
            .to_string();
        let some = t
            .json(&format!(
                "/api/v1/services?life_event={le}&limit=50&sort=-score"
            ))
            .await;
        assert!(!some["data"].as_array().expect("data").is_empty());
        let rounds = t.json("/api/v1/rounds").await;
        // The EU rounds but the latest (still open) and the stages round are published.
        assert_eq!(rounds["meta"]["total"], 2, "{}", t.name);
        for r in codes(&rounds) {
            let groups = t.json(&format!("/api/v1/rounds/{r}/life-events")).await;
            assert!(!groups["data"].as_array().expect("data").is_empty(), "{r}");
            let page = t.get(&format!("/az/rounds/{r}")).await;
            assert_eq!(page.status, StatusCode::OK);
        }
        // Names in three languages, found with and without Azerbaijani letters.
        let name = all["data"][0]["name"]["az"]
            .as_str()
            .expect("az")
            .to_string();
        let word = name.split_whitespace().next().expect("word").to_string();
        let folded = egovwatch_domain::fold_az(&word);
        let a = t
            .json(&format!("/api/v1/search?q={}", urlencode(&word)))
            .await;
        let b = t
            .json(&format!("/api/v1/search?q={}", urlencode(&folded)))
            .await;
        assert!(a["meta"]["total"].as_u64().expect("n") > 0);
        assert_eq!(a["meta"]["total"], b["meta"]["total"], "{word} / {folded}");
        for path in ["/en/", "/ru/", "/az/search?q=arayis"] {
            assert_eq!(t.get(path).await.status, StatusCode::OK, "{path}");
        }
        let code = codes(&all)[7].clone();
        assert_eq!(
            t.get(&format!("/en/services/{code}")).await.status,
            StatusCode::OK
        );
        // Long lists of a page come in pages of 100, linked to each other.
        let systems = t.json("/api/v1/information-systems").await;
        let mut busiest = (0, String::new());
        for c in codes(&systems) {
            let system = t.json(&format!("/api/v1/information-systems/{c}")).await;
            let n = system["services"]["total"].as_u64().expect("total") as usize;
            // The system's services are the API's services list filtered to it, paged.
            let href = system["services"]["href"].as_str().expect("href");
            let listed = t.json(&format!("{href}&limit=1")).await;
            assert_eq!(listed["meta"]["total"], n, "{}: {href}", t.name);
            busiest = busiest.max((n, c));
        }
        let sys = busiest.1;
        // One dataset's services, alone or with its system; with another system, none.
        let held = t.json(&format!("/api/v1/information-systems/{sys}")).await["datasets"][0]
            .as_str()
            .expect("a dataset")
            .to_string();
        let dataset = t.json(&format!("/api/v1/datasets/{held}")).await;
        let n = &dataset["services"]["total"];
        let other = codes(&systems)
            .into_iter()
            .find(|c| *c != sys)
            .expect("another system");
        for (q, want) in [
            (format!("dataset={held}"), n.clone()),
            (format!("system={sys}&dataset={held}"), n.clone()),
            (format!("system={other}&dataset={held}"), 0.into()),
        ] {
            let listed = t.json(&format!("/api/v1/services?{q}&limit=1")).await;
            assert_eq!(listed["meta"]["total"], want, "{}: {q}", t.name);
        }
        let unknown = t.get("/api/v1/services?system=NO-SUCH").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
        let first = t.get(&format!("/en/systems/{sys}")).await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(
            first.body.contains("rel=\"next\""),
            "{}: {sys} has {} services",
            t.name,
            busiest.0
        );
        let second = t.get(&format!("/en/systems/{sys}?page=2")).await;
        assert!(second.body.contains("rel=\"prev\""), "{}", t.name);
        let le_page = t.get(&format!("/en/life-events/{le}?page=2")).await;
        assert_eq!(le_page.status, StatusCode::OK);
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_change_in_the_store_shows_after_the_snapshot_refreshes() {
    use egovwatch_domain::Lang;
    for t in TestApp::demo("a_change_in_the_store_shows_after_the_snapshot_refreshes") {
        let before = t.get("/en/services/SRV-0001").await;
        assert!(before.body.contains("E-registration with kindergartens"));
        let tag = before.headers["etag"].clone();
        let store = t._db.store();
        let mut name = store
            .registry()
            .expect("load")
            .service("SRV-0001")
            .expect("service")
            .name
            .clone();
        name.set(Lang::En, "Kindergarten enrolment online");
        rename_service(&store, "SRV-0001", name, "renamed");
        // The next reads after a second start the check; the new snapshot then answers, with
        // a new ETag, and the kept answers of the old one are gone with it.
        let mut seen = false;
        for _ in 0..60 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let now = t.get("/en/services/SRV-0001").await;
            if now.body.contains("Kindergarten enrolment online") {
                assert_ne!(now.headers["etag"], tag, "{}", t.name);
                let api = t.json("/api/v1/services/SRV-0001").await;
                assert_eq!(api["name"]["en"], "Kindergarten enrolment online");
                seen = true;
                break;
            }
        }
        assert!(seen, "{}: the change never showed", t.name);
    }
}

/// A service's evidence is written as JSON once per snapshot; a new snapshot writes it again,
/// so a renamed dataset shows in the answer of every service it supplies.
#[tokio::test]
async fn a_renamed_supplier_shows_in_every_service_it_supplies() {
    use egovwatch_domain::Lang;
    for t in TestApp::demo("a_renamed_supplier_shows_in_every_service_it_supplies") {
        let services = t.json("/api/v1/services?limit=1000").await;
        let mut supplied = Vec::new();
        let mut dataset = None;
        for s in services["data"].as_array().expect("services") {
            let code = s["code"].as_str().expect("code");
            let one = t.json(&format!("/api/v1/services/{code}")).await;
            let codes: Vec<String> = one["evidence"]
                .as_array()
                .expect("evidence")
                .iter()
                .flat_map(|e| e["suppliers"].as_array().cloned().unwrap_or_default())
                .filter_map(|d| d["dataset"].as_str().map(str::to_string))
                .collect();
            let d = dataset.get_or_insert_with(|| codes.first().cloned());
            if let Some(d) = d
                && codes.contains(d)
            {
                supplied.push(code.to_string());
            }
        }
        let dataset = dataset
            .flatten()
            .expect("a service with a supplied dataset");
        assert!(supplied.len() >= 2, "{}: {supplied:?}", t.name);
        let store = t._db.store();
        let mut d = store
            .registry()
            .expect("load")
            .datasets
            .into_iter()
            .find(|x| x.code.as_str() == dataset)
            .expect("dataset");
        d.name.set(Lang::En, "Renamed register extract");
        let reg = egovwatch_domain::Registry {
            datasets: vec![d].into(),
            ..egovwatch_domain::Registry::default()
        };
        store.import(&reg, &meta("renamed")).expect("import");
        let names = |answer: &Value| -> Vec<String> {
            answer["evidence"]
                .as_array()
                .expect("evidence")
                .iter()
                .flat_map(|e| e["suppliers"].as_array().cloned().unwrap_or_default())
                .filter(|s| s["dataset"] == dataset.as_str())
                .filter_map(|s| s["dataset_name"]["en"].as_str().map(str::to_string))
                .collect()
        };
        let mut seen = false;
        for _ in 0..60 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let first = t.json(&format!("/api/v1/services/{}", supplied[0])).await;
            if names(&first)
                .iter()
                .all(|n| n == "Renamed register extract")
            {
                for code in &supplied {
                    let answer = t.json(&format!("/api/v1/services/{code}")).await;
                    let shown = names(&answer);
                    assert!(!shown.is_empty(), "{}: {code}", t.name);
                    assert!(
                        shown.iter().all(|n| n == "Renamed register extract"),
                        "{}: {code} shows {shown:?}",
                        t.name
                    );
                }
                seen = true;
                break;
            }
        }
        assert!(seen, "{}: the new name never showed", t.name);
    }
}

/// Every result of a search is reachable: the API pages through them with its cursor (pages
/// of any size giving the same ranking), the search page a hundred at a time.
#[tokio::test]
async fn a_search_pages_through_every_result() {
    for t in TestApp::synth("a_search_pages_through_every_result") {
        let ranked =
            |limit: usize| {
                let t = &t;
                async move {
                    let mut codes = Vec::new();
                    let mut next = format!("/api/v1/search?q=for&limit={limit}");
                    let mut total;
                    loop {
                        let page = t.json(&next).await;
                        total = page["meta"]["total"].as_u64().expect("total") as usize;
                        let data = page["data"].as_array().expect("data");
                        assert!(data.len() <= limit, "{}: {next}", t.name);
                        codes.extend(data.iter().map(|h| {
                            format!("{}/{}", h["kind"].as_str().expect("kind"), h["code"])
                        }));
                        match page["links"]["next"].as_str() {
                            Some(n) => {
                                assert_eq!(
                                    page["meta"]["next_cursor"].as_str(),
                                    n.split("cursor=").nth(1),
                                    "{}",
                                    t.name
                                );
                                next = n.to_string();
                            }
                            None => break,
                        }
                    }
                    (codes, total)
                }
            };
        let (by_50, total) = ranked(50).await;
        assert!(total > 100, "{}: {total} found", t.name);
        assert_eq!(by_50.len(), total, "{}: every result once", t.name);
        let distinct: std::collections::HashSet<&String> = by_50.iter().collect();
        assert_eq!(distinct.len(), total, "{}", t.name);
        let (by_37, _) = ranked(37).await;
        assert_eq!(
            by_37, by_50,
            "{}: the same ranking whatever the page",
            t.name
        );
        // The search page: a hundred a page, numbered on, with a pager.
        let first = t.get("/en/search?q=for").await.body;
        let pages = total.div_ceil(100);
        assert!(
            first.contains(&format!("<span>Page 1 of {pages}</span>"))
                && first.contains("href=\"/en/search?q=for&#38;page=2\" rel=\"next\""),
            "{}: {first}",
            t.name
        );
        let second = t.get("/en/search?q=for&page=2").await.body;
        assert!(
            second.contains("<ol class=\"results\" start=\"101\">"),
            "{}",
            t.name
        );
        assert!(
            second.contains(&format!("{total} results. Page 2 of {pages}</p>")),
            "{}: the count says which page this is",
            t.name
        );
        let hrefs = |body: &str| -> Vec<String> {
            let list = body.split("<ol class=\"results\"").nth(1).expect("results");
            let list = list.split("</ol>").next().expect("list");
            list.split("<span class=\"code\">")
                .skip(1)
                .map(|c| c.split('<').next().expect("code").to_string())
                .collect()
        };
        let shown = hrefs(&second);
        assert_eq!(shown.len(), 100.min(total - 100), "{}", t.name);
        let api: Vec<String> = by_50[100..100 + shown.len()]
            .iter()
            .map(|c| {
                c.split('/')
                    .nth(1)
                    .expect("code")
                    .trim_matches('"')
                    .to_string()
            })
            .collect();
        assert_eq!(shown, api, "{}: the page and the API rank alike", t.name);
        // A page past the last shows the last; a cursor the API did not give is refused.
        let past = t.get("/en/search?q=for&page=100000").await.body;
        assert!(
            past.contains(&format!("<span>Page {pages} of {pages}</span>")),
            "{}",
            t.name
        );
        let bad = t.get("/api/v1/search?q=for&cursor=zz").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", t.name);
    }
}

/// A service edited many times: its page lists the latest twenty revisions and says how many
/// there are, the API pages through every one, newest first.
#[tokio::test]
async fn a_service_s_revisions_are_paged() {
    for t in TestApp::demo("a_service_s_revisions_are_paged") {
        let store = t._db.store();
        let service = |reg: egovwatch_domain::Registry| {
            reg.services
                .into_iter()
                .find(|x| x.code.as_str() == "SRV-0008")
                .expect("service")
        };
        let before = t.json("/api/v1/services/SRV-0008/history?limit=1").await;
        let first = before["meta"]["total"].as_u64().expect("total") as usize;
        for i in 0..24 {
            let mut s = service(store.registry().expect("load"));
            s.name
                .set(egovwatch_domain::Lang::En, format!("Edited {i}"));
            let reg = egovwatch_domain::Registry {
                services: vec![s].into(),
                ..egovwatch_domain::Registry::default()
            };
            store.import(&reg, &meta("edited")).expect("import");
        }
        let total = first + 24;
        let mut versions = Vec::new();
        let mut next = "/api/v1/services/SRV-0008/history?limit=7".to_string();
        loop {
            let page = t.json(&next).await;
            assert_eq!(page["meta"]["total"], total, "{}", t.name);
            let data = page["data"].as_array().expect("data");
            assert!(data.len() <= 7, "{}", t.name);
            versions.extend(data.iter().map(|r| r["version"].as_i64().expect("version")));
            match page["links"]["next"].as_str() {
                Some(n) => next = n.to_string(),
                None => break,
            }
        }
        assert_eq!(versions.len(), total, "{}", t.name);
        assert!(
            versions.windows(2).all(|w| w[0] > w[1]),
            "{}: {versions:?}",
            t.name
        );
        let newest = t.json("/api/v1/services/SRV-0008/history?limit=1").await;
        assert_eq!(
            newest["data"][0]["record"]["name"]["en"], "Edited 23",
            "{}",
            t.name
        );
        let page = t.get("/en/services/SRV-0008").await.body;
        let table = page
            .split("<table id=\"t-history\"")
            .nth(1)
            .and_then(|x| x.split("</table>").next())
            .expect("history");
        assert_eq!(table.matches("<tr><td>").count(), 20, "{}", t.name);
        assert!(
            page.contains(&format!("The latest 20 of {total} versions are listed"))
                && page
                    .contains("<a href=\"/api/v1/services/SRV-0008/history?limit=1000\">JSON</a>"),
            "{}",
            t.name
        );
    }
}

/// In a registry of many countries every country's rounds score a life event: its record and
/// page give the latest twenty and say how many there are; its own list gives every one, a
/// page at a time, oldest first.
#[tokio::test]
async fn a_life_event_s_scores_in_every_round_are_paged() {
    let test = "a_life_event_s_scores_in_every_round_are_paged";
    for t in TestApp::synth_of(test, ["11", "12", "2"]) {
        let rounds = t.json("/api/v1/rounds?limit=1000").await;
        let published = rounds["meta"]["total"].as_u64().expect("total") as usize;
        assert!(published > 20, "{}: {published} rounds", t.name);
        let events = t.json("/api/v1/life-events").await;
        let code = events["data"][0]["code"].as_str().expect("a life event");
        let record = t.json(&format!("/api/v1/life-events/{code}")).await;
        assert_eq!(record["rounds_total"], published, "{}", t.name);
        let latest = record["rounds"].as_array().expect("rounds");
        assert_eq!(latest.len(), 20, "{}", t.name);
        let mut all = Vec::new();
        let mut next = record["rounds_all"]
            .as_str()
            .expect("where all are")
            .to_string()
            + "?limit=7";
        loop {
            let page = t.json(&next).await;
            assert_eq!(page["meta"]["total"], published, "{}", t.name);
            all.extend(page["data"].as_array().expect("data").iter().cloned());
            match page["links"]["next"].as_str() {
                Some(n) => next = n.to_string(),
                None => break,
            }
        }
        assert_eq!(all.len(), published, "{}", t.name);
        assert_eq!(
            &all[published - 20..],
            &latest[..],
            "{}: the latest, in order",
            t.name
        );
        let body = t.get(&format!("/en/life-events/{code}")).await.body;
        let table = body
            .split("<table id=\"t-rounds\"")
            .nth(1)
            .and_then(|x| x.split("</table>").next())
            .expect("the rounds");
        let scored = latest.iter().filter(|r| !r["score"].is_null()).count();
        assert_eq!(table.matches("<tr><td>").count(), scored, "{}", t.name);
        assert!(
            body.contains(&format!(
                "The latest 20 of {published} published rounds are listed; every one:"
            )) && body.contains(&format!(
                "href=\"/api/v1/life-events/{code}/rounds?limit=1000\""
            )),
            "{}",
            t.name
        );
    }
}

/// An organisation with more units and systems than a record names, a system with more
/// datasets, a dataset with more exchange links: the answers and pages name the first
/// hundred, count them all and link to their paged lists, which give every one.
#[tokio::test]
async fn a_record_names_the_first_hundred_of_its_records_and_counts_them_all() {
    use egovwatch_domain::Code;
    let test = "a_record_names_the_first_hundred_of_its_records_and_counts_them_all";
    for t in TestApp::demo(test) {
        let store = t._db.store();
        let reg = store.registry().expect("registry");
        let org = reg.organisations[0].clone();
        let system = reg.information_systems[0].clone();
        let dataset = reg.datasets[0].clone();
        let link = reg.exchange_links[0].clone();
        let code = |prefix: &str, i: usize| Code::parse(&format!("{prefix}-{i:03}")).expect("code");
        let mut added = egovwatch_domain::Registry::default();
        let (mut units, mut systems, mut datasets, mut links) = (vec![], vec![], vec![], vec![]);
        for i in 0..103 {
            let mut o = org.clone();
            o.code = code("UNIT", i);
            o.parent = Some(org.code.clone());
            units.push(o);
            let mut s = system.clone();
            s.code = code("SYS", i);
            s.owner = org.code.clone();
            systems.push(s);
            let mut d = dataset.clone();
            d.code = code("DS", i);
            d.system = system.code.clone();
            datasets.push(d);
            let mut l = link.clone();
            l.code = code("XL", i);
            l.source_dataset = Some(dataset.code.clone());
            links.push(l);
        }
        added.organisations = units.into();
        added.information_systems = systems.into();
        added.datasets = datasets.into();
        added.exchange_links = links.into();
        store.import(&added, &meta("many")).expect("import");
        let checks = [
            (
                format!("/api/v1/organisations/{}", org.code),
                "children",
                format!("/en/organisations/{}", org.code),
            ),
            (
                format!("/api/v1/organisations/{}", org.code),
                "systems",
                format!("/en/organisations/{}", org.code),
            ),
            (
                format!("/api/v1/information-systems/{}", system.code),
                "datasets",
                format!("/en/systems/{}", system.code),
            ),
            (
                format!("/api/v1/datasets/{}", dataset.code),
                "exchange_links",
                format!("/en/datasets/{}", dataset.code),
            ),
        ];
        for (record, list, page) in checks {
            let answer = t.json(&record).await;
            let total = answer[format!("{list}_total")].as_u64().expect("total") as usize;
            assert!(total >= 103, "{}: {record} {list} {total}", t.name);
            assert_eq!(
                answer[list].as_array().map(Vec::len),
                Some(100),
                "{}: {record}",
                t.name
            );
            let all = answer[format!("{list}_all")]
                .as_str()
                .expect("where all are")
                .to_string();
            let listed = t.json(&format!("{all}&limit=1000")).await;
            assert_eq!(listed["meta"]["total"], total, "{}: {all}", t.name);
            let body = t.get(&page).await.body;
            assert!(
                body.contains(&format!("The first 100 of {total} are listed; every one:"))
                    && body.contains(&format!(
                        "href=\"{}&#38;limit=1000\"",
                        all.replace('&', "&#38;")
                    )),
                "{}: {page} {list}",
                t.name
            );
        }
    }
}

/// The round page lists the services that moved a hundred at a time, and the gaps page its
/// findings fifty at a time: every one on some page, none twice.
#[tokio::test]
async fn a_round_s_moved_services_and_the_findings_are_paged() {
    let test = "a_round_s_moved_services_and_the_findings_are_paged";
    for t in TestApp::synth_of(test, ["1", "1000", "3"]) {
        let rounds = t.json("/api/v1/rounds").await;
        let mut checked = 0;
        let mut movements = Vec::new();
        for round in rounds["data"].as_array().expect("rounds") {
            let code = round["code"].as_str().expect("code");
            let mut moved = 0;
            for m in ["improved", "regressed"] {
                moved += t
                    .json(&format!(
                        "/api/v1/services?round={code}&movement={m}&limit=1"
                    ))
                    .await["meta"]["total"]
                    .as_u64()
                    .expect("total") as usize;
            }
            movements.push((code.to_string(), moved));
            if moved <= 100 {
                continue;
            }
            checked += 1;
            let pages = moved.div_ceil(100);
            let mut seen = std::collections::HashSet::new();
            for p in 1..=pages {
                let body = t.get(&format!("/en/rounds/{code}?page={p}")).await.body;
                let table = body
                    .split("<table id=\"t-moved\"")
                    .nth(1)
                    .and_then(|x| x.split("</table>").next())
                    .expect("the moved services");
                let rows = table.matches("<tr><td>").count();
                assert_eq!(rows, 100.min(moved - (p - 1) * 100), "{}: page {p}", t.name);
                seen.extend(
                    table
                        .split("<a href=\"")
                        .skip(1)
                        .map(|a| a.split('"').next().expect("href").to_string()),
                );
                assert!(
                    body.contains(&format!("<span>Page {p} of {pages}</span>")),
                    "{}: page {p}",
                    t.name
                );
            }
            assert_eq!(seen.len(), moved, "{}: {code}", t.name);
        }
        assert!(checked > 0, "{}: moved {movements:?}", t.name);
        let findings = t.json("/api/v1/gaps").await["totals"]["findings"]
            .as_u64()
            .expect("findings") as usize;
        let listed = |body: &str| {
            body.split("<h2 id=\"findings\">")
                .nth(1)
                .and_then(|x| x.split("</ul>").next())
                .map_or(0, |x| x.matches("<li>").count())
        };
        let pages = findings.div_ceil(50).max(1);
        let mut all = 0;
        for p in 1..=pages {
            let body = t.get(&format!("/en/gaps?findings={p}")).await.body;
            let n = listed(&body);
            assert!(n <= 50, "{}: {n} findings on page {p}", t.name);
            all += n;
        }
        assert_eq!(all, findings, "{}: every finding on some page", t.name);
    }
}

/// A round with more services stuck at information than a page names (`pages::MAX_NAMED`):
/// the home page and the round's page name the first ones, give the whole count, and link
/// every one by stage; the links lead to as many services as they say.
#[tokio::test]
async fn a_large_round_s_findings_name_some_and_link_the_rest_by_stage() {
    for t in TestApp::synth("a_large_round_s_findings_name_some_and_link_the_rest_by_stage") {
        let current = t.json("/api/v1/gaps").await["round"]
            .as_str()
            .expect("current round")
            .to_string();
        let mut stuck = 0;
        for stage in [0, 1] {
            stuck += t
                .json(&format!(
                    "/api/v1/services?round={current}&stage={stage}&limit=1"
                ))
                .await["meta"]["total"]
                .as_u64()
                .expect("total");
        }
        assert!(stuck > 100, "{}: {stuck} services stuck", t.name);
        // Every service of the round downloads whole: the report's data table.
        let round_page = t.get(&format!("/en/rounds/{current}")).await.body;
        let every = format!("/en/rounds/{current}/report.csv");
        assert!(round_page.contains(&format!("<a href=\"{every}\" download>CSV</a>")));
        let csv = t.get(&every).await.body;
        assert_eq!(
            csv.lines().count(),
            501,
            "{}: a header and 500 services",
            t.name
        );
        for page in ["/en/".to_string(), format!("/en/rounds/{current}")] {
            let body = t.get(&page).await.body;
            let list = body
                .split("<ul class=\"stuck\"")
                .nth(1)
                .and_then(|l| l.split("</ul>").next())
                .expect("the list");
            assert_eq!(list.matches("<li>").count(), 100, "{}: {page}", t.name);
            assert!(
                body.contains(&format!("({stuck})")),
                "{}: {page} gives the whole count",
                t.name
            );
            assert!(
                body.contains("The first 100 are named here; every one, by stage:"),
                "{}: {page}",
                t.name
            );
            let more = body
                .split("<p class=\"more\">")
                .nth(1)
                .and_then(|l| l.split("</p>").next())
                .expect("the rest");
            let mut linked = 0;
            for link in more.split("<a href=\"").skip(1) {
                let href = link.split('"').next().expect("href").replace("&amp;", "&");
                let said: u64 = link
                    .split(" · ")
                    .nth(1)
                    .and_then(|s| s.split(' ').next())
                    .and_then(|n| n.parse().ok())
                    .expect("a count");
                linked += said;
                let there = t.get(&href).await;
                assert_eq!(there.status, StatusCode::OK, "{}: {href}", t.name);
                assert!(
                    there.body.contains(&format!("{said} of 500")),
                    "{}: {href} shows {said} services",
                    t.name
                );
            }
            assert_eq!(linked, stuck, "{}: {page}", t.name);
        }
    }
}
