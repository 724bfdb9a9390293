//! Stable public codes (`SRV-0001`, `LAND-CADASTRE`): the identity users and URLs see.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A validated public code: `A-Z`, `0-9`, `.`, `_`, `-`, starting with a letter or digit,
/// at most 64 characters. Codes are never reused, so they are safe in permanent links.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Code(String);

pub const MAX_CODE_LEN: usize = 64;

impl Code {
    pub fn parse(s: &str) -> Result<Code, String> {
        if s.is_empty() {
            return Err("is empty".into());
        }
        if s.len() > MAX_CODE_LEN {
            return Err(format!("is longer than {MAX_CODE_LEN} characters"));
        }
        let mut chars = s.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let rest_ok = s
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if !first_ok || !rest_ok {
            return Err(format!(
                "{s:?} is not a code (capital letters A-Z, digits, '.', '_', '-'; starting with a letter or digit)"
            ));
        }
        Ok(Code(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Code::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for Code {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Code::parse(s)
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_codes_the_registry_uses() {
        for ok in ["SRV-0001", "LAND-CADASTRE", "CH-0013-PORTAL", "A", "9.1_X"] {
            assert_eq!(Code::parse(ok).map(|c| c.to_string()), Ok(ok.to_string()));
        }
    }

    #[test]
    fn refuses_what_would_break_links_or_lists() {
        for bad in ["", "srv-1", "-X", "A B", "A;B", "Ş", &"X".repeat(65)] {
            assert!(Code::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
