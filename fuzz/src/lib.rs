//! What the fuzz targets share: the demo registry and the `stages` framework, read once.

use egovwatch_domain::Registry;
use egovwatch_domain::monitoring::Round;
use egovwatch_domain::scoring::{Framework, catalog};
use std::sync::LazyLock;

/// The demo registry (`data/demo/registry.json`).
pub static DEMO: LazyLock<Registry> = LazyLock::new(|| {
    let bytes = include_bytes!("../../data/demo/registry.json");
    match egovwatch_interop::json::read("registry.json", bytes) {
        Ok(p) => p.registry,
        Err(e) => panic!("the demo registry does not read: {e}"),
    }
});

/// The shipped `stages` framework.
pub static STAGES: LazyLock<Framework> = LazyLock::new(|| match catalog::builtin_by_id("stages") {
    Some(f) => f,
    None => panic!("the stages framework does not ship"),
});

/// An open round over every service of the demo on `stages`.
pub static ROUND: LazyLock<Round> = LazyLock::new(|| {
    Round::open(
        "2015-H1",
        egovwatch_domain::Text::new().with(egovwatch_domain::Lang::En, "2015-H1"),
        &STAGES,
        ("2015-01-01", "2015-06-30"),
        Vec::new(),
        "2015-06-30T00:00:00Z",
    )
});

/// Reads the shared values before fuzzing starts, so the first input is not charged with it
/// (under load that alone could pass libFuzzer's timeout).
pub fn init() {
    LazyLock::force(&DEMO);
    LazyLock::force(&STAGES);
    LazyLock::force(&ROUND);
}

/// Splits fuzz input into at most `n` parts at NUL bytes (the seed corpora are written so).
pub fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |&b| b == 0).collect()
}
