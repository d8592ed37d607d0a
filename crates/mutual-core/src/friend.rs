//! Friends: names, aliases, circles, check-in cadence and pauses.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::id::FriendId;
use crate::names::named_enum;

named_enum! {
    /// Where a chat history or an alias comes from.
    pub enum Platform as "platform" {
        WhatsApp = "whatsapp",
        Telegram = "telegram",
        Signal = "signal",
        Messenger = "messenger",
        Instagram = "instagram",
        IMessage = "imessage",
        Sms = "sms",
        Discord = "discord",
        Line = "line",
    }
}

named_enum! {
    /// How close a friendship is; each circle has a default cadence.
    pub enum Circle as "circle" {
        Inner = "inner",
        Close = "close",
        Wider = "wider",
    }
}

impl Circle {
    /// The check-in rhythm a friend in this circle gets unless they have their own.
    pub const fn default_cadence(self) -> Cadence {
        match self {
            Circle::Inner => Cadence::new_unchecked(7, 21),
            Circle::Close => Cadence::new_unchecked(14, 42),
            Circle::Wider => Cadence::new_unchecked(30, 90),
        }
    }
}

/// A check-in rhythm: the ideal interval between contacts and the longest
/// one that still feels fine, in days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Cadence {
    pub ideal_days: u32,
    pub max_days: u32,
}

/// Why a cadence is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CadenceError {
    #[error("a check-in interval must be at least 1 day (got {0})")]
    TooShort(u32),
    #[error("the maximum interval ({max} days) must not be shorter than the ideal one ({ideal} days)")]
    MaxBelowIdeal { ideal: u32, max: u32 },
    #[error("a check-in interval longer than 3650 days is not a rhythm (got {0})")]
    TooLong(u32),
}

impl Cadence {
    /// Used for a friend with neither a circle nor a rhythm of their own.
    pub const DEFAULT: Cadence = Cadence::new_unchecked(21, 60);

    const fn new_unchecked(ideal_days: u32, max_days: u32) -> Cadence {
        Cadence { ideal_days, max_days }
    }

    pub fn new(ideal_days: u32, max_days: u32) -> Result<Cadence, CadenceError> {
        for days in [ideal_days, max_days] {
            if days == 0 {
                return Err(CadenceError::TooShort(days));
            }
            if days > 3650 {
                return Err(CadenceError::TooLong(days));
            }
        }
        if max_days < ideal_days {
            return Err(CadenceError::MaxBelowIdeal {
                ideal: ideal_days,
                max: max_days,
            });
        }
        Ok(Cadence::new_unchecked(ideal_days, max_days))
    }

    /// A rhythm from its ideal alone: the maximum is three times the ideal.
    pub fn every(ideal_days: u32) -> Result<Cadence, CadenceError> {
        Cadence::new(ideal_days, ideal_days.saturating_mul(3).min(3650))
    }
}

/// A busy season: no check-in nudges while it lasts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Pause {
    pub from: Date,
    /// The last paused day; open-ended when absent.
    pub until: Option<Date>,
    pub reason: Option<String>,
}

impl Pause {
    pub fn covers(&self, day: Date) -> bool {
        self.from <= day && self.until.is_none_or(|until| day <= until)
    }
}

/// Another name a friend goes by: a chat display name, a phone number, a handle.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Alias {
    pub text: String,
    /// The platform it is used on; any platform when absent.
    pub platform: Option<Platform>,
}

/// A person in my life.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Friend {
    pub id: FriendId,
    pub name: String,
    pub aliases: Vec<Alias>,
    pub circle: Option<Circle>,
    /// Their own rhythm; the circle's default (or [`Cadence::DEFAULT`]) applies when absent.
    pub cadence: Option<Cadence>,
    pub notes: Option<String>,
    /// Busy seasons, past and present, oldest first.
    pub pauses: Vec<Pause>,
    /// No check-in nudges up to and including this day.
    pub snoozed_until: Option<Date>,
    pub birthday: Option<crate::dates::MonthDay>,
    pub added_at: Timestamp,
}

impl Friend {
    /// The rhythm that applies to this friend.
    pub fn effective_cadence(&self) -> Cadence {
        self.cadence
            .or(self.circle.map(Circle::default_cadence))
            .unwrap_or(Cadence::DEFAULT)
    }

    /// Whether `name` is this friend's name or one of their aliases
    /// (ignoring case and surrounding space).
    pub fn answers_to(&self, name: &str) -> bool {
        let name = name.trim().to_lowercase();
        self.name.to_lowercase() == name || self.aliases.iter().any(|a| a.text.to_lowercase() == name)
    }

    /// The pause covering `day`, if any.
    pub fn pause_on(&self, day: Date) -> Option<&Pause> {
        self.pauses.iter().rev().find(|p| p.covers(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn cadence_rules() {
        assert_eq!(Cadence::every(10).unwrap(), Cadence::new(10, 30).unwrap());
        assert!(Cadence::new(0, 3).is_err());
        assert!(Cadence::new(10, 5).is_err());
        assert!(Cadence::new(10, 4000).is_err());
    }

    #[test]
    fn pause_covers_its_days() {
        let pause = Pause {
            from: date(2026, 3, 1),
            until: Some(date(2026, 3, 31)),
            reason: None,
        };
        assert!(!pause.covers(date(2026, 2, 28)));
        assert!(pause.covers(date(2026, 3, 1)));
        assert!(pause.covers(date(2026, 3, 31)));
        assert!(!pause.covers(date(2026, 4, 1)));
    }
}
