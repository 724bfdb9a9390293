//! Folding text for search, so that `seher` finds `şəhər` and `ismayilli` finds `İsmayıllı`.
//!
//! Neither SQLite FTS5 nor PostgreSQL folds Azerbaijani on its own (ə and ı survive both), so
//! the same fold is applied in Rust to what is indexed and to what is searched, on both backends.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercases, maps ə→e and ı/İ/I→i, strips diacritics (ş→s, ğ→g, ç→c, ö→o, ü→u, й→и) and
/// collapses runs of whitespace. Cyrillic letters stay Cyrillic (ё folds to е).
pub fn fold_az(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let mapped = match c {
            'ə' | 'Ə' => 'e'.to_lowercase(),
            'ı' | 'I' => 'i'.to_lowercase(),
            other => other.to_lowercase(),
        };
        for m in mapped {
            if m.is_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(m);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold_az;

    #[test]
    fn folds_azerbaijani_letters() {
        assert_eq!(fold_az("şəhər"), "seher");
        assert_eq!(fold_az("İsmayıllı"), "ismayilli");
        assert_eq!(fold_az("ƏHALİ"), "ehali");
        assert_eq!(fold_az("Ağdaş Göyçay Üçüncü"), "agdas goycay ucuncu");
        assert_eq!(fold_az("  İş   axtarışı "), "is axtarisi");
    }

    #[test]
    fn keeps_cyrillic_readable() {
        assert_eq!(fold_az("Поиск Работы"), "поиск работы");
        assert_eq!(fold_az("Ёлка"), "елка");
    }

    #[test]
    fn is_idempotent_and_leaves_plain_ascii_lowercase() {
        for s in [
            "Şəki",
            "Naxçıvan",
            "Birth of a child",
            "Рождение ребёнка",
            "İİıı",
        ] {
            let once = fold_az(s);
            assert_eq!(fold_az(&once), once);
        }
        assert_eq!(fold_az("abc 123"), "abc 123");
    }
}

#[cfg(test)]
mod properties {
    use super::fold_az;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn folding_twice_changes_nothing(s in "\\PC{0,40}") {
            let once = fold_az(&s);
            prop_assert_eq!(fold_az(&once), once);
        }

        #[test]
        fn folded_azerbaijani_has_no_special_letters(s in "[a-zA-ZəƏıİşŞğĞçÇöÖüÜ ]{0,40}") {
            let f = fold_az(&s);
            prop_assert!(f.chars().all(|c| c.is_ascii_lowercase() || c == ' '), "{:?} -> {:?}", s, f);
        }

        #[test]
        fn plain_ascii_words_only_lose_case(s in "[a-zA-Z0-9]{1,12}( [a-zA-Z0-9]{1,12}){0,4}") {
            prop_assert_eq!(fold_az(&s), s.to_lowercase());
        }
    }
}
