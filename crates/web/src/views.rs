//! What the templates show: plain view values built from the registry, and the template
//! structs. Registry text arrives here already picked for the page's language.

use crate::i18n::Tr;
use crate::tables::{DataTable, Tables};
use askama::Template;
use egovwatch_domain::{Lang, Text};

/// Registry text picked for a page, marked when it is in another language than the page.
#[derive(Debug, Clone)]
pub struct Txt {
    pub text: String,
    pub lang: Lang,
    pub fallback: bool,
}

impl Txt {
    /// Picks the page's language, else the first of the configured fallback order.
    pub fn pick(t: &Text, tr: &Tr) -> Option<Txt> {
        let want = tr.lang;
        t.pick(want, &tr.fallback).map(|s| Txt {
            text: s.text.to_string(),
            lang: s.lang,
            fallback: s.fallback,
        })
    }

    /// Picks a name, falling back to the code when a record has no text at all.
    pub fn name(t: &Text, tr: &Tr, code: &str) -> Txt {
        Txt::pick(t, tr).unwrap_or(Txt {
            text: code.to_string(),
            lang: tr.lang,
            fallback: false,
        })
    }

    /// The name of a referenced record, or its code when the record is not there.
    pub fn of(name: Option<&Text>, tr: &Tr, code: &str) -> Txt {
        Txt::name(name.unwrap_or(&Text::new()), tr, code)
    }

    /// The text as HTML: escaped, and tagged with its language when it is a fallback, so
    /// screen readers pronounce it right and readers see it is untranslated.
    pub fn html(&self, tr: &Tr) -> String {
        if self.fallback {
            let note = tr.with("fallback-marker", &[("lang", self.lang.endonym())]);
            format!(
                "<span lang=\"{}\" class=\"fallback\" title=\"{}\">{}</span>",
                self.lang,
                escape(&note),
                escape(&self.text)
            )
        } else {
            escape(&self.text)
        }
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link to the same page in another language.
#[derive(Debug, Clone)]
pub struct LangLink {
    pub tag: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What the layout needs: language, title, and the language switch.
#[derive(Debug, Clone)]
pub struct Page {
    pub lang: &'static str,
    pub title: String,
    pub langs: Vec<LangLink>,
    /// This page's address (with its query, if any), for links that download its tables.
    pub here: String,
    download_word: String,
}

impl Page {
    /// `rest` is the path after the language prefix, starting with `/`.
    pub fn new(tr: Tr, rest: &str, title: String) -> Page {
        Page {
            lang: tr.lang.tag(),
            here: format!("/{}{}", tr.lang.tag(), rest),
            download_word: tr.t("download"),
            title,
            langs: Lang::ALL
                .iter()
                .map(|l| LangLink {
                    tag: l.tag(),
                    name: l.endonym(),
                    href: format!("/{}{}", l.tag(), rest),
                    current: *l == tr.lang,
                })
                .collect(),
        }
    }

    pub fn home(&self) -> String {
        format!("/{}/", self.lang)
    }

    /// Links that download the table `id` of this page as CSV and JSON (see `tables.rs`).
    pub fn downloads(&self, id: &str) -> String {
        let sep = if self.here.contains('?') {
            "&amp;"
        } else {
            "?"
        };
        let href = |f: &str| format!("{}{sep}table={id}&amp;format={f}", escape(&self.here));
        format!(
            "<p class=\"downloads\">{}: <a href=\"{}\" download>CSV</a> · <a href=\"{}\">JSON</a></p>",
            escape(&self.download_word),
            href("csv"),
            href("json")
        )
    }
}

#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: Txt,
}

#[derive(Debug, Clone)]
pub struct ServiceLine {
    pub href: String,
    pub name: Txt,
    pub organisation: Option<Link>,
    pub status: String,
    /// `online`, `info` or `none`: how the service can be reached, from its channels.
    pub reach: &'static str,
    pub reach_word: String,
    /// Where it stands in the round the site leads with.
    pub stage: Option<StageView>,
}

#[derive(Debug, Clone)]
pub struct ChannelView {
    pub kind: String,
    pub url: Option<String>,
    pub offers: Vec<String>,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct SupplierView {
    pub dataset: Txt,
    pub system: Option<Txt>,
    pub digitisation: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EvidenceView {
    pub name: Txt,
    pub suppliers: Vec<SupplierView>,
}

#[derive(Debug, Clone)]
pub struct RevisionView {
    pub version: i32,
    pub when: String,
    pub action: String,
    pub author: String,
    /// Why the change was made, in the page's language when it has it.
    pub reason: Option<Txt>,
}

#[derive(Template)]
#[template(path = "service.html")]
pub struct ServicePage {
    pub page: Page,
    pub tr: Tr,
    pub code: String,
    pub name: Txt,
    pub description: Option<Txt>,
    pub status: String,
    pub provenance: String,
    pub organisations: Vec<Link>,
    pub life_events: Vec<Link>,
    pub channels: Vec<ChannelView>,
    pub evidence: Vec<EvidenceView>,
    pub outputs: Vec<Txt>,
    pub history: Vec<RevisionView>,
    /// When the service has more revisions than the page lists: how many, and where all are.
    pub history_more: Option<ListedMore>,
    pub rounds: Vec<RoundStage>,
    pub stage_chart: Option<ChartView>,
    pub answers_title: Option<String>,
    pub answers: Vec<AnswerView>,
    pub answers_downloads: Option<Downloads>,
    /// Why the service is at its stage, in a sentence; `None` for frameworks without stages.
    pub why: Option<String>,
    /// What holds it back, when something does.
    pub blocked: Vec<String>,
    pub api: String,
}

#[derive(Debug, Clone)]
pub struct SystemView {
    pub href: String,
    pub name: Txt,
    pub base_registry: bool,
    pub digitisation: String,
}

#[derive(Template)]
#[template(path = "organisation.html")]
pub struct OrganisationPage {
    pub page: Page,
    pub tr: Tr,
    pub code: String,
    pub name: Txt,
    pub org_type: String,
    pub provenance: String,
    pub parent: Option<Link>,
    pub children: Vec<Link>,
    pub children_more: Option<ListedMore>,
    pub services: Vec<ServiceLine>,
    pub systems: Vec<SystemView>,
    pub systems_more: Option<ListedMore>,
    pub downloads: Downloads,
    pub services_count: String,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub page: Page,
    pub tr: Tr,
    pub body: String,
}

/// Where a service stands in a round: a colour class and a word, never the colour alone.
#[derive(Debug, Clone)]
pub struct StageView {
    /// `stage-0` … `stage-4`, or `stage-score` for frameworks that score without stages.
    pub class: String,
    pub word: String,
}

/// A table's downloads: the API address of the same rows as JSON and as CSV.
#[derive(Debug, Clone)]
pub struct Downloads {
    pub json: String,
    pub csv: String,
}

/// Under a list a page cuts short: how many there are, in words, and every one from the API.
#[derive(Debug, Clone)]
pub struct ListedMore {
    pub text: String,
    pub all: Downloads,
}

impl ListedMore {
    /// When `total` is more than `listed`: `text` (given `total`) and the list at `api`.
    pub fn of(
        total: usize,
        listed: usize,
        text: impl FnOnce(usize) -> String,
        api: &str,
    ) -> Option<ListedMore> {
        (total > listed).then(|| ListedMore {
            text: text(total),
            all: Downloads::of(api),
        })
    }
}

impl Downloads {
    /// `api` is an `/api/v1/...` address, with or without a query.
    pub fn of(api: &str) -> Downloads {
        let sep = if api.contains('?') { '&' } else { '?' };
        Downloads {
            json: format!("{api}{sep}limit=1000"),
            csv: format!("{api}{sep}limit=1000&format=csv"),
        }
    }
}

/// A chart: the SVG (with its title and description) and its numbers as a table.
#[derive(Debug, Clone)]
pub struct ChartView {
    /// The id of its data table, for the download links.
    pub table_id: String,
    /// The chart's title, shown above it.
    pub title: String,
    pub svg: String,
    pub caption: String,
    /// Its numbers, as the table under it shows them and downloads them.
    pub table: DataTable,
}

impl ChartView {
    pub fn of(c: &egovwatch_report::model::Chart, tr: &Tr) -> ChartView {
        let (head, rows) = c.table();
        ChartView {
            table_id: format!("t-{}", c.id),
            title: c.title.clone(),
            svg: egovwatch_report::charts::svg(c),
            caption: tr.with("report-chart-data", &[("chart", &c.title)]),
            table: DataTable { head, rows },
        }
    }
}

#[derive(Debug, Clone)]
pub struct JourneyService {
    pub line: ServiceLine,
    pub stage: Option<StageView>,
}

#[derive(Debug, Clone)]
pub struct JourneyEvent {
    pub code: String,
    pub href: String,
    pub order: i32,
    pub name: Txt,
    pub description: Option<Txt>,
    pub services_count: String,
    pub score: Option<String>,
    pub services: Vec<JourneyService>,
    /// When only the first services are shown: a link to all of them.
    pub more: Option<String>,
}

/// Pages of a long table, as plain links that work without JavaScript.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    /// "Page 2 of 40", empty when everything fits on one page.
    pub label: String,
}

impl Pager {
    /// Rows `start..end` of `total` that page `page` (1-based; past the last is the last) of
    /// `per` rows shows.
    pub fn rows(total: usize, page: usize, per: usize) -> std::ops::Range<usize> {
        let page = page.clamp(1, total.div_ceil(per).max(1));
        let start = (page - 1) * per;
        start..(start + per).min(total)
    }

    /// Rows `start..end` of `total` for page `page` (1-based) of `per` rows; `href` makes a
    /// page's address from its number.
    pub fn new(
        tr: &Tr,
        total: usize,
        page: usize,
        per: usize,
        href: impl Fn(usize) -> String,
    ) -> (Pager, std::ops::Range<usize>) {
        let pages = total.div_ceil(per).max(1);
        let page = page.clamp(1, pages);
        let range = Pager::rows(total, page, per);
        if pages == 1 {
            return (Pager::default(), range);
        }
        let pager = Pager {
            prev: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
            label: tr.with(
                "pager-label",
                &[("page", &page.to_string()), ("pages", &pages.to_string())],
            ),
        };
        (pager, range)
    }
}

/// The national index of the round the site leads with, and its change.
#[derive(Debug, Clone)]
pub struct Headline {
    pub round_href: String,
    pub index: String,
    pub change: Option<String>,
    /// Which round and framework the index comes from, in words.
    pub source: String,
}

/// A named record with its page, in a sentence or a list.
#[derive(Debug, Clone)]
pub struct Named {
    pub name: Txt,
    pub href: String,
}

/// What the current round found, in plain sentences computed from the data, with the services
/// not yet online beyond information named.
#[derive(Debug, Clone)]
pub struct Findings {
    pub sentences: Vec<String>,
    pub stuck_title: String,
    /// How many services go no further than information, written for the reader.
    pub stuck_count: String,
    /// The first of them ([`crate::pages::MAX_NAMED`] at most).
    pub stuck: Vec<Named>,
    /// That only the first are named, when not all are.
    pub stuck_more: Option<String>,
    /// Every one of them by stage, when not all are named.
    pub rest: Vec<Link>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct JourneyPage {
    pub page: Page,
    pub tr: Tr,
    pub findings: Option<Findings>,
    /// Whose the findings and the index are, when the rounds are about several subjects.
    pub subjects: Option<String>,
    pub headline: Option<Headline>,
    pub events: Vec<JourneyEvent>,
    pub legend: Vec<StageView>,
}

#[derive(Template)]
#[template(path = "life_event.html")]
pub struct LifeEventPage {
    pub page: Page,
    pub tr: Tr,
    pub event: JourneyEvent,
    pub legend: Vec<StageView>,
    pub downloads: Downloads,
    pub pager: Pager,
    /// Its score in the latest rounds: (round, its page, the score).
    pub rounds: Vec<(String, String, String)>,
    /// When there are more rounds than listed: how many, and where every one is.
    pub rounds_more: Option<ListedMore>,
}

#[derive(Debug, Clone)]
pub struct SearchRow {
    pub kind: String,
    pub href: String,
    pub code: String,
    pub title_html: String,
    pub title_lang: &'static str,
    pub context_html: Option<(String, Option<&'static str>)>,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub page: Page,
    pub tr: Tr,
    pub query: String,
    pub total: String,
    pub rows: Vec<SearchRow>,
    /// The rank of the first row shown (1-based), where the list's numbers start.
    pub first: usize,
    pub pager: Pager,
    pub api: String,
}

#[derive(Debug, Clone)]
pub struct RoundRow {
    pub code: String,
    pub href: String,
    pub name: Txt,
    pub period: String,
    pub framework: String,
    pub index: String,
    pub change: String,
    pub services: usize,
}

#[derive(Template)]
#[template(path = "rounds.html")]
pub struct RoundsPage {
    pub page: Page,
    pub tr: Tr,
    pub rounds: Vec<RoundRow>,
    pub pager: Pager,
    pub downloads: Downloads,
    pub chart: Option<ChartView>,
}

#[derive(Debug, Clone)]
pub struct GroupRow {
    pub href: String,
    pub name: Txt,
    pub now: String,
    pub before: String,
    pub delta: String,
    pub services: usize,
}

#[derive(Debug, Clone)]
pub struct MovedRow {
    pub href: String,
    pub name: Txt,
    pub movement: String,
    pub before: String,
    pub now: String,
}

#[derive(Debug, Clone)]
pub struct ReportLink {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "round.html")]
pub struct RoundPage {
    pub page: Page,
    pub tr: Tr,
    pub round: RoundRow,
    pub previous: Option<Link>,
    pub findings: Option<Findings>,
    pub stages: Vec<(StageView, usize)>,
    pub life_events: Vec<GroupRow>,
    /// The first [`crate::records::NAMED_LISTED`] organisations, and how many there are.
    pub organisations: Vec<GroupRow>,
    pub organisations_more: Option<ListedMore>,
    /// A page of the services improved or regressed, and its pager.
    pub moved: Vec<MovedRow>,
    pub pager: Pager,
    pub charts: Vec<ChartView>,
    pub reports: Vec<ReportLink>,
    pub le_downloads: Downloads,
    pub org_downloads: Downloads,
    pub services_downloads: Downloads,
}

#[derive(Debug, Clone)]
pub struct RoundStage {
    pub round: String,
    pub href: String,
    pub period: String,
    /// What the round measures with: a stage on one, a score on another.
    pub framework: String,
    pub stage: Option<StageView>,
    pub movement: String,
}

#[derive(Debug, Clone)]
pub struct AnswerView {
    pub question: String,
    pub answer: String,
    pub url: Option<String>,
    /// The evidence note as HTML, marked when untranslated.
    pub note: String,
    pub when: String,
    pub assessor: String,
}

#[derive(Template)]
#[template(path = "system.html")]
pub struct SystemPage {
    pub page: Page,
    pub tr: Tr,
    pub code: String,
    pub name: Txt,
    pub description: Option<Txt>,
    pub owner: Link,
    pub base_registry: bool,
    pub lifecycle: String,
    pub digitisation: String,
    pub datasets: Vec<Link>,
    pub datasets_more: Option<ListedMore>,
    pub services: Vec<ServiceLine>,
    pub pager: Pager,
    pub services_count: String,
    pub downloads: Downloads,
}

#[derive(Debug, Clone)]
pub struct ExchangeView {
    pub status: String,
    pub purpose: Option<Txt>,
    pub target: Option<Link>,
}

#[derive(Template)]
#[template(path = "dataset.html")]
pub struct DatasetPage {
    pub page: Page,
    pub tr: Tr,
    pub code: String,
    pub name: Txt,
    pub description: Option<Txt>,
    pub system: Link,
    /// The digitisation of the system that holds it, as the system's page says it.
    pub digitisation: Option<String>,
    pub supplies: Vec<Txt>,
    pub links: Vec<ExchangeView>,
    pub links_more: Option<ListedMore>,
    pub services: Vec<ServiceLine>,
    pub pager: Pager,
    pub services_count: String,
}

/// The text a page shows for a stage: its word, or a dash when there is none.
fn stage_word(stage: &Option<StageView>) -> String {
    stage
        .as_ref()
        .map_or_else(|| "—".to_string(), |s| s.word.clone())
}

/// The table of a list of services (`services_table.html`).
fn services_table(tr: &Tr, services: &[ServiceLine]) -> DataTable {
    DataTable::of(
        tr,
        &["col-service", "col-organisation", "col-stage"],
        services,
        |s| {
            vec![
                s.name.text.clone(),
                s.organisation
                    .as_ref()
                    .map(|o| o.label.text.clone())
                    .unwrap_or_default(),
                stage_word(&s.stage),
            ]
        },
    )
}

/// The table of the chart among `charts` whose table has `id`.
fn chart_table<'a>(charts: impl IntoIterator<Item = &'a ChartView>, id: &str) -> Option<DataTable> {
    charts
        .into_iter()
        .find(|c| c.table_id == id)
        .map(|c| c.table.clone())
}

impl Tables for ServicePage {
    fn table(&self, id: &str) -> Option<DataTable> {
        let tr = &self.tr;
        Some(match id {
            "t-rounds" => DataTable::of(
                tr,
                &[
                    "col-round",
                    "col-period",
                    "col-framework",
                    "col-stage-or-score",
                    "report-col-change",
                ],
                &self.rounds,
                |r| {
                    vec![
                        r.round.clone(),
                        r.period.clone(),
                        r.framework.clone(),
                        stage_word(&r.stage),
                        r.movement.clone(),
                    ]
                },
            ),
            "t-channels" => DataTable::of(
                tr,
                &[
                    "channel-type",
                    "channel-url",
                    "channel-offers",
                    "col-status",
                ],
                &self.channels,
                |c| {
                    vec![
                        c.kind.clone(),
                        c.url.clone().unwrap_or_default(),
                        if c.offers.is_empty() {
                            tr.t("offers-nothing")
                        } else {
                            c.offers.join(", ")
                        },
                        c.status.clone(),
                    ]
                },
            ),
            "t-evidence" => DataTable::of(
                tr,
                &["service-evidence", "service-evidence-supplied-by"],
                &self.evidence,
                |e| {
                    let suppliers = if e.suppliers.is_empty() {
                        tr.t("service-evidence-not-supplied")
                    } else {
                        e.suppliers
                            .iter()
                            .map(|s| match (&s.system, &s.digitisation) {
                                (Some(sys), Some(d)) => {
                                    format!("{} ({}: {d})", s.dataset.text, sys.text)
                                }
                                (Some(sys), None) => format!("{} ({})", s.dataset.text, sys.text),
                                (None, _) => s.dataset.text.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join("; ")
                    };
                    vec![e.name.text.clone(), suppliers]
                },
            ),
            "t-history" => DataTable::of(
                tr,
                &[
                    "history-version",
                    "history-when",
                    "history-action",
                    "history-author",
                    "history-reason",
                ],
                &self.history,
                |r| {
                    vec![
                        r.version.to_string(),
                        r.when.clone(),
                        r.action.clone(),
                        r.author.clone(),
                        r.reason
                            .as_ref()
                            .map(|t| t.text.clone())
                            .unwrap_or_default(),
                    ]
                },
            ),
            _ => return chart_table(&self.stage_chart, id),
        })
    }
}

impl Tables for LifeEventPage {
    fn table(&self, id: &str) -> Option<DataTable> {
        (id == "t-rounds").then(|| {
            DataTable::of(
                &self.tr,
                &["col-round", "life-event-score"],
                &self.rounds,
                |r| vec![r.0.clone(), r.2.clone()],
            )
        })
    }
}

impl Tables for RoundsPage {
    fn table(&self, id: &str) -> Option<DataTable> {
        chart_table(&self.chart, id)
    }
}

impl Tables for RoundPage {
    fn table(&self, id: &str) -> Option<DataTable> {
        let tr = &self.tr;
        Some(match id {
            "t-stages" => DataTable::of(
                tr,
                &["col-stage", "report-services"],
                &self.stages,
                |(s, n)| vec![s.word.clone(), tr.integer(*n)],
            ),
            "t-moved" => DataTable::of(
                tr,
                &[
                    "col-service",
                    "report-col-change",
                    "report-col-before",
                    "report-col-now",
                ],
                &self.moved,
                |m| {
                    vec![
                        m.name.text.clone(),
                        m.movement.clone(),
                        m.before.clone(),
                        m.now.clone(),
                    ]
                },
            ),
            _ => return chart_table(&self.charts, id),
        })
    }
}

impl Tables for SystemPage {
    fn table(&self, id: &str) -> Option<DataTable> {
        (id == "t-services").then(|| services_table(&self.tr, &self.services))
    }
}

impl Tables for DatasetPage {
    fn table(&self, id: &str) -> Option<DataTable> {
        let tr = &self.tr;
        Some(match id {
            "t-services" => services_table(tr, &self.services),
            "t-links" => DataTable::of(
                tr,
                &["dataset-link-target", "col-status", "dataset-link-purpose"],
                &self.links,
                |l| {
                    vec![
                        l.target
                            .as_ref()
                            .map(|t| t.label.text.clone())
                            .unwrap_or_default(),
                        l.status.clone(),
                        l.purpose
                            .as_ref()
                            .map(|p| p.text.clone())
                            .unwrap_or_default(),
                    ]
                },
            ),
            _ => return None,
        })
    }
}

impl Tables for OrganisationPage {}
impl Tables for JourneyPage {}
impl Tables for SearchPage {}
impl Tables for MessagePage {}
