//! Facebook Messenger and Instagram direct messages from "Download Your
//! Information": one JSON file per thread (`message_1.json`, the same schema
//! for both apps), Messenger's 2024 end-to-end encrypted export (camelCase),
//! and the legacy `messages.htm` (see [`html`]).
//!
//! ```text
//! {"participants": [{"name": "Sam Lee"}, {"name": "Alex"}], "messages": [
//!   {"sender_name": "Sam Lee", "timestamp_ms": 1714590180000, "content": "caf\u00c3\u00a9?", "type": "Generic"},
//!  ], "title": "Sam Lee", "thread_path": "inbox/samlee_1234"}
//! ```
//!
//! The JSON writes each byte of UTF-8 as a `\u00XX` escape (mojibake,
//! repaired by [`repair`]), gives times in milliseconds, lists the newest
//! message first, and names the thread after its messages. The encrypted
//! export writes `{"participants": ["Sam Lee", "Alex"], "threadName":
//! "Sam Lee_12", "messages": [{"senderName", "timestamp", "text", "type",
//! "isUnsent", "media": [{"uri"}], "reactions"}]}`.

mod html;

use std::path::Path;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::bounded;
use crate::json::{self, First, JsonStream, Parsed, Scalar, Squeezed};
use crate::zone::Zone;
use crate::{Diagnostic, Error, Input, Kind, Message, Options, Platform, Position, Sink};

/// Messenger JSON that is not Instagram's, or the legacy `messages.htm`.
pub fn sniff(input: &Input, head: &[u8]) -> bool {
    if is_thread_json(head) {
        return platform_of(input, head) == Platform::Messenger;
    }
    html::sniff(input, head)
}

/// Messenger-schema JSON that the content or the path says is Instagram's.
pub fn sniff_instagram(input: &Input, head: &[u8]) -> bool {
    is_thread_json(head) && platform_of(input, head) == Platform::Instagram
}

/// A thread of either app: `sender_name` with `timestamp_ms`, or the
/// encrypted export's `threadName` or `senderName` with `timestamp`.
fn is_thread_json(head: &[u8]) -> bool {
    json::is_object(head)
        && (json::has_key(head, "sender_name") && json::has_key(head, "timestamp_ms")
            || json::has_key(head, "threadName")
            || json::has_key(head, "senderName") && json::has_key(head, "timestamp"))
}

/// Which app wrote a thread: the folders its media sit in say it best, then
/// the deepest path component naming an app, then Instagram's group-invite
/// links. Messenger otherwise.
fn platform_of(input: &Input, head: &[u8]) -> Platform {
    let has = |needle: &str| memchr::memmem::find(head, needle.as_bytes()).is_some();
    if has("your_instagram_activity/") {
        return Platform::Instagram;
    }
    if has("your_facebook_activity/") || has("your_activity_across_facebook/") {
        return Platform::Messenger;
    }
    for component in input.name().rsplit(['/', '\\']) {
        let component = component.to_ascii_lowercase();
        if component.contains("instagram") {
            return Platform::Instagram;
        }
        if component.contains("messenger") || component.contains("facebook") {
            return Platform::Messenger;
        }
    }
    if has("ig.me/j/") {
        Platform::Instagram
    } else {
        Platform::Messenger
    }
}

pub fn parse(input: &Input, options: &Options, sink: &mut dyn Sink, platform: Platform) -> Result<(), Error> {
    let head = input.head(1024)?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
        return html::parse(input, options, sink);
    }
    let expected = match platform {
        Platform::Instagram => "an Instagram message_1.json from Download Your Information",
        _ => "a Messenger message_1.json from Download Your Information, or the legacy messages.htm",
    };
    let mut thread = Thread {
        sink,
        zone: Zone::new(options.tz.clone()),
        chat: String::new(),
        chat_id: None,
        scratch: Scratch::default(),
    };
    // Facebook names the thread after its messages, and writes its path
    // after them too: when either comes late, a first pass finds them and a
    // second one reads the messages. The encrypted export has no path.
    let mut stream = JsonStream::new(input.open()?, expected);
    stream.begin_document()?;
    let mut title = None;
    let mut thread_path = None;
    let mut encrypted = false;
    let mut messages = Messages::Missing;
    while let Some(key) = stream.next_key(Key::of)? {
        match key {
            Key::Title => title = thread.read_name(&mut stream)?,
            Key::ThreadName => {
                encrypted = true;
                title = thread.read_name(&mut stream)?;
            }
            Key::ThreadPath => thread_path = thread.read_name(&mut stream)?,
            Key::Messages => match &title {
                Some(title) if thread_path.is_some() || encrypted => {
                    thread.chat.clone_from(title);
                    thread.chat_id = thread_path.as_deref().and_then(thread_id);
                    thread.read_messages(&mut stream)?;
                    messages = Messages::Read;
                }
                _ => {
                    stream.skip_value()?;
                    messages = Messages::Skipped;
                }
            },
            Key::Other => stream.skip_value()?,
        }
    }
    stream.finish()?;
    match messages {
        Messages::Read => Ok(()),
        Messages::Missing => Err(Error::unreadable(
            Position::Whole,
            "the JSON has no \"messages\" list",
            expected,
        )),
        Messages::Skipped => {
            thread.chat_id = thread_path.as_deref().and_then(thread_id);
            thread.chat = title.or(thread_path).unwrap_or_else(|| fallback_name(input));
            let mut stream = JsonStream::new(input.open()?, expected);
            stream.begin_document()?;
            while let Some(key) = stream.next_key(Key::of)? {
                if let Key::Messages = key {
                    thread.read_messages(&mut stream)?;
                    return stream.finish();
                }
                stream.skip_value()?;
            }
            Ok(())
        }
    }
}

/// The thread's id from its `thread_path` (`inbox/samlee_1234567890`): the
/// folder, without the part of the export it was filed under, which
/// changes when the thread is archived or a request is accepted.
fn thread_id(path: &str) -> Option<String> {
    let folder = path.trim().trim_end_matches('/').rsplit('/').next()?;
    (!folder.is_empty()).then(|| folder.to_owned())
}

enum Messages {
    Missing,
    Skipped,
    Read,
}

#[derive(Clone, Copy)]
enum Key {
    Title,
    ThreadName,
    ThreadPath,
    Messages,
    Other,
}

impl Key {
    fn of(key: &[u8]) -> Key {
        match key {
            b"title" => Key::Title,
            b"threadName" => Key::ThreadName,
            b"thread_path" => Key::ThreadPath,
            b"messages" => Key::Messages,
            _ => Key::Other,
        }
    }
}

/// A thread without a title: named after its folder (`inbox/samlee_1234/message_1.json`)
/// or else its file.
fn fallback_name(input: &Input) -> String {
    let stem = input.stem();
    let numbered = stem
        .strip_prefix("message_")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let folder = Path::new(input.name())
        .parent()
        .and_then(Path::file_name)
        .and_then(|f| f.to_str());
    match folder {
        Some(folder) if numbered && !folder.is_empty() => folder.to_owned(),
        _ => stem.to_owned(),
    }
}

/// Buffers reused from message to message.
#[derive(Debug, Default)]
struct Scratch {
    sender: Vec<u8>,
    content: Vec<u8>,
}

struct Thread<'s> {
    sink: &'s mut dyn Sink,
    zone: Zone,
    chat: String,
    /// From `thread_path`, where the export has one.
    chat_id: Option<String>,
    scratch: Scratch,
}

impl Thread<'_> {
    /// A thread's title or path, repaired.
    fn read_name<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>) -> Result<Option<String>, Error> {
        let name = stream.parse_value(|bytes, _, _| {
            json::first::<Scalar>(bytes).map(|s| {
                let mut buf = Vec::new();
                s.as_str().map(|s| repair(s, &mut buf).to_owned())
            })
        })?;
        Ok(match name {
            Parsed::Value(name) => name,
            Parsed::Skipped(d) => {
                self.sink.diagnostic(d);
                None
            }
        })
    }

    fn read_messages<R: std::io::Read>(&mut self, stream: &mut JsonStream<R>) -> Result<(), Error> {
        stream.begin_array("a list of messages should be")?;
        while stream.next_element()? {
            let parsed = stream.parse_value(|bytes, at, squeezed| {
                json::first::<Record>(bytes).map(|r| self.emit(&r, at, squeezed))
            })?;
            match parsed {
                Parsed::Value(emitted) => emitted?,
                Parsed::Skipped(d) => self.sink.diagnostic(d),
            }
        }
        Ok(())
    }

    fn emit(&mut self, r: &Record<'_>, at: u64, squeezed: &Squeezed) -> Result<(), Error> {
        let Some(utc) = r.timestamp_ms.as_i64().and_then(moment) else {
            self.sink.diagnostic(Diagnostic::new(
                Position::Offset(at),
                "a message has no readable timestamp; skipped",
            ));
            return Ok(());
        };
        let sender = repair(r.sender_name.text(), &mut self.scratch.sender);
        let content = repair(r.content.text(), &mut self.scratch.content);
        let (kind, text) = classify(r, sender, content);
        // The two schemas' names for the text.
        let dropped = squeezed.under(b"content") + squeezed.under(b"text");
        let text = bounded::bound(text, dropped, Position::Offset(at), &mut *self.sink);
        self.sink.message(&Message {
            chat: &self.chat,
            chat_id: self.chat_id.as_deref(),
            sender,
            from_me: false,
            local: self.zone.to_local(utc),
            utc,
            kind,
            text,
            id: None,
            reply_to: None,
            edited: false,
        })?;
        Ok(())
    }
}

/// Milliseconds since 1970; a value too small for that is seconds (as in
/// the first JSON exports of 2018: 1e11 ms is 1973, 1e11 s the year 5138).
fn moment(value: i64) -> Option<Timestamp> {
    if value.unsigned_abs() < 100_000_000_000 {
        json::from_seconds(value)
    } else {
        json::from_millis(value)
    }
}

/// What a message is, and its text or placeholder.
fn classify<'r>(r: &'r Record<'_>, sender: &str, content: &'r str) -> (Kind, &'r str) {
    let kind_name = r.kind.text();
    if r.is_unsent.is_true() {
        return (Kind::Deleted, content);
    }
    if kind_name == "Call" || r.call_duration.is_some() {
        return (Kind::Call, if content.is_empty() { "call" } else { content });
    }
    if matches!(kind_name, "Subscribe" | "Unsubscribe" | "placeholder") || is_system_text(content, sender) {
        return (Kind::System, if content.is_empty() { kind_name } else { content });
    }
    if let Some(placeholder) = media_placeholder(r) {
        if content.is_empty() || is_sent_placeholder(content) {
            return (Kind::Media, placeholder);
        }
    }
    (Kind::Text, content)
}

/// A word for the message's media, if it has any.
fn media_placeholder<'r>(r: &'r Record<'_>) -> Option<&'r str> {
    if r.photos.0.is_some() {
        Some("photo")
    } else if r.videos.0.is_some() {
        Some("video")
    } else if r.audio_files.0.is_some() {
        Some("audio")
    } else if r.gifs.0.is_some() {
        Some("gif")
    } else if r.files.0.is_some() {
        Some("file")
    } else if r.sticker.is_some() {
        Some("sticker")
    } else if let Some(media) = &r.media.0 {
        Some(media_kind(media.uri.text()))
    } else if r.share.is_some() {
        Some("share")
    } else {
        None
    }
}

/// The encrypted export puts every medium in one list: tell them by extension.
fn media_kind(uri: &str) -> &'static str {
    let extension = uri.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("jpg" | "jpeg" | "png" | "webp" | "heic") => "photo",
        Some("gif") => "gif",
        Some("mp4" | "mov" | "webm") => "video",
        Some("ogg" | "oga" | "opus" | "aac" | "m4a" | "mp3" | "wav") => "audio",
        _ => "file",
    }
}

/// The app's own text for media: "Sam sent an attachment.", "You sent a photo.".
fn is_sent_placeholder(content: &str) -> bool {
    content.ends_with('.') && (content.contains(" sent a ") || content.contains(" sent an "))
}

/// What the apps write, in English, when someone changes the group: the
/// actor's name (or "You") and then one of these.
const SYSTEM_PHRASES: &[&str] = &[
    "named the group",
    "changed the group photo",
    "removed the group name",
    "created the group",
    "joined the group",
    "left the group",
    "changed the theme",
    "changed the chat theme",
    "set the emoji to",
    "set the quick reaction to",
    "set the nickname for",
    "set your nickname to",
    "set his own nickname to",
    "set her own nickname to",
    "set their own nickname to",
    "cleared the nickname for",
    "cleared your nickname",
    "cleared his own nickname",
    "cleared her own nickname",
    "cleared their own nickname",
    "created a poll",
    "'s poll has multiple updates",
    "pinned a message",
    "unpinned a message",
];

fn is_system_text(content: &str, sender: &str) -> bool {
    if content == "This poll is no longer available." {
        return true;
    }
    let rest = content
        .strip_prefix("You")
        .or_else(|| content.strip_prefix(sender).filter(|_| !sender.is_empty()));
    let Some(rest) = rest else {
        return false;
    };
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    SYSTEM_PHRASES.iter().any(|p| rest.starts_with(p))
        || rest.starts_with("added ") && rest.contains(" to the group")
        || rest.starts_with("removed ") && rest.contains(" from the group")
}

/// Undoes Facebook's mojibake: its JSON escapes each byte of UTF-8 as a
/// code point (`"caf\u00c3\u00a9"` for "café"). A string is decoded when all
/// its characters fit in a byte and those bytes are UTF-8; any other string
/// (a Latin-1 "née", real text beyond U+00FF) is kept as it is.
pub(crate) fn repair<'t>(text: &'t str, buf: &'t mut Vec<u8>) -> &'t str {
    if text.is_ascii() {
        return text;
    }
    buf.clear();
    for c in text.chars() {
        match u8::try_from(u32::from(c)) {
            Ok(byte) => buf.push(byte),
            Err(_) => return text,
        }
    }
    std::str::from_utf8(buf).unwrap_or(text)
}

/// The fields of one message this parser uses, in both schemas.
#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow, default, alias = "senderName")]
    sender_name: Scalar<'a>,
    #[serde(borrow, default, alias = "timestamp")]
    timestamp_ms: Scalar<'a>,
    #[serde(borrow, default, alias = "text")]
    content: Scalar<'a>,
    #[serde(borrow, default, rename = "type")]
    kind: Scalar<'a>,
    #[serde(borrow, default, alias = "isUnsent")]
    is_unsent: Scalar<'a>,
    #[serde(default)]
    call_duration: Option<IgnoredAny>,
    #[serde(default)]
    photos: First<IgnoredAny>,
    #[serde(default)]
    videos: First<IgnoredAny>,
    #[serde(default)]
    audio_files: First<IgnoredAny>,
    #[serde(default)]
    gifs: First<IgnoredAny>,
    #[serde(default)]
    files: First<IgnoredAny>,
    #[serde(default)]
    sticker: Option<IgnoredAny>,
    #[serde(default)]
    share: Option<IgnoredAny>,
    /// The encrypted export's one media list.
    #[serde(borrow, default)]
    media: First<Media<'a>>,
}

#[derive(Deserialize)]
struct Media<'a> {
    #[serde(borrow, default)]
    uri: Scalar<'a>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str) -> String {
        repair(text, &mut Vec::new()).to_owned()
    }

    #[test]
    fn mojibake_is_decoded() {
        assert_eq!(
            repaired("J\u{e2}\u{9d}\u{a4}\u{ef}\u{b8}\u{8f}hn Doe"),
            "J\u{2764}\u{fe0f}hn Doe"
        );
        assert_eq!(repaired("caf\u{c3}\u{a9}"), "café");
        assert_eq!(repaired("\u{f0}\u{9f}\u{92}\u{96}"), "\u{1f496}");
    }

    #[test]
    fn text_that_is_not_mojibake_is_kept() {
        // Latin-1 letters that are not UTF-8 bytes.
        assert_eq!(repaired("née"), "née");
        // Characters beyond U+00FF: already decoded.
        assert_eq!(repaired("café ❤"), "café ❤");
        assert_eq!(repaired("plain"), "plain");
        assert_eq!(repaired(""), "");
        // A lone lead byte.
        assert_eq!(repaired("\u{c3}"), "\u{c3}");
    }

    #[test]
    fn system_texts_need_their_actor() {
        assert!(is_system_text("Jane Doe joined the group.", "Jane Doe"));
        assert!(is_system_text("You named the group Hikers.", "Sam"));
        assert!(is_system_text("Sam added Alex to the group.", "Sam"));
        assert!(is_system_text(
            "John Doe's poll has multiple updates.",
            "John Doe"
        ));
        assert!(!is_system_text("I joined the group yesterday", "Sam"));
        assert!(!is_system_text("Sam added salt", "Sam"));
        assert!(!is_system_text("", ""));
    }

    #[test]
    fn times_in_seconds_or_milliseconds() {
        assert_eq!(
            moment(1_668_628_203_612).map(|t| t.as_millisecond()),
            Some(1_668_628_203_612)
        );
        assert_eq!(moment(1_520_000_000).map(|t| t.as_second()), Some(1_520_000_000));
        assert_eq!(moment(i64::MAX), None);
        assert_eq!(moment(i64::MIN), None);
    }

    #[test]
    fn thread_ids_leave_out_where_the_thread_was_filed() {
        assert_eq!(thread_id("inbox/samlee_1234").as_deref(), Some("samlee_1234"));
        assert_eq!(
            thread_id("archived_threads/samlee_1234/").as_deref(),
            Some("samlee_1234")
        );
        assert_eq!(thread_id("samlee_1234").as_deref(), Some("samlee_1234"));
        assert_eq!(thread_id(" / "), None);
    }

    #[test]
    fn threads_without_titles_take_their_folder() {
        let input = Input::bytes("inbox/samlee_1234/message_1.json", &b""[..]);
        assert_eq!(fallback_name(&input), "samlee_1234");
        let input = Input::bytes("export.json", &b""[..]);
        assert_eq!(fallback_name(&input), "export");
    }
}
