//! Which format an input is, from its first bytes and its name.

use crate::{
    Error, Format, Input, Position, discord, imessage, line, messenger, signal, sms, telegram, whatsapp,
};

/// How much of an input detection looks at.
pub const HEAD: usize = 64 * 1024;

/// Whether the first bytes (and the name) of an input look like one format.
type Sniff = fn(&Input, &[u8]) -> bool;

/// The format of `input`, or an error saying it is not a chat export.
pub fn detect(input: &Input) -> Result<Format, Error> {
    let head = input.head(HEAD)?;
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::unreadable(
            Position::Whole,
            "the file is empty",
            "a chat export",
        ));
    }
    let checks: [(Format, Sniff); 10] = [
        (Format::SignalDesktop, signal::sniff_desktop),
        (Format::IMessage, imessage::sniff),
        (Format::Line, line::sniff),
        (Format::SignalText, signal::sniff_text),
        (Format::WhatsApp, whatsapp::sniff),
        (Format::Telegram, telegram::sniff),
        (Format::Discord, discord::sniff),
        (Format::Instagram, messenger::sniff_instagram),
        (Format::Messenger, messenger::sniff),
        (Format::Sms, sms::sniff),
    ];
    for (format, sniff) in checks {
        if sniff(input, &head) {
            return Ok(format);
        }
    }
    if looks_like_utf16(&head) {
        return Err(Error::unreadable(
            Position::Whole,
            "this looks like UTF-16 text without a byte-order mark, which cannot be told apart from other bytes",
            "UTF-8, or UTF-16 that starts with its byte-order mark (save the export again as UTF-8)",
        ));
    }
    Err(Error::unreadable(
        Position::Whole,
        "this does not look like a chat export",
        "a WhatsApp .txt or .zip, Telegram result.json, signal-export text, Signal Desktop db.sqlite, \
         Messenger or Instagram JSON, iMessage chat.db, SMS Backup & Restore XML, \
         DiscordChatExporter JSON or LINE .txt",
    ))
}

/// Text written as UTF-16 without its byte-order mark: in the first bytes,
/// most characters are ASCII with a zero byte beside them, on one side.
fn looks_like_utf16(head: &[u8]) -> bool {
    let pairs = head.len().min(4096) / 2;
    if pairs < 8 {
        return false;
    }
    let zeros = |side: usize| {
        head.chunks_exact(2)
            .take(pairs)
            .filter(|pair| pair[side] == 0 && pair[1 - side] != 0)
            .count()
    };
    zeros(0).max(zeros(1)) * 10 >= pairs * 6
}
