//! A methodology as data: questions, scoring nodes and how scores roll up, read from TOML.
//!
//! The file format is documented in `docs/frameworks.md`; the three shipped definitions live in
//! `frameworks/`. Loading checks everything a definition can get wrong (unknown references,
//! weights that do not add up, cycles, values outside the scale) and reports each problem with
//! the line it is on, so that a methodologist can fix a file without reading code.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use super::expr::{self, Expr};
use crate::Text;

/// A problem in a definition file, at a line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

/// All the problems of one definition, each shown as `file:line: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionErrors {
    pub file: String,
    pub errors: Vec<DefinitionError>,
}

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}: {}", self.file, e.line, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionErrors {}

/// Where a node is computed: on each assessed unit, on each group of units (a life event, an
/// organisation), or once for the whole scope of a round (the country).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Unit,
    Group,
    Total,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Unit => "unit",
            Level::Group => "group",
            Level::Total => "total",
        })
    }
}

/// How a node treats an input that has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The input counts as 0 (the EU method's user centricity and transparency).
    Zero,
    /// The node itself has no value when any input is missing.
    Skip,
    /// The input is left out and the weights of the others are re-spread (the EU method's
    /// key enablers and cross-border dimensions).
    #[default]
    Renormalise,
}

/// What a not-relevant (NR) answer does inside a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NotRelevant {
    /// Dropped from the denominator (the EU method's general rule).
    #[default]
    Drop,
    /// Counted as a "no" (what the EU data show for some section C answers).
    Zero,
}

/// How several pieces of evidence for one unit (URLs, channels, assessors) combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// Per question, the best answer counts (central government: any URL that says yes).
    #[default]
    Best,
    Worst,
    Mean,
    /// The answer given last.
    Latest,
}

/// How evidence units of one unit combine: answer by answer, or score by score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceRule {
    /// Combine each question's answers first (with the question's `combine`), then score.
    #[default]
    PerQuestion,
    /// Score each evidence unit, then average the unit-level scores (regional and local
    /// services in the EU method: a sample of municipalities).
    MeanOfScores,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    /// Yes scores the full scale, no scores 0.
    Binary,
    /// Answer codes mapped to scores.
    Ordinal { values: Vec<(String, f64)> },
    /// A number kept as given (milliseconds, counts, shares); scored through bands, ratios or
    /// normalisation.
    Numeric { min: Option<f64>, max: Option<f64> },
    /// A maturity stage 0..=max, scored as stage / max of the scale.
    Stage { levels: Vec<StageLevel> },
    /// Codes stored with the assessment and never scored (e.g. barriers met).
    MultiChoice { options: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageLevel {
    pub value: u8,
    pub name: Text,
    pub description: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub title: Text,
    pub kind: QuestionKind,
    pub combine: Combine,
    pub allow_not_relevant: bool,
    /// Unit kinds the question is asked of; empty means all.
    pub applies_to: Vec<String>,
    /// `applies_to` as sets of the framework's kinds.
    pub kind_mask: Applies,
    pub line: usize,
}

/// What a node reads: a question's scored value or another node's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ref {
    Question(usize),
    Node(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalisation {
    /// (x − min) / (max − min) over all units of the round, times the scale. The UN applies a
    /// z-score first; min-max of z-scores equals min-max of the raw values (both are affine),
    /// so one step gives the same result.
    MinMax,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Score(f64),
    /// The unit gets no value for this node (it is not scored on it).
    Exclude,
    /// The value of another input (a gate in front of a computed score).
    Input(Ref),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub when: Expr<Ref>,
    pub text: String,
    pub then: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Function {
    /// Σ wᵢxᵢ / Σ wᵢ over the inputs (weights must add up to the declared total).
    WeightedSum {
        inputs: Vec<(Ref, f64)>,
    },
    Mean {
        inputs: Vec<Ref>,
    },
    /// The first rule whose condition holds gives the score.
    Rules {
        rules: Vec<Rule>,
        otherwise: Outcome,
    },
    /// The score of the highest band whose lower bound the input reaches.
    Bands {
        input: Ref,
        bands: Vec<(f64, f64)>,
    },
    /// numerator / denominator × scale; no value when the denominator is 0.
    Ratio {
        numerator: Ref,
        denominator: Ref,
        scale: f64,
    },
    /// Relative to the other units of the round (UN components).
    Normalise {
        input: Ref,
        method: Normalisation,
    },
    /// A lower-level node aggregated over the units (or groups) below: a plain mean, or a
    /// weighted mean of per-kind means (0.8 transactional + 0.2 informational).
    Rollup {
        from: Ref,
        /// (kind, its bit, weight).
        by_kind: Vec<(String, u32, f64)>,
        over: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub title: Text,
    pub level: Level,
    pub function: Function,
    pub missing: Missing,
    pub not_relevant: NotRelevant,
    /// Value for units flagged automated / proactive (served without an application).
    pub automated: Option<f64>,
    /// Value when the unit is flagged as having no online presence at all (UN 2012: EGDI 0).
    pub no_online_presence: Option<f64>,
    /// Decimals a unit's value is rounded to (half away from zero) once its evidence units are
    /// combined, before anything reads it (the EU method rounds a service's eID score to a
    /// whole number). `None`: kept as computed.
    pub round: Option<u32>,
    pub applies_to: Vec<String>,
    /// `applies_to` as sets of the framework's kinds.
    pub kind_mask: Applies,
    /// For units whose evidence is scored unit by unit (`mean_of_scores`): pool each input over
    /// the evidence units first (the share of yes among those that answered, not relevant
    /// counting as no once any answered yes or no), then apply the function once.
    pub pooled: bool,
    /// A rollup over units gives no value where none of the units with a value is of this kind
    /// (the EU method: a life event with no transactional service has no online-availability
    /// score, however its informational services score). 0: no such condition.
    pub requires: u32,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub description: Text,
    /// What is assessed: `service`, `channel` or `country`.
    pub unit: String,
    pub kinds: Vec<String>,
    pub scale: f64,
    pub decimals: u32,
    /// Round every node as it is computed (older EU practice) instead of only when stored.
    pub round_intermediate: bool,
    pub evidence: BTreeMap<String, EvidenceRule>,
    /// Kinds whose evidence is scored unit by unit and averaged, as a bit set.
    pub mean_of_scores_mask: u32,
    pub questions: Vec<Question>,
    /// In evaluation order: every node comes after the nodes it reads.
    pub nodes: Vec<Node>,
    pub headline_unit: usize,
    pub headline_group: Option<usize>,
    pub headline_total: usize,
    /// The stage question, when the framework classifies services into stages.
    pub stage: Option<usize>,
    /// Rounds averaged for the multi-year figure (EU biennial: 2).
    pub window: Option<usize>,
}

impl Framework {
    /// Its title in `lang` with its version, as pages and reports name it; the version once when
    /// the title already says it ("EU eGovernment Benchmark 2020-2023", version "2020-2023").
    pub fn label(&self, lang: crate::Lang) -> String {
        let title = self.title.show(lang);
        if title.contains(self.version.as_str()) {
            title
        } else {
            format!("{title} {}", self.version)
        }
    }

    /// The id of the node whose value is a group's headline score (a life event's, an
    /// organisation's), when the framework has one.
    pub fn headline_group_node(&self) -> Option<&str> {
        let n = self.headline_group?;
        self.nodes.get(n).map(|node| node.id.as_str())
    }

    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }

    /// The nodes a reader asks for: `all`, or ids separated by commas, in the order given.
    pub fn select_nodes(&self, asked: &str) -> Result<Vec<usize>, String> {
        if asked.trim() == "all" {
            return Ok((0..self.nodes.len()).collect());
        }
        asked
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|id| {
                self.node_index(id).ok_or_else(|| {
                    format!(
                        "{id:?} is not a node of {} (one of: all, {})",
                        self.id,
                        self.nodes
                            .iter()
                            .map(|n| n.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            })
            .collect()
    }

    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    pub fn ref_name(&self, r: Ref) -> &str {
        match r {
            Ref::Question(i) => &self.questions[i].id,
            Ref::Node(i) => &self.nodes[i].id,
        }
    }

    pub fn kind_mask(&self, kinds: &[String]) -> u32 {
        mask_of(kinds, &self.kinds)
    }

    /// The evidence rule for a unit of these kinds (the first kind with a rule wins).
    pub fn evidence_rule(&self, kinds: &[String]) -> EvidenceRule {
        kinds
            .iter()
            .find_map(|k| self.evidence.get(k).copied())
            .unwrap_or_default()
    }

    pub fn stage_levels(&self) -> &[StageLevel] {
        match self.stage.map(|i| &self.questions[i].kind) {
            Some(QuestionKind::Stage { levels }) => levels,
            _ => &[],
        }
    }

    /// The top stage of the stage question's scale; none without stages.
    pub fn top_stage(&self) -> Option<u8> {
        u8::try_from(self.stage_levels().len().checked_sub(1)?).ok()
    }

    /// Parses and checks a definition; `file` only labels the errors.
    pub fn from_toml(file: &str, text: &str) -> Result<Framework, DefinitionErrors> {
        let fail = |errors| DefinitionErrors {
            file: file.to_string(),
            errors,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            fail(vec![DefinitionError {
                line,
                message: e.message().trim().to_string(),
            }])
        })?;
        Builder {
            newlines: newlines(text),
            errors: Vec::new(),
        }
        .build(raw)
        .map_err(fail)
    }
}

/// Kinds as a bit set of the declared kinds (unknown kinds are reported elsewhere).
fn mask_of(kinds: &[String], declared: &[String]) -> u32 {
    kinds
        .iter()
        .filter_map(|k| declared.iter().position(|d| d == k))
        .fold(0, |m, i| m | (1 << i))
}

/// Which units a question or node applies to, from its `applies_to` list: a unit qualifies when
/// it has every kind of at least one entry (`"transactional"`, `"national+transactional"`). No
/// entry: every unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applies {
    /// Bit sets, each to be held in full; only the first `n` count.
    all_of: [u32; Applies::MAX],
    n: u8,
}

impl Applies {
    /// The most entries an `applies_to` list may have.
    pub const MAX: usize = 8;

    fn of(entries: &[String], declared: &[String]) -> Applies {
        let mut a = Applies::default();
        for (slot, e) in a.all_of.iter_mut().zip(entries) {
            let kinds: Vec<String> = e.split('+').map(|k| k.trim().to_string()).collect();
            *slot = mask_of(&kinds, declared);
        }
        a.n = entries.len().min(Applies::MAX) as u8;
        a
    }

    /// Whether a unit of these kinds qualifies.
    #[inline]
    pub fn holds(&self, kinds: u32) -> bool {
        self.n == 0
            || self.all_of[..usize::from(self.n)]
                .iter()
                .any(|m| m & kinds == *m)
    }
}

/// A condition as quoted in an error: a long one is cut, so one bad line stays one line.
fn excerpt(text: &str) -> String {
    const KEEP: usize = 60;
    match text.char_indices().nth(KEEP) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Offsets of the line breaks of `text`.
fn newlines(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

/// The 1-based line of `offset`, given the offsets of the line breaks.
fn line_in(newlines: &[usize], offset: usize) -> usize {
    newlines.partition_point(|&n| n < offset) + 1
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    framework: Spanned<RawHeader>,
    #[serde(default)]
    question: Vec<Spanned<RawQuestion>>,
    #[serde(default)]
    node: Vec<Spanned<RawNode>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: String,
    version: String,
    title: Text,
    #[serde(default)]
    description: Text,
    unit: String,
    #[serde(default)]
    kinds: Vec<String>,
    scale: f64,
    #[serde(default = "one")]
    decimals: u32,
    #[serde(default)]
    round_intermediate: bool,
    #[serde(default)]
    evidence: BTreeMap<String, EvidenceRule>,
    headline: Spanned<RawHeadline>,
    stage: Option<Spanned<String>>,
    window: Option<usize>,
}

fn one() -> u32 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeadline {
    unit: String,
    group: Option<String>,
    total: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    #[serde(default)]
    title: Text,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    values: Option<Spanned<toml::Table>>,
    #[serde(default)]
    levels: Vec<RawLevel>,
    #[serde(default)]
    options: Vec<String>,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default)]
    combine: Combine,
    #[serde(default = "yes")]
    not_relevant: bool,
    #[serde(default)]
    applies_to: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    value: u8,
    name: Text,
    #[serde(default)]
    description: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    id: String,
    #[serde(default)]
    title: Text,
    level: Level,
    function: Spanned<String>,
    inputs: Option<Spanned<toml::Value>>,
    total: Option<f64>,
    input: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    over: Option<String>,
    by_kind: Option<Spanned<toml::Table>>,
    numerator: Option<Spanned<String>>,
    denominator: Option<Spanned<String>>,
    #[serde(default)]
    bands: Vec<Spanned<(f64, f64)>>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
    otherwise: Option<Spanned<toml::Value>>,
    method: Option<String>,
    #[serde(default)]
    missing: Missing,
    #[serde(default)]
    not_relevant: NotRelevant,
    automated: Option<f64>,
    no_online_presence: Option<f64>,
    round: Option<u32>,
    #[serde(default)]
    applies_to: Vec<String>,
    scale: Option<f64>,
    /// `pooled`: see [`Node::pooled`].
    evidence: Option<String>,
    /// A unit kind a rollup needs: see [`Node::requires`].
    requires: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    when: String,
    score: toml::Value,
}

/// Groupings a total-level rollup may go over.
pub const GROUPINGS: [&str; 2] = ["life_event", "organisation"];

struct Builder {
    /// Offsets of the definition's line breaks, so a line is found by binary search: counting
    /// from the start for every node made a file of thousands of nodes quadratic.
    newlines: Vec<usize>,
    errors: Vec<DefinitionError>,
}

/// A node before its references are resolved and its place in the order is known.
struct Pending {
    raw: RawNode,
    line: usize,
}

impl Builder {
    fn err(&mut self, offset: usize, message: impl Into<String>) {
        let line = line_in(&self.newlines, offset);
        self.errors.push(DefinitionError {
            line,
            message: message.into(),
        });
    }

    fn build(mut self, raw: RawFile) -> Result<Framework, Vec<DefinitionError>> {
        let head_at = raw.framework.span().start;
        let head = raw.framework.into_inner();
        if head.scale.is_nan() || head.scale <= 0.0 {
            self.err(
                head_at,
                format!("scale must be above 0, not {}", head.scale),
            );
        }
        if head.kinds.len() > 32 {
            self.err(head_at, "at most 32 unit kinds");
        }
        for k in head.evidence.keys() {
            if !head.kinds.contains(k) {
                self.err(head_at, format!("evidence rule for undeclared kind `{k}`"));
            }
        }
        let scale = head.scale;
        let questions: Vec<Question> = raw
            .question
            .into_iter()
            .filter_map(|q| {
                let at = q.span().start;
                self.question(q.into_inner(), at, scale, &head.kinds)
            })
            .collect();
        let mut ids: HashMap<String, usize> = HashMap::new();
        for q in &questions {
            if let Some(first) = ids.insert(q.id.clone(), q.line) {
                self.errors.push(DefinitionError {
                    line: q.line,
                    message: format!(
                        "question `{}` is defined twice (first on line {first})",
                        q.id
                    ),
                });
            }
        }
        let pending: Vec<Pending> = raw
            .node
            .into_iter()
            .map(|n| {
                let line = line_in(&self.newlines, n.span().start);
                Pending {
                    raw: n.into_inner(),
                    line,
                }
            })
            .collect();
        for p in &pending {
            if let Some(first) = ids.insert(p.raw.id.clone(), p.line) {
                self.errors.push(DefinitionError {
                    line: p.line,
                    message: format!("`{}` is defined twice (first on line {first})", p.raw.id),
                });
            }
        }
        let order = self.order(&pending, &questions);
        let mut nodes: Vec<Node> = Vec::new();
        let position: HashMap<&str, usize> = order
            .iter()
            .enumerate()
            .map(|(pos, &i)| (pending[i].raw.id.as_str(), pos))
            .collect();
        for &i in &order {
            if let Some(n) = self.node(&pending[i], &questions, &position, &pending, &head, &order)
            {
                nodes.push(n);
            }
        }
        let find = |id: &str, level: Level| {
            position
                .get(id)
                .copied()
                .filter(|&p| pending[order[p]].raw.level == level)
        };
        let headline_at = head.headline.span().start;
        let headline = head.headline.into_inner();
        let pick = |this: &mut Self, id: &str, level: Level| -> usize {
            find(id, level).unwrap_or_else(|| {
                this.err(
                    headline_at,
                    format!("headline `{id}` is not a {level}-level node"),
                );
                0
            })
        };
        let headline_unit = pick(&mut self, &headline.unit, Level::Unit);
        let headline_group = headline
            .group
            .as_deref()
            .map(|g| pick(&mut self, g, Level::Group));
        let headline_total = pick(&mut self, &headline.total, Level::Total);
        let stage = head.stage.as_ref().and_then(|s| {
            let found = questions
                .iter()
                .position(|q| q.id == *s.get_ref() && matches!(q.kind, QuestionKind::Stage { .. }));
            if found.is_none() {
                self.err(
                    s.span().start,
                    format!("`{}` is not a stage question", s.get_ref()),
                );
            }
            found
        });
        if !self.errors.is_empty() {
            self.errors.sort_by_key(|e| e.line);
            self.errors.dedup();
            return Err(self.errors);
        }
        let mean_of_scores_mask = head
            .evidence
            .iter()
            .filter(|(_, r)| **r == EvidenceRule::MeanOfScores)
            .fold(0, |m, (k, _)| {
                m | mask_of(std::slice::from_ref(k), &head.kinds)
            });
        Ok(Framework {
            mean_of_scores_mask,
            id: head.id,
            version: head.version,
            title: head.title,
            description: head.description,
            unit: head.unit,
            kinds: head.kinds,
            scale,
            decimals: head.decimals,
            round_intermediate: head.round_intermediate,
            evidence: head.evidence,
            questions,
            nodes,
            headline_unit,
            headline_group,
            headline_total,
            stage,
            window: head.window,
        })
    }

    fn check_kinds(&mut self, at: usize, kinds: &[String], declared: &[String]) {
        if kinds.len() > Applies::MAX {
            self.err(
                at,
                format!("applies_to has more than {} entries", Applies::MAX),
            );
        }
        for k in kinds.iter().flat_map(|e| e.split('+')).map(str::trim) {
            if !declared.iter().any(|d| d == k) {
                self.err(
                    at,
                    format!(
                        "unknown unit kind `{k}` (declared: {})",
                        declared.join(", ")
                    ),
                );
            }
        }
    }

    fn question(
        &mut self,
        q: RawQuestion,
        at: usize,
        scale: f64,
        kinds: &[String],
    ) -> Option<Question> {
        let line = line_in(&self.newlines, at);
        self.check_kinds(at, &q.applies_to, kinds);
        let kind = match q.kind.as_str() {
            "binary" => QuestionKind::Binary,
            "ordinal" => {
                let Some(values) = q.values else {
                    self.err(at, format!("ordinal question `{}` needs `values`", q.id));
                    return None;
                };
                let vat = values.span().start;
                let mut out = Vec::new();
                for (code, v) in values.into_inner() {
                    match weight(&v) {
                        Some(s) if (0.0..=scale).contains(&s) => out.push((code, s)),
                        Some(s) => self.err(
                            vat,
                            format!(
                                "question `{}`: value {s} of `{code}` is outside 0..={scale}",
                                q.id
                            ),
                        ),
                        None => {
                            self.err(vat, format!("question `{}`: `{code}` needs a number", q.id))
                        }
                    }
                }
                QuestionKind::Ordinal { values: out }
            }
            "numeric" => {
                if let (Some(min), Some(max)) = (q.min, q.max)
                    && min > max
                {
                    self.err(
                        at,
                        format!("question `{}`: min {min} is above max {max}", q.id),
                    );
                }
                QuestionKind::Numeric {
                    min: q.min,
                    max: q.max,
                }
            }
            "stage" => {
                let levels: Vec<StageLevel> = q
                    .levels
                    .into_iter()
                    .map(|l| StageLevel {
                        value: l.value,
                        name: l.name,
                        description: l.description,
                    })
                    .collect();
                let contiguous = levels
                    .iter()
                    .enumerate()
                    .all(|(i, l)| usize::from(l.value) == i);
                if levels.len() < 2 || !contiguous {
                    self.err(
                        at,
                        format!("stage question `{}` needs levels 0, 1, 2, … in order", q.id),
                    );
                }
                QuestionKind::Stage { levels }
            }
            "multi_choice" => {
                if q.options.is_empty() {
                    self.err(
                        at,
                        format!("multi-choice question `{}` needs `options`", q.id),
                    );
                }
                QuestionKind::MultiChoice { options: q.options }
            }
            other => {
                self.err(
                    at,
                    format!(
                        "question `{}`: unknown type `{other}` (binary, ordinal, numeric, stage, multi_choice)",
                        q.id
                    ),
                );
                return None;
            }
        };
        Some(Question {
            id: q.id,
            title: q.title,
            kind,
            combine: q.combine,
            allow_not_relevant: q.not_relevant,
            kind_mask: Applies::of(&q.applies_to, kinds),
            applies_to: q.applies_to,
            line,
        })
    }

    /// Names a node reads, with the offset to blame when one is wrong.
    fn reads(&mut self, n: &RawNode) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut one = |s: &Option<Spanned<String>>| {
            if let Some(s) = s {
                out.push((s.get_ref().clone(), s.span().start));
            }
        };
        one(&n.input);
        one(&n.from);
        one(&n.numerator);
        one(&n.denominator);
        if let Some(inputs) = &n.inputs {
            let at = inputs.span().start;
            match inputs.get_ref() {
                toml::Value::Array(items) => {
                    for item in items {
                        match item.as_str() {
                            Some(s) => out.push((s.to_string(), at)),
                            None => self.err(at, format!("node `{}`: inputs must be names", n.id)),
                        }
                    }
                }
                toml::Value::Table(t) => out.extend(t.keys().map(|k| (k.clone(), at))),
                _ => self.err(
                    at,
                    format!(
                        "node `{}`: inputs must be a list or a table of weights",
                        n.id
                    ),
                ),
            }
        }
        for r in &n.rules {
            if let Ok(e) = expr::parse(&r.get_ref().when) {
                let mut names = Vec::new();
                e.refs(&mut names);
                out.extend(names.into_iter().map(|s| (s, r.span().start)));
            }
        }
        out
    }

    /// Evaluation order by depth-first search; a cycle is reported with its path.
    fn order(&mut self, pending: &[Pending], questions: &[Question]) -> Vec<usize> {
        let index: HashMap<&str, usize> = pending
            .iter()
            .enumerate()
            .map(|(i, p)| (p.raw.id.as_str(), i))
            .collect();
        let deps: Vec<Vec<usize>> = pending
            .iter()
            .map(|p| {
                self.reads(&p.raw)
                    .into_iter()
                    .filter_map(|(name, _)| index.get(name.as_str()).copied())
                    .collect()
            })
            .collect();
        let _ = questions;
        // 0 = unvisited, 1 = on the current path, 2 = done
        let mut state = vec![0u8; pending.len()];
        let mut order = Vec::new();
        let mut path = Vec::new();
        for start in 0..pending.len() {
            self.visit(start, &deps, &mut state, &mut order, &mut path, pending);
        }
        order
    }

    /// Depth-first from `start`, with an explicit stack rather than recursion, so a chain of
    /// thousands of nodes, each reading the one before, cannot overflow the stack.
    fn visit(
        &mut self,
        start: usize,
        deps: &[Vec<usize>],
        state: &mut [u8],
        order: &mut Vec<usize>,
        path: &mut Vec<usize>,
        pending: &[Pending],
    ) {
        if state[start] != 0 {
            return;
        }
        // (node, how many of its dependencies are done); the nodes are `path`.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        path.push(start);
        while let Some((i, next)) = stack.last_mut() {
            let i = *i;
            let Some(&d) = deps[i].get(*next) else {
                stack.pop();
                path.pop();
                state[i] = 2;
                order.push(i);
                continue;
            };
            *next += 1;
            match state[d] {
                2 => {}
                1 => {
                    let from = path.iter().position(|&p| p == d).unwrap_or(0);
                    let mut names: Vec<&str> = path[from..]
                        .iter()
                        .map(|&p| pending[p].raw.id.as_str())
                        .collect();
                    names.push(&pending[d].raw.id);
                    self.errors.push(DefinitionError {
                        line: pending[d].line,
                        message: format!("cycle: {}", names.join(" -> ")),
                    });
                }
                _ => {
                    state[d] = 1;
                    path.push(d);
                    stack.push((d, 0));
                }
            }
        }
    }

    /// Resolves a name at `at` to a reference readable from a node of `level`.
    fn resolve(
        &mut self,
        node: &RawNode,
        name: &str,
        at: usize,
        lookup: &Lookup<'_>,
        rollup: bool,
    ) -> Option<Ref> {
        if let Some(qi) = lookup.questions.iter().position(|q| q.id == name) {
            let q = &lookup.questions[qi];
            if matches!(q.kind, QuestionKind::MultiChoice { .. }) {
                self.err(
                    at,
                    format!(
                        "node `{}`: question `{name}` is multi-choice and never scored",
                        node.id
                    ),
                );
                return None;
            }
            if node.level != Level::Unit {
                self.err(
                    at,
                    format!(
                        "node `{}` is {}-level; questions are read at unit level",
                        node.id, node.level
                    ),
                );
                return None;
            }
            return Some(Ref::Question(qi));
        }
        let Some(&pos) = lookup.position.get(name) else {
            self.err(
                at,
                format!("node `{}`: unknown indicator or question `{name}`", node.id),
            );
            return None;
        };
        let target = lookup.level_of(pos);
        let fits = if rollup {
            target < node.level
        } else {
            target == node.level
        };
        if !fits {
            let want = if rollup { "a lower" } else { "the same" };
            self.err(
                at,
                format!(
                    "node `{}` ({}) reads `{name}` ({target}); it must be at {want} level",
                    node.id, node.level
                ),
            );
            return None;
        }
        Some(Ref::Node(pos))
    }

    fn node(
        &mut self,
        p: &Pending,
        questions: &[Question],
        position: &HashMap<&str, usize>,
        pending: &[Pending],
        head: &RawHeader,
        order: &[usize],
    ) -> Option<Node> {
        let n = &p.raw;
        let lookup = Lookup {
            questions,
            position,
            pending,
            order,
        };
        let fat = n.function.span().start;
        self.check_kinds(fat, &n.applies_to, &head.kinds);
        if let Some(k) = &n.requires {
            self.check_kinds(fat, std::slice::from_ref(k), &head.kinds);
        }
        if let Some(e) = n.evidence.as_deref().filter(|e| *e != "pooled") {
            self.err(
                fat,
                format!(
                    "node `{}`: evidence {e:?} is not known (only \"pooled\")",
                    n.id
                ),
            );
        }
        let need = |this: &mut Self,
                    field: &Option<Spanned<String>>,
                    what: &str|
         -> Option<(String, usize)> {
            match field {
                Some(s) => Some((s.get_ref().clone(), s.span().start)),
                None => {
                    this.err(
                        fat,
                        format!("node `{}`: `{}` needs `{what}`", n.id, n.function.get_ref()),
                    );
                    None
                }
            }
        };
        let function = match n.function.get_ref().as_str() {
            "weighted_sum" => {
                let inputs = self.weights(n, &lookup)?;
                let total = n.total.unwrap_or(1.0);
                let sum: f64 = inputs.iter().map(|(_, w)| w).sum();
                if (sum - total).abs() > 1e-9 * total.max(1.0) {
                    let at = n.inputs.as_ref().map(|s| s.span().start).unwrap_or(fat);
                    self.err(
                        at,
                        format!("node `{}`: weights add up to {sum}, not {total}", n.id),
                    );
                }
                Function::WeightedSum { inputs }
            }
            "mean" => {
                let names = self.reads_inputs(n);
                let mut inputs = Vec::new();
                for (name, at) in names {
                    inputs.push(self.resolve(n, &name, at, &lookup, false)?);
                }
                if inputs.is_empty() {
                    self.err(fat, format!("node `{}`: mean of nothing", n.id));
                }
                Function::Mean { inputs }
            }
            "rules" => {
                let mut rules = Vec::new();
                for r in &n.rules {
                    let at = r.span().start;
                    let raw = r.get_ref();
                    let parsed = match expr::parse(&raw.when) {
                        Ok(e) => e,
                        Err(e) => {
                            self.err(
                                at,
                                format!("node `{}`: condition `{}`: {e}", n.id, excerpt(&raw.when)),
                            );
                            continue;
                        }
                    };
                    let when = parsed.resolve(&mut |name: &String| {
                        self.resolve(n, name, at, &lookup, false).ok_or(())
                    });
                    let then = self.outcome(n, &raw.score, at, head.scale, &lookup);
                    if let (Ok(when), Some(then)) = (when, then) {
                        rules.push(Rule {
                            when,
                            text: raw.when.clone(),
                            then,
                        });
                    }
                }
                if n.rules.is_empty() {
                    self.err(
                        fat,
                        format!("node `{}`: `rules` needs at least one rule", n.id),
                    );
                }
                let otherwise = match &n.otherwise {
                    Some(v) => self.outcome(n, v.get_ref(), v.span().start, head.scale, &lookup)?,
                    None => Outcome::Exclude,
                };
                Function::Rules { rules, otherwise }
            }
            "bands" => {
                let (name, at) = need(self, &n.input, "input")?;
                let input = self.resolve(n, &name, at, &lookup, false)?;
                let bands: Vec<(f64, f64)> = n.bands.iter().map(|b| *b.get_ref()).collect();
                if bands.is_empty() {
                    self.err(fat, format!("node `{}`: `bands` is empty", n.id));
                }
                for w in n.bands.windows(2) {
                    if w[1].get_ref().0 <= w[0].get_ref().0 {
                        self.err(
                            w[1].span().start,
                            format!("node `{}`: band lower bounds must rise", n.id),
                        );
                    }
                }
                for b in &n.bands {
                    if !(0.0..=head.scale).contains(&b.get_ref().1) {
                        self.err(
                            b.span().start,
                            format!(
                                "node `{}`: band score {} is outside 0..={}",
                                n.id,
                                b.get_ref().1,
                                head.scale
                            ),
                        );
                    }
                }
                Function::Bands { input, bands }
            }
            "ratio" => {
                let (num, nat) = need(self, &n.numerator, "numerator")?;
                let (den, dat) = need(self, &n.denominator, "denominator")?;
                let numerator = self.resolve(n, &num, nat, &lookup, false)?;
                let denominator = self.resolve(n, &den, dat, &lookup, false)?;
                Function::Ratio {
                    numerator,
                    denominator,
                    scale: n.scale.unwrap_or(head.scale),
                }
            }
            "normalise" => {
                let (name, at) = need(self, &n.input, "input")?;
                let input = self.resolve(n, &name, at, &lookup, false)?;
                match n.method.as_deref() {
                    None | Some("min_max") | Some("z_min_max") => {}
                    Some(other) => self.err(
                        fat,
                        format!(
                            "node `{}`: unknown method `{other}` (min_max, z_min_max)",
                            n.id
                        ),
                    ),
                }
                if n.level != Level::Unit {
                    self.err(
                        fat,
                        format!(
                            "node `{}`: normalise works across units, so it is unit-level",
                            n.id
                        ),
                    );
                }
                if head
                    .evidence
                    .values()
                    .any(|r| *r == EvidenceRule::MeanOfScores)
                {
                    self.err(
                        fat,
                        format!(
                            "node `{}`: normalise cannot be combined with mean_of_scores evidence",
                            n.id
                        ),
                    );
                }
                Function::Normalise {
                    input,
                    method: Normalisation::MinMax,
                }
            }
            "rollup" => {
                let (name, at) = need(self, &n.from, "from")?;
                if n.level == Level::Unit {
                    self.err(
                        fat,
                        format!(
                            "node `{}`: a rollup aggregates units, so it cannot be unit-level",
                            n.id
                        ),
                    );
                    return None;
                }
                let from = self.resolve(n, &name, at, &lookup, true)?;
                let mut by_kind = Vec::new();
                if let Some(t) = &n.by_kind {
                    let at = t.span().start;
                    for (k, v) in t.get_ref() {
                        if !head.kinds.contains(k) {
                            self.err(at, format!("node `{}`: unknown unit kind `{k}`", n.id));
                        }
                        match weight(v) {
                            Some(w) => by_kind.push((
                                k.clone(),
                                mask_of(std::slice::from_ref(k), &head.kinds),
                                w,
                            )),
                            None => self.err(
                                at,
                                format!(
                                    "node `{}`: weight of `{k}` is not a number or fraction",
                                    n.id
                                ),
                            ),
                        }
                    }
                    let sum: f64 = by_kind.iter().map(|(_, _, w)| w).sum();
                    if (sum - 1.0).abs() > 1e-9 {
                        self.err(
                            at,
                            format!("node `{}`: kind weights add up to {sum}, not 1", n.id),
                        );
                    }
                }
                let from_group = matches!(from, Ref::Node(i) if lookup.level_of(i) == Level::Group);
                let over = n.over.clone();
                match (&over, n.level, from_group) {
                    (None, Level::Total, true) => self.err(
                        fat,
                        format!(
                            "node `{}`: say which groups it goes `over` ({})",
                            n.id,
                            GROUPINGS.join(", ")
                        ),
                    ),
                    (Some(o), _, _) if !GROUPINGS.contains(&o.as_str()) => self.err(
                        fat,
                        format!(
                            "node `{}`: unknown grouping `{o}` ({})",
                            n.id,
                            GROUPINGS.join(", ")
                        ),
                    ),
                    _ => {}
                }
                if from_group && !by_kind.is_empty() {
                    self.err(
                        fat,
                        format!(
                            "node `{}`: groups have no kinds; by_kind works on units",
                            n.id
                        ),
                    );
                }
                Function::Rollup {
                    from,
                    by_kind,
                    over,
                }
            }
            other => {
                self.err(
                    fat,
                    format!("node `{}`: unknown function `{other}` (weighted_sum, mean, rules, bands, ratio, normalise, rollup)", n.id),
                );
                return None;
            }
        };
        for (what, v) in [
            ("automated", n.automated),
            ("no_online_presence", n.no_online_presence),
        ] {
            if let Some(v) = v
                && !(0.0..=head.scale).contains(&v)
            {
                self.err(
                    fat,
                    format!(
                        "node `{}`: {what} value {v} is outside 0..={}",
                        n.id, head.scale
                    ),
                );
            }
        }
        Some(Node {
            id: n.id.clone(),
            title: n.title.clone(),
            level: n.level,
            function,
            missing: n.missing,
            not_relevant: n.not_relevant,
            automated: n.automated,
            no_online_presence: n.no_online_presence,
            round: n.round,
            kind_mask: Applies::of(&n.applies_to, &head.kinds),
            pooled: n.evidence.as_deref() == Some("pooled"),
            requires: n
                .requires
                .as_ref()
                .map_or(0, |k| mask_of(std::slice::from_ref(k), &head.kinds)),
            applies_to: n.applies_to.clone(),
            line: p.line,
        })
    }

    fn reads_inputs(&mut self, n: &RawNode) -> Vec<(String, usize)> {
        let Some(inputs) = &n.inputs else {
            self.err(
                n.function.span().start,
                format!("node `{}` needs `inputs`", n.id),
            );
            return Vec::new();
        };
        let at = inputs.span().start;
        match inputs.get_ref() {
            toml::Value::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(|s| (s.to_string(), at)))
                .collect(),
            _ => {
                self.err(
                    at,
                    format!("node `{}`: `inputs` of a mean is a list of names", n.id),
                );
                Vec::new()
            }
        }
    }

    fn weights(&mut self, n: &RawNode, lookup: &Lookup<'_>) -> Option<Vec<(Ref, f64)>> {
        let Some(inputs) = &n.inputs else {
            self.err(
                n.function.span().start,
                format!("node `{}` needs `inputs`", n.id),
            );
            return None;
        };
        let at = inputs.span().start;
        let toml::Value::Table(t) = inputs.get_ref() else {
            self.err(
                at,
                format!(
                    "node `{}`: `inputs` of a weighted sum is a table of weights",
                    n.id
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        for (name, v) in t {
            let Some(w) = weight(v) else {
                self.err(
                    at,
                    format!(
                        "node `{}`: weight of `{name}` is not a number or fraction",
                        n.id
                    ),
                );
                continue;
            };
            if w < 0.0 {
                self.err(
                    at,
                    format!("node `{}`: weight of `{name}` is negative", n.id),
                );
            }
            if let Some(r) = self.resolve(n, name, at, lookup, false) {
                out.push((r, w));
            }
        }
        Some(out)
    }

    fn outcome(
        &mut self,
        n: &RawNode,
        v: &toml::Value,
        at: usize,
        scale: f64,
        lookup: &Lookup<'_>,
    ) -> Option<Outcome> {
        match v {
            toml::Value::String(s) if s == "exclude" => Some(Outcome::Exclude),
            toml::Value::Table(t) if t.len() == 1 && t.get("input").is_some_and(|i| i.is_str()) => {
                let name = t.get("input").and_then(|i| i.as_str()).unwrap_or_default();
                self.resolve(n, name, at, lookup, false).map(Outcome::Input)
            }
            other => {
                match weight(other) {
                    Some(s) if (0.0..=scale).contains(&s) => Some(Outcome::Score(s)),
                    Some(s) => {
                        self.err(
                            at,
                            format!("node `{}`: score {s} is outside 0..={scale}", n.id),
                        );
                        None
                    }
                    None => {
                        self.err(at, format!("node `{}`: a score is a number, \"exclude\" or {{ input = \"…\" }}", n.id));
                        None
                    }
                }
            }
        }
    }
}

struct Lookup<'a> {
    questions: &'a [Question],
    position: &'a HashMap<&'a str, usize>,
    pending: &'a [Pending],
    order: &'a [usize],
}

impl Lookup<'_> {
    fn level_of(&self, pos: usize) -> Level {
        self.pending[self.order[pos]].raw.level
    }
}

/// A weight: a number, or a fraction written as a string ("2/3") so that thirds stay exact
/// enough to add up.
fn weight(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::String(s) => {
            let Some((a, b)) = s.split_once('/') else {
                return s.trim().parse().ok();
            };
            let (a, b): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (b != 0.0).then_some(a / b)
        }
        _ => None,
    }
}
