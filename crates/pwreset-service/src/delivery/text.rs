//! Text from account data, made fit to show in a message.
//!
//! An account's username (or any other name it carries) is chosen by whoever registered it, and
//! a message can show it to someone else: the e-mail to an address shared by several accounts
//! lists each account's label above its link. [`plain_label`] is the one place such text passes
//! before it enters a message, so that it cannot reorder, hide or break the lines around it.

/// The most characters a label shows; a longer one keeps one less and ends in `…`.
pub const MAX_LABEL_CHARS: usize = 64;

/// What a label shows in place of the characters it had too many of.
const ELLIPSIS: char = '…';

/// `true` for the characters a label drops: they have no width of their own (or none that a
/// reader can rely on) and exist to steer how the text around them is shown, so in a label they
/// can only disguise it. That is every Default_Ignorable_Code_Point (DerivedCoreProperties.txt,
/// reserved ones included) and every character of general category Cf (format):
///
/// - bidi controls: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069;
/// - zero-width and invisible formatting: U+00AD soft hyphen, U+034F combining grapheme joiner,
///   U+180B–U+180F (Mongolian variation selectors and vowel separator), U+200B–U+200D,
///   U+2060–U+2065, U+206A–U+206F, U+FEFF, U+FFF0–U+FFFB (interlinear annotation and reserved),
///   U+13430–U+1343F (Egyptian hieroglyph format controls), U+1BCA0–U+1BCA3 (shorthand format
///   controls), U+1D173–U+1D17A (musical format controls), and U+E0000–U+E0FFF: the tag
///   characters (which can spell out hidden ASCII), the variation selectors U+E0100–U+E01EF and
///   the reserved rest;
/// - the variation selectors U+FE00–U+FE0F;
/// - letters and vowels that show as nothing (blank names): the Hangul fillers U+115F, U+1160,
///   U+3164 and U+FFA0, the Khmer inherent vowels U+17B4 and U+17B5;
/// - the other format characters, marks that prefix or span a number or abbreviation:
///   U+0600–U+0605, U+06DD, U+070F, U+0890–U+0891, U+08E2, U+110BD, U+110CD.
///
/// The joiners go too: an emoji built with U+200D shows as its parts, and one with a variation
/// selector in its default presentation.
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        // Default_Ignorable_Code_Point.
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
            // General category Cf, outside the above.
            | '\u{0600}'..='\u{0605}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// `true` for the characters a label shows as a space: every control character (general
/// category Cc: CR, LF, TAB, ESC, DEL, U+0085 NEXT LINE …) and every other white space (U+2028
/// LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR, no-break and wide spaces). A space, not nothing,
/// so that two words a line break kept apart stay two words.
pub fn is_break(c: char) -> bool {
    c.is_control() || c.is_whitespace()
}

/// An account's label as a message shows it: one line of visible text.
///
/// [`is_hidden`] characters are removed, [`is_break`] characters become a space, runs of
/// spaces become one, and the ends are trimmed; then a label longer than [`MAX_LABEL_CHARS`]
/// keeps its first `MAX_LABEL_CHARS - 1` characters followed by `…`. Everything else (letters of
/// any script, punctuation, braces) is kept as written. The result can be empty (a name of
/// nothing but hidden characters and spaces); the caller then names the account another way.
pub fn plain_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len().min(4 * MAX_LABEL_CHARS));
    let mut chars = 0;
    let mut pending_space = false;
    for c in label.chars().filter(|&c| !is_hidden(c)) {
        if is_break(c) {
            pending_space = chars > 0;
            continue;
        }
        if pending_space {
            out.push(' ');
            chars += 1;
            pending_space = false;
        }
        out.push(c);
        chars += 1;
        if chars > MAX_LABEL_CHARS {
            break;
        }
    }
    if chars > MAX_LABEL_CHARS {
        let keep = out
            .char_indices()
            .nth(MAX_LABEL_CHARS - 1)
            .map_or(out.len(), |(at, _)| at);
        out.truncate(keep);
        out.truncate(out.trim_end().len());
        out.push(ELLIPSIS);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character the label must drop: the first and the last of each range of the
    /// denylist, and a few from their middles.
    const HIDDEN: &[char] = &[
        // Default_Ignorable_Code_Point.
        '\u{00AD}',
        '\u{034F}',
        '\u{061C}',
        '\u{115F}',
        '\u{1160}',
        '\u{17B4}',
        '\u{17B5}',
        '\u{180B}',
        '\u{180E}',
        '\u{180F}',
        '\u{200B}',
        '\u{200C}',
        '\u{200D}',
        '\u{200E}',
        '\u{200F}',
        '\u{202A}',
        '\u{202B}',
        '\u{202C}',
        '\u{202D}',
        '\u{202E}',
        '\u{2060}',
        '\u{2061}',
        '\u{2062}',
        '\u{2063}',
        '\u{2064}',
        '\u{2065}',
        '\u{2066}',
        '\u{2067}',
        '\u{2068}',
        '\u{2069}',
        '\u{206A}',
        '\u{206F}',
        '\u{3164}',
        '\u{FE00}',
        '\u{FE0F}',
        '\u{FEFF}',
        '\u{FFA0}',
        '\u{FFF0}',
        '\u{FFF8}',
        '\u{1BCA0}',
        '\u{1BCA3}',
        '\u{1D173}',
        '\u{1D17A}',
        '\u{E0000}',
        '\u{E0001}',
        '\u{E0041}',
        '\u{E007F}',
        '\u{E0100}',
        '\u{E01EF}',
        '\u{E0FFF}',
        // General category Cf, outside the above.
        '\u{0600}',
        '\u{0605}',
        '\u{06DD}',
        '\u{070F}',
        '\u{0890}',
        '\u{0891}',
        '\u{08E2}',
        '\u{110BD}',
        '\u{110CD}',
        '\u{13430}',
        '\u{1343F}',
        '\u{FFF9}',
        '\u{FFFB}',
    ];

    /// The characters just outside each range of the denylist, which stay.
    const KEPT_NEIGHBOURS: &[char] = &[
        '\u{00AC}',
        '\u{00AE}',
        '\u{034E}',
        '\u{0350}',
        '\u{05FF}',
        '\u{0606}',
        '\u{061B}',
        '\u{061D}',
        '\u{06DC}',
        '\u{06DE}',
        '\u{070E}',
        '\u{0710}',
        '\u{088F}',
        '\u{0892}',
        '\u{08E1}',
        '\u{08E3}',
        '\u{115E}',
        '\u{1161}',
        '\u{17B3}',
        '\u{17B6}',
        '\u{180A}',
        '\u{1810}',
        '\u{200A}',
        '\u{2010}',
        '\u{2029}',
        '\u{202F}',
        '\u{205F}',
        '\u{2070}',
        '\u{3163}',
        '\u{3165}',
        '\u{FDFF}',
        '\u{FE10}',
        '\u{FEFE}',
        '\u{FF00}',
        '\u{FF9F}',
        '\u{FFA1}',
        '\u{FFEF}',
        '\u{FFFC}',
        '\u{110BC}',
        '\u{110BE}',
        '\u{110CC}',
        '\u{110CE}',
        '\u{1342F}',
        '\u{13440}',
        '\u{1BC9F}',
        '\u{1BCA4}',
        '\u{1D172}',
        '\u{1D17B}',
        '\u{DFFFF}',
        '\u{E1000}',
    ];

    /// Characters the label shows as a space.
    const BREAKS: &[char] = &[
        '\r', '\n', '\t', '\u{0000}', '\u{000B}', '\u{000C}', '\u{001B}', '\u{007F}', '\u{0085}',
        '\u{009F}', '\u{2028}', '\u{2029}', '\u{00A0}', '\u{2003}', '\u{3000}',
    ];

    #[test]
    fn hidden_characters_are_removed() {
        for &c in HIDDEN {
            assert!(is_hidden(c), "U+{:04X}", c as u32);
            assert_eq!(
                plain_label(&format!("ja{c}ne")),
                "jane",
                "U+{:04X}",
                c as u32
            );
            assert_eq!(plain_label(&format!("{c}{c}")), "", "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_neighbours_of_the_hidden_ranges_are_not_hidden() {
        for &c in KEPT_NEIGHBOURS {
            assert!(!is_hidden(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn breaks_and_controls_become_one_space() {
        for &c in BREAKS {
            assert!(is_break(c), "U+{:04X}", c as u32);
            assert_eq!(
                plain_label(&format!("ja{c}ne")),
                "ja ne",
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                plain_label(&format!("{c}jane{c}")),
                "jane",
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(plain_label("a\r\n\u{2028}\u{202E} \tb"), "a b");
        assert_eq!(plain_label(" \n "), "");
    }

    #[test]
    fn no_control_or_hidden_character_survives() {
        let every: String = ('\0'..=char::MAX).collect();
        let label = plain_label(&every);
        assert!(
            label
                .chars()
                .all(|c| !is_hidden(c) && !is_break(c) || c == ' ')
        );
        for c in ('\0'..=char::MAX).filter(|c| c.is_control() || is_hidden(*c)) {
            let once = plain_label(&format!("x{c}y"));
            assert!(!once.contains(c), "U+{:04X}", c as u32);
            assert!(!once.contains('\n') && !once.contains('\r'));
        }
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        let exact = "a".repeat(MAX_LABEL_CHARS);
        assert_eq!(plain_label(&exact), exact);
        let long = "é".repeat(MAX_LABEL_CHARS + 1);
        let cut = plain_label(&long);
        assert_eq!(cut.chars().count(), MAX_LABEL_CHARS);
        assert_eq!(cut, format!("{}…", "é".repeat(MAX_LABEL_CHARS - 1)));
        // Hidden characters do not count; a space before the cut does not stay.
        let padded = format!("{}{}", "\u{200B}".repeat(500), "b".repeat(MAX_LABEL_CHARS));
        assert_eq!(plain_label(&padded), "b".repeat(MAX_LABEL_CHARS));
        let spaced = format!("{} {}", "c".repeat(MAX_LABEL_CHARS - 2), "d".repeat(10));
        assert_eq!(
            plain_label(&spaced),
            format!("{}…", "c".repeat(MAX_LABEL_CHARS - 2))
        );
    }

    #[test]
    fn ordinary_names_stay_as_written() {
        for name in [
            "jane",
            "José García",
            "山田太郎",
            "שרה כהן",
            "أحمد",
            "o'neil-smith",
            "{link}",
            "😀",
        ] {
            assert_eq!(plain_label(name), name);
        }
    }
}
