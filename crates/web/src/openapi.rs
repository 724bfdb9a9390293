//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/openapi.json`.
//!
//! The schemas of the answers are generated from their types (`utoipa::ToSchema` on the
//! response structs of `records.rs`, `rounds.rs`, `find.rs`, `gaps.rs` and `api.rs`); the
//! paths come from the routes the router serves (`routes::API`), each with the parameters its
//! handler reads as declared beside it. Changing the contract is a deliberate edit: a snapshot
//! test (insta, `tests/integration/snapshots/integration__api__openapi.snap`) fails on any
//! change, and `every_answer_is_what_the_document_says` checks real answers against their
//! schemas.

use crate::api::schema::{lang, string};
use crate::api::{ERROR_CODES, ListParams, Param};
use crate::records;
use crate::routes::{API, Takes};
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
    let description = match what {
        // An investment has no code of its own: its id, the assumption that stands for it.
        "investment" => "The investment's `id`, as the list of investments gives it".to_string(),
        _ => format!("The {what}'s code"),
    };
    param("code", "path", &description, json!({ "type": "string" }))
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

pub(crate) fn responses(ok: &str, schema: Value, csv: bool) -> Value {
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

pub(crate) fn list_of(item: &str) -> Value {
    json!({ "allOf": [ { "$ref": "#/components/schemas/Page" },
        { "type": "object", "properties": { "data": { "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } } } } ] })
}

fn get(summary: &str, tag: &str, parameters: Vec<Value>, responses: Value) -> Value {
    json!({ "get": { "summary": summary, "tags": [tag], "parameters": parameters, "responses": responses } })
}

pub(crate) fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub(crate) fn object(required: &[&str], properties: Value) -> Value {
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

/// An investment of the gap analysis, ranked (`egovwatch_domain::gaps::explain::InvestmentView`).
#[derive(utoipa::ToSchema)]
#[schema(as = Investment)]
#[allow(dead_code)] // Describes a domain type that serialises itself.
pub struct InvestmentDoc {
    rank: usize,
    /// The investment in words, in the language asked for.
    title: String,
    /// Its assumption: what `assume` takes.
    id: String,
    kind: String,
    subject: String,
    /// The services that need it: the first hundred (all of them: `unlocks_all`).
    unlocks: Vec<UnlockDoc>,
    /// How many services need it.
    unlocks_total: usize,
    /// Where all of them are listed, a page at a time, under the same assumptions.
    unlocks_all: String,
    life_events: Vec<String>,
    /// The stages it is needed for, summed over the services (weighted by their transactions
    /// when given).
    score: f64,
    /// The stages it delivers on its own: how far the projected stages rise when only it is
    /// made. The ranking's first key.
    delivers: f64,
    /// The investments holding the same services at its cap or below, the most shared first:
    /// the first twenty.
    with: Vec<String>,
    /// How many investments go with it.
    with_total: usize,
    #[schema(required = false)]
    cost: f64,
    #[schema(required = false)]
    score_per_cost: f64,
    /// The names of the services in `unlocks`, in its order.
    unlocked_services: Vec<String>,
}

/// One service an investment is needed for, with its name
/// (`/api/v1/gaps/investments/{code}/unlocks`).
#[derive(utoipa::ToSchema)]
#[schema(as = UnlockItem)]
#[allow(dead_code)]
pub struct UnlockItemDoc {
    service: String,
    /// The stages it is needed for: from the lowest cap it lifts (or the stage observed, when
    /// higher) to the top.
    stages: u8,
    /// The stages the service's projected stage rises by when only this investment is made.
    delivers: u8,
    /// Whether this investment alone lets the service reach the top.
    alone: bool,
    /// The service's name, in the language asked for.
    name: String,
}

/// What an investment means to one service.
#[derive(utoipa::ToSchema)]
#[schema(as = Unlock)]
#[allow(dead_code)]
pub struct UnlockDoc {
    service: String,
    /// The stages it is needed for: from the lowest cap it lifts (or the stage observed, when
    /// higher) to the top.
    stages: u8,
    /// The stages the service's projected stage rises by when only this investment is made.
    delivers: u8,
    /// Whether this investment alone lets the service reach the top.
    alone: bool,
}

/// One service in the gap analysis (`egovwatch_domain::gaps::explain::ServiceView`).
#[derive(utoipa::ToSchema)]
#[schema(as = ServiceGap)]
#[allow(dead_code)]
pub struct ServiceGapDoc {
    name: String,
    service: String,
    life_events: Vec<String>,
    organisation: Option<String>,
    /// The stage observed in the round.
    stage: Option<u8>,
    /// The highest stage the registry's data allow.
    ceiling: u8,
    /// The stage it would stand at if built as far as its data allow (with the assumptions).
    projected: Option<u8>,
    blocks: Vec<BlockDoc>,
    /// The blocks in words, in the language asked for.
    reasons: Vec<String>,
}

/// One reason a service is capped.
#[derive(utoipa::ToSchema)]
#[schema(as = Block)]
#[allow(dead_code)]
pub struct BlockDoc {
    /// `evidence_unsupplied`, `system_not_in_use`, `dataset_not_digital`, `no_exchange_in_use`
    /// or `output_not_electronic`.
    condition: String,
    cap: u8,
    evidence: String,
    #[schema(required = false)]
    dataset: String,
    #[schema(required = false)]
    system: String,
    #[schema(required = false)]
    link: String,
    #[schema(required = false)]
    service: String,
    #[schema(required = false)]
    organisation: String,
    /// The investment (as an assumption) that lifts this cap.
    investment: String,
}

/// A problem the gap analysis found in the registry or in the round.
#[derive(utoipa::ToSchema)]
#[schema(as = Finding)]
#[allow(dead_code)]
pub struct FindingDoc {
    /// `evidence_unsupplied`, `link_to_withdrawn`, `dataset_in_withdrawn_system`, `cycle` or
    /// `observed_above_data`.
    kind: String,
    subject: String,
    /// The finding in English.
    detail: String,
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
    add::<ServiceGapDoc>(&mut all);
    add::<FindingDoc>(&mut all);
    add::<UnlockItemDoc>(&mut all);
    let mut out = Map::new();
    for (name, schema) in all {
        out.entry(name)
            .or_insert_with(|| serde_json::to_value(&schema).unwrap_or(Value::Null));
    }
    out.sort_keys();
    out
}

/// The answers of `/api/v1`: what it offers.
pub(crate) fn index_answer() -> Value {
    json!({ "200": { "description": "The resources", "content": { "application/json": { "schema": object(&["name", "version", "openapi", "resources"], json!({
        "name": string(), "version": string(), "openapi": string(),
        "resources": { "type": "array", "items": object(&["name", "href", "description"], json!({ "name": string(), "href": string(), "description": string() })) },
    })) } } } })
}

/// `responses` of a gap analysis, which also answers 422 for an assumption that is wrong.
pub(crate) fn analysis(mut responses: Value) -> Value {
    responses["422"] = json!({ "description": "An assumption is wrong (`analysis_failed`)",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    responses
}

/// The parameters of `route`, as its handler reads them.
fn parameters(takes: &Takes) -> Vec<Value> {
    match takes {
        Takes::Nothing => Vec::new(),
        Takes::Query(own) => query_params(own),
        Takes::List(list) => list_params(list),
        Takes::Record(what, own) => [code_param(what)]
            .into_iter()
            .chain(query_params(own))
            .collect(),
        Takes::RecordList(what, list) => [code_param(what)]
            .into_iter()
            .chain(list_params(list))
            .collect(),
    }
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in API {
        paths.insert(
            r.path.to_string(),
            get(r.summary, r.tag, parameters(&r.takes), {
                let mut responses = (r.responses)();
                if !r.takes.refers()
                    && let Some(all) = responses.as_object_mut()
                {
                    all.remove("404");
                }
                responses
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
