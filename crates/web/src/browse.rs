//! Browse pages: every service, organisation, information system, dataset and life event in a
//! table with facets (each value with how many records have it), sorting and pages; the table
//! downloads as CSV or JSON like every table of the site (`?table=t-browse&format=csv`).
//!
//! Facet counts follow the usual rule of faceted search: a facet's counts are over the records
//! the *other* selected facets leave, so choosing a value never hides the alternatives.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{open, render};
use crate::snapshot::Snapshot;
use crate::views::{Page, Pager, Txt};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use egovwatch_domain::EntityKind;

/// Rows per page.
pub const PER_PAGE: usize = 50;

/// The kinds of record that have a browse page, by the path segment after the language.
pub const KINDS: [(&str, EntityKind); 5] = [
    ("services", EntityKind::Service),
    ("organisations", EntityKind::Organisation),
    ("systems", EntityKind::InformationSystem),
    ("datasets", EntityKind::Dataset),
    ("life-events", EntityKind::LifeEvent),
];

/// One record as a row: its name and link, the cells of the other columns, and its value for
/// each facet as (key, label).
struct Record {
    code: String,
    name: Txt,
    href: String,
    cells: Vec<String>,
    facets: Vec<(String, String)>,
}

/// A facet value as shown: its label, how many records have it, and the address that selects
/// it (or clears the facet, for "all").
pub struct FacetOption {
    pub label: String,
    pub count: usize,
    pub href: String,
    pub current: bool,
}

pub struct FacetView {
    pub label: String,
    pub options: Vec<FacetOption>,
}

pub struct RowView {
    pub name: Txt,
    pub href: String,
    pub cells: Vec<String>,
}

pub struct SortLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "browse.html")]
pub struct BrowsePage {
    pub page: Page,
    pub tr: Tr,
    pub heading: String,
    pub count: String,
    pub facets: Vec<FacetView>,
    pub sorts: Vec<SortLink>,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    pub pager: Pager,
    pub api: String,
}

impl crate::tables::Tables for BrowsePage {
    fn table(&self, id: &str) -> Option<crate::tables::DataTable> {
        (id == "t-browse").then(|| {
            let mut head = vec![self.tr.t("browse-col-name")];
            head.extend(self.columns.iter().cloned());
            let rows = self.rows.iter().map(|r| {
                let mut row = vec![r.name.text.clone()];
                row.extend(r.cells.iter().cloned());
                row
            });
            crate::tables::DataTable {
                head,
                rows: rows.collect(),
            }
        })
    }
}

/// The columns after the name, the facets (parameter, label) and the records of one kind.
struct Table {
    columns: Vec<String>,
    facets: Vec<(&'static str, String)>,
    records: Vec<Record>,
}

fn word(tr: &Tr, prefix: &str, w: &str) -> String {
    tr.t(&format!("{prefix}-{w}"))
}

fn table(snap: &Snapshot, tr: &Tr, kind: EntityKind) -> Table {
    let reg = &snap.reg;
    let lang = tr.lang;
    let name_of = |code: &str| Txt::of(snap.codes.name(reg, code), tr, code);
    let href = |k: EntityKind, code: &str| crate::find::href(lang, k, code);
    match kind {
        EntityKind::Service => {
            let current = snap.current();
            let records = reg
                .services
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let lead = s.organisations.first().map(|o| o.as_str()).unwrap_or("");
                    let stage = current.and_then(|r| r.stage(i));
                    let stage_label = match (current, stage) {
                        (Some(r), Some(st)) => {
                            r.fw.stage_levels()
                                .get(usize::from(st))
                                .map(|l| format!("{st} {}", l.name.show(lang)))
                                .unwrap_or_else(|| st.to_string())
                        }
                        _ => tr.t("service-not-assessed"),
                    };
                    let life_events: Vec<String> = s
                        .life_events
                        .iter()
                        .map(|l| name_of(l.as_str()).text)
                        .collect();
                    let status = word(tr, "status", s.status.as_str());
                    Record {
                        code: s.code.to_string(),
                        name: Txt::name(&s.name, tr, s.code.as_str()),
                        href: href(EntityKind::Service, s.code.as_str()),
                        cells: vec![
                            name_of(lead).text,
                            life_events.join("; "),
                            stage_label.clone(),
                            status.clone(),
                        ],
                        facets: vec![
                            (
                                stage.map_or("none".into(), |st| st.to_string()),
                                stage_label,
                            ),
                            (lead.to_string(), name_of(lead).text),
                            (
                                s.life_events
                                    .first()
                                    .map(|l| l.to_string())
                                    .unwrap_or_default(),
                                life_events.first().cloned().unwrap_or_default(),
                            ),
                            (s.status.as_str().to_string(), status),
                        ],
                    }
                })
                .collect();
            Table {
                columns: vec![
                    tr.t("col-organisation"),
                    tr.t("col-life-event"),
                    tr.t("col-stage"),
                    tr.t("col-status"),
                ],
                facets: vec![
                    ("stage", tr.t("col-stage")),
                    ("organisation", tr.t("col-organisation")),
                    ("life_event", tr.t("col-life-event")),
                    ("status", tr.t("col-status")),
                ],
                records,
            }
        }
        EntityKind::Organisation => {
            let records = reg
                .organisations
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let kind = word(tr, "orgtype", o.org_type.as_str());
                    let parent = o
                        .parent
                        .as_ref()
                        .map(|p| name_of(p.as_str()).text)
                        .unwrap_or_default();
                    Record {
                        code: o.code.to_string(),
                        name: Txt::name(&o.name, tr, o.code.as_str()),
                        href: href(EntityKind::Organisation, o.code.as_str()),
                        cells: vec![
                            kind.clone(),
                            parent,
                            snap.codes.services_of_organisation(i).len().to_string(),
                        ],
                        facets: vec![(o.org_type.as_str().to_string(), kind)],
                    }
                })
                .collect();
            Table {
                columns: vec![
                    tr.t("organisation-type"),
                    tr.t("organisation-parent"),
                    tr.t("organisation-services"),
                ],
                facets: vec![("type", tr.t("organisation-type"))],
                records,
            }
        }
        EntityKind::InformationSystem => {
            let records = reg
                .information_systems
                .iter()
                .map(|s| {
                    let state = word(tr, "digitisation", s.digitisation.state.as_str());
                    let base = tr.t(if s.base_registry { "yes" } else { "no" });
                    Record {
                        code: s.code.to_string(),
                        name: Txt::name(&s.name, tr, s.code.as_str()),
                        href: href(EntityKind::InformationSystem, s.code.as_str()),
                        cells: vec![name_of(s.owner.as_str()).text, state.clone(), base.clone()],
                        facets: vec![
                            (s.digitisation.state.as_str().to_string(), state),
                            (s.base_registry.to_string(), base),
                        ],
                    }
                })
                .collect();
            Table {
                columns: vec![
                    tr.t("system-owner"),
                    tr.t("system-digitisation"),
                    tr.t("system-base-registry"),
                ],
                facets: vec![
                    ("digitisation", tr.t("system-digitisation")),
                    ("base_registry", tr.t("system-base-registry")),
                ],
                records,
            }
        }
        EntityKind::Dataset => {
            let records = reg
                .datasets
                .iter()
                .map(|d| {
                    let system = snap.codes.information_system(reg, d.system.as_str());
                    let state = system
                        .map(|s| word(tr, "digitisation", s.digitisation.state.as_str()))
                        .unwrap_or_default();
                    Record {
                        code: d.code.to_string(),
                        name: Txt::name(&d.name, tr, d.code.as_str()),
                        href: href(EntityKind::Dataset, d.code.as_str()),
                        cells: vec![name_of(d.system.as_str()).text, state.clone()],
                        facets: vec![(
                            system
                                .map(|s| s.digitisation.state.as_str().to_string())
                                .unwrap_or_default(),
                            state,
                        )],
                    }
                })
                .collect();
            Table {
                columns: vec![tr.t("dataset-system"), tr.t("system-digitisation")],
                facets: vec![("digitisation", tr.t("system-digitisation"))],
                records,
            }
        }
        _ => {
            let records = snap
                .journey
                .iter()
                .map(|&g| {
                    let e = &reg.life_events[g];
                    Record {
                        code: e.code.to_string(),
                        name: Txt::name(&e.name, tr, e.code.as_str()),
                        href: href(EntityKind::LifeEvent, e.code.as_str()),
                        cells: vec![snap.codes.services_of_life_event(g).len().to_string()],
                        facets: Vec::new(),
                    }
                })
                .collect();
            Table {
                columns: vec![tr.t("life-event-services")],
                facets: Vec::new(),
                records,
            }
        }
    }
}

/// An address of this page with `pairs` as its query.
fn address(base: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return base.to_string();
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{base}?{}", q.finish())
}

/// `GET /{lang}/{kind}`: services, organisations, systems, datasets or life-events.
pub async fn page(
    State(state): State<AppState>,
    Path((lang, segment)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (lang, tr, snap) = open(&state, lang).await?;
    let Some(&(segment, kind)) = KINDS.iter().find(|(s, _)| *s == segment) else {
        return Err(AppError::NotFound {
            lang,
            what: String::new(),
            code: segment,
        });
    };
    let t = table(&snap, &tr, kind);
    let asked = crate::api::pairs(raw.as_deref());
    let get = |k: &str| asked.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let chosen: Vec<Option<String>> = t.facets.iter().map(|(p, _)| get(p)).collect();
    let sort = get("sort").unwrap_or_else(|| "name".into());
    let page_no = get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    // The query that keeps everything asked but one facet (and the page).
    let base = format!("/{}/{segment}", lang.tag());
    let keep = |except: Option<usize>, extra: Option<(&str, &str)>| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, (p, _)) in t.facets.iter().enumerate() {
            if Some(k) != except
                && let Some(v) = &chosen[k]
            {
                out.push((p.to_string(), v.clone()));
            }
        }
        if sort != "name" {
            out.push(("sort".into(), sort.clone()));
        }
        if let Some((k, v)) = extra {
            out.retain(|(n, _)| n != k);
            out.push((k.into(), v.into()));
        }
        out
    };
    let passes = |r: &Record, except: Option<usize>| {
        chosen.iter().enumerate().all(|(k, c)| {
            Some(k) == except
                || c.as_ref()
                    .is_none_or(|v| r.facets.get(k).is_some_and(|f| f.0 == *v))
        })
    };
    let facets: Vec<FacetView> = t
        .facets
        .iter()
        .enumerate()
        .map(|(k, (param, label))| {
            let mut values: std::collections::BTreeMap<String, (String, usize)> =
                Default::default();
            let mut all = 0;
            for r in t.records.iter().filter(|r| passes(r, Some(k))) {
                all += 1;
                if let Some((key, shown)) = r.facets.get(k) {
                    values.entry(key.clone()).or_insert((shown.clone(), 0)).1 += 1;
                }
            }
            let mut options = vec![FacetOption {
                label: tr.t("browse-all"),
                count: all,
                href: address(&base, &keep(Some(k), None)),
                current: chosen[k].is_none(),
            }];
            let mut listed: Vec<(String, (String, usize))> = values.into_iter().collect();
            listed.sort_by(|a, b| a.1.0.cmp(&b.1.0));
            for (key, (shown, count)) in listed {
                options.push(FacetOption {
                    current: chosen[k].as_deref() == Some(key.as_str()),
                    href: address(&base, &keep(None, Some((param, &key)))),
                    label: shown,
                    count,
                });
            }
            FacetView {
                label: label.clone(),
                options,
            }
        })
        .collect();
    let mut rows: Vec<&Record> = t.records.iter().filter(|r| passes(r, None)).collect();
    match sort.as_str() {
        "code" => rows.sort_by(|a, b| a.code.cmp(&b.code)),
        "-name" => rows.sort_by(|a, b| b.name.text.cmp(&a.name.text)),
        // Life events keep the journey's order unless a sort is asked for.
        _ if kind == EntityKind::LifeEvent && get("sort").is_none() => {}
        _ => rows.sort_by(|a, b| a.name.text.cmp(&b.name.text)),
    }
    let total = rows.len();
    let (pager, range) = Pager::new(&tr, total, page_no, PER_PAGE, |p| {
        address(&base, &keep(None, Some(("page", &p.to_string()))))
    });
    let rows = rows[range]
        .iter()
        .map(|r| RowView {
            name: r.name.clone(),
            href: r.href.clone(),
            cells: r.cells.clone(),
        })
        .collect();
    let sorts = [
        ("name", "browse-sort-name"),
        ("-name", "browse-sort-name-desc"),
        ("code", "browse-sort-code"),
    ]
    .iter()
    .map(|(s, key)| SortLink {
        label: tr.t(key),
        href: address(&base, &keep(None, Some(("sort", s)))),
        current: sort == *s,
    })
    .collect();
    let heading = tr.t(&format!("browse-{segment}"));
    let mut query = String::new();
    if let Some(r) = raw.as_deref().filter(|r| !r.is_empty()) {
        query = format!("?{r}");
    }
    let api = match kind {
        EntityKind::InformationSystem => "/api/v1/information-systems".to_string(),
        _ => format!("/api/v1/{segment}"),
    };
    render(
        lang,
        &BrowsePage {
            page: Page::new(tr, &format!("/{segment}{query}"), heading.clone()),
            count: tr.with(
                "browse-count",
                &[
                    ("shown", &total.to_string()),
                    ("total", &t.records.len().to_string()),
                ],
            ),
            tr,
            heading,
            facets,
            sorts,
            columns: t.columns,
            rows,
            pager,
            api,
        },
    )
}
