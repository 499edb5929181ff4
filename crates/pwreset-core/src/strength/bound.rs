//! A bound on the cost of zxcvbn's estimate.
//!
//! zxcvbn looks up every substring of the password (its first 100 characters) in its dictionaries,
//! forwards, backwards, and once more for every way of reading its l33t characters (`@` as `a`,
//! `1` as `i` or `l`, ...). A password holding all twenty l33t characters has 800 such readings, so
//! the lookups alone grow with 800 × 100² and one estimate takes a good part of a second.
//!
//! [`plan`] counts that work in *cost units* before zxcvbn runs, from the password's length and the
//! number of readings zxcvbn will try (computed here exactly as zxcvbn enumerates them). When the
//! whole password fits in [`COST_BUDGET`], zxcvbn analyses all of it and the estimate is zxcvbn's
//! own.
//! Otherwise zxcvbn analyses the longest prefix that fits, cut where no pattern zxcvbn knows can
//! cross the cut whenever such a place exists ([`Analysis::CleanPrefix`]): the estimate of such a
//! prefix never exceeds the whole password's (the argument is in docs/policy.md). Without one the
//! cut still keeps repeats and sequences whole ([`Analysis::Prefix`]).

use std::cell::RefCell;
use std::rc::Rc;

/// zxcvbn analyses the first this many characters of a password.
const ZXCVBN_CHARS: usize = 100;

/// The most work one estimate may do, in cost units: about 9 times a typical 12-character password's
/// estimate (`Tr0ub4dour&3`: 1,296 units, 1,311 with a user's five inputs). In time the worst cases
/// found measure 13 to 20 typical checks, natively and in the npm package's wasm (docs/reliability.md,
/// "Strength worst case").
pub const COST_BUDGET: u64 = 12_000;

/// Cost units per squared character of the work that does not depend on the l33t readings: the
/// plain and reversed dictionary passes, the other matchers and the search for the best sequence.
/// Each l33t reading adds one unit per squared character (one more dictionary pass).
const BASE_UNITS: u64 = 8;

/// The planning itself (the repeat search below), charged before any prefix is chosen.
const PLANNING_UNITS: u64 = 300;

/// How an estimate analyses a password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Analysis {
    /// The whole password (its first 100 characters): zxcvbn's own estimate.
    Whole,
    /// A prefix cut where no dictionary word, user input, date, year, repeat or sequence that
    /// zxcvbn could use crosses the cut, and that reads its l33t characters as the whole password
    /// does: never more guesses than the whole password.
    CleanPrefix,
    /// A prefix cut without splitting a repeat or a sequence; a dictionary word or a date could
    /// cross the cut.
    Prefix,
}

/// What [`plan`] decided for one password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StrengthPlan {
    /// How the password is analysed.
    pub analysis: Analysis,
    /// How many characters zxcvbn analyses.
    pub analysed_chars: usize,
    /// The cost of that analysis, in cost units (at most [`COST_BUDGET`]).
    pub cost: u64,
    /// The cost of analysing the whole password (its first 100 characters).
    pub whole_cost: u64,
}

/// The characters of zxcvbn's dictionaries (the five word lists of zxcvbn 3.1.1, lower case): no
/// dictionary match can hold a character outside this set unless a user input or a l33t reading
/// brings it.
const DICTIONARY_CHARS: &str = "!$%'(*+-./0123456789;=?@[\\]_`abcdefghijklmnopqrstuvwxyz|";

/// zxcvbn's l33t table (3.1.1): each letter and the characters read as it.
const L33T_TABLE: [(char, &[char]); 12] = [
    ('a', &['4', '@']),
    ('b', &['8']),
    ('c', &['(', '{', '[', '<']),
    ('e', &['3']),
    ('g', &['6', '9']),
    ('i', &['1', '!', '|']),
    ('l', &['1', '|', '7']),
    ('o', &['0']),
    ('s', &['$', '5']),
    ('t', &['+', '7']),
    ('x', &['%']),
    ('z', &['2']),
];

/// The twenty l33t characters, one bit each in a [`L33tSet`].
const L33T_CHARS: [char; 20] = [
    '!', '$', '%', '(', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '<', '@', '[', '{',
    '|',
];

/// The letters whose l33t characters are shared with another letter (`1` and `|` read as `i` or
/// `l`, `7` as `l` or `t`): only their readings interact.
const SHARED_LETTERS: [char; 3] = ['i', 'l', 't'];

/// A set of l33t characters present in a password.
type L33tSet = u32;

fn l33t_bit(c: char) -> L33tSet {
    L33T_CHARS
        .iter()
        .position(|&l| l == c)
        .map_or(0, |index| 1 << index)
}

fn has(set: L33tSet, c: char) -> bool {
    set & l33t_bit(c) != 0
}

/// A list of l33t characters as a set.
fn letter_set(chars: &[char]) -> L33tSet {
    chars.iter().fold(0, |set, &c| set | l33t_bit(c))
}

/// How many l33t readings zxcvbn tries for a password holding the l33t characters `set`: the
/// length of the list its `enumerate_l33t_replacements` builds (0 when the set is empty: zxcvbn
/// then skips the l33t pass).
///
/// zxcvbn picks one character per letter, keeping or moving a character another letter already
/// took. Letters whose characters are their own multiply the count by how many of them are
/// present; the three letters that share characters are enumerated as zxcvbn does.
fn l33t_readings(set: L33tSet) -> u64 {
    if set == 0 {
        return 0;
    }
    let mut count = 1;
    let mut shared: Vec<(char, Vec<char>)> = Vec::new();
    for (letter, chars) in L33T_TABLE {
        let present: Vec<char> = chars.iter().copied().filter(|&c| has(set, c)).collect();
        if present.is_empty() {
            continue;
        }
        if SHARED_LETTERS.contains(&letter) {
            shared.push((letter, present));
        } else {
            count *= present.len() as u64;
        }
    }
    count * enumerate_readings(&shared) as u64
}

/// zxcvbn's enumeration of l33t readings for `table` (letter, present characters), counted.
fn enumerate_readings(table: &[(char, Vec<char>)]) -> usize {
    let mut readings: Vec<Vec<(char, char)>> = vec![Vec::new()];
    for (letter, chars) in table {
        let mut next = Vec::new();
        for &c in chars {
            for reading in &readings {
                if let Some(index) = reading.iter().position(|&(taken, _)| taken == c) {
                    let mut moved = reading.clone();
                    moved.remove(index);
                    moved.push((c, *letter));
                    next.push(reading.clone());
                    next.push(moved);
                } else {
                    let mut extended = reading.clone();
                    extended.push((c, *letter));
                    next.push(extended);
                }
            }
        }
        readings = next;
    }
    readings.len()
}

/// The cost of zxcvbn analysing `chars` characters holding l33t characters with `readings`
/// readings, with user inputs costing `input_units` per dictionary pass.
fn analysis_cost(chars: usize, readings: u64, input_units: u64) -> u64 {
    let n = chars as u64;
    n * n * (BASE_UNITS + readings) + (2 + readings) * input_units
}

/// The user inputs an analysis of `analysed` (already truncated) gives zxcvbn: the same list in
/// the same order (zxcvbn ranks an input by its place), with inputs longer than the lower-cased
/// password blanked, as they can never match and zxcvbn would otherwise hash them on every pass.
pub(crate) fn inputs_for<'a>(analysed: &str, user_inputs: &[&'a str]) -> Vec<&'a str> {
    let longest = analysed.to_lowercase().chars().count();
    user_inputs
        .iter()
        .map(|input| {
            // Lower-casing never shortens a string.
            if input.chars().count() > longest {
                ""
            } else {
                *input
            }
        })
        .collect()
}

/// What the user inputs cost per dictionary pass: zxcvbn rebuilds a map of them on each.
fn input_units(inputs: &[&str]) -> u64 {
    inputs.iter().map(|input| 1 + input.len() as u64 / 64).sum()
}

impl StrengthPlan {
    /// Whether zxcvbn analyses the whole password (its first 100 characters): the estimate is
    /// zxcvbn's own.
    pub fn is_whole(&self) -> bool {
        self.analysis == Analysis::Whole
    }

    /// Whether the estimate never has more guesses than zxcvbn's on the whole password: the whole
    /// password, or a prefix cut where no pattern crosses.
    pub fn never_stronger(&self) -> bool {
        matches!(self.analysis, Analysis::Whole | Analysis::CleanPrefix)
    }
}

/// Decides how [`super::estimate_strength`] analyses `password` with `user_inputs`.
pub fn plan(password: &str, user_inputs: &[&str]) -> StrengthPlan {
    let chars: Vec<char> = password.chars().take(ZXCVBN_CHARS).collect();
    let n = chars.len();
    let truncated: String = chars.iter().collect();
    let per_pass = input_units(&inputs_for(&truncated, user_inputs));

    // The cost of every prefix, from the l33t characters it holds.
    let mut set: L33tSet = 0;
    let mut readings = 0;
    let mut costs = Vec::with_capacity(n + 1);
    costs.push(0);
    for (index, &c) in chars.iter().enumerate() {
        let bit = l33t_bit(c);
        if set & bit == 0 && bit != 0 {
            set |= bit;
            readings = l33t_readings(set);
        }
        costs.push(analysis_cost(index + 1, readings, per_pass));
    }
    let whole_cost = costs[n];
    if whole_cost <= COST_BUDGET {
        return StrengthPlan {
            analysis: Analysis::Whole,
            analysed_chars: n,
            cost: whole_cost,
            whole_cost,
        };
    }

    // The search for user inputs compares each with the password at each place, both ways.
    let input_scan: u64 = user_inputs
        .iter()
        .map(|input| input.chars().count().min(n) as u64 * n as u64 / 16)
        .sum();
    let affordable = COST_BUDGET.saturating_sub(PLANNING_UNITS + input_scan);
    let longest = costs
        .iter()
        .rposition(|&cost| cost <= affordable)
        .unwrap_or(0);
    let cuts = Cuts::new(&chars, user_inputs, longest);
    let (analysis, cut) = match cuts.last_clean(longest) {
        Some(clean) if 2 * clean >= longest => (Analysis::CleanPrefix, clean),
        _ => (Analysis::Prefix, cuts.last_fair(longest)),
    };
    StrengthPlan {
        analysis,
        analysed_chars: cut,
        cost: costs[cut],
        whole_cost,
    }
}

/// Where a password may be cut (a cut at `c` keeps the characters before index `c`).
struct Cuts<'a> {
    chars: &'a [char],
    /// The length of the longest common prefix of the suffixes at `x` and `y`, stored at
    /// `x * (n + 1) + y`.
    common: Vec<u8>,
    /// The index of the first newline at or after each index (`n` when none).
    next_newline: Vec<usize>,
    /// zxcvbn's top-level repeat matches.
    repeats: Vec<Repeat>,
    /// The repeat matches of shorter texts (the first copy of a repeat), by length, once found.
    nested_repeats: RefCell<Vec<(usize, Rc<[Repeat]>)>>,
    /// Each character: whether no dictionary word or user input, plain, reversed or read as l33t,
    /// can hold it.
    separator: Vec<bool>,
    /// Whether lower-casing keeps every character one character (zxcvbn lower-cases the password
    /// as a whole and indexes it by the original's positions).
    lower_case_aligned: bool,
    /// Where a user input may be (first, last), up to the longest cut.
    input_spans: Vec<(usize, usize)>,
    /// The l33t characters of each prefix, by length (the last: the whole analysed text).
    l33t_sets: Vec<L33tSet>,
    /// zxcvbn's sequence matches that a cut could break: (first, last) where a cut keeping two
    /// characters leaves no sequence zxcvbn would match.
    fragile_sequences: Vec<(usize, usize)>,
}

impl<'a> Cuts<'a> {
    fn new(chars: &'a [char], user_inputs: &[&str], longest: usize) -> Self {
        let n = chars.len();
        let width = n + 1;
        let mut common = vec![0u8; width * width];
        for x in (0..n).rev() {
            for y in (0..n).rev() {
                if chars[x] == chars[y] {
                    common[x * width + y] = common[(x + 1) * width + y + 1].saturating_add(1);
                }
            }
        }
        let mut next_newline = vec![n; n + 1];
        for i in (0..n).rev() {
            next_newline[i] = if chars[i] == '\n' {
                i
            } else {
                next_newline[i + 1]
            };
        }
        let mut input_chars: Vec<char> = user_inputs
            .iter()
            .flat_map(|input| input.to_lowercase().chars().collect::<Vec<_>>())
            .map(fold_sigma)
            .collect();
        input_chars.sort_unstable();
        input_chars.dedup();
        let mut lower_case_aligned = true;
        let separator = chars
            .iter()
            .map(|&c| {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => {
                        !L33T_CHARS.contains(&c)
                            && !DICTIONARY_CHARS.contains(l)
                            && input_chars.binary_search(&fold_sigma(l)).is_err()
                    }
                    _ => {
                        lower_case_aligned = false;
                        false
                    }
                }
            })
            .collect();
        let mut l33t_sets = Vec::with_capacity(n + 1);
        l33t_sets.push(0);
        for &c in chars {
            l33t_sets.push(l33t_sets.last().copied().unwrap_or(0) | l33t_bit(c));
        }
        let input_spans = input_spans(chars, user_inputs, longest);
        let mut cuts = Cuts {
            chars,
            input_spans,
            l33t_sets,
            common,
            next_newline,
            repeats: Vec::new(),
            nested_repeats: RefCell::new(Vec::new()),
            separator,
            lower_case_aligned,
            fragile_sequences: fragile_sequences(&chars[..n.min(longest + 1)]),
        };
        cuts.repeats = cuts.find_repeats(n);
        cuts
    }

    fn common(&self, x: usize, y: usize) -> usize {
        usize::from(self.common[x * (self.chars.len() + 1) + y])
    }

    /// The last cut in `1..=longest` that no pattern crosses, if any.
    fn last_clean(&self, longest: usize) -> Option<usize> {
        if !self.lower_case_aligned {
            return None;
        }
        (1..=longest).rev().find(|&cut| {
            self.no_word_crosses(cut)
                && self.no_date_crosses(cut)
                && self.reads_l33t_as_whole(cut)
                && self.keeps_sequences(cut)
                && self.keeps_repeats(cut, self.chars.len())
        })
    }

    /// The best cut in `1..=longest` when no clean one will do: the last in the upper half that
    /// splits no repeat, sequence, user input or run of date characters; else the last that splits
    /// no repeat, sequence or user input; else the last that splits no repeat or sequence (cut 1
    /// always qualifies). A dictionary word may cross it.
    fn last_fair(&self, longest: usize) -> usize {
        let keeps_patterns =
            |cut: usize| self.keeps_sequences(cut) && self.keeps_repeats(cut, self.chars.len());
        (longest.div_ceil(2).max(1)..=longest)
            .rev()
            .find(|&cut| keeps_patterns(cut) && self.keeps_inputs(cut) && self.no_date_crosses(cut))
            .or_else(|| {
                (1..=longest)
                    .rev()
                    .find(|&cut| keeps_patterns(cut) && self.keeps_inputs(cut))
            })
            .or_else(|| (1..=longest).rev().find(|&cut| keeps_patterns(cut)))
            .unwrap_or(0)
    }

    /// Whether the cut splits no place where a user input may be (see [`input_spans`]).
    fn keeps_inputs(&self, cut: usize) -> bool {
        !self
            .input_spans
            .iter()
            .any(|&(first, last)| first < cut && cut <= last)
    }

    /// A dictionary word holds both characters next to the cut: one of them must be a separator.
    fn no_word_crosses(&self, cut: usize) -> bool {
        cut == self.chars.len() || self.separator[cut - 1] || self.separator[cut]
    }

    /// zxcvbn reads a l33t character in a prefix as it does in the whole password when every letter
    /// the prefix's l33t characters stand for has the same characters in both: a letter with more
    /// characters in the whole password has readings that leave one of them as it is, which the
    /// prefix would not try.
    fn reads_l33t_as_whole(&self, cut: usize) -> bool {
        let (prefix, whole) = (self.l33t_sets[cut], self.l33t_sets[self.chars.len()]);
        L33T_TABLE.iter().all(|(_, chars)| {
            let letter = letter_set(chars);
            prefix & letter == 0 || prefix & letter == whole & letter
        })
    }

    /// Dates and years are digits and date separators only.
    fn no_date_crosses(&self, cut: usize) -> bool {
        cut == self.chars.len()
            || !is_date_char(self.chars[cut - 1])
            || !is_date_char(self.chars[cut])
    }

    /// A cut leaving exactly two characters of a sequence zxcvbn matched with a step other than
    /// one leaves no sequence (zxcvbn needs three characters then): it would cost more than the
    /// whole sequence.
    fn keeps_sequences(&self, cut: usize) -> bool {
        !self
            .fragile_sequences
            .iter()
            .any(|&(first, last)| first + 2 == cut && cut <= last)
    }

    /// Whether cutting `text` (the first `end` characters) at `cut` keeps zxcvbn's repeat matches:
    /// the cut is outside every repeat, or keeps an even number (two or more) of its copies, or
    /// falls in the first copy of a repeat that starts the text and keeps that copy's own repeats.
    fn keeps_repeats(&self, cut: usize, end: usize) -> bool {
        let nested;
        let repeats: &[Repeat] = if end == self.chars.len() {
            &self.repeats
        } else {
            nested = self.nested_repeats(end);
            &nested
        };
        for repeat in repeats {
            if repeat.start < cut && cut <= repeat.end {
                let kept = cut - repeat.start;
                if kept.is_multiple_of(repeat.base) && (kept / repeat.base).is_multiple_of(2) {
                    return true;
                }
                if repeat.start == 0 && cut <= repeat.base && repeat.base < end {
                    return self.keeps_repeats(cut, repeat.base);
                }
                return false;
            }
            if repeat.start >= cut {
                break;
            }
        }
        true
    }

    /// [`Cuts::find_repeats`] for a text shorter than the password, remembered.
    fn nested_repeats(&self, end: usize) -> Rc<[Repeat]> {
        let mut known = self.nested_repeats.borrow_mut();
        if let Some((_, repeats)) = known.iter().find(|(length, _)| *length == end) {
            return Rc::clone(repeats);
        }
        let repeats: Rc<[Repeat]> = self.find_repeats(end).into();
        known.push((end, Rc::clone(&repeats)));
        repeats
    }

    /// zxcvbn's top-level repeat matches of the first `end` characters, found as its regexes
    /// `(.+)\1+` (greedy) and `(.+?)\1+` (lazy) find them, leftmost first (`.` is not a newline).
    fn find_repeats(&self, end: usize) -> Vec<Repeat> {
        let mut repeats = Vec::new();
        let mut from = 0;
        while from < end {
            let Some(start) = (from..end).find(|&s| self.repeat_at(s, end, Order::Lazy).is_some())
            else {
                break;
            };
            let greedy = self
                .repeat_at(start, end, Order::Greedy)
                .expect("a repeat starts here");
            let lazy = self
                .repeat_at(start, end, Order::Lazy)
                .expect("a repeat starts here");
            let (length, base) = if greedy.0 * greedy.1 > lazy.0 * lazy.1 {
                // zxcvbn then takes the shortest base the greedy match is made of.
                let length = greedy.0 * greedy.1;
                let base = (1..=length / 2)
                    .find(|&base| length.is_multiple_of(base) && self.periodic(start, length, base))
                    .expect("the greedy match is periodic");
                (length, base)
            } else {
                (lazy.0 * lazy.1, lazy.0)
            };
            repeats.push(Repeat {
                start,
                end: start + length - 1,
                base,
            });
            from = start + length;
        }
        repeats
    }

    /// The (base length, copies) of the repeat the regex would match at `start` within the first
    /// `end` characters.
    fn repeat_at(&self, start: usize, end: usize, order: Order) -> Option<(usize, usize)> {
        let line_end = self.next_newline[start].min(end);
        let longest_base = ((end - start) / 2).min(line_end - start);
        let fits = |base: &usize| self.common(start, start + base) >= *base;
        let base = match order {
            Order::Greedy => (1..=longest_base).rev().find(fits),
            Order::Lazy => (1..=longest_base).find(fits),
        }?;
        let mut copies = 2;
        while start + (copies + 1) * base <= end
            && self.common(start, start + copies * base) >= base
        {
            copies += 1;
        }
        Some((base, copies))
    }

    /// Whether the `length` characters at `start` are copies of their first `base` characters.
    fn periodic(&self, start: usize, length: usize, base: usize) -> bool {
        self.common(start, start + base) >= length - base
    }
}

/// A repeat zxcvbn matches: characters `start..=end`, copies of a base of `base` characters.
struct Repeat {
    start: usize,
    end: usize,
    base: usize,
}

#[derive(Clone, Copy)]
enum Order {
    Greedy,
    Lazy,
}

/// Where each user input may stand in the password, as (first, last) for those starting before
/// `longest`: lower-cased, forwards or backwards (zxcvbn also matches reversed words), any l33t
/// character standing for any of its letters, and a character that lower-cases to several standing
/// for anything.
fn input_spans(chars: &[char], user_inputs: &[&str], longest: usize) -> Vec<(usize, usize)> {
    let lower: Vec<Option<char>> = chars
        .iter()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => Some(fold_sigma(l)),
                _ => None,
            }
        })
        .collect();
    let could_be = |at: usize, wanted: char| {
        lower[at].is_none_or(|l| l == wanted)
            || L33T_TABLE
                .iter()
                .any(|(letter, l33t)| *letter == wanted && l33t.contains(&chars[at]))
    };
    let mut spans = Vec::new();
    for input in user_inputs {
        let wanted: Vec<char> = input.to_lowercase().chars().map(fold_sigma).collect();
        let length = wanted.len();
        if length == 0 || length > chars.len() {
            continue;
        }
        for first in 0..=(chars.len() - length).min(longest) {
            let forwards = (0..length).all(|i| could_be(first + i, wanted[i]));
            let backwards = (0..length).all(|i| could_be(first + length - 1 - i, wanted[i]));
            if forwards || backwards {
                spans.push((first, first + length - 1));
            }
        }
    }
    spans
}

/// Sigma's two lower-case forms depend on context; treat them as one.
fn fold_sigma(c: char) -> char {
    if c == 'ς' { 'σ' } else { c }
}

/// Characters a date or a year can hold: ASCII digits and the separators `\s / \ _ . -`.
fn is_date_char(c: char) -> bool {
    c.is_ascii_digit() || c.is_whitespace() || matches!(c, '/' | '\\' | '_' | '.' | '-')
}

/// zxcvbn's sequence matches (runs of a constant step of 1 to 5 code points) whose step is not ±1
/// and that are at least three characters long, as (first, last).
fn fragile_sequences(chars: &[char]) -> Vec<(usize, usize)> {
    let mut fragile = Vec::new();
    let n = chars.len();
    if n <= 1 {
        return fragile;
    }
    let mut push = |first: usize, last: usize, step: i64| {
        let size = step.abs();
        if last - first > 1 && size > 1 && size <= 5 {
            fragile.push((first, last));
        }
    };
    let mut first = 0;
    let mut last_step = 0i64;
    for k in 1..n {
        let step = i64::from(u32::from(chars[k])) - i64::from(u32::from(chars[k - 1]));
        if last_step == 0 {
            last_step = step;
        }
        if last_step == step {
            continue;
        }
        push(first, k - 1, last_step);
        first = k - 1;
        last_step = step;
    }
    push(first, n - 1, last_step);
    fragile
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_of(text: &str) -> L33tSet {
        text.chars().fold(0, |set, c| set | l33t_bit(c))
    }

    /// zxcvbn's enumeration over its whole table, for comparison with the factored count.
    fn enumerated(set: L33tSet) -> u64 {
        if set == 0 {
            return 0;
        }
        let table: Vec<(char, Vec<char>)> = L33T_TABLE
            .iter()
            .map(|(letter, chars)| {
                let present = chars.iter().copied().filter(|&c| has(set, c)).collect();
                (*letter, present)
            })
            .filter(|(_, present): &(char, Vec<char>)| !present.is_empty())
            .collect();
        enumerate_readings(&table) as u64
    }

    #[test]
    fn readings_are_counted_as_zxcvbn_enumerates_them() {
        assert_eq!(l33t_readings(set_of("Tr0ub4dour&3")), 1);
        assert_eq!(l33t_readings(set_of("1234567890")), 8);
        assert_eq!(l33t_readings(set_of("@!4310$5|7+")), 100);
        assert_eq!(l33t_readings(set_of("@!4310$5|7+(%2869{[<8")), 800);
        assert_eq!(l33t_readings(set_of("no digits here")), 0);
        // Every set of the shared characters, and a spread of others.
        let mut state = 0x9e37_79b9_u32;
        for round in 0..600u32 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let set = if round < 32 {
                // 1 ! | 7 + in every combination.
                [6, 0, 19, 12, 4]
                    .iter()
                    .enumerate()
                    .filter(|(bit, _)| round & (1 << bit) != 0)
                    .fold(0, |set, (_, &index)| set | (1 << index))
            } else {
                state & ((1 << 20) - 1)
            };
            assert_eq!(l33t_readings(set), enumerated(set), "set {set:#x}");
        }
    }

    fn plan_of(password: &str) -> StrengthPlan {
        plan(password, &["jane", "doe", "jane.doe@example.com"])
    }

    #[test]
    fn ordinary_passwords_are_analysed_whole() {
        for password in [
            "",
            "password",
            "Tr0ub4dour&3",
            "correct horse battery staple",
            "kD9#mQ2$vL7pX!zR",
        ] {
            let plan = plan_of(password);
            assert_eq!(plan.analysis, Analysis::Whole, "{password}");
            assert_eq!(plan.analysed_chars, password.chars().count());
        }
    }

    #[test]
    fn every_plan_fits_the_budget() {
        for password in [
            "@!4310$5|7+(%2869{[<8".repeat(5),
            "1234567890".repeat(10),
            "a".repeat(4096),
            "p@$$w0rd".repeat(16),
        ] {
            let plan = plan_of(&password);
            assert!(plan.cost <= COST_BUDGET, "{password}: {plan:?}");
            assert_ne!(plan.analysis, Analysis::Whole);
        }
    }

    #[test]
    fn repeats_are_found_as_zxcvbn_finds_them() {
        let chars: Vec<char> = "xabcabcabcyaabaab".chars().collect();
        let cuts = Cuts::new(&chars, &[], chars.len());
        let found: Vec<(usize, usize, usize)> = cuts
            .repeats
            .iter()
            .map(|r| (r.start, r.end, r.base))
            .collect();
        // "abcabcabc" (lazy: base "abc"), then "aabaab" (greedy beats lazy "aa": base "aab").
        assert_eq!(found, [(1, 9, 3), (11, 16, 3)]);
    }

    #[test]
    fn cuts_keep_repeats_whole() {
        let chars: Vec<char> = "password".repeat(12).chars().collect();
        let cuts = Cuts::new(&chars, &[], 60);
        assert_eq!(cuts.last_fair(60), 48);
        assert!(cuts.keeps_repeats(16, chars.len()));
        assert!(!cuts.keeps_repeats(24, chars.len()));
        assert!(cuts.keeps_repeats(5, chars.len()));
    }

    #[test]
    fn cuts_keep_user_inputs_whole() {
        let chars: Vec<char> = "xx4qqjane.d0e@example.comqq".chars().collect();
        let cuts = Cuts::new(&chars, &["jane.doe@example.com"], 20);
        assert_eq!(cuts.input_spans, [(5, 24)]);
        assert_eq!(cuts.last_fair(20), 5);
        // Backwards too.
        let chars: Vec<char> = "xxeodenajqq".chars().collect();
        let cuts = Cuts::new(&chars, &["janedoe"], 8);
        assert_eq!(cuts.last_fair(8), 2);
    }

    #[test]
    fn clean_cuts_sit_next_to_a_separator() {
        let chars: Vec<char> = "correct horse battery staple purple monkey dishwasher"
            .chars()
            .collect();
        let cuts = Cuts::new(&chars, &[], 40);
        assert_eq!(cuts.last_clean(40), Some(36));
        // A space in a user input is no separator.
        let cuts = Cuts::new(&chars, &["jane doe"], 40);
        assert_eq!(cuts.last_clean(40), None);
        // Between digits a space may be part of a date.
        let chars: Vec<char> = "1 2 1990".chars().collect();
        let cuts = Cuts::new(&chars, &[], 7);
        assert_eq!(cuts.last_clean(7), None);
    }
}
