//! What the templates show: plain view values built from the registry, and the template
//! structs. Registry text arrives here already picked for the page's language.

use crate::i18n::Tr;
use askama::Template;
use egovwatch_domain::{Lang, Text};

/// Registry text picked for a page, marked when it is in another language than the page.
#[derive(Debug, Clone)]
pub struct Txt {
    pub text: String,
    pub lang: Lang,
    pub fallback: bool,
}

impl Txt {
    /// Picks the page's language, else the first of the configured fallback order.
    pub fn pick(t: &Text, tr: &Tr) -> Option<Txt> {
        let want = tr.lang;
        t.pick(want, &tr.fallback).map(|s| Txt {
            text: s.text.to_string(),
            lang: s.lang,
            fallback: s.fallback,
        })
    }

    /// Picks a name, falling back to the code when a record has no text at all.
    pub fn name(t: &Text, tr: &Tr, code: &str) -> Txt {
        Txt::pick(t, tr).unwrap_or(Txt {
            text: code.to_string(),
            lang: tr.lang,
            fallback: false,
        })
    }

    /// The name of a referenced record, or its code when the record is not there.
    pub fn of(name: Option<&Text>, tr: &Tr, code: &str) -> Txt {
        Txt::name(name.unwrap_or(&Text::new()), tr, code)
    }

    /// The text as HTML: escaped, and tagged with its language when it is a fallback, so
    /// screen readers pronounce it right and readers see it is untranslated.
    pub fn html(&self, tr: &Tr) -> String {
        if self.fallback {
            let note = tr.with("fallback-marker", &[("lang", self.lang.endonym())]);
            format!(
                "<span lang=\"{}\" class=\"fallback\" title=\"{}\">{}</span>",
                self.lang,
                escape(&note),
                escape(&self.text)
            )
        } else {
            escape(&self.text)
        }
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link to the same page in another language.
#[derive(Debug, Clone)]
pub struct LangLink {
    pub tag: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What the layout needs: language, title, and the language switch.
#[derive(Debug, Clone)]
pub struct Page {
    pub lang: &'static str,
    pub title: String,
    pub langs: Vec<LangLink>,
}

impl Page {
    /// `rest` is the path after the language prefix, starting with `/`.
    pub fn new(tr: Tr, rest: &str, title: String) -> Page {
        Page {
            lang: tr.lang.tag(),
            title,
            langs: Lang::ALL
                .iter()
                .map(|l| LangLink {
                    tag: l.tag(),
                    name: l.endonym(),
                    href: format!("/{}{}", l.tag(), rest),
                    current: *l == tr.lang,
                })
                .collect(),
        }
    }

    pub fn home(&self) -> String {
        format!("/{}/", self.lang)
    }
}

#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: Txt,
}

#[derive(Debug, Clone)]
pub struct ServiceLine {
    pub code: String,
    pub href: String,
    pub name: Txt,
    pub organisation: Option<Link>,
    pub status: String,
    /// `online`, `info` or `none`: how the service can be reached, from its channels.
    pub reach: &'static str,
    pub reach_word: String,
}

#[derive(Debug, Clone)]
pub struct LifeEventView {
    pub code: String,
    pub order: i32,
    pub name: Txt,
    pub description: Option<Txt>,
    pub services_count: String,
    pub services: Vec<ServiceLine>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub page: Page,
    pub tr: Tr,
    pub events: Vec<LifeEventView>,
}

#[derive(Debug, Clone)]
pub struct ChannelView {
    pub code: String,
    pub kind: String,
    pub url: Option<String>,
    pub offers: Vec<String>,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct SupplierView {
    pub dataset: Txt,
    pub system: Option<Txt>,
    pub digitisation: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EvidenceView {
    pub code: String,
    pub name: Txt,
    pub suppliers: Vec<SupplierView>,
}

#[derive(Debug, Clone)]
pub struct RevisionView {
    pub version: i32,
    pub when: String,
    pub action: String,
    pub author: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "service.html")]
pub struct ServicePage {
    pub page: Page,
    pub tr: Tr,
    pub code: String,
    pub name: Txt,
    pub description: Option<Txt>,
    pub status: String,
    pub provenance: String,
    pub organisations: Vec<Link>,
    pub life_events: Vec<Link>,
    pub channels: Vec<ChannelView>,
    pub evidence: Vec<EvidenceView>,
    pub outputs: Vec<Txt>,
    pub history: Vec<RevisionView>,
}

#[derive(Debug, Clone)]
pub struct SystemView {
    pub code: String,
    pub name: Txt,
    pub base_registry: bool,
    pub digitisation: String,
}

#[derive(Template)]
#[template(path = "organisation.html")]
pub struct OrganisationPage {
    pub page: Page,
    pub tr: Tr,
    pub code: String,
    pub name: Txt,
    pub org_type: String,
    pub provenance: String,
    pub parent: Option<Link>,
    pub children: Vec<Link>,
    pub services: Vec<ServiceLine>,
    pub systems: Vec<SystemView>,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub page: Page,
    pub tr: Tr,
    pub body: String,
}
