//! What every fuzz target does: feed the bytes to one parser and require
//! that it returns, whatever it returns.

use mutual_import::{Collected, Format, Input, Options};

/// Parses `data` as `format`. Database formats need a file on disk, so
/// their bytes go through a temporary file.
pub fn parse(format: Format, data: &[u8]) {
    let mut sink = Collected::default();
    let options = Options::default();
    match format {
        Format::IMessage | Format::SignalDesktop => {
            let path = std::env::temp_dir().join(format!("mutual-fuzz-{}-{}.db", format.as_str(), std::process::id()));
            if std::fs::write(&path, data).is_ok() {
                if let Ok(input) = Input::file(&path) {
                    let _ = format.parse(&input, &options, &mut sink);
                }
                let _ = std::fs::remove_file(&path);
            }
        }
        _ => {
            let input = Input::bytes("fuzz.txt", data.to_vec());
            let _ = format.parse(&input, &options, &mut sink);
        }
    }
}

/// Detects the format of `data`, then parses it as that.
pub fn detect_and_parse(data: &[u8]) {
    let input = Input::bytes("fuzz", data.to_vec());
    if let Ok(format) = mutual_import::detect(&input) {
        parse(format, data);
    }
}

/// Reads `data` as each check-in code (invitation, reply, reveal), as typed
/// and after each code's prefix, and opens what decodes.
pub fn checkin_codes(data: &[u8]) {
    use mutual_checkin::codec::{INVITE_PREFIX, REPLY_PREFIX, REVEAL_PREFIX};
    use mutual_checkin::{Invite, Reply, Reveal, crypto::KeyPair};

    let text = String::from_utf8_lossy(data);
    let key = KeyPair::derive(&[7; 32]);
    for text in [
        text.to_string(),
        format!("{REPLY_PREFIX}{text}"),
        format!("{REVEAL_PREFIX}{text}"),
        format!("{INVITE_PREFIX}{text}"),
    ] {
        let _ = Invite::decode(&text);
        if let Ok(reply) = Reply::decode(&text) {
            let _ = reply.open(&key.secret);
        }
        if let Ok(reveal) = Reveal::decode(&text) {
            let _ = reveal.open(&key.secret);
        }
    }
}
