//! Stable public codes (`SRV-0001`, `LAND-CADASTRE`): the identity users and URLs see.

use ecow::EcoString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A validated public code: `A-Z`, `0-9`, `.`, `_`, `-`, starting with a letter or digit,
/// at most 64 characters. Codes are never reused, so they are safe in permanent links.
///
/// Held inline up to 15 bytes (most codes), else shared: a registry repeats its codes in every
/// reference, hundreds of thousands of times at national scale.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(EcoString);

pub const MAX_CODE_LEN: usize = 64;

impl Code {
    pub fn parse(s: &str) -> Result<Code, String> {
        if s.is_empty() {
            return Err("is empty".into());
        }
        if s.len() > MAX_CODE_LEN {
            return Err(format!("is longer than {MAX_CODE_LEN} characters"));
        }
        // Every character allowed is ASCII, so the bytes say it: a byte of a character beyond
        // ASCII is none of them.
        let first_ok = s
            .as_bytes()
            .first()
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let rest_ok = s.bytes().all(|c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        });
        if !first_ok || !rest_ok {
            return Err(format!(
                "{s:?} is not a code (capital letters A-Z, digits, '.', '_', '-'; starting with a letter or digit)"
            ));
        }
        Ok(Code(s.into()))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Checks the code of a monitoring round (`2015-H1`, `C001-R02`): ASCII letters of either case,
/// digits, `.`, `_`, `-`, starting with a letter or digit, at most [`MAX_CODE_LEN`] characters.
/// Round codes appear in links and in the names of report files, so nothing else is allowed.
pub fn check_round_code(s: &str) -> Result<(), String> {
    let rules = "letters A-Z or a-z, digits, '.', '_', '-', starting with a letter or digit";
    if s.is_empty() {
        return Err("round code is empty".into());
    }
    if s.chars().count() > MAX_CODE_LEN {
        return Err(format!(
            "round code is longer than {MAX_CODE_LEN} characters ({} given)",
            s.chars().count()
        ));
    }
    let first_ok = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !first_ok || !rest_ok {
        return Err(format!("round code {s:?} is not valid ({rules})"));
    }
    Ok(())
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
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

/// Hashed, compared and ordered as its text, so maps keyed by codes are searched with `&str`.
impl std::borrow::Borrow<str> for Code {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
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
    fn round_codes_are_plain_words_fit_for_links_and_file_names() {
        for ok in ["2015-H1", "C001-R02", "r1", "2016_h2.v2", &"R".repeat(64)] {
            assert_eq!(check_round_code(ok), Ok(()), "{ok:?}");
        }
        for bad in [
            "",
            "/",
            "a/b",
            "..",
            ".hidden",
            "-x",
            "_x",
            "<b>x</b>",
            "a b",
            "ş",
            "a\\b",
            &"R".repeat(65),
            &"x".repeat(5000),
        ] {
            let e = check_round_code(bad).expect_err(bad);
            assert!(e.starts_with("round code"), "{e}");
            assert!(e.len() < 200, "the message does not echo a long code: {e}");
        }
    }

    #[test]
    fn refuses_what_would_break_links_or_lists() {
        for bad in [
            "",
            "srv-1",
            "-X",
            "A B",
            "A;B",
            "Ş",
            "AŞ",
            "A\u{130}",
            "A\u{ff0d}B",
            &"X".repeat(65),
        ] {
            assert!(Code::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
