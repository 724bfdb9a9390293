//! What a progress report says, gathered once from the rounds it is given and rendered to every
//! format:
//! every number here comes from the round's assessments, the comparison round and the gap
//! analysis, so each can be traced back to answers and evidence.

use crate::error::{Error, Result};
use egovwatch_domain::gaps::explain::{Phrase, explain};
use egovwatch_domain::gaps::{BlockingRules, Condition, Weights};
use egovwatch_domain::index::name_in;
use egovwatch_domain::monitoring::{self, AssessedRound, Movement, Reported};
use egovwatch_domain::scoring::framework::Outcome;
use egovwatch_domain::scoring::{Framework, Function, Level, QuestionKind, Ref};
use egovwatch_domain::{Index, Lang};
use egovwatch_i18n::Tr;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRow {
    pub code: String,
    pub name: String,
    pub organisation: String,
    pub life_events: String,
    pub stage_before: Option<u8>,
    pub stage_now: Option<u8>,
    pub score_before: Option<f64>,
    pub score_now: Option<f64>,
    /// How it moved since the round compared with; none without one.
    pub movement: Option<Movement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LifeEventSection {
    pub code: String,
    pub name: String,
    pub score_before: Option<f64>,
    pub score_now: Option<f64>,
    pub services: Vec<ServiceRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SystemRow {
    pub code: String,
    pub name: String,
    pub owner: String,
    pub state: String,
    pub share: Option<i32>,
    pub as_of: String,
}

/// An exchange that is missing: evidence a dataset holds that does not reach the organisation
/// that needs it, and the services that wait for it.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingLink {
    pub dataset: String,
    pub evidence: String,
    pub organisation: String,
    pub services: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentRow {
    pub rank: usize,
    pub title: String,
    pub id: String,
    /// The services that need it, by name.
    pub unlocks: Vec<String>,
    /// How many of them it would let go further on its own.
    pub moves: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRow {
    pub service: String,
    /// The service's name in the report's language: what the report shows (the CSV keeps the
    /// code).
    pub service_name: String,
    pub question: String,
    /// The question as the framework words it in the report's language (its id when the
    /// framework has no such question).
    pub question_title: String,
    pub answer: String,
    /// The answer in the report's language: a stage with its name, yes and no translated.
    pub answer_text: String,
    pub url: String,
    pub date: String,
    pub assessor: String,
    pub note: String,
}

/// An answer as a reader reads it: a stage as its number and name, yes, no and not relevant
/// in the report's language, anything else (a number, a code of a list) as given.
fn answer_text(fw: &Framework, tr: &Tr, question: &str, answer: &str) -> String {
    let q = fw.question_index(question).map(|q| &fw.questions[q]);
    if let Some(QuestionKind::Stage { levels }) = q.map(|q| &q.kind)
        && let Some(l) = answer
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(|v| levels.iter().find(|l| l.value == v))
    {
        return format!("{} · {}", l.value, l.name.show(tr.lang));
    }
    match answer.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" => tr.t("yes"),
        "no" | "n" => tr.t("no"),
        "nr" => tr.t("report-answer-not-relevant"),
        _ => answer.to_string(),
    }
}

/// The evidence behind one service's assessment as documents list it: each distinct reference
/// (address, date, assessor) once, with the answers it supports. Every single answer is in the
/// evidence CSV written beside the report.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRef {
    pub service: String,
    pub answers: Vec<(String, String)>,
    pub url: String,
    pub date: String,
    pub assessor: String,
}

/// A chart: its title, a description (the text alternative), the series names and rows of
/// (label, values) that both the SVG and the data table show.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub series: Vec<String>,
    pub rows: Vec<(String, Vec<f64>)>,
    pub kind: ChartKind,
    /// The top of the value axis of a line chart (an index: 100; stages: the highest stage).
    pub top: Option<f64>,
    /// The reader's language: numbers on the chart and in its table are written in it.
    pub tr: Tr,
}

impl Chart {
    /// A value as the chart writes it: whole numbers without decimals, others with one.
    pub fn value(&self, v: f64) -> String {
        self.tr.decimal(v, if v.fract() == 0.0 { 0 } else { 1 })
    }

    /// The chart's numbers as a table: a header (an empty corner, then the series) and a row
    /// per label. Every format prints it beside the chart.
    pub fn table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let head = std::iter::once(String::new())
            .chain(self.series.iter().cloned())
            .collect();
        let rows = self
            .rows
            .iter()
            .map(|(l, v)| {
                std::iter::once(l.clone())
                    .chain(v.iter().map(|x| self.value(*x)))
                    .collect()
            })
            .collect();
        (head, rows)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One stacked bar per row, a segment per series.
    Stacked,
    /// A line per series across the rows.
    Line,
    /// One bar per row (first series only).
    Bars,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub lang: Lang,
    pub tr: Tr,
    pub round: String,
    /// The round's name in the report's language (marked when shown in another one).
    pub round_name: String,
    pub against: Option<String>,
    pub monitor: String,
    pub period: String,
    /// The last day of the round's period (ISO date).
    pub period_end: String,
    pub date: String,
    pub framework: String,
    pub decimals: u32,
    pub index_now: Option<f64>,
    pub index_before: Option<f64>,
    pub stage_names: Vec<String>,
    pub stage_counts: Vec<(usize, usize)>,
    pub services: Vec<ServiceRow>,
    pub life_events: Vec<LifeEventSection>,
    pub registries: Vec<SystemRow>,
    pub missing_links: Vec<MissingLink>,
    pub investments: Vec<InvestmentRow>,
    /// The round's findings in sentences (`crate::findings`), as the web words them.
    pub findings: Vec<String>,
    pub methodology: Vec<(String, String)>,
    pub evidence: Vec<EvidenceRow>,
    pub evidence_refs: Vec<EvidenceRef>,
    pub charts: Vec<Chart>,
    pub revision: i32,
}

impl Report {
    pub fn with_movement(&self, m: Movement) -> Vec<&ServiceRow> {
        self.services
            .iter()
            .filter(|s| s.movement == Some(m))
            .collect()
    }

    pub fn at_stage(&self, stage: u8) -> Vec<&ServiceRow> {
        self.services
            .iter()
            .filter(|s| s.movement != Some(Movement::Withdrawn) && s.stage_now == Some(stage))
            .collect()
    }

    pub fn stage_name(&self, s: Option<u8>) -> String {
        match s.and_then(|s| self.stage_names.get(usize::from(s))) {
            Some(n) => n.clone(),
            None => "—".into(),
        }
    }

    pub fn number(&self, v: Option<f64>) -> String {
        self.tr.score(v, self.decimals)
    }

    pub fn delta(&self, now: Option<f64>, before: Option<f64>) -> String {
        self.tr.change(now, before, self.decimals)
    }

    /// The base of file names: `progress-report-2015-H1-en`.
    pub fn file_stem(&self) -> String {
        format!("progress-report-{}-{}", self.round, self.lang)
    }
}

/// Gathers the report of `r.now`, compared with `r.before` when given.
pub fn gather(r: &Reported, lang: Lang, monitor: Option<&str>) -> Result<Report> {
    let tr = Tr::new(lang);
    let (now, before, series) = (&r.now, r.before.as_ref(), &r.series);
    if let Some(b) = before
        && b.fw.id != now.fw.id
    {
        return Err(Error::NotComparable {
            now: now.round.code.clone(),
            now_framework: now.fw.id.clone(),
            before: b.round.code.clone(),
            before_framework: b.fw.id.clone(),
        });
    }
    let fw = &now.fw;
    let reg = &now.registry;
    let cmp = before.map(|b| monitoring::compare(fw, &now.scored, &b.scored));
    let stage_names: Vec<String> = fw
        .stage_levels()
        .iter()
        .map(|l| l.name.show(lang))
        .collect();

    let codes = Index::new(reg);
    let name = |reg, code: &str, lang| name_in(reg, &codes, code, lang);
    let changes: HashMap<&str, &monitoring::ServiceChange> = cmp
        .iter()
        .flat_map(|c| &c.services)
        .map(|s| (s.service.as_str(), s))
        .collect();
    let lookup = |code: &str| changes.get(code).copied();
    let mut services: Vec<ServiceRow> = now
        .scored
        .national()
        .map(|(u, code)| {
            let s = codes.service(reg, code);
            let change = lookup(code);
            ServiceRow {
                code: code.clone(),
                name: name(reg, code, lang),
                organisation: s
                    .and_then(|s| s.organisations.first())
                    .map(|o| name(reg, o.as_str(), lang))
                    .unwrap_or_default(),
                life_events: s
                    .map(|s| {
                        s.life_events
                            .iter()
                            .map(|l| name(reg, l.as_str(), lang))
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default(),
                stage_before: change.and_then(|c| c.stage_before),
                stage_now: now.scored.stage(fw, u),
                score_before: change.and_then(|c| c.before),
                score_now: now.scored.headline(fw, u).map(|v| fw.round(v)),
                movement: cmp
                    .as_ref()
                    .map(|_| change.map(|c| c.movement).unwrap_or(Movement::Unchanged)),
            }
        })
        .collect();
    if let Some(c) = &cmp {
        for w in c
            .services
            .iter()
            .filter(|s| s.movement == Movement::Withdrawn)
        {
            services.push(ServiceRow {
                code: w.service.clone(),
                name: name(reg, &w.service, lang),
                organisation: String::new(),
                life_events: String::new(),
                stage_before: w.stage_before,
                stage_now: None,
                score_before: w.before,
                score_now: None,
                movement: Some(Movement::Withdrawn),
            });
        }
    }
    let levels = stage_names.len();
    let stage_counts = (0..levels)
        .map(|st| {
            let st = st as u8;
            (
                services
                    .iter()
                    .filter(|s| s.movement != Some(Movement::Withdrawn) && s.stage_now == Some(st))
                    .count(),
                services
                    .iter()
                    .filter(|s| s.stage_before == Some(st))
                    .count(),
            )
        })
        .collect();

    let row_of: HashMap<&str, usize> = services
        .iter()
        .enumerate()
        .map(|(r, s)| (s.code.as_str(), r))
        .collect();
    let group = fw.headline_group;
    let life_events: Vec<LifeEventSection> = reg
        .life_events
        .iter()
        .enumerate()
        .filter_map(|(g, le)| {
            let mut at: Vec<usize> = codes
                .services_of_life_event(g)
                .iter()
                .filter_map(|&i| row_of.get(reg.services[i].code.as_str()).copied())
                .collect();
            // In the order of the report's service list, as everywhere else in the report.
            at.sort_unstable();
            let rows: Vec<ServiceRow> = at.iter().map(|&r| services[r].clone()).collect();
            if rows.is_empty() {
                return None;
            }
            let score_now = group
                .and_then(|n| now.scored.scores.group_value(0, n, g))
                .map(|v| fw.round(v));
            let score_before = before.as_ref().and_then(|b| {
                let bg = b
                    .scored
                    .life_events
                    .iter()
                    .position(|c| c == le.code.as_str())?;
                group
                    .and_then(|n| b.scored.scores.group_value(0, n, bg))
                    .map(|v| fw.round(v))
            });
            Some(LifeEventSection {
                code: le.code.to_string(),
                name: le.name.show(lang),
                score_before,
                score_now,
                services: rows,
            })
        })
        .collect();

    // The registry the round's services are connected to (in a registry of many countries,
    // the round's country): its base registries, its gaps.
    let part =
        egovwatch_domain::component::connected(reg, now.scored.national().map(|(_, c)| c.as_str()));
    let scope = part.as_ref().unwrap_or(reg);
    let registries = scope
        .information_systems
        .iter()
        .filter(|s| s.base_registry && !s.digitisation.state.is_digital())
        .map(|s| SystemRow {
            code: s.code.to_string(),
            name: s.name.show(lang),
            owner: name(reg, s.owner.as_str(), lang),
            state: tr.t(&format!("digitisation-{}", s.digitisation.state)),
            share: s.digitisation.share_pct,
            as_of: s.digitisation.as_of.clone().unwrap_or_default(),
        })
        .collect();

    let rules = BlockingRules::default_rules()?;
    let phrase = move |k: &str, a: &[(&'static str, &str)]| tr.with(k, a);
    let phrase: Phrase<'_> = &phrase;
    let gaps = explain(
        scope,
        Some((&now.round, &now.fw, &now.scored)),
        &[],
        &rules,
        &Weights::default(),
        lang,
        phrase,
    )?;
    // One row per link (dataset, evidence, organisation, by their codes); the report names
    // them only: the codes are in the data download and on the records' pages.
    type Link = (Option<String>, String, Option<String>);
    let mut by_link: std::collections::BTreeMap<Link, Vec<String>> =
        std::collections::BTreeMap::new();
    for s in &gaps.services {
        for b in s
            .gap
            .blocks
            .iter()
            .filter(|b| b.condition == Condition::NoExchangeInUse)
        {
            let key = (
                b.dataset.clone(),
                b.evidence.clone(),
                b.organisation.clone(),
            );
            by_link.entry(key).or_default().push(s.name.clone());
        }
    }
    let n = |c: &Option<String>| c.as_deref().map(|c| name(reg, c, lang)).unwrap_or_default();
    let mut missing_links: Vec<MissingLink> = by_link
        .into_iter()
        .map(|((dataset, evidence, organisation), mut services)| {
            services.sort();
            services.dedup();
            MissingLink {
                dataset: n(&dataset),
                evidence: name(reg, &evidence, lang),
                organisation: n(&organisation),
                services,
            }
        })
        .collect();
    // The links that hold up most services first.
    missing_links.sort_by_key(|l| std::cmp::Reverse(l.services.len()));
    let investments: Vec<InvestmentRow> = gaps
        .investments
        .iter()
        .take(10)
        .map(|i| InvestmentRow {
            rank: i.rank,
            title: i.title.clone(),
            id: i.investment.id.clone(),
            unlocks: i.unlocked_services.clone(),
            moves: i.investment.moves(),
        })
        .collect();

    let findings = monitoring::findings(fw, reg, &now.scored, cmp.as_ref())
        .map(|f| {
            crate::findings::sentences(
                &tr,
                &f,
                &|code| name(reg, code, lang),
                before.map(|b| b.round.code.as_str()),
                Some(crate::findings::FromGaps {
                    first: investments.first().map(|i| crate::findings::FirstBuild {
                        title: &i.title,
                        unlocks: i.unlocks.len(),
                        moves: i.moves,
                    }),
                    held_back: egovwatch_domain::gaps::held_back_by(
                        gaps.services.iter().map(|s| s.gap.as_ref()),
                        &f.registries,
                        fw.top_stage().map_or(0, monitoring::fully_online),
                    ),
                }),
            )
        })
        .unwrap_or_default();
    let methodology = methodology(fw, &tr);
    let evidence: Vec<EvidenceRow> = monitoring::effective(&now.assessments)
        .into_iter()
        .map(|a| EvidenceRow {
            service: a.service.clone(),
            service_name: name(reg, &a.service, lang),
            question: a.question.clone(),
            question_title: fw
                .question_index(&a.question)
                .map(|q| fw.questions[q].title.show(lang))
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| a.question.clone()),
            answer: a.answer.clone(),
            answer_text: answer_text(fw, &tr, &a.question, &a.answer),
            url: a.evidence_url.clone().unwrap_or_default(),
            date: a.assessed_at.clone(),
            assessor: a.assessor.clone(),
            note: tr.plain(&a.evidence_note),
        })
        .collect();
    let monitor = match monitor {
        Some(m) => m.to_string(),
        None => {
            let mut names: Vec<String> =
                now.assessments.iter().map(|a| a.assessor.clone()).collect();
            names.sort();
            names.dedup();
            names.join(", ")
        }
    };
    let index_now = now.national_index();
    let index_before = before.and_then(AssessedRound::national_index);
    let mut report = Report {
        lang,
        tr,
        round: now.round.code.clone(),
        round_name: tr.plain(&now.round.name),
        against: before.map(|b| b.round.code.clone()),
        monitor,
        period: format!("{} – {}", now.round.period_start, now.round.period_end),
        period_end: now.round.period_end.clone(),
        // From the round, never the clock, so the same data give the same report.
        date: now
            .round
            .published_at
            .clone()
            .or(now.round.closed_at.clone())
            .unwrap_or(now.round.period_end.clone())
            .chars()
            .take(10)
            .collect(),
        framework: fw.label(lang),
        decimals: fw.decimals,
        index_now,
        index_before,
        stage_names,
        stage_counts,
        services,
        life_events,
        registries,
        missing_links,
        investments,
        findings,
        methodology,
        evidence_refs: evidence_refs(&evidence),
        evidence,
        charts: Vec::new(),
        revision: now.round.revision,
    };
    report.charts = crate::charts::charts(&report, series);
    Ok(report)
}

/// Answers grouped by service and reference (address, date, assessor), in the order of first
/// appearance; an answer's own note stays with the answer.
fn evidence_refs(rows: &[EvidenceRow]) -> Vec<EvidenceRef> {
    let mut at: HashMap<(&str, &str, &str, &str), usize> = HashMap::new();
    let mut out: Vec<EvidenceRef> = Vec::new();
    for e in rows {
        let key = (
            e.service.as_str(),
            e.url.as_str(),
            e.date.as_str(),
            e.assessor.as_str(),
        );
        let k = *at.entry(key).or_insert_with(|| {
            out.push(EvidenceRef {
                service: e.service_name.clone(),
                answers: Vec::new(),
                url: e.url.clone(),
                date: e.date.clone(),
                assessor: e.assessor.clone(),
            });
            out.len() - 1
        });
        let answer = if e.note.is_empty() {
            e.answer_text.clone()
        } else {
            format!("{} ({})", e.answer_text, e.note)
        };
        out[k].answers.push((e.question_title.clone(), answer));
    }
    out
}

/// The framework in words, in the report's language: its description, the stages or
/// questions, each scoring node by its title, where it is computed and how (inputs named by
/// their titles, the words of each formula from the message catalogue).
fn methodology(fw: &Framework, tr: &Tr) -> Vec<(String, String)> {
    let lang = tr.lang;
    let mut out = vec![(fw.title.show(lang), fw.description.show(lang))];
    for l in fw.stage_levels() {
        out.push((
            format!("{} · {}", l.value, l.name.show(lang)),
            l.description.show(lang),
        ));
    }
    for q in &fw.questions {
        if !matches!(q.kind, QuestionKind::Stage { .. }) {
            out.push((q.id.clone(), q.title.show(lang)));
        }
    }
    // A question listed above by its id (the questionnaire's own numbering, A1, B2); a stage
    // question or a node by its title in the reader's language, its id when it has none.
    let title = |r: Ref| {
        let (t, id) = match r {
            Ref::Question(i) if !matches!(fw.questions[i].kind, QuestionKind::Stage { .. }) => {
                return fw.questions[i].id.clone();
            }
            Ref::Question(i) => (&fw.questions[i].title, &fw.questions[i].id),
            Ref::Node(i) => (&fw.nodes[i].title, &fw.nodes[i].id),
        };
        Some(t.show(lang))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| id.clone())
    };
    let list = |refs: &mut dyn Iterator<Item = Ref>| refs.map(title).collect::<Vec<_>>().join("; ");
    let weight = |w: f64| tr.decimal(w, if (w * 100.0).fract() == 0.0 { 2 } else { 4 });
    for (i, n) in fw.nodes.iter().enumerate() {
        let how = match &n.function {
            Function::WeightedSum { inputs } => tr.with(
                "report-formula-weighted",
                &[(
                    "parts",
                    &inputs
                        .iter()
                        .map(|(r, w)| format!("{} × {}", title(*r), weight(*w)))
                        .collect::<Vec<_>>()
                        .join(" + "),
                )],
            ),
            Function::Mean { inputs } => tr.with(
                "report-formula-mean",
                &[("inputs", &list(&mut inputs.iter().copied()))],
            ),
            Function::Rules { rules, otherwise } => {
                // Each condition with what it gives, the first that holds counting.
                let outcome = |o: &Outcome| match o {
                    Outcome::Score(v) => tr.decimal(*v, if v.fract() == 0.0 { 0 } else { 1 }),
                    Outcome::Exclude => tr.t("report-formula-excluded"),
                    Outcome::Input(r) => title(*r),
                };
                let mut parts: Vec<String> = rules
                    .iter()
                    .map(|r| format!("{} → {}", r.text, outcome(&r.then)))
                    .collect();
                parts.push(tr.with(
                    "report-formula-otherwise",
                    &[("outcome", &outcome(otherwise))],
                ));
                tr.with("report-formula-rules", &[("rules", &parts.join("; "))])
            }
            Function::Bands { input, .. } => {
                tr.with("report-formula-bands", &[("input", &title(*input))])
            }
            Function::Ratio {
                numerator,
                denominator,
                ..
            } => tr.with(
                "report-formula-ratio",
                &[
                    ("numerator", &title(*numerator)),
                    ("denominator", &title(*denominator)),
                ],
            ),
            Function::Normalise { input, .. } => {
                tr.with("report-formula-normalise", &[("input", &title(*input))])
            }
            Function::Rollup { from, by_kind, .. } if by_kind.is_empty() => tr.with(
                "report-formula-rollup",
                &[("input", &title(*from)), ("unit", &fw.unit)],
            ),
            Function::Rollup { from, by_kind, .. } => tr.with(
                "report-formula-rollup-kinds",
                &[
                    ("input", &title(*from)),
                    (
                        "parts",
                        &by_kind
                            .iter()
                            .map(|(k, _, w)| {
                                tr.with(
                                    "report-formula-kind",
                                    &[("weight", &weight(*w)), ("kind", k.as_str())],
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(" + "),
                    ),
                ],
            ),
        };
        let level = tr.with(
            match n.level {
                Level::Unit => "report-level-unit",
                Level::Group => "report-level-group",
                Level::Total => "report-level-total",
            },
            &[("unit", &fw.unit)],
        );
        out.push((format!("{} ({level})", title(Ref::Node(i))), how));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use egovwatch_domain::Text;
    use egovwatch_domain::scoring::catalog;

    /// Every text of every shipped framework the methodology annex shows is written in
    /// Azerbaijani and Russian, and the annex in those languages shows none of the English.
    #[test]
    fn the_methodology_annex_of_every_shipped_framework_is_in_az_and_ru() {
        let frameworks = catalog::builtin().expect("the shipped frameworks load");
        assert!(frameworks.len() >= 6);
        for fw in &frameworks {
            let texts: Vec<(String, &Text)> = [
                ("title".to_string(), &fw.title),
                ("description".to_string(), &fw.description),
            ]
            .into_iter()
            .chain(fw.stage_levels().iter().flat_map(|l| {
                [
                    (format!("stage {} name", l.value), &l.name),
                    (format!("stage {} description", l.value), &l.description),
                ]
            }))
            .chain(
                fw.questions
                    .iter()
                    .map(|q| (format!("question {}", q.id), &q.title)),
            )
            .chain(
                fw.nodes
                    .iter()
                    .map(|n| (format!("node {}", n.id), &n.title)),
            )
            .collect();
            for lang in [Lang::Az, Lang::Ru] {
                let annex = methodology(fw, &Tr::new(lang))
                    .into_iter()
                    .flat_map(|(k, v)| [k, v])
                    .collect::<Vec<_>>()
                    .join("\n");
                for (what, text) in &texts {
                    let Some(en) = text.get(Lang::En) else {
                        continue;
                    };
                    let theirs = text.get(lang);
                    assert!(theirs.is_some(), "{}: {what} has no {lang} text", fw.id);
                    if theirs != Some(en) && en.contains(' ') {
                        assert!(
                            !annex.contains(en),
                            "{}: the {lang} annex shows the English {what}: {en}",
                            fw.id
                        );
                    }
                }
            }
        }
    }
}
