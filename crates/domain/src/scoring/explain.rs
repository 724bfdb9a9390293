//! Why a unit has its score: the tree from raw answers through each rule and weight.

use serde::Serialize;

use super::engine::{Answer, RoundInput, RoundScores};
use super::expr::Operand;
use super::framework::{Framework, Function, Missing, NotRelevant, Outcome, Ref};
use crate::Lang;

/// One step of an explanation; children are the inputs it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub id: String,
    pub title: String,
    pub value: Option<f64>,
    /// How the value was obtained (the function and its policies, the rule that fired, the
    /// weight under the parent, or the raw answers given).
    pub how: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Explanation>,
}

impl Explanation {
    /// Indented lines, one per step, for a terminal.
    pub fn lines(&self, decimals: u32) -> Vec<String> {
        let mut out = Vec::new();
        self.push_lines(0, decimals, &mut out);
        out
    }

    fn push_lines(&self, depth: usize, decimals: u32, out: &mut Vec<String>) {
        let value = match self.value {
            Some(v) => format!("{v:.prec$}", prec = decimals as usize),
            None => "—".to_string(),
        };
        let title = if self.title.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.title)
        };
        out.push(format!(
            "{}{}{} = {}   {}",
            "  ".repeat(depth),
            self.id,
            title,
            value,
            self.how
        ));
        for c in &self.children {
            c.push_lines(depth + 1, decimals, out);
        }
    }
}

/// Raw answers of one question of the unit, as given: (answer, where it came from).
pub type RawAnswers<'a> = &'a dyn Fn(usize) -> Vec<(String, String)>;

/// Explains the unit's headline score.
pub fn explain_unit(
    fw: &Framework,
    input: &RoundInput,
    scores: &RoundScores,
    unit: usize,
    lang: Lang,
    raw: RawAnswers<'_>,
) -> Explanation {
    let flags = input.flags[unit];
    let mut root = explain_ref(
        fw,
        input,
        scores,
        unit,
        lang,
        raw,
        Ref::Node(fw.headline_unit),
    );
    let mut notes = Vec::new();
    if flags.not_applicable {
        notes.push("the service is marked not applicable: excluded from every score");
    }
    if flags.automated {
        notes.push("the service is automated / proactive: nodes with an `automated` value take it");
    }
    if flags.no_online_presence {
        notes.push("no online presence: nodes with a `no_online_presence` value take it");
    }
    if !notes.is_empty() {
        root.how = format!("{}; {}", root.how, notes.join("; "));
    }
    root
}

fn explain_ref(
    fw: &Framework,
    input: &RoundInput,
    scores: &RoundScores,
    unit: usize,
    lang: Lang,
    raw: RawAnswers<'_>,
    r: Ref,
) -> Explanation {
    match r {
        Ref::Question(q) => {
            let question = &fw.questions[q];
            let answers = raw(q);
            let given = if answers.is_empty() {
                "no answer".to_string()
            } else {
                answers
                    .iter()
                    .map(|(a, from)| {
                        if from.is_empty() {
                            a.clone()
                        } else {
                            format!("{a} [{from}]")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let (value, state) = match input.answer(unit, q) {
                Answer::Value(v) => (Some(v), String::new()),
                Answer::NotRelevant => (None, " -> not relevant".to_string()),
                Answer::Missing => (None, String::new()),
            };
            let combine = if answers.len() > 1 {
                format!(", combined: {:?}", question.combine).to_lowercase()
            } else {
                String::new()
            };
            Explanation {
                id: question.id.clone(),
                title: question.title.show(lang),
                value,
                how: format!("answer: {given}{state}{combine}"),
                children: Vec::new(),
            }
        }
        Ref::Node(i) => {
            let node = &fw.nodes[i];
            let value = scores.unit_value(i, unit);
            let policy = format!(
                "missing: {}, NR: {}",
                match node.missing {
                    Missing::Zero => "zero",
                    Missing::Skip => "skip",
                    Missing::Renormalise => "renormalise",
                },
                match node.not_relevant {
                    NotRelevant::Drop => "dropped",
                    NotRelevant::Zero => "zero",
                }
            );
            let child = |r: Ref| explain_ref(fw, input, scores, unit, lang, raw, r);
            let with_how = |mut e: Explanation, how: String| {
                e.how = format!("{how}; {}", e.how);
                e
            };
            let (how, children) = match &node.function {
                Function::WeightedSum { inputs } => {
                    let total: f64 = inputs.iter().map(|(_, w)| w).sum();
                    (
                        format!("weighted sum Σ w·x / Σ w ({policy})"),
                        inputs
                            .iter()
                            .map(|&(r, w)| {
                                with_how(child(r), format!("weight {}", short(w / total)))
                            })
                            .collect(),
                    )
                }
                Function::Mean { inputs } => (
                    format!("mean of {} ({policy})", inputs.len()),
                    inputs.iter().map(|&r| child(r)).collect(),
                ),
                Function::Rules { rules, otherwise } => {
                    let get = |r: &Ref| match r {
                        Ref::Question(q) => match input.answer(unit, *q) {
                            Answer::Value(v) => Operand::Value(v),
                            Answer::NotRelevant => Operand::NotRelevant,
                            Answer::Missing => Operand::Missing,
                        },
                        Ref::Node(n) => scores
                            .unit_value(*n, unit)
                            .map(Operand::Value)
                            .unwrap_or(Operand::Missing),
                    };
                    let fired = rules.iter().find(|rule| rule.when.truth(&get));
                    let how = match fired {
                        Some(rule) => {
                            format!("rule `{}` holds -> {}", rule.text, outcome(&rule.then))
                        }
                        None => format!("no rule holds -> {}", outcome(otherwise)),
                    };
                    let mut refs = Vec::new();
                    for rule in rules {
                        rule.when.refs(&mut refs);
                    }
                    refs.dedup();
                    let mut seen = Vec::new();
                    refs.retain(|r| {
                        if seen.contains(r) {
                            false
                        } else {
                            seen.push(*r);
                            true
                        }
                    });
                    (how, refs.into_iter().map(child).collect())
                }
                Function::Bands { input: src, bands } => (
                    format!(
                        "bands {}",
                        bands
                            .iter()
                            .map(|(lo, s)| format!("≥{} -> {}", short(*lo), short(*s)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    vec![child(*src)],
                ),
                Function::Ratio {
                    numerator,
                    denominator,
                    scale,
                } => (
                    format!("ratio numerator / denominator × {}", short(*scale)),
                    vec![child(*numerator), child(*denominator)],
                ),
                Function::Normalise { input: src, .. } => (
                    "min-max over all units of the round".into(),
                    vec![child(*src)],
                ),
                Function::Rollup { .. } => ("rollup".into(), Vec::new()),
            };
            Explanation {
                id: node.id.clone(),
                title: node.title.show(lang),
                value,
                how,
                children,
            }
        }
    }
}

fn outcome(o: &Outcome) -> String {
    match o {
        Outcome::Score(s) => short(*s),
        Outcome::Exclude => "not scored".into(),
        Outcome::Input(_) => "the input's value".into(),
    }
}

/// A number without trailing zeros.
fn short(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
