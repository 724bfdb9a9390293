//! Pages of single registry records: a service (with its stage in every round, the evidence
//! behind its latest answers and why it is blocked), an organisation, an information system
//! and a dataset.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{
    PER_PAGE, open, page_number, provenance_word, render, service_line, stage_view, status_word,
};
use crate::records::NAMED_LISTED;
use crate::snapshot::{RoundData, Seed, Snapshot};
use crate::views::*;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use egovwatch_domain::EntityKind;
use egovwatch_domain::*;
use egovwatch_report::model::{Chart, ChartKind};
use std::sync::Arc;

fn not_found(tr: &Tr, key: &str, code: &str) -> AppError {
    AppError::NotFound {
        lang: tr.lang,
        what: tr.t(key).to_lowercase(),
        code: code.to_string(),
    }
}

/// What a record's page starts from: [`open`] about the record (its part of the registry while
/// the whole snapshot is read) and its position, or the page saying that no `kind` record has
/// this code (`title` names the kind).
async fn open_record(
    state: &AppState,
    lang: String,
    kind: EntityKind,
    code: &str,
    title: &str,
) -> Result<(Lang, Tr, Arc<Snapshot>, usize), AppError> {
    let about = Seed::Record(kind, code.to_string());
    let (lang, tr, snap) = open(state, lang, Some(about)).await?;
    let at = snap
        .codes
        .position(kind, code)
        .ok_or_else(|| not_found(&tr, title, code))?;
    Ok((lang, tr, snap, at))
}

fn link(tr: &Tr, snap: &Snapshot, kind: EntityKind, code: &str) -> Link {
    Link {
        href: crate::find::href(tr.lang, kind, code),
        label: Txt::of(snap.codes.name(&snap.reg, code), tr, code),
    }
}

/// A service's stage (or score) in every round it was assessed in on one framework, as a small
/// line chart: the framework of the latest round giving it a stage, else of the latest scoring
/// it (a score of 75 and a stage of 5 on one axis would read as a fall).
fn stage_chart(tr: &Tr, snap: &Snapshot, i: usize) -> Option<ChartView> {
    let code = snap.reg.services[i].code.as_str();
    let value = |r: &RoundData| match r.has_stages() {
        _ if !r.assesses(i, code) => None,
        true => r.stage(i).map(f64::from),
        false => r.score(i),
    };
    let latest = |staged: bool| {
        snap.rounds
            .iter()
            .rev()
            .find(|r| (!staged || r.has_stages()) && value(r).is_some())
    };
    let lead = latest(true).or_else(|| latest(false))?;
    let staged = lead.has_stages();
    let rows: Vec<(String, Vec<f64>)> = snap
        .rounds
        .iter()
        .filter(|r| r.fw.id == lead.fw.id)
        .filter_map(|r| Some((r.round.code.clone(), vec![value(r)?])))
        .collect();
    let c = Chart {
        id: "service-over-rounds",
        title: tr.t(if staged {
            "service-chart"
        } else {
            "service-chart-score"
        }),
        description: tr.t("service-chart-desc"),
        series: vec![tr.t(if staged {
            "report-col-stage"
        } else {
            "service-chart-score-series"
        })],
        rows,
        kind: ChartKind::Line,
        top: Some(if staged {
            lead.fw.stage_levels().len().saturating_sub(1) as f64
        } else {
            100.0
        }),
        tr: *tr,
    };
    Some(ChartView::of(&c, tr))
}

/// The latest revisions a service's page lists (the API pages through every one).
const HISTORY_SHOWN: usize = 20;

pub async fn service(
    State(state): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (lang, tr, snap, i) =
        open_record(&state, lang, EntityKind::Service, &code, "service-title").await?;
    let current = snap.current().filter(|r| r.unit(i).is_some());
    let (c, round) = (code.clone(), current.map(|r| r.round.code.clone()));
    let (history, answers) = state
        .blocking(move |store| {
            let history = store.history(EntityKind::Service, &c)?;
            let answers = match &round {
                Some(r) => store.assessments_of(r, &c)?,
                None => Vec::new(),
            };
            Ok((history, answers))
        })
        .await
        .map_err(|e| AppError::internal(lang, e.message))?;
    let (reg, s) = (&snap.reg, &snap.reg.services[i]);
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
        .map(|c| EvidenceView {
            name: Txt::of(snap.codes.name(reg, c.as_str()), &tr, c.as_str()),
            suppliers: snap
                .codes
                .suppliers(c.as_str())
                .map(|d| &reg.datasets[d])
                .filter(|d| d.status == Status::Active)
                .map(|d| {
                    let sys = snap.codes.information_system(reg, d.system.as_str());
                    SupplierView {
                        dataset: Txt::name(&d.name, &tr, d.code.as_str()),
                        system: sys.map(|s| Txt::name(&s.name, &tr, s.code.as_str())),
                        digitisation: sys
                            .map(|s| tr.t(&format!("digitisation-{}", s.digitisation.state))),
                    }
                })
                .collect(),
        })
        .collect();
    let rounds = snap
        .rounds
        .iter()
        .filter(|r| r.assesses(i, &code))
        .map(|r| RoundStage {
            round: r.round.code.clone(),
            href: format!("/{lang}/rounds/{}", r.round.code),
            period: format!("{} – {}", r.round.period_start, r.round.period_end),
            framework: r.fw.label(lang),
            stage: stage_view(&tr, r, i),
            movement: r
                .movement(i)
                .map(|m| crate::round_pages::movement_word(&tr, m))
                // Not compared with an earlier round: shown and downloaded as a dash, like a
                // missing stage.
                .unwrap_or_else(|| "—".into()),
        })
        .collect();
    let answers: Vec<AnswerView> = monitoring::effective(&answers)
        .into_iter()
        .map(|a| AnswerView {
            // The question as the framework words it in the page's language; its id when the
            // framework has no such question (landscaping answers such as `@automated`).
            question: current
                .and_then(|r| r.fw.question_index(&a.question).map(|q| &r.fw.questions[q]))
                .map(|q| Txt::name(&q.title, &tr, &q.id).text)
                .unwrap_or_else(|| a.question.clone()),
            answer: a.answer.clone(),
            url: a.evidence_url.clone(),
            note: Txt::pick(&a.evidence_note, &tr)
                .map(|t| t.html(&tr))
                .unwrap_or_default(),
            when: a.assessed_at.clone(),
            assessor: a.assessor.clone(),
        })
        .collect();
    let (why, blocked) = crate::pages::why(&tr, &snap, current, i).unzip();
    let name = Txt::name(&s.name, &tr, s.code.as_str());
    let view = ServicePage {
        page: Page::new(tr, &format!("/services/{code}"), name.text.clone()),
        tr,
        code: s.code.to_string(),
        name,
        description: Txt::pick(&s.description, &tr),
        status: status_word(&tr, s.status),
        provenance: provenance_word(&tr, &s.provenance),
        organisations: s
            .organisations
            .iter()
            .map(|c| link(&tr, &snap, EntityKind::Organisation, c.as_str()))
            .collect(),
        life_events: s
            .life_events
            .iter()
            .map(|c| link(&tr, &snap, EntityKind::LifeEvent, c.as_str()))
            .collect(),
        channels,
        evidence,
        outputs: s
            .outputs
            .iter()
            .map(|c| Txt::of(snap.codes.name(reg, c.as_str()), &tr, c.as_str()))
            .collect(),
        history_more: ListedMore::of(
            history.len(),
            HISTORY_SHOWN,
            |n| {
                tr.counted(
                    "service-history-more",
                    n,
                    &[("shown", &tr.integer(HISTORY_SHOWN))],
                )
            },
            &format!("/api/v1/services/{code}/history"),
        ),
        history: history
            .into_iter()
            .rev()
            .take(HISTORY_SHOWN)
            .map(|r| RevisionView {
                version: r.version,
                when: r.created_at,
                action: tr.t(&format!("history-{}", r.action)),
                author: r.author,
                reason: Txt::pick(&r.reason, &tr),
            })
            .collect(),
        stage_chart: stage_chart(&tr, &snap, i),
        rounds,
        answers_title: current
            .map(|r| tr.with("service-answers", &[("round", r.round.code.as_str())])),
        answers_downloads: current.map(|r| {
            Downloads::of(&format!(
                "/api/v1/services/{code}/assessments?round={}",
                r.round.code
            ))
        }),
        answers,
        why,
        blocked: blocked.unwrap_or_default(),
        api: format!("/api/v1/services/{code}?lang={lang}"),
    };
    render(lang, &view)
}

pub async fn organisation(
    State(state): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (lang, tr, snap, p) = open_record(
        &state,
        lang,
        EntityKind::Organisation,
        &code,
        "organisation-title",
    )
    .await?;
    let reg = &snap.reg;
    let o = &reg.organisations[p];
    let name = Txt::name(&o.name, &tr, o.code.as_str());
    let all = snap.codes.services_of_organisation(p);
    let (pager, range) = Pager::new(&tr, all.len(), page_number(raw.as_deref()), PER_PAGE, |n| {
        format!("/{lang}/organisations/{code}?page={n}")
    });
    let children: Vec<&Organisation> = (reg.organisations.iter())
        .filter(|x| x.parent.as_ref() == Some(&o.code))
        .collect();
    let systems: Vec<&InformationSystem> = (reg.information_systems.iter())
        .filter(|s| s.owner == o.code)
        .collect();
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
            .map(|c| link(&tr, &snap, EntityKind::Organisation, c.as_str())),
        children: children
            .iter()
            .take(NAMED_LISTED)
            .map(|x| link(&tr, &snap, EntityKind::Organisation, x.code.as_str()))
            .collect(),
        children_more: listed_more(
            &tr,
            children.len(),
            &format!("/api/v1/organisations?parent={code}"),
        ),
        services: all[range]
            .iter()
            .map(|&i| service_line(&tr, &snap, i))
            .collect(),
        services_count: tr.counted("home-services-count", all.len(), &[]),
        pager,
        systems_more: listed_more(
            &tr,
            systems.len(),
            &format!("/api/v1/information-systems?owner={code}"),
        ),
        systems: systems
            .iter()
            .take(NAMED_LISTED)
            .map(|s| SystemView {
                href: format!("/{lang}/systems/{}", s.code),
                name: Txt::name(&s.name, &tr, s.code.as_str()),
                base_registry: s.base_registry,
                digitisation: digitisation(&tr, s),
            })
            .collect(),
        downloads: Downloads::of(&format!("/api/v1/services?organisation={code}")),
    };
    render(lang, &view)
}

/// Under a list of records a page names (an organisation's units or systems, a system's
/// datasets, a dataset's exchange links) cut at [`NAMED_LISTED`]: how many there are, and
/// every one from the API list at `api`.
fn listed_more(tr: &Tr, total: usize, api: &str) -> Option<ListedMore> {
    ListedMore::of(
        total,
        NAMED_LISTED,
        |n| tr.counted("listed-more", n, &[("shown", &tr.integer(NAMED_LISTED))]),
        api,
    )
}

fn digitisation(tr: &Tr, s: &InformationSystem) -> String {
    let state = tr.t(&format!("digitisation-{}", s.digitisation.state));
    match s.digitisation.share_pct {
        Some(p) => format!("{state} ({p}%)"),
        None => state,
    }
}

/// The services that need evidence the given datasets (registry positions) supply, one page of
/// them as rows, the pager and their count in words.
fn services_needing(
    tr: &Tr,
    snap: &Snapshot,
    datasets: &[usize],
    page: usize,
    href: impl Fn(usize) -> String,
) -> (Vec<ServiceLine>, Pager, String) {
    let all = snap.services_needing(datasets);
    let (pager, range) = Pager::new(tr, all.len(), page, PER_PAGE, href);
    let rows = all[range]
        .iter()
        .map(|&i| service_line(tr, snap, i))
        .collect();
    (
        rows,
        pager,
        tr.counted("home-services-count", all.len(), &[]),
    )
}

pub async fn system(
    State(state): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (lang, tr, snap, p) = open_record(
        &state,
        lang,
        EntityKind::InformationSystem,
        &code,
        "system-title",
    )
    .await?;
    let s = &snap.reg.information_systems[p];
    let held = snap.datasets_of(p);
    let datasets: Vec<&Dataset> = held.iter().map(|&d| &snap.reg.datasets[d]).collect();
    let name = Txt::name(&s.name, &tr, s.code.as_str());
    let (services, pager, services_count) =
        services_needing(&tr, &snap, &held, page_number(raw.as_deref()), |n| {
            format!("/{lang}/systems/{code}?page={n}")
        });
    let view = SystemPage {
        page: Page::new(tr, &format!("/systems/{code}"), name.text.clone()),
        tr,
        code: s.code.to_string(),
        name,
        description: Txt::pick(&s.description, &tr),
        owner: link(&tr, &snap, EntityKind::Organisation, s.owner.as_str()),
        base_registry: s.base_registry,
        lifecycle: tr.t(&format!("lifecycle-{}", s.lifecycle)),
        digitisation: digitisation(&tr, s),
        datasets: datasets
            .iter()
            .take(NAMED_LISTED)
            .map(|d| link(&tr, &snap, EntityKind::Dataset, d.code.as_str()))
            .collect(),
        datasets_more: listed_more(
            &tr,
            datasets.len(),
            &format!("/api/v1/datasets?system={code}"),
        ),
        services,
        pager,
        services_count,
        downloads: Downloads::of(&format!("/api/v1/datasets?system={code}")),
    };
    render(lang, &view)
}

pub async fn dataset(
    State(state): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (lang, tr, snap, p) =
        open_record(&state, lang, EntityKind::Dataset, &code, "dataset-title").await?;
    let d = &snap.reg.datasets[p];
    let name = Txt::name(&d.name, &tr, d.code.as_str());
    let (services, pager, services_count) =
        services_needing(&tr, &snap, &[p], page_number(raw.as_deref()), |n| {
            format!("/{lang}/datasets/{code}?page={n}")
        });
    let links = snap
        .reg
        .exchange_links
        .iter()
        .filter(|l| l.source_dataset.as_ref() == Some(&d.code));
    let links_total = links.clone().count();
    let links = links
        .take(NAMED_LISTED)
        .map(|l| ExchangeView {
            purpose: Txt::pick(&l.purpose, &tr),
            status: tr.t(&format!("link-{}", l.status)),
            target: l
                .target_service
                .as_ref()
                .map(|c| link(&tr, &snap, EntityKind::Service, c.as_str()))
                .or_else(|| {
                    l.target_system
                        .as_ref()
                        .map(|c| link(&tr, &snap, EntityKind::InformationSystem, c.as_str()))
                }),
        })
        .collect();
    let view = DatasetPage {
        page: Page::new(tr, &format!("/datasets/{code}"), name.text.clone()),
        tr,
        code: d.code.to_string(),
        name,
        description: Txt::pick(&d.description, &tr),
        system: link(&tr, &snap, EntityKind::InformationSystem, d.system.as_str()),
        digitisation: snap
            .codes
            .information_system(&snap.reg, d.system.as_str())
            .map(|s| digitisation(&tr, s)),
        supplies: d
            .supplies
            .iter()
            .map(|c| Txt::of(snap.codes.name(&snap.reg, c.as_str()), &tr, c.as_str()))
            .collect(),
        links,
        links_more: listed_more(
            &tr,
            links_total,
            &format!("/api/v1/exchange-links?source_dataset={code}"),
        ),
        services,
        pager,
        services_count,
    };
    render(lang, &view)
}
