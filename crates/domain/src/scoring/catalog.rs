//! The frameworks shipped in `frameworks/`, compiled into the binary so that a fresh install
//! scores without any set-up. Users can still load their own files (`Framework::from_toml`).

use super::framework::{DefinitionErrors, Framework};

/// (file name, text) of every shipped definition.
pub const BUILTIN: [(&str, &str); 6] = [
    (
        "stages.toml",
        include_str!("../../../../frameworks/stages.toml"),
    ),
    (
        "eu-egov-benchmark-2020.toml",
        include_str!("../../../../frameworks/eu-egov-benchmark-2020.toml"),
    ),
    (
        "un-egdi.toml",
        include_str!("../../../../frameworks/un-egdi.toml"),
    ),
    (
        "un-egdi-2014.toml",
        include_str!("../../../../frameworks/un-egdi-2014.toml"),
    ),
    (
        "un-egdi-2012.toml",
        include_str!("../../../../frameworks/un-egdi-2012.toml"),
    ),
    (
        "un-egdi-2010.toml",
        include_str!("../../../../frameworks/un-egdi-2010.toml"),
    ),
];

/// Every shipped framework, parsed.
pub fn builtin() -> Result<Vec<Framework>, DefinitionErrors> {
    parsed().clone()
}

/// A shipped framework by id.
pub fn builtin_by_id(id: &str) -> Option<Framework> {
    parsed().as_ref().ok()?.iter().find(|f| f.id == id).cloned()
}

/// The shipped frameworks, parsed once per process: they are compiled in, and a site of the
/// UN survey's scale asks for the framework of each of its hundreds of rounds.
fn parsed() -> &'static Result<Vec<Framework>, DefinitionErrors> {
    static PARSED: std::sync::OnceLock<Result<Vec<Framework>, DefinitionErrors>> =
        std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|(file, text)| Framework::from_toml(&format!("frameworks/{file}"), text))
            .collect()
    })
}
