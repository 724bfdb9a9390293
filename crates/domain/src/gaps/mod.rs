//! Gap analysis: why each service is stuck, which investment unlocks the most, and what-ifs.

pub mod analysis;
pub mod explain;
pub mod rules;

pub use analysis::{
    Analysis, Assumption, Block, Finding, Graph, Investment, MAX_ASSUMPTIONS, ServiceGap, Unlock,
    Weights, check_assumptions, held_back_by, reason, reason_named,
};
pub use rules::{BlockingRules, Condition};
