/// Everything that can go wrong with a check-in: a key, a code, an answer.
/// Each message is one line: what was wrong and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckinError {
    #[error("this public key cannot be used: {problem}; expected a P-256 point of 65 bytes starting with 04")]
    Key { problem: String },
    #[error("this check-in's secret key is damaged; expected a P-256 secret of 32 bytes")]
    SecretKey,
    #[error("the answers could not be sealed")]
    Seal,
    #[error(
        "this code does not open with this check-in's key: it belongs to another check-in, or a character changed on the way; ask for the code to be sent again, copied whole"
    )]
    Open,
    #[error(
        "this check-in uses question set {version}, which this mutual does not know (it knows {known}); a newer mutual may"
    )]
    UnknownItemSet { version: u8, known: String },
    #[error("question set {version} as shipped cannot be read: {problem}")]
    ItemSetFile { version: u8, problem: String },
    #[error("there is no question '{id}' in question set {version}; expected one of: {expected}")]
    UnknownItem {
        id: String,
        version: u8,
        expected: String,
    },
    #[error("the answer to '{item}' {problem}; expected {expected}")]
    Answer {
        item: String,
        problem: String,
        expected: String,
    },
    #[error(
        "the answers are not JSON we can read ({problem}); expected an object such as {{\"closeness\": 5, \"more\": [\"listening\"]}}"
    )]
    AnswersJson { problem: String },
    #[error("'{got}' is not a check-in id; expected 16 hex digits such as 3f09a1c27b5e8d40")]
    Id { got: String },
    #[error("the name an invitation shows has {bytes} bytes; expected 1 to 64 (a first name or a nickname)")]
    InviteName { bytes: usize },
    #[error("an invitation cannot expire on {date}; expected a day between 1970 and 2149")]
    Expiry { date: String },
    #[error(
        "this is not {}: {} starts with '{prefix}'; copy the whole {}",
        article(what),
        article(what),
        whole(what)
    )]
    NotACode {
        what: &'static str,
        prefix: &'static str,
    },
    #[error("this is {}, not {}; {}", article(found), article(expected), hint(expected))]
    WrongKind {
        expected: &'static str,
        found: &'static str,
    },
    #[error(
        "this {what} was made by a newer mutual (format {version}); this one reads '{prefix}' codes, so please update mutual"
    )]
    NewerCode {
        what: &'static str,
        version: String,
        prefix: &'static str,
    },
    #[error(
        "this {what} has characters that cannot be in it: after '{prefix}' come only letters, digits, '-' and '_'; copy the whole code again"
    )]
    Characters {
        what: &'static str,
        prefix: &'static str,
    },
    #[error(
        "this {what} is cut short ({got} bytes where at least {needed} are needed); copy the whole {} again",
        whole(what)
    )]
    Truncated {
        what: &'static str,
        got: usize,
        needed: usize,
    },
    #[error("this {what} has {extra} byte{} too many at its end; copy the whole {} again", if *extra == 1 { "" } else { "s" }, whole(what))]
    Trailing { what: &'static str, extra: usize },
    #[error("this {what} is damaged: {problem}; copy the whole {} again", whole(what))]
    Damaged {
        what: &'static str,
        problem: &'static str,
    },
}

fn article(what: &str) -> String {
    let a = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{a} {what}")
}

/// What to do instead, for a code of the wrong kind.
fn hint(expected: &str) -> &'static str {
    match expected {
        "invitation" => "open the link your friend sent",
        "reply code" => "paste the reply code your friend sent back",
        _ => "open the reveal link your friend sent",
    }
}

/// What to copy again: an invitation travels as a link.
fn whole(what: &str) -> &'static str {
    if what == "invitation" { "link" } else { "code" }
}
