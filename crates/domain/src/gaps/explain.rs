//! The gap analysis as a reader needs it: names, reasons in words, the investments ranked,
//! the national index now and as projected. Pure: the command line, the web and the reports
//! give it a registry and a scored round.

use super::{self as gaps, Analysis, Assumption, BlockingRules, Graph, Investment, Weights};
use crate::index::{Index, name_in, shown_name};
use crate::monitoring::{self, Round};
use crate::scoring::{Answer, Evidence, Framework, RoundInput, score_round};
use crate::{Code, EntityKind, Lang, Registry};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// The analysis with everything a reader needs to follow it: names, reasons in words, the
/// national index now and as projected.
#[derive(Serialize)]
pub struct Explained {
    pub round: Option<String>,
    pub rules: String,
    pub assumptions: Vec<String>,
    pub index: IndexProjection,
    pub investments: Vec<InvestmentView>,
    pub services: Vec<ServiceView>,
    pub findings: Vec<gaps::Finding>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct IndexProjection {
    pub now: Option<f64>,
    pub projected: Option<f64>,
}

/// An investment in a reader's language: its words, and the language-free investment shared
/// by every language's view of one analysis.
#[derive(Serialize)]
pub struct InvestmentView {
    pub rank: usize,
    pub title: String,
    #[serde(flatten)]
    pub investment: Shared<Investment>,
    pub unlocked_services: Vec<String>,
}

/// A service's place in the analysis in a reader's language: its name and reasons, and the
/// language-free gap shared by every language's view of one analysis.
#[derive(Serialize)]
pub struct ServiceView {
    pub name: String,
    #[serde(flatten)]
    pub gap: Shared<gaps::ServiceGap>,
    pub reasons: Vec<String>,
}

/// One element of a list shared by several owners: what each language's view of an analysis
/// holds of the analysis' services and investments, so the language-free part is kept once
/// (one allocation for the whole list, not one per element). Reads and serialises as the
/// element.
#[derive(Clone)]
pub struct Shared<T> {
    all: Arc<[T]>,
    k: usize,
}

impl<T> Shared<T> {
    /// The `k`th element of `all`, when there is one.
    pub fn of(all: &Arc<[T]>, k: usize) -> Option<Shared<T>> {
        (k < all.len()).then(|| Shared {
            all: Arc::clone(all),
            k,
        })
    }

    /// Every element of `all`, in order.
    pub fn all(all: &Arc<[T]>) -> impl Iterator<Item = Shared<T>> + '_ {
        (0..all.len()).map(|k| Shared {
            all: Arc::clone(all),
            k,
        })
    }

    /// A list of one: `value`.
    pub fn one(value: T) -> Shared<T> {
        Shared {
            all: Arc::from([value]),
            k: 0,
        }
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.all[self.k]
    }
}

impl<T> AsRef<T> for Shared<T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

/// Why a service is where it is, as a reader must be told: a service the data would allow
/// further but nobody built is not the same story as one held back by a missing register or
/// exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why<'a> {
    /// No stage for it in the round.
    NotAssessed,
    /// Fully online ([`monitoring::fully_online`]): nothing the citizen still has to do
    /// offline.
    FullyOnline { stage: u8 },
    /// Nothing in the registry's data keeps it from being fully online: the service itself
    /// has not been built beyond `stage`; the data would allow `ceiling`, and the `beyond`
    /// reasons (when any) keep it there, above fully online.
    NotBuilt {
        stage: u8,
        ceiling: u8,
        beyond: &'a [String],
    },
    /// The data allow at most `ceiling`, short of fully online, for the `reasons` named; the
    /// service is at `stage` (which may be below the ceiling too).
    Blocked {
        stage: u8,
        ceiling: u8,
        reasons: &'a [String],
    },
    /// Observed at `stage`, above the `ceiling` the registry's data allow for the `reasons`
    /// named ([`gaps::ServiceGap::above_ceiling`]): those records may be out of date.
    AboveData {
        stage: u8,
        ceiling: u8,
        reasons: &'a [String],
    },
}

/// Why the service of `gap` (its analysis, when the gap analysis has one) stands at `stage`,
/// on a scale whose top stage is `top`.
pub fn why<'a>(stage: Option<u8>, top: u8, gap: Option<&'a ServiceView>) -> Why<'a> {
    let Some(stage) = stage else {
        return Why::NotAssessed;
    };
    let full = monitoring::fully_online(top);
    if stage >= full {
        return Why::FullyOnline { stage };
    }
    match gap {
        Some(g) if stage > g.gap.ceiling => Why::AboveData {
            stage,
            ceiling: g.gap.ceiling,
            reasons: &g.reasons,
        },
        Some(g) if g.gap.ceiling < full && !g.reasons.is_empty() => Why::Blocked {
            stage,
            ceiling: g.gap.ceiling,
            reasons: &g.reasons,
        },
        Some(g) => Why::NotBuilt {
            stage,
            ceiling: g.gap.ceiling.max(full),
            beyond: &g.reasons,
        },
        None => Why::NotBuilt {
            stage,
            ceiling: top,
            beyond: &[],
        },
    }
}

/// What-if assumptions that cannot be applied: each message names the assumption and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct InvalidAssumptions(pub Vec<String>);

/// The analysis of a registry and a scored round, with names and reasons in `lang`; refuses
/// assumptions that name no record or leave the scale ([`gaps::check_assumptions`]).
pub fn explain(
    registry: &Registry,
    round: Option<(&Round, &Framework, &monitoring::ScoredRound)>,
    assumptions: &[Assumption],
    rules: &BlockingRules,
    weights: &Weights,
    lang: Lang,
    phrase: Phrase<'_>,
) -> Result<Explained, InvalidAssumptions> {
    let a = analyse(registry, round, assumptions, rules, weights)?;
    let codes = Index::new(registry);
    Ok(view(registry, &codes, rules, &a, lang, phrase))
}

/// The gap analysis of a registry and a scored round before it is put in words: the same in
/// every language, so a site in three languages makes it once ([`Analysed::explain`]). Its
/// services and investments are shared, not copied, by the views in each language.
#[derive(Debug, Clone)]
pub struct Analysed {
    round: Option<String>,
    assumptions: Vec<String>,
    services: Arc<[gaps::ServiceGap]>,
    investments: Arc<[Investment]>,
    findings: Vec<gaps::Finding>,
    index: IndexProjection,
}

impl Analysed {
    /// The analysis with names and reasons in `lang`, as [`explain`] gives it; `codes` is the
    /// registry's index.
    pub fn explain(
        &self,
        registry: &Registry,
        codes: &Index,
        rules: &BlockingRules,
        lang: Lang,
        phrase: Phrase<'_>,
    ) -> Explained {
        view(registry, codes, rules, self, lang, phrase)
    }

    /// The services the analysis names, in its order: [`Analysed::explain_service`] takes a
    /// position in this list.
    pub fn services(&self) -> impl Iterator<Item = &Code> {
        self.services.iter().map(|g| &g.service)
    }

    /// Whether `other` is this analysis, made once (a copy shares its services and
    /// investments).
    pub fn is(&self, other: &Analysed) -> bool {
        Arc::ptr_eq(&self.services, &other.services)
            && Arc::ptr_eq(&self.investments, &other.investments)
    }

    /// The `k`th service of the analysis ([`Analysed::services`]) in `lang`, as
    /// [`Analysed::explain`] words it, without putting every other service in words: what one
    /// service's page or answer needs.
    pub fn explain_service(
        &self,
        registry: &Registry,
        codes: &Index,
        rules: &BlockingRules,
        k: usize,
        lang: Lang,
    ) -> Option<ServiceView> {
        let g = Shared::of(&self.services, k)?;
        Some(service_view(registry, codes, rules, g, lang))
    }

    /// How many services the information systems `systems` keep below stage `full`
    /// ([`gaps::held_back_by`]).
    pub fn held_back_by(&self, systems: &[String], full: u8) -> usize {
        gaps::held_back_by(self.services.iter(), systems, full)
    }

    /// The investment ranked first, in `lang`, as [`Analysed::explain`] words it.
    pub fn explain_first_investment(
        &self,
        registry: &Registry,
        codes: &Index,
        lang: Lang,
        phrase: Phrase<'_>,
    ) -> Option<InvestmentView> {
        let i = Shared::of(&self.investments, 0)?;
        Some(investment_view(registry, codes, 0, i, lang, phrase))
    }
}

/// The analysis [`explain`] puts in words; refuses the same assumptions.
pub fn analyse(
    registry: &Registry,
    round: Option<(&Round, &Framework, &monitoring::ScoredRound)>,
    assumptions: &[Assumption],
    rules: &BlockingRules,
    weights: &Weights,
) -> Result<Analysed, InvalidAssumptions> {
    let mut stages = HashMap::new();
    if let Some((_, fw, scored)) = round {
        for (u, code) in scored.national() {
            if let Some(st) = scored.stage(fw, u) {
                stages.insert(code.clone(), st);
            }
        }
    }
    let assessed: Vec<&str> = round
        .map(|(_, _, scored)| scored.national().map(|(_, c)| c.as_str()).collect())
        .unwrap_or_default();
    let mut a = analyse_stages(
        registry,
        round.map(|(r, _, _)| (r.code.as_str(), &assessed[..])),
        &stages,
        assumptions,
        rules,
        weights,
    )?;
    if let Some((_, fw, scored)) = round {
        a.index = projected_index(fw, scored, a.services.iter());
    }
    Ok(a)
}

/// [`analyse`] on the stage each service reached in a round, as its stored results give
/// them, without scoring it: the national index as projected is left out ([`projected_index`]
/// adds it where it is shown). `round` is the round's code and the services it assesses.
///
/// With a round, the analysis covers the part of the registry connected to the services it
/// assesses, with a stage or not ([`crate::component::connected`]): in a registry of many
/// countries, the country of the round, whose services depend on no other country's records; in
/// a national registry, as a rule, the whole of it.
pub fn analyse_stages(
    registry: &Registry,
    round: Option<(&str, &[&str])>,
    stages: &HashMap<String, u8>,
    assumptions: &[Assumption],
    rules: &BlockingRules,
    weights: &Weights,
) -> Result<Analysed, InvalidAssumptions> {
    let part = round
        .and_then(|(_, assessed)| crate::component::connected(registry, assessed.iter().copied()));
    analyse_part(
        registry,
        part.as_ref(),
        round.map(|(code, _)| code),
        stages,
        assumptions,
        rules,
        weights,
    )
}

/// [`analyse_stages`] on `part`, the part of `registry` connected to the services round
/// `round` assesses as [`crate::component::connected`] gives it (none when that is the whole
/// registry), found by the caller: a site keeps it, to tell whether a change of the registry
/// touches the analysis.
pub fn analyse_part(
    registry: &Registry,
    part: Option<&Registry>,
    round: Option<&str>,
    stages: &HashMap<String, u8>,
    assumptions: &[Assumption],
    rules: &BlockingRules,
    weights: &Weights,
) -> Result<Analysed, InvalidAssumptions> {
    gaps::check_assumptions(registry, rules, assumptions).map_err(InvalidAssumptions)?;
    let graph = Graph::new(part.unwrap_or(registry), rules);
    let Analysis {
        assumptions,
        services,
        investments,
        findings,
    } = graph.analyse(stages, assumptions, weights);
    Ok(Analysed {
        round: round.map(str::to_string),
        assumptions,
        services: services.into(),
        investments: investments.into(),
        findings,
        index: IndexProjection::default(),
    })
}

/// The national index of a scored round now and with every service at the stage the gap
/// analysis projects for it (`services`); nothing for a framework without stages.
pub fn projected_index<'a>(
    fw: &Framework,
    s: &monitoring::ScoredRound,
    services: impl IntoIterator<Item = &'a gaps::ServiceGap>,
) -> IndexProjection {
    let Some(q) = fw.stage else {
        return IndexProjection::default();
    };
    let max = fw.stage_levels().len().saturating_sub(1).max(1) as f64;
    let projected: HashMap<&str, u8> = services
        .into_iter()
        .filter_map(|g| g.projected.map(|p| (g.service.as_str(), p)))
        .collect();
    let evidence: Vec<Evidence> = s
        .services
        .iter()
        .enumerate()
        .filter_map(|(unit, code)| {
            let stage = projected
                .get(code.as_str())
                .copied()
                .or_else(|| s.stage(fw, unit))?;
            Some(Evidence {
                unit,
                source: 0,
                question: q,
                // A stage is never above the framework's scale, whatever was assumed.
                answer: Answer::Value(fw.scale * f64::from(stage).min(max) / max),
                seq: 0,
            })
        })
        .collect();
    let input = RoundInput::build(fw, s.input.flags.clone(), &evidence);
    let after = score_round(fw, &input, &s.groupings);
    IndexProjection {
        now: s.national_index(fw),
        projected: after.total_value(fw.headline_total).map(|v| fw.round(v)),
    }
}

/// Words for a message key with arguments: the Fluent messages of the interface
/// (`invest-digitise`, `invest-build`, ...), so titles follow the reader's language.
pub type Phrase<'a> = &'a (dyn Fn(&str, &[(&'static str, &str)]) -> String + Sync);

/// An investment in words: the message key and its arguments, with names in `lang`.
pub fn title(
    reg: &Registry,
    codes: &Index,
    i: &Investment,
    lang: Lang,
    phrase: Phrase<'_>,
) -> String {
    let n = |c: &str| name_in(reg, codes, c, lang);
    let subject = n(&i.subject);
    match i.kind {
        "digitise_dataset" => {
            let system = codes
                .dataset(reg, &i.subject)
                .map(|d| n(d.system.as_str()))
                .unwrap_or_default();
            phrase(
                "invest-digitise",
                &[("subject", &subject), ("system", &system)],
            )
        }
        "build_system" => phrase("invest-build", &[("subject", &subject)]),
        "open_link" => {
            // A planned link is said by what it brings where: links seldom have names.
            let link = codes
                .position(EntityKind::ExchangeLink, &i.subject)
                .and_then(|p| reg.exchange_links.get(p));
            let end = |a: Option<&Option<Code>>, b: Option<&Option<Code>>| {
                a.and_then(Option::as_ref)
                    .or(b.and_then(Option::as_ref))
                    .map_or_else(|| subject.clone(), |c| n(c.as_str()))
            };
            let source = end(
                link.map(|l| &l.source_dataset),
                link.map(|l| &l.source_system),
            );
            let target = end(
                link.map(|l| &l.target_service),
                link.map(|l| &l.target_system),
            );
            phrase(
                "invest-open-link",
                &[("source", &source), ("target", &target)],
            )
        }
        "new_link" => {
            let (d, org) = i.subject.split_once(" > ").unwrap_or((&i.subject, ""));
            phrase(
                "invest-new-link",
                &[("subject", &n(d)), ("organisation", &n(org))],
            )
        }
        "supply_evidence" => phrase("invest-supply", &[("subject", &subject)]),
        "electronic_output" => phrase("invest-output", &[("subject", &subject)]),
        _ => i.id.clone(),
    }
}

/// The investment ranked `k + 1` in words.
fn investment_view(
    reg: &Registry,
    codes: &Index,
    k: usize,
    i: Shared<Investment>,
    lang: Lang,
    phrase: Phrase<'_>,
) -> InvestmentView {
    InvestmentView {
        rank: k + 1,
        title: title(reg, codes, &i, lang, phrase),
        unlocked_services: i
            .unlocks
            .iter()
            .map(|u| name_in(reg, codes, &u.service, lang))
            .collect(),
        investment: i,
    }
}

/// A service's place in the analysis in words: its name and a reason per block.
fn service_view(
    reg: &Registry,
    codes: &Index,
    rules: &BlockingRules,
    g: Shared<gaps::ServiceGap>,
    lang: Lang,
) -> ServiceView {
    ServiceView {
        name: name_in(reg, codes, g.service.as_str(), lang),
        reasons: g
            .blocks
            .iter()
            .map(|b| gaps::reason_named(rules, b, lang, &|c| shown_name(reg, codes, c, lang)))
            .collect(),
        gap: g,
    }
}

fn view(
    reg: &Registry,
    codes: &Index,
    rules: &BlockingRules,
    a: &Analysed,
    lang: Lang,
    phrase: Phrase<'_>,
) -> Explained {
    let investments = Shared::all(&a.investments)
        .enumerate()
        .map(|(k, i)| investment_view(reg, codes, k, i, lang, phrase))
        .collect();
    let services = Shared::all(&a.services)
        .map(|g| service_view(reg, codes, rules, g, lang))
        .collect();
    Explained {
        round: a.round.clone(),
        rules: format!("{} {}", rules.id, rules.version),
        assumptions: a.assumptions.clone(),
        index: a.index.clone(),
        investments,
        services,
        findings: a.findings.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(ceiling: u8, reasons: &[&str]) -> ServiceView {
        ServiceView {
            name: "Certificate".into(),
            gap: Shared::one(gaps::ServiceGap {
                service: crate::Code::parse("SRV-1").expect("a code"),
                life_events: Vec::new(),
                organisation: None,
                stage: Some(1),
                ceiling,
                projected: None,
                blocks: Vec::new(),
            }),
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn why_tells_not_built_from_blocked_from_fully_online() {
        // Scale 0..5: fully online from 4 (full online transaction) up.
        assert_eq!(why(None, 5, None), Why::NotAssessed);
        assert_eq!(why(Some(4), 5, None), Why::FullyOnline { stage: 4 });
        // Nothing known to hold it back: not built.
        assert_eq!(
            why(Some(1), 5, None),
            Why::NotBuilt {
                stage: 1,
                ceiling: 5,
                beyond: &[]
            }
        );
        // A missing exchange that only caps proactive delivery (5) does not explain a service
        // at stage 0: the data allow full online, the service was not built.
        let above = view(4, &["no exchange with the population register"]);
        assert_eq!(
            why(Some(0), 5, Some(&above)),
            Why::NotBuilt {
                stage: 0,
                ceiling: 4,
                beyond: &["no exchange with the population register".to_string()]
            }
        );
        // The data stop it short of fully online: blocked, with the reasons.
        let held = view(1, &["health records are not digitised"]);
        match why(Some(1), 5, Some(&held)) {
            Why::Blocked {
                stage: 1,
                ceiling: 1,
                reasons,
            } => assert_eq!(reasons, ["health records are not digitised"]),
            other => panic!("{other:?}"),
        }
        // Observed above what the data allow: the records named may be out of date.
        match why(Some(3), 5, Some(&held)) {
            Why::AboveData {
                stage: 3,
                ceiling: 1,
                reasons,
            } => assert_eq!(reasons, ["health records are not digitised"]),
            other => panic!("{other:?}"),
        }
        // Fully online is said as such, whatever the data say.
        assert_eq!(why(Some(4), 5, Some(&held)), Why::FullyOnline { stage: 4 });
    }
}
