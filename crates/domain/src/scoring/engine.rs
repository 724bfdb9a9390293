//! Evaluation of a framework over one round: answers -> unit scores -> group scores -> total.
//!
//! Values are kept column by column (one vector per node, NaN where there is no value) so a
//! full recompute is a handful of tight loops over dense arrays, and a single changed answer
//! re-scores only its unit, the groups that unit belongs to and the total.

use super::expr::Operand;
use super::framework::{
    Applies, Combine, Framework, Function, Level, Missing, Node, NotRelevant, Outcome,
    QuestionKind, Ref,
};

/// One answer as the engine sees it: already mapped onto the framework's scale (a binary yes is
/// the full scale, a stage is stage / max of it; numeric answers stay as given).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    Missing,
    NotRelevant,
    Value(f64),
}

impl Framework {
    /// Reads a raw answer as written by an assessor (`yes`, `no`, `NR`, a code, a number).
    pub fn parse_answer(&self, question: usize, raw: &str) -> Result<Answer, String> {
        let q = &self.questions[question];
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("nr") || raw.eq_ignore_ascii_case("n/r") {
            return if q.allow_not_relevant {
                Ok(Answer::NotRelevant)
            } else {
                Err(format!("question `{}` does not allow NR", q.id))
            };
        }
        if raw.is_empty() {
            return Ok(Answer::Missing);
        }
        let number = || raw.parse::<f64>().ok().filter(|v| v.is_finite());
        match &q.kind {
            QuestionKind::Binary => match raw.to_ascii_lowercase().as_str() {
                "yes" | "y" | "true" | "1" | "bəli" | "да" => Ok(Answer::Value(self.scale)),
                "no" | "n" | "false" | "0" | "xeyr" | "нет" => Ok(Answer::Value(0.0)),
                _ => Err(format!(
                    "`{raw}` is not an answer to yes/no question `{}`",
                    q.id
                )),
            },
            QuestionKind::Ordinal { values } => values
                .iter()
                .find(|(code, _)| code == raw)
                .map(|(_, v)| Answer::Value(*v))
                .ok_or_else(|| {
                    let codes: Vec<&str> = values.iter().map(|(c, _)| c.as_str()).collect();
                    format!(
                        "`{raw}` is not on the scale of `{}` ({})",
                        q.id,
                        codes.join(", ")
                    )
                }),
            QuestionKind::Stage { levels } => {
                let max = levels.len().saturating_sub(1);
                match raw.parse::<usize>() {
                    Ok(l) if l <= max => Ok(Answer::Value(self.scale * l as f64 / max as f64)),
                    _ => Err(format!("`{raw}` is not a stage of `{}` (0..={max})", q.id)),
                }
            }
            QuestionKind::Numeric { min, max } => {
                let v = number().ok_or_else(|| format!("`{raw}` is not a number"))?;
                if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
                    let (lo, hi) = (
                        min.unwrap_or(f64::NEG_INFINITY),
                        max.unwrap_or(f64::INFINITY),
                    );
                    return Err(format!("{v} is outside {lo}..={hi} for `{}`", q.id));
                }
                Ok(Answer::Value(v))
            }
            QuestionKind::MultiChoice { options } => {
                for code in raw
                    .split(['|', ';'])
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                {
                    if !options.iter().any(|o| o == code) {
                        return Err(format!(
                            "`{code}` is not an option of `{}` ({})",
                            q.id,
                            options.join(", ")
                        ));
                    }
                }
                // Stored with the assessment, never scored.
                Ok(Answer::Missing)
            }
        }
    }

    /// The stage a scored value of the stage question stands for.
    pub fn stage_of(&self, value: f64) -> Option<u8> {
        let max = self.stage_levels().len().checked_sub(1)?;
        if value.is_nan() {
            return None;
        }
        let level = (value / self.scale * max as f64).round();
        u8::try_from(level as i64).ok()
    }

    /// Rounds a value to the framework's stored precision.
    pub fn round(&self, value: f64) -> f64 {
        round_to(value, self.decimals)
    }
}

pub fn round_to(value: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (value * f).round() / f
}

/// Facts about a unit that change how it is scored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitFlags {
    /// Bit set of the framework's unit kinds (see `Framework::kind_mask`).
    pub kinds: u32,
    /// Served without an application (proactive / once-only).
    pub automated: bool,
    /// The service does not exist here or cannot legally be online: excluded from scoring.
    pub not_applicable: bool,
    /// No online presence at all (UN 2012: no assessable national portal).
    pub no_online_presence: bool,
}

/// One answer with the piece of evidence it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    pub unit: usize,
    /// Which URL, channel or assessor; answers with the same id belong together.
    pub source: u32,
    pub question: usize,
    pub answer: Answer,
    /// Later answers win under `Combine::Latest`.
    pub seq: u64,
}

/// The answers of one round laid out for scoring: one row per unit, or one row per piece of
/// evidence for units scored as a mean of per-evidence scores.
///
/// Stored column by column (a column per question, empty until the question gets an answer),
/// matching the node-by-node evaluation and costing nothing for questions nobody answered.
/// Inside a column NaN is "no answer" and −∞ "not relevant": answers are finite by parsing.
#[derive(Debug, Clone)]
pub struct RoundInput {
    pub flags: Vec<UnitFlags>,
    /// [question][row]
    cols: Vec<Vec<f64>>,
    /// The unit of each row.
    row_unit: Vec<usize>,
    /// The rows of each unit, as a range into `row_unit` (rows of a unit are contiguous).
    unit_rows: Vec<std::ops::Range<usize>>,
    /// Values set for a unit's node in place of the computed one: (node, unit, value), NaN
    /// for "no value". A publisher's own correction, carried with its justification.
    overrides: Vec<(usize, usize, f64)>,
}

const NR: f64 = f64::NEG_INFINITY;

fn encode(a: Answer) -> f64 {
    match a {
        Answer::Missing => f64::NAN,
        Answer::NotRelevant => NR,
        Answer::Value(v) => v,
    }
}

fn decode(v: f64) -> Answer {
    if v.is_nan() {
        Answer::Missing
    } else if v == NR {
        Answer::NotRelevant
    } else {
        Answer::Value(v)
    }
}

impl RoundInput {
    /// Lays out answers; several answers to one question of one unit are combined by the
    /// question's rule, or kept apart when the unit's kinds say mean-of-scores.
    pub fn build(fw: &Framework, flags: Vec<UnitFlags>, evidence: &[Evidence]) -> RoundInput {
        let units = flags.len();
        let per_score = |u: usize| flags[u].kinds & fw.mean_of_scores_mask != 0;
        let mut row_unit = Vec::with_capacity(units);
        let mut unit_rows = Vec::with_capacity(units);
        // Distinct evidence sources of mean-of-scores units, in first-seen order.
        let mut sources: Vec<Vec<u32>> = Vec::new();
        if fw.mean_of_scores_mask != 0 {
            sources = vec![Vec::new(); units];
            for e in evidence {
                if per_score(e.unit) && !sources[e.unit].contains(&e.source) {
                    sources[e.unit].push(e.source);
                }
            }
        }
        for u in 0..units {
            let start = row_unit.len();
            // Units scored per question have one row; the others one row per evidence source.
            let n = sources
                .get(u)
                .filter(|_| per_score(u))
                .map_or(1, |s| s.len().max(1));
            row_unit.extend(std::iter::repeat_n(u, n));
            unit_rows.push(start..start + n);
        }
        let rows = row_unit.len();
        let mut cols: Vec<Vec<f64>> = vec![Vec::new(); fw.questions.len()];
        // Only questions that combine by mean or by time need counts or times per cell.
        let mut counts: Vec<Vec<u32>> = vec![Vec::new(); fw.questions.len()];
        let mut seqs: Vec<Vec<u64>> = vec![Vec::new(); fw.questions.len()];
        for e in evidence {
            let row = if per_score(e.unit) {
                let k = sources[e.unit]
                    .iter()
                    .position(|s| *s == e.source)
                    .unwrap_or(0);
                unit_rows[e.unit].start + k
            } else {
                unit_rows[e.unit].start
            };
            let q = e.question;
            let combine = fw.questions[q].combine;
            let col = &mut cols[q];
            if col.is_empty() {
                col.resize(rows, f64::NAN);
            }
            let (n, newest) = match combine {
                Combine::Mean => {
                    let c = &mut counts[q];
                    if c.is_empty() {
                        c.resize(rows, 0);
                    }
                    c[row] += 1;
                    (c[row], true)
                }
                Combine::Latest => {
                    let t = &mut seqs[q];
                    if t.is_empty() {
                        t.resize(rows, 0);
                    }
                    let newest = e.seq >= t[row];
                    t[row] = t[row].max(e.seq);
                    (1, newest)
                }
                _ => (1, true),
            };
            col[row] = encode(combine_answers(
                decode(col[row]),
                e.answer,
                combine,
                n,
                newest,
            ));
        }
        RoundInput {
            flags,
            cols,
            row_unit,
            unit_rows,
            overrides: Vec::new(),
        }
    }

    /// Sets the value of a unit-level node of one unit, replacing what its answers give
    /// (`None`: no value). Applied before anything reads the node.
    pub fn set_value(&mut self, node: usize, unit: usize, value: Option<f64>) {
        self.overrides.retain(|&(n, u, _)| (n, u) != (node, unit));
        self.overrides.push((node, unit, value.unwrap_or(f64::NAN)));
    }

    /// The values set with [`RoundInput::set_value`]: (node, unit, value).
    pub fn overrides(&self) -> impl Iterator<Item = (usize, usize, Option<f64>)> + '_ {
        self.overrides
            .iter()
            .map(|&(n, u, v)| (n, u, (!v.is_nan()).then_some(v)))
    }

    pub fn units(&self) -> usize {
        self.flags.len()
    }

    fn cell(&self, question: usize, row: usize) -> f64 {
        self.cols[question].get(row).copied().unwrap_or(f64::NAN)
    }

    /// The combined answer of a unit (its first row for mean-of-scores units).
    pub fn answer(&self, unit: usize, question: usize) -> Answer {
        decode(self.cell(question, self.unit_rows[unit].start))
    }

    /// Replaces the answer of a unit scored per question.
    pub fn set_answer(&mut self, unit: usize, question: usize, answer: Answer) {
        let row = self.unit_rows[unit].start;
        let rows = self.row_unit.len();
        let col = &mut self.cols[question];
        if col.is_empty() {
            col.resize(rows, f64::NAN);
        }
        col[row] = encode(answer);
    }
}

/// Folds the `n`-th answer into the running combination. `Mean` keeps a running mean.
fn combine_answers(acc: Answer, new: Answer, how: Combine, n: u32, newest: bool) -> Answer {
    use Answer::*;
    match (acc, new) {
        (Missing, x) | (x, Missing) => x,
        (_, x) if how == Combine::Latest => {
            if newest {
                x
            } else {
                acc
            }
        }
        (Value(a), Value(b)) => Value(match how {
            Combine::Best => a.max(b),
            Combine::Worst => a.min(b),
            Combine::Mean => a + (b - a) / f64::from(n),
            Combine::Latest => b,
        }),
        // A real answer says more than a not-relevant one.
        (Value(a), NotRelevant) | (NotRelevant, Value(a)) => Value(a),
        (NotRelevant, NotRelevant) => NotRelevant,
    }
}

/// Units grouped by life event or by organisation; a unit may be in several groups.
#[derive(Debug, Clone, Default)]
pub struct Grouping {
    pub name: String,
    pub members: Vec<Vec<usize>>,
    /// For each unit, the groups it is in.
    of_unit: Vec<Vec<usize>>,
}

impl Grouping {
    pub fn new(name: &str, units: usize, members: Vec<Vec<usize>>) -> Grouping {
        let mut of_unit = vec![Vec::new(); units];
        for (g, m) in members.iter().enumerate() {
            for &u in m {
                if let Some(list) = of_unit.get_mut(u) {
                    list.push(g);
                }
            }
        }
        Grouping {
            name: name.to_string(),
            members,
            of_unit,
        }
    }

    pub fn groups_of(&self, unit: usize) -> &[usize] {
        self.of_unit.get(unit).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Every node's values for one round.
#[derive(Debug, Clone)]
pub struct RoundScores {
    /// [node][unit]; empty for nodes above unit level.
    pub unit: Vec<Vec<f64>>,
    /// [grouping][node][group]; empty for nodes that are not group-level.
    pub group: Vec<Vec<Vec<f64>>>,
    /// [node]; NaN for nodes that are not total-level.
    pub total: Vec<f64>,
    /// [node][row] before rows are reduced to units.
    rows: Vec<Vec<f64>>,
}

impl RoundScores {
    pub fn unit_value(&self, node: usize, unit: usize) -> Option<f64> {
        value(self.unit.get(node)?.get(unit).copied()?)
    }

    pub fn group_value(&self, grouping: usize, node: usize, group: usize) -> Option<f64> {
        value(self.group.get(grouping)?.get(node)?.get(group).copied()?)
    }

    pub fn total_value(&self, node: usize) -> Option<f64> {
        value(self.total.get(node).copied()?)
    }
}

fn value(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

/// Scores a whole round.
pub fn score_round(fw: &Framework, input: &RoundInput, groupings: &[Grouping]) -> RoundScores {
    let n = fw.nodes.len();
    let rows = input.row_unit.len();
    let mut s = RoundScores {
        unit: vec![Vec::new(); n],
        group: vec![vec![Vec::new(); n]; groupings.len()],
        total: vec![f64::NAN; n],
        rows: vec![Vec::new(); n],
    };
    for (i, node) in fw.nodes.iter().enumerate() {
        if node.level == Level::Unit {
            let mut col = vec![f64::NAN; rows];
            if let Function::Normalise { input: src, .. } = node.function {
                normalise(fw, node, input, &s.rows, src, &mut col);
            } else if let Some(sources) = column_sources(fw, node, input, &s.rows) {
                weighted_columns(fw, node, input, &sources, &mut col);
            } else {
                for (r, slot) in col.iter_mut().enumerate() {
                    *slot = unit_node(fw, node, input, &s.rows, r);
                }
            }
            if node.pooled && rows != input.units() {
                for range in &input.unit_rows {
                    if range.len() > 1 {
                        let v = pooled_unit(fw, node, input, &s.rows, range.clone());
                        col[range.clone()].iter_mut().for_each(|x| *x = v);
                    }
                }
            }
            // One row per unit unless some unit averages its evidence units.
            let mut unit = if rows == input.units() {
                col.clone()
            } else {
                reduce_rows(input, &col)
            };
            if let Some(d) = node.round {
                unit.iter_mut().for_each(|v| *v = round_unit(*v, d));
            }
            for &(n, u, v) in &input.overrides {
                if n == i
                    && let Some(slot) = unit.get_mut(u)
                {
                    *slot = v;
                }
            }
            s.unit[i] = unit;
            s.rows[i] = col;
        }
    }
    for (g, grouping) in groupings.iter().enumerate() {
        for (i, node) in fw.nodes.iter().enumerate() {
            if node.level == Level::Group {
                let col: Vec<f64> = (0..grouping.members.len())
                    .map(|k| group_node(fw, node, input, &s, g, grouping, k))
                    .collect();
                s.group[g][i] = col;
            }
        }
    }
    for (i, node) in fw.nodes.iter().enumerate() {
        if node.level == Level::Total {
            s.total[i] = total_node(fw, node, input, &s, groupings);
        }
    }
    s
}

/// Re-scores after one answer of one unit changed: the unit, its groups and the total.
/// Frameworks with peer normalisation depend on every unit, so they are re-scored whole.
pub fn update_answer(
    fw: &Framework,
    input: &mut RoundInput,
    groupings: &[Grouping],
    scores: &mut RoundScores,
    unit: usize,
    question: usize,
    answer: Answer,
) {
    input.set_answer(unit, question, answer);
    if fw
        .nodes
        .iter()
        .any(|n| matches!(n.function, Function::Normalise { .. }))
    {
        *scores = score_round(fw, input, groupings);
        return;
    }
    let rows = input.unit_rows[unit].clone();
    for (i, node) in fw.nodes.iter().enumerate() {
        if node.level == Level::Unit {
            if node.pooled && rows.len() > 1 {
                let v = pooled_unit(fw, node, input, &scores.rows, rows.clone());
                scores.rows[i][rows.clone()].iter_mut().for_each(|x| *x = v);
            } else {
                for r in rows.clone() {
                    let v = unit_node(fw, node, input, &scores.rows, r);
                    scores.rows[i][r] = v;
                }
            }
            let v = mean_of(&scores.rows[i][rows.clone()]);
            scores.unit[i][unit] = match node.round {
                Some(d) => round_unit(v, d),
                None => v,
            };
            if let Some(&(_, _, v)) = input
                .overrides
                .iter()
                .find(|&&(n, u, _)| (n, u) == (i, unit))
            {
                scores.unit[i][unit] = v;
            }
        }
    }
    for (g, grouping) in groupings.iter().enumerate() {
        for &k in grouping.groups_of(unit) {
            for (i, node) in fw.nodes.iter().enumerate() {
                if node.level == Level::Group {
                    let v = group_node(fw, node, input, scores, g, grouping, k);
                    scores.group[g][i][k] = v;
                }
            }
        }
    }
    for (i, node) in fw.nodes.iter().enumerate() {
        if node.level == Level::Total {
            scores.total[i] = total_node(fw, node, input, scores, groupings);
        }
    }
}

/// The inputs of a weighted sum or mean as whole columns: (values by row, kinds asked, weight).
/// An empty column has no answers at all.
type Source<'a> = (&'a [f64], Applies, f64);

fn column_sources<'a>(
    fw: &Framework,
    node: &Node,
    input: &'a RoundInput,
    rows: &'a [Vec<f64>],
) -> Option<Vec<Source<'a>>> {
    let source = |r: Ref, w: f64| match r {
        Ref::Question(q) => (input.cols[q].as_slice(), fw.questions[q].kind_mask, w),
        Ref::Node(n) => (rows[n].as_slice(), Applies::default(), w),
    };
    match &node.function {
        Function::WeightedSum { inputs } => {
            Some(inputs.iter().map(|&(r, w)| source(r, w)).collect())
        }
        Function::Mean { inputs } => Some(inputs.iter().map(|&r| source(r, 1.0)).collect()),
        _ => None,
    }
}

/// The hot path of a full recompute: a weighted sum or mean over whole columns, with the same
/// rules as `unit_node` + `weighted` (overrides, kinds, missing and not-relevant policies).
fn weighted_columns(
    fw: &Framework,
    node: &Node,
    input: &RoundInput,
    sources: &[Source<'_>],
    out: &mut [f64],
) {
    for (r, slot) in out.iter_mut().enumerate() {
        let flags = input.flags[input.row_unit[r]];
        if let Some(v) = preset(node, flags) {
            *slot = v;
            continue;
        }
        let (mut num, mut den) = (0.0, 0.0);
        let (mut skip, mut any) = (false, false);
        for &(col, mask, w) in sources {
            let v = if col.is_empty() { f64::NAN } else { col[r] };
            let not_relevant = v == NR || !applies(mask, flags);
            if not_relevant {
                if node.not_relevant == NotRelevant::Zero {
                    den += w;
                    any = true;
                }
            } else if v.is_nan() {
                match node.missing {
                    Missing::Zero => den += w,
                    Missing::Skip => {
                        skip = true;
                        break;
                    }
                    Missing::Renormalise => {}
                }
            } else {
                num += w * v;
                den += w;
                any = true;
            }
        }
        // An empty node (no input has a value) carries none, whatever its missing policy.
        if !skip && any && den > 0.0 {
            *slot = finish(fw, num / den);
        }
    }
}

/// A unit's value rounded as its node asks (`round`); no value stays none.
fn round_unit(v: f64, decimals: u32) -> f64 {
    if v.is_nan() { v } else { round_to(v, decimals) }
}

fn reduce_rows(input: &RoundInput, col: &[f64]) -> Vec<f64> {
    input
        .unit_rows
        .iter()
        .map(|r| mean_of(&col[r.clone()]))
        .collect()
}

/// The mean of the values that are present (not NaN); NaN when none is.
fn mean_of(values: &[f64]) -> f64 {
    if let [one] = values {
        return *one;
    }
    let (sum, n) = values
        .iter()
        .filter(|v| !v.is_nan())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { f64::NAN } else { sum / n as f64 }
}

fn applies(mask: Applies, flags: UnitFlags) -> bool {
    mask.holds(flags.kinds)
}

fn finish(fw: &Framework, v: f64) -> f64 {
    if fw.round_intermediate && !v.is_nan() {
        fw.round(v)
    } else {
        v
    }
}

/// A unit's value of `node` fixed by its flags, before any answer is read: none (NaN) when the
/// node does not apply or the unit is not applicable, the node's value for automated units and
/// for units with no online presence; `None` when the answers decide.
fn preset(node: &Node, flags: UnitFlags) -> Option<f64> {
    if flags.not_applicable || !applies(node.kind_mask, flags) {
        Some(f64::NAN)
    } else if flags.automated && node.automated.is_some() {
        node.automated
    } else if flags.no_online_presence && node.no_online_presence.is_some() {
        node.no_online_presence
    } else {
        None
    }
}

fn unit_node(fw: &Framework, node: &Node, input: &RoundInput, rows: &[Vec<f64>], r: usize) -> f64 {
    let flags = input.flags[input.row_unit[r]];
    if let Some(v) = preset(node, flags) {
        return v;
    }
    let get = |x: Ref| match x {
        Ref::Question(q) => {
            if !applies(fw.questions[q].kind_mask, flags) {
                return Operand::NotRelevant;
            }
            let v = input.cell(q, r);
            if v.is_nan() {
                Operand::Missing
            } else if v == NR {
                Operand::NotRelevant
            } else {
                Operand::Value(v)
            }
        }
        Ref::Node(n) => operand(rows[n][r]),
    };
    finish(fw, combine_inputs(node, get))
}

/// A `pooled` node of a unit with several evidence units (rows): each question is pooled over
/// the rows (the mean of the answers, not relevant counting as 0 once some row has a value;
/// still not relevant when no row has one), each node input is the mean of its rows, and the
/// node's function is applied once.
fn pooled_unit(
    fw: &Framework,
    node: &Node,
    input: &RoundInput,
    rows: &[Vec<f64>],
    range: std::ops::Range<usize>,
) -> f64 {
    let flags = input.flags[input.row_unit[range.start]];
    if let Some(v) = preset(node, flags) {
        return v;
    }
    let get = |x: Ref| match x {
        Ref::Question(q) => {
            if !applies(fw.questions[q].kind_mask, flags) {
                return Operand::NotRelevant;
            }
            let (mut sum, mut n, mut values, mut not_relevant) = (0.0, 0usize, 0usize, false);
            for r in range.clone() {
                let v = input.cell(q, r);
                if v == NR {
                    n += 1;
                    not_relevant = true;
                } else if !v.is_nan() {
                    sum += v;
                    n += 1;
                    values += 1;
                }
            }
            if values > 0 {
                Operand::Value(sum / n as f64)
            } else if not_relevant {
                Operand::NotRelevant
            } else {
                Operand::Missing
            }
        }
        Ref::Node(n) => operand(mean_of(&rows[n][range.clone()])),
    };
    finish(fw, combine_inputs(node, get))
}

fn operand(v: f64) -> Operand {
    if v.is_nan() {
        Operand::Missing
    } else {
        Operand::Value(v)
    }
}

/// The functions that read inputs of their own level.
pub(crate) fn combine_inputs(node: &Node, get: impl Fn(Ref) -> Operand) -> f64 {
    match &node.function {
        Function::WeightedSum { inputs } => {
            weighted(node, inputs.iter().map(|&(r, w)| (get(r), w)))
        }
        Function::Mean { inputs } => weighted(node, inputs.iter().map(|&r| (get(r), 1.0))),
        Function::Rules { rules, otherwise } => {
            let outcome = rules
                .iter()
                .find(|rule| rule.when.truth(&|r: &Ref| get(*r)))
                .map(|rule| &rule.then)
                .unwrap_or(otherwise);
            match outcome {
                Outcome::Score(s) => *s,
                Outcome::Exclude => f64::NAN,
                Outcome::Input(r) => match get(*r) {
                    Operand::Value(v) => v,
                    _ => f64::NAN,
                },
            }
        }
        Function::Bands { input, bands } => match get(*input) {
            Operand::Value(v) => bands
                .iter()
                .rev()
                .find(|(lower, _)| v >= *lower)
                .map(|(_, s)| *s)
                .unwrap_or(f64::NAN),
            _ => f64::NAN,
        },
        Function::Ratio {
            numerator,
            denominator,
            scale,
        } => match (get(*numerator), get(*denominator)) {
            (Operand::Value(a), Operand::Value(b)) if b != 0.0 => a / b * scale,
            _ => f64::NAN,
        },
        // Computed column-wise (normalise) or across units (rollup), never from one row.
        Function::Normalise { .. } | Function::Rollup { .. } => f64::NAN,
    }
}

/// Σ wᵢxᵢ / Σ wᵢ with the node's policies for missing and not-relevant inputs. A node none of
/// whose inputs has a value (or an answer counted as 0) has no value itself, whatever its missing
/// policy: an empty life event is left out of the country's figure, not counted as 0.
fn weighted(node: &Node, inputs: impl Iterator<Item = (Operand, f64)>) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    let mut any = false;
    for (x, w) in inputs {
        match x {
            Operand::Value(v) => {
                num += w * v;
                den += w;
                any = true;
            }
            Operand::NotRelevant => {
                if node.not_relevant == NotRelevant::Zero {
                    den += w;
                    any = true;
                }
            }
            Operand::Missing => match node.missing {
                Missing::Zero => den += w,
                Missing::Skip => return f64::NAN,
                Missing::Renormalise => {}
            },
        }
    }
    if any && den > 0.0 {
        num / den
    } else {
        f64::NAN
    }
}

fn normalise(
    fw: &Framework,
    node: &Node,
    input: &RoundInput,
    rows: &[Vec<f64>],
    src: Ref,
    col: &mut [f64],
) {
    let raw = |r: usize| -> f64 {
        let flags = input.flags[input.row_unit[r]];
        if flags.not_applicable {
            return f64::NAN;
        }
        match src {
            Ref::Question(q) => match input.cell(q, r) {
                v if v == NR => f64::NAN,
                v => v,
            },
            Ref::Node(n) => rows[n][r],
        }
    };
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for r in 0..col.len() {
        let v = raw(r);
        if !v.is_nan() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    for (r, slot) in col.iter_mut().enumerate() {
        let flags = input.flags[input.row_unit[r]];
        let v = raw(r);
        *slot = if flags.no_online_presence && node.no_online_presence.is_some() {
            node.no_online_presence.unwrap_or(0.0)
        } else if v.is_nan() {
            f64::NAN
        } else if hi > lo {
            finish(fw, (v - lo) / (hi - lo) * fw.scale)
        } else {
            0.0
        };
    }
}

/// Mean of a unit-level column over some units, optionally as a weighted mean of per-kind means.
fn rollup_units(
    node: &Node,
    input: &RoundInput,
    col: &[f64],
    units: impl Iterator<Item = usize>,
    by_kind: &[(String, u32, f64)],
) -> f64 {
    let mut required = node.requires == 0;
    if by_kind.is_empty() {
        let (mut sum, mut n) = (0.0, 0usize);
        for u in units {
            let v = col[u];
            if !v.is_nan() && !input.flags[u].not_applicable {
                sum += v;
                n += 1;
                required |= input.flags[u].kinds & node.requires != 0;
            }
        }
        return if n == 0 || !required {
            f64::NAN
        } else {
            sum / n as f64
        };
    }
    let mut sums = [(0.0, 0usize); 8];
    let mut more = Vec::new();
    let sums: &mut [(f64, usize)] = if by_kind.len() <= sums.len() {
        &mut sums[..by_kind.len()]
    } else {
        more.resize(by_kind.len(), (0.0, 0));
        &mut more
    };
    for u in units {
        let v = col[u];
        if v.is_nan() || input.flags[u].not_applicable {
            continue;
        }
        required |= input.flags[u].kinds & node.requires != 0;
        for (k, (_, m, _)) in by_kind.iter().enumerate() {
            if input.flags[u].kinds & m != 0 {
                sums[k].0 += v;
                sums[k].1 += 1;
            }
        }
    }
    if !required {
        return f64::NAN;
    }
    let parts = sums.iter().zip(by_kind).map(|(&(s, n), (_, _, w))| {
        let x = if n == 0 {
            Operand::Missing
        } else {
            Operand::Value(s / n as f64)
        };
        (x, *w)
    });
    weighted(node, parts)
}

fn group_node(
    fw: &Framework,
    node: &Node,
    input: &RoundInput,
    s: &RoundScores,
    g: usize,
    grouping: &Grouping,
    k: usize,
) -> f64 {
    let v = match &node.function {
        Function::Rollup {
            from: Ref::Node(f),
            by_kind,
            ..
        } => {
            let members = grouping.members[k].iter().copied();
            rollup_units(node, input, &s.unit[*f], members, by_kind)
        }
        _ => combine_inputs(node, |r| match r {
            Ref::Node(n) => operand(s.group[g][n][k]),
            Ref::Question(_) => Operand::Missing,
        }),
    };
    finish(fw, v)
}

fn total_node(
    fw: &Framework,
    node: &Node,
    input: &RoundInput,
    s: &RoundScores,
    groupings: &[Grouping],
) -> f64 {
    let v = match &node.function {
        Function::Rollup {
            from: Ref::Node(f),
            by_kind,
            over,
        } => match fw.nodes[*f].level {
            Level::Unit => rollup_units(node, input, &s.unit[*f], 0..input.units(), by_kind),
            _ => {
                let g = groupings
                    .iter()
                    .position(|g| Some(&g.name) == over.as_ref());
                match g {
                    Some(g) => mean_of(&s.group[g][*f]),
                    None => f64::NAN,
                }
            }
        },
        _ => combine_inputs(node, |r| match r {
            Ref::Node(n) => operand(s.total[n]),
            Ref::Question(_) => Operand::Missing,
        }),
    };
    finish(fw, v)
}

/// Competition ranking, highest first ("1, 2, 2, 4"), on values rounded to `decimals` when
/// given: ranking cannot be finer than the data it ranks. Units without a value get no rank.
pub fn rank(values: &[f64], decimals: Option<u32>) -> Vec<Option<usize>> {
    let keyed: Vec<f64> = values
        .iter()
        .map(|&v| match decimals {
            Some(d) if !v.is_nan() => round_to(v, d),
            _ => v,
        })
        .collect();
    let mut sorted: Vec<f64> = keyed.iter().copied().filter(|v| !v.is_nan()).collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    keyed
        .iter()
        .map(|&v| {
            if v.is_nan() {
                None
            } else {
                Some(sorted.partition_point(|&x| x > v) + 1)
            }
        })
        .collect()
}

/// The multi-round figure (EU biennial): the mean of all group values of the last `window`
/// rounds together, not the mean of the round means.
pub fn window_mean(group_values: &[&[f64]]) -> Option<f64> {
    let all: Vec<f64> = group_values
        .iter()
        .flat_map(|g| g.iter().copied())
        .collect();
    value(mean_of(&all))
}

/// Applies `f` to every item on all available cores, keeping the order. Rounds (one country,
/// one period) are independent, so a full recompute of many rounds is split this way.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    if threads < 2 || items.len() < 2 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}
