//! Scoring: methodologies kept as data (`framework`), a pure evaluator over one round's answers
//! (`engine`), and explanations that trace a score back to the answers behind it (`explain`).

pub mod catalog;
pub mod engine;
pub mod explain;
pub mod expr;
pub mod framework;

pub use engine::{
    Answer, Evidence, Grouping, RoundInput, RoundScores, UnitFlags, par_map, rank, round_to,
    score_round, update_answer, window_mean,
};
pub use explain::{Explanation, explain_unit};
pub use framework::{
    Combine, DefinitionError, DefinitionErrors, EvidenceRule, Framework, Function, Level, Missing,
    Node, Question, QuestionKind, Ref,
};
