//! Names as people type or import them: cleaned of characters that could
//! take over a terminal, and found again where a text mentions them.

/// `name` without control characters (escape sequences, bells, NULs),
/// direction overrides and invisible format marks, with runs of white
/// space made one space and the ends trimmed. Exports and typed arguments
/// go through this on the way in, so a name can never move the cursor,
/// clear the screen or set a window title when it is printed.
pub fn clean_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if is_hidden(c) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Control characters (C0, DEL, C1) and the invisible marks that change how
/// text around them is shown: the zero-width space, direction marks,
/// embeddings, overrides and isolates, the byte-order mark. (The zero-width
/// joiner and non-joiner stay: emoji and some scripts need them.)
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || is_reordering(c)
        || matches!(
            c,
            '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{061c}' | '\u{feff}'
        )
}

/// Direction embeddings, overrides and isolates: they reorder the text that
/// follows them on screen.
pub fn is_reordering(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `name` folded for finding it again as people type it: lower case,
/// without accents or other marks ("Tomás" and "tomas" fold alike, as do
/// "Zoë" and "zoe").
pub fn fold(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    clean_name(name)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// Whether `text` mentions any of `names` as a whole word (ignoring case):
/// "Sam's party" mentions Sam, "same again" does not.
pub fn mentions(text: &str, names: &[String]) -> bool {
    let text = text.to_lowercase();
    names
        .iter()
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty())
        .any(|name| {
            text.match_indices(&name).any(|(at, found)| {
                let before = text[..at].chars().next_back();
                let after = text[at + found.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_what_could_take_over_a_terminal() {
        assert_eq!(
            clean_name("Mallory\u{1b}]0;OWNED\u{7}\u{1b}[2J"),
            "Mallory]0;OWNED[2J"
        );
        assert_eq!(clean_name("  Sam\t\nLee  "), "Sam Lee");
        assert_eq!(clean_name("\u{202a}+44 7700 900123\u{202c}"), "+44 7700 900123");
        assert_eq!(clean_name("Zoë \u{200e}Ólafsdóttir"), "Zoë Ólafsdóttir");
        assert_eq!(clean_name("\u{9b}31m"), "31m");
        assert_eq!(clean_name("\u{1b}\u{7}"), "");
        // Emoji sequences keep their joiners.
        assert_eq!(
            clean_name("Fam \u{1f468}\u{200d}\u{1f469}"),
            "Fam \u{1f468}\u{200d}\u{1f469}"
        );
    }

    #[test]
    fn mentions_are_whole_words_in_any_case() {
        let sam = vec!["Sam".to_owned(), "Sam Rivera".to_owned()];
        assert!(mentions("went to Sam's party", &sam));
        assert!(mentions("SAM called", &sam));
        assert!(mentions("lunch with sam rivera", &sam));
        assert!(!mentions("same again", &sam));
        assert!(!mentions("Samantha's film", &sam));
        assert!(!mentions("nothing here", &sam));
        assert!(mentions("Zoë!", &["zoë".to_owned()]));
        assert!(!mentions("anything", &[String::new()]));
    }
}
