//! Monitoring rounds: a round assesses the services in its scope against one framework; its
//! assessments are the raw answers with their evidence. This module turns a round's assessments
//! and the registry into scores, and compares two rounds.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::scoring::{
    Answer, Evidence, Framework, Grouping, Level, RoundInput, RoundScores, UnitFlags, score_round,
};
use crate::{Lang, Registry, Text};

crate::registry::word_enum!(
    /// open -> closed -> published. A closed round may be reopened; a published one never
    /// changes except by a correction, which is recorded as a new revision with its reason.
    RoundState { Open = "open", Closed = "closed", Published = "published" }
);

crate::registry::word_enum!(
    /// Where an answer came from. `proposal`: last round's answer, offered when the round
    /// was opened and not yet confirmed; `arbitration`: the arbiter's answer where two
    /// assessors disagreed.
    AssessmentSource {
        Manual = "manual",
        Automatic = "automatic",
        Proposal = "proposal",
        Arbitration = "arbitration",
    }
);

crate::registry::word_enum!(
    /// Whose view an answer takes: a national user's, or a user from another country (the EU
    /// method's cross-border assessment, with its own URLs, landscaping and questions). A
    /// service assessed from both sides is two units of its round, each with its own flags.
    #[derive(Default)]
    Perspective { #[default] National = "national", CrossBorder = "cross_border" }
);

impl Perspective {
    fn is_national(&self) -> bool {
        *self == Perspective::National
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub code: String,
    /// The round's name for people, in as many of the three languages as it was given.
    pub name: Text,
    pub period_start: String,
    pub period_end: String,
    pub framework: String,
    pub framework_version: String,
    /// Service codes assessed; empty means every service that is not withdrawn.
    pub scope: Vec<String>,
    pub state: RoundState,
    /// 1, or 2 for two independent assessors per item.
    pub assessors: u8,
    /// 0 as published; each correction after publication adds one.
    pub revision: i32,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub published_at: Option<String>,
}

/// Landscaping answers: facts about a service that change how it is scored. Each needs a
/// justification (the evidence note).
pub const AUTOMATED: &str = "@automated";
pub const NOT_APPLICABLE: &str = "@not_applicable";
pub const NO_ONLINE_PRESENCE: &str = "@no_online_presence";
/// The unit kinds of a service in this round, comma-separated (`transactional,central`): the
/// EU method's landscaping of service type and government level.
pub const KINDS: &str = "@kinds";

/// The prefix of a set value: `@value:eid` answered `none` or a number gives the service's
/// `eid` that value in place of what its answers give. It records a publisher's own
/// correction (the evidence note says which and why) and is shown as such.
pub const VALUE: &str = "@value:";

/// The value a `@value:` answer sets: `None` for no value (`none`, `.`, empty).
pub fn set_value(answer: &str) -> Result<Option<f64>, String> {
    let a = answer.trim();
    if a.is_empty() || a == "." || a.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    a.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| format!("{a:?} is not a number or `none`"))
}

/// Checks a landscaping answer; `None` when it is fine.
pub fn landscaping_error(fw: &Framework, question: &str, answer: &str) -> Option<String> {
    if let Some(node) = question.strip_prefix(VALUE) {
        return match fw.node_index(node).map(|i| fw.nodes[i].level) {
            Some(Level::Unit) => set_value(answer).err(),
            Some(_) => Some(format!(
                "{question}: only a unit-level node's value can be set"
            )),
            None => Some(format!("{question}: {node:?} is not a node of {}", fw.id)),
        };
    }
    match question {
        AUTOMATED | NOT_APPLICABLE | NO_ONLINE_PRESENCE => {
            (!matches!(answer.trim().to_ascii_lowercase().as_str(), "yes" | "no"))
                .then(|| format!("{question} is answered yes or no, not {answer:?}"))
        }
        KINDS => answer
            .split(',')
            .map(str::trim)
            .find(|k| !fw.kinds.iter().any(|d| d == k))
            .map(|k| {
                format!(
                    "{k:?} is not a unit kind of {} ({})",
                    fw.id,
                    fw.kinds.join(", ")
                )
            }),
        other => Some(format!("unknown landscaping question {other:?}")),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub service: String,
    /// The channel (URL, portal, office) the answer is about, when it is about one.
    pub channel: Option<String>,
    /// National unless the answer is part of a cross-border assessment.
    #[serde(default, skip_serializing_if = "Perspective::is_national")]
    pub perspective: Perspective,
    pub question: String,
    /// The answer as given: `yes`, `no`, `NR`, a stage, a code, a number.
    pub answer: String,
    pub evidence_url: Option<String>,
    /// What the assessor saw, in as many of the three languages as were written; a page in
    /// another language shows it marked as untranslated.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub evidence_note: Text,
    /// SHA-256 of a saved file (screenshot, PDF) behind the answer.
    pub evidence_hash: Option<String>,
    pub assessor: String,
    pub assessed_at: String,
    pub source: AssessmentSource,
    /// Why this answer corrects a published round; `None` for ordinary answers.
    pub correction: Option<Text>,
    /// The round revision the answer belongs to (0 for the original round).
    pub revision: i32,
}

impl Round {
    /// A new open round with one assessor per item, on `fw`, created at `created_at`.
    pub fn open(
        code: &str,
        name: Text,
        fw: &Framework,
        (period_start, period_end): (&str, &str),
        scope: Vec<String>,
        created_at: &str,
    ) -> Round {
        Round {
            code: code.into(),
            name,
            period_start: period_start.into(),
            period_end: period_end.into(),
            framework: fw.id.clone(),
            framework_version: fw.version.clone(),
            scope,
            state: RoundState::Open,
            assessors: 1,
            revision: 0,
            created_at: created_at.into(),
            closed_at: None,
            published_at: None,
        }
    }

    /// Moves the round along its life, open -> closed -> published (a closed round may reopen),
    /// at time `at`. A round with two assessors closes only when they agree on every item or
    /// an arbiter has decided (`answers` are the round's). The store calls this under the
    /// round's lock, so nothing changes in between.
    pub fn move_to(
        &mut self,
        to: RoundState,
        at: &str,
        answers: &[Assessment],
    ) -> Result<(), String> {
        use RoundState::*;
        match (self.state, to) {
            (Open, Closed) => {
                if self.assessors > 1 {
                    let open = discrepancies(answers);
                    if !open.is_empty() {
                        return Err(format!(
                            "round {} has {} discrepancies between assessors to arbitrate first",
                            self.code,
                            open.len()
                        ));
                    }
                }
                self.closed_at = Some(at.to_string());
            }
            (Closed, Open) => self.closed_at = None,
            (Closed, Published) => self.published_at = Some(at.to_string()),
            (from, to) => {
                return Err(format!(
                    "round {} is {from}; it cannot become {to} (open -> closed -> published; a closed round may reopen)",
                    self.code
                ));
            }
        }
        self.state = to;
        Ok(())
    }

    /// What is wrong with a round about to be opened: its code, its period (two dates
    /// `YYYY-MM-DD`, in order) and its scope (services the registry has). Empty when nothing.
    pub fn problems(&self, registry: &Registry) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(e) = crate::code::check_round_code(&self.code) {
            out.push(e);
        }
        let date = |what: &str, d: &str| {
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| format!("{what} {d:?} is not a date YYYY-MM-DD"))
        };
        match (
            date("the period's start", &self.period_start),
            date("the period's end", &self.period_end),
        ) {
            (Ok(from), Ok(to)) if to < from => {
                out.push(format!("the period ends ({to}) before it starts ({from})"))
            }
            (a, b) => out.extend(a.err().into_iter().chain(b.err())),
        }
        let index = crate::Index::new(registry);
        for s in &self.scope {
            if index.service(registry, s).is_none() {
                out.push(format!("scope: no service {s:?} in the registry"));
            }
        }
        out
    }

    /// The services this round assesses, in registry order.
    pub fn services<'r>(&self, registry: &'r Registry) -> Vec<&'r crate::Service> {
        if self.scope.is_empty() {
            return registry
                .services
                .iter()
                .filter(|s| s.status != crate::ServiceStatus::Withdrawn)
                .collect();
        }
        registry
            .services_named(self.scope.iter().map(String::as_str))
            .into_iter()
            .map(|i| &registry.services[i])
            .collect()
    }
}

/// A round scored: units are the round's services in registry order, then the services also
/// assessed cross-border (a second unit each, see [`score`]).
#[derive(Debug, Clone)]
pub struct ScoredRound {
    /// The service of each unit.
    pub services: Vec<String>,
    /// The perspective of each unit.
    pub perspectives: Vec<Perspective>,
    pub input: RoundInput,
    pub scores: RoundScores,
    /// 0: life events (in journey order), 1: organisations (lead organisation).
    pub groupings: Vec<Grouping>,
    pub life_events: Vec<String>,
    pub organisations: Vec<String>,
}

/// The value of one node for one service, one group (a life event, an organisation) or the
/// whole round, unrounded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeValue {
    pub node: String,
    pub level: &'static str,
    /// `life_event` or `organisation` for a group's value.
    pub grouping: Option<String>,
    /// The service or group; none for the round's total.
    pub code: Option<String>,
    /// The perspective of a service's value (a service assessed cross-border has a value from
    /// each side); none for groups and the total.
    pub perspective: Option<Perspective>,
    pub value: Option<f64>,
}

impl ScoredRound {
    /// Every value of the nodes `nodes` (indexes into `fw.nodes`, in framework order): per
    /// service for unit nodes, per non-empty life event and organisation for group nodes, once
    /// for total nodes. Values are as computed; rounding is the reader's.
    pub fn node_values(&self, fw: &Framework, nodes: &[usize]) -> Vec<NodeValue> {
        let mut out = Vec::new();
        for &i in nodes {
            let Some(node) = fw.nodes.get(i) else {
                continue;
            };
            let value = |level: &'static str, grouping: Option<&str>, code: Option<&str>, value| {
                NodeValue {
                    node: node.id.clone(),
                    level,
                    grouping: grouping.map(str::to_string),
                    code: code.map(str::to_string),
                    perspective: None,
                    value,
                }
            };
            match node.level {
                Level::Unit => {
                    for (u, code) in self.services.iter().enumerate() {
                        out.push(NodeValue {
                            perspective: self.perspectives.get(u).copied(),
                            ..value("unit", None, Some(code), self.scores.unit_value(i, u))
                        });
                    }
                }
                Level::Group => {
                    for (g, grouping) in self.groupings.iter().enumerate() {
                        let codes = if g == 0 {
                            &self.life_events
                        } else {
                            &self.organisations
                        };
                        for (k, code) in codes.iter().enumerate() {
                            if grouping.members.get(k).is_none_or(|m| m.is_empty()) {
                                continue;
                            }
                            let v = self.scores.group_value(g, i, k);
                            out.push(value("group", Some(&grouping.name), Some(code), v));
                        }
                    }
                }
                Level::Total => out.push(value("total", None, None, self.scores.total_value(i))),
            }
        }
        out
    }

    /// The national units, one per service in scope, in registry order (they come first).
    pub fn national_units(&self) -> std::ops::Range<usize> {
        0..self
            .perspectives
            .iter()
            .take_while(|p| **p == Perspective::National)
            .count()
    }

    /// The services in scope with their national unit.
    pub fn national(&self) -> impl Iterator<Item = (usize, &String)> {
        self.national_units().zip(&self.services)
    }

    /// The national unit of a service.
    pub fn unit_of(&self, service: &str) -> Option<usize> {
        self.services[self.national_units()]
            .iter()
            .position(|s| s == service)
    }

    /// The unit of a service seen from one perspective.
    pub fn unit_from(&self, service: &str, perspective: Perspective) -> Option<usize> {
        self.services
            .iter()
            .zip(&self.perspectives)
            .position(|(s, p)| s == service && *p == perspective)
    }

    pub fn headline(&self, fw: &Framework, unit: usize) -> Option<f64> {
        self.scores.unit_value(fw.headline_unit, unit)
    }

    /// The stage of a service, for frameworks that classify services into stages.
    pub fn stage(&self, fw: &Framework, unit: usize) -> Option<u8> {
        let q = fw.stage?;
        match self.input.answer(unit, q) {
            Answer::Value(v) if !self.input.flags[unit].automated => fw.stage_of(v),
            _ if self.input.flags[unit].automated => fw.top_stage(),
            _ => None,
        }
    }
}

/// The rules an answer of a round must follow, with what they are checked against (the
/// framework, the registry and the round's scope), built once per round: the assessments CSV
/// and the EU workbook import check every answer here.
pub struct AnswerRules<'a> {
    fw: &'a Framework,
    registry: &'a Registry,
    index: crate::Index,
    in_scope: HashSet<&'a str>,
    round: &'a Round,
}

impl<'a> AnswerRules<'a> {
    pub fn new(fw: &'a Framework, registry: &'a Registry, round: &'a Round) -> AnswerRules<'a> {
        AnswerRules {
            fw,
            registry,
            index: crate::Index::new(registry),
            in_scope: round
                .services(registry)
                .into_iter()
                .map(|s| s.code.as_str())
                .collect(),
            round,
        }
    }

    /// Every rule `a` breaks, as (field, what is wrong): text nobody can read, a service that
    /// is not in the registry or the round's scope, a channel of another service, a question the
    /// framework does not have or an answer it cannot take, a landscaping answer or an NR
    /// without its justification (the evidence note), a URL or file hash that is not one.
    pub fn problems(&self, a: &Assessment) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (field, value) in [
            ("service", Some(&a.service)),
            ("channel", a.channel.as_ref()),
            ("question", Some(&a.question)),
            ("answer", Some(&a.answer)),
            ("evidence_url", a.evidence_url.as_ref()),
            ("evidence_hash", a.evidence_hash.as_ref()),
            ("assessor", Some(&a.assessor)),
        ] {
            if let Some(e) = value.and_then(|v| crate::validate::control_error(v)) {
                out.push((field, e));
            }
        }
        for (lang, note) in a.evidence_note.iter() {
            if let Some(e) = crate::validate::control_error(note) {
                out.push((note_field(lang), e));
            }
        }
        let Some(svc) = self.index.service(self.registry, &a.service) else {
            out.push((
                "service",
                format!("no service {:?} in the registry", a.service),
            ));
            return out;
        };
        if !self.in_scope.contains(a.service.as_str()) {
            out.push((
                "service",
                format!(
                    "{} is not in the scope of round {}",
                    a.service, self.round.code
                ),
            ));
        }
        if let Some(ch) = &a.channel
            && !svc.channels.iter().any(|c| c.code.as_str() == ch)
        {
            out.push((
                "channel",
                format!("{ch:?} is not a channel of {}", a.service),
            ));
        }
        let (question, answer) = (a.question.as_str(), a.answer.as_str());
        if question.starts_with('@') {
            if let Some(e) = landscaping_error(self.fw, question, answer) {
                out.push(("answer", e));
            }
            if a.evidence_note.is_empty() {
                out.push(("evidence_note", format!("{question} needs a justification")));
            }
        } else {
            match self.fw.question_index(question) {
                None => out.push((
                    "question",
                    format!("no question {question:?} in framework {}", self.fw.id),
                )),
                Some(q) => {
                    if let Err(e) = self.fw.parse_answer(q, answer) {
                        out.push(("answer", e));
                    } else if answer.is_empty() {
                        out.push(("answer", "is empty".into()));
                    } else if answer.eq_ignore_ascii_case("nr") && a.evidence_note.is_empty() {
                        out.push(("evidence_note", "an NR answer needs a justification".into()));
                    }
                }
            }
        }
        if let Some(e) = a
            .evidence_url
            .as_deref()
            .and_then(crate::validate::url_error)
        {
            out.push(("evidence_url", e));
        }
        if let Some(h) = &a.evidence_hash
            && !(h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()))
        {
            out.push(("evidence_hash", "a SHA-256 is 64 hexadecimal digits".into()));
        }
        if a.assessor.is_empty() {
            out.push(("assessor", "is required".into()));
        }
        out
    }
}

/// The answers that count, per (service, channel, perspective, question): for each assessor
/// the latest answer; an arbitration, when there is one, replaces them all.
pub fn effective(assessments: &[Assessment]) -> Vec<&Assessment> {
    type Item<'a> = (&'a str, Option<&'a str>, Perspective, &'a str);
    fn item(a: &Assessment) -> Item<'_> {
        (
            a.service.as_str(),
            a.channel.as_deref(),
            a.perspective,
            a.question.as_str(),
        )
    }
    let mut latest: BTreeMap<(Item<'_>, &str), &Assessment> = BTreeMap::new();
    let mut arbitrated: BTreeMap<Item<'_>, &Assessment> = BTreeMap::new();
    for a in assessments {
        if a.source == AssessmentSource::Arbitration {
            arbitrated.insert(item(a), a);
        } else {
            latest.insert((item(a), a.assessor.as_str()), a);
        }
    }
    // A proposal carried over from the last round counts until someone answers that question
    // for the service, on whatever channel.
    let answered: std::collections::BTreeSet<(&str, Perspective, &str)> = latest
        .values()
        .filter(|a| a.source != AssessmentSource::Proposal)
        .map(|a| (a.service.as_str(), a.perspective, a.question.as_str()))
        .collect();
    let mut out: Vec<&Assessment> = latest
        .into_iter()
        .filter(|((key, _), a)| {
            !arbitrated.contains_key(key)
                && (a.source != AssessmentSource::Proposal
                    || !answered.contains(&(key.0, key.2, key.3)))
        })
        .map(|(_, a)| a)
        .collect();
    out.extend(arbitrated.into_values());
    out
}

/// The answers that count in round `from`, offered as proposals in a new round (made at
/// `at`): each counts until someone answers its item (see [`effective`]).
pub fn proposals(from: &str, assessments: &[Assessment], at: &str) -> Vec<Assessment> {
    effective(assessments)
        .into_iter()
        .map(|a| Assessment {
            source: AssessmentSource::Proposal,
            assessed_at: at.to_string(),
            correction: None,
            revision: 0,
            evidence_note: proposed_note(from, &a.evidence_note),
            ..a.clone()
        })
        .collect()
}

/// The lowest stage that counts as fully online on a scale whose top stage is `top`: a full
/// online transaction or beyond (the top two stages of a scale of five or more, where the top
/// one is proactive delivery; the top one otherwise).
pub fn fully_online(top: u8) -> u8 {
    if top >= 4 { top - 1 } else { top }
}

/// A proposal's note: the round it comes from, then the note it had, in each language it had.
fn proposed_note(from: &str, note: &Text) -> Text {
    if note.is_empty() {
        return Lang::ALL.iter().fold(Text::new(), |t, l| t.with(*l, from));
    }
    note.iter()
        .fold(Text::new(), |t, (l, n)| t.with(l, format!("{from}: {n}")))
}

/// The column of the evidence note in `lang`: `evidence_note_az`, and `evidence_note` for
/// English (the column older files have).
pub fn note_field(lang: Lang) -> &'static str {
    match lang {
        Lang::Az => "evidence_note_az",
        Lang::En => "evidence_note",
        Lang::Ru => "evidence_note_ru",
    }
}

/// (service, channel, question, [(assessor, answer)]) of an item the assessors disagree on.
pub type Discrepancy = (String, Option<String>, String, Vec<(String, String)>);

/// Items two assessors answered differently and nobody has arbitrated yet.
pub fn discrepancies(assessments: &[Assessment]) -> Vec<Discrepancy> {
    let mut by_item: BTreeMap<(String, Option<String>, String), BTreeMap<String, String>> =
        BTreeMap::new();
    let mut arbitrated = std::collections::BTreeSet::new();
    for a in assessments {
        let key = (a.service.clone(), a.channel.clone(), a.question.clone());
        if a.source == AssessmentSource::Arbitration {
            arbitrated.insert(key);
        } else if a.source != AssessmentSource::Proposal {
            by_item
                .entry(key)
                .or_default()
                .insert(a.assessor.clone(), a.answer.trim().to_lowercase());
        }
    }
    by_item
        .into_iter()
        .filter(|(key, answers)| {
            !arbitrated.contains(key) && {
                let mut values = answers.values();
                let first = values.next();
                values.any(|v| Some(v) != first)
            }
        })
        .map(|((s, c, q), answers)| (s, c, q, answers.into_iter().collect()))
        .collect()
}

/// Scores a round: the services in scope are the units (a service assessed from the
/// cross-border perspective too is a second unit, after all national ones), grouped by life
/// event and by lead organisation. Assessments are expected to be valid (checked when they
/// were imported); answers that no longer parse are left out rather than guessed.
pub fn score(
    fw: &Framework,
    registry: &Registry,
    round: &Round,
    assessments: &[Assessment],
) -> ScoredRound {
    let services = round.services(registry);
    let position: HashMap<&str, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.code.as_str(), i))
        .collect();
    // Units: every service nationally, then those with cross-border answers.
    let effective = effective(assessments);
    let mut cross_border: Vec<usize> = effective
        .iter()
        .filter(|a| a.perspective == Perspective::CrossBorder)
        .filter_map(|a| position.get(a.service.as_str()).copied())
        .collect();
    cross_border.sort_unstable();
    cross_border.dedup();
    let units: Vec<(usize, Perspective)> = (0..services.len())
        .map(|s| (s, Perspective::National))
        .chain(cross_border.iter().map(|&s| (s, Perspective::CrossBorder)))
        .collect();
    let index: HashMap<(&str, Perspective), usize> = units
        .iter()
        .enumerate()
        .map(|(u, &(s, p))| ((services[s].code.as_str(), p), u))
        .collect();
    let mut flags: Vec<UnitFlags> = units
        .iter()
        .map(|&(_, p)| UnitFlags {
            kinds: fw.kind_mask(&[p.as_str().to_string()]),
            ..UnitFlags::default()
        })
        .collect();
    let mut sources: HashMap<(Option<&str>, Perspective, &str), u32> = HashMap::new();
    let mut evidence = Vec::new();
    let mut values = Vec::new();
    for (seq, a) in effective.into_iter().enumerate() {
        let Some(&unit) = index.get(&(a.service.as_str(), a.perspective)) else {
            continue;
        };
        let yes = matches!(
            a.answer.trim().to_ascii_lowercase().as_str(),
            "yes" | "true" | "1"
        );
        match a.question.as_str() {
            AUTOMATED => flags[unit].automated = yes,
            NOT_APPLICABLE => flags[unit].not_applicable = yes,
            NO_ONLINE_PRESENCE => flags[unit].no_online_presence = yes,
            KINDS => {
                let mut kinds: Vec<String> =
                    a.answer.split(',').map(|k| k.trim().to_string()).collect();
                kinds.push(a.perspective.as_str().to_string());
                flags[unit].kinds = fw.kind_mask(&kinds);
            }
            q if q.starts_with(VALUE) => {
                let node = fw.node_index(&q[VALUE.len()..]);
                if let (Some(node), Ok(v)) = (node, set_value(&a.answer)) {
                    values.push((node, unit, v));
                }
            }
            q => {
                let Some(question) = fw.question_index(q) else {
                    continue;
                };
                let Ok(answer) = fw.parse_answer(question, &a.answer) else {
                    continue;
                };
                let next = sources.len() as u32;
                let source = *sources
                    .entry((a.channel.as_deref(), a.perspective, a.assessor.as_str()))
                    .or_insert(next);
                evidence.push(Evidence {
                    unit,
                    source,
                    question,
                    answer,
                    seq: seq as u64,
                });
            }
        }
    }
    let life_events: Vec<String> = registry
        .life_events
        .iter()
        .map(|l| l.code.as_str().to_string())
        .collect();
    let organisations: Vec<String> = registry
        .organisations
        .iter()
        .map(|o| o.code.as_str().to_string())
        .collect();
    let le_index: HashMap<&str, usize> = life_events
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let org_index: HashMap<&str, usize> = organisations
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut by_le = vec![Vec::new(); life_events.len()];
    let mut by_org = vec![Vec::new(); organisations.len()];
    for (unit, &(s, _)) in units.iter().enumerate() {
        let s = services[s];
        for le in &s.life_events {
            if let Some(&g) = le_index.get(le.as_str()) {
                by_le[g].push(unit);
            }
        }
        if let Some(lead) = s.organisations.first()
            && let Some(&g) = org_index.get(lead.as_str())
        {
            by_org[g].push(unit);
        }
    }
    let n = units.len();
    let groupings = vec![
        Grouping::new("life_event", n, by_le),
        Grouping::new("organisation", n, by_org),
    ];
    let mut input = RoundInput::build(fw, flags, &evidence);
    for (node, unit, v) in values {
        input.set_value(node, unit, v);
    }
    let scores = score_round(fw, &input, &groupings);
    ScoredRound {
        services: units
            .iter()
            .map(|&(s, _)| services[s].code.as_str().to_string())
            .collect(),
        perspectives: units.iter().map(|&(_, p)| p).collect(),
        input,
        scores,
        groupings,
        life_events,
        organisations,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    Improved,
    Regressed,
    Unchanged,
    New,
    Withdrawn,
}

impl Movement {
    pub const ALL: &'static [Movement] = &[
        Movement::Improved,
        Movement::Regressed,
        Movement::Unchanged,
        Movement::New,
        Movement::Withdrawn,
    ];

    /// The word JSON and CSV use (`improved`, `regressed`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Movement::Improved => "improved",
            Movement::Regressed => "regressed",
            Movement::Unchanged => "unchanged",
            Movement::New => "new",
            Movement::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceChange {
    pub service: String,
    pub movement: Movement,
    pub before: Option<f64>,
    pub now: Option<f64>,
    pub stage_before: Option<u8>,
    pub stage_now: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifeEventChange {
    pub life_event: String,
    pub before: Option<f64>,
    pub now: Option<f64>,
    pub delta: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub services: Vec<ServiceChange>,
    pub life_events: Vec<LifeEventChange>,
    pub index_before: Option<f64>,
    pub index_now: Option<f64>,
    /// Services at stage 0 now (undeveloped or non-existent online).
    pub undeveloped: Vec<String>,
    /// Services at stage 1 now (stuck at information provision).
    pub information_only: Vec<String>,
}

fn units_by_code(s: &ScoredRound) -> HashMap<&str, usize> {
    s.national().map(|(u, c)| (c.as_str(), u)).collect()
}

/// Compares a round with an earlier one of the same framework, service by service.
pub fn compare(fw: &Framework, now: &ScoredRound, before: &ScoredRound) -> Comparison {
    let round = |v: Option<f64>| v.map(|v| fw.round(v));
    // Units by code, once: `unit_of` scans, and countries have tens of thousands of services.
    let (units_now, units_before) = (units_by_code(now), units_by_code(before));
    let mut services = Vec::new();
    for (unit, code) in now.national() {
        let now_v = round(now.headline(fw, unit));
        let old = units_before.get(code.as_str()).copied();
        let before_v = old.and_then(|u| round(before.headline(fw, u)));
        let movement = match (old, before_v, now_v) {
            (None, _, _) => Movement::New,
            (Some(_), Some(b), Some(n)) if n > b => Movement::Improved,
            (Some(_), Some(b), Some(n)) if n < b => Movement::Regressed,
            (Some(_), None, Some(_)) => Movement::New,
            _ => Movement::Unchanged,
        };
        services.push(ServiceChange {
            service: code.clone(),
            movement,
            before: before_v,
            now: now_v,
            stage_before: old.and_then(|u| before.stage(fw, u)),
            stage_now: now.stage(fw, unit),
        });
    }
    for (unit, code) in before.national() {
        if !units_now.contains_key(code.as_str()) {
            services.push(ServiceChange {
                service: code.clone(),
                movement: Movement::Withdrawn,
                before: round(before.headline(fw, unit)),
                now: None,
                stage_before: before.stage(fw, unit),
                stage_now: None,
            });
        }
    }
    let mut life_events = Vec::new();
    if let Some(node) = fw.headline_group {
        for (g, code) in now.life_events.iter().enumerate() {
            let n = round(now.scores.group_value(0, node, g));
            let b = before
                .life_events
                .iter()
                .position(|c| c == code)
                .and_then(|bg| round(before.scores.group_value(0, node, bg)));
            if n.is_none() && b.is_none() {
                continue;
            }
            let delta = match (n, b) {
                (Some(n), Some(b)) => Some(fw.round(n - b)),
                _ => None,
            };
            life_events.push(LifeEventChange {
                life_event: code.clone(),
                before: b,
                now: n,
                delta,
            });
        }
    }
    let at = |stage: u8| {
        services
            .iter()
            .filter(|c| c.movement != Movement::Withdrawn && c.stage_now == Some(stage))
            .map(|c| c.service.clone())
            .collect()
    };
    let undeveloped = at(0);
    let information_only = at(1);
    Comparison {
        index_before: before.national_index(fw),
        index_now: now.national_index(fw),
        services,
        life_events,
        undeveloped,
        information_only,
    }
}

/// What a round found, in the terms a reader asks first (for frameworks with stages): which
/// services go no further than information, which are fully online, what moved since the round
/// compared with, and which base registries are not digitised. Codes in registry order; the
/// web's home page and round dashboard and the report's executive summary word them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Findings {
    /// Services of the round with a stage.
    pub assessed: usize,
    /// At stage 0: not available online at all.
    pub undeveloped: Vec<String>,
    /// At stage 1: information only.
    pub information_only: Vec<String>,
    /// At or above [`fully_online`].
    pub fully_online: Vec<String>,
    /// Since the round compared with; empty without one.
    pub improved: Vec<String>,
    pub regressed: Vec<String>,
    /// Base registries whose data are not digital: the services that need them cannot go
    /// online whatever their owners build.
    pub registries: Vec<String>,
}

impl Findings {
    /// The services that go no further than information: undeveloped, then information only.
    pub fn stuck(&self) -> impl Iterator<Item = &String> {
        self.undeveloped.iter().chain(&self.information_only)
    }
}

/// The findings of `scored`, compared by `comparison` when there is one. None when the
/// framework has no stages above information (its findings would say nothing) or no service
/// of the round has a stage.
pub fn findings(
    fw: &Framework,
    registry: &Registry,
    scored: &ScoredRound,
    comparison: Option<&Comparison>,
) -> Option<Findings> {
    let top = fw.top_stage()?;
    if top < 2 {
        return None;
    }
    let full = fully_online(top);
    let mut f = Findings::default();
    for (unit, code) in scored.national() {
        let Some(stage) = scored.stage(fw, unit) else {
            continue;
        };
        f.assessed += 1;
        match stage {
            0 => f.undeveloped.push(code.clone()),
            1 => f.information_only.push(code.clone()),
            s if s >= full => f.fully_online.push(code.clone()),
            _ => {}
        }
    }
    if f.assessed == 0 {
        return None;
    }
    for c in comparison.iter().flat_map(|c| &c.services) {
        match c.movement {
            Movement::Improved => f.improved.push(c.service.clone()),
            Movement::Regressed => f.regressed.push(c.service.clone()),
            _ => {}
        }
    }
    // The base registries of the part of the registry the round's services are connected to:
    // in a registry of many countries, the round's country.
    let part = crate::component::connected(registry, scored.services.iter().map(String::as_str));
    f.registries = part
        .as_ref()
        .unwrap_or(registry)
        .information_systems
        .iter()
        .filter(|s| s.base_registry && !s.digitisation.state.is_digital())
        .map(|s| s.code.to_string())
        .collect();
    Some(f)
}

/// A round with everything its figures are read from: its framework, the registry it was scored
/// against, its answers and its scores. What the command line, the web, the reports and the
/// replay are given; they read figures through its methods, not by recomputing them.
#[derive(Debug, Clone)]
pub struct AssessedRound {
    pub round: Round,
    pub fw: Framework,
    /// Shared: rounds scored against one registry (a publication and the round it is compared
    /// with, every round of a synthetic country) hold one copy.
    pub registry: std::sync::Arc<Registry>,
    pub assessments: Vec<Assessment>,
    pub scored: ScoredRound,
}

impl AssessedRound {
    /// Scores `round` from its answers.
    pub fn new(
        round: Round,
        fw: Framework,
        registry: impl Into<std::sync::Arc<Registry>>,
        assessments: Vec<Assessment>,
    ) -> AssessedRound {
        let registry = registry.into();
        let scored = score(&fw, &registry, &round, &assessments);
        AssessedRound {
            round,
            fw,
            registry,
            assessments,
            scored,
        }
    }

    /// The national index: the framework's headline total at its published precision.
    pub fn national_index(&self) -> Option<f64> {
        self.scored.national_index(&self.fw)
    }
}

/// What a published round says, computed once when it is published (and again when it is
/// corrected) and stored with it, so that readers look it up instead of scoring: the national
/// index, every service's stage and headline with its change since the round compared with,
/// every node's value per service, per group and in total, and the findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundResults {
    pub round: String,
    /// The round's revision the results are of.
    pub revision: i32,
    /// The round compared with ([`previous`]), when there is one.
    pub against: Option<String>,
    pub index: Option<f64>,
    pub index_before: Option<f64>,
    pub findings: Option<Findings>,
    /// Services of the round compared with that this round no longer assesses.
    pub withdrawn: Vec<String>,
    pub units: Vec<UnitResult>,
    pub groups: Vec<GroupResult>,
    /// The round's total nodes.
    pub totals: Vec<NodeResult>,
}

/// One service from one perspective in a round's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    pub service: String,
    pub perspective: Perspective,
    pub stage: Option<u8>,
    /// The framework's headline value, at its published precision.
    pub headline: Option<f64>,
    /// Against the round compared with (national units only).
    pub movement: Option<Movement>,
    pub stage_before: Option<u8>,
    pub headline_before: Option<f64>,
    /// Every unit node with a value, unrounded, by node id.
    pub values: BTreeMap<String, f64>,
}

/// One node's value for one life event or organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    /// `life_event` or `organisation`.
    pub grouping: String,
    pub code: String,
    pub node: String,
    pub value: Option<f64>,
    /// Services of the round in the group (national units).
    pub services: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeResult {
    pub node: String,
    pub value: Option<f64>,
}

/// The results of `now`, compared with `before` (the round [`previous`] names) when given.
pub fn results(now: &AssessedRound, before: Option<&AssessedRound>) -> RoundResults {
    let fw = &now.fw;
    let comparison = before
        .filter(|b| b.fw.id == fw.id)
        .map(|b| compare(fw, &now.scored, &b.scored));
    let change: HashMap<&str, &ServiceChange> = comparison
        .iter()
        .flat_map(|c| &c.services)
        .map(|c| (c.service.as_str(), c))
        .collect();
    let unit_nodes: Vec<usize> = (0..fw.nodes.len())
        .filter(|&i| fw.nodes[i].level == Level::Unit)
        .collect();
    let other_nodes: Vec<usize> = (0..fw.nodes.len())
        .filter(|&i| fw.nodes[i].level != Level::Unit)
        .collect();
    let units: Vec<UnitResult> = now
        .scored
        .services
        .iter()
        .zip(&now.scored.perspectives)
        .enumerate()
        .map(|(u, (service, perspective))| {
            let national = *perspective == Perspective::National;
            let c = change.get(service.as_str()).filter(|_| national);
            UnitResult {
                service: service.clone(),
                perspective: *perspective,
                stage: now.scored.stage(fw, u),
                headline: now.scored.headline(fw, u).map(|v| fw.round(v)),
                movement: c.map(|c| c.movement),
                stage_before: c.and_then(|c| c.stage_before),
                headline_before: c.and_then(|c| c.before),
                values: unit_nodes
                    .iter()
                    .filter_map(|&i| {
                        let v = now.scored.scores.unit_value(i, u)?;
                        Some((fw.nodes[i].id.clone(), v))
                    })
                    .collect(),
            }
        })
        .collect();
    let national = now.scored.national_units();
    let mut members: HashMap<(&str, &str), usize> = HashMap::new();
    for (g, grouping) in now.scored.groupings.iter().enumerate() {
        let codes = if g == 0 {
            &now.scored.life_events
        } else {
            &now.scored.organisations
        };
        for (code, m) in codes.iter().zip(&grouping.members) {
            let n = m.iter().filter(|u| national.contains(u)).count();
            members.insert((grouping.name.as_str(), code.as_str()), n);
        }
    }
    let (mut groups, mut totals) = (Vec::new(), Vec::new());
    for v in now.scored.node_values(fw, &other_nodes) {
        match (v.code, v.grouping) {
            (Some(code), Some(grouping)) => groups.push(GroupResult {
                services: members
                    .get(&(grouping.as_str(), code.as_str()))
                    .copied()
                    .unwrap_or_default(),
                grouping,
                code,
                node: v.node,
                value: v.value,
            }),
            _ => totals.push(NodeResult {
                node: v.node,
                value: v.value,
            }),
        }
    }
    RoundResults {
        round: now.round.code.clone(),
        revision: now.round.revision,
        against: comparison
            .as_ref()
            .and(before)
            .map(|b| b.round.code.clone()),
        index: now.national_index(),
        index_before: comparison
            .as_ref()
            .and(before)
            .and_then(AssessedRound::national_index),
        findings: findings(fw, &now.registry, &now.scored, comparison.as_ref()),
        withdrawn: comparison
            .iter()
            .flat_map(|c| &c.services)
            .filter(|c| c.movement == Movement::Withdrawn)
            .map(|c| c.service.clone())
            .collect(),
        units,
        groups,
        totals,
    }
}

/// A round with the round it is compared with and the national index of every round of its
/// series up to it: what a progress report is made of.
#[derive(Debug, Clone)]
pub struct Reported {
    pub now: AssessedRound,
    pub before: Option<AssessedRound>,
    pub series: Vec<(String, f64)>,
}

impl ScoredRound {
    /// The national index: the framework's headline total, rounded to its decimals.
    pub fn national_index(&self, fw: &Framework) -> Option<f64> {
        self.scores
            .total_value(fw.headline_total)
            .map(|v| fw.round(v))
    }

    /// The values of a group-level node for every life event (NaN: none), in registry order.
    pub fn life_event_values(&self, node: usize) -> &[f64] {
        self.groupings
            .iter()
            .position(|g| g.name == "life_event")
            .and_then(|g| self.scores.group.get(g))
            .and_then(|nodes| nodes.get(node))
            .map_or(&[], Vec::as_slice)
    }
}

/// The top of each organisation's hierarchy (its topmost parent; itself when it has none).
pub struct Tops<'r>(FastMap<&'r str, &'r str>);

/// A map keyed by codes hashed with foldhash: a registry of the UN survey's scale looks up
/// hundreds of thousands of them at once, where SipHash (the standard map's) was most of the
/// time.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

impl<'r> Tops<'r> {
    pub fn new(registry: &'r Registry) -> Tops<'r> {
        Tops::of_parents(
            registry
                .organisations
                .iter()
                .map(|o| (o.code.as_str(), o.parent.as_ref().map(|p| p.as_str()))),
        )
    }

    /// The tops of the organisations `parents` gives, each with its parent's code.
    pub fn of_parents(
        parents: impl IntoIterator<Item = (&'r str, Option<&'r str>)> + Clone,
    ) -> Tops<'r> {
        let parent: FastMap<&str, &str> = parents
            .clone()
            .into_iter()
            .filter_map(|(o, p)| Some((o, p?)))
            .collect();
        let top = |mut o: &'r str| {
            // Parent chains are checked for cycles on import; the bound keeps a bad one finite.
            for _ in 0..parent.len() {
                match parent.get(o) {
                    Some(p) => o = p,
                    None => break,
                }
            }
            o
        };
        Tops(parents.into_iter().map(|(o, _)| (o, top(o))).collect())
    }

    /// The top organisation of `org` (itself when the registry does not know it).
    pub fn of<'o>(&self, org: &'o str) -> &'o str
    where
        'r: 'o,
    {
        self.0.get(org).copied().unwrap_or(org)
    }

    /// The top organisation of a service's leading (first) organisation.
    pub fn lead(&self, s: &'r crate::Service) -> Option<&'r str> {
        s.organisations.first().map(|o| self.of(o.as_str()))
    }
}

/// Services of which every round in one series with `of` names at least one, unless it covers
/// every service (an empty scope): the services led, in `registry`, by one organisation of
/// `of`'s subject (rounds of one series have one subject, so each names a service of every
/// organisation in it). None when no such bound exists: `of` covers every service, or none of
/// its services has an organisation; then any round on its framework can be in its series.
pub fn series_witnesses<'r>(of: &Round, registry: &'r Registry) -> Option<Vec<&'r str>> {
    if of.scope.is_empty() {
        return None;
    }
    let tops = Tops::new(registry);
    let chosen = registry
        .services_named(of.scope.iter().map(String::as_str))
        .into_iter()
        .filter_map(|i| tops.lead(&registry.services[i]))
        .min()?;
    Some(
        registry
            .services
            .iter()
            .filter(|s| tops.lead(s) == Some(chosen))
            .map(|s| s.code.as_str())
            .collect(),
    )
}

/// Who each round is about: the top-level organisations (the countries, in a registry of
/// several) that lead the services in its scope. Rounds on one framework about the same
/// subject form a series, whatever services each assesses: services and life events change
/// from one data collection to the next (the EU biennial averages two years with different
/// services).
#[derive(Debug, Clone, Default)]
pub struct Subjects {
    /// By round code: the number of its subject.
    by_round: HashMap<String, u32>,
    /// By subject number: its top-level organisations' codes, in code order.
    tops: Vec<Vec<String>>,
}

impl Subjects {
    /// The subjects of `rounds` in `registry`, computed once: one pass over the rounds'
    /// scopes, each service found by its code (and over the registry's services when a
    /// round covers every service). Each distinct subject gets a number, so telling whether
    /// two rounds form a series compares two numbers.
    pub fn of<'a>(rounds: impl IntoIterator<Item = &'a Round>, registry: &Registry) -> Subjects {
        let rounds: Vec<&Round> = rounds.into_iter().collect();
        let tops = Tops::new(registry);
        let everyone: std::collections::BTreeSet<&str> =
            if rounds.iter().any(|r| r.scope.is_empty()) {
                registry
                    .services
                    .iter()
                    .filter(|s| s.status != crate::ServiceStatus::Withdrawn)
                    .filter_map(|s| tops.lead(s))
                    .collect()
            } else {
                Default::default()
            };
        let service = services_by_code(registry);
        let mut numbers: HashMap<std::collections::BTreeSet<&str>, u32> = HashMap::new();
        let mut subjects: Vec<Vec<String>> = Vec::new();
        let mut out = HashMap::with_capacity(rounds.len());
        for r in rounds {
            let subject = if r.scope.is_empty() {
                everyone.clone()
            } else {
                scope_subject(r, &tops, &service)
            };
            let next = numbers.len() as u32;
            let n = *numbers.entry(subject).or_insert_with_key(|s| {
                subjects.push(s.iter().map(|t| t.to_string()).collect());
                next
            });
            out.insert(r.code.clone(), n);
        }
        Subjects {
            by_round: out,
            tops: subjects,
        }
    }

    /// The subjects of `rounds`, as [`Subjects::of`] gives them when none of them covers every
    /// service, from what the store reads without their scopes (`Store::published_rounds_leads`):
    /// `leads`, each a round's code with the leading organisation of a service its scope names,
    /// and `parents`, every organisation's code with its parent's.
    pub fn of_leads(
        rounds: &[Round],
        leads: &[(String, String)],
        parents: &[(String, Option<String>)],
    ) -> Subjects {
        let tops = Tops::of_parents(parents.iter().map(|(o, p)| (o.as_str(), p.as_deref())));
        let mut of_round: HashMap<&str, std::collections::BTreeSet<&str>> = rounds
            .iter()
            .map(|r| (r.code.as_str(), Default::default()))
            .collect();
        for (round, organisation) in leads {
            if let Some(subject) = of_round.get_mut(round.as_str()) {
                subject.insert(tops.of(organisation));
            }
        }
        let mut numbers: HashMap<&std::collections::BTreeSet<&str>, u32> = HashMap::new();
        let mut subjects: Vec<Vec<String>> = Vec::new();
        let mut by_round = HashMap::with_capacity(rounds.len());
        for r in rounds {
            let Some(subject) = of_round.get(r.code.as_str()) else {
                continue;
            };
            let next = numbers.len() as u32;
            let n = *numbers.entry(subject).or_insert_with(|| {
                subjects.push(subject.iter().map(|t| t.to_string()).collect());
                next
            });
            by_round.insert(r.code.clone(), n);
        }
        Subjects {
            by_round,
            tops: subjects,
        }
    }

    /// How many subjects `rounds` are about, as [`Subjects::count`] of [`Subjects::of`] gives
    /// when none of them covers every service ([`Subjects::of_leads`]).
    pub fn count_of_leads(
        rounds: &[Round],
        leads: &[(String, String)],
        parents: &[(String, Option<String>)],
    ) -> usize {
        Subjects::of_leads(rounds, leads, parents).count()
    }

    /// Whether two rounds belong to one series: the same framework and the same subject, so
    /// that their figures compare.
    pub fn same_series(&self, a: &Round, b: &Round) -> bool {
        a.framework == b.framework && self.by_round.get(&a.code) == self.by_round.get(&b.code)
    }

    /// How many subjects the rounds are about: more than one in a registry of several
    /// countries, whose latest round speaks for one of them only.
    pub fn count(&self) -> usize {
        self.tops.len()
    }

    /// The top-level organisations (codes) the round `code` is about, when it is one of the
    /// rounds these subjects were computed for.
    pub fn of_round(&self, code: &str) -> Option<&[String]> {
        let n = *self.by_round.get(code)?;
        self.tops.get(n as usize).map(Vec::as_slice)
    }

    /// These subjects with `rounds` (published since they were computed, or corrected) added
    /// or put in place of theirs, in `registry`, whose records leave the subjects of the
    /// other rounds as they were: without going over every round's scope again. None when
    /// one of `rounds` covers every service, or a round's subject is no longer what it was
    /// (its number could be left to no round): compute them whole then ([`Subjects::of`]).
    pub fn adding<'a>(
        &self,
        rounds: impl IntoIterator<Item = &'a Round>,
        registry: &Registry,
    ) -> Option<Subjects> {
        let tops = Tops::new(registry);
        let service = services_by_code(registry);
        let mut out = self.clone();
        for r in rounds {
            if r.scope.is_empty() {
                return None;
            }
            let subject: Vec<String> = scope_subject(r, &tops, &service)
                .into_iter()
                .map(str::to_string)
                .collect();
            let n = match out.tops.iter().position(|t| *t == subject) {
                Some(n) => n,
                None => {
                    out.tops.push(subject);
                    out.tops.len() - 1
                }
            };
            let n = u32::try_from(n).ok()?;
            if out
                .by_round
                .insert(r.code.clone(), n)
                .is_some_and(|m| m != n)
            {
                return None;
            }
        }
        Some(out)
    }

    /// Whether adding `record`, new to the registry, leaves the subjects of `rounds` as
    /// [`Subjects::of`] made them: a service that no round's scope names, while no round
    /// covers every service (or withdrawn); an organisation without a parent (a service led
    /// by its code, unknown until now, already had that code as its top); any other kind,
    /// which subjects do not read.
    pub fn kept_on_adding<'a>(
        rounds: impl IntoIterator<Item = &'a Round>,
        record: &crate::change::AnyRecord,
    ) -> bool {
        use crate::change::{AnyRecord, Record};
        match record {
            AnyRecord::Service(s) => {
                let code = s.code.as_str();
                rounds.into_iter().all(|r| {
                    if r.scope.is_empty() {
                        s.is_withdrawn()
                    } else {
                        !r.scope.iter().any(|c| c == code)
                    }
                })
            }
            AnyRecord::Organisation(o) => o.parent.is_none(),
            _ => true,
        }
    }
}

/// The subject of round `r` that names its services: the top organisations leading them.
fn scope_subject<'r>(
    r: &Round,
    tops: &Tops<'r>,
    service: &impl Fn(&str) -> Option<&'r crate::Service>,
) -> std::collections::BTreeSet<&'r str> {
    r.scope
        .iter()
        .filter_map(|c| tops.lead(service(c)?))
        .collect()
}

/// A registry's services by code: by binary search in a registry in canonical order (as the
/// store reads it), through a map of codes otherwise.
fn services_by_code<'r>(registry: &'r Registry) -> impl Fn(&str) -> Option<&'r crate::Service> {
    let sorted = registry.services.is_sorted_by(|a, b| a.code <= b.code);
    let by_code: FastMap<&str, &crate::Service> = if sorted {
        FastMap::default()
    } else {
        registry
            .services
            .iter()
            .map(|s| (s.code.as_str(), s))
            .collect()
    };
    move |code: &str| {
        if sorted {
            registry
                .services
                .binary_search_by(|s| s.code.as_str().cmp(code))
                .ok()
                .map(|i| &registry.services[i])
        } else {
            by_code.get(code).copied()
        }
    }
}

fn by_period(a: &&Round, b: &&Round) -> std::cmp::Ordering {
    (a.period_start.as_str(), a.code.as_str()).cmp(&(b.period_start.as_str(), b.code.as_str()))
}

/// The series of a round up to it, oldest first: the published rounds of its series that
/// started no later, then the round itself, whatever its state.
pub fn series<'a>(
    rounds: impl IntoIterator<Item = &'a Round>,
    subjects: &Subjects,
    of: &'a Round,
) -> Vec<&'a Round> {
    let mut out: Vec<&Round> = rounds
        .into_iter()
        .filter(|r| {
            r.code != of.code
                && r.state == RoundState::Published
                && subjects.same_series(r, of)
                && (r.period_start.as_str(), r.code.as_str())
                    < (of.period_start.as_str(), of.code.as_str())
        })
        .collect();
    out.sort_by(by_period);
    out.push(of);
    out
}

/// The round a round is compared with: the one just before it in its series.
pub fn previous<'a>(
    rounds: impl IntoIterator<Item = &'a Round>,
    subjects: &Subjects,
    of: &'a Round,
) -> Option<&'a Round> {
    let s = series(rounds, subjects, of);
    s.len().checked_sub(2).map(|i| s[i])
}

/// The current round: the latest published round on a framework with stages (`staged` tells
/// which), else the latest published round; none before anything is published.
pub fn current<'a>(
    rounds: impl IntoIterator<Item = &'a Round>,
    staged: impl Fn(&Round) -> bool,
) -> Option<&'a Round> {
    let mut published: Vec<&Round> = rounds
        .into_iter()
        .filter(|r| r.state == RoundState::Published)
        .collect();
    published.sort_by(by_period);
    published
        .iter()
        .rev()
        .find(|r| staged(r))
        .or(published.last())
        .copied()
}

/// The rounds the multi-round figure of `of` averages (EU biennial: `window = 2`): the last
/// `n` of its series; none while the series is shorter.
pub fn window<'a>(
    rounds: impl IntoIterator<Item = &'a Round>,
    subjects: &Subjects,
    of: &'a Round,
    n: usize,
) -> Option<Vec<&'a Round>> {
    let s = series(rounds, subjects, of);
    (n > 0 && s.len() >= n).then(|| s[s.len() - n..].to_vec())
}

/// The multi-round figure of scored rounds (oldest first): the mean of every life event's
/// headline value in all of them together, not the mean of the rounds' means, at the
/// framework's precision.
pub fn window_value(fw: &Framework, rounds: &[&ScoredRound]) -> Option<f64> {
    let node = fw.headline_group?;
    let columns: Vec<&[f64]> = rounds.iter().map(|s| s.life_event_values(node)).collect();
    crate::scoring::window_mean(&columns).map(|v| fw.round(v))
}
