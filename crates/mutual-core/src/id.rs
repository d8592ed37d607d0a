//! Newtype ids: a bare integer never crosses a crate boundary.

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

ids! {
    /// A friend.
    FriendId,
    /// A journal entry.
    InteractionId,
    /// A need, mine or a friend's.
    NeedId,
    /// A boundary, mine or a friend's.
    BoundaryId,
    /// Something to come back to.
    FollowUpId,
    /// A friend's good news.
    WinId,
    /// Something a friend did that I appreciate.
    GratitudeId,
    /// A topic paused by agreement.
    ParkedTopicId,
    /// The outcome of a renegotiation.
    AgreementId,
    /// One use of a disclosure prompt with a friend.
    PromptUseId,
    /// A recorded review reflection.
    ReviewId,
    /// A day that matters to a friend.
    KeyDateId,
    /// A conversation imported from a chat export.
    ChatId,
    /// A person as a chat export names them, on one platform.
    SenderId,
}
