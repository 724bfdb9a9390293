//! Which language a request is answered in.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use egovwatch_domain::Lang;

pub const COOKIE_NAME: &str = "egovwatch_lang";

/// The remembered choice, else the browser's first supported language, else Azerbaijani.
pub fn negotiate(headers: &HeaderMap) -> Lang {
    if let Some(l) = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE_NAME)
        .and_then(|(_, v)| v.parse().ok())
    {
        return l;
    }
    let mut best: Option<(f32, Lang)> = None;
    for v in headers
        .get_all(ACCEPT_LANGUAGE)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for part in v.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            if let Ok(lang) = primary.parse::<Lang>()
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
    }
    best.map(|(_, l)| l).unwrap_or(Lang::Az)
}

/// A `Set-Cookie` value remembering the language for a year.
pub fn remember(lang: Lang) -> String {
    format!("{COOKIE_NAME}={lang}; Path=/; Max-Age=31536000; SameSite=Lax")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cookie_then_browser_then_azerbaijani() {
        assert_eq!(negotiate(&headers(&[])), Lang::Az);
        assert_eq!(
            negotiate(&headers(&[(
                "accept-language",
                "de-DE, ru;q=0.8, en;q=0.5"
            )])),
            Lang::Ru
        );
        assert_eq!(
            negotiate(&headers(&[("accept-language", "en-GB")])),
            Lang::En
        );
        assert_eq!(
            negotiate(&headers(&[
                ("accept-language", "ru"),
                ("cookie", "a=b; egovwatch_lang=en")
            ])),
            Lang::En
        );
    }
}
