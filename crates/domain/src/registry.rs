//! The registry's entities: organisations, life events, services and their channels, evidence
//! types, outputs, information systems, datasets and exchange links.

use crate::{Code, Provenance, Records, Text};
use serde::{Deserialize, Serialize};

/// A closed set of words stored as snake_case strings (in JSON, CSV and the database alike).
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($word => Ok($name::$variant),)+
                    other => Err(format!(
                        "{other:?} is not one of: {}",
                        [$($word),+].join(", ")
                    )),
                }
            }
        }
    };
}
pub(crate) use word_enum;

word_enum!(
    /// Whether a record is in use. Nothing is deleted: a record leaves use by being withdrawn.
    Status { Active = "active", Withdrawn = "withdrawn" }
);

word_enum!(OrganisationType {
    Ministry = "ministry",
    StateAgency = "state_agency",
    StateCommittee = "state_committee",
    Department = "department",
    StateService = "state_service",
    Fund = "fund",
    CivilSociety = "civil_society",
    International = "international",
    Other = "other",
});

word_enum!(
    /// The nearest EU life event (CPSV-AP 3.2.0 life-event table) or, for the events of a
    /// business, the top concept of the EU business-event table (`STBU` starting, `RUBU`
    /// running, `CLBU` closing a business).
    EuLifeEvent {
        Bir = "BIR", Bsc = "BSC", Stu = "STU", Wor = "WOR", Res = "RES", Crs = "CRS", Drv = "DRV",
        Mov = "MOV", Gms = "GMS", Fehp = "FEHP", Fcr = "FCR", Ret = "RET", Dre = "DRE",
        Stbu = "STBU", Rubu = "RUBU", Clbu = "CLBU",
    }
);

word_enum!(ServiceStatus {
    Draft = "draft",
    Active = "active",
    Suspended = "suspended",
    Withdrawn = "withdrawn",
});

word_enum!(Audience { Citizen = "citizen", Business = "business", PublicBody = "public_body" });

word_enum!(ChannelType {
    OnlinePortal = "online_portal",
    WebPage = "web_page",
    MobileApp = "mobile_app",
    Office = "office",
    Phone = "phone",
    Post = "post",
});

word_enum!(
    /// The seven output types of CPSV-AP 3.2.0.
    OutputType {
        Declaration = "declaration",
        PhysicalObject = "physical_object",
        Code = "code",
        FinancialObligation = "financial_obligation",
        FinancialBenefit = "financial_benefit",
        Recognition = "recognition",
        Permit = "permit",
    }
);

word_enum!(Lifecycle {
    Planned = "planned",
    InDevelopment = "in_development",
    InUse = "in_use",
    Withdrawn = "withdrawn",
});

word_enum!(
    /// How far the holdings of an information system exist as data rather than paper.
    DigitisationState {
        BornDigital = "born_digital",
        MostlyDigital = "mostly_digital",
        PartiallyDigitised = "partially_digitised",
        PaperOnly = "paper_only",
    }
);

impl DigitisationState {
    /// Whether services can rely on the data being there as data.
    pub fn is_digital(self) -> bool {
        matches!(
            self,
            DigitisationState::BornDigital | DigitisationState::MostlyDigital
        )
    }
}

word_enum!(LinkStatus {
    Planned = "planned",
    InTest = "in_test",
    InUse = "in_use",
    Withdrawn = "withdrawn",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub code: Code,
    pub name: Text,
    #[serde(rename = "type")]
    pub org_type: OrganisationType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Code>,
    pub status: Status,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifeEvent {
    pub code: Code,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    pub journey_order: i32,
    pub eu_code: EuLifeEvent,
    pub status: Status,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceType {
    pub code: Code,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    pub status: Status,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    pub code: Code,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    #[serde(rename = "type")]
    pub output_type: OutputType,
    /// The evidence type this output can serve as for another service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_type: Option<Code>,
    pub status: Status,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Digitisation {
    pub state: DigitisationState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_pct: Option<i32>,
    /// A date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InformationSystem {
    pub code: Code,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    pub owner: Code,
    pub base_registry: bool,
    pub lifecycle: Lifecycle,
    pub digitisation: Digitisation,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    pub code: Code,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    pub system: Code,
    /// Evidence types this dataset can supply.
    #[serde(default)]
    pub supplies: Vec<Code>,
    pub status: Status,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub code: Code,
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub e_id: bool,
    pub e_signature: bool,
    pub e_payment: bool,
    pub electronic_output: bool,
    pub status: Status,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub code: Code,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    pub status: ServiceStatus,
    #[serde(default)]
    pub audience: Vec<Audience>,
    /// Competent organisations; the first leads.
    pub organisations: Vec<Code>,
    #[serde(default)]
    pub life_events: Vec<Code>,
    /// Evidence types the service requires.
    #[serde(default)]
    pub evidence: Vec<Code>,
    #[serde(default)]
    pub outputs: Vec<Code>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeLink {
    pub code: Code,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_dataset: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_system: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_system: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_service: Option<Code>,
    pub status: LinkStatus,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub purpose: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    pub provenance: Provenance,
}

/// The kinds of record the registry keeps, as named in revisions, URLs and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    Organisation,
    LifeEvent,
    EvidenceType,
    Output,
    InformationSystem,
    Dataset,
    Service,
    Channel,
    ExchangeLink,
}

impl EntityKind {
    pub const ALL: [EntityKind; 9] = [
        EntityKind::Organisation,
        EntityKind::LifeEvent,
        EntityKind::EvidenceType,
        EntityKind::Output,
        EntityKind::InformationSystem,
        EntityKind::Dataset,
        EntityKind::Service,
        EntityKind::Channel,
        EntityKind::ExchangeLink,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Organisation => "organisation",
            EntityKind::LifeEvent => "life_event",
            EntityKind::EvidenceType => "evidence_type",
            EntityKind::Output => "output",
            EntityKind::InformationSystem => "information_system",
            EntityKind::Dataset => "dataset",
            EntityKind::Service => "service",
            EntityKind::Channel => "channel",
            EntityKind::ExchangeLink => "exchange_link",
        }
    }

    /// The plural used for collections in JSON and for CSV file names.
    pub fn plural(self) -> &'static str {
        match self {
            EntityKind::Organisation => "organisations",
            EntityKind::LifeEvent => "life_events",
            EntityKind::EvidenceType => "evidence_types",
            EntityKind::Output => "outputs",
            EntityKind::InformationSystem => "information_systems",
            EntityKind::Dataset => "datasets",
            EntityKind::Service => "services",
            EntityKind::Channel => "channels",
            EntityKind::ExchangeLink => "exchange_links",
        }
    }
}

impl std::str::FromStr for EntityKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.replace('-', "_");
        EntityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.plural() == s)
            .ok_or_else(|| {
                format!(
                    "unknown kind {s:?} (one of: {})",
                    EntityKind::ALL.map(|k| k.as_str()).join(", ")
                )
            })
    }
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Life events in the order of a person's life, then by code: the canonical order of a
/// registry's life events ([`Registry::sort`]).
fn journey_order(a: &LifeEvent, b: &LifeEvent) -> std::cmp::Ordering {
    (a.journey_order, &a.code).cmp(&(b.journey_order, &b.code))
}

/// The whole registry, or a part of it being imported. Collections hold records in any order;
/// [`Registry::sort`] gives the canonical order used by exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    pub organisations: Records<Organisation>,
    pub life_events: Records<LifeEvent>,
    pub evidence_types: Records<EvidenceType>,
    pub outputs: Records<Output>,
    pub information_systems: Records<InformationSystem>,
    pub datasets: Records<Dataset>,
    pub services: Records<Service>,
    pub exchange_links: Records<ExchangeLink>,
}

impl Registry {
    /// Canonical order: by code; life events by their place on the journey, then code;
    /// channels within a service by code.
    pub fn sort(&mut self) {
        self.organisations.sort_by(|a, b| a.code.cmp(&b.code));
        self.life_events.sort_by(journey_order);
        self.evidence_types.sort_by(|a, b| a.code.cmp(&b.code));
        self.outputs.sort_by(|a, b| a.code.cmp(&b.code));
        self.information_systems.sort_by(|a, b| a.code.cmp(&b.code));
        self.datasets.sort_by(|a, b| a.code.cmp(&b.code));
        self.services.sort_by(|a, b| a.code.cmp(&b.code));
        // Only a service whose channels are out of order is changed (and so copied, when
        // shared with another registry).
        for i in 0..self.services.len() {
            if !self.services[i]
                .channels
                .is_sorted_by(|a, b| a.code <= b.code)
                && let Some(s) = self.services.get_mut(i)
            {
                s.channels.sort_by(|a, b| a.code.cmp(&b.code));
            }
        }
        self.exchange_links.sort_by(|a, b| a.code.cmp(&b.code));
    }

    /// Whether the records are where [`Registry::sort`] puts them, as far as a record put in
    /// place of one with its code can move them: life events, in journey order, are the only
    /// records not ordered by code alone.
    pub fn in_journey_order(&self) -> bool {
        self.life_events
            .is_sorted_by(|a, b| journey_order(a, b) != std::cmp::Ordering::Greater)
    }

    /// Moves every record of `other` into this registry (after its own; [`Registry::sort`]
    /// puts them in canonical order).
    pub fn append(&mut self, mut other: Registry) {
        self.organisations.append(&mut other.organisations);
        self.life_events.append(&mut other.life_events);
        self.evidence_types.append(&mut other.evidence_types);
        self.outputs.append(&mut other.outputs);
        self.information_systems
            .append(&mut other.information_systems);
        self.datasets.append(&mut other.datasets);
        self.services.append(&mut other.services);
        self.exchange_links.append(&mut other.exchange_links);
    }

    pub fn is_empty(&self) -> bool {
        self.organisations.is_empty()
            && self.life_events.is_empty()
            && self.evidence_types.is_empty()
            && self.outputs.is_empty()
            && self.information_systems.is_empty()
            && self.datasets.is_empty()
            && self.services.is_empty()
            && self.exchange_links.is_empty()
    }

    /// The positions of the services named `codes`, in registry order, each once; unknown codes
    /// are left out. A registry in canonical order ([`Registry::sort`], as the store reads it)
    /// is searched by code, so a few codes in a large registry cost little; any other is
    /// scanned once.
    pub fn services_named<'a>(&self, codes: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        let mut out: Vec<usize> = if self.services.is_sorted_by(|a, b| a.code <= b.code) {
            codes
                .into_iter()
                .filter_map(|c| {
                    self.services
                        .binary_search_by(|s| s.code.as_str().cmp(c))
                        .ok()
                })
                .collect()
        } else {
            let wanted: std::collections::HashSet<&str> = codes.into_iter().collect();
            (0..self.services.len())
                .filter(|&i| wanted.contains(self.services[i].code.as_str()))
                .collect()
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code.as_str() == code)
    }

    pub fn organisation(&self, code: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.code.as_str() == code)
    }

    pub fn life_event(&self, code: &str) -> Option<&LifeEvent> {
        self.life_events.iter().find(|e| e.code.as_str() == code)
    }

    pub fn evidence_type(&self, code: &str) -> Option<&EvidenceType> {
        self.evidence_types.iter().find(|e| e.code.as_str() == code)
    }

    pub fn output(&self, code: &str) -> Option<&Output> {
        self.outputs.iter().find(|e| e.code.as_str() == code)
    }

    pub fn information_system(&self, code: &str) -> Option<&InformationSystem> {
        self.information_systems
            .iter()
            .find(|e| e.code.as_str() == code)
    }

    pub fn dataset(&self, code: &str) -> Option<&Dataset> {
        self.datasets.iter().find(|e| e.code.as_str() == code)
    }
}
