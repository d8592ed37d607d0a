//! Two-sided check-ins: a friend answers the same short set of questions I
//! did, in any browser, and each of us sees the other's answers only once
//! both have answered.
//!
//! - [`crypto`]: HPKE base mode (DHKEM(P-256, HKDF-SHA256), HKDF-SHA256,
//!   AES-128-GCM), the suite the friend's page runs with WebCrypto alone.
//! - [`items`]: the question set, versioned data files, and answers checked
//!   against it.

pub mod crypto;
mod error;
pub mod items;

pub use error::CheckinError;
pub use items::{Answer, Answers, Item, ItemKind, ItemSet};
