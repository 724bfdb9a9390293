//! Rules every record must follow, on its own and against the rest of the registry.
//!
//! Errors name the field and say what is wrong in words an editor understands; the import layer
//! adds the file and line.

use crate::change::Record;
use crate::registry::*;
use crate::{Code, Records, Text};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A rule broken by one record of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: EntityKind,
    pub code: Code,
    pub error: FieldError,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.kind, self.code, self.error)
    }
}

/// Checks that need nothing but the record itself.
pub trait Validate {
    fn field_errors(&self) -> Vec<FieldError>;
}

/// Refuses control characters other than tab, line feed and carriage return: a NUL cannot be
/// stored by PostgreSQL, and none of them belongs in text people read. Both backends then accept
/// exactly the same input.
pub fn control_error(s: &str) -> Option<String> {
    let c = s
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))?;
    Some(format!(
        "contains the control character U+{:04X}, which text may not hold",
        u32::from(c)
    ))
}

fn text_errors(out: &mut Vec<FieldError>, field: &str, text: &Text, required: bool) {
    if required && text.is_empty() {
        out.push(FieldError::new(
            field,
            "is required in at least one language (az, en or ru)",
        ));
    }
    for (lang, s) in text.iter() {
        if s.trim().is_empty() {
            out.push(FieldError::new(format!("{field}.{lang}"), "is empty"));
        }
        if let Some(e) = control_error(s) {
            out.push(FieldError::new(format!("{field}.{lang}"), e));
        }
    }
}

fn unique_errors(out: &mut Vec<FieldError>, field: &str, codes: &[Code]) {
    let mut seen = BTreeSet::new();
    for c in codes {
        if !seen.insert(c) {
            out.push(FieldError::new(field, format!("lists {c} twice")));
        }
    }
}

/// Accepts an absolute `http` or `https` URL with a host and no spaces.
pub fn url_error(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        None => Some(format!("{url:?} is not an http(s) URL")),
        Some(r) if r.is_empty() || r.starts_with('/') => Some(format!("{url:?} has no host")),
        Some(_) if url.chars().any(char::is_whitespace) => Some(format!("{url:?} contains spaces")),
        Some(_) if url.chars().any(char::is_control) => {
            Some(format!("{url:?} contains control characters"))
        }
        Some(_) => None,
    }
}

/// Accepts a calendar date written `YYYY-MM-DD`.
pub fn date_error(s: &str) -> Option<String> {
    let bad = || Some(format!("{s:?} is not a date YYYY-MM-DD"));
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return bad();
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return bad();
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return bad();
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return bad(),
    };
    if d == 0 || d > days {
        return bad();
    }
    None
}

impl Validate for Organisation {
    fn field_errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        text_errors(&mut out, "name", &self.name, true);
        if self.parent.as_ref() == Some(&self.code) {
            out.push(FieldError::new(
                "parent",
                "an organisation cannot be its own parent",
            ));
        }
        out
    }
}

impl Validate for LifeEvent {
    fn field_errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        text_errors(&mut out, "name", &self.name, true);
        text_errors(&mut out, "description", &self.description, false);
        if self.journey_order < 1 {
            out.push(FieldError::new("journey_order", "must be 1 or more"));
        }
        out
    }
}

impl Validate for EvidenceType {
    fn field_errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        text_errors(&mut out, "name", &self.name, true);
        text_errors(&mut out, "description", &self.description, false);
        out
    }
}

impl Validate for Output {
    fn field_errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        text_errors(&mut out, "name", &self.name, true);
        text_errors(&mut out, "description", &self.description, false);
        out
    }
}

impl Validate for InformationSystem {
    fn field_errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        text_errors(&mut out, "name", &self.name, true);
        text_errors(&mut out, "description", &self.description, false);
        if let Some(p) = self.digitisation.share_pct
            && !(0..=100).contains(&p)
        {
            out.push(FieldError::new(
                "digitisation.share_pct",
                format!("{p} is not between 0 and 100"),
            ));
        }
        if let Some(e) = self.digitisation.as_of.as_deref().and_then(date_error) {
            out.push(FieldError::new("digitisation.as_of", e));
        }
        out
    }
}

impl Validate for Dataset {
    fn field_errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        text_errors(&mut out, "name", &self.name, true);
        text_errors(&mut out, "description", &self.description, false);
        unique_errors(&mut out, "supplies", &self.supplies);
        out
    }
}

impl Validate for Channel {
    fn field_errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if let Some(e) = self.url.as_deref().and_then(url_error) {
            out.push(FieldError::new("url", e));
        }
        out
    }
}

impl Validate for Service {
    fn field_errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        text_errors(&mut out, "name", &self.name, true);
        text_errors(&mut out, "description", &self.description, false);
        if self.organisations.is_empty() {
            out.push(FieldError::new(
                "organisations",
                "needs at least one competent organisation",
            ));
        }
        unique_errors(&mut out, "organisations", &self.organisations);
        unique_errors(&mut out, "life_events", &self.life_events);
        unique_errors(&mut out, "evidence", &self.evidence);
        unique_errors(&mut out, "outputs", &self.outputs);
        let mut seen = BTreeSet::new();
        for a in &self.audience {
            if !seen.insert(a) {
                out.push(FieldError::new("audience", format!("lists {a} twice")));
            }
        }
        for (i, ch) in self.channels.iter().enumerate() {
            for e in ch.field_errors() {
                out.push(FieldError::new(
                    format!("channels[{i}].{}", e.field),
                    e.message,
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for ch in &self.channels {
            if !seen.insert(&ch.code) {
                out.push(FieldError::new(
                    "channels",
                    format!("channel code {} appears twice", ch.code),
                ));
            }
        }
        out
    }
}

impl Validate for ExchangeLink {
    fn field_errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        text_errors(&mut out, "purpose", &self.purpose, false);
        if let Some(e) = self.legal_basis.as_deref().and_then(control_error) {
            out.push(FieldError::new("legal_basis", e));
        }
        match (&self.source_dataset, &self.source_system) {
            (Some(_), Some(_)) => out.push(FieldError::new(
                "source_system",
                "give either source_dataset or source_system, not both",
            )),
            (None, None) => out.push(FieldError::new(
                "source_dataset",
                "a link needs a source: source_dataset or source_system",
            )),
            _ => {}
        }
        match (&self.target_system, &self.target_service) {
            (Some(_), Some(_)) => out.push(FieldError::new(
                "target_service",
                "give either target_system or target_service, not both",
            )),
            (None, None) => out.push(FieldError::new(
                "target_system",
                "a link needs a target: target_system or target_service",
            )),
            _ => {}
        }
        out
    }
}

/// One reference from a record to another: `code` (of kind `from`) names `target` (of kind
/// `to`) in its field `field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference<'a> {
    pub from: EntityKind,
    pub code: &'a Code,
    pub field: &'static str,
    pub to: EntityKind,
    pub target: &'a Code,
}

impl Reference<'_> {
    /// The problem of a reference to a record that does not exist.
    pub fn unknown(&self) -> Problem {
        Problem {
            kind: self.from,
            code: self.code.clone(),
            error: FieldError::new(
                self.field,
                format!(
                    "unknown {} code {}",
                    self.to.as_str().replace('_', " "),
                    self.target
                ),
            ),
        }
    }
}

/// Calls `f` with every reference the records of `reg` make, record by record in the
/// registry's order.
pub fn each_reference<'a>(reg: &'a Registry, mut f: impl FnMut(Reference<'a>)) {
    use EntityKind as K;
    let mut to = |from, code, field, to, target: Option<&'a Code>| {
        if let Some(target) = target {
            f(Reference {
                from,
                code,
                field,
                to,
                target,
            });
        }
    };
    for o in &reg.organisations {
        to(
            K::Organisation,
            &o.code,
            "parent",
            K::Organisation,
            o.parent.as_ref(),
        );
    }
    for o in &reg.outputs {
        let t = o.evidence_type.as_ref();
        to(K::Output, &o.code, "evidence_type", K::EvidenceType, t);
    }
    for s in &reg.information_systems {
        let t = Some(&s.owner);
        to(K::InformationSystem, &s.code, "owner", K::Organisation, t);
    }
    for d in &reg.datasets {
        to(
            K::Dataset,
            &d.code,
            "system",
            K::InformationSystem,
            Some(&d.system),
        );
        for e in &d.supplies {
            to(K::Dataset, &d.code, "supplies", K::EvidenceType, Some(e));
        }
    }
    for s in &reg.services {
        let lists = [
            ("organisations", K::Organisation, &s.organisations),
            ("life_events", K::LifeEvent, &s.life_events),
            ("evidence", K::EvidenceType, &s.evidence),
            ("outputs", K::Output, &s.outputs),
        ];
        for (field, kind, codes) in lists {
            for c in codes {
                to(K::Service, &s.code, field, kind, Some(c));
            }
        }
    }
    for l in &reg.exchange_links {
        let links = [
            ("source_dataset", K::Dataset, l.source_dataset.as_ref()),
            (
                "source_system",
                K::InformationSystem,
                l.source_system.as_ref(),
            ),
            (
                "target_system",
                K::InformationSystem,
                l.target_system.as_ref(),
            ),
            ("target_service", K::Service, l.target_service.as_ref()),
        ];
        for (field, kind, target) in links {
            to(K::ExchangeLink, &l.code, field, kind, target);
        }
    }
}

/// Every record of `reg` by kind and code.
pub fn each_code(reg: &Registry) -> impl Iterator<Item = (EntityKind, &Code)> {
    fn of<R: Record>(list: &Records<R>) -> impl Iterator<Item = (EntityKind, &Code)> {
        list.iter().map(|r| (R::KIND, r.code()))
    }
    of(&reg.organisations)
        .chain(of(&reg.life_events))
        .chain(of(&reg.evidence_types))
        .chain(of(&reg.outputs))
        .chain(of(&reg.information_systems))
        .chain(of(&reg.datasets))
        .chain(of(&reg.services))
        .chain(of(&reg.exchange_links))
}

/// A set of codes hashed with foldhash: an import of a national registry looks up about a
/// million references.
pub type CodeSet<T> = HashSet<T, foldhash::fast::RandomState>;

/// Every record of `reg` by kind and code, to look references up in.
pub fn code_set(reg: &Registry) -> CodeSet<(EntityKind, &Code)> {
    each_code(reg).collect()
}

/// Checks every reference between records, and what spans several records (unique channel
/// codes, organisation hierarchy without cycles). Run on a whole registry; an import is checked
/// against only what it touches ([`crate::change::plan_import`]).
pub fn check_references(reg: &Registry) -> Vec<Problem> {
    let known = code_set(reg);
    let mut out = Vec::new();
    each_reference(reg, |r| {
        if !known.contains(&(r.to, r.target)) {
            out.push(r.unknown());
        }
    });
    out.extend(channel_conflicts(&reg.services, BTreeMap::new()));
    out.extend(hierarchy_cycles(
        reg.organisations
            .iter()
            .filter_map(|o| o.parent.as_ref().map(|p| (&o.code, p)))
            .collect(),
    ));
    out
}

/// A channel code names one channel across the whole registry: each of `services`' channels
/// against the services' before it and the owners in `owner` (a channel code's service).
pub fn channel_conflicts<'a>(
    services: &'a Records<Service>,
    mut owner: BTreeMap<&'a Code, &'a Code>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for s in services {
        for ch in &s.channels {
            if let Some(other) = owner.insert(&ch.code, &s.code)
                && other != &s.code
            {
                out.push(Problem {
                    kind: EntityKind::Service,
                    code: s.code.clone(),
                    error: FieldError::new(
                        "channels",
                        format!(
                            "channel code {} already belongs to service {other}",
                            ch.code
                        ),
                    ),
                });
            }
        }
    }
    out
}

/// The organisation hierarchy is a tree: walking up from any organisation ends. `parent` maps
/// each organisation that has one to its parent; every organisation in or under a cycle is a
/// problem, in code order.
pub fn hierarchy_cycles(parent: BTreeMap<&Code, &Code>) -> Vec<Problem> {
    let mut out = Vec::new();
    for &code in parent.keys() {
        let mut seen = BTreeSet::from([code]);
        let mut at = code;
        while let Some(p) = parent.get(at) {
            if !seen.insert(p) {
                out.push(Problem {
                    kind: EntityKind::Organisation,
                    code: code.clone(),
                    error: FieldError::new(
                        "parent",
                        format!("the hierarchy above {code} has a cycle"),
                    ),
                });
                break;
            }
            at = p;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lang, Provenance};

    fn code(s: &str) -> Code {
        Code::parse(s).expect("valid code")
    }

    fn org(c: &str, parent: Option<&str>) -> Organisation {
        Organisation {
            code: code(c),
            name: Text::new().with(Lang::En, c),
            org_type: OrganisationType::Ministry,
            parent: parent.map(code),
            status: Status::Active,
            provenance: Provenance::Manual,
        }
    }

    #[test]
    fn text_refuses_control_characters() {
        assert!(control_error("Əhali\u{0}reyestri").is_some());
        assert!(control_error("a\u{7}b").is_some());
        assert!(control_error("line\nbreak\tand tab\r").is_none());
        let mut o = org("ORG-A", None);
        o.name = Text::new().with(Lang::Az, "Nazirlik\u{0}");
        let errs = o.field_errors();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].field, "name.az");
        assert!(errs[0].message.contains("U+0000"), "{}", errs[0].message);
        assert!(url_error("https://e.gov.az/\u{0}").is_some());
    }

    #[test]
    fn urls_must_be_http_with_a_host() {
        assert_eq!(url_error("https://www.e-gov.az/"), None);
        assert_eq!(url_error("http://127.0.0.1:8080/x"), None);
        assert!(url_error("ftp://x").is_some());
        assert!(url_error("javascript:alert(1)").is_some());
        assert!(url_error("https://").is_some());
        assert!(url_error("https://a b").is_some());
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(date_error("2015-06-29"), None);
        assert_eq!(date_error("2016-02-29"), None);
        for bad in [
            "2015-02-29",
            "2015-13-01",
            "2015-6-29",
            "29.06.2015",
            "2015-06-00",
        ] {
            assert!(date_error(bad).is_some(), "{bad} accepted");
        }
    }

    #[test]
    fn finds_unknown_references_and_cycles() {
        let reg = Registry {
            organisations: vec![
                org("A", Some("B")),
                org("B", Some("A")),
                org("C", Some("NOPE")),
            ]
            .into(),
            ..Registry::default()
        };
        let problems: Vec<String> = check_references(&reg)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert!(
            problems
                .contains(&"organisation C: parent: unknown organisation code NOPE".to_string())
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("organisation A: parent: the hierarchy above A has a cycle"))
        );
    }

    #[test]
    fn a_link_has_one_source_and_one_target() {
        let link = ExchangeLink {
            code: code("XL-1"),
            source_dataset: Some(code("D")),
            source_system: Some(code("S")),
            target_system: None,
            target_service: None,
            status: LinkStatus::Planned,
            purpose: Text::new(),
            legal_basis: None,
            provenance: Provenance::Manual,
        };
        let fields: Vec<String> = link.field_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["source_system", "target_system"]);
    }
}
