//! Keeping database passwords out of error messages.
//!
//! A database URL may carry a password (`postgres://user:secret@host/db`, `?password=secret`).
//! Every error the store builds from a URL or from the driver's connection errors passes through
//! here: the password becomes `***`, wherever the driver quoted it.

/// What replaces a password.
pub const MASK: &str = "***";

/// Passwords shorter than this are only masked where they stand as a password (in a URL's
/// user info or after `password=`), not wherever the same letters appear in a message.
const MIN_FREE_TEXT: usize = 4;

/// `text` with every password in a URL's user info or after `password=` masked. For showing a
/// database URL (or a message that quotes one) to a user or a log.
pub fn redact_url(text: &str) -> String {
    mask_password_params(&mask_user_info(text))
}

/// The passwords one database URL holds, to mask them in any message about it.
#[derive(Debug, Clone, Default)]
pub struct Secrets(Vec<String>);

impl Secrets {
    pub fn of(url: &str) -> Secrets {
        let mut found = Vec::new();
        for (start, end) in user_info_passwords(url)
            .into_iter()
            .chain(password_params(url))
        {
            let raw = &url[start..end];
            let raw = raw.trim_matches('\'');
            found.push(raw.to_string());
            found.push(percent_decode(raw));
        }
        found.retain(|s| !s.is_empty());
        found.sort();
        found.dedup();
        // Longest first, so a password containing another is masked whole.
        found.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Secrets(found)
    }

    /// `message` with these passwords, and any password a URL in it carries, masked.
    pub fn apply(&self, message: &str) -> String {
        let mut out = redact_url(message);
        for s in &self.0 {
            if s.chars().count() >= MIN_FREE_TEXT || out.contains(&format!(":{s}@")) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out
    }
}

fn stops_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '`' | '<' | '>')
}

/// Byte ranges of the passwords in `scheme://user:password@` user infos of `text`.
fn user_info_passwords(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("://") {
        let start = from + i + 3;
        let end = text[start..]
            .find(stops_word)
            .map(|j| start + j)
            .unwrap_or(text.len());
        let word = &text[start..end];
        if let Some(at) = word.rfind('@')
            && let Some(colon) = word[..at].find(':')
        {
            out.push((start + colon + 1, start + at));
        }
        from = end.max(start);
    }
    out
}

/// Byte ranges of the values of `password=` (any case) in `text`, quotes included.
fn password_params(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let key = "password";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(key) {
        let mut j = from + i + key.len();
        let bytes = text.as_bytes();
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        if j >= bytes.len() || bytes[j] != b'=' {
            from = from + i + key.len();
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        let start = j;
        let end = if bytes.get(j) == Some(&b'\'') {
            // A quoted conninfo value: up to the closing quote not escaped by a backslash.
            let mut k = j + 1;
            while k < bytes.len() && bytes[k] != b'\'' {
                k += if bytes[k] == b'\\' { 2 } else { 1 };
            }
            (k + 1).min(bytes.len())
        } else {
            text[j..]
                .find(|c: char| stops_word(c) || matches!(c, '&' | '\'' | ','))
                .map(|k| j + k)
                .unwrap_or(text.len())
        };
        if end > start {
            out.push((start, end));
        }
        from = end.max(from + i + key.len());
    }
    out
}

fn mask_ranges(text: &str, mut ranges: Vec<(usize, usize)>) -> String {
    ranges.sort();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in ranges {
        if start < at {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(MASK);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn mask_user_info(text: &str) -> String {
    mask_ranges(text, user_info_passwords(text))
}

fn mask_password_params(text: &str) -> String {
    mask_ranges(text, password_params(text))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_the_password_of_a_url_and_keeps_the_rest() {
        assert_eq!(
            redact_url("postgres://u:secret@127.0.0.1:1/x"),
            "postgres://u:***@127.0.0.1:1/x"
        );
        assert_eq!(
            redact_url("postgres://u@127.0.0.1/x?password=secret&sslmode=disable"),
            "postgres://u@127.0.0.1/x?password=***&sslmode=disable"
        );
        assert_eq!(
            redact_url("opening database postgres://u@h/x: bad"),
            "opening database postgres://u@h/x: bad"
        );
        assert_eq!(redact_url("egovwatch.db"), "egovwatch.db");
    }

    #[test]
    fn masks_key_value_conninfo() {
        assert_eq!(
            redact_url("host=h password='se cr\\'et' user=u"),
            "host=h password=*** user=u"
        );
        assert_eq!(
            redact_url("PASSWORD = hunter22 port=1"),
            "PASSWORD = *** port=1"
        );
    }

    #[test]
    fn masks_a_password_wherever_the_driver_quotes_it() {
        let s = Secrets::of("postgres://u:p%41ssw0rd@h/x");
        assert_eq!(
            s.apply("invalid percent-encoded token: \"p%41ssw0rd\""),
            "invalid percent-encoded token: \"***\""
        );
        assert_eq!(
            s.apply("user u with pAssw0rd failed"),
            "user u with *** failed"
        );
        let short = Secrets::of("postgres://u:ab@h/x");
        assert_eq!(short.apply("tab stop"), "tab stop");
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "://",
            "a://@",
            "password=",
            "password",
            "x://u:@",
            "%",
            "p%4",
            "ü://ü:ü@ü",
        ] {
            let _ = redact_url(s);
            let _ = Secrets::of(s).apply(s);
        }
    }
}
