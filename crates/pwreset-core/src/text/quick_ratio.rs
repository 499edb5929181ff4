//! `difflib.SequenceMatcher(a=a, b=b).quick_ratio()`, character for character.

use std::collections::HashMap;

/// An upper bound on the similarity ratio of `a` and `b`: twice the size of the multiset
/// intersection of their characters over their total length (`1.0` when both are empty).
///
/// The arithmetic is CPython's (`2.0 * matches / length` in binary64), so comparisons with a
/// threshold give the same answer as Django.
pub(crate) fn quick_ratio(a: &str, b: &str) -> f64 {
    let mut available: HashMap<char, usize> = HashMap::new();
    let mut b_len = 0usize;
    for c in b.chars() {
        *available.entry(c).or_default() += 1;
        b_len += 1;
    }
    let mut matches = 0usize;
    let mut a_len = 0usize;
    for c in a.chars() {
        a_len += 1;
        if let Some(left) = available.get_mut(&c).filter(|left| **left > 0) {
            *left -= 1;
            matches += 1;
        }
    }
    let length = a_len + b_len;
    if length == 0 {
        1.0
    } else {
        2.0 * matches as f64 / length as f64
    }
}

#[cfg(test)]
mod tests {
    use super::quick_ratio;

    #[test]
    fn matches_cpython_on_known_values() {
        // Values printed by CPython 3.11's difflib.
        assert_eq!(quick_ratio("A", "A"), 1.0);
        assert_eq!(quick_ratio("A", &"A".repeat(10)), 0.181_818_181_818_181_82);
        assert_eq!(quick_ratio("abcd", "bcde"), 0.75);
        assert_eq!(quick_ratio("", ""), 1.0);
        assert_eq!(quick_ratio("abc", ""), 0.0);
        assert_eq!(quick_ratio("aab", "abb"), 2.0 * 2.0 / 6.0);
    }
}
