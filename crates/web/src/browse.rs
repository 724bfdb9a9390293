//! Browse pages: every service, organisation, information system, dataset and life event in a
//! table with facets (each value with how many records have it), sorting and pages; the table
//! downloads as CSV or JSON like every table of the site (`?table=t-browse&format=csv`).
//!
//! Facet counts follow the usual rule of faceted search: a facet's counts are over the records
//! the *other* selected facets leave, so choosing a value never hides the alternatives.
//!
//! The table of a kind in a language is made once per snapshot ([`Browse`]): each record's
//! value of every facet as a small number, and the records in name and code order. A request
//! then counts and filters small numbers and writes only the rows of its page.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{open, render};
use crate::snapshot::{RoundData, Seed, Snapshot, lang_slot};
use crate::views::{Page, Pager, Txt};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use egovwatch_domain::EntityKind;
use std::collections::HashMap;
use std::sync::Arc;

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
    /// How many values are not listed, when there are more than [`MAX_VALUES`].
    pub more: Option<String>,
}

/// The most values a facet lists: those with the most records (and the one chosen). A registry of
/// many countries has thousands of organisations.
pub const MAX_VALUES: usize = 50;

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

/// A facet of a browse table: its query parameter, its label, and its values as (key, label)
/// by id.
struct Facet {
    param: &'static str,
    label: String,
    values: Vec<(String, String)>,
}

/// The browse table of one kind in one language, made once per snapshot
/// (`Snapshot::browse`): each record's value of every facet by id, and the records in name and
/// code order. Made on every request, a registry of 50,000 services wrote every record's cells
/// each time (70 ms); rows are now written only for the page shown.
pub struct Browse {
    kind: EntityKind,
    columns: Vec<String>,
    facets: Vec<Facet>,
    /// Each record's registry position, in the order the kind lists its records (the
    /// registry's; life events in journey order).
    positions: Vec<u32>,
    /// `values[r * facets.len() + k]`: the id of record `r`'s value of facet `k`.
    values: Vec<u32>,
    /// The records in the order of their names (ties in record order), each with the rank of
    /// its name (equal names, equal ranks).
    by_name: Vec<(u32, u32)>,
    /// The records in code order.
    by_code: Vec<u32>,
}

/// Collects the records of a [`Browse`], numbering each facet's values as they come.
struct Builder<'s> {
    facets: Vec<Facet>,
    ids: Vec<HashMap<String, u32>>,
    positions: Vec<u32>,
    values: Vec<u32>,
    names: Vec<String>,
    codes: Vec<&'s str>,
}

impl<'s> Builder<'s> {
    fn new(facets: Vec<(&'static str, String)>) -> Builder<'s> {
        Builder {
            ids: facets.iter().map(|_| HashMap::new()).collect(),
            facets: facets
                .into_iter()
                .map(|(param, label)| Facet {
                    param,
                    label,
                    values: Vec::new(),
                })
                .collect(),
            positions: Vec::new(),
            values: Vec::new(),
            names: Vec::new(),
            codes: Vec::new(),
        }
    }

    /// A record: its registry position, its name as shown, its code.
    fn record(&mut self, position: usize, name: String, code: &'s str) {
        self.positions
            .push(u32::try_from(position).unwrap_or(u32::MAX));
        self.names.push(name);
        self.codes.push(code);
    }

    /// The last record's value of facet `k`: `key`, shown as `label` gives it.
    fn value(&mut self, k: usize, key: &str, label: impl FnOnce() -> String) {
        let id = match self.ids[k].get(key) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.facets[k].values.len()).unwrap_or(u32::MAX);
                self.facets[k].values.push((key.to_string(), label()));
                self.ids[k].insert(key.to_string(), id);
                id
            }
        };
        self.values.push(id);
    }

    fn finish(self, kind: EntityKind, columns: Vec<String>) -> Browse {
        let n = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let mut order: Vec<u32> = (0..n).collect();
        // Equal names in record order: the order a stable sort gives, without its cost.
        order.sort_unstable_by(|&a, &b| {
            self.names[a as usize]
                .cmp(&self.names[b as usize])
                .then(a.cmp(&b))
        });
        let mut by_name = Vec::with_capacity(order.len());
        let mut rank = 0;
        for (i, &r) in order.iter().enumerate() {
            if i > 0 && self.names[r as usize] != self.names[order[i - 1] as usize] {
                rank += 1;
            }
            by_name.push((r, rank));
        }
        let mut by_code: Vec<u32> = (0..n).collect();
        by_code.sort_unstable_by(|&a, &b| {
            self.codes[a as usize]
                .cmp(self.codes[b as usize])
                .then(a.cmp(&b))
        });
        Browse {
            kind,
            columns,
            facets: self.facets,
            positions: self.positions,
            values: self.values,
            by_name,
            by_code,
        }
    }
}

fn word(tr: &Tr, prefix: &str, w: &str) -> String {
    tr.t(&format!("{prefix}-{w}"))
}

/// A service's stage in the round the site leads with (`current`), as its facet and column
/// show it.
fn stage_label(tr: &Tr, current: Option<&RoundData>, stage: Option<u8>) -> String {
    match (current, stage) {
        (Some(r), Some(st)) => crate::pages::stage_label(tr, r, st),
        _ => tr.t("service-not-assessed"),
    }
}

impl Browse {
    /// The table of `kind` in `tr`'s language.
    fn new(snap: &Snapshot, tr: &Tr, kind: EntityKind) -> Browse {
        let reg = &snap.reg;
        let name_of = |code: &str| Txt::of(snap.codes.name(reg, code), tr, code).text;
        match kind {
            EntityKind::Service => {
                let mut b = Builder::new(vec![
                    ("stage", tr.t("col-stage")),
                    ("organisation", tr.t("col-organisation")),
                    ("life_event", tr.t("col-life-event")),
                    ("status", tr.t("col-status")),
                ]);
                let current = snap.current();
                for (i, s) in reg.services.iter().enumerate() {
                    let code = s.code.as_str();
                    b.record(i, Txt::name(&s.name, tr, code).text, code);
                    let stage = current.and_then(|r| r.stage(i));
                    let key = stage.map_or("none".into(), |st| st.to_string());
                    b.value(0, &key, || stage_label(tr, current, stage));
                    let lead = s.organisations.first().map(|o| o.as_str()).unwrap_or("");
                    b.value(1, lead, || name_of(lead));
                    let first = s.life_events.first().map(|l| l.as_str());
                    b.value(2, first.unwrap_or(""), || {
                        first.map(&name_of).unwrap_or_default()
                    });
                    let status = s.status.as_str();
                    b.value(3, status, || word(tr, "status", status));
                }
                b.finish(
                    kind,
                    vec![
                        tr.t("col-organisation"),
                        tr.t("col-life-event"),
                        tr.t("col-stage"),
                        tr.t("col-status"),
                    ],
                )
            }
            EntityKind::Organisation => {
                let mut b = Builder::new(vec![("type", tr.t("organisation-type"))]);
                for (i, o) in reg.organisations.iter().enumerate() {
                    let code = o.code.as_str();
                    b.record(i, Txt::name(&o.name, tr, code).text, code);
                    let t = o.org_type.as_str();
                    b.value(0, t, || word(tr, "orgtype", t));
                }
                b.finish(
                    kind,
                    vec![
                        tr.t("organisation-type"),
                        tr.t("organisation-parent"),
                        tr.t("organisation-services"),
                    ],
                )
            }
            EntityKind::InformationSystem => {
                let mut b = Builder::new(vec![
                    ("digitisation", tr.t("system-digitisation")),
                    ("base_registry", tr.t("system-base-registry")),
                ]);
                for (i, s) in reg.information_systems.iter().enumerate() {
                    let code = s.code.as_str();
                    b.record(i, Txt::name(&s.name, tr, code).text, code);
                    let state = s.digitisation.state.as_str();
                    b.value(0, state, || word(tr, "digitisation", state));
                    let base = if s.base_registry { "true" } else { "false" };
                    b.value(1, base, || tr.t(if s.base_registry { "yes" } else { "no" }));
                }
                b.finish(
                    kind,
                    vec![
                        tr.t("system-owner"),
                        tr.t("system-digitisation"),
                        tr.t("system-base-registry"),
                    ],
                )
            }
            EntityKind::Dataset => {
                let mut b = Builder::new(vec![("digitisation", tr.t("system-digitisation"))]);
                for (i, d) in reg.datasets.iter().enumerate() {
                    let code = d.code.as_str();
                    b.record(i, Txt::name(&d.name, tr, code).text, code);
                    let state = snap
                        .codes
                        .information_system(reg, d.system.as_str())
                        .map(|s| s.digitisation.state.as_str());
                    b.value(0, state.unwrap_or(""), || {
                        state
                            .map(|w| word(tr, "digitisation", w))
                            .unwrap_or_default()
                    });
                }
                b.finish(
                    kind,
                    vec![tr.t("dataset-system"), tr.t("system-digitisation")],
                )
            }
            _ => {
                let mut b = Builder::new(Vec::new());
                for &g in &snap.journey {
                    let e = &reg.life_events[g];
                    let code = e.code.as_str();
                    b.record(g, Txt::name(&e.name, tr, code).text, code);
                }
                b.finish(kind, vec![tr.t("life-event-services")])
            }
        }
    }

    /// The row of record `r`: its name, its link and the cells of the other columns.
    fn row(&self, snap: &Snapshot, tr: &Tr, r: usize) -> RowView {
        let reg = &snap.reg;
        let i = self.positions[r] as usize;
        let name_of = |code: &str| Txt::of(snap.codes.name(reg, code), tr, code).text;
        let row = |name: &egovwatch_domain::Text, code: &str, cells: Vec<String>| RowView {
            name: Txt::name(name, tr, code),
            href: crate::find::href(tr.lang, self.kind, code),
            cells,
        };
        match self.kind {
            EntityKind::Service => {
                let s = &reg.services[i];
                let current = snap.current();
                let lead = s.organisations.first().map(|o| o.as_str()).unwrap_or("");
                let life_events: Vec<String> =
                    s.life_events.iter().map(|l| name_of(l.as_str())).collect();
                row(
                    &s.name,
                    s.code.as_str(),
                    vec![
                        name_of(lead),
                        life_events.join("; "),
                        stage_label(tr, current, current.and_then(|r| r.stage(i))),
                        word(tr, "status", s.status.as_str()),
                    ],
                )
            }
            EntityKind::Organisation => {
                let o = &reg.organisations[i];
                let parent = o
                    .parent
                    .as_ref()
                    .map(|p| name_of(p.as_str()))
                    .unwrap_or_default();
                row(
                    &o.name,
                    o.code.as_str(),
                    vec![
                        word(tr, "orgtype", o.org_type.as_str()),
                        parent,
                        snap.codes.services_of_organisation(i).len().to_string(),
                    ],
                )
            }
            EntityKind::InformationSystem => {
                let s = &reg.information_systems[i];
                row(
                    &s.name,
                    s.code.as_str(),
                    vec![
                        name_of(s.owner.as_str()),
                        word(tr, "digitisation", s.digitisation.state.as_str()),
                        tr.t(if s.base_registry { "yes" } else { "no" }),
                    ],
                )
            }
            EntityKind::Dataset => {
                let d = &reg.datasets[i];
                let state = snap
                    .codes
                    .information_system(reg, d.system.as_str())
                    .map(|s| word(tr, "digitisation", s.digitisation.state.as_str()))
                    .unwrap_or_default();
                row(
                    &d.name,
                    d.code.as_str(),
                    vec![name_of(d.system.as_str()), state],
                )
            }
            _ => {
                let e = &reg.life_events[i];
                row(
                    &e.name,
                    e.code.as_str(),
                    vec![snap.life_event_services(i).to_string()],
                )
            }
        }
    }

    /// The records in the order `sort` asks for (`name`, `-name`, `code`; life events keep
    /// the journey's order unless a sort is asked for).
    fn ordered(&self, sort: Option<&str>) -> Vec<u32> {
        match sort {
            Some("code") => self.by_code.clone(),
            // Descending names, equal names in record order (as a stable sort would leave them).
            Some("-name") => {
                let mut out = Vec::with_capacity(self.by_name.len());
                let mut end = self.by_name.len();
                while end > 0 {
                    let rank = self.by_name[end - 1].1;
                    let start = self.by_name[..end]
                        .iter()
                        .rposition(|&(_, k)| k != rank)
                        .map_or(0, |p| p + 1);
                    out.extend(self.by_name[start..end].iter().map(|&(r, _)| r));
                    end = start;
                }
                out
            }
            None if self.kind == EntityKind::LifeEvent => {
                (0..self.positions.len() as u32).collect()
            }
            _ => self.by_name.iter().map(|&(r, _)| r).collect(),
        }
    }
}

/// `GET /{lang}/{kind}`: services, organisations, systems, datasets or life-events.
pub async fn page(
    State(state): State<AppState>,
    Path((lang, segment)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    // Every part holds every life event; the home page's part has their counts of services.
    let about = (segment == "life-events").then_some(Seed::Home);
    let (lang, tr, snap) = open(&state, lang, about).await?;
    let Some(&(segment, kind)) = KINDS.iter().find(|(s, _)| *s == segment) else {
        return Err(AppError::NotFound {
            lang,
            what: String::new(),
            code: segment,
        });
    };
    let slot = KINDS.iter().position(|(_, k)| *k == kind).unwrap_or(0);
    let t = snap.browse[lang_slot(lang)][slot]
        .get_or_init(|| Arc::new(Browse::new(&snap, &tr, kind)))
        .clone();
    let asked = crate::api::pairs(raw.as_deref());
    let get = |k: &str| asked.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let chosen: Vec<Option<String>> = t.facets.iter().map(|f| get(f.param)).collect();
    let sort = get("sort").unwrap_or_else(|| "name".into());
    let page_no = get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    // The query that keeps everything asked but one facet (and the page).
    let base = format!("/{}/{segment}", lang.tag());
    let keep = |except: Option<usize>, extra: Option<(&str, &str)>| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, f) in t.facets.iter().enumerate() {
            if Some(k) != except
                && let Some(v) = &chosen[k]
            {
                out.push((f.param.to_string(), v.clone()));
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
    // Each chosen value by id; a value no record has selects nothing.
    let wanted: Vec<Option<Option<u32>>> = t
        .facets
        .iter()
        .zip(&chosen)
        .map(|(f, c)| {
            c.as_ref().map(|v| {
                f.values
                    .iter()
                    .position(|(key, _)| key == v)
                    .map(|id| id as u32)
            })
        })
        .collect();
    let width = t.facets.len();
    let passes = |r: usize, except: Option<usize>| {
        wanted.iter().enumerate().all(|(k, w)| {
            Some(k) == except || w.is_none_or(|id| id == Some(t.values[r * width + k]))
        })
    };
    let facets: Vec<FacetView> = t
        .facets
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let mut counts = vec![0usize; f.values.len()];
            let mut all = 0;
            for r in (0..t.positions.len()).filter(|&r| passes(r, Some(k))) {
                all += 1;
                counts[t.values[r * width + k] as usize] += 1;
            }
            let mut options = vec![FacetOption {
                label: tr.t("browse-all"),
                count: all,
                href: crate::api::address(&base, &keep(Some(k), None)),
                current: chosen[k].is_none(),
            }];
            let mut listed: Vec<usize> = (0..counts.len()).filter(|&id| counts[id] > 0).collect();
            let values = listed.len();
            if values > MAX_VALUES {
                // The values with the most records, and the one chosen.
                listed.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
                let chosen_id = wanted[k].flatten().map(|id| id as usize);
                let (mut kept, rest) = (listed[..MAX_VALUES].to_vec(), &listed[MAX_VALUES..]);
                kept.extend(rest.iter().copied().filter(|&id| Some(id) == chosen_id));
                listed = kept;
            }
            let unlisted = values - listed.len();
            // By label, numbers in labels by their value ("no. 2" before "no. 10"), then key.
            listed.sort_by(|&a, &b| {
                natord::compare(&f.values[a].1, &f.values[b].1)
                    .then(f.values[a].0.cmp(&f.values[b].0))
            });
            for id in listed {
                let (key, shown) = &f.values[id];
                options.push(FacetOption {
                    current: chosen[k].as_deref() == Some(key.as_str()),
                    href: crate::api::address(&base, &keep(None, Some((f.param, key)))),
                    label: shown.clone(),
                    count: counts[id],
                });
            }
            FacetView {
                label: f.label.clone(),
                options,
                more: (unlisted > 0).then(|| tr.counted("browse-more-values", unlisted, &[])),
            }
        })
        .collect();
    let rows: Vec<u32> = t
        .ordered(
            asked
                .iter()
                .find(|(n, _)| n == "sort")
                .map(|(_, v)| v.as_str()),
        )
        .into_iter()
        .filter(|&r| passes(r as usize, None))
        .collect();
    let total = rows.len();
    let (pager, range) = Pager::new(&tr, total, page_no, PER_PAGE, |p| {
        crate::api::address(&base, &keep(None, Some(("page", &p.to_string()))))
    });
    let rows = rows[range]
        .iter()
        .map(|&r| t.row(&snap, &tr, r as usize))
        .collect();
    let sorts = [
        ("name", "browse-sort-name"),
        ("-name", "browse-sort-name-desc"),
        ("code", "browse-sort-code"),
    ]
    .iter()
    .map(|(s, key)| SortLink {
        label: tr.t(key),
        href: crate::api::address(&base, &keep(None, Some(("sort", s)))),
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
                    ("shown", &tr.integer(total)),
                    ("total", &tr.integer(t.positions.len())),
                ],
            ),
            tr,
            heading,
            facets,
            sorts,
            columns: t.columns.clone(),
            rows,
            pager,
            api,
        },
    )
}
