//! Search over the demo registry: any query runs, hits are in range and sorted best first,
//! and highlighting a text cuts it into pieces that join back to the text.
#![no_main]

use egovwatch_domain::search::{SearchIndex, highlight, terms};
use egovwatch_domain::{EntityKind, Lang, Text};
use egovwatch_fuzz::DEMO;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static INDEX: LazyLock<SearchIndex> = LazyLock::new(|| SearchIndex::new(&DEMO));

fn name(kind: EntityKind, i: usize) -> Option<&'static Text> {
    let r = &*DEMO;
    Some(match kind {
        EntityKind::Service => &r.services.get(i)?.name,
        EntityKind::Organisation => &r.organisations.get(i)?.name,
        EntityKind::LifeEvent => &r.life_events.get(i)?.name,
        EntityKind::InformationSystem => &r.information_systems.get(i)?.name,
        EntityKind::Dataset => &r.datasets.get(i)?.name,
        _ => return None,
    })
}

fn joins_back(text: &str, query: &[String]) {
    let pieces = highlight(text, query);
    let joined: String = pieces.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(joined, text, "highlighting changed the text for {query:?}");
    assert!(pieces.iter().all(|(s, _)| !s.is_empty()), "{pieces:?}");
}

fuzz_target!(
    init: {
        LazyLock::force(&INDEX);
    },
    |data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let (hits, total) = INDEX.search(&query, None, 20);
    assert!(hits.len() <= 20 && hits.len() <= total);
    let words = terms(&query);
    for h in &hits {
        let text = name(h.kind, h.position);
        assert!(text.is_some(), "hit out of range: {h:?}");
        if let Some(t) = text {
            for lang in Lang::ALL {
                if let Some(s) = t.get(lang) {
                    joins_back(s, &words);
                }
            }
        }
    }
    let (only, _) = INDEX.search(&query, Some(&[EntityKind::Service]), 5);
    assert!(only.iter().all(|h| h.kind == EntityKind::Service));
    // The query highlighted against itself: every term must mark something.
    joins_back(&query, &words);
    let marked = highlight(&query, &words);
    if !words.is_empty() {
        assert!(
            marked.iter().any(|(_, m)| *m),
            "{query:?} marks none of {words:?}"
        );
    }
});
