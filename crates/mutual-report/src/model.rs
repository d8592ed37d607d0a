//! The report's input: plain owned data, filled by the caller (the binary
//! from the store and the analysis, the tests from [`crate::sample`]).
//!
//! Nothing here is computed: bands, cadence words and signal messages
//! arrive already written, so the report only lays them out and draws.

use jiff::civil::Date;

/// A report for one friend or for many.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The page title, e.g. "Your friendships".
    pub title: String,
    /// The day the report was made; "last contact 12 days ago" counts from it.
    pub generated: Date,
    /// One section per friend, in this order.
    pub friends: Vec<FriendReport>,
    /// The next days: follow-ups, birthdays, key dates and the like, in
    /// words, by day.
    pub coming_up: Vec<(Date, String)>,
}

/// Everything the report shows about one friend.
#[derive(Clone, Debug, PartialEq)]
pub struct FriendReport {
    pub name: String,
    /// The balance today in words, e.g. "balanced (B = -0.01)" or "early
    /// days: 2 more times together". Empty when nothing is logged yet.
    pub band: String,
    /// The check-in cadence state in words, e.g. "on track" or "overdue by 5 days".
    pub cadence: String,
    /// The last contact, logged or imported.
    pub last_contact: Option<Date>,
    /// Weekly chat measures, one per week (keyed by its Monday), ascending.
    /// Weeks may be missing; a week with no messages may also be present
    /// with zero counts and no values.
    pub weeks: Vec<Week>,
    /// Support balance B ∈ [−1, 1] over time (positive: I gave more), from
    /// the journal. Empty without journal entries.
    pub balance: Vec<(Date, f64)>,
    /// How I felt after time together, −3 (drained) … +3 (energized), over
    /// time. Empty without journal entries.
    pub energy: Vec<(Date, f64)>,
    /// The energy figure in words, as one sentence, e.g. "Over the last 4
    /// weeks you have felt a little energized after time together (+0.5 on
    /// a scale from −3 to +3, 3 logged times)." Empty without ratings.
    pub energy_lately: String,
    pub signals: Vec<SignalView>,
    pub needs: Vec<Note>,
    pub boundaries: Vec<Note>,
    pub agreements: Vec<Note>,
    /// Things to come back to: the text, the day it is due, and its state
    /// in `detail` ("done on 3 Dec", "still open"). Open ones first.
    pub follow_ups: Vec<Note>,
    /// Their good news, with how I responded in `detail`.
    pub wins: Vec<Note>,
    /// What I am grateful for, with whether I told them in `detail`.
    pub gratitude: Vec<Note>,
}

impl FriendReport {
    /// A friend with a name and nothing else yet.
    pub fn new(name: impl Into<String>) -> FriendReport {
        FriendReport {
            name: name.into(),
            band: String::new(),
            cadence: String::new(),
            last_contact: None,
            weeks: Vec::new(),
            balance: Vec::new(),
            energy: Vec::new(),
            energy_lately: String::new(),
            signals: Vec::new(),
            needs: Vec::new(),
            boundaries: Vec::new(),
            agreements: Vec::new(),
            follow_ups: Vec::new(),
            wins: Vec::new(),
            gratitude: Vec::new(),
        }
    }
}

/// One week of chat measures for the pair (me ↔ this friend).
#[derive(Clone, Debug, PartialEq)]
pub struct Week {
    /// The Monday the week starts on.
    pub monday: Date,
    pub me: Side,
    pub them: Side,
}

/// One person's side of a week.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Side {
    /// Messages this person sent.
    pub messages: u32,
    /// Conversations this person started.
    pub initiations: u32,
    /// Mean words per message this person sent.
    pub words_per_message: Option<f64>,
    /// Median minutes this person took to reply within a conversation.
    pub reply_median_minutes: Option<f64>,
    /// Mean sentiment of this person's messages whose tone was measured, −1 … 1.
    pub enthusiasm: Option<f64>,
    /// Messages whose tone was not measured: in a language `mutual` cannot read.
    pub untoned: u32,
    /// Bids this person made (questions, news, disclosures).
    pub bids: u32,
    /// Share (0 … 1) of the *other* person's bids that this person turned
    /// toward (answered with an engaged reply). Weighted by the other side's
    /// `bids` when smoothed.
    pub turned_toward: Option<f64>,
}

/// A signal as the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct SignalView {
    /// The signal kind in kebab case, e.g. "busy-season" or "fatigue".
    pub kind: String,
    /// When the change began, if known; dated signals appear on the timeline.
    pub began: Option<Date>,
    /// Confidence, 0 … 1.
    pub confidence: f64,
    /// What changed, in warm words.
    pub message: String,
    /// A next step.
    pub suggestion: String,
}

/// Whose need, boundary or agreement a note is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whose {
    Mine,
    Theirs,
    /// Shared: a need or boundary shows on both sides; most agreements are this.
    Both,
}

/// A need, a boundary or an agreement.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub whose: Whose,
    pub text: String,
    pub since: Option<Date>,
    /// More about it: a boundary's checkable rule ("quiet hours 23:00–07:00"),
    /// an agreement's roles ("they: practical; me: listening").
    pub detail: Option<String>,
}
