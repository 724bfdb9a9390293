//! A round's findings ([`egovwatch_domain::monitoring::Findings`]) in sentences: one wording
//! for the web's home page and round dashboard and the report's executive summary.

use egovwatch_domain::monitoring::Findings;
use egovwatch_i18n::Tr;

/// At most this many names in one sentence; the rest are counted ("and 12 more").
pub const NAMES_SHOWN: usize = 8;

/// What to build first, as the gap analysis ranks it: its title and how many services it
/// would let move forward.
#[derive(Debug, Clone, Copy)]
pub struct FirstBuild<'a> {
    pub title: &'a str,
    /// How many services need it.
    pub unlocks: usize,
    /// How many of them it would let go further on its own.
    pub moves: usize,
}

/// What the round's gap analysis adds to its findings: what to build first, if anything, and
/// how many services the base registries not digitised keep from being fully online
/// (`egovwatch_domain::gaps::held_back_by`).
#[derive(Debug, Clone, Copy)]
pub struct FromGaps<'a> {
    pub first: Option<FirstBuild<'a>>,
    pub held_back: usize,
}

/// The sentences of `f`: how many services go no further than information, which are fully
/// online, what moved since `against` (the round compared with), which base registries are not
/// digitised and, when the round's gap analysis is `gaps`, how many services they hold back and
/// what to build first. `name` gives a record's name by its code.
pub fn sentences(
    tr: &Tr,
    f: &Findings,
    name: &dyn Fn(&str) -> String,
    against: Option<&str>,
    gaps: Option<FromGaps>,
) -> Vec<String> {
    let names = |codes: &[String]| names(tr, codes, name);
    let stuck = f.undeveloped.len() + f.information_only.len();
    let mut out = vec![tr.with(
        "findings-stuck",
        &[
            ("stuck", &tr.integer(stuck)),
            ("total", &tr.integer(f.assessed)),
            ("none", &tr.integer(f.undeveloped.len())),
            ("info", &tr.integer(f.information_only.len())),
        ],
    )];
    out.push(match f.fully_online.len() {
        0 => tr.t("findings-none-online"),
        n => tr.counted("findings-online", n, &[("names", &names(&f.fully_online))]),
    });
    if let Some(round) = against {
        let mut moved = Vec::new();
        if !f.improved.is_empty() {
            moved.push(tr.counted(
                "findings-improved",
                f.improved.len(),
                &[("round", round), ("names", &names(&f.improved))],
            ));
        }
        if !f.regressed.is_empty() {
            moved.push(tr.counted(
                "findings-regressed",
                f.regressed.len(),
                &[("names", &names(&f.regressed))],
            ));
        }
        if moved.is_empty() {
            moved.push(tr.with("findings-no-change", &[("round", round)]));
        }
        out.push(moved.join(" "));
    }
    if !f.registries.is_empty() {
        let mut said = tr.counted(
            "findings-registries",
            f.registries.len(),
            &[("names", &names(&f.registries))],
        );
        // What that means for the services, only as far as the gap analysis shows it.
        if let Some(g) = gaps {
            said.push(' ');
            said.push_str(&match g.held_back {
                0 => tr.t("findings-registries-hold-none"),
                n => tr.counted("findings-registries-hold", n, &[]),
            });
        }
        out.push(said);
    }
    if let Some(b) = gaps.and_then(|g| g.first) {
        out.push(match b.moves {
            0 => tr.counted("findings-first-needed", b.unlocks, &[("title", b.title)]),
            n => tr.counted("findings-first", n, &[("title", b.title)]),
        });
    }
    out
}

/// Up to [`NAMES_SHOWN`] names, then how many more.
fn names(tr: &Tr, codes: &[String], name: &dyn Fn(&str) -> String) -> String {
    let mut list: Vec<String> = codes.iter().take(NAMES_SHOWN).map(|c| name(c)).collect();
    if codes.len() > NAMES_SHOWN {
        list.push(tr.counted("findings-more", codes.len() - NAMES_SHOWN, &[]));
    }
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use egovwatch_domain::Lang;

    fn codes(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("S{i}")).collect()
    }

    fn findings() -> Findings {
        Findings {
            assessed: 20,
            undeveloped: codes(4),
            information_only: codes(8),
            fully_online: codes(1),
            improved: codes(12),
            regressed: Vec::new(),
            registries: codes(2),
        }
    }

    #[test]
    fn counts_names_and_plurals_in_every_language() {
        let name = |c: &str| format!("name of {c}");
        let f = findings();
        let en = sentences(&Tr::new(Lang::En), &f, &name, Some("2014-H2"), None);
        assert_eq!(
            en[0],
            "12 of 20 services go no further than information: 4 not available online at all, 8 information only."
        );
        assert_eq!(en[1], "One service is fully online: name of S1.");
        assert!(
            en[2].starts_with("Since round 2014-H2, 12 services improved: name of S1,"),
            "{}",
            en[2]
        );
        assert!(en[2].ends_with("name of S8, and 4 more."), "{}", en[2]);
        assert_eq!(
            en[3], "2 base registries are not yet fully digitised: name of S1, name of S2.",
            "without the gap analysis, nothing is said of what they hold back"
        );
        let ru = sentences(&Tr::new(Lang::Ru), &f, &name, Some("2014-H2"), None);
        assert!(ru[0].starts_with("12 из 20 услуг"), "{}", ru[0]);
        let az = sentences(
            &Tr::new(Lang::Az),
            &f,
            &name,
            None,
            Some(FromGaps {
                first: Some(FirstBuild {
                    title: "X",
                    unlocks: 4,
                    moves: 3,
                }),
                held_back: 5,
            }),
        );
        assert_eq!(az.len(), 4, "no movement sentence without a round compared");
        assert!(
            az[2].ends_with(
                "5 xidmətə lazım olan məlumatlar yalnız orada saxlanılır və onlara başqa yolla \
                 çatmır: o vaxta qədər onlar tam elektron göstərilə bilməz."
            ),
            "{}",
            az[2]
        );
        assert!(az[3].contains("3 xidmətin"), "{}", az[3]);
    }

    #[test]
    fn base_registries_are_said_to_hold_back_only_what_the_gap_analysis_shows() {
        let f = findings();
        let said = |held_back| {
            let gaps = FromGaps {
                first: None,
                held_back,
            };
            sentences(&Tr::new(Lang::En), &f, &|c| c.into(), None, Some(gaps))
        };
        assert_eq!(
            said(0)[2],
            "2 base registries are not yet fully digitised: S1, S2. No service is held back on that \
             account: the data services need from there also reach them another way."
        );
        assert_eq!(
            said(1)[2],
            "2 base registries are not yet fully digitised: S1, S2. One service needs data held there \
             and not available another way: it cannot be fully online until then."
        );
        assert!(said(1_204)[2].ends_with(
            "1,204 services need data held there and not available another way: they cannot be \
             fully online until then."
        ));
        assert_eq!(
            said(3).len(),
            3,
            "nothing to build first, nothing said of it"
        );
    }

    #[test]
    fn no_movement_is_said_as_such() {
        let f = Findings {
            improved: Vec::new(),
            fully_online: Vec::new(),
            ..findings()
        };
        let en = sentences(&Tr::new(Lang::En), &f, &|c| c.into(), Some("R1"), None);
        assert_eq!(en[1], "No service is fully online yet.");
        assert_eq!(en[2], "Since round R1, no service improved or regressed.");
    }
}
