//! Python string semantics that Django's validators depend on.
//!
//! Parity with Django means counting, lower-casing, stripping and splitting exactly as CPython does.
//! Rust's standard library differs in small ways (`char::is_whitespace` lacks U+001C..U+001F,
//! `char::is_numeric` accepts fractions, regex `\w` accepts combining marks), so the character classes
//! come from tables generated from CPython itself (`scripts/gen_unicode_tables.py`).

mod quick_ratio;
mod tables;

pub(crate) use quick_ratio::quick_ratio;

/// Python's `len(s)`: the number of Unicode scalar values.
pub(crate) fn py_len(s: &str) -> usize {
    s.chars().count()
}

/// Python's `s.lower()`: full Unicode lower-casing, final sigma included (as Rust's `to_lowercase`).
pub(crate) fn py_lower(s: &str) -> String {
    s.to_lowercase()
}

/// Python's `s.strip()` with no argument: trims characters for which `str.isspace()` is true.
pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Python's `s.isdigit()`: non-empty and every character a Unicode digit (superscripts included).
pub(crate) fn py_isdigit(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_py_digit)
}

/// Python's `re.split(r"\W+", s)`: the runs of word characters, with an empty piece wherever
/// a separator run starts or ends the string.
pub(crate) fn split_on_non_word(s: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let mut in_separator = false;
    for (at, c) in s.char_indices() {
        match (is_py_word(c), in_separator) {
            (false, false) => {
                pieces.push(&s[piece_start..at]);
                in_separator = true;
            }
            (true, true) => {
                piece_start = at;
                in_separator = false;
            }
            _ => {}
        }
    }
    pieces.push(if in_separator { "" } else { &s[piece_start..] });
    pieces
}

/// A character for which Python's `str.isdigit()` is true.
pub(crate) fn is_py_digit(c: char) -> bool {
    in_table(tables::DIGIT, c)
}

/// A character for which Python's `str.isspace()` is true.
pub(crate) fn is_py_space(c: char) -> bool {
    in_table(tables::SPACE, c)
}

/// A character matched by `\w` in a Python `re` str pattern.
pub(crate) fn is_py_word(c: char) -> bool {
    in_table(tables::WORD, c)
}

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn len_counts_scalar_values_not_bytes() {
        assert_eq!(py_len("pässwörd"), 8);
        assert_eq!(py_len("🔒🔒"), 2);
    }

    #[test]
    fn isdigit_accepts_unicode_digits_and_superscripts_but_not_fractions() {
        assert!(py_isdigit("0123456789"));
        assert!(py_isdigit("٠١٢٣")); // Arabic-Indic
        assert!(py_isdigit("²³¹")); // superscripts: Numeric_Type=Digit
        assert!(!py_isdigit("½"));
        assert!(!py_isdigit("Ⅻ"));
        assert!(!py_isdigit(""));
        assert!(!py_isdigit("123a"));
    }

    #[test]
    fn strip_trims_python_whitespace_including_information_separators() {
        assert_eq!(py_strip("\u{1c}\u{a0} pass \u{3000}\u{1f}"), "pass");
        assert_eq!(py_strip("\u{200b}pass"), "\u{200b}pass"); // zero-width space is not space
    }

    #[test]
    fn lower_applies_final_sigma_and_special_casing() {
        assert_eq!(py_lower("ΟΔΟΣ"), "οδος");
        assert_eq!(py_lower("İ"), "i\u{307}");
    }

    #[test]
    fn split_matches_python_re_split_on_non_word_runs() {
        assert_eq!(
            split_on_non_word("jane.doe@example.com"),
            ["jane", "doe", "example", "com"]
        );
        assert_eq!(split_on_non_word("..a..b.."), ["", "a", "b", ""]);
        assert_eq!(split_on_non_word("..."), ["", ""]);
        assert_eq!(split_on_non_word("under_score"), ["under_score"]);
        assert_eq!(split_on_non_word(""), [""]);
        // Combining marks are not word characters in Python's re.
        assert_eq!(split_on_non_word("e\u{301}x"), ["e", "x"]);
    }
}
