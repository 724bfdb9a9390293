//! The routes of the JSON API, each with its handler, the query parameters it reads and what
//! the OpenAPI document says of it. The router ([`crate::router`]), the OpenAPI document
//! ([`crate::openapi::document`]) and the response cache ([`crate::cache`]) are all made from
//! [`API`]: a route cannot be served without being described, nor kept in the cache under
//! parameters its handler does not read.

use crate::AppState;
use crate::api::{ListParams, Param};
use crate::openapi::{analysis, index_answer, list_of, responses, schema_ref};
use crate::{find, gaps, records, rounds};
use axum::routing::{MethodRouter, get};
use serde_json::Value;

/// One route of the API.
pub struct ApiRoute {
    /// Its address, with `{code}` where a record's code goes (as the router writes it).
    pub path: &'static str,
    /// Its handler, for the router.
    pub handler: fn() -> MethodRouter<AppState>,
    /// What it answers, in a line.
    pub summary: &'static str,
    /// The group it is listed under in the document.
    pub tag: &'static str,
    pub takes: Takes,
    /// Its answers by status code, as the document gives them.
    pub responses: fn() -> Value,
    /// Whether its answers are kept in the response cache. One service's or output's answer is
    /// made from the snapshot in tens of microseconds, and a registry holds them by the tens of
    /// thousands: kept, they would fill the budget and push out the lists and pages that take
    /// milliseconds, for a hit rate near zero when readers go from service to service.
    pub kept: bool,
}

/// What a route reads of its address besides its path.
pub enum Takes {
    /// No query parameter.
    Nothing,
    /// These query parameters.
    Query(&'static [Param]),
    /// A list's parameters: paging, format, sorting and these filters.
    List(&'static ListParams),
    /// The code of one record (`what` it is) in the path, and these query parameters.
    Record(&'static str, &'static [Param]),
    /// The code of one record (`what` it is) in the path, and a list of what belongs to it.
    RecordList(&'static str, &'static ListParams),
}

impl Takes {
    /// Whether the route takes the code of a record or a round (in its path or a parameter):
    /// only such a route answers 404.
    pub fn refers(&self) -> bool {
        match self {
            Takes::Nothing => false,
            Takes::Query(own) => crate::api::refer(own),
            Takes::List(list) => crate::api::refer(list.filters),
            Takes::Record(..) | Takes::RecordList(..) => true,
        }
    }

    /// Whether the route reads query parameter `name`.
    pub fn reads(&self, name: &str) -> bool {
        match self {
            Takes::Nothing => false,
            Takes::Query(own) | Takes::Record(_, own) => own.iter().any(|p| p.name == name),
            Takes::List(list) | Takes::RecordList(_, list) => list.reads(name),
        }
    }
}

/// The route of `path` and its place in [`API`], if the API has one.
pub fn api_route(path: &str) -> Option<&'static ApiRoute> {
    static ROUTER: std::sync::LazyLock<matchit::Router<usize>> = std::sync::LazyLock::new(|| {
        let mut router = matchit::Router::new();
        for (i, r) in API.iter().enumerate() {
            // The web router takes the same paths (it would refuse a bad one at start).
            let _ = router.insert(r.path, i);
        }
        router
    });
    ROUTER.at(path).ok().map(|m| &API[*m.value])
}

fn page_of(description: &'static str, item: &'static str) -> Value {
    responses(description, list_of(item), true)
}

fn one(description: &'static str, schema: &'static str) -> Value {
    responses(description, schema_ref(schema), false)
}

fn gap_list(description: &'static str, item: &'static str) -> Value {
    analysis(page_of(description, item))
}

/// Every route of the API, in the order the document lists them.
pub static API: &[ApiRoute] = &[
    ApiRoute {
        path: "/api/v1",
        handler: || get(records::index),
        summary: "What the API offers: each resource with its address, and where this description is",
        tag: "index",
        takes: Takes::Nothing,
        responses: index_answer,
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/services",
        handler: || get(records::services),
        summary: "Services, filtered, sorted and paged",
        tag: "services",
        takes: Takes::List(&records::SERVICES),
        responses: || page_of("A page of services", "ServiceItem"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/services/{code}",
        handler: || get(records::service),
        summary: "One service: channels, evidence and its suppliers, stage in every round, why it is blocked",
        tag: "services",
        takes: Takes::Record("service", &records::SERVICE),
        responses: || one("The service", "Service"),
        kept: false,
    },
    ApiRoute {
        path: "/api/v1/services/{code}/assessments",
        handler: || get(records::service_assessments),
        summary: "The answers and evidence behind a service's assessment in a round",
        tag: "services",
        takes: Takes::RecordList("service", &records::ASSESSMENTS),
        responses: || page_of("A page of answers", "Answer"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/services/{code}/history",
        handler: || get(records::service_history),
        summary: "Every saved state of a service, newest first",
        tag: "services",
        takes: Takes::RecordList("service", &ListParams::PAGED),
        responses: || page_of("A page of revisions", "Revision"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/life-events",
        handler: || get(records::life_events),
        summary: "Life events from birth to death",
        tag: "life events",
        takes: Takes::List(&records::LIFE_EVENTS),
        responses: || page_of("A page of life events", "LifeEvent"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/life-events/{code}",
        handler: || get(records::life_event),
        summary: "One life event and its score in the latest rounds",
        tag: "life events",
        takes: Takes::Record("life event", &[]),
        responses: || one("The life event", "LifeEventDetail"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/life-events/{code}/rounds",
        handler: || get(records::life_event_rounds),
        summary: "A life event's score in every published round, oldest first",
        tag: "life events",
        takes: Takes::RecordList("life event", &ListParams::PAGED),
        responses: || page_of("A page of scores", "GroupInRound"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/organisations",
        handler: || get(records::organisations),
        summary: "Organisations",
        tag: "organisations",
        takes: Takes::List(&records::ORGANISATIONS),
        responses: || page_of("A page of organisations", "Organisation"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/organisations/{code}",
        handler: || get(records::organisation),
        summary: "One organisation, its systems and its sub-organisations",
        tag: "organisations",
        takes: Takes::Record("organisation", &[]),
        responses: || one("The organisation", "OrganisationDetail"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/information-systems",
        handler: || get(records::systems),
        summary: "Information systems (base registries among them)",
        tag: "information systems",
        takes: Takes::List(&records::SYSTEMS),
        responses: || page_of("A page of information systems", "InformationSystem"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/information-systems/{code}",
        handler: || get(records::system),
        summary: "One information system, its datasets and the services that need them",
        tag: "information systems",
        takes: Takes::Record("information system", &[]),
        responses: || one("The information system", "InformationSystemDetail"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/datasets",
        handler: || get(records::datasets),
        summary: "Datasets held in information systems",
        tag: "datasets",
        takes: Takes::List(&records::DATASETS),
        responses: || page_of("A page of datasets", "Dataset"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/datasets/{code}",
        handler: || get(records::dataset),
        summary: "One dataset, its exchange links and the services that need it",
        tag: "datasets",
        takes: Takes::Record("dataset", &[]),
        responses: || one("The dataset", "DatasetDetail"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/evidence-types",
        handler: || get(records::evidence_types),
        summary: "Evidence types services require, with the datasets that can supply each",
        tag: "evidence",
        takes: Takes::List(&records::EVIDENCE_TYPES),
        responses: || page_of("A page of evidence types", "EvidenceType"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/evidence-types/{code}",
        handler: || get(records::evidence_type),
        summary: "One evidence type",
        tag: "evidence",
        takes: Takes::Record("evidence type", &[]),
        responses: || one("The evidence type", "EvidenceType"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/outputs",
        handler: || get(records::outputs),
        summary: "What services give out (certificates, decisions)",
        tag: "outputs",
        takes: Takes::List(&records::OUTPUTS),
        responses: || page_of("A page of outputs", "Output"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/outputs/{code}",
        handler: || get(records::output),
        summary: "One output",
        tag: "outputs",
        takes: Takes::Record("output", &[]),
        responses: || one("The output", "Output"),
        kept: false,
    },
    ApiRoute {
        path: "/api/v1/exchange-links",
        handler: || get(records::exchange_links),
        summary: "Data exchange links between datasets, systems and services",
        tag: "exchange links",
        takes: Takes::List(&records::EXCHANGE_LINKS),
        responses: || page_of("A page of exchange links", "ExchangeLink"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/exchange-links/{code}",
        handler: || get(records::exchange_link),
        summary: "One exchange link",
        tag: "exchange links",
        takes: Takes::Record("exchange link", &[]),
        responses: || one("The exchange link", "ExchangeLink"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/rounds",
        handler: || get(rounds::list),
        summary: "Published monitoring rounds",
        tag: "rounds",
        takes: Takes::List(&rounds::ROUNDS),
        responses: || page_of("A page of rounds", "RoundItem"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/rounds/{code}",
        handler: || get(rounds::one),
        summary: "A round's dashboard: index and change, stages, movement",
        tag: "rounds",
        takes: Takes::Record("round", &[]),
        responses: || one("The round", "Round"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/rounds/{code}/life-events",
        handler: || get(rounds::life_events),
        summary: "A round's averages by life event, with the change since the previous round",
        tag: "rounds",
        takes: Takes::RecordList("round", &rounds::GROUPS),
        responses: || page_of("A page of averages", "GroupScore"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/rounds/{code}/organisations",
        handler: || get(rounds::organisations),
        summary: "A round's averages by organisation, with the change since the previous round",
        tag: "rounds",
        takes: Takes::RecordList("round", &rounds::GROUPS),
        responses: || page_of("A page of averages", "GroupScore"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/search",
        handler: || get(find::api),
        summary: "Search services, organisations, systems, datasets and life events in az, en and ru (Azerbaijani letters folded: `seher` finds `şəhər`)",
        tag: "search",
        takes: Takes::Query(&find::PARAMS),
        responses: || one("Ranked results", "SearchBody"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/gaps",
        handler: || get(gaps::api),
        summary: "The gap analysis in brief: the national index now and as projected, how many investments, blocked services and findings, the first investments, and links to the three paged lists",
        tag: "gaps",
        takes: Takes::Query(&gaps::SUMMARY),
        responses: || analysis(one("The analysis in brief", "GapsSummary")),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/gaps/investments",
        handler: || get(gaps::api_investments),
        summary: "The investments, ranked by what each delivers on its own, then by what it is needed for",
        tag: "gaps",
        takes: Takes::List(&gaps::LISTS),
        responses: || gap_list("A page of the investments", "Investment"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/gaps/investments/{code}/unlocks",
        handler: || get(gaps::api_unlocks),
        summary: "Every service one investment (its `id`) is needed for, with the stages it is needed for and delivers on its own, and the service's name",
        tag: "gaps",
        takes: Takes::RecordList("investment", &gaps::LISTS),
        responses: || gap_list("A page of the services it is needed for", "UnlockItem"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/gaps/services",
        handler: || get(gaps::api_services),
        summary: "Every service analysed: its stage, the stage its data allow, the projected stage and the reasons",
        tag: "gaps",
        takes: Takes::List(&gaps::LISTS),
        responses: || gap_list("A page of the services", "ServiceGap"),
        kept: true,
    },
    ApiRoute {
        path: "/api/v1/gaps/findings",
        handler: || get(gaps::api_findings),
        summary: "Problems found in the registry (evidence nobody supplies, links to withdrawn records, circles) and services observed above what their data allow",
        tag: "gaps",
        takes: Takes::List(&gaps::LISTS),
        responses: || gap_list("A page of the findings", "Finding"),
        kept: true,
    },
];

#[cfg(test)]
mod tests {
    use super::{API, api_route};

    #[test]
    fn every_route_is_found_by_its_path() {
        for r in API {
            let filled = r.path.replace("{code}", "X-1");
            let found = api_route(&filled).map(|f| f.path);
            assert_eq!(found, Some(r.path), "{filled}");
        }
        assert!(api_route("/api/v1/nothing").is_none());
        assert!(api_route("/en/services").is_none());
    }
}
