//! The 20,000 most common passwords: the exact list Django 5.2 ships (BSD-3-Clause, see
//! `data/common-passwords-20k.LICENSE`), embedded sorted and front-coded by `build.rs`, expanded on
//! first use.

use std::sync::OnceLock;

static FRONT_CODED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/common-passwords.fc"));

fn sorted() -> &'static [String] {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| expand(FRONT_CODED))
}

/// Undoes the front coding: `shared-prefix length, rest of the bytes, \n` per entry.
fn expand(mut blob: &[u8]) -> Vec<String> {
    let mut list: Vec<String> = Vec::with_capacity(20_000);
    let mut previous: Vec<u8> = Vec::new();
    while let Some((&shared, rest)) = blob.split_first() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .expect("entries end in a newline");
        previous.truncate(usize::from(shared));
        previous.extend_from_slice(&rest[..end]);
        list.push(String::from_utf8(previous.clone()).expect("the list is UTF-8"));
        blob = &rest[end + 1..];
    }
    list
}

/// The whole list, sorted (for tests and tools that check every common password).
pub fn all() -> &'static [String] {
    sorted()
}

/// `true` when `normalized` (already lower-cased and stripped) is on the list.
pub(crate) fn contains(normalized: &str) -> bool {
    sorted()
        .binary_search_by(|entry| entry.as_str().cmp(normalized))
        .is_ok()
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
