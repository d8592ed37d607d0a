//! VADER sentiment (Hutto and Gilbert, 2014), scoring every text as the
//! reference implementation vaderSentiment 3.3.2 does.

/// The four VADER scores of a text, rounded as the reference rounds them
/// (three decimals for the proportions, four for the compound).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sentiment {
    pub neg: f64,
    pub neu: f64,
    pub pos: f64,
    /// Normalised to [-1, 1].
    pub compound: f64,
}

/// Scores one text.
pub fn sentiment(_text: &str) -> Sentiment {
    // Placeholder until the implementation lands: a neutral score.
    Sentiment {
        neg: 0.0,
        neu: 1.0,
        pos: 0.0,
        compound: 0.0,
    }
}
