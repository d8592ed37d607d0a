//! What a message is from its words: media placeholders, deleted
//! messages, calls and "edited" notes, in the languages exports write them.

use crate::Kind;

use super::{is_mark, is_mark_or_space};

/// The notes WhatsApp appends to an edited message.
const EDITED: [&str; 5] = [
    "<This message was edited>",
    "<Diese Nachricht wurde bearbeitet>",
    "<Se editó este mensaje.>",
    "<Mensagem editada>",
    "<Ce message a été modifié>",
];

/// `text` without its "edited" note, and whether it had one.
#[inline]
pub(super) fn strip_edited(text: &str) -> (&str, bool) {
    if !text.ends_with('>') {
        return (text, false);
    }
    match EDITED.iter().find_map(|note| text.strip_suffix(note)) {
        Some(rest) => (rest.trim_end_matches(is_mark_or_space), true),
        None => (text, false),
    }
}

/// Media placeholders that are the whole first line.
const MEDIA: Words = Words::new(&[
    "<Media omitted>",
    "<media omitted>",
    "<Medien ausgeschlossen>",
    "<Multimedia omitido>",
    "<Médias omis>",
    "<Mídia oculta>",
    "<Arquivo de mídia oculto>",
    "<Media weggelaten>",
    "<Media omessi>",
    "<Medya dahil edilmedi>",
    "<Без медиафайлов>",
    "<Pominięto multimedia>",
    "<Media tidak disertakan>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "GIF omitted",
    "document omitted",
    "Contact card omitted",
    "video note omitted",
    "null",
]);

/// How iOS ends media placeholders in various languages (after a mark).
const MEDIA_ENDINGS: [&str; 11] = [
    " omitted",
    " weggelassen",
    " omitida",
    " omitido",
    " omis",
    " omise",
    " absente",
    " ocultada",
    " oculto",
    " omesso",
    " weggelaten",
];

/// How a first line names an attached file (`IMG-20200101-WA0001.jpg (file attached)`).
const ATTACHED: [&str; 6] = [
    " (file attached)",
    " (Datei angehängt)",
    " (archivo adjunto)",
    " (arquivo anexado)",
    " (fichier joint)",
    " (bestand bijgevoegd)",
];

/// The notes left by a deleted message (compared without a final `.`).
const DELETED: Words = Words::new(&[
    "This message was deleted",
    "You deleted this message",
    "Se eliminó este mensaje",
    "Eliminaste este mensaje",
    "Este mensaje fue eliminado",
    "Diese Nachricht wurde gelöscht",
    "Du hast diese Nachricht gelöscht",
    "Mensagem apagada",
    "Esta mensagem foi apagada",
    "Você apagou esta mensagem",
    "Ce message a été supprimé",
    "Vous avez supprimé ce message",
    "Questo messaggio è stato eliminato",
    "Hai eliminato questo messaggio",
    "Dit bericht is verwijderd",
    "Je hebt dit bericht verwijderd",
    "U hebt dit bericht verwijderd",
]);

/// Calls, answered or missed, as the first words of a line.
const CALLS: Words = Words::new(&[
    "Missed voice call",
    "Missed video call",
    "Missed group voice call",
    "Missed group video call",
    "Voice call",
    "Video call",
    "Group voice call",
    "Group video call",
    "Llamada perdida",
    "Videollamada perdida",
    "Llamada de voz perdida",
    "Verpasster Sprachanruf",
    "Verpasster Videoanruf",
    "Chamada de voz perdida",
    "Chamada de vídeo perdida",
    "Appel vocal manqué",
    "Appel vidéo manqué",
    "Chiamata vocale persa",
]);

/// What follows a call's words after a comma (`Voice call, ‎12 min`).
const CALL_DETAILS: Words = Words::new(&[
    "Tap to call back",
    "Click to call back",
    "No answer",
    "Answered on other device",
    "Declined",
]);

/// What a message is, from its text. `system`: the line has no author;
/// `marked`: its text began with a direction mark, as iOS writes its notes.
#[inline]
pub(super) fn classify(text: &str, system: bool, marked: bool, multiline: bool) -> Kind {
    let first = match multiline
        .then(|| memchr::memchr(b'\n', text.as_bytes()))
        .flatten()
    {
        Some(i) => text.get(..i).unwrap_or(text),
        None => text,
    };
    if is_deleted(text) {
        Kind::Deleted
    } else if is_call(first) {
        Kind::Call
    } else if system {
        Kind::System
    } else if is_media(first, marked) {
        Kind::Media
    } else if marked && !first.starts_with("POLL:") && !first.starts_with("Location:") {
        // iOS marks its own notes, credited to the chat: "‎Sam added you".
        Kind::System
    } else {
        Kind::Text
    }
}

#[inline]
fn is_deleted(text: &str) -> bool {
    if text.len() > 64 {
        return false;
    }
    let text = text.strip_suffix('.').unwrap_or(text);
    DELETED.contains(text) || starts_with(text, "This message was deleted by")
}

/// `text` starts with `word`, its first byte looked at first: most texts
/// are ruled out without a library call to compare the rest.
fn starts_with(text: &str, word: &str) -> bool {
    text.as_bytes().first() == word.as_bytes().first() && text.starts_with(word)
}

#[inline]
fn is_call(first: &str) -> bool {
    if first.len() > 96 {
        return false;
    }
    let Some(rest) = CALLS.prefix_of(first) else {
        return false;
    };
    let Some(detail) = rest.strip_prefix(", ") else {
        return rest.is_empty();
    };
    let unmarked = detail.trim_start_matches(is_mark);
    unmarked.len() < detail.len()
        || unmarked.starts_with(|c: char| c.is_ascii_digit())
        || CALL_DETAILS.prefix_of(unmarked).is_some()
}

#[inline]
fn is_media(first: &str, marked: bool) -> bool {
    if starts_with(first, "<attached: ")
        || (first.ends_with(')') && ATTACHED.iter().any(|a| first.ends_with(a)))
    {
        return true;
    }
    if first.len() > 40 && !marked {
        return false;
    }
    MEDIA.contains(first) || (marked && MEDIA_ENDINGS.iter().any(|e| first.ends_with(e)))
}

/// A list of words to find texts in. Classifying runs for every message,
/// so the lengths of the words that start with each byte are kept as a
/// table that rules out most texts at one look.
#[derive(Debug)]
struct Words {
    list: &'static [&'static str],
    /// Bit `n` of entry `b`: a word that starts with byte `b` is `n` bytes
    /// long (bit 63: 63 bytes or longer).
    lengths: [u64; 256],
}

impl Words {
    const fn new(list: &'static [&'static str]) -> Words {
        let mut lengths = [0; 256];
        let mut i = 0;
        while i < list.len() {
            let word = list[i].as_bytes();
            if let Some(&b) = word.first() {
                lengths[b as usize] |= Words::bit(word.len());
            }
            i += 1;
        }
        Words { list, lengths }
    }

    const fn bit(len: usize) -> u64 {
        1 << if len < 63 { len } else { 63 }
    }

    /// The lengths of the words that start like `s`.
    fn lengths(&self, s: &str) -> u64 {
        s.as_bytes().first().map_or(0, |&b| self.lengths[usize::from(b)])
    }

    /// `s` is one of the words.
    fn contains(&self, s: &str) -> bool {
        self.lengths(s) & Words::bit(s.len()) != 0 && self.list.contains(&s)
    }

    /// What follows the first word that `s` starts with.
    fn prefix_of<'s>(&self, s: &'s str) -> Option<&'s str> {
        // Words no longer than `s`: bits 0 to its length (all from 63 on).
        let fitting = (Words::bit(s.len()) << 1).wrapping_sub(1) | Words::bit(s.len());
        if self.lengths(s) & fitting == 0 {
            return None;
        }
        self.list.iter().find_map(|w| s.strip_prefix(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify("<Media omitted>", false, false, false), Kind::Media);
        assert_eq!(classify("image omitted", false, true, false), Kind::Media);
        assert_eq!(classify("Bild weggelassen", false, true, false), Kind::Media);
        assert_eq!(
            classify("<attached: 00000012-PHOTO-2020.jpg>", false, true, false),
            Kind::Media
        );
        assert_eq!(
            classify(
                "IMG-20200101-WA0001.jpg (file attached)\ncaption",
                false,
                false,
                true
            ),
            Kind::Media
        );
        assert_eq!(
            classify("This message was deleted.", false, true, false),
            Kind::Deleted
        );
        assert_eq!(
            classify("You deleted this message", false, false, false),
            Kind::Deleted
        );
        assert_eq!(
            classify("Missed voice call, \u{200E}Tap to call back", false, true, false),
            Kind::Call
        );
        assert_eq!(
            classify("Voice call, \u{200E}12 min", false, true, false),
            Kind::Call
        );
        assert_eq!(classify("Video call tomorrow?", false, false, false), Kind::Text);
        assert_eq!(classify("Video call, tomorrow?", false, false, false), Kind::Text);
        assert_eq!(classify("Sam added you", false, true, false), Kind::System);
        assert_eq!(
            classify("Location: https://maps.example/x", false, true, false),
            Kind::Text
        );
        assert_eq!(classify("You were added", true, false, false), Kind::System);
        assert_eq!(classify("image omitted, really", false, false, false), Kind::Text);
    }

    #[test]
    fn word_lists_find_words_and_prefixes_of_any_length() {
        const LONG: &str = "A word of more than sixty-three bytes, to fill the last bit of the table";
        const WORDS: Words = Words::new(&["ab", "abc", "b", LONG, ""]);
        for (s, contained) in [
            ("ab", true),
            ("abc", true),
            ("a", false),
            ("abcd", false),
            ("b", true),
        ] {
            assert_eq!(WORDS.contains(s), contained, "{s:?}");
        }
        assert!(WORDS.contains(LONG));
        assert!(!WORDS.contains(&LONG[..LONG.len() - 1]));
        assert!(!WORDS.contains(""));
        assert_eq!(WORDS.prefix_of("abz"), Some("z"));
        assert_eq!(WORDS.prefix_of("a"), None);
        assert_eq!(WORDS.prefix_of("b"), Some(""));
        assert_eq!(WORDS.prefix_of(&format!("{LONG}!")), Some("!"));
        assert_eq!(WORDS.prefix_of("c"), None);
    }

    #[test]
    fn edited_notes_come_off() {
        assert_eq!(strip_edited("hi \u{200E}<This message was edited>"), ("hi", true));
        assert_eq!(strip_edited("hi <Mensagem editada>"), ("hi", true));
        assert_eq!(strip_edited("a <b>"), ("a <b>", false));
    }
}
