//! Page handlers: read the store, build views, render.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::lang::{negotiate, remember};
use crate::views::*;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use egovwatch_domain::*;
use egovwatch_store::Store;

fn parse_lang(tag: &str) -> Option<Lang> {
    tag.parse().ok()
}

/// The language of a `/{lang}/...` route; an unknown one is a page that does not exist.
fn page_lang(tag: String) -> Result<Lang, AppError> {
    parse_lang(&tag).ok_or(AppError::NotFound {
        lang: Lang::En,
        what: "language".into(),
        code: tag,
    })
}

/// Runs a blocking store call off the async threads.
async fn with_store<T: Send + 'static>(
    state: &AppState,
    lang: Lang,
    f: impl FnOnce(&Store) -> Result<T, egovwatch_store::StoreError> + Send + 'static,
) -> Result<T, AppError> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || f(&store))
        .await
        .map_err(|e| AppError::internal(lang, e))?
        .map_err(|e| AppError::internal(lang, e))
}

fn render(lang: Lang, t: &impl Template) -> Result<Response, AppError> {
    let html = t.render().map_err(|e| AppError::internal(lang, e))?;
    Ok(([(header::SET_COOKIE, remember(lang))], Html(html)).into_response())
}

fn status_word(tr: &Tr, s: ServiceStatus) -> String {
    tr.t(&format!("status-{s}"))
}

fn provenance_word(tr: &Tr, p: &Provenance) -> String {
    match p {
        Provenance::Seed => tr.t("provenance-seed"),
        Provenance::Illustrative => tr.t("provenance-illustrative"),
        Provenance::Manual => tr.t("provenance-manual"),
        Provenance::Imported(src) => format!("{} ({src})", tr.t("provenance-imported")),
    }
}

/// How a person can reach a service, judged from its active channels alone (the monitored
/// stage comes from assessments, not from here).
fn reach(s: &Service) -> &'static str {
    let active = s.channels.iter().filter(|c| c.status == Status::Active);
    let mut info = false;
    for c in active {
        let transacts = c.e_id || c.e_signature || c.e_payment || c.electronic_output;
        match c.channel_type {
            ChannelType::OnlinePortal | ChannelType::MobileApp | ChannelType::WebPage
                if transacts =>
            {
                return "online";
            }
            ChannelType::OnlinePortal | ChannelType::MobileApp | ChannelType::WebPage => {
                info = true
            }
            _ => {}
        }
    }
    if info { "info" } else { "none" }
}

fn service_line(tr: &Tr, reg: &Registry, s: &Service) -> ServiceLine {
    let lang = tr.lang;
    let organisation = s.organisations.first().map(|c| Link {
        href: format!("/{lang}/organisations/{c}"),
        label: Txt::of(
            reg.organisation(c.as_str()).map(|x| &x.name),
            tr,
            c.as_str(),
        ),
    });
    let reach = reach(s);
    ServiceLine {
        code: s.code.to_string(),
        href: format!("/{lang}/services/{}", s.code),
        name: Txt::name(&s.name, tr, s.code.as_str()),
        organisation,
        status: status_word(tr, s.status),
        reach,
        reach_word: tr.t(&format!(
            "online-{}",
            if reach == "online" { "yes" } else { reach }
        )),
    }
}

/// `/`: the home page in the negotiated language (no redirect, so the address stays short).
pub async fn root(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    home_in(&state, negotiate(&headers)).await
}

pub async fn home_redirect(Path(lang): Path<String>) -> Response {
    match parse_lang(&lang) {
        Some(l) => Redirect::permanent(&format!("/{l}/")).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub async fn home(
    State(state): State<AppState>,
    Path(lang): Path<String>,
) -> Result<Response, AppError> {
    let lang = page_lang(lang)?;
    home_in(&state, lang).await
}

async fn home_in(state: &AppState, lang: Lang) -> Result<Response, AppError> {
    let tr = state.tr(lang);
    let reg = with_store(state, lang, |s| s.registry()).await?;
    let events = reg
        .life_events
        .iter()
        .filter(|e| e.status == Status::Active)
        .map(|e| {
            let services: Vec<ServiceLine> = reg
                .services
                .iter()
                .filter(|s| s.status != ServiceStatus::Withdrawn && s.life_events.contains(&e.code))
                .map(|s| service_line(&tr, &reg, s))
                .collect();
            LifeEventView {
                code: e.code.to_string(),
                order: e.journey_order,
                name: Txt::name(&e.name, &tr, e.code.as_str()),
                description: Txt::pick(&e.description, &tr),
                services_count: tr.count("home-services-count", services.len()),
                services,
            }
        })
        .collect();
    render(
        lang,
        &HomePage {
            page: Page::new(tr, "/", tr.t("home-title")),
            tr,
            events,
        },
    )
}

pub async fn service(
    State(state): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let lang = page_lang(lang)?;
    let tr = state.tr(lang);
    let c = code.clone();
    let (reg, history) = with_store(&state, lang, move |s| {
        Ok((s.registry()?, s.history(EntityKind::Service, &c)?))
    })
    .await?;
    let not_found = || AppError::NotFound {
        lang,
        what: tr.t("service-title").to_lowercase(),
        code: code.clone(),
    };
    let s = reg.service(&code).ok_or_else(not_found)?;
    let link_org = |c: &Code| Link {
        href: format!("/{lang}/organisations/{c}"),
        label: Txt::of(
            reg.organisation(c.as_str()).map(|x| &x.name),
            &tr,
            c.as_str(),
        ),
    };
    let link_event = |c: &Code| Link {
        href: format!("/{lang}/#{c}"),
        label: Txt::of(reg.life_event(c.as_str()).map(|x| &x.name), &tr, c.as_str()),
    };
    let channels = s
        .channels
        .iter()
        .map(|ch| {
            let offers: Vec<String> = [
                (ch.e_id, "offers-e-id"),
                (ch.e_signature, "offers-e-signature"),
                (ch.e_payment, "offers-e-payment"),
                (ch.electronic_output, "offers-electronic-output"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, k)| tr.t(k))
            .collect();
            ChannelView {
                code: ch.code.to_string(),
                kind: tr.t(&format!("channel-{}", ch.channel_type)),
                url: ch.url.clone(),
                offers,
                status: tr.t(&format!("status-{}", ch.status)),
            }
        })
        .collect();
    let evidence = s
        .evidence
        .iter()
        .map(|c| {
            let name = Txt::of(
                reg.evidence_type(c.as_str()).map(|x| &x.name),
                &tr,
                c.as_str(),
            );
            let suppliers = reg
                .datasets
                .iter()
                .filter(|d| d.status == Status::Active && d.supplies.contains(c))
                .map(|d| {
                    let sys = reg.information_system(d.system.as_str());
                    SupplierView {
                        dataset: Txt::name(&d.name, &tr, d.code.as_str()),
                        system: sys.map(|s| Txt::name(&s.name, &tr, s.code.as_str())),
                        digitisation: sys
                            .map(|s| tr.t(&format!("digitisation-{}", s.digitisation.state))),
                    }
                })
                .collect();
            EvidenceView {
                code: c.to_string(),
                name,
                suppliers,
            }
        })
        .collect();
    let outputs = s
        .outputs
        .iter()
        .map(|c| Txt::of(reg.output(c.as_str()).map(|x| &x.name), &tr, c.as_str()))
        .collect();
    let history = history
        .into_iter()
        .rev()
        .map(|r| RevisionView {
            version: r.version,
            when: r.created_at,
            action: r.action,
            author: r.author,
            reason: r.reason,
        })
        .collect();
    let name = Txt::name(&s.name, &tr, s.code.as_str());
    let view = ServicePage {
        page: Page::new(tr, &format!("/services/{code}"), name.text.clone()),
        tr,
        code: s.code.to_string(),
        name,
        description: Txt::pick(&s.description, &tr),
        status: status_word(&tr, s.status),
        provenance: provenance_word(&tr, &s.provenance),
        organisations: s.organisations.iter().map(link_org).collect(),
        life_events: s.life_events.iter().map(link_event).collect(),
        channels,
        evidence,
        outputs,
        history,
    };
    render(lang, &view)
}

pub async fn organisation(
    State(state): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let lang = page_lang(lang)?;
    let tr = state.tr(lang);
    let reg = with_store(&state, lang, |s| s.registry()).await?;
    let o = reg.organisation(&code).ok_or_else(|| AppError::NotFound {
        lang,
        what: tr.t("organisation-title").to_lowercase(),
        code: code.clone(),
    })?;
    let link = |x: &Organisation| Link {
        href: format!("/{lang}/organisations/{}", x.code),
        label: Txt::name(&x.name, &tr, x.code.as_str()),
    };
    let name = Txt::name(&o.name, &tr, o.code.as_str());
    let view = OrganisationPage {
        page: Page::new(tr, &format!("/organisations/{code}"), name.text.clone()),
        tr,
        code: o.code.to_string(),
        name,
        org_type: tr.t(&format!("orgtype-{}", o.org_type)),
        provenance: provenance_word(&tr, &o.provenance),
        parent: o
            .parent
            .as_ref()
            .and_then(|p| reg.organisation(p.as_str()))
            .map(link),
        children: reg
            .organisations
            .iter()
            .filter(|x| x.parent.as_ref() == Some(&o.code))
            .map(link)
            .collect(),
        services: reg
            .services
            .iter()
            .filter(|s| s.organisations.contains(&o.code))
            .map(|s| service_line(&tr, &reg, s))
            .collect(),
        systems: reg
            .information_systems
            .iter()
            .filter(|s| s.owner == o.code)
            .map(|s| SystemView {
                code: s.code.to_string(),
                name: Txt::name(&s.name, &tr, s.code.as_str()),
                base_registry: s.base_registry,
                digitisation: match s.digitisation.share_pct {
                    Some(p) => format!(
                        "{} ({p}%)",
                        tr.t(&format!("digitisation-{}", s.digitisation.state))
                    ),
                    None => tr.t(&format!("digitisation-{}", s.digitisation.state)),
                },
            })
            .collect(),
    };
    render(lang, &view)
}

pub async fn not_found(headers: HeaderMap, uri: axum::http::Uri) -> AppError {
    let lang = uri
        .path()
        .split('/')
        .nth(1)
        .and_then(parse_lang)
        .unwrap_or_else(|| negotiate(&headers));
    AppError::NotFound {
        lang,
        what: "page".into(),
        code: uri.path().to_string(),
    }
}
