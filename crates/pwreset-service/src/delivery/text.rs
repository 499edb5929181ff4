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

/// `true` for the characters a label drops: they have no width of their own and exist to steer
/// how the text around them is shown, so in a label they can only disguise it.
///
/// - bidi controls: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069;
/// - zero-width and invisible formatting: U+00AD soft hyphen, U+180E, U+200B–U+200D,
///   U+2060–U+2064, U+206A–U+206F, U+FEFF, U+FFF9–U+FFFB, and the tag characters
///   U+E0000–U+E007F (which can spell out hidden ASCII);
/// - the Hangul fillers U+3164 and U+FFA0, letters that show as nothing (blank names).
///
/// The joiners go too: an emoji built with U+200D shows as its parts.
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
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

    /// Every character the label must drop, one per line of the denylist.
    const HIDDEN: &[char] = &[
        '\u{061C}',
        '\u{200E}',
        '\u{200F}',
        '\u{202A}',
        '\u{202B}',
        '\u{202C}',
        '\u{202D}',
        '\u{202E}',
        '\u{2066}',
        '\u{2067}',
        '\u{2068}',
        '\u{2069}',
        '\u{200B}',
        '\u{200C}',
        '\u{200D}',
        '\u{2060}',
        '\u{2061}',
        '\u{2062}',
        '\u{2063}',
        '\u{2064}',
        '\u{206A}',
        '\u{206F}',
        '\u{FEFF}',
        '\u{180E}',
        '\u{00AD}',
        '\u{FFF9}',
        '\u{FFFB}',
        '\u{E0001}',
        '\u{E0041}',
        '\u{E007F}',
        '\u{3164}',
        '\u{FFA0}',
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
        let every: String = ('\0'..='\u{E00FF}').collect();
        let label = plain_label(&every);
        assert!(
            label
                .chars()
                .all(|c| !is_hidden(c) && !is_break(c) || c == ' ')
        );
        for c in ('\0'..='\u{E00FF}').filter(|c| c.is_control() || is_hidden(*c)) {
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
