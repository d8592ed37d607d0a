//! Attribute values of SMS Backup & Restore XML, unescaped by hand.
//!
//! The app writes each UTF-16 unit of an emoji as its own character
//! reference (`&#55357;&#56832;` for 😀), which a conforming XML parser
//! rejects as a lone surrogate. Here a high surrogate followed by a low one
//! becomes the character they encode; anything else that is not a character
//! becomes U+FFFD.

/// Appends the unescaped `raw` attribute value to `out`. Invalid UTF-8 and
/// references to non-characters become U+FFFD; an `&` that starts no known
/// reference is kept as written.
pub(super) fn unescape_into(raw: &[u8], out: &mut String) {
    let mut rest = raw;
    while let Some(amp) = memchr::memchr(b'&', rest) {
        let (plain, from_amp) = rest.split_at(amp);
        push_lossy(plain, out);
        rest = match reference(from_amp) {
            Some((Reference::Char(c), after)) => {
                out.push(c);
                after
            }
            Some((Reference::High(high), after)) => match reference(after) {
                Some((Reference::Low(low), after_low)) => {
                    out.push(combine(high, low));
                    after_low
                }
                _ => {
                    out.push(char::REPLACEMENT_CHARACTER);
                    after
                }
            },
            Some((Reference::Low(_), after)) => {
                out.push(char::REPLACEMENT_CHARACTER);
                after
            }
            None => {
                out.push('&');
                from_amp.get(1..).unwrap_or_default()
            }
        };
    }
    push_lossy(rest, out);
}

fn push_lossy(bytes: &[u8], out: &mut String) {
    out.push_str(&String::from_utf8_lossy(bytes));
}

/// What one `&…;` reference stands for.
enum Reference {
    Char(char),
    /// The first half of a UTF-16 surrogate pair (U+D800..U+DBFF).
    High(u32),
    /// The second half (U+DC00..U+DFFF).
    Low(u32),
}

/// The reference at the start of `s` (which starts with `&`) and the bytes
/// after it, or `None` when `s` does not start with a known reference.
fn reference(s: &[u8]) -> Option<(Reference, &[u8])> {
    // The longest reference is `&#x0010FFFF;` give or take leading zeros.
    const LONGEST: usize = 16;
    let body = s.strip_prefix(b"&")?;
    let semicolon = memchr::memchr(b';', body.get(..LONGEST.min(body.len()))?)?;
    let name = body.get(..semicolon)?;
    let after = body.get(semicolon + 1..)?;
    let reference = match name {
        b"lt" => Reference::Char('<'),
        b"gt" => Reference::Char('>'),
        b"amp" => Reference::Char('&'),
        b"quot" => Reference::Char('"'),
        b"apos" => Reference::Char('\''),
        _ => numeric(name.strip_prefix(b"#")?)?,
    };
    Some((reference, after))
}

/// `#…` without its `#`: decimal, or hexadecimal after `x`.
fn numeric(digits: &[u8]) -> Option<Reference> {
    let (digits, radix) = match digits.strip_prefix(b"x").or_else(|| digits.strip_prefix(b"X")) {
        Some(hex) => (hex, 16),
        None => (digits, 10),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    for &d in digits {
        let digit = char::from(d).to_digit(radix)?;
        value = value.checked_mul(radix)?.checked_add(digit)?;
    }
    Some(match value {
        0xD800..=0xDBFF => Reference::High(value),
        0xDC00..=0xDFFF => Reference::Low(value),
        0 => Reference::Char(char::REPLACEMENT_CHARACTER),
        _ => Reference::Char(char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER)),
    })
}

fn combine(high: u32, low: u32) -> char {
    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn unescape(raw: &str) -> String {
        let mut out = String::new();
        unescape_into(raw.as_bytes(), &mut out);
        out
    }

    #[test]
    fn surrogate_pairs_become_one_character() {
        assert_eq!(unescape("hi &#55357;&#56832;!"), "hi \u{1F600}!");
        assert_eq!(unescape("&#xD83D;&#xDE00;"), "\u{1F600}");
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(unescape("a&#55357;b"), "a\u{FFFD}b");
        assert_eq!(unescape("a&#56832;b"), "a\u{FFFD}b");
        assert_eq!(unescape("&#55357;&#55357;&#56832;"), "\u{FFFD}\u{1F600}");
    }

    #[test]
    fn named_and_numeric_references() {
        assert_eq!(
            unescape("&lt;b&gt; &amp; &quot;x&quot; &apos;y&apos; &#x1F30D; &#xAB;&#10;"),
            "<b> & \"x\" 'y' \u{1F30D} \u{AB}\n"
        );
    }

    #[test]
    fn unknown_or_broken_references_stay_as_written() {
        assert_eq!(unescape("fish & chips"), "fish & chips");
        assert_eq!(unescape("&nbsp; &#; &#xZZ; &"), "&nbsp; &#; &#xZZ; &");
        assert_eq!(unescape("&#99999999999;"), "&#99999999999;");
        assert_eq!(unescape("&#x110000;"), "\u{FFFD}");
    }

    proptest! {
        #[test]
        fn text_without_ampersands_is_unchanged(s in "[^&]{0,64}") {
            prop_assert_eq!(unescape(&s), s);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            let mut out = String::new();
            unescape_into(&bytes, &mut out);
        }
    }
}
