//! The 20,000 most common passwords: the exact list Django 5.2 ships (BSD-3-Clause, see
//! `data/common-passwords-20k.LICENSE`), embedded sorted by `build.rs`.

use std::sync::OnceLock;

static LIST: &str = include_str!(concat!(env!("OUT_DIR"), "/common-passwords.txt"));

fn sorted() -> &'static [&'static str] {
    static INDEX: OnceLock<Vec<&'static str>> = OnceLock::new();
    INDEX.get_or_init(|| LIST.split('\n').collect())
}

/// `true` when `normalized` (already lower-cased and stripped) is on the list.
pub(crate) fn contains(normalized: &str) -> bool {
    sorted().binary_search(&normalized).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_every_entry_of_djangos_list() {
        assert_eq!(sorted().len(), 19_640);
        assert!(sorted().windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn finds_entries_and_only_entries() {
        assert!(contains("password"));
        assert!(contains("123456"));
        assert!(contains("пароль"));
        assert!(!contains("Password"));
        assert!(!contains("correct horse battery staple 9"));
        assert!(!contains(""));
    }
}
