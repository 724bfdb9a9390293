//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/openapi.json`.
//!
//! The schemas of the answers are generated from their types (`utoipa::ToSchema` on the
//! response structs of `records.rs`, `rounds.rs`, `find.rs`, `gaps.rs` and `api.rs`); the
//! paths, with their parameters, are written out here. Changing the contract is a deliberate
//! edit: a snapshot test (insta, `tests/integration/snapshots/integration__api__openapi.snap`)
//! fails on any change, another fails when a route in `lib.rs` is missing from this document,
//! and `every_answer_is_what_the_document_says` checks real answers against their schemas.

use crate::api::schema::{lang, string};
use crate::api::{ERROR_CODES, ListParams, Param};
use crate::records;
use axum::response::Response;
use egovwatch_domain::monitoring::Movement;
use egovwatch_domain::{Audience, EuLifeEvent};
use serde_json::{Map, Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

fn param(name: &str, location: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": location, "required": location == "path", "description": description, "schema": schema })
}

fn code_param(what: &str) -> Value {
    param(
        "code",
        "path",
        &format!("The {what}'s code"),
        json!({ "type": "string" }),
    )
}

/// A route's own query parameters, as declared beside its handler.
fn query_params(params: &[Param]) -> Vec<Value> {
    params
        .iter()
        .map(|p| param(p.name, "query", p.description, (p.schema)()))
        .collect()
}

/// What a list takes: the parameters of every list, then its own (as its handler parses them).
fn list_params(takes: &ListParams) -> Vec<Value> {
    let mut out = vec![
        param(
            "limit",
            "query",
            "Rows per page (1-1000, default 50)",
            json!({ "type": "integer", "minimum": 1, "maximum": 1000, "default": 50 }),
        ),
        param(
            "cursor",
            "query",
            "Where the page starts: `meta.next_cursor` of the previous page",
            string(),
        ),
        param(
            "format",
            "query",
            "`json` (default) or `csv` (one column per language of each name)",
            json!({ "type": "string", "enum": ["json", "csv"] }),
        ),
        param("lang", "query", "Language of sorting by name", lang()),
    ];
    if !takes.sorts.is_empty() {
        let mut keys: Vec<String> = takes.sorts.iter().map(|s| s.to_string()).collect();
        keys.extend(takes.sorts.iter().map(|s| format!("-{s}")));
        out.push(param(
            "sort",
            "query",
            "Sort key; a leading `-` sorts descending; ties are broken by code",
            json!({ "type": "string", "enum": keys }),
        ));
    }
    out.extend(query_params(takes.filters));
    out
}

fn responses(ok: &str, schema: Value, csv: bool) -> Value {
    let mut content = Map::new();
    content.insert("application/json".into(), json!({ "schema": schema }));
    if csv {
        content.insert("text/csv".into(), json!({ "schema": { "type": "string" } }));
    }
    let error = json!({ "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    json!({
        "200": { "description": ok, "content": content, "headers": {
            "ETag": { "schema": { "type": "string" }, "description": "Send back in If-None-Match for a 304" },
            "Cache-Control": { "schema": { "type": "string" } } } },
        "304": { "description": "Not modified since the ETag sent in If-None-Match" },
        "400": { "description": "A parameter is wrong (`bad_parameter`, `bad_cursor`)", "content": error["content"] },
        "404": { "description": "No such record (`not_found`)", "content": error["content"] },
        "414": { "description": "The address is longer than the server takes (`too_large`)", "content": error["content"] },
        "503": { "description": "Too busy or too slow to answer now; see Retry-After (`busy`)", "content": error["content"],
            "headers": { "Retry-After": { "schema": { "type": "integer" }, "description": "Seconds to wait" } } },
    })
}

fn list_of(item: &str) -> Value {
    json!({ "allOf": [ { "$ref": "#/components/schemas/Page" },
        { "type": "object", "properties": { "data": { "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } } } } ] })
}

fn get(summary: &str, tag: &str, parameters: Vec<Value>, responses: Value) -> Value {
    json!({ "get": { "summary": summary, "tags": [tag], "parameters": parameters, "responses": responses } })
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

/// Text by language: a language the text was not given in is left out.
#[derive(utoipa::ToSchema)]
#[schema(as = Text)]
#[allow(dead_code)] // Describes `egovwatch_domain::Text`, which serialises itself.
pub struct TextDoc {
    #[schema(required = false)]
    az: String,
    #[schema(required = false)]
    en: String,
    #[schema(required = false)]
    ru: String,
}

/// A word list as a string enum, named as the type it describes and listing that type's words,
/// so the document cannot name a word the API does not write.
macro_rules! words {
    ($doc:ident, $name:literal, $words:expr) => {
        #[doc = concat!("The words of `", $name, "` in the OpenAPI document.")]
        pub struct $doc;

        impl utoipa::PartialSchema for $doc {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some($words))
                    .into()
            }
        }

        impl utoipa::ToSchema for $doc {
            fn name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
        }
    };
}

words!(
    MovementDoc,
    "Movement",
    Movement::ALL.iter().map(|m| m.as_str())
);
words!(
    AudienceDoc,
    "Audience",
    Audience::ALL.iter().map(|a| a.as_str())
);
words!(
    EuLifeEventDoc,
    "EuLifeEvent",
    EuLifeEvent::ALL.iter().map(|e| e.as_str())
);
words!(ErrorCodeDoc, "ErrorCode", ERROR_CODES.iter().copied());

/// The schemas of the answers, generated from their types (with the types they hold).
fn schemas() -> Map<String, Value> {
    fn add<T: utoipa::ToSchema>(all: &mut Vec<(String, RefOr<Schema>)>) {
        all.push((T::name().into_owned(), T::schema()));
        T::schemas(all);
    }
    let mut all = Vec::new();
    add::<crate::api::ErrorBody>(&mut all);
    add::<crate::api::ListMeta>(&mut all);
    add::<records::ServiceItem>(&mut all);
    add::<records::ServiceDetail>(&mut all);
    add::<records::AssessmentItem>(&mut all);
    add::<records::RevisionItem>(&mut all);
    add::<records::LifeEventItem>(&mut all);
    add::<records::LifeEventDetail>(&mut all);
    add::<records::OrganisationItem>(&mut all);
    add::<records::OrganisationDetail>(&mut all);
    add::<records::SystemItem>(&mut all);
    add::<records::SystemDetail>(&mut all);
    add::<records::DatasetItem>(&mut all);
    add::<records::DatasetDetail>(&mut all);
    add::<records::EvidenceItem>(&mut all);
    add::<records::OutputItem>(&mut all);
    add::<records::LinkItem>(&mut all);
    add::<crate::rounds::RoundItem>(&mut all);
    add::<crate::rounds::Dashboard>(&mut all);
    add::<crate::rounds::GroupItem>(&mut all);
    add::<crate::find::SearchBody>(&mut all);
    add::<crate::gaps::GapsSummary>(&mut all);
    let mut out = Map::new();
    for (name, schema) in all {
        out.entry(name)
            .or_insert_with(|| serde_json::to_value(&schema).unwrap_or(Value::Null));
    }
    out.sort_keys();
    out
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    let mut add = |p: &str, v: Value| {
        paths.insert(p.to_string(), v);
    };
    add(
        "/api/v1",
        get(
            "What the API offers: each resource with its address, and where this description is",
            "index",
            Vec::new(),
            json!({ "200": { "description": "The resources", "content": { "application/json": { "schema": object(&["name", "version", "openapi", "resources"], json!({
                "name": string(), "version": string(), "openapi": string(),
                "resources": { "type": "array", "items": object(&["name", "href", "description"], json!({ "name": string(), "href": string(), "description": string() })) },
            })) } } } }),
        ),
    );
    add(
        "/api/v1/services",
        get(
            "Services, filtered, sorted and paged",
            "services",
            list_params(&records::SERVICES),
            responses("A page of services", list_of("ServiceItem"), true),
        ),
    );
    add(
        "/api/v1/services/{code}",
        get(
            "One service: channels, evidence and its suppliers, stage in every round, why it is blocked",
            "services",
            [code_param("service")]
                .into_iter()
                .chain(query_params(&records::SERVICE))
                .collect(),
            responses("The service", schema_ref("Service"), false),
        ),
    );
    add(
        "/api/v1/services/{code}/assessments",
        get(
            "The answers and evidence behind a service's assessment in a round",
            "services",
            {
                let mut p = vec![code_param("service")];
                p.extend(list_params(&records::ASSESSMENTS));
                p
            },
            responses("A page of answers", list_of("Answer"), true),
        ),
    );
    add(
        "/api/v1/services/{code}/history",
        get(
            "Every saved state of a service, newest first",
            "services",
            vec![code_param("service")],
            responses(
                "The revisions",
                object(
                    &["data"],
                    json!({ "data": { "type": "array", "items": schema_ref("Revision") } }),
                ),
                false,
            ),
        ),
    );
    add(
        "/api/v1/life-events",
        get(
            "Life events from birth to death",
            "life events",
            list_params(&records::LIFE_EVENTS),
            responses("A page of life events", list_of("LifeEvent"), true),
        ),
    );
    add(
        "/api/v1/life-events/{code}",
        get(
            "One life event and its score in every round",
            "life events",
            vec![code_param("life event")],
            responses("The life event", schema_ref("LifeEventDetail"), false),
        ),
    );
    add(
        "/api/v1/organisations",
        get(
            "Organisations",
            "organisations",
            list_params(&records::ORGANISATIONS),
            responses("A page of organisations", list_of("Organisation"), true),
        ),
    );
    add(
        "/api/v1/organisations/{code}",
        get(
            "One organisation, its systems and its sub-organisations",
            "organisations",
            vec![code_param("organisation")],
            responses("The organisation", schema_ref("OrganisationDetail"), false),
        ),
    );
    add(
        "/api/v1/information-systems",
        get(
            "Information systems (base registries among them)",
            "information systems",
            list_params(&records::SYSTEMS),
            responses(
                "A page of information systems",
                list_of("InformationSystem"),
                true,
            ),
        ),
    );
    add(
        "/api/v1/information-systems/{code}",
        get(
            "One information system, its datasets and the services that need them",
            "information systems",
            vec![code_param("information system")],
            responses(
                "The information system",
                schema_ref("InformationSystemDetail"),
                false,
            ),
        ),
    );
    add(
        "/api/v1/datasets",
        get(
            "Datasets held in information systems",
            "datasets",
            list_params(&records::DATASETS),
            responses("A page of datasets", list_of("Dataset"), true),
        ),
    );
    add(
        "/api/v1/datasets/{code}",
        get(
            "One dataset, its exchange links and the services that need it",
            "datasets",
            vec![code_param("dataset")],
            responses("The dataset", schema_ref("DatasetDetail"), false),
        ),
    );
    add(
        "/api/v1/evidence-types",
        get(
            "Evidence types services require, with the datasets that can supply each",
            "evidence",
            list_params(&records::EVIDENCE_TYPES),
            responses("A page of evidence types", list_of("EvidenceType"), true),
        ),
    );
    add(
        "/api/v1/evidence-types/{code}",
        get(
            "One evidence type",
            "evidence",
            vec![code_param("evidence type")],
            responses("The evidence type", schema_ref("EvidenceType"), false),
        ),
    );
    add(
        "/api/v1/outputs",
        get(
            "What services give out (certificates, decisions)",
            "outputs",
            list_params(&records::OUTPUTS),
            responses("A page of outputs", list_of("Output"), true),
        ),
    );
    add(
        "/api/v1/outputs/{code}",
        get(
            "One output",
            "outputs",
            vec![code_param("output")],
            responses("The output", schema_ref("Output"), false),
        ),
    );
    add(
        "/api/v1/exchange-links",
        get(
            "Data exchange links between datasets, systems and services",
            "exchange links",
            list_params(&records::EXCHANGE_LINKS),
            responses("A page of exchange links", list_of("ExchangeLink"), true),
        ),
    );
    add(
        "/api/v1/exchange-links/{code}",
        get(
            "One exchange link",
            "exchange links",
            vec![code_param("exchange link")],
            responses("The exchange link", schema_ref("ExchangeLink"), false),
        ),
    );
    add(
        "/api/v1/rounds",
        get(
            "Published monitoring rounds",
            "rounds",
            list_params(&crate::rounds::ROUNDS),
            responses("A page of rounds", list_of("RoundItem"), true),
        ),
    );
    add(
        "/api/v1/rounds/{code}",
        get(
            "A round's dashboard: index and change, stages, movement",
            "rounds",
            vec![code_param("round")],
            responses("The round", schema_ref("Round"), false),
        ),
    );
    add(
        "/api/v1/rounds/{code}/life-events",
        get(
            "A round's averages by life event, with the change since the previous round",
            "rounds",
            {
                let mut p = vec![code_param("round")];
                p.extend(list_params(&crate::rounds::GROUPS));
                p
            },
            responses("A page of averages", list_of("GroupScore"), true),
        ),
    );
    add(
        "/api/v1/rounds/{code}/organisations",
        get(
            "A round's averages by organisation, with the change since the previous round",
            "rounds",
            {
                let mut p = vec![code_param("round")];
                p.extend(list_params(&crate::rounds::GROUPS));
                p
            },
            responses("A page of averages", list_of("GroupScore"), true),
        ),
    );
    add(
        "/api/v1/search",
        get(
            "Search services, organisations, systems, datasets and life events in az, en and ru (Azerbaijani letters folded: `seher` finds `şəhər`)",
            "search",
            query_params(&crate::find::PARAMS),
            responses("Ranked results", schema_ref("SearchBody"), false),
        ),
    );
    let analysis_failed = json!({ "description": "An assumption is wrong (`analysis_failed`)",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    add(
        "/api/v1/gaps",
        get(
            "The gap analysis in brief: the national index now and as projected, how many investments, blocked services and findings, the first investments, and links to the three paged lists",
            "gaps",
            query_params(&crate::gaps::SUMMARY),
            {
                let mut r = responses("The analysis in brief", schema_ref("GapsSummary"), false);
                r["422"] = analysis_failed.clone();
                r
            },
        ),
    );
    for (list, what) in [
        ("investments", "The investments, ranked by what they unlock"),
        (
            "services",
            "Every service analysed: its stage, the stage its data allow, the projected stage and the reasons",
        ),
        (
            "findings",
            "Problems found in the registry (evidence nobody supplies, links to withdrawn records, circles)",
        ),
    ] {
        add(
            &format!("/api/v1/gaps/{list}"),
            get(what, "gaps", list_params(&crate::gaps::LISTS), {
                let mut r = responses(
                    "A page of the list",
                    json!({ "allOf": [ { "$ref": "#/components/schemas/Page" } ] }),
                    true,
                );
                r["422"] = analysis_failed.clone();
                r
            }),
        );
    }
    let mut schemas = schemas();
    schemas.insert(
        "Page".into(),
        object(
            &["data", "meta", "links"],
            json!({ "data": { "type": "array" }, "meta": schema_ref("ListMeta"),
                "links": { "type": "object", "additionalProperties": { "type": "string" } } }),
        ),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "egovwatch API",
            "version": "1",
            "summary": "The registry of public e-services and how far each can be done online, round by round",
            "description": "Public reads. Lists page with `limit` and `cursor`, filter with the parameters each lists, sort with `sort` and answer CSV with `format=csv`. Every answer has an ETag; send it back in If-None-Match for a 304. Errors share one envelope with a stable `code`.",
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" },
        },
        "servers": [ { "url": "/" } ],
        "paths": paths,
        "components": { "schemas": schemas },
    })
}

pub async fn serve() -> Response {
    crate::api::json_response(&document())
}

#[cfg(test)]
mod tests {
    use super::document;

    /// Every `/api/v1` route the router serves is described, and nothing more.
    #[test]
    fn every_route_is_described() {
        let doc = document();
        let paths = doc["paths"].as_object().expect("paths");
        // Every string literal of lib.rs that is an API path is a route.
        let routes: Vec<&str> = include_str!("lib.rs")
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|r| *r == "/api/v1" || r.starts_with("/api/v1/"))
            .collect();
        assert!(routes.len() >= 15, "{routes:?}");
        for r in &routes {
            assert!(
                paths.contains_key(*r),
                "{r} is routed but not in the OpenAPI document"
            );
        }
        for p in paths.keys() {
            assert!(
                routes.contains(&p.as_str()),
                "{p} is described but not routed"
            );
        }
    }

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for part in text.split("#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap_or_default();
            assert!(schemas.contains_key(name), "dangling $ref {name}");
        }
    }
}
