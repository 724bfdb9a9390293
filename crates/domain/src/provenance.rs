//! Where a record comes from, so a reader can tell a fact of the seed from an illustration.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Provenance {
    /// A fact stated in the document the registry was built from.
    Seed,
    /// Added to make a data set whole; not a stated fact.
    Illustrative,
    /// Brought in from another source, named after the colon (held inline up to 15 bytes:
    /// every record carries its provenance).
    Imported(ecow::EcoString),
    /// Entered by hand by an editor.
    Manual,
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Seed => f.write_str("seed"),
            Provenance::Illustrative => f.write_str("illustrative"),
            Provenance::Imported(src) => write!(f, "imported:{src}"),
            Provenance::Manual => f.write_str("manual"),
        }
    }
}

impl FromStr for Provenance {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "seed" => Ok(Provenance::Seed),
            "illustrative" => Ok(Provenance::Illustrative),
            "manual" => Ok(Provenance::Manual),
            _ => match s.strip_prefix("imported:") {
                Some(src) if !src.trim().is_empty() => Ok(Provenance::Imported(src.into())),
                _ => Err(format!(
                    "{s:?} is not a provenance (seed, illustrative, imported:<source>, manual)"
                )),
            },
        }
    }
}

impl Serialize for Provenance {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Provenance {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for s in ["seed", "illustrative", "manual", "imported:riha-2024"] {
            let p: Provenance = s.parse().expect("valid");
            assert_eq!(p.to_string(), s);
        }
        assert!("imported:".parse::<Provenance>().is_err());
        assert!("guess".parse::<Provenance>().is_err());
    }
}
