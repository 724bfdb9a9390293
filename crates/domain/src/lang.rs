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
///
/// The languages are held inline, one slot per language in [`Lang::ALL`] order, so a text
/// costs no allocation beyond its strings (a registry of hundreds of thousands of records
/// holds millions of texts). Ordered and serialised as the map from language to text it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Text([Option<Box<str>>; 3]);

fn slot(lang: Lang) -> usize {
    match lang {
        Lang::Az => 0,
        Lang::En => 1,
        Lang::Ru => 2,
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.iter().cmp(other.iter())
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<Lang, String>::deserialize(d)?;
        let mut t = Text::new();
        for (lang, text) in map {
            t.0[slot(lang)] = Some(text.into_boxed_str());
        }
        Ok(t)
    }
}

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
        Text::default()
    }

    pub fn with(mut self, lang: Lang, text: impl Into<String>) -> Self {
        self.set(lang, text);
        self
    }

    /// Sets one language; empty text removes it (an empty translation is no translation).
    pub fn set(&mut self, lang: Lang, text: impl Into<String>) {
        let text = text.into();
        self.0[slot(lang)] = (!text.trim().is_empty()).then(|| text.into_boxed_str());
    }

    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.0[slot(lang)].as_deref()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        Lang::ALL
            .into_iter()
            .zip(&self.0)
            .filter_map(|(l, s)| Some((l, s.as_deref()?)))
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
        self.iter().map(|(_, s)| s).collect::<Vec<_>>().join(" ")
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
    fn text_reads_and_writes_as_a_map_in_language_order() {
        let t: Text = serde_json::from_str(r#"{"ru":"Поиск","en":"Search"}"#).expect("a map");
        assert_eq!(t.get(Lang::En), Some("Search"));
        assert_eq!(t.get(Lang::Az), None);
        assert_eq!(
            serde_json::to_string(&t).expect("json"),
            r#"{"en":"Search","ru":"Поиск"}"#
        );
        assert!(serde_json::from_str::<Text>(r#"{"de":"Suche"}"#).is_err());
        // Ordered as the sequence of its (language, text) pairs.
        let az = Text::new().with(Lang::Az, "z");
        let en = Text::new().with(Lang::En, "a");
        assert!(az < en);
        assert!(Text::new() < az);
        assert_eq!(az.joined(), "z");
    }

    #[test]
    fn empty_text_is_no_translation() {
        let t = Text::new().with(Lang::Az, "  ");
        assert!(t.is_empty());
    }
}
