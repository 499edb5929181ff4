//! `difflib.SequenceMatcher(a=a, b=b).quick_ratio()`, character for character.

/// An upper bound on the similarity ratio of `a` and `b`: twice the size of the multiset
/// intersection of their characters over their total length (`1.0` when both are empty).
///
/// The arithmetic is CPython's (`2.0 * matches / length` in binary64), so comparisons with a
/// threshold give the same answer as Django.
///
/// The multiset is a small vector: inputs are bounded by the policy's `max_length`, and a hash map
/// would bring hashing code into the browser's module for nothing.
pub(crate) fn quick_ratio(a: &str, b: &str) -> f64 {
    let mut available: Vec<(char, usize)> = Vec::new();
    let mut b_len = 0usize;
    for c in b.chars() {
        match available.iter_mut().find(|(known, _)| *known == c) {
            Some((_, count)) => *count += 1,
            None => available.push((c, 1)),
        }
        b_len += 1;
    }
    let mut matches = 0usize;
    let mut a_len = 0usize;
    for c in a.chars() {
        a_len += 1;
        if let Some((_, left)) = available
            .iter_mut()
            .find(|(known, left)| *known == c && *left > 0)
        {
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
