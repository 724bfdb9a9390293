//! Interface messages in az, en and ru through Fluent (CLDR plurals, so Russian gets one, few
//! and many). The `.ftl` files live in the top-level `locales/` folder and are compiled in.

use egovwatch_domain::{Conflict, EntityKind, Lang};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use icu_decimal::input::{Decimal, SignDisplay};
use icu_decimal::{DecimalFormatter, options::DecimalFormatterOptions};

/// Changes whenever a message file does (see `build.rs`), so the messages below are never stale.
pub const LOCALES_FINGERPRINT: &str = env!("EGOVWATCH_LOCALES_FINGERPRINT");

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl Tr {
    /// The message `key` about `n` things: `$n` is the number (for the language's plural
    /// forms), `$count` the number written as the language writes it, then named texts.
    pub fn counted(&self, key: &str, n: usize, pairs: &[(&'static str, &str)]) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert("n".into(), FluentValue::from(n));
        args.insert("count".into(), FluentValue::from(self.integer(n)));
        for (k, v) in pairs {
            args.insert(Cow::Borrowed(*k), FluentValue::from(v.to_string()));
        }
        LOCALES.lookup_with_args(&langid(self.lang), key, &args)
    }
}

/// A message in all three languages, as registry text: for what the software itself writes
/// into the record (the reason of an import, the name of a synthetic round).
pub fn in_every_language(key: &str, pairs: &[(&'static str, &str)]) -> egovwatch_domain::Text {
    Lang::ALL
        .into_iter()
        .fold(egovwatch_domain::Text::new(), |t, lang| {
            t.with(lang, Tr::new(lang).with(key, pairs))
        })
}

/// CLDR's decimal formats of the three languages (compiled-in data): `33,6` in az and ru,
/// `33.6` in en; thousands grouped as each language groups them.
static DECIMALS: LazyLock<[Option<DecimalFormatter>; 3]> = LazyLock::new(|| {
    Lang::ALL.map(|lang| {
        let id = match lang {
            Lang::Az => icu_locale_core::locale!("az"),
            Lang::En => icu_locale_core::locale!("en"),
            Lang::Ru => icu_locale_core::locale!("ru"),
        };
        DecimalFormatter::try_new(id.into(), DecimalFormatterOptions::default()).ok()
    })
});

impl Tr {
    /// `v` with `places` digits after the separator, written the way the page's language writes
    /// numbers (CLDR). Negative zero is written as zero.
    pub fn decimal(&self, v: f64, places: u32) -> String {
        self.format(v, places, SignDisplay::Negative)
    }

    /// A change: `+1,5`, `−0,4`, `0,0`, with the language's plus and minus signs.
    pub fn signed(&self, v: f64, places: u32) -> String {
        self.format(v, places, SignDisplay::ExceptZero)
    }

    /// A count, grouped as the language groups thousands (`50 000` in ru).
    pub fn integer(&self, n: usize) -> String {
        self.format(n as f64, 0, SignDisplay::Negative)
    }

    /// Registry or round text for plain output (reports, terminals): in the reader's language,
    /// else in the first fallback that has it, then marked "(not translated; shown in …)".
    pub fn plain(&self, t: &egovwatch_domain::Text) -> String {
        match t.pick(self.lang, &self.fallback) {
            None => String::new(),
            Some(s) if !s.fallback => s.text.to_string(),
            Some(s) => format!(
                "{} ({})",
                s.text,
                self.with("fallback-marker", &[("lang", s.lang.endonym())])
            ),
        }
    }

    /// A score or index with the framework's `places`, `—` when there is none.
    pub fn score(&self, v: Option<f64>, places: u32) -> String {
        v.map_or_else(|| "—".into(), |v| self.decimal(v, places))
    }

    /// The change from `before` to `now` (already rounded by the caller's rule), `—` unless
    /// both are known.
    pub fn change(&self, now: Option<f64>, before: Option<f64>, places: u32) -> String {
        match (now, before) {
            (Some(n), Some(b)) => self.signed(n - b, places),
            _ => "—".into(),
        }
    }

    fn format(&self, v: f64, places: u32, sign: SignDisplay) -> String {
        let plain = format!("{v:.prec$}", prec = places as usize);
        let idx = Lang::ALL.iter().position(|l| *l == self.lang).unwrap_or(0);
        match (plain.parse::<Decimal>(), &DECIMALS[idx]) {
            (Ok(mut d), Some(f)) => {
                d.apply_sign_display(sign);
                f.format(&d).to_string()
            }
            _ => plain,
        }
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

/// A conflict in the reader's language, followed by what to do about it.
pub fn conflict(tr: &Tr, c: &Conflict) -> String {
    let kind_name = |k: EntityKind| tr.t(&format!("kind-{}", k.as_str()));
    let said = match c {
        Conflict::Edited {
            kind,
            code,
            stored,
            read,
        } => tr.with(
            "conflict-edited",
            &[
                ("kind", &kind_name(*kind)),
                ("code", code),
                ("stored", &stored.to_string()),
                ("read", &read.to_string()),
            ],
        ),
        Conflict::Changed { kind, code } => tr.with(
            "conflict-changed",
            &[("kind", &kind_name(*kind)), ("code", code)],
        ),
        Conflict::RoundExists { round } => tr.with("conflict-round-exists", &[("round", round)]),
        Conflict::RoundChanged { round } => tr.with("conflict-round-changed", &[("round", round)]),
        Conflict::Busy { attempts } => {
            tr.with("conflict-busy", &[("attempts", &attempts.to_string())])
        }
    };
    format!("{said} {}", tr.t("conflict-next"))
}

/// The language of the command line's messages, from the locale the shell sets
/// (`LC_ALL`, `LC_MESSAGES`, `LANG`, first one set): `az_AZ.UTF-8` gives Azerbaijani,
/// `ru_RU.UTF-8` Russian, anything else English.
pub fn lang_from_locale(vars: impl Fn(&str) -> Option<String>) -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(vars)
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    match locale.get(..2) {
        Some("az") => Lang::Az,
        Some("ru") => Lang::Ru,
        _ => Lang::En,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn numbers_are_written_the_way_each_language_writes_them() {
        let (az, en, ru) = (Tr::new(Lang::Az), Tr::new(Lang::En), Tr::new(Lang::Ru));
        assert_eq!(az.decimal(33.6, 1), "33,6");
        assert_eq!(en.decimal(33.6, 1), "33.6");
        assert_eq!(ru.decimal(33.6, 1), "33,6");
        assert_eq!(en.signed(10.9, 1), "+10.9");
        assert_eq!(
            en.signed(-0.04, 1),
            "0.0",
            "a change that rounds to zero has no sign"
        );
        assert_eq!(az.signed(-1.25, 2), "-1,25");
        assert_eq!(en.integer(50_000), "50,000");
        assert_eq!(az.integer(50_000), "50.000");
        assert_eq!(ru.integer(50_000), "50\u{a0}000");
        assert_eq!(en.score(None, 1), "—");
        assert_eq!(ru.change(Some(40.0), Some(40.0), 1), "0,0");
    }

    #[test]
    fn untranslated_text_is_marked_in_plain_output() {
        let t = egovwatch_domain::Text::new().with(Lang::En, "Seed note");
        assert_eq!(Tr::new(Lang::En).plain(&t), "Seed note");
        let az = Tr::new(Lang::Az).plain(&t);
        assert!(az.starts_with("Seed note (tərcümə edilməyib"), "{az}");
        let every = in_every_language("reason-synth", &[("seed", "7")]);
        assert_eq!(every.iter().count(), 3);
        assert!(every.get(Lang::Ru).is_some_and(|r| r.contains('7')));
    }

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
        assert_eq!(ru.counted("home-services-count", 1, &[]), "1 услуга");
        assert_eq!(ru.counted("home-services-count", 3, &[]), "3 услуги");
        assert_eq!(ru.counted("home-services-count", 5, &[]), "5 услуг");
        assert_eq!(ru.counted("home-services-count", 21, &[]), "21 услуга");
        assert_eq!(
            Tr::new(Lang::En).counted("home-services-count", 1, &[]),
            "1 service"
        );
        assert_eq!(
            Tr::new(Lang::Az).counted("home-services-count", 2, &[]),
            "2 xidmət"
        );
        // The number written as the language writes it, the form chosen by the number.
        assert_eq!(
            Tr::new(Lang::En).counted("home-services-count", 16_320, &[]),
            "16,320 services"
        );
    }

    #[test]
    fn every_conflict_is_worded_in_every_language() {
        let all = [
            Conflict::Edited {
                kind: EntityKind::ExchangeLink,
                code: "XL-1".into(),
                stored: 3,
                read: 2,
            },
            Conflict::Changed {
                kind: EntityKind::Service,
                code: "SRV-1".into(),
            },
            Conflict::RoundExists {
                round: "2015-H1".into(),
            },
            Conflict::RoundChanged {
                round: "2015-H1".into(),
            },
            Conflict::Busy { attempts: 10 },
        ];
        for lang in [Lang::Az, Lang::En, Lang::Ru] {
            let tr = Tr::new(lang);
            for c in &all {
                let text = conflict(&tr, c);
                // No key shown instead of a message, no argument left out.
                assert!(
                    !text.contains("conflict-") && !text.contains("kind-"),
                    "{lang}: {text}"
                );
                assert!(!text.contains('{'), "{lang}: {text}");
                match c {
                    Conflict::Edited { code, .. } | Conflict::Changed { code, .. } => {
                        assert!(text.contains(code.as_str()), "{lang}: {text}")
                    }
                    Conflict::RoundExists { round } | Conflict::RoundChanged { round } => {
                        assert!(text.contains(round.as_str()), "{lang}: {text}")
                    }
                    Conflict::Busy { .. } => assert!(text.contains("10"), "{lang}: {text}"),
                }
            }
        }
        let az = conflict(&Tr::new(Lang::Az), &all[3]);
        assert!(
            az.contains("monitorinq raundu") && az.contains("Heç nə yazılmadı"),
            "{az}"
        );
        let ru = conflict(&Tr::new(Lang::Ru), &all[0]);
        assert!(ru.contains("Обмен данными XL-1"), "{ru}");
    }

    #[test]
    fn the_command_line_speaks_the_locale_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(lang_from_locale(env(&[("LANG", "az_AZ.UTF-8")])), Lang::Az);
        assert_eq!(
            lang_from_locale(env(&[("LC_ALL", "ru_RU.UTF-8"), ("LANG", "az_AZ")])),
            Lang::Ru
        );
        assert_eq!(
            lang_from_locale(env(&[("LC_ALL", ""), ("LANG", "ru")])),
            Lang::Ru
        );
        assert_eq!(lang_from_locale(env(&[("LANG", "C.UTF-8")])), Lang::En);
        assert_eq!(lang_from_locale(env(&[])), Lang::En);
    }
}
