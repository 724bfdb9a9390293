//! Interface messages in az, en and ru through Fluent (CLDR plurals, so Russian gets one, few
//! and many). The `.ftl` files live in the top-level `locales/` folder and are compiled in.

use egovwatch_domain::Lang;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "en",
        // Isolation marks around arguments confuse copy-paste and search; our arguments are
        // codes and numbers, which need none.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn langid(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::Az => langid!("az"),
        Lang::En => langid!("en"),
        Lang::Ru => langid!("ru"),
    }
}

/// The messages of one language, handed to templates as `tr`, with the order of languages
/// tried when registry text lacks the page's language.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
    pub fallback: [Lang; 3],
}

/// The fallback order when none is configured.
pub const DEFAULT_FALLBACK: [Lang; 3] = [Lang::En, Lang::Az, Lang::Ru];

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Tr {
            lang,
            fallback: DEFAULT_FALLBACK,
        }
    }

    pub fn with_fallback(lang: Lang, fallback: [Lang; 3]) -> Self {
        Tr { lang, fallback }
    }

    /// The message `key`; a missing key shows as the key itself (and a test catches it).
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&langid(self.lang), key)
    }

    /// The message `key` with a count, for plurals.
    pub fn count(&self, key: &str, n: usize) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert("count".into(), FluentValue::from(n));
        LOCALES.lookup_with_args(&langid(self.lang), key, &args)
    }

    /// The message `key` with named text arguments.
    pub fn with(&self, key: &str, pairs: &[(&'static str, &str)]) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        for (k, v) in pairs {
            args.insert(Cow::Borrowed(*k), FluentValue::from(v.to_string()));
        }
        LOCALES.lookup_with_args(&langid(self.lang), key, &args)
    }
}

/// The message keys a Fluent file defines (lines `key = ...` at column 0).
pub fn message_keys(ftl: &str) -> Vec<String> {
    ftl.lines()
        .filter(|l| !l.starts_with(char::is_whitespace) && !l.starts_with('#'))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
        .filter(|k| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .collect()
}

/// The Fluent sources, for the test that every key exists in every language.
pub fn sources() -> [(Lang, &'static str); 3] {
    [
        (Lang::Az, include_str!("../../../locales/az/main.ftl")),
        (Lang::En, include_str!("../../../locales/en/main.ftl")),
        (Lang::Ru, include_str!("../../../locales/ru/main.ftl")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_defines_every_key() {
        let all = sources();
        for (lang, src) in &all {
            let keys = message_keys(src);
            for (other, other_src) in &all {
                for k in message_keys(other_src) {
                    assert!(
                        keys.contains(&k),
                        "{lang} lacks the key {k} that {other} has"
                    );
                }
            }
        }
    }

    #[test]
    fn no_key_is_defined_twice() {
        for (lang, ftl) in sources() {
            let keys = message_keys(ftl);
            let mut seen = std::collections::BTreeSet::new();
            for k in &keys {
                assert!(seen.insert(k), "{lang}: {k} is defined twice");
            }
        }
    }

    #[test]
    fn russian_plurals_follow_cldr() {
        let ru = Tr::new(Lang::Ru);
        assert_eq!(ru.count("home-services-count", 1), "1 услуга");
        assert_eq!(ru.count("home-services-count", 3), "3 услуги");
        assert_eq!(ru.count("home-services-count", 5), "5 услуг");
        assert_eq!(ru.count("home-services-count", 21), "21 услуга");
        assert_eq!(
            Tr::new(Lang::En).count("home-services-count", 1),
            "1 service"
        );
        assert_eq!(
            Tr::new(Lang::Az).count("home-services-count", 2),
            "2 xidmət"
        );
    }
}
