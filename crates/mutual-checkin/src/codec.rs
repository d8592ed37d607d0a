//! What travels between the two friends, each a short text safe in a URL
//! fragment and in any chat: a versioned prefix, then base64url (no padding)
//! of a small binary layout.
//!
//! - the **invitation** (`i1.`): check-in id (8 bytes) ‖ my public key (65)
//!   ‖ question set version (1) ‖ expiry, days since 1970-01-01 (2, big
//!   endian) ‖ name length (1) ‖ the name I chose to be shown (UTF-8);
//! - the **reply code** (`mutual-reply1.`): check-in id (8) ‖ the friend's
//!   public key for the reveal (65) ‖ `enc` (65) ‖ ciphertext of
//!   `{"v": version, "a": answers}`, sealed to my key with the id and the
//!   friend's key as associated data, so neither can be swapped;
//! - the **reveal code** (`mutual-reveal1.`): check-in id (8) ‖ `enc` (65) ‖
//!   ciphertext of both sides' answers and the friend's perspective
//!   sentences (`{"v", "name", "inviter", "friend", "sentences": [[item,
//!   sentence], …]}`, the sentences worded by Rust so that there is one
//!   wording),
//!   sealed to the friend's key with the id as associated data.
//!
//! Nothing else is in them: no friend's name, no dates but the expiry.
//! Decoding never panics; a code that is cut short, altered or of another
//! kind gets an error that says so in one line.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use jiff::civil::Date;
use mutual_core::text::clean_name;
use rand_core::{OsRng, RngCore, UnwrapErr};

use crate::CheckinError;
use crate::crypto::{self, ENC_LEN, PUBLIC_KEY_LEN, PublicKey, SecretKey, TAG_LEN};
use crate::items::{Answers, ItemSet};
use crate::perspective;

/// The invitation's prefix, kept short: it is most of a link.
pub const INVITE_PREFIX: &str = "i1.";
pub const REPLY_PREFIX: &str = "mutual-reply1.";
pub const REVEAL_PREFIX: &str = "mutual-reveal1.";

/// The longest name an invitation carries, in bytes.
pub const MAX_NAME_BYTES: usize = 64;

const ID_LEN: usize = 8;

/// A check-in's id: 8 random bytes, written as 16 hex digits. It is not a
/// secret; it ties the codes of one check-in together.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CheckinId([u8; ID_LEN]);

impl CheckinId {
    pub fn generate() -> CheckinId {
        let mut bytes = [0; ID_LEN];
        UnwrapErr(OsRng).fill_bytes(&mut bytes);
        CheckinId(bytes)
    }

    pub const fn from_bytes(bytes: [u8; ID_LEN]) -> CheckinId {
        CheckinId(bytes)
    }

    pub const fn as_bytes(&self) -> &[u8; ID_LEN] {
        &self.0
    }
}

impl fmt::Display for CheckinId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for CheckinId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CheckinId({self})")
    }
}

impl FromStr for CheckinId {
    type Err = CheckinError;

    fn from_str(s: &str) -> Result<CheckinId, CheckinError> {
        let s = s.trim();
        let bad = || CheckinError::Id { got: s.to_owned() };
        if s.len() != 2 * ID_LEN || !s.is_ascii() {
            return Err(bad());
        }
        let mut out = [0; ID_LEN];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(CheckinId(out))
    }
}

/// What I send a friend: enough for the page to ask the questions and seal
/// the answers to me.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    pub id: CheckinId,
    /// My check-in key; the friend's answers are sealed to it.
    pub public: PublicKey,
    /// The question set version.
    pub items: u8,
    /// The name the friend sees for me.
    pub name: String,
    /// The last day the page accepts answers.
    pub expires: Date,
}

/// The friend's answers, sealed to me, with their key for the reveal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub id: CheckinId,
    pub reveal_key: PublicKey,
    pub enc: [u8; ENC_LEN],
    pub ciphertext: Vec<u8>,
}

/// Both sides' answers, sealed to the friend's reveal key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reveal {
    pub id: CheckinId,
    pub enc: [u8; ENC_LEN],
    pub ciphertext: Vec<u8>,
}

/// What a reveal shows the friend: the question set, my name, both sides'
/// answers and the perspective sentences from the friend's side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevealContent {
    pub items: u8,
    /// The name the friend knows me by (the invitation's).
    pub name: String,
    /// My answers.
    pub inviter: Answers,
    /// The friend's answers.
    pub friend: Answers,
    /// Item id and its perspective sentence, worded for the friend
    /// ("You … ; Alex …").
    pub sentences: Vec<(String, String)>,
}

const EPOCH: Date = Date::constant(1970, 1, 1);

impl Invite {
    /// A new invitation's text: `i1.` and base64url.
    pub fn encode(&self) -> Result<String, CheckinError> {
        let name = self.name.as_bytes();
        if name.is_empty() || name.len() > MAX_NAME_BYTES {
            return Err(CheckinError::InviteName { bytes: name.len() });
        }
        let days = EPOCH
            .until(self.expires)
            .map(|span| span.get_days())
            .unwrap_or(-1);
        let days = u16::try_from(days).map_err(|_| CheckinError::Expiry {
            date: self.expires.to_string(),
        })?;
        let mut out = Vec::with_capacity(ID_LEN + PUBLIC_KEY_LEN + 4 + name.len());
        out.extend_from_slice(&self.id.0);
        out.extend_from_slice(&self.public.to_bytes());
        out.push(self.items);
        out.extend_from_slice(&days.to_be_bytes());
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        Ok(format!("{INVITE_PREFIX}{}", URL_SAFE_NO_PAD.encode(out)))
    }

    /// Reads an invitation from its text, or from a whole link (what follows `#`).
    pub fn decode(text: &str) -> Result<Invite, CheckinError> {
        let text = text.rsplit_once('#').map_or(text, |(_, fragment)| fragment);
        let bytes = payload(Kind::Invite, text)?;
        let mut r = Reader::new(Kind::Invite, &bytes);
        let id = CheckinId(r.array()?);
        let public = r.key()?;
        let items = r.array::<1>()?[0];
        let days = u16::from_be_bytes(r.array()?);
        let len = usize::from(r.array::<1>()?[0]);
        let name = std::str::from_utf8(r.take(len)?)
            .map(clean_name)
            .map_err(|_| Kind::Invite.damaged("its name is not text"))?;
        if name.is_empty() {
            return Err(Kind::Invite.damaged("its name is empty"));
        }
        r.end()?;
        let expires = EPOCH
            .checked_add(jiff::Span::new().days(i64::from(days)))
            .map_err(|_| Kind::Invite.damaged("its expiry is not a date"))?;
        Ok(Invite {
            id,
            public,
            items,
            name,
            expires,
        })
    }

    /// Whether the page should still take answers on `today`.
    pub fn is_expired(&self, today: Date) -> bool {
        today > self.expires
    }
}

impl Reply {
    /// What the friend's page does, in Rust: seals `answers` (to the item
    /// set of `invite`) to the inviter, with `reveal_key` for the way back.
    pub fn seal(invite: &Invite, reveal_key: &PublicKey, answers: &Answers) -> Result<Reply, CheckinError> {
        let plaintext = serde_json::json!({ "v": invite.items, "a": answers.to_value() }).to_string();
        let aad = reply_aad(invite.id, reveal_key);
        let sealed = crypto::seal(&invite.public, &aad, plaintext.as_bytes())?;
        Ok(Reply {
            id: invite.id,
            reveal_key: reveal_key.clone(),
            enc: sealed.enc,
            ciphertext: sealed.ciphertext,
        })
    }

    /// Opens the answers with my check-in's secret key and checks them
    /// against their question set. Returns the set's version and the answers.
    pub fn open(&self, secret: &SecretKey) -> Result<(u8, Answers), CheckinError> {
        let aad = reply_aad(self.id, &self.reveal_key);
        let plaintext = crypto::open(secret, &self.enc, &aad, &self.ciphertext)?;
        let value: serde_json::Value = serde_json::from_slice(&plaintext)
            .map_err(|_| Kind::Reply.damaged("its answers are not JSON"))?;
        let version = value
            .get("v")
            .and_then(serde_json::Value::as_u64)
            .and_then(|v| u8::try_from(v).ok())
            .ok_or_else(|| Kind::Reply.damaged("it names no question set"))?;
        let set = ItemSet::version(version)?;
        let answers = Answers::from_value(set, value.get("a").unwrap_or(&serde_json::Value::Null))?;
        Ok((version, answers))
    }

    pub fn encode(&self) -> String {
        let mut out = Vec::with_capacity(ID_LEN + PUBLIC_KEY_LEN + ENC_LEN + self.ciphertext.len());
        out.extend_from_slice(&self.id.0);
        out.extend_from_slice(&self.reveal_key.to_bytes());
        out.extend_from_slice(&self.enc);
        out.extend_from_slice(&self.ciphertext);
        format!("{REPLY_PREFIX}{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// Reads a reply code as pasted: white space and line breaks a chat
    /// app added are ignored.
    pub fn decode(text: &str) -> Result<Reply, CheckinError> {
        let bytes = payload(Kind::Reply, text)?;
        let mut r = Reader::new(Kind::Reply, &bytes);
        let id = CheckinId(r.array()?);
        let reveal_key = r.key()?;
        let enc = r.array()?;
        let ciphertext = r.rest(TAG_LEN + 2)?;
        Ok(Reply {
            id,
            reveal_key,
            enc,
            ciphertext,
        })
    }
}

impl Reveal {
    /// Seals both sides' answers for the friend, with the perspective sentences
    /// worded from their side.
    pub fn seal(
        id: CheckinId,
        friend_key: &PublicKey,
        items: u8,
        my_name: &str,
        mine: &Answers,
        theirs: &Answers,
    ) -> Result<Reveal, CheckinError> {
        let set = ItemSet::version(items)?;
        let lines = perspective::lines(set, theirs, mine, my_name);
        let plaintext = serde_json::json!({
            "v": items,
            "name": my_name,
            "inviter": mine.to_value(),
            "friend": theirs.to_value(),
            "sentences": lines.iter().map(|line| [&line.item, &line.sentence]).collect::<Vec<_>>(),
        })
        .to_string();
        let sealed = crypto::seal(friend_key, &id.0, plaintext.as_bytes())?;
        Ok(Reveal {
            id,
            enc: sealed.enc,
            ciphertext: sealed.ciphertext,
        })
    }

    /// What the page does, in Rust: opens a reveal with the friend's key.
    pub fn open(&self, secret: &SecretKey) -> Result<RevealContent, CheckinError> {
        let plaintext = crypto::open(secret, &self.enc, &self.id.0, &self.ciphertext)?;
        let value: serde_json::Value = serde_json::from_slice(&plaintext)
            .map_err(|_| Kind::Reveal.damaged("its contents are not JSON"))?;
        let items = value
            .get("v")
            .and_then(serde_json::Value::as_u64)
            .and_then(|v| u8::try_from(v).ok())
            .ok_or_else(|| Kind::Reveal.damaged("it names no question set"))?;
        let set = ItemSet::version(items)?;
        let field = |name: &str| value.get(name).unwrap_or(&serde_json::Value::Null);
        let name = field("name")
            .as_str()
            .ok_or_else(|| Kind::Reveal.damaged("it has no name"))?
            .to_owned();
        let inviter = Answers::from_value(set, field("inviter"))?;
        let friend = Answers::from_value(set, field("friend"))?;
        let sentences = field("sentences")
            .as_array()
            .map(|pairs| {
                pairs
                    .iter()
                    .filter_map(|pair| {
                        Some((
                            pair.get(0)?.as_str()?.to_owned(),
                            pair.get(1)?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(RevealContent {
            items,
            name,
            inviter,
            friend,
            sentences,
        })
    }

    pub fn encode(&self) -> String {
        let mut out = Vec::with_capacity(ID_LEN + ENC_LEN + self.ciphertext.len());
        out.extend_from_slice(&self.id.0);
        out.extend_from_slice(&self.enc);
        out.extend_from_slice(&self.ciphertext);
        format!("{REVEAL_PREFIX}{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// Reads a reveal code, alone or as the fragment of a link.
    pub fn decode(text: &str) -> Result<Reveal, CheckinError> {
        let text = text.rsplit_once('#').map_or(text, |(_, fragment)| fragment);
        let text = text.strip_prefix("reveal=").unwrap_or(text);
        let bytes = payload(Kind::Reveal, text)?;
        let mut r = Reader::new(Kind::Reveal, &bytes);
        let id = CheckinId(r.array()?);
        let enc = r.array()?;
        let ciphertext = r.rest(TAG_LEN + 2)?;
        Ok(Reveal { id, enc, ciphertext })
    }
}

fn reply_aad(id: CheckinId, reveal_key: &PublicKey) -> Vec<u8> {
    let mut aad = id.0.to_vec();
    aad.extend_from_slice(&reveal_key.to_bytes());
    aad
}

/// The three kinds of code, for telling one from another in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Invite,
    Reply,
    Reveal,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Invite, Kind::Reply, Kind::Reveal];

    pub const fn prefix(self) -> &'static str {
        match self {
            Kind::Invite => INVITE_PREFIX,
            Kind::Reply => REPLY_PREFIX,
            Kind::Reveal => REVEAL_PREFIX,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Kind::Invite => "invitation",
            Kind::Reply => "reply code",
            Kind::Reveal => "reveal code",
        }
    }

    /// The prefix without its version number and dot (`mutual-reply`).
    fn stem(self) -> &'static str {
        let prefix = self.prefix();
        prefix
            .trim_end_matches('.')
            .trim_end_matches(|c: char| c.is_ascii_digit())
    }

    fn damaged(self, problem: &'static str) -> CheckinError {
        CheckinError::Damaged {
            what: self.name(),
            problem,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The bytes after the prefix, or an error that tells a code of another
/// kind, a newer version and stray characters apart.
fn payload(kind: Kind, text: &str) -> Result<Vec<u8>, CheckinError> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(body) = text.strip_prefix(kind.prefix()) else {
        if let Some(other) = Kind::ALL
            .into_iter()
            .find(|k| *k != kind && text.starts_with(k.stem()))
        {
            return Err(CheckinError::WrongKind {
                expected: kind.name(),
                found: other.name(),
            });
        }
        if let Some(rest) = text.strip_prefix(kind.stem()) {
            let version: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if !version.is_empty() {
                return Err(CheckinError::NewerCode {
                    what: kind.name(),
                    version,
                    prefix: kind.prefix(),
                });
            }
        }
        return Err(CheckinError::NotACode {
            what: kind.name(),
            prefix: kind.prefix(),
        });
    };
    if !body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(CheckinError::Characters {
            what: kind.name(),
            prefix: kind.prefix(),
        });
    }
    // A code cut at any character still decodes as far as it goes, so that
    // the layout can say it is short: a lone last character carries no
    // whole byte, and the bits of a cut last group are ignored.
    let whole = &body[..body.len() - usize::from(body.len() % 4 == 1)];
    LENIENT.decode(whole).map_err(|_| CheckinError::Characters {
        what: kind.name(),
        prefix: kind.prefix(),
    })
}

/// base64url without padding that reads a code cut anywhere.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Steps through a payload, turning a short one into a `Truncated` error.
struct Reader<'a> {
    kind: Kind,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(kind: Kind, bytes: &'a [u8]) -> Reader<'a> {
        Reader { kind, bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CheckinError> {
        let end = self.at.saturating_add(n);
        let slice = self.bytes.get(self.at..end).ok_or(CheckinError::Truncated {
            what: self.kind.name(),
            got: self.bytes.len(),
            needed: end,
        })?;
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CheckinError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn key(&mut self) -> Result<PublicKey, CheckinError> {
        PublicKey::from_bytes(self.take(PUBLIC_KEY_LEN)?)
            .map_err(|_| self.kind.damaged("its public key is not a P-256 point"))
    }

    /// The rest, which must hold at least `min` bytes.
    fn rest(&mut self, min: usize) -> Result<Vec<u8>, CheckinError> {
        let left = self.bytes.len().saturating_sub(self.at);
        self.take(left.max(min)).map(<[u8]>::to_vec)
    }

    fn end(&self) -> Result<(), CheckinError> {
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(CheckinError::Trailing {
                what: self.kind.name(),
                extra: self.bytes.len() - self.at,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::crypto::KeyPair;
    use crate::items::Answer;
    use proptest::prelude::*;

    fn invite(me: &KeyPair) -> Invite {
        Invite {
            id: CheckinId::from_bytes([1, 2, 3, 4, 5, 6, 7, 8]),
            public: me.public.clone(),
            items: 1,
            name: "Alex".into(),
            expires: Date::constant(2027, 1, 15),
        }
    }

    fn answers(json: &str) -> Answers {
        Answers::from_json(ItemSet::version(1).unwrap(), json).unwrap()
    }

    /// A typical friend's answers: every scale, two kinds, a short need.
    const TYPICAL: &str = r#"{"closeness":5,"balance":2,"heard":4,"time":2,"more":["presence","listening"],"less":["advice"],"need":"a walk now and then, without phones","grateful":"the lift to the station in the rain"}"#;

    #[test]
    fn ids_are_sixteen_hex_digits() {
        let id = CheckinId::from_bytes([0, 1, 2, 0xab, 0xcd, 0xef, 0x10, 0xff]);
        assert_eq!(id.to_string(), "000102abcdef10ff");
        assert_eq!(" 000102ABCDEF10FF\n".parse::<CheckinId>().unwrap(), id);
        assert!(matches!(
            "000102abcdef10f".parse::<CheckinId>(),
            Err(CheckinError::Id { .. })
        ));
        assert!(matches!(
            "000102abcdef10fg".parse::<CheckinId>(),
            Err(CheckinError::Id { .. })
        ));
        assert!(matches!(
            "éé0102abcdef10f".parse::<CheckinId>(),
            Err(CheckinError::Id { .. })
        ));
        assert_ne!(CheckinId::generate(), CheckinId::generate());
    }

    #[test]
    fn an_invitation_round_trips_and_is_small() {
        let me = KeyPair::generate();
        let invite = invite(&me);
        let text = invite.encode().unwrap();
        assert!(text.starts_with("i1."));
        // 8 + 65 + 1 + 2 + 1 + 4 bytes = 81 bytes; 108 characters in base64url.
        assert_eq!(text.len(), 3 + 108, "{text}");
        assert_eq!(Invite::decode(&text).unwrap(), invite);
        let link = format!("https://example.org/checkin.html#{text}");
        assert_eq!(Invite::decode(&link).unwrap(), invite);
        assert!(!invite.is_expired(Date::constant(2027, 1, 15)));
        assert!(invite.is_expired(Date::constant(2027, 1, 16)));
    }

    #[test]
    fn an_invitation_name_is_cleaned_on_the_way_in() {
        let me = KeyPair::generate();
        let mut invite = invite(&me);
        invite.name = "Al\u{1b}[31mex\u{202e}".into();
        let decoded = Invite::decode(&invite.encode().unwrap()).unwrap();
        assert_eq!(decoded.name, "Al[31mex");
        invite.name = "\u{200b}\u{200e}".into();
        assert_eq!(
            Invite::decode(&invite.encode().unwrap()).unwrap_err().to_string(),
            "this invitation is damaged: its name is empty; copy the whole link again"
        );
    }

    #[test]
    fn an_invitation_refuses_a_name_it_cannot_carry() {
        let me = KeyPair::generate();
        let mut invite = invite(&me);
        invite.name = "x".repeat(65);
        assert_eq!(
            invite.encode().unwrap_err(),
            CheckinError::InviteName { bytes: 65 }
        );
        invite.name = String::new();
        assert_eq!(
            invite.encode().unwrap_err(),
            CheckinError::InviteName { bytes: 0 }
        );
        invite.name = "Alex".into();
        invite.expires = Date::constant(1969, 12, 31);
        assert!(matches!(invite.encode(), Err(CheckinError::Expiry { .. })));
    }

    #[test]
    fn a_reply_round_trips_and_opens_only_for_me() {
        let me = KeyPair::generate();
        let friend = KeyPair::generate();
        let invite = invite(&me);
        let theirs = answers(TYPICAL);
        let reply = Reply::seal(&invite, &friend.public, &theirs).unwrap();
        let code = reply.encode();
        // Answers of a typical size: 190 bytes of JSON, with "v" and "a" 202,
        // sealed 218; with id, key and enc 356 bytes, 475 characters of
        // base64url, 489 with the prefix.
        assert_eq!(theirs.to_json().len(), 190);
        assert_eq!(code.len(), REPLY_PREFIX.len() + 475, "{code}");
        let decoded = Reply::decode(&format!("  {}\n{} ", &code[..100], &code[100..])).unwrap();
        assert_eq!(decoded, reply);
        assert_eq!(decoded.open(&me.secret).unwrap(), (1, theirs));
        assert_eq!(decoded.open(&friend.secret).unwrap_err(), CheckinError::Open);
    }

    #[test]
    fn a_reply_whose_reveal_key_was_swapped_does_not_open() {
        let me = KeyPair::generate();
        let friend = KeyPair::generate();
        let stranger = KeyPair::generate();
        let mut reply = Reply::seal(&invite(&me), &friend.public, &answers(TYPICAL)).unwrap();
        reply.reveal_key = stranger.public;
        let reply = Reply::decode(&reply.encode()).unwrap();
        assert_eq!(reply.open(&me.secret).unwrap_err(), CheckinError::Open);
    }

    #[test]
    fn a_reveal_round_trips_for_the_friend() {
        let friend = KeyPair::generate();
        let id = CheckinId::from_bytes([9; 8]);
        let mine =
            answers(r#"{"closeness":6,"balance":3,"heard":5,"time":3,"need":"more notice for plans"}"#);
        let theirs = answers(TYPICAL);
        let reveal = Reveal::seal(id, &friend.public, 1, "Alex", &mine, &theirs).unwrap();
        let code = reveal.encode();
        let link = format!("checkin.html#reveal={code}");
        let content = Reveal::decode(&link).unwrap().open(&friend.secret).unwrap();
        assert_eq!(content.name, "Alex");
        assert_eq!(content.inviter, mine);
        assert_eq!(content.friend, theirs);
        let expected: Vec<(String, String)> =
            perspective::lines(ItemSet::version(1).unwrap(), &theirs, &mine, "Alex")
                .into_iter()
                .map(|line| (line.item, line.sentence))
                .collect();
        assert_eq!(content.sentences, expected);
        assert_eq!(
            content.sentences[1].1,
            "You feel you have been giving a little more lately; Alex sees the last months as balanced."
        );
        // Both sides' answers and nine sentences: about 1.8 KB of base64url.
        assert!((1500..2200).contains(&code.len()), "{}", code.len());
        let wrong = Reveal::decode(&code).unwrap().open(&KeyPair::generate().secret);
        assert_eq!(wrong.unwrap_err(), CheckinError::Open);
    }

    #[test]
    fn tampered_truncated_and_foreign_codes_say_what_is_wrong() {
        let me = KeyPair::generate();
        let friend = KeyPair::generate();
        let invite = invite(&me);
        let code = Reply::seal(&invite, &friend.public, &answers(TYPICAL))
            .unwrap()
            .encode();
        let err = |text: &str| Reply::decode(text).unwrap_err().to_string();

        assert_eq!(
            err("hello"),
            "this is not a reply code: a reply code starts with 'mutual-reply1.'; copy the whole code"
        );
        assert_eq!(
            err(&invite.encode().unwrap()),
            "this is an invitation, not a reply code; paste the reply code your friend sent back"
        );
        assert_eq!(
            err("mutual-reveal1.AAAA"),
            "this is a reveal code, not a reply code; paste the reply code your friend sent back"
        );
        assert_eq!(
            err("mutual-reply2.AAAA"),
            "this reply code was made by a newer mutual (format 2); this one reads 'mutual-reply1.' codes, so please update mutual"
        );
        assert_eq!(
            err(&format!("{code}*")),
            "this reply code has characters that cannot be in it: after 'mutual-reply1.' come only letters, digits, '-' and '_'; copy the whole code again"
        );
        assert_eq!(
            err(&code[..60]),
            "this reply code is cut short (34 bytes where at least 73 are needed); copy the whole code again"
        );
        assert_eq!(
            err(&code[..200]),
            "this reply code is cut short (139 bytes where at least 156 are needed); copy the whole code again"
        );
        // A changed character of the key.
        let mut bytes = URL_SAFE_NO_PAD.decode(&code[REPLY_PREFIX.len()..]).unwrap();
        bytes[9] ^= 0x55;
        let tampered = format!("{REPLY_PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes));
        assert_eq!(
            err(&tampered),
            "this reply code is damaged: its public key is not a P-256 point; copy the whole code again"
        );
        // A changed character of the ciphertext decodes, but does not open.
        let mut bytes = URL_SAFE_NO_PAD.decode(&code[REPLY_PREFIX.len()..]).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let tampered = Reply::decode(&format!("{REPLY_PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes))).unwrap();
        assert_eq!(tampered.open(&me.secret).unwrap_err(), CheckinError::Open);

        let invite_text = invite.encode().unwrap();
        assert_eq!(
            Invite::decode(&format!("{invite_text}AA"))
                .unwrap_err()
                .to_string(),
            "this invitation has 1 byte too many at its end; copy the whole link again"
        );
        assert_eq!(
            Invite::decode(&code).unwrap_err().to_string(),
            "this is a reply code, not an invitation; open the link your friend sent"
        );
    }

    proptest! {
        #[test]
        fn decoders_never_panic_on_any_text(text in ".{0,400}") {
            let _ = Invite::decode(&text);
            let _ = Reply::decode(&text);
            let _ = Reveal::decode(&text);
        }

        #[test]
        fn decoders_never_panic_on_any_payload(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let body = URL_SAFE_NO_PAD.encode(&bytes);
            let _ = Invite::decode(&format!("{INVITE_PREFIX}{body}"));
            if let Ok(reply) = Reply::decode(&format!("{REPLY_PREFIX}{body}")) {
                prop_assert!(reply.open(&KeyPair::derive(&[7; 32]).secret).is_err());
            }
            let _ = Reveal::decode(&format!("{REVEAL_PREFIX}{body}"));
        }
    }

    #[test]
    fn answers_may_leave_optional_items_out() {
        let mut answers = answers(r#"{"closeness":1,"balance":5,"heard":1,"time":5}"#);
        answers
            .set(ItemSet::version(1).unwrap(), "more", Answer::Kinds(vec![]))
            .unwrap();
        let me = KeyPair::generate();
        let reply = Reply::seal(&invite(&me), &KeyPair::generate().public, &answers).unwrap();
        assert_eq!(
            Reply::decode(&reply.encode())
                .unwrap()
                .open(&me.secret)
                .unwrap()
                .1,
            answers
        );
    }
}
