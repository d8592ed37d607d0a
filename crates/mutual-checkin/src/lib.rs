//! Two-sided check-ins: a friend answers the same short set of questions I
//! did, in any browser, and each of us sees the other's answers only once
//! both have answered.
//!
//! - [`crypto`]: HPKE base mode (DHKEM(P-256, HKDF-SHA256), HKDF-SHA256,
//!   AES-128-GCM), the suite the friend's page runs with WebCrypto alone.
//! - [`items`]: the question set, versioned data files, and answers checked
//!   against it.
//! - [`codec`]: the invitation, the reply code and the reveal code, each a
//!   short versioned text for a URL fragment or a chat.
//! - [`perspective`]: both sides' answers worded as two perspectives.
//! - [`page`]: the friend's page, one self-contained HTML file that does
//!   its HPKE with WebCrypto and asks nothing of any server.

pub mod codec;
pub mod crypto;
mod error;
pub mod items;
pub mod page;
pub mod perspective;

pub use codec::{CheckinId, Invite, Reply, Reveal, RevealContent};
pub use error::CheckinError;
pub use items::{Answer, Answers, Item, ItemKind, ItemSet};
pub use page::page;
pub use perspective::Line;
