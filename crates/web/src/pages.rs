//! Page handlers: read the store, build views, render.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::lang::{negotiate, remember};
use crate::snapshot::{RoundData, Seed, Snapshot};
use crate::views::*;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use egovwatch_domain::*;
use egovwatch_report::findings::{FirstBuild, FromGaps};
use std::sync::Arc;

fn parse_lang(tag: &str) -> Option<Lang> {
    tag.parse().ok()
}

/// The language of a `/{lang}/...` route; an unknown one is a page that does not exist.
pub(crate) fn page_lang(tag: String) -> Result<Lang, AppError> {
    parse_lang(&tag).ok_or(AppError::NotFound {
        lang: Lang::En,
        what: "language".into(),
        code: tag,
    })
}

/// What every page handler starts from: the page's language (from its address), its messages
/// and the snapshot (of the part of the registry connected to `about` while the whole one is
/// read, `AppState::snapshot_of`).
pub(crate) async fn open(
    state: &AppState,
    tag: String,
    about: Option<Seed>,
) -> Result<(Lang, Tr, Arc<Snapshot>), AppError> {
    let lang = page_lang(tag)?;
    Ok((lang, state.tr(lang), snapshot(state, lang, about).await?))
}

/// The snapshot (of the part connected to `about` while the whole one is read), with errors as
/// a localised page.
pub(crate) async fn snapshot(
    state: &AppState,
    lang: Lang,
    about: Option<Seed>,
) -> Result<Arc<Snapshot>, AppError> {
    state
        .snapshot_about(about)
        .await
        .map_err(|e| AppError::internal(lang, e.message))
}

/// A page as HTML, or the one of its tables the request asks for (`tables::download`).
pub(crate) fn render(
    lang: Lang,
    t: &(impl Template + crate::tables::Tables),
) -> Result<Response, AppError> {
    if let Some(want) = crate::tables::wanted() {
        return Ok(crate::tables::answer(t, &want));
    }
    let html = t.render().map_err(|e| AppError::internal(lang, e))?;
    Ok((
        [
            (header::SET_COOKIE, remember(lang)),
            (header::CACHE_CONTROL, crate::cache::PAGE.to_string()),
        ],
        Html(html),
    )
        .into_response())
}

/// A stage as a colour class and a word (its number and name), never the colour alone.
pub(crate) fn level_view(
    lang: Lang,
    l: &egovwatch_domain::scoring::framework::StageLevel,
) -> StageView {
    StageView {
        class: format!("stage-{}", l.value),
        word: format!("{} · {}", l.value, l.name.show(lang)),
    }
}

/// Where a service stands in a round: its stage, or its score when the framework has none.
pub(crate) fn stage_view(tr: &Tr, r: &RoundData, service: usize) -> Option<StageView> {
    if r.has_stages() {
        let st = r.stage(service)?;
        r.fw.stage_levels()
            .get(usize::from(st))
            .map(|l| level_view(tr.lang, l))
    } else {
        r.score(service).map(|v| StageView {
            class: "stage-score".into(),
            word: tr.decimal(v, r.fw.decimals),
        })
    }
}

/// Why service `i` stands where it does in round `r`, in words: the sentence and the records
/// that hold it back (empty unless it is blocked). Frameworks without stages have none.
pub(crate) fn why(
    tr: &Tr,
    snap: &Snapshot,
    r: Option<&RoundData>,
    i: usize,
) -> Option<(String, Vec<String>)> {
    use egovwatch_domain::gaps::explain::{Why, why};
    let r = r.filter(|r| r.has_stages());
    let levels = r.map(|r| r.fw.stage_levels()).unwrap_or_default();
    let top = u8::try_from(levels.len().checked_sub(1)?).ok()?;
    let word = |st: u8| {
        levels
            .get(usize::from(st))
            .map(|l| l.name.show(tr.lang))
            .unwrap_or_else(|| st.to_string())
    };
    let gap = snap.service_gap(i, tr.lang);
    // A stage against the ceiling the data allow, and the records in question.
    let (key, stage, ceiling, reasons) = match why(r.and_then(|r| r.stage(i)), top, gap.as_ref()) {
        Why::NotAssessed => return Some((tr.t("why-not-assessed"), Vec::new())),
        Why::FullyOnline { stage } => {
            let said = tr.with("why-fully-online", &[("stage", &word(stage))]);
            return Some((said, Vec::new()));
        }
        Why::NotBuilt {
            stage,
            ceiling,
            beyond,
        } => match beyond.is_empty() {
            true => ("why-not-built", stage, ceiling, beyond),
            false => ("why-not-built-beyond", stage, ceiling, beyond),
        },
        Why::Blocked {
            stage,
            ceiling,
            reasons,
        } => ("why-blocked", stage, ceiling, reasons),
        Why::AboveData {
            stage,
            ceiling,
            reasons,
        } => ("why-above-data", stage, ceiling, reasons),
    };
    Some((
        tr.with(key, &[("stage", &word(stage)), ("ceiling", &word(ceiling))]),
        reasons.to_vec(),
    ))
}

/// The stages of a round as a legend.
pub(crate) fn legend(tr: &Tr, r: Option<&RoundData>) -> Vec<StageView> {
    r.map(|r| {
        r.fw.stage_levels()
            .iter()
            .map(|l| level_view(tr.lang, l))
            .collect()
    })
    .unwrap_or_default()
}

pub(crate) fn number(tr: &Tr, r: &RoundData, v: Option<f64>) -> String {
    tr.score(v, r.fw.decimals)
}

/// The change of a score, rounded by the framework's rule.
pub(crate) fn delta(tr: &Tr, r: &RoundData, now: Option<f64>, before: Option<f64>) -> String {
    tr.change(
        now.map(|n| r.fw.round(n)),
        before.map(|b| r.fw.round(b)),
        r.fw.decimals,
    )
}

pub(crate) fn status_word(tr: &Tr, s: ServiceStatus) -> String {
    tr.t(&format!("status-{s}"))
}

pub(crate) fn provenance_word(tr: &Tr, p: &Provenance) -> String {
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

/// A service as a row of a table: name, lead organisation, reach and stage in the round the
/// site leads with.
pub(crate) fn service_line(tr: &Tr, snap: &Snapshot, i: usize) -> ServiceLine {
    let lang = tr.lang;
    let (reg, s) = (&snap.reg, &snap.reg.services[i]);
    let organisation = s.organisations.first().map(|c| Link {
        href: format!("/{lang}/organisations/{c}"),
        label: Txt::of(
            snap.codes.organisation(reg, c.as_str()).map(|x| &x.name),
            tr,
            c.as_str(),
        ),
    });
    let reach = reach(s);
    ServiceLine {
        href: format!("/{lang}/services/{}", s.code),
        name: Txt::name(&s.name, tr, s.code.as_str()),
        organisation,
        status: status_word(tr, s.status),
        reach,
        reach_word: tr.t(&format!(
            "online-{}",
            if reach == "online" { "yes" } else { reach }
        )),
        stage: snap.current().and_then(|r| stage_view(tr, r, i)),
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

/// Services the journey shows per life event; the life event's page shows them all.
pub(crate) const JOURNEY_SERVICES: usize = 12;
/// Rows per page of long tables.
pub(crate) const PER_PAGE: usize = 100;

/// The `page` query parameter (1-based), 1 when absent or not a number.
pub(crate) fn page_number(raw: Option<&str>) -> usize {
    page_number_of(raw, "page")
}

/// The page number parameter `key` of a page with several paged lists (1 when absent).
pub(crate) fn page_number_of(raw: Option<&str>, key: &str) -> usize {
    crate::api::pairs(raw)
        .into_iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1)
}

/// A life event with the services in `range` of its own (by default the first few), as the
/// journey and its own page show it.
fn journey_event(
    tr: &Tr,
    snap: &Snapshot,
    g: usize,
    range: Option<std::ops::Range<usize>>,
) -> JourneyEvent {
    let lang = tr.lang;
    let e = &snap.reg.life_events[g];
    let (total, shown) = snap.journey_services(g, range.unwrap_or(0..JOURNEY_SERVICES));
    let services: Vec<JourneyService> = shown
        .into_iter()
        .map(|i| {
            let line = service_line(tr, snap, i);
            JourneyService {
                stage: line.stage.clone(),
                line,
            }
        })
        .collect();
    let href = format!("/{lang}/life-events/{}", e.code);
    JourneyEvent {
        code: e.code.to_string(),
        more: (total > services.len())
            .then(|| tr.with("life-event-all", &[("count", &total.to_string())])),
        href,
        order: e.journey_order,
        name: Txt::name(&e.name, tr, e.code.as_str()),
        description: Txt::pick(&e.description, tr),
        services_count: tr.counted("home-services-count", total, &[]),
        score: snap
            .current()
            .and_then(|r| r.group(0, g).map(|v| number(tr, r, Some(v)))),
        services,
    }
}

/// A round's findings in words (as stored when it was published, `monitoring::findings`,
/// worded as the report words them), with
/// the services that go no further than information named and linked. What to build first is
/// said for the current round, the one the gap analysis is about. For frameworks with stages.
pub fn findings(tr: &Tr, snap: &Snapshot, r: &RoundData) -> Option<Findings> {
    let f = r.results.findings.as_ref()?;
    let lang = tr.lang;
    let name = |code: &str| Txt::of(snap.codes.name(&snap.reg, code), tr, code);
    let is_current = snap.current().is_some_and(|c| c.round.code == r.round.code);
    let first = is_current.then(|| snap.first_investment(lang)).flatten();
    let gaps = is_current
        .then(|| snap.held_back_by(&f.registries))
        .flatten()
        .map(|held_back| FromGaps {
            first: first.as_ref().map(|i| FirstBuild {
                title: &i.title,
                unlocks: i.unlocked_services.len(),
                moves: i.investment.moves(),
            }),
            held_back,
        });
    let against = r
        .comparison
        .as_ref()
        .and(r.previous)
        .map(|p| snap.rounds[p].round.code.as_str());
    let sentences =
        egovwatch_report::findings::sentences(tr, f, &|code| name(code).text, against, gaps);
    let stuck = f
        .stuck()
        .take(MAX_NAMED)
        .map(|code| Named {
            name: name(code),
            href: crate::find::href(lang, EntityKind::Service, code),
        })
        .collect();
    let total = f.undeveloped.len() + f.information_only.len();
    // The rest, by stage: the browse page's stage facet for the current round (the one it
    // shows), the round's services in the API for another.
    let rest = if total > MAX_NAMED {
        [(0u8, f.undeveloped.len()), (1, f.information_only.len())]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(st, n)| Link {
                href: if is_current {
                    format!("/{lang}/services?stage={st}")
                } else {
                    format!(
                        "/api/v1/services?round={}&stage={st}&format=csv",
                        r.round.code
                    )
                },
                label: Txt {
                    text: format!(
                        "{} · {}",
                        stage_label(tr, r, st),
                        tr.counted("home-services-count", n, &[])
                    ),
                    lang,
                    fallback: false,
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(Findings {
        sentences,
        stuck_title: tr.t("findings-stuck-list"),
        stuck_count: tr.integer(total),
        stuck_more: (total > MAX_NAMED)
            .then(|| tr.with("findings-stuck-first", &[("shown", &tr.integer(MAX_NAMED))])),
        stuck,
        rest,
    })
}

/// The most services a round's findings name on a page (the seed's story names twelve); a
/// national round has thousands, which are counted and linked by stage instead.
pub const MAX_NAMED: usize = 100;

/// `st` with its name in `r`'s framework ("1 Information only"), as the findings' links and the
/// browse page's stage facet label it.
pub(crate) fn stage_label(tr: &Tr, r: &RoundData, st: u8) -> String {
    match r.fw.stage_levels().get(usize::from(st)) {
        Some(l) => format!("{st} {}", l.name.show(tr.lang)),
        None => st.to_string(),
    }
}

fn headline(tr: &Tr, snap: &Snapshot) -> Option<Headline> {
    let r = snap.current()?;
    let lang = tr.lang;
    let before = r.comparison.as_ref().and_then(|c| c.index_before);
    Some(Headline {
        round_href: format!("/{lang}/rounds/{}", r.round.code),
        index: number(tr, r, r.index()),
        change: before.map(|b| {
            tr.with(
                "home-index-change",
                &[
                    ("delta", &delta(tr, r, r.index(), Some(b))),
                    (
                        "round",
                        r.previous
                            .map(|p| snap.rounds[p].round.code.as_str())
                            .unwrap_or(""),
                    ),
                ],
            )
        }),
        source: tr.with(
            "home-index-source",
            &[("round", &r.round.code), ("framework", &r.fw.label(lang))],
        ),
    })
}

/// Subjects named in the home page's note before the rest are counted.
const SUBJECTS_NAMED: usize = 3;

/// When the published rounds are about several subjects (countries, in a registry of several):
/// that the latest round `r`, which the home page's findings and index are from, speaks for its
/// own subject alone, named.
fn subjects_note(tr: &Tr, snap: &Snapshot, r: &RoundData) -> Option<String> {
    let count = snap.subjects_count();
    if count < 2 {
        return None;
    }
    let tops = snap.subjects.of_round(&r.round.code)?;
    let mut named: Vec<String> = tops
        .iter()
        .take(SUBJECTS_NAMED)
        .map(|c| Txt::of(snap.codes.name(&snap.reg, c), tr, c).text)
        .collect();
    if tops.len() > SUBJECTS_NAMED {
        named.push(tr.count("findings-more", tops.len() - SUBJECTS_NAMED));
    }
    Some(tr.with(
        "home-subjects",
        &[
            ("count", &tr.integer(count)),
            ("subject", &named.join(", ")),
        ],
    ))
}

async fn home_in(state: &AppState, lang: Lang) -> Result<Response, AppError> {
    let (tr, snap) = (
        state.tr(lang),
        snapshot(state, lang, Some(Seed::Home)).await?,
    );
    let events = snap
        .journey
        .iter()
        .map(|&g| journey_event(&tr, &snap, g, None))
        .collect();
    render(
        lang,
        &JourneyPage {
            page: Page::new(tr, "/", tr.t("home-title")),
            tr,
            findings: snap.current().and_then(|r| findings(&tr, &snap, r)),
            subjects: snap.current().and_then(|r| subjects_note(&tr, &snap, r)),
            headline: headline(&tr, &snap),
            events,
            legend: legend(&tr, snap.current()),
        },
    )
}

pub async fn life_event(
    State(state): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let page = page_number(raw.as_deref());
    let about = Seed::LifeEvent {
        code: code.clone(),
        page,
    };
    let (lang, tr, snap) = open(&state, lang, Some(about)).await?;
    let g = snap
        .codes
        .position(EntityKind::LifeEvent, &code)
        .ok_or_else(|| AppError::NotFound {
            lang,
            what: tr.t("life-event-title").to_lowercase(),
            code: code.clone(),
        })?;
    let (total, _) = snap.journey_services(g, 0..0);
    let (pager, range) = Pager::new(&tr, total, page, PER_PAGE, |p| {
        format!("/{lang}/life-events/{code}?page={p}")
    });
    let event = journey_event(&tr, &snap, g, Some(range));
    let scores = snap.life_event_scores(g);
    let rounds_total = scores.len();
    let rounds = (scores.into_iter())
        .skip(rounds_total.saturating_sub(crate::records::ROUNDS_LISTED))
        .filter_map(|s| {
            Some((
                s.round.to_string(),
                format!("/{lang}/rounds/{}", s.round),
                tr.score(Some(s.score?), s.decimals),
            ))
        })
        .collect();
    render(
        lang,
        &LifeEventPage {
            page: Page::new(tr, &format!("/life-events/{code}"), event.name.text.clone()),
            tr,
            downloads: Downloads::of(&format!("/api/v1/services?life_event={code}")),
            rounds_more: ListedMore::of(
                rounds_total,
                crate::records::ROUNDS_LISTED,
                |n| {
                    tr.counted(
                        "life-event-rounds-more",
                        n,
                        &[("shown", &tr.integer(crate::records::ROUNDS_LISTED))],
                    )
                },
                &format!("/api/v1/life-events/{code}/rounds"),
            ),
            pager,
            legend: legend(&tr, snap.current()),
            event,
            rounds,
        },
    )
}

pub async fn search(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let lang = page_lang(lang)?;
    let tr = state.tr(lang);
    let query = crate::api::pairs(raw.as_deref())
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v)
        .unwrap_or_default();
    if query.chars().count() > crate::find::MAX_QUERY_CHARS {
        return Err(AppError::Refused {
            lang,
            status: StatusCode::URI_TOO_LONG,
            key: "uri-too-long",
        });
    }
    let asked = page_number(raw.as_deref());
    let snap = snapshot(&state, lang, Some(Seed::search(&query, &[]))).await?;
    let first = Pager::rows(usize::MAX, asked, SEARCH_PER_PAGE).start;
    let (mut found, mut total) = crate::find::run(
        &snap,
        &query,
        None,
        lang,
        &state.fallback,
        (first, SEARCH_PER_PAGE),
    );
    if found.is_empty() && first > 0 && total > 0 {
        // A page past the last is the last.
        let last = Pager::rows(total, asked, SEARCH_PER_PAGE).start;
        (found, total) = crate::find::run(
            &snap,
            &query,
            None,
            lang,
            &state.fallback,
            (last, SEARCH_PER_PAGE),
        );
    }
    let address = |page: usize| {
        let mut params = vec![("q".to_string(), query.clone())];
        if page > 1 {
            params.push(("page".to_string(), page.to_string()));
        }
        crate::api::address("/search", &params)
    };
    let (pager, shown) = Pager::new(&tr, total, asked, SEARCH_PER_PAGE, |p| {
        format!("/{lang}{}", address(p))
    });
    let page_no = shown.start / SEARCH_PER_PAGE + 1;
    let rows = found
        .into_iter()
        .map(|f| SearchRow {
            kind: tr.t(&format!("kind-{}", crate::find::kind_word(f.kind))),
            href: f.href,
            code: f.code,
            title_html: f.title_html,
            title_lang: f.title_lang.tag(),
            context_html: f.context_html.map(|(h, l)| (h, l.map(Lang::tag))),
        })
        .collect();
    let title = if query.is_empty() {
        tr.t("search-title")
    } else {
        tr.with("search-title-for", &[("query", &query)])
    };
    let mut api = vec![
        ("lang".to_string(), lang.to_string()),
        ("q".to_string(), query.clone()),
    ];
    if shown.start > 0 {
        api.push(("cursor".into(), crate::find::rank_cursor(shown.start)));
    }
    render(
        lang,
        &SearchPage {
            page: Page::new(tr, &address(page_no), title),
            tr,
            // Which page this is, beside the count, where the reader starts reading.
            total: match (query.is_empty(), pager.label.is_empty()) {
                (true, _) => String::new(),
                (false, true) => tr.counted("search-count", total, &[]),
                (false, false) => {
                    format!(
                        "{}. {}",
                        tr.counted("search-count", total, &[]),
                        pager.label
                    )
                }
            },
            api: crate::api::address("/api/v1/search", &api),
            first: shown.start + 1,
            pager,
            query,
            rows,
        },
    )
}

/// Results per page of the search page (the API takes up to 200 a page).
const SEARCH_PER_PAGE: usize = 100;

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
