//! Every message key the site uses exists in the Fluent files: the literal keys of the
//! templates and the handlers, and the keys made from closed word lists (`status-active`,
//! `channel-web_page`, ...). The i18n crate checks that the three languages have the same keys,
//! so a key missing in one language fails there.

#[cfg(test)]
mod tests {
    use crate::i18n::{message_keys, sources};
    use egovwatch_domain::*;

    const SOURCES: &[&str] = &[
        include_str!("../templates/layout.html"),
        include_str!("../templates/home.html"),
        include_str!("../templates/service.html"),
        include_str!("../templates/organisation.html"),
        include_str!("../templates/message.html"),
        include_str!("../templates/gaps.html"),
        include_str!("../templates/life_event.html"),
        include_str!("../templates/search.html"),
        include_str!("../templates/rounds.html"),
        include_str!("../templates/round.html"),
        include_str!("../templates/system.html"),
        include_str!("../templates/dataset.html"),
        include_str!("../templates/chart.html"),
        include_str!("../templates/legend.html"),
        include_str!("../templates/services_table.html"),
        include_str!("../templates/pager.html"),
        include_str!("pages.rs"),
        include_str!("record_pages.rs"),
        include_str!("round_pages.rs"),
        include_str!("gaps.rs"),
        include_str!("error.rs"),
        include_str!("views.rs"),
    ];

    #[test]
    fn every_literal_key_exists() {
        let keys = message_keys(sources()[1].1);
        let mut used = 0;
        for src in SOURCES {
            for call in [
                "tr.t(\"",
                "tr.count(\"",
                "tr.counted(\"",
                "tr.with(\"",
                "tr.t(k",
            ] {
                for part in src.split(call).skip(1) {
                    let key = part.split('"').next().unwrap_or_default();
                    if call == "tr.t(k" || key.contains('{') {
                        continue;
                    }
                    used += 1;
                    assert!(keys.iter().any(|k| k == key), "unknown message key {key}");
                }
            }
        }
        assert!(used > 100, "only {used} keys found: the scan is broken");
    }

    /// The gap analysis names the message of each of its findings (`Finding::message`).
    #[test]
    fn every_finding_has_its_message() {
        let keys = message_keys(sources()[1].1);
        let analysis = include_str!("../../domain/src/gaps/analysis.rs");
        let named: Vec<&str> = analysis
            .split("message: \"")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .collect();
        assert!(named.len() >= 5, "{named:?}");
        for key in named {
            assert!(keys.iter().any(|k| k == key), "unknown message key {key}");
        }
    }

    #[test]
    fn every_key_made_from_a_word_exists() {
        let keys = message_keys(sources()[1].1);
        let mut made: Vec<String> = Vec::new();
        made.extend(ServiceStatus::ALL.iter().map(|s| format!("status-{s}")));
        made.extend(Status::ALL.iter().map(|s| format!("status-{s}")));
        made.extend(ChannelType::ALL.iter().map(|s| format!("channel-{s}")));
        made.extend(OrganisationType::ALL.iter().map(|s| format!("orgtype-{s}")));
        made.extend(
            DigitisationState::ALL
                .iter()
                .map(|s| format!("digitisation-{s}")),
        );
        made.extend(Lifecycle::ALL.iter().map(|s| format!("lifecycle-{s}")));
        made.extend(LinkStatus::ALL.iter().map(|s| format!("link-{s}")));
        made.extend(crate::find::KINDS.iter().map(|(k, _)| format!("kind-{k}")));
        made.extend(
            ["improved", "regressed", "unchanged", "new", "withdrawn"]
                .iter()
                .map(|m| format!("report-{m}")),
        );
        made.extend(
            ["html", "md", "pdf", "csv"]
                .iter()
                .map(|f| format!("round-report-{f}")),
        );
        made.extend(
            ["yes", "info", "none"]
                .iter()
                .map(|r| format!("online-{r}")),
        );
        for key in made {
            assert!(keys.contains(&key), "unknown message key {key}");
        }
    }
}
