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
}
