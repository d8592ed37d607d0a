//! The domain of `mutual` and its reciprocity model.
//!
//! Types name the concepts of the product spec: [`Friend`], [`Interaction`]
//! (a journal entry, whose model-relevant part is an [`Exchange`]), needs and
//! boundaries ([`care`]), [`FollowUp`], wins, gratitude and parked topics
//! ([`moments`]), [`Agreement`], disclosure [`prompt`]s and [`Review`]s.
//!
//! The model is a set of pure functions over those types: the support
//! [`balance`], [`energy`], [`cadence`] states, follow-up [`reliability`],
//! prompt pacing, and journal [`signal`]s, brought together in today's
//! [`agenda`]. Nothing here does IO, SQL or async work; everything the model
//! needs, including the time zone and the moment to evaluate at, is passed in
//! through a [`Context`].

pub mod agenda;
pub mod agreement;
pub mod balance;
pub mod cadence;
pub mod care;
pub mod dates;
pub mod energy;
pub mod followup;
pub mod friend;
pub mod id;
pub mod interaction;
pub mod moments;
pub mod names;
pub mod prompt;
pub mod record;
pub mod review;
pub mod signal;
pub mod support;
pub mod text;
pub mod words;

pub use agenda::{Action, Agenda, AgendaItem, AgendaKind, FriendOverview, Section, agenda, overview};
pub use agreement::{Agreement, Roles};
pub use balance::{Balance, BalanceConfig, Band, balance};
pub use cadence::{CadenceConfig, CadenceState, CadenceStatus};
pub use care::{Boundary, BoundaryRule, Need};
pub use dates::{DateKind, KeyDate, MonthDay, Upcoming, upcoming};
pub use energy::{EnergyConfig, EnergySummary, Trend};
pub use followup::{FollowUp, FollowUpState, Reliability, reliability};
pub use friend::{Alias, Cadence, Circle, Friend, Pause, Platform};
pub use id::*;
pub use interaction::{Channel, ChatContact, Energy, Exchange, FeltHeard, Initiator, Interaction, Side};
pub use moments::{Gratitude, ParkedTopic, Win, WinResponse};
pub use names::UnknownName;
pub use prompt::{Deck, Depth, PacingConfig, Prompt, PromptUse};
pub use record::FriendRecord;
pub use review::{Period, Review};
pub use signal::{Drift, Signal, SignalConfig, SignalKind};
pub use support::{Intensity, SupportKind, SupportKinds, SupportSet};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// `n` days of 24 hours, for arithmetic on [`Timestamp`]s (which, having no
/// time zone, do not take calendar days).
pub fn days(n: i64) -> jiff::SignedDuration {
    jiff::SignedDuration::from_hours(n.saturating_mul(24))
}

/// Every knob of the model, with the defaults the product spec describes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ModelConfig {
    pub balance: BalanceConfig,
    pub energy: EnergyConfig,
    pub cadence: CadenceConfig,
    pub pacing: PacingConfig,
    pub signals: SignalConfig,
}

impl ModelConfig {
    /// How far back the model reads the journal, in days: past this, no
    /// entry changes any measure.
    pub fn horizon_days(&self) -> i64 {
        let energy = 2.0 * self.energy.recent_days as f64;
        self.balance.horizon_days().max(energy).max(365.0).ceil() as i64
    }
}

/// The moment and place the model evaluates at.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub as_of: Timestamp,
    /// `as_of`'s local day.
    pub today: Date,
    pub tz: &'a TimeZone,
    pub config: &'a ModelConfig,
}

impl<'a> Context<'a> {
    pub fn new(as_of: Timestamp, tz: &'a TimeZone, config: &'a ModelConfig) -> Context<'a> {
        Context {
            as_of,
            today: as_of.to_zoned(tz.clone()).date(),
            tz,
            config,
        }
    }
}
