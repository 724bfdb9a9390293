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
        "Since round 2014-H2: 4 services improved",
        "base registries are not yet digitised",
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
}
