//! Agreements: the outcome of a renegotiation, with the roles each side
//! expects to play. The balance model honours them.

use jiff::Timestamp;

use crate::id::{AgreementId, FriendId};
use crate::support::SupportKinds;

/// Who is expected to give what: complementary roles count as balanced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Roles {
    /// What I expect to give.
    pub me: SupportKinds,
    /// What they expect to give.
    pub them: SupportKinds,
}

impl Roles {
    pub fn is_empty(&self) -> bool {
        self.me.is_empty() && self.them.is_empty()
    }
}

/// What we agreed, from when, and until when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Agreement {
    pub id: AgreementId,
    pub friend: FriendId,
    pub text: String,
    pub roles: Roles,
    pub since: Timestamp,
    /// When it stopped applying; still in force while absent.
    pub ended_at: Option<Timestamp>,
}

impl Agreement {
    pub fn is_active_at(&self, at: Timestamp) -> bool {
        self.since <= at && self.ended_at.is_none_or(|end| at < end)
    }
}
