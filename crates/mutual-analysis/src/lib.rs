//! What the chats say about a friendship, computed without touching storage.
//!
//! - [`vader`]: VADER sentiment, scoring as vaderSentiment 3.3.2 does.
//! - [`text`]: the features of one message (sentiment, emoji sentiment,
//!   questions, gratitude, apologies, good and hard news, disclosure,
//!   support offered, words, style words), computed at import time.
//! - [`changepoint`]: Bayesian online change-point detection over a weekly series.
//!
//! Everything here is pure: no SQL, no files, no clock. Callers pass the
//! moment, the time zone and the knobs in.

pub mod changepoint;
pub mod conversation;
pub mod drift;
pub mod lang;
pub mod signals;
pub mod synth;
pub mod text;
pub mod vader;
pub mod weekly;
