//! Blocking rules as data (`frameworks/blocking.toml`): which registry conditions cap a
//! service's stage, and how the reason is worded.

use serde::Deserialize;
use toml::Spanned;

use crate::scoring::{DefinitionError, DefinitionErrors};
use crate::{DigitisationState, Lang, Text};

/// What the analysis can detect; a rule file says which of them block and how far.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    EvidenceUnsupplied,
    SystemNotInUse,
    DatasetNotDigital,
    NoExchangeInUse,
    OutputNotElectronic,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub condition: Condition,
    /// The highest stage a service reaches while the condition holds.
    pub cap: u8,
    /// For `dataset_not_digital`: the states that block.
    pub states: Vec<DigitisationState>,
    /// For `output_not_electronic`: the stage from which an output counts as electronic.
    pub below_stage: u8,
    pub reason: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BlockingRules {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub max_stage: u8,
    pub rules: Vec<Rule>,
}

/// The rules shipped in `frameworks/blocking.toml`.
pub const DEFAULT: &str = include_str!("../../../../frameworks/blocking.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    blocking: RawHead,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHead {
    id: String,
    version: String,
    title: Text,
    max_stage: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    condition: Condition,
    cap: u8,
    #[serde(default)]
    states: Vec<DigitisationState>,
    below_stage: Option<u8>,
    #[serde(default)]
    reason: Text,
}

impl BlockingRules {
    pub fn default_rules() -> Result<BlockingRules, DefinitionErrors> {
        BlockingRules::from_toml("frameworks/blocking.toml", DEFAULT)
    }

    pub fn from_toml(file: &str, text: &str) -> Result<BlockingRules, DefinitionErrors> {
        let line_of = |offset: usize| {
            text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1
        };
        let fail = |errors| DefinitionErrors {
            file: file.to_string(),
            errors,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(s.start)).unwrap_or(1);
            fail(vec![DefinitionError {
                line,
                message: e.message().trim().to_string(),
            }])
        })?;
        let max = raw.blocking.max_stage;
        let mut errors = Vec::new();
        let mut rules = Vec::new();
        let mut seen = Vec::new();
        for r in raw.rule {
            let line = line_of(r.span().start);
            let r = r.into_inner();
            let mut err = |message: String| errors.push(DefinitionError { line, message });
            if r.cap >= max {
                err(format!(
                    "cap {} must be below max_stage {max}, or the rule blocks nothing",
                    r.cap
                ));
            }
            if seen.contains(&r.condition) {
                err(format!("{:?} has a rule already", r.condition));
            }
            seen.push(r.condition);
            if r.condition == Condition::DatasetNotDigital && r.states.is_empty() {
                err("dataset_not_digital needs the blocking `states`".into());
            }
            if r.condition != Condition::DatasetNotDigital && !r.states.is_empty() {
                err("`states` belongs to dataset_not_digital only".into());
            }
            let below_stage = match (r.condition, r.below_stage) {
                (Condition::OutputNotElectronic, Some(b)) if b <= max => b,
                (Condition::OutputNotElectronic, _) => {
                    err(format!(
                        "output_not_electronic needs `below_stage` (1..={max})"
                    ));
                    0
                }
                (_, Some(_)) => {
                    err("`below_stage` belongs to output_not_electronic only".into());
                    0
                }
                (_, None) => 0,
            };
            if r.reason.get(Lang::En).is_none() {
                err("a rule needs a reason in English at least".into());
            }
            rules.push(Rule {
                condition: r.condition,
                cap: r.cap,
                states: r.states,
                below_stage,
                reason: r.reason,
            });
        }
        if !errors.is_empty() {
            return Err(fail(errors));
        }
        Ok(BlockingRules {
            id: raw.blocking.id,
            version: raw.blocking.version,
            title: raw.blocking.title,
            max_stage: max,
            rules,
        })
    }

    pub fn rule(&self, c: Condition) -> Option<&Rule> {
        self.rules.iter().find(|r| r.condition == c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_load() {
        let r = BlockingRules::default_rules().expect("shipped rules");
        assert_eq!(r.max_stage, 5);
        assert_eq!(r.rule(Condition::NoExchangeInUse).map(|r| r.cap), Some(4));
        assert_eq!(r.rule(Condition::DatasetNotDigital).map(|r| r.cap), Some(3));
    }

    #[test]
    fn bad_rules_are_located() {
        let text = "[blocking]\nid = \"x\"\nversion = \"1\"\ntitle = { en = \"x\" }\nmax_stage = 5\n\n[[rule]]\ncondition = \"dataset_not_digital\"\ncap = 5\nreason = { en = \"r\" }\n";
        let e = BlockingRules::from_toml("b.toml", text)
            .expect_err("refused")
            .to_string();
        assert!(
            e.contains("b.toml:7: cap 5 must be below max_stage 5"),
            "{e}"
        );
        assert!(e.contains("needs the blocking `states`"), "{e}");
        let unknown =
            BlockingRules::from_toml("b.toml", &text.replace("dataset_not_digital", "moon_phase"))
                .expect_err("refused")
                .to_string();
        assert!(unknown.starts_with("b.toml:8:"), "{unknown}");
    }
}
