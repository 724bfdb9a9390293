//! A process that holds no snapshot yet answers the list of services from the store with
//! indexed queries: the same answer, byte for byte, as its snapshot gives once read, on the
//! demo, the Commission's workbook and a synthetic registry of several countries.

use crate::support::*;
use egovwatch_web::snapshot::Seed;
use egovwatch_web::{Limits, build, direct, i18n};
use http_body_util::BodyExt;

const WORKBOOK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/eu-egbr-2023/egbr-2023-final-results-AT-MT-NO.xlsx"
);

/// (status, content type, body) of an answer.
async fn seen(resp: axum::response::Response) -> (u16, String, String) {
    let status = resp.status().as_u16();
    let kind = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = resp.into_body().collect().await.expect("body").to_bytes();
    (status, kind, String::from_utf8_lossy(&body).into_owned())
}

fn content_type(a: &Answer) -> String {
    a.headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Every query the store answers directly, checked against the snapshot's answer.
async fn check(db: &TestDb, data: &str) {
    let store = db.store();
    let (app, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
    // The first request of a fresh process is answered from the store.
    let first = request(&app, "/api/v1/services?limit=3", &[]).await;
    assert_eq!(first.status, 200, "{}/{data}: {}", db.name, first.body);
    assert_eq!(shared.direct_answers(), 1, "{}/{data}", db.name);
    shared.get().expect("snapshot");

    // Ready once it holds the site's data: a proxy waits for it.
    let (other, other_shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
    let starting = request(&other, "/readyz", &[]).await;
    assert_eq!(
        (starting.status.as_u16(), starting.body.as_str()),
        (503, "starting")
    );
    assert_eq!(starting.headers["retry-after"], "1");
    other_shared.get().expect("snapshot");
    let ready = request(&other, "/readyz", &[]).await;
    assert_eq!((ready.status.as_u16(), ready.body.as_str()), (200, "ready"));

    let rounds = request(&app, "/api/v1/rounds?limit=1000", &[]).await.json();
    let mut queries: Vec<String> = vec![
        String::new(),
        "limit=1".into(),
        "limit=1000".into(),
        "limit=4&format=csv".into(),
        "lang=ru&limit=2".into(),
        "round=NO-SUCH-ROUND".into(),
        "cursor=zz".into(),
        format!(
            "cursor={}",
            egovwatch_web::api::cursor_of("NO-SUCH-SERVICE")
        ),
    ];
    // Filters the store answers: life events, organisations (each with and without the
    // other, paged by the cursors the answers give), statuses, and codes it does not have.
    let codes = |list: serde_json::Value| -> Vec<String> {
        list["data"]
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|x| x["code"].as_str().map(str::to_string))
            .collect()
    };
    let life_events = codes(
        request(&app, "/api/v1/life-events?limit=4", &[])
            .await
            .json(),
    );
    let organisations = codes(
        request(&app, "/api/v1/organisations?limit=4", &[])
            .await
            .json(),
    );
    assert!(
        !life_events.is_empty() && !organisations.is_empty(),
        "{}/{data}",
        db.name
    );
    let mut filters: Vec<String> = vec![
        "status=active".into(),
        "status=withdrawn&limit=3".into(),
        "status=nonsense".into(),
        "life_event=NO-SUCH-EVENT".into(),
        "organisation=NO-SUCH-ORG".into(),
        format!("life_event={}&organisation=NO-SUCH-ORG", life_events[0]),
        format!("life_event=NO-SUCH-EVENT&organisation={}", organisations[0]),
    ];
    for le in &life_events {
        filters.push(format!("life_event={le}&limit=3"));
        filters.push(format!(
            "life_event={le}&organisation={}&status=active",
            organisations[0]
        ));
    }
    for o in &organisations {
        filters.push(format!("organisation={o}&limit=5"));
    }
    for f in filters {
        let mut next = Some(format!("/api/v1/services?{f}"));
        while let Some(at) = next.take() {
            queries.push(
                at.split_once('?')
                    .map(|(_, q)| q.to_string())
                    .unwrap_or_default(),
            );
            let warm = request(&app, &at, &[]).await;
            if warm.status == 200 {
                next = warm.json()["links"]["next"].as_str().map(str::to_string);
            }
        }
    }
    // A cursor at a service the filter leaves out.
    let everyone = request(&app, "/api/v1/services?limit=1000", &[])
        .await
        .json();
    let outside = everyone["data"]
        .as_array()
        .expect("services")
        .iter()
        .find(|x| {
            x["life_events"]
                .as_array()
                .is_some_and(|l| !l.iter().any(|c| c == &life_events[0]))
        })
        .and_then(|x| x["code"].as_str().map(str::to_string));
    if let Some(code) = outside {
        queries.push(format!(
            "life_event={}&cursor={}",
            life_events[0],
            egovwatch_web::api::cursor_of(&code)
        ));
    }
    for r in rounds["data"].as_array().expect("rounds") {
        if r["state"] == "published" {
            let code = r["code"].as_str().expect("code");
            queries.push(format!("round={code}&limit=1000"));
        }
    }
    // Every page of the list, seven at a time, by the cursors the answers give.
    let mut next = Some("/api/v1/services?limit=7".to_string());
    let mut pages = 0;
    while let Some(at) = next.take() {
        queries.push(
            at.split_once('?')
                .map(|(_, q)| q.to_string())
                .unwrap_or_default(),
        );
        let warm = request(&app, &at, &[]).await.json();
        next = warm["links"]["next"].as_str().map(str::to_string);
        pages += 1;
    }
    assert!(pages > 1, "{}/{data}: one page only", db.name);

    for q in &queries {
        let direct = direct::services_from_store(&store, Some(q))
            .unwrap_or_else(|| panic!("{}/{data}: ?{q} not answered from the store", db.name));
        let (status, kind, body) = seen(direct).await;
        let warm = request(&app, &format!("/api/v1/services?{q}"), &[]).await;
        assert_eq!(
            (status, kind.as_str()),
            (warm.status.as_u16(), content_type(&warm).as_str()),
            "{}/{data}: ?{q}: {body}",
            db.name
        );
        assert_eq!(body, warm.body, "{}/{data}: ?{q}", db.name);
    }
    // A filter or a sort the store does not answer directly waits for the snapshot.
    for q in [
        "sort=name",
        "movement=improved",
        "stage=2",
        "life_event=LE-X&sort=-code",
    ] {
        assert!(
            direct::services_from_store(&store, Some(q)).is_none(),
            "{}: ?{q}",
            db.name
        );
    }
    assert_eq!(shared.direct_answers(), 1, "{}/{data}", db.name);
}

#[tokio::test]
async fn a_new_process_answers_services_from_the_store_as_its_snapshot_will() {
    let test = "a_new_process_answers_services_from_the_store_as_its_snapshot_will";
    for db in backends(test) {
        run_demo(&db);
        check(&db, "demo").await;
    }
    for db in backends(test) {
        let (ok, out) = run_bin(&["import", "eu-benchmark", WORKBOOK, "--db", &db.url]);
        assert!(ok, "{}: {out}", db.name);
        check(&db, "workbook").await;
    }
    for db in backends(test) {
        synth_into(&db, ["3", "40", "2"]);
        check(&db, "synthetic").await;
    }
}

/// The list of published rounds asked first of a fresh process is read from the store, the
/// snapshot's answer byte for byte (each round with the one before it in its series, its index
/// then, and how many services it assessed), every page, on one framework, as CSV; unless a
/// round covers every service, when it waits for the snapshot.
#[tokio::test]
async fn the_list_of_rounds_is_read_from_the_store_as_from_the_whole() {
    let test = "the_list_of_rounds_is_read_from_the_store_as_from_the_whole";
    let mut alone_somewhere = false;
    for (data, db) in (backends(test).into_iter().map(|db| ("demo", db)))
        .chain(backends(test).into_iter().map(|db| ("workbook", db)))
        .chain(backends(test).into_iter().map(|db| ("synthetic", db)))
    {
        match data {
            "demo" => drop(run_demo(&db)),
            "workbook" => {
                let (ok, out) = run_bin(&["import", "eu-benchmark", WORKBOOK, "--db", &db.url]);
                assert!(ok, "{}: {out}", db.name);
            }
            _ => synth_into(&db, ["4", "12", "3"]),
        }
        let store = db.store();
        let alone = !store.published_rounds_leads().expect("leads").covers_every;
        alone_somewhere |= alone;
        let (app, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
        shared.get().expect("snapshot");
        let all = request(&app, "/api/v1/rounds?limit=1000", &[]).await.json();
        let framework = all["data"][0]["framework"]
            .as_str()
            .expect("a round")
            .to_string();
        assert!(
            all["data"]
                .as_array()
                .expect("rounds")
                .iter()
                .any(|r| !r["previous"].is_null()),
            "{}/{data}: a round compared with another",
            db.name
        );
        let mut paths = vec![
            "/api/v1/rounds".to_string(),
            format!("/api/v1/rounds?framework={framework}"),
            "/api/v1/rounds?format=csv&lang=ru".to_string(),
        ];
        let mut next = Some("/api/v1/rounds?limit=2".to_string());
        while let Some(path) = next.take() {
            let warm = request(&app, &path, &[]).await;
            next = warm.json()["links"]["next"].as_str().map(str::to_string);
            paths.push(path);
        }
        for path in &paths {
            let warm = request(&app, path, &[]).await;
            assert_eq!(warm.status, 200, "{}/{data}: {path}", db.name);
            as_from_the_whole(&db, &store, path, &warm, alone).await;
        }
        let bad = "/api/v1/rounds?cursor=zz";
        let warm = request(&app, bad, &[]).await;
        assert_eq!(warm.status, 400, "{}/{data}", db.name);
        as_from_the_whole(&db, &store, bad, &warm, false).await;
    }
    assert!(
        alone_somewhere,
        "no data set answered its rounds from the store"
    );
}

/// On a PostgreSQL database whose collation orders text as a language does (ICU `en-US`:
/// punctuation before letters, `_` before `-`), services are still paged in the registry's
/// order of codes, byte by byte, as the snapshot sorts them.
#[tokio::test]
async fn services_are_paged_in_byte_order_whatever_the_database_s_collation() {
    let test = "services_are_paged_in_byte_order_whatever_the_database_s_collation";
    let Some(db) = postgres_with(
        test,
        "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'",
    ) else {
        return;
    };
    let store = demo_store(&db);
    let first = store.registry().expect("registry").services[0].clone();
    let services = ["SRV_A", "SRV-A", "SRVA", "SRV.A", "SRV0A", "SRV_0"]
        .iter()
        .map(|code| {
            let mut s = first.clone();
            s.code = egovwatch_domain::Code::parse(code).expect("code");
            s.channels.clear();
            s
        })
        .collect();
    let more = egovwatch_domain::Registry {
        services,
        ..Default::default()
    };
    store
        .import(&more, &meta("codes with punctuation"))
        .expect("import");
    let (app, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
    shared.get().expect("snapshot");
    let mut next = Some("/api/v1/services?limit=2".to_string());
    let mut order = Vec::new();
    while let Some(at) = next.take() {
        let q = at.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let warm = request(&app, &at, &[]).await;
        let direct = direct::services_from_store(&store, Some(q)).expect("answered");
        let (status, _, body) = seen(direct).await;
        assert_eq!((status, body.as_str()), (200, warm.body.as_str()), "?{q}");
        let page = warm.json();
        order.extend(codes_listed(&page));
        next = page["links"]["next"].as_str().map(str::to_string);
    }
    let mut bytes = order.clone();
    bytes.sort();
    assert_eq!(order, bytes, "codes in byte order");
    assert!(order.iter().any(|c| c == "SRV_A"));
}

/// The codes of the records a page of an API list gives, in its order.
fn codes_listed(page: &serde_json::Value) -> Vec<String> {
    (page["data"].as_array().expect("data").iter())
        .filter_map(|x| x["code"].as_str().map(str::to_string))
        .collect()
}

/// Adds organisation `org` with service `service` of its own to `store`: like the first of
/// each, connected to nothing else (no parent, evidence, outputs or channels).
fn add_apart(store: &egovwatch_store::Store, org: &str, service: &str) {
    let reg = store.registry().expect("registry");
    let code = |code: &str| egovwatch_domain::Code::parse(code).expect("code");
    let apart = egovwatch_domain::Registry {
        organisations: vec![egovwatch_domain::Organisation {
            code: code(org),
            parent: None,
            ..reg.organisations[0].clone()
        }]
        .into(),
        services: vec![egovwatch_domain::Service {
            code: code(service),
            organisations: vec![code(org)],
            evidence: Vec::new(),
            outputs: Vec::new(),
            channels: Vec::new(),
            ..reg.services[0].clone()
        }]
        .into(),
        ..Default::default()
    };
    store
        .import(&apart, &meta("an organisation apart"))
        .expect("import");
}

/// A page of organisations (as of every kind of record but services) made from its part is
/// the page of the whole snapshot in a database whose collation is not byte order: the store
/// pages them in byte order as the registry sorts codes.
#[tokio::test]
async fn records_are_paged_in_byte_order_whatever_the_database_s_collation() {
    let test = "records_are_paged_in_byte_order_whatever_the_database_s_collation";
    let Some(db) = postgres_with(
        test,
        "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'",
    ) else {
        return;
    };
    synth_into(&db, ["7", "12", "2"]);
    let store = db.store();
    let (app, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
    // Organisations with punctuation in their codes, each with a service of its own.
    for code in ["ZZ_A", "ZZ-A", "ZZA", "ZZ.A", "ZZ0A", "ZZ_0"] {
        add_apart(&store, code, &format!("SRV-{code}"));
    }
    shared.get().expect("snapshot");
    let mut next = Some("/api/v1/organisations?limit=2".to_string());
    let mut order = Vec::new();
    let mut alone = 0;
    while let Some(at) = next.take() {
        let warm = request(&app, &at, &[]).await;
        let page = warm.json();
        let listed = codes_listed(&page);
        alone += usize::from(listed.iter().all(|c| c.starts_with("ZZ")));
        as_from_the_whole(&db, &store, &at, &warm, true).await;
        order.extend(listed);
        next = page["links"]["next"].as_str().map(str::to_string);
    }
    let mut bytes = order.clone();
    bytes.sort();
    assert_eq!(order, bytes, "codes in byte order");
    assert!(
        alone >= 2,
        "{alone} pages of organisations from their parts"
    );
}

/// While a process reads its whole snapshot, a service's answer and page are made from the
/// part of the registry connected to the service (its country, in a registry of several), the
/// same answer, byte for byte, as the whole snapshot gives: its rounds, stages and movements,
/// and its place in the current round's gap analysis (named when the current round is its
/// country's, not otherwise).
#[tokio::test]
async fn a_service_is_answered_from_its_part_of_the_registry_as_from_the_whole() {
    let test = "a_service_is_answered_from_its_part_of_the_registry_as_from_the_whole";
    for db in backends(test) {
        synth_into(&db, ["3", "30", "2"]);
        let store = db.store();
        // A fresh process answers a service's page and answer at once, as it will later.
        let (app, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
        let first = [
            request(&app, "/api/v1/services/C002-S00007?lang=ru", &[]).await,
            request(&app, "/az/services/C003-S00011", &[]).await,
        ];
        shared.get().expect("snapshot");
        let later = [
            request(&app, "/api/v1/services/C002-S00007?lang=ru", &[]).await,
            request(&app, "/az/services/C003-S00011", &[]).await,
        ];
        for (a, b) in first.iter().zip(&later) {
            assert_eq!((a.status.as_u16(), &a.body), (200, &b.body), "{}", db.name);
        }
        let whole = shared.get().expect("snapshot");
        let (mut parts, mut named) = (0, 0);
        for s in &whole.reg.services {
            let code = s.code.as_str();
            let part = egovwatch_web::snapshot::Snapshot::of_part(&store, &Seed::service(code))
                .expect("read")
                .unwrap_or_else(|| panic!("{}: {code} not answered from its part", db.name));
            assert_eq!(part.reg.services.len(), 30, "{}: {code}", db.name);
            parts += 1;
            for raw in [None, Some("lang=az"), Some("lang=ru")] {
                let (_, _, direct) =
                    seen(direct::service_from_store(&store, code, raw).expect("answered")).await;
                let path = format!("/api/v1/services/{code}?{}", raw.unwrap_or_default());
                let warm = request(&app, &path, &[]).await;
                assert_eq!(direct, warm.body, "{}: {path}", db.name);
                if raw.is_none()
                    && !warm.json()["blocked_by"]
                        .as_array()
                        .is_none_or(Vec::is_empty)
                {
                    named += 1;
                }
            }
        }
        assert_eq!(parts, 90, "{}", db.name);
        assert!(
            named > 0,
            "{}: no service named in the gap analysis",
            db.name
        );
        assert!(
            direct::service_from_store(&store, "NO-SUCH", None).is_none(),
            "{}",
            db.name
        );
    }
    // A national registry whose rounds cover every service: the whole snapshot answers.
    for db in backends(test) {
        run_demo(&db);
        let store = db.store();
        assert!(
            egovwatch_web::snapshot::Snapshot::of_part(&store, &Seed::service("SRV-0001"))
                .expect("read")
                .is_none()
        );
    }
}

/// Asks `path` first of a fresh process on `store`: answered from a part or not as `alone`
/// says, with `warm`, the whole snapshot's answer, byte for byte. The whole read the fresh
/// process started ends before the next one starts.
async fn as_from_the_whole(
    db: &TestDb,
    store: &egovwatch_store::Store,
    path: &str,
    warm: &Answer,
    alone: bool,
) {
    let (fresh, fresh_shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
    let first = request(&fresh, path, &[]).await;
    assert_eq!(
        fresh_shared.direct_answers(),
        u64::from(alone),
        "{}: {path} answered from a part or not",
        db.name
    );
    assert_eq!(
        (first.status, first.body.as_str()),
        (warm.status, warm.body.as_str()),
        "{}: {path}",
        db.name
    );
    fresh_shared.get().expect("snapshot");
}

/// While a process reads its whole snapshot, every page and answer about one part of the
/// registry (a record's, a round's and its report, the current round's gap analysis) is made
/// from the snapshot of that part, the same answer, byte for byte, as the whole snapshot
/// gives. Each address is asked first of a fresh process, which answers it from the part.
#[tokio::test]
async fn every_answer_about_one_part_is_made_from_that_part_as_from_the_whole() {
    use egovwatch_domain::EntityKind as K;
    let test = "every_answer_about_one_part_is_made_from_that_part_as_from_the_whole";
    for db in backends(test) {
        synth_into(&db, ["3", "12", "2"]);
        let store = db.store();
        let (app, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
        let whole = shared.get().expect("snapshot");
        let reg = &whole.reg;
        let langs = ["en", "az", "ru"];
        // Each address, and whether it is answered from a part: a record connected to no
        // service (an evidence type no service asks for) waits for the whole snapshot.
        let mut paths: Vec<(String, bool)> = Vec::new();
        let lists = [
            ("organisations", "parent", K::Organisation),
            ("information-systems", "owner", K::Organisation),
            ("datasets", "system", K::InformationSystem),
            ("datasets", "supplies", K::EvidenceType),
            ("exchange-links", "source_dataset", K::Dataset),
            ("exchange-links", "target_system", K::InformationSystem),
            ("exchange-links", "target_service", K::Service),
        ];
        let mut record = |api: &str, page: Option<&str>, kind: K, codes: Vec<&str>| {
            for (n, code) in codes.into_iter().enumerate() {
                let part = store.connected_within(&[(kind, code)], usize::MAX);
                let alone = !part.expect("part").expect("any size").services.is_empty();
                paths.push((format!("/api/v1/{api}/{code}"), alone));
                // The lists filtered by the record, from its part too.
                for (list, filter) in lists
                    .iter()
                    .filter(|(_, _, k)| *k == kind)
                    .map(|(l, f, _)| (l, f))
                {
                    paths.push((format!("/api/v1/{list}?{filter}={code}&limit=3"), alone));
                }
                if kind == K::Service {
                    paths.push((
                        format!("/api/v1/services/{code}/assessments?limit=5"),
                        alone,
                    ));
                }
                if let Some(page) = page {
                    paths.push((format!("/{}/{page}/{code}", langs[n % 3]), alone));
                }
            }
        };
        // A dozen records of each kind, from every country, and an evidence type that nothing
        // refers to.
        fn sample(all: Vec<&str>) -> Vec<&str> {
            let step = (all.len() / 12).max(1);
            all.into_iter().step_by(step).collect()
        }
        let named: std::collections::HashSet<&str> = (reg.services.iter())
            .flat_map(|s| &s.evidence)
            .chain(reg.datasets.iter().flat_map(|d| &d.supplies))
            .chain(reg.outputs.iter().filter_map(|o| o.evidence_type.as_ref()))
            .map(|c| c.as_str())
            .collect();
        let codes = |kind: K| -> Vec<&str> {
            match kind {
                K::Organisation => {
                    sample(reg.organisations.iter().map(|r| r.code.as_str()).collect())
                }
                K::InformationSystem => sample(
                    reg.information_systems
                        .iter()
                        .map(|r| r.code.as_str())
                        .collect(),
                ),
                K::Dataset => sample(reg.datasets.iter().map(|r| r.code.as_str()).collect()),
                K::EvidenceType => {
                    let all: Vec<&str> =
                        reg.evidence_types.iter().map(|r| r.code.as_str()).collect();
                    let unasked = all.iter().copied().find(|c| !named.contains(c));
                    sample(all).into_iter().chain(unasked).collect()
                }
                K::Output => sample(reg.outputs.iter().map(|r| r.code.as_str()).collect()),
                K::ExchangeLink => {
                    sample(reg.exchange_links.iter().map(|r| r.code.as_str()).collect())
                }
                _ => sample(reg.services.iter().map(|r| r.code.as_str()).collect()),
            }
        };
        for (api, page, kind) in [
            ("services", Some("services"), K::Service),
            ("organisations", Some("organisations"), K::Organisation),
            ("information-systems", Some("systems"), K::InformationSystem),
            ("datasets", Some("datasets"), K::Dataset),
            ("evidence-types", None, K::EvidenceType),
            ("outputs", None, K::Output),
            ("exchange-links", None, K::ExchangeLink),
        ] {
            record(api, page, kind, codes(kind));
        }
        for (n, r) in whole.rounds.iter().enumerate() {
            let (code, lang) = (&r.round.code, langs[n % 3]);
            paths.extend(
                [
                    format!("/api/v1/rounds/{code}"),
                    format!("/api/v1/rounds/{code}/life-events"),
                    format!("/api/v1/rounds/{code}/organisations?sort=-score"),
                    format!("/{lang}/rounds/{code}"),
                    format!("/{lang}/rounds/{code}/report.md"),
                    format!("/api/v1/gaps?round={code}"),
                ]
                .map(|path| (path, true)),
            );
        }
        paths.extend(
            [
                "/en/gaps",
                "/az/gaps?page=2",
                "/api/v1/gaps",
                "/api/v1/gaps/investments?limit=3",
                "/api/v1/gaps/services?lang=ru",
                "/api/v1/gaps/findings",
            ]
            .map(|path| (path.to_string(), true)),
        );
        assert!(paths.iter().filter(|(_, alone)| *alone).count() > 100);
        assert!(paths.iter().any(|(_, alone)| !alone), "{}", db.name);
        for (path, alone) in &paths {
            let warm = request(&app, path, &[]).await;
            assert_eq!(warm.status, 200, "{}: {path}: {}", db.name, warm.body);
            as_from_the_whole(&db, &store, path, &warm, *alone).await;
        }
        // A request about something with no part (an unknown code) waits for the whole
        // snapshot, and does not stop the next requests from being answered from their parts.
        let (fresh, fresh_shared) =
            build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
        for seed in [
            egovwatch_web::snapshot::Seed::Record(K::Organisation, "NO-SUCH".into()),
            egovwatch_web::snapshot::Seed::Round("NO-SUCH".into()),
        ] {
            assert!(
                fresh_shared.for_part(&seed).expect("read").is_none(),
                "{}",
                db.name
            );
        }
        let (path, _) = &paths[0];
        let answer = request(&fresh, path, &[]).await;
        assert_eq!(
            (answer.status.as_u16(), fresh_shared.direct_answers()),
            (200, 1),
            "{}: {path} after requests with no part",
            db.name
        );
        fresh_shared.get().expect("snapshot");
    }
}

/// While a process reads its whole snapshot, a page of an API list of records with no filter
/// nor sort (organisations, systems, datasets, evidence types, outputs, exchange links) is made
/// from the page's records read by indexed queries, with how many the registry has counted by
/// the store (and an organisation's services and score): the same answer, byte for byte, as
/// the whole snapshot gives, page after page, in JSON and CSV, records connected to no service
/// included. A record of the page asked next of the same process is answered as the whole
/// snapshot answers it (the page's snapshot answers the page only). An unknown cursor and a
/// bad one are answered as the whole snapshot answers them.
#[tokio::test]
async fn the_lists_of_records_are_paged_from_the_store_as_from_the_whole() {
    use egovwatch_domain::EntityKind as K;
    let test = "the_lists_of_records_are_paged_from_the_store_as_from_the_whole";
    for db in backends(test) {
        synth_into(&db, ["3", "12", "2"]);
        let store = db.store();
        let (app, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
        shared.get().expect("snapshot");
        for (list, kind, limit) in [
            ("organisations", K::Organisation, 12),
            ("information-systems", K::InformationSystem, 10),
            ("datasets", K::Dataset, 15),
            ("evidence-types", K::EvidenceType, 8),
            ("outputs", K::Output, 11),
            ("exchange-links", K::ExchangeLink, 14),
        ] {
            let mut next = Some(format!("/api/v1/{list}?limit={limit}"));
            let mut codes = Vec::new();
            while let Some(path) = next.take() {
                let warm = request(&app, &path, &[]).await;
                assert_eq!(warm.status, 200, "{}: {path}: {}", db.name, warm.body);
                let page = warm.json();
                let listed = codes_listed(&page);
                assert!(
                    !listed.is_empty() && listed.len() <= limit,
                    "{}: {path}",
                    db.name
                );
                as_from_the_whole(&db, &store, &path, &warm, true).await;
                if codes.is_empty() {
                    // The first page in CSV and in Russian too.
                    for other in ["format=csv", "lang=ru"] {
                        let path = format!("{path}&{other}");
                        let warm = request(&app, &path, &[]).await;
                        as_from_the_whole(&db, &store, &path, &warm, true).await;
                    }
                    // A record of the page, asked of the process after the page.
                    let (fresh, fresh_shared) =
                        build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
                    request(&fresh, &path, &[]).await;
                    let record = format!("/api/v1/{list}/{}", listed[listed.len() / 2]);
                    let answer = request(&fresh, &record, &[]).await;
                    let warm = request(&app, &record, &[]).await;
                    assert_eq!(
                        (answer.status, answer.body),
                        (warm.status, warm.body),
                        "{}: {record} after {path}",
                        db.name
                    );
                    fresh_shared.get().expect("snapshot");
                }
                codes.extend(listed);
                next = page["links"]["next"].as_str().map(str::to_string);
            }
            // Every record once, in byte order.
            let mut sorted = codes.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(codes, sorted, "{}: {list}", db.name);
            assert_eq!(
                codes.len(),
                store
                    .records_page(kind, None, 0)
                    .expect("read")
                    .expect("a kind")
                    .total,
                "{}: {list}",
                db.name
            );
        }
        for path in [
            format!(
                "/api/v1/outputs?cursor={}",
                egovwatch_web::api::cursor_of("NO-SUCH")
            ),
            "/api/v1/outputs?cursor=bad".to_string(),
        ] {
            let warm = request(&app, &path, &[]).await;
            assert!(warm.status.is_client_error(), "{}: {path}", db.name);
            as_from_the_whole(&db, &store, &path, &warm, false).await;
        }
    }
}

/// A search asked first of a fresh process is answered from the records whose text holds its
/// words, read alone, as the whole snapshot answers it, byte for byte: every kind of record, a
/// kind or two, a page further on, the search page in each language, a word found only inside
/// other words, and no word at all.
#[tokio::test]
async fn a_search_is_answered_from_the_records_it_can_find_as_from_the_whole() {
    let test = "a_search_is_answered_from_the_records_it_can_find_as_from_the_whole";
    for db in backends(test) {
        synth_into(&db, ["3", "12", "2"]);
        let store = db.store();
        let (app, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
        shared.get().expect("snapshot");
        let reg = store.registry().expect("registry");
        // Words of each kind's names and a code, as a reader types them.
        let mut queries: Vec<String> = vec![
            "issue".into(),
            "arayis".into(),
            "seher ehali".into(),
            "регистрация".into(),
            "certificate population".into(),
            "qeydiyyat sur".into(),
            "ssue".into(),
            "C002".into(),
            reg.services[7].code.to_string(),
        ];
        for name in [
            &reg.organisations[3].name,
            &reg.life_events[1].name,
            &reg.information_systems[2].name,
            &reg.datasets[4].name,
        ] {
            let words: Vec<&str> = name
                .get(egovwatch_domain::Lang::Az)
                .unwrap_or_default()
                .split(' ')
                .collect();
            queries.push(words.iter().take(2).copied().collect::<Vec<_>>().join(" "));
        }
        let mut paths = vec!["/en/search".to_string(), "/api/v1/search?q=".to_string()];
        for q in &queries {
            let q = egovwatch_web::api::encode(q);
            paths.push(format!("/api/v1/search?q={q}"));
            paths.push(format!(
                "/api/v1/search?q={q}&lang=az&kind=dataset,life_event"
            ));
            paths.push(format!("/en/search?q={q}"));
        }
        paths.push("/ru/search?q=issue&page=2".into());
        paths.push("/api/v1/search?q=issue&kind=service&limit=5".into());
        let mut found = 0;
        for path in &paths {
            let warm = request(&app, path, &[]).await;
            assert_eq!(warm.status, 200, "{}: {path}: {}", db.name, warm.body);
            if path.starts_with("/api/") {
                found += warm.json()["meta"]["total"].as_u64().expect("total");
                if let Some(next) = warm.json()["links"]["next"].as_str() {
                    let warm = request(&app, next, &[]).await;
                    as_from_the_whole(&db, &store, next, &warm, true).await;
                }
            }
            as_from_the_whole(&db, &store, path, &warm, true).await;
        }
        assert!(found > 100, "{}: the searches found {found}", db.name);
        let inside = request(&app, "/api/v1/search?q=ssue", &[]).await.json();
        assert_eq!(inside["meta"]["total"], 0, "{}", db.name);
    }
}

/// Who the published rounds are about and each life event's services as the store reads them
/// for the home page by indexed queries (`Store::published_rounds_leads`, `Store::journey`),
/// against the same computed from the whole registry and the rounds' scopes, as services change
/// organisation, are withdrawn, and rounds are published.
#[test]
fn the_leads_and_the_journey_the_store_keeps_follow_the_registry() {
    use egovwatch_domain::monitoring::{RoundState, Subjects};
    use std::collections::BTreeSet;
    let test = "the_leads_and_the_journey_the_store_keeps_follow_the_registry";
    for db in backends(test) {
        synth_into(&db, ["3", "12", "2"]);
        let store = db.store();
        let check = |when: &str| -> usize {
            let reg = store.registry().expect("load");
            let published: Vec<_> = (store.rounds().expect("rounds").into_iter())
                .filter(|r| r.state == RoundState::Published)
                .collect();
            let kept = store.published_rounds_leads().expect("leads");
            let stored: BTreeSet<(String, String)> = kept.leads.iter().cloned().collect();
            let mut computed = BTreeSet::new();
            for r in &published {
                for code in &r.scope {
                    let lead = (reg.services.iter())
                        .find(|s| s.code.as_str() == code)
                        .and_then(|s| s.organisations.first());
                    if let Some(o) = lead {
                        computed.insert((r.code.clone(), o.to_string()));
                    }
                }
            }
            assert_eq!(stored, computed, "{}: leads {when}", db.name);
            assert_eq!(kept.leads.len(), stored.len(), "{}: once each", db.name);
            let of_leads = Subjects::of_leads(&published, &kept.leads, &kept.parents);
            let whole = Subjects::of(&published, &reg);
            assert_eq!(
                of_leads.count(),
                whole.count(),
                "{}: subjects {when}",
                db.name
            );
            // The same series: each round the subject of the same rounds.
            for a in &published {
                assert_eq!(
                    of_leads.of_round(&a.code),
                    whole.of_round(&a.code),
                    "{}",
                    db.name
                );
                for b in &published {
                    assert_eq!(
                        of_leads.same_series(a, b),
                        whole.same_series(a, b),
                        "{}: {} and {} {when}",
                        db.name,
                        a.code,
                        b.code
                    );
                }
            }
            // The first five of each life event, and the last three (a window past the start).
            let first = store.journey(None, &|_| 0..5).expect("journey");
            let last = |n: usize| n.saturating_sub(3)..n;
            let ends = store.journey(None, &last).expect("journey");
            assert_eq!(first.len(), reg.life_events.len());
            assert_eq!(ends.len(), reg.life_events.len());
            for (entry, window) in
                (first.iter().map(|e| (e, 0..5))).chain(ends.iter().map(|e| (e, last(e.services))))
            {
                let of_event: Vec<_> = (reg.services.iter())
                    .filter(|s| s.life_events.iter().any(|l| l.as_str() == entry.life_event))
                    .collect();
                let listed: Vec<&str> = (of_event.iter())
                    .filter(|s| s.status != egovwatch_domain::ServiceStatus::Withdrawn)
                    .map(|s| s.code.as_str())
                    .collect();
                let shown = window.start.min(listed.len())..window.end.min(listed.len());
                assert_eq!(
                    (
                        entry.all,
                        entry.services,
                        entry.start,
                        entry.listed.iter().map(String::as_str).collect()
                    ),
                    (
                        of_event.len(),
                        listed.len(),
                        window.start,
                        listed[shown].to_vec()
                    ),
                    "{}: journey of {} {when}",
                    db.name,
                    entry.life_event
                );
            }
            let one = &first[1].life_event;
            let alone = store.journey(Some(one), &|_| 0..5).expect("journey");
            assert_eq!(alone, vec![first[1].clone()], "{}: one life event", db.name);
            let none = store.journey(Some("LE-NONE"), &|_| 0..5).expect("journey");
            assert!(none.is_empty(), "{}: no such life event", db.name);
            of_leads.count()
        };
        let at_start = check("as written");
        assert_eq!(at_start, 3, "{}: one subject a country", db.name);
        // A service of the first country led by the second country's top organisation: the
        // rounds naming it are about both countries now.
        let reg = store.registry().expect("load");
        let top_of = |country: &str| {
            (reg.organisations.iter())
                .find(|o| o.parent.is_none() && o.code.as_str().starts_with(country))
                .map(|o| o.code.clone())
                .expect("a top organisation")
        };
        let mut moved = reg.services[0].clone();
        let before = moved.organisations.clone();
        moved.organisations.insert(0, top_of("C002"));
        save_services(&store, vec![moved.clone()], "led from abroad");
        // Both rounds of the first country now have the same new subject: as many subjects.
        assert_eq!(check("after a change of lead"), at_start, "{}", db.name);
        let round = (store.rounds().expect("rounds").into_iter())
            .find(|r| r.scope.iter().any(|c| *c == moved.code.as_str()))
            .expect("a round naming the service");
        let kept = store.published_rounds_leads().expect("leads").leads;
        assert!(
            kept.contains(&(round.code.clone(), top_of("C002").to_string())),
            "{}: {kept:?}",
            db.name
        );
        // Back, and another service withdrawn: as at the start, one service fewer listed.
        moved.organisations = before;
        let mut gone = reg.services[1].clone();
        gone.status = egovwatch_domain::ServiceStatus::Withdrawn;
        save_services(&store, vec![moved, gone], "led at home again");
        assert_eq!(check("after the lead went back"), at_start, "{}", db.name);
        // A round created and published later, about two countries.
        let scope = vec![reg.services[2].code.to_string(), "C003-S00001".to_string()];
        let mut both = (store.rounds().expect("rounds").into_iter())
            .find(|r| r.state == RoundState::Published)
            .expect("a published round");
        both.code = "BOTH-R01".into();
        both.scope = scope;
        both.state = RoundState::Open;
        (both.closed_at, both.published_at) = (None, None);
        (both.period_start, both.period_end) = ("2030-01-01".into(), "2030-06-30".into());
        store.create_round(&both).expect("create");
        assert_eq!(
            check("after a new round is opened"),
            at_start,
            "{}",
            db.name
        );
        for to in [RoundState::Closed, RoundState::Published] {
            store.set_round_state(&both.code, to).expect("state");
        }
        assert_eq!(check("after a new round"), at_start + 1, "{}", db.name);
    }
}

/// A synthetic registry (`synth --countries --services --rounds` as `args` give them) whose
/// first service is then withdrawn, and a process holding its whole snapshot; with that
/// service.
fn first_withdrawn(
    db: &TestDb,
    args: [&str; 3],
) -> (
    egovwatch_store::Store,
    axum::Router,
    egovwatch_domain::Service,
) {
    synth_into(db, args);
    let store = db.store();
    let mut gone = store.registry().expect("load").services[0].clone();
    gone.status = egovwatch_domain::ServiceStatus::Withdrawn;
    save_services(&store, vec![gone.clone()], "withdrawn");
    let (app, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
    shared.get().expect("snapshot");
    (store, app, gone)
}

/// The home page of a fresh process comes from its part of the registry (the current round's
/// country, and the first country, whose services the journey lists first), with the counts of
/// the whole registry read by indexed queries: the whole snapshot's page, byte for byte, a
/// withdrawn service left out of the journey's list and count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_is_made_from_its_part_as_from_the_whole() {
    let test = "the_home_page_is_made_from_its_part_as_from_the_whole";
    for db in backends(test) {
        // Enough services a country that each life event's first twelve are in the first.
        let (store, app, _) = first_withdrawn(&db, ["5", "200", "2"]);
        for path in ["/en/", "/az/", "/ru/", "/"] {
            let warm = request(&app, path, &[]).await;
            assert_eq!(warm.status, 200, "{}: {path}", db.name);
            as_from_the_whole(&db, &store, path, &warm, true).await;
        }
        let page = request(&app, "/en/", &[]).await.body;
        assert!(
            page.contains("several subjects (5:"),
            "{}: the subjects of the whole registry: {page}",
            db.name
        );
    }
}

/// A life event's page and its API record, asked first of a fresh process, come from their part
/// of the registry (the current round's country, and the countries of the services the page
/// lists), with the life event's counts and its score in every published round read from the
/// store: the whole snapshot's answers, byte for byte, a withdrawn service left out of the list
/// and its count (not of the API's count of every service), a page past the last being the
/// last. The lists of life events come from the home page's part. One process answering the
/// home page and a life event's pages in turn answers each as the whole snapshot does,
/// whichever part it holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_life_event_s_page_is_made_from_its_part_as_from_the_whole() {
    let test = "a_life_event_s_page_is_made_from_its_part_as_from_the_whole";
    for db in backends(test) {
        // About 90 services a country and life event: a page of 100 lists two countries' at
        // most, the current round's country a third, less than half of the registry.
        let (store, app, gone) = first_withdrawn(&db, ["7", "1000", "2"]);
        let code = gone.life_events[0].to_string();
        let paths = [
            format!("/en/life-events/{code}"),
            format!("/az/life-events/{code}?page=2"),
            format!("/ru/life-events/{code}?page=999"),
            format!("/api/v1/life-events/{code}"),
            // The lists of life events come from the home page's part.
            "/en/life-events".to_string(),
            "/api/v1/life-events?sort=-score".to_string(),
        ];
        let mut warm = Vec::new();
        for path in &paths {
            let answer = request(&app, path, &[]).await;
            assert_eq!(answer.status, 200, "{}: {path}", db.name);
            as_from_the_whole(&db, &store, path, &answer, true).await;
            warm.push(answer);
        }
        assert!(
            warm[1]
                .body
                .contains(&format!("/az/life-events/{code}?page=1")),
            "{}: page 2 links back: {}",
            db.name,
            warm[1].body
        );
        let rounds = (store.rounds().expect("rounds").into_iter())
            .filter(|r| r.state == egovwatch_domain::monitoring::RoundState::Published)
            .count();
        let detail: serde_json::Value = serde_json::from_str(&warm[3].body).expect("json");
        assert_eq!(
            detail["rounds"].as_array().map(Vec::len),
            Some(rounds),
            "{}: a score in every published round",
            db.name
        );
        // An unknown life event waits for the whole snapshot, and is not found.
        let unknown = request(&app, "/en/life-events/LE-NONE", &[]).await;
        assert_eq!(unknown.status, 404, "{}", db.name);
        as_from_the_whole(&db, &store, "/en/life-events/LE-NONE", &unknown, false).await;
        // One fresh process, the home page and the life event's pages in turn: each from a
        // part, the same as the whole snapshot's.
        let (fresh, fresh_shared) =
            build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
        let home = request(&app, "/en/", &[]).await;
        let turns = [
            ("/en/", &home),
            (paths[0].as_str(), &warm[0]),
            (paths[1].as_str(), &warm[1]),
            ("/en/", &home),
            (paths[0].as_str(), &warm[0]),
        ];
        for (path, want) in turns {
            let got = request(&fresh, path, &[]).await;
            assert_eq!(
                (got.status, got.body.as_str()),
                (want.status, want.body.as_str()),
                "{}: {path} in turn",
                db.name
            );
        }
        // Those answered before its whole snapshot was held came from parts.
        assert!(
            fresh_shared.direct_answers() >= 1,
            "{}: from parts",
            db.name
        );
        fresh_shared.get().expect("snapshot");
    }
}

/// A part is given up exactly when it would hold more services than the reader wants, however
/// the services are reached (counted before they are read, as the relations naming them are
/// read): in a registry of three countries, a service's part is its country; in a national
/// registry, all of it.
/// A registry whose current round is about more than half of its services (a national one)
/// answers no request from a part, and learns it from the round's scope before reading any
/// part: every part holding one of the round's services holds all of them, and the services
/// it leaves out (here one of an organisation of its own, in no round) wait with the rest. A
/// round about exactly half of them (one country of two) leaves each part to answer alone. A
/// page of records is read alone either way, before and after a process learns that no part
/// answers alone.
#[test]
fn a_current_round_about_most_services_leaves_no_part_to_answer_alone() {
    use egovwatch_domain::EntityKind as K;
    use egovwatch_web::snapshot::{Part, Snapshot};
    for (countries, alone) in [("1", false), ("2", true)] {
        let test = format!("a_current_round_about_most_services_{countries}");
        for db in backends(&test) {
            synth_into(&db, [countries, "40", "2"]);
            let store = db.store();
            add_apart(&store, "APART-ORG", "APART-S1");
            for seed in [
                Seed::service("APART-S1"),
                Seed::service("C001-S00001"),
                Seed::Record(K::Organisation, "C001-ORG-001".into()),
                Seed::Record(K::InformationSystem, "C001-IS-01".into()),
                Seed::Current,
            ] {
                let part = Snapshot::read_part(&store, &seed).expect("read");
                let (read, whole) = (matches!(part, Part::Read(_)), matches!(part, Part::Whole));
                assert_eq!(
                    (read, whole),
                    (alone, !alone),
                    "{}: {seed:?} in {countries} countries",
                    db.name
                );
            }
            let (_, shared) = build(store.clone(), i18n::DEFAULT_FALLBACK, &Limits::default());
            let page = Seed::Records {
                kind: K::Organisation,
                after: None,
                limit: 5,
            };
            for seed in [&page, &Seed::service("C001-S00001"), &page] {
                let part = shared.for_part(seed).expect("read");
                assert_eq!(
                    part.is_some(),
                    alone || *seed == page,
                    "{}: {seed:?} in {countries} countries",
                    db.name
                );
            }
        }
    }
}

#[test]
fn a_part_is_given_up_exactly_when_it_holds_too_many_services() {
    use egovwatch_domain::EntityKind as K;
    for (countries, services, part) in [("3", "40", 40), ("1", "120", 120)] {
        let test = format!("a_part_is_given_up_exactly_when_too_large_{countries}");
        for db in backends(&test) {
            synth_into(&db, [countries, services, "1"]);
            let store = db.store();
            for seed in [
                (K::Service, "C001-S00001"),
                (K::Organisation, "C001-ORG-001"),
                (K::InformationSystem, "C001-IS-01"),
            ] {
                let whole = store.connected_within(&[seed], part).expect("read");
                assert_eq!(
                    whole.map(|r| r.services.len()),
                    Some(part),
                    "{}: {seed:?} in {countries} countries",
                    db.name
                );
                assert!(
                    store
                        .connected_within(&[seed], part - 1)
                        .expect("read")
                        .is_none(),
                    "{}: {seed:?} in {countries} countries, one service too many",
                    db.name
                );
            }
        }
    }
}
