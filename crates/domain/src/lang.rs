//! Languages and multilingual text.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The languages egovwatch speaks: Azerbaijani, English and Russian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Az,
    En,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Az, Lang::En, Lang::Ru];

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Az => "az",
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language's name in itself, as a language switch shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Az => "Azərbaycanca",
            Lang::En => "English",
            Lang::Ru => "Русский",
        }
    }
}

/// Parses a fallback order such as `en,az` and completes it with the languages it leaves out,
/// in their usual order, so every text with any language can be shown.
pub fn parse_fallback(list: &str) -> Result<[Lang; 3], String> {
    let mut order: Vec<Lang> = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let lang: Lang = part.parse()?;
        if order.contains(&lang) {
            return Err(format!("{lang} appears twice in the fallback order"));
        }
        order.push(lang);
    }
    for lang in Lang::ALL {
        if !order.contains(&lang) {
            order.push(lang);
        }
    }
    Ok([order[0], order[1], order[2]])
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "az" => Ok(Lang::Az),
            "en" => Ok(Lang::En),
            "ru" => Ok(Lang::Ru),
            other => Err(format!(
                "unknown language {other:?} (expected az, en or ru)"
            )),
        }
    }
}

/// Human text in several languages. Never an untagged string: the language of every piece
/// of text is known, so pages can mark text shown in a fallback language.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(BTreeMap<Lang, String>);

/// Text picked for display, with the language it is actually in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown<'a> {
    pub text: &'a str,
    pub lang: Lang,
    /// True when the text is not in the language asked for.
    pub fallback: bool,
}

impl Text {
    pub fn new() -> Self {
        Text(BTreeMap::new())
    }

    pub fn with(mut self, lang: Lang, text: impl Into<String>) -> Self {
        self.set(lang, text);
        self
    }

    /// Sets one language; empty text removes it (an empty translation is no translation).
    pub fn set(&mut self, lang: Lang, text: impl Into<String>) {
        let text = text.into();
        if text.trim().is_empty() {
            self.0.remove(&lang);
        } else {
            self.0.insert(lang, text);
        }
    }

    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.0.get(&lang).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        self.0.iter().map(|(l, s)| (*l, s.as_str()))
    }

    /// The text in `want`, else in the first language of `fallback` that has it.
    pub fn pick(&self, want: Lang, fallback: &[Lang]) -> Option<Shown<'_>> {
        std::iter::once(want)
            .chain(fallback.iter().copied())
            .chain(Lang::ALL)
            .find_map(|lang| {
                self.get(lang).map(|text| Shown {
                    text,
                    lang,
                    fallback: lang != want,
                })
            })
    }

    /// The text in `want`, else in English, else in any language; empty when there is none.
    /// For reports and terminals, which do not mark fallbacks.
    pub fn show(&self, want: Lang) -> String {
        self.pick(want, &[Lang::En])
            .map(|s| s.text.to_string())
            .unwrap_or_default()
    }

    /// All languages joined, for search indexing.
    pub fn joined(&self) -> String {
        self.0.values().cloned().collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_asked_language_then_the_fallback_order() {
        let t = Text::new()
            .with(Lang::Ru, "Поиск работы")
            .with(Lang::En, "Searching for a job");
        let shown = t.pick(Lang::Az, &[Lang::En, Lang::Ru]).expect("some text");
        assert_eq!(
            (shown.text, shown.lang, shown.fallback),
            ("Searching for a job", Lang::En, true)
        );
        let shown = t.pick(Lang::Az, &[Lang::Ru]).expect("some text");
        assert_eq!(shown.lang, Lang::Ru);
        let shown = t.pick(Lang::Ru, &[]).expect("some text");
        assert!(!shown.fallback);
        assert!(Text::new().pick(Lang::Az, &Lang::ALL).is_none());
    }

    #[test]
    fn fallback_orders_are_completed() {
        assert_eq!(parse_fallback("ru"), Ok([Lang::Ru, Lang::Az, Lang::En]));
        assert_eq!(
            parse_fallback("en, az,ru"),
            Ok([Lang::En, Lang::Az, Lang::Ru])
        );
        assert!(parse_fallback("en,en").is_err());
        assert!(parse_fallback("de").is_err());
    }

    #[test]
    fn empty_text_is_no_translation() {
        let t = Text::new().with(Lang::Az, "  ");
        assert!(t.is_empty());
    }
}
