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
    UnknownItemSet { version: u32, known: String },
    #[error("question set {version} as shipped cannot be read: {problem}")]
    ItemSetFile { version: u32, problem: String },
    #[error("there is no question '{id}' in question set {version}; expected one of: {expected}")]
    UnknownItem {
        id: String,
        version: u32,
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
}
