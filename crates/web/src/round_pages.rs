//! The rounds pages: every published round with its index, and a dashboard per round (index
//! by life event and by organisation, stage distribution, improved / regressed / new, the
//! comparison with the previous round, the report files). Reports are written on request from
//! the same data as `egovwatch report`.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{PER_PAGE, delta, legend, level_view, number, open, page_number, render};
use crate::records::NAMED_LISTED;
use crate::snapshot::{LIFE_EVENTS, ORGANISATIONS, RoundData, Seed, Snapshot};
use crate::views::*;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use egovwatch_domain::EntityKind;
use egovwatch_domain::monitoring::{self, Movement};
use egovwatch_report::charts;

fn round_row(tr: &Tr, snap: &Snapshot, r: &RoundData) -> RoundRow {
    let before = r.previous.map(|p| &snap.rounds[p]).and_then(|p| p.index());
    RoundRow {
        code: r.round.code.clone(),
        href: format!("/{}/rounds/{}", tr.lang, r.round.code),
        name: Txt::name(&r.round.name, tr, &r.round.code),
        period: format!("{} – {}", r.round.period_start, r.round.period_end),
        framework: r.fw.label(tr.lang),
        index: number(tr, r, r.index()),
        change: delta(tr, r, r.index(), before),
        services: r.services(),
    }
}

/// The national index of every round on the same framework and scope, up to `r`.
fn index_series(snap: &Snapshot, r: &RoundData) -> Vec<(String, f64)> {
    monitoring::series(
        snap.rounds.iter().map(|x| &x.round),
        &snap.subjects,
        &r.round,
    )
    .into_iter()
    .filter_map(|x| {
        let (_, d) = snap.round(&x.code)?;
        Some((x.code.clone(), d.index()?))
    })
    .collect()
}

/// Every published round, the latest first, a page at a time (a registry of many countries has
/// rounds by the thousand).
pub async fn rounds(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (lang, tr, snap) = open(&state, lang, None).await?;
    let (pager, range) = Pager::new(
        &tr,
        snap.rounds.len(),
        page_number(raw.as_deref()),
        PER_PAGE,
        |p| format!("/{lang}/rounds?page={p}"),
    );
    let rounds: Vec<RoundRow> = snap
        .rounds
        .iter()
        .rev()
        .skip(range.start)
        .take(range.len())
        .map(|r| round_row(&tr, &snap, r))
        .collect();
    let chart = snap
        .current()
        .map(|r| ChartView::of(&charts::index_chart(&tr, &index_series(&snap, r)), &tr));
    render(
        lang,
        &RoundsPage {
            page: Page::new(tr, "/rounds", tr.t("rounds-title")),
            tr,
            rounds,
            pager,
            downloads: Downloads::of("/api/v1/rounds"),
            chart,
        },
    )
}

fn group_rows(tr: &Tr, snap: &Snapshot, r: &RoundData, grouping: usize) -> Vec<GroupRow> {
    let kind = if grouping == LIFE_EVENTS {
        EntityKind::LifeEvent
    } else {
        EntityKind::Organisation
    };
    snap.group_scores(r, grouping)
        .into_iter()
        .map(|g| GroupRow {
            href: crate::find::href(tr.lang, kind, g.code),
            name: Txt::name(g.name, tr, g.code),
            now: number(tr, r, Some(g.now)),
            before: number(tr, r, g.before),
            delta: delta(tr, r, Some(g.now), g.before),
            services: g.services,
        })
        .collect()
}

/// A movement in the reader's language.
pub fn movement_word(tr: &Tr, m: Movement) -> String {
    tr.t(&format!("report-{}", m.as_str()))
}

pub async fn round(
    State(state): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (lang, tr, snap) = open(&state, lang, Some(Seed::Round(code.clone()))).await?;
    let (_, r) = snap.round(&code).ok_or_else(|| AppError::NotFound {
        lang,
        what: tr.t("round-title").to_lowercase(),
        code: code.clone(),
    })?;
    let levels = r.fw.stage_levels();
    let counts = r.stage_counts();
    let stages: Vec<(StageView, usize)> = legend(&tr, Some(r)).into_iter().zip(counts).collect();
    let m = r.movement_counts();
    // Every organisation the round scores: in a round about a whole registry of many
    // countries, thousands (the API pages through them).
    let organisations = group_rows(&tr, &snap, r, ORGANISATIONS);
    let organisations_total = organisations.len();
    // Every service improved or regressed, a page at a time: in a national round, thousands.
    let (moved_pager, shown) = Pager::new(
        &tr,
        r.moved(&snap.reg).count(),
        page_number(raw.as_deref()),
        PER_PAGE,
        |p| format!("/{lang}/rounds/{code}?page={p}#moved-h"),
    );
    let moved = r
        .moved(&snap.reg)
        .skip(shown.start)
        .take(shown.len())
        .map(|c| {
            let stage = |v: Option<u8>, s: Option<f64>| match (v, s) {
                (Some(st), _) => levels
                    .get(usize::from(st))
                    .map(|l| level_view(lang, l).word)
                    .unwrap_or_else(|| st.to_string()),
                (None, s) => number(&tr, r, s),
            };
            MovedRow {
                href: format!("/{lang}/services/{}", c.service),
                name: Txt::of(snap.codes.name(&snap.reg, &c.service), &tr, &c.service),
                movement: movement_word(&tr, c.movement),
                before: stage(c.stage_before, c.before),
                now: stage(c.stage_now, c.now),
            }
        })
        .collect();
    let mut charts_shown = Vec::new();
    if r.has_stages() {
        let rows = snap
            .journey
            .iter()
            .filter_map(|&g| {
                let mut counts = vec![0.0; levels.len()];
                let mut any = false;
                for &i in snap.codes.services_of_life_event(g) {
                    if let Some(st) = r.stage(i)
                        && let Some(c) = counts.get_mut(usize::from(st))
                    {
                        *c += 1.0;
                        any = true;
                    }
                }
                any.then(|| (snap.reg.life_events[g].name.show(lang), counts))
            })
            .collect();
        let names = levels.iter().map(|l| l.name.show(lang)).collect();
        charts_shown.push(ChartView::of(&charts::stages_chart(&tr, names, rows), &tr));
    }
    charts_shown.push(ChartView::of(
        &charts::index_chart(&tr, &index_series(&snap, r)),
        &tr,
    ));
    if r.comparison.is_some() {
        charts_shown.push(ChartView::of(
            &charts::movement_chart(&tr, [m[0], m[1], m[2], m[3]]),
            &tr,
        ));
    }
    let reports = ["html", "md", "pdf", "csv"]
        .iter()
        .map(|f| ReportLink {
            href: format!("/{lang}/rounds/{code}/report.{f}"),
            label: tr.t(&format!("round-report-{f}")),
        })
        .collect();
    let view = RoundPage {
        page: Page::new(
            tr,
            &match shown.start / PER_PAGE + 1 {
                1 => format!("/rounds/{code}"),
                p => format!("/rounds/{code}?page={p}"),
            },
            tr.with("round-heading", &[("round", &code)]),
        ),
        tr,
        round: round_row(&tr, &snap, r),
        previous: r.previous.map(|p| {
            let c = &snap.rounds[p].round.code;
            Link {
                href: format!("/{lang}/rounds/{c}"),
                label: Txt {
                    text: c.clone(),
                    lang,
                    fallback: false,
                },
            }
        }),
        findings: crate::pages::findings(&tr, &snap, r),
        stages,
        life_events: group_rows(&tr, &snap, r, LIFE_EVENTS),
        organisations: organisations.into_iter().take(NAMED_LISTED).collect(),
        organisations_more: ListedMore::of(
            organisations_total,
            NAMED_LISTED,
            |n| tr.counted("listed-more", n, &[("shown", &tr.integer(NAMED_LISTED))]),
            &format!("/api/v1/rounds/{code}/organisations"),
        ),
        moved,
        pager: moved_pager,
        charts: charts_shown,
        reports,
        le_downloads: Downloads::of(&format!("/api/v1/rounds/{code}/life-events")),
        org_downloads: Downloads::of(&format!("/api/v1/rounds/{code}/organisations")),
        // Every service of the round: the report's data table, whole (an API page holds 1,000).
        services_downloads: Downloads {
            csv: format!("/{lang}/rounds/{code}/report.csv"),
            json: format!("/api/v1/services?round={code}&limit=1000"),
        },
    };
    render(lang, &view)
}

/// `/{lang}/rounds/{code}/report.{html,md,pdf,csv}`: the progress report of a round against
/// the previous one, written as `egovwatch report` writes it, on the registry the site holds.
pub async fn report(
    State(state): State<AppState>,
    Path((lang, code, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (lang, tr, snap) = open(&state, lang, Some(Seed::Round(code.clone()))).await?;
    let not_found = || AppError::NotFound {
        lang,
        what: tr.t("round-title").to_lowercase(),
        code: format!("{code}/{file}"),
    };
    let (_, r) = snap.round(&code).ok_or_else(not_found)?;
    // `report.FORMAT`, or a chart of the report as its Markdown names it beside itself
    // (`STEM-CHART.svg`).
    let format = match file.strip_prefix("report.") {
        Some(format) => format.to_string(),
        None if file.ends_with(".svg") => "svg".to_string(),
        None => return Err(not_found()),
    };
    let against = r.previous.map(|p| snap.rounds[p].round.code.clone());
    let round = r.round.code.clone();
    let chart = file.clone();
    // On the registry the site holds: not read again for every report.
    let registry = snap.reg.clone();
    // Written on request, seconds and hundreds of megabytes for a large round: only
    // `max_reports` at once (a repeated one is answered from the response cache).
    let permit = state.permit(&state.reports, lang).await?;
    let (content_type, bytes) = state
        .blocking(move |store| {
            let _permit = permit;
            let r =
                egovwatch_app::rounds::reported_on(store, &round, against.as_deref(), registry)?;
            let rep = egovwatch_report::gather(&r, lang, None)?;
            let blocks = egovwatch_report::document::blocks(&rep);
            Ok(match format.as_str() {
                "html" => (
                    "text/html; charset=utf-8",
                    egovwatch_report::html::render(&rep, &blocks).into_bytes(),
                ),
                "md" => (
                    "text/markdown; charset=utf-8",
                    egovwatch_report::markdown::render(&rep, &blocks).into_bytes(),
                ),
                "pdf" => (
                    "application/pdf",
                    egovwatch_report::pdf::render(&rep, &blocks)?,
                ),
                "csv" => (
                    "text/csv; charset=utf-8",
                    egovwatch_report::data_csv(&rep).into_bytes(),
                ),
                "svg" => rep
                    .charts
                    .iter()
                    .find(|c| format!("{}-{}.svg", rep.file_stem(), c.id) == chart)
                    .map_or(("", Vec::new()), |c| {
                        (
                            "image/svg+xml",
                            egovwatch_report::charts::svg(c).into_bytes(),
                        )
                    }),
                _ => ("", Vec::new()),
            })
        })
        .await
        .map_err(|e| AppError::internal(lang, e.message))?;
    if content_type.is_empty() {
        return Err(not_found());
    }
    // The HTML report carries its style sheet inline: its own policy allows exactly that.
    let csp = match content_type.starts_with("text/html") {
        true => crate::security::document_csp(&String::from_utf8_lossy(&bytes)),
        false => crate::security::CSP.to_string(),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CACHE_CONTROL, crate::cache::PUBLIC.to_string()),
            (header::CONTENT_SECURITY_POLICY, csp),
        ],
        bytes,
    )
        .into_response())
}
