//! Writes about a friendship beside the journal: needs and boundaries,
//! follow-ups, wins, gratitude, parked topics, agreements, prompts
//! answered, review reflections, key dates and pauses. As in
//! [`crate::services`], each takes values already read from a form or the
//! command line, writes in one transaction and returns what it wrote (the
//! new id, or the changed record), for the face to say in its own words.
//! Marking a follow-up done, responding to a win, telling gratitude and
//! revisiting a parked topic are in [`crate::services`].

use jiff::Timestamp;
use jiff::civil::Date;
use mutual_core::{
    AgreementId, Boundary, BoundaryId, BoundaryRule, FollowUp, FollowUpId, FriendId, GratitudeId, KeyDateId,
    Need, NeedId, ParkedTopicId, Pause, Period, Prompt, PromptUseId, ReviewId, Roles, Side, WinId,
    WinResponse,
};
use mutual_store::{NewReview, Store, StoreError};

use crate::Settings;
use crate::error::{AppError, Result};

/// A text trimmed, refused when nothing is left.
fn words(field: &'static str, text: &str) -> Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(AppError::Invalid {
            field,
            value: String::new(),
            problem: "is empty".to_owned(),
            expected: "a few words".to_owned(),
        });
    }
    Ok(trimmed.to_owned())
}

/// A text that may be left out: blank is absent.
fn said(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

fn not_found(what: &'static str, id: i64) -> StoreError {
    StoreError::NotFound { what, id }
}

// Needs.

/// Notes what one of us (`whose`) needs from the friendship, since `since`.
pub fn add_need(store: &mut Store, friend: FriendId, whose: Side, text: &str, since: Date) -> Result<NeedId> {
    let text = words("need", text)?;
    Ok(store.write(|tx| tx.add_need(friend, whose, &text, since))?)
}

/// What to change in a need; what is absent stays.
#[derive(Clone, Debug, Default)]
pub struct NeedEdit {
    pub text: Option<String>,
    pub whose: Option<Side>,
    pub since: Option<Date>,
}

/// Changes a need, and returns it as it is now.
pub fn edit_need(store: &mut Store, id: NeedId, edit: NeedEdit) -> Result<Need> {
    let text = edit.text.as_deref().map(|t| words("need", t)).transpose()?;
    store.write(|tx| -> Result<Need> {
        let mut need = tx
            .db()
            .needs(None)?
            .into_iter()
            .find(|n| n.id == id)
            .ok_or(not_found("need", id.0))?;
        need.text = text.unwrap_or(need.text);
        need.whose = edit.whose.unwrap_or(need.whose);
        need.since = edit.since.unwrap_or(need.since);
        tx.update_need(&need)?;
        Ok(need)
    })
}

/// Removes a need.
pub fn remove_need(store: &mut Store, id: NeedId) -> Result<()> {
    Ok(store.write(|tx| tx.remove_need(id))?)
}

// Boundaries.

/// A boundary to note.
#[derive(Clone, Debug)]
pub struct NewBoundary {
    pub friend: FriendId,
    pub whose: Side,
    pub text: String,
    /// The day its rule counts from: contacts before it are not checked.
    pub since: Date,
    /// A rule mutual can check, if any.
    pub rule: Option<BoundaryRule>,
}

/// What noting a boundary did.
#[derive(Clone, Debug)]
pub struct BoundaryAdded {
    pub id: BoundaryId,
    /// The days before `since` of journal entries that would have crossed
    /// its rule, in the order the rule finds them (the first is the
    /// earliest): a day to count it from instead, if the person wants
    /// those counted. Empty without a rule.
    pub earlier_crossings: Vec<Date>,
}

/// Notes a boundary, and says which earlier entries would have crossed
/// its rule had it counted from the start.
pub fn add_boundary(settings: &Settings, store: &mut Store, new: &NewBoundary) -> Result<BoundaryAdded> {
    let text = words("boundary", &new.text)?;
    let id = store.write(|tx| tx.add_boundary(new.friend, new.whose, &text, new.since, new.rule.as_ref()))?;
    let mut earlier_crossings = Vec::new();
    if new.rule.is_some() {
        let db = store.db();
        let boundary = Boundary {
            id,
            friend: new.friend,
            whose: new.whose,
            text,
            since: Date::MIN,
            rule: new.rule.clone(),
        };
        let exchanges = db.exchanges_of(new.friend, None)?;
        earlier_crossings = mutual_core::care::crossings(&boundary, &exchanges, &settings.tz)
            .iter()
            .map(|c| c.at.to_zoned(settings.tz.clone()).date())
            .filter(|&d| d < new.since)
            .collect();
    }
    Ok(BoundaryAdded {
        id,
        earlier_crossings,
    })
}

/// What to change in a boundary; what is absent stays (`rule: Some(None)`
/// takes its rule away).
#[derive(Clone, Debug, Default)]
pub struct BoundaryEdit {
    pub text: Option<String>,
    pub whose: Option<Side>,
    pub since: Option<Date>,
    pub rule: Option<Option<BoundaryRule>>,
}

/// Changes a boundary, and returns it as it is now.
pub fn edit_boundary(store: &mut Store, id: BoundaryId, edit: BoundaryEdit) -> Result<Boundary> {
    let text = edit.text.as_deref().map(|t| words("boundary", t)).transpose()?;
    store.write(|tx| -> Result<Boundary> {
        let mut b = tx
            .db()
            .boundaries(None)?
            .into_iter()
            .find(|b| b.id == id)
            .ok_or(not_found("boundary", id.0))?;
        b.text = text.unwrap_or(b.text);
        b.whose = edit.whose.unwrap_or(b.whose);
        b.since = edit.since.unwrap_or(b.since);
        if let Some(rule) = edit.rule {
            b.rule = rule;
        }
        tx.update_boundary(&b)?;
        Ok(b)
    })
}

/// Removes a boundary.
pub fn remove_boundary(store: &mut Store, id: BoundaryId) -> Result<()> {
    Ok(store.write(|tx| tx.remove_boundary(id))?)
}

// Follow-ups.

/// The days until a follow-up is due when no day is given.
pub const FOLLOW_UP_DAYS: i64 = 3;

/// Adds something to come back to with a friend, due `due` (by default
/// [`FOLLOW_UP_DAYS`] days from today), and returns it.
pub fn add_follow_up(
    settings: &Settings,
    store: &mut Store,
    friend: FriendId,
    text: &str,
    due: Option<Date>,
) -> Result<FollowUp> {
    let text = words("follow-up", text)?;
    let due = match due {
        Some(due) => due,
        None => settings
            .today()
            .checked_add(jiff::Span::new().days(FOLLOW_UP_DAYS))?,
    };
    let now = settings.now;
    let id = store.write(|tx| tx.add_follow_up(friend, &text, due, now, None))?;
    Ok(FollowUp {
        id,
        friend,
        text,
        due,
        created_at: now,
        done_at: None,
        interaction: None,
    })
}

/// What to change in a follow-up; what is absent stays.
#[derive(Clone, Debug, Default)]
pub struct FollowUpEdit {
    pub text: Option<String>,
    pub due: Option<Date>,
}

/// Changes a follow-up's text or due day, and returns it as it is now.
pub fn edit_follow_up(store: &mut Store, id: FollowUpId, edit: FollowUpEdit) -> Result<FollowUp> {
    let text = edit.text.as_deref().map(|t| words("follow-up", t)).transpose()?;
    store.write(|tx| -> Result<FollowUp> {
        let mut f = tx
            .db()
            .follow_ups(None)?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(not_found("follow-up", id.0))?;
        f.text = text.unwrap_or(f.text);
        f.due = edit.due.unwrap_or(f.due);
        tx.update_follow_up(&f)?;
        Ok(f)
    })
}

/// Deletes a follow-up.
pub fn remove_follow_up(store: &mut Store, id: FollowUpId) -> Result<()> {
    Ok(store.write(|tx| tx.remove_follow_up(id))?)
}

// Wins and gratitude.

/// Notes a friend's good news, shared at `at`, with how I responded if
/// that is known yet.
pub fn add_win(
    store: &mut Store,
    friend: FriendId,
    at: Timestamp,
    text: &str,
    response: Option<WinResponse>,
) -> Result<WinId> {
    let text = words("good news", text)?;
    Ok(store.write(|tx| tx.add_win(friend, at, &text, response))?)
}

/// Deletes a win.
pub fn remove_win(store: &mut Store, id: WinId) -> Result<()> {
    Ok(store.write(|tx| tx.remove_win(id))?)
}

/// Notes something a friend did at `at` that I appreciate; `told_at` when
/// I have already told them.
pub fn add_gratitude(
    store: &mut Store,
    friend: FriendId,
    at: Timestamp,
    text: &str,
    told_at: Option<Timestamp>,
) -> Result<GratitudeId> {
    let text = words("gratitude", text)?;
    Ok(store.write(|tx| tx.add_gratitude(friend, at, &text, told_at))?)
}

/// Deletes a gratitude note.
pub fn remove_gratitude(store: &mut Store, id: GratitudeId) -> Result<()> {
    Ok(store.write(|tx| tx.remove_gratitude(id))?)
}

// Parked topics.

/// Parks a hard topic today, to come back to on `until` (after today).
pub fn park(
    settings: &Settings,
    store: &mut Store,
    friend: FriendId,
    topic: &str,
    until: Date,
) -> Result<ParkedTopicId> {
    let topic = words("topic", topic)?;
    let today = settings.today();
    if until <= today {
        return Err(AppError::Invalid {
            field: "revisit day",
            value: until.to_string(),
            problem: "is not after today".to_owned(),
            expected: "a day to come back to the topic".to_owned(),
        });
    }
    Ok(store.write(|tx| tx.add_parked_topic(friend, &topic, today, until))?)
}

/// Deletes a parked topic.
pub fn remove_parked_topic(store: &mut Store, id: ParkedTopicId) -> Result<()> {
    Ok(store.write(|tx| tx.remove_parked_topic(id))?)
}

// Agreements.

/// Records what we agreed, in force from `since`, and who is expected to
/// give what (which the balance model honours).
pub fn add_agreement(
    store: &mut Store,
    friend: FriendId,
    text: &str,
    roles: Roles,
    since: Timestamp,
) -> Result<AgreementId> {
    let text = words("agreement", text)?;
    Ok(store.write(|tx| tx.add_agreement(friend, &text, roles, since))?)
}

/// Ends an agreement at `at`, which must come after it began; returns it
/// as it is now.
pub fn end_agreement(store: &mut Store, id: AgreementId, at: Timestamp) -> Result<mutual_core::Agreement> {
    store.write(|tx| -> Result<_> {
        let mut a = tx
            .db()
            .agreements(None)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(not_found("agreement", id.0))?;
        if at <= a.since {
            return Err(AppError::Invalid {
                field: "end",
                value: at.to_string(),
                problem: format!("is not after agreement #{id} began ({})", a.since),
                expected: "an end after it began".to_owned(),
            });
        }
        a.ended_at = Some(at);
        tx.update_agreement(&a)?;
        Ok(a)
    })
}

/// Deletes an agreement.
pub fn remove_agreement(store: &mut Store, id: AgreementId) -> Result<()> {
    Ok(store.write(|tx| tx.remove_agreement(id))?)
}

// Prompts.

/// Who answered a conversation prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnsweredBy {
    Me,
    Them,
    Both,
}

impl AnsweredBy {
    /// Whether I answered, and whether they did.
    fn sides(self) -> (bool, bool) {
        match self {
            AnsweredBy::Me => (true, false),
            AnsweredBy::Them => (false, true),
            AnsweredBy::Both => (true, true),
        }
    }
}

/// Records that a prompt of the deck was answered with a friend at `at`
/// (which paces the prompts that come next).
pub fn prompt_answered(
    store: &mut Store,
    friend: FriendId,
    prompt: &Prompt,
    by: AnsweredBy,
    at: Timestamp,
) -> Result<PromptUseId> {
    let (me, them) = by.sides();
    Ok(store.write(|tx| tx.add_prompt_use(friend, &prompt.id, at, me, them))?)
}

// Reviews.

/// A reflection on a week or month; blank parts are left out, and at
/// least one must be there.
#[derive(Clone, Debug, Default)]
pub struct Reflection {
    pub went_well: Option<String>,
    pub to_adjust: Option<String>,
    pub note: Option<String>,
}

/// Records a reflection on the `period` ending now, about one friend or
/// (with `None`) about my friendships.
pub fn add_reflection(
    settings: &Settings,
    store: &mut Store,
    period: Period,
    friend: Option<FriendId>,
    reflection: &Reflection,
) -> Result<ReviewId> {
    let went_well = said(reflection.went_well.as_deref());
    let to_adjust = said(reflection.to_adjust.as_deref());
    let note = said(reflection.note.as_deref());
    if went_well.is_none() && to_adjust.is_none() && note.is_none() {
        return Err(AppError::Invalid {
            field: "reflection",
            value: String::new(),
            problem: "is empty".to_owned(),
            expected: "what went well, what to adjust, or a note".to_owned(),
        });
    }
    let review = NewReview {
        at: settings.now,
        period,
        friend,
        went_well: went_well.as_deref(),
        to_adjust: to_adjust.as_deref(),
        note: note.as_deref(),
    };
    Ok(store.write(|tx| tx.add_review(&review))?)
}

/// One friend's answers in a review walk-through; blank answers are
/// skipped.
#[derive(Clone, Debug)]
pub struct ReviewAnswers {
    pub friend: FriendId,
    pub went_well: Option<String>,
    pub to_adjust: Option<String>,
    /// Something to thank them for, kept as gratitude not told yet.
    pub thanks: Option<String>,
}

/// What a review walk-through saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReviewSaved {
    pub reflections: usize,
    pub thanks: usize,
}

/// Saves a walk-through's answers together: a reflection on the `period`
/// for each friend with something that went well or to adjust, and each
/// thanks as gratitude (not told yet).
pub fn save_review(
    settings: &Settings,
    store: &mut Store,
    period: Period,
    answers: &[ReviewAnswers],
) -> Result<ReviewSaved> {
    let now = settings.now;
    store.write(|tx| -> Result<_> {
        let mut saved = ReviewSaved {
            reflections: 0,
            thanks: 0,
        };
        for a in answers {
            let went_well = said(a.went_well.as_deref());
            let to_adjust = said(a.to_adjust.as_deref());
            if went_well.is_some() || to_adjust.is_some() {
                tx.add_review(&NewReview {
                    at: now,
                    period,
                    friend: Some(a.friend),
                    went_well: went_well.as_deref(),
                    to_adjust: to_adjust.as_deref(),
                    note: None,
                })?;
                saved.reflections += 1;
            }
            if let Some(thanks) = said(a.thanks.as_deref()) {
                tx.add_gratitude(a.friend, now, &thanks, None)?;
                saved.thanks += 1;
            }
        }
        Ok(saved)
    })
}

// Key dates.

/// Notes a day that matters to a friend: once, or every year from `day`
/// (`yearly`).
pub fn add_key_date(
    settings: &Settings,
    store: &mut Store,
    friend: FriendId,
    text: &str,
    day: Date,
    yearly: bool,
) -> Result<KeyDateId> {
    let text = words("key date", text)?;
    Ok(store.write(|tx| tx.add_key_date(friend, &text, day, yearly, settings.now))?)
}

/// Deletes a key date.
pub fn remove_key_date(store: &mut Store, id: KeyDateId) -> Result<()> {
    Ok(store.write(|tx| tx.remove_key_date(id))?)
}

// Pauses.

/// Pauses check-in nudges for a friend over a busy season (a blank reason
/// is none); returns the pause as stored.
pub fn add_pause(store: &mut Store, friend: FriendId, pause: Pause) -> Result<Pause> {
    if let Some(until) = pause.until.filter(|&u| u < pause.from) {
        return Err(AppError::Invalid {
            field: "pause",
            value: format!("{} to {until}", pause.from),
            problem: "ends before it begins".to_owned(),
            expected: "the last paused day on or after the first".to_owned(),
        });
    }
    let pause = Pause {
        reason: pause.reason.filter(|r| !r.trim().is_empty()),
        ..pause
    };
    store.write(|tx| tx.add_pause(friend, &pause))?;
    Ok(pause)
}

/// Ends a friend's pauses: check-ins are on again from today (a pause that
/// had not begun is dropped). Returns how many pauses changed; none when
/// the friend was not paused.
pub fn end_pauses(settings: &Settings, store: &mut Store, friend: FriendId) -> Result<usize> {
    let yesterday = settings.today().yesterday()?;
    Ok(store.write(|tx| tx.end_pauses(friend, yesterday))?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use jiff::civil::{date, time};
    use mutual_core::{Channel, Exchange, Initiator, SupportKinds, SupportSet};
    use mutual_store::{NewFriend, NewInteraction};

    fn setup() -> (tempfile::TempDir, Store, Settings, FriendId) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("m.db"), None).unwrap();
        let settings = Settings::new("2026-06-15T12:00:00Z".parse().unwrap(), jiff::tz::TimeZone::UTC);
        let sam = NewFriend {
            name: "Sam".to_owned(),
            ..NewFriend::default()
        };
        let id = store.write(|tx| tx.add_friend(&sam, settings.now)).unwrap();
        (dir, store, settings, id)
    }

    fn is_not_found(e: &AppError) -> bool {
        matches!(e, AppError::Store(StoreError::NotFound { .. }))
    }

    #[test]
    fn a_need_is_added_edited_and_removed() {
        let (_dir, mut store, _, sam) = setup();
        let id = add_need(
            &mut store,
            sam,
            Side::Me,
            "  a call on Sundays ",
            date(2026, 6, 1),
        )
        .unwrap();
        let needs = store.db().needs(Some(sam)).unwrap();
        assert_eq!(needs.len(), 1);
        assert_eq!((needs[0].id, needs[0].text.as_str()), (id, "a call on Sundays"));
        assert!(add_need(&mut store, sam, Side::Me, "  ", date(2026, 6, 1)).is_err());

        let edit = NeedEdit {
            whose: Some(Side::Them),
            ..NeedEdit::default()
        };
        let need = edit_need(&mut store, id, edit).unwrap();
        assert_eq!(need.whose, Side::Them);
        assert_eq!(need.text, "a call on Sundays");
        assert_eq!(store.db().needs(None).unwrap(), vec![need]);

        remove_need(&mut store, id).unwrap();
        assert!(store.db().needs(None).unwrap().is_empty());
        assert!(is_not_found(
            &edit_need(&mut store, id, NeedEdit::default()).unwrap_err()
        ));
        assert!(is_not_found(&remove_need(&mut store, id).unwrap_err()));
    }

    #[test]
    fn a_boundary_is_added_with_its_earlier_crossings_edited_and_removed() {
        let (_dir, mut store, settings, sam) = setup();
        // Sam called late twice before the boundary, once after.
        for day in [date(2026, 5, 2), date(2026, 5, 9), date(2026, 6, 16)] {
            let at = day
                .at(23, 30, 0, 0)
                .to_zoned(settings.tz.clone())
                .unwrap()
                .timestamp();
            let entry = NewInteraction {
                friends: vec![sam],
                exchange: Exchange {
                    at,
                    channel: Channel::Call,
                    initiator: Initiator::Them,
                    gave: SupportSet::default(),
                    got: SupportSet::default(),
                    energy: None,
                    conflict: false,
                    hard_news: false,
                },
                felt_heard: None,
                note: None,
                tags: Vec::new(),
            };
            store.write(|tx| tx.add_interaction(&entry)).unwrap();
        }
        let new = NewBoundary {
            friend: sam,
            whose: Side::Me,
            text: "no calls late at night".to_owned(),
            since: date(2026, 6, 15),
            rule: Some(BoundaryRule::quiet_hours(
                time(22, 0, 0, 0),
                time(7, 0, 0, 0),
                vec![],
            )),
        };
        let added = add_boundary(&settings, &mut store, &new).unwrap();
        assert_eq!(added.earlier_crossings, vec![date(2026, 5, 2), date(2026, 5, 9)]);
        let stored = store.db().boundaries(Some(sam)).unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!((stored[0].id, stored[0].since), (added.id, date(2026, 6, 15)));
        assert_eq!(stored[0].rule, new.rule);

        let plain = NewBoundary {
            text: "no advice unless asked".to_owned(),
            rule: None,
            ..new.clone()
        };
        let other = add_boundary(&settings, &mut store, &plain).unwrap();
        assert!(other.earlier_crossings.is_empty());

        let edit = BoundaryEdit {
            since: Some(date(2026, 5, 2)),
            rule: Some(None),
            ..BoundaryEdit::default()
        };
        let b = edit_boundary(&mut store, added.id, edit).unwrap();
        assert_eq!((b.since, b.rule.as_ref()), (date(2026, 5, 2), None));
        assert_eq!(b.text, "no calls late at night");
        assert_eq!(store.db().boundaries(Some(sam)).unwrap()[0], b);

        remove_boundary(&mut store, added.id).unwrap();
        let left = store.db().boundaries(None).unwrap();
        assert_eq!(left.iter().map(|b| b.id).collect::<Vec<_>>(), vec![other.id]);
        assert!(is_not_found(
            &edit_boundary(&mut store, added.id, BoundaryEdit::default()).unwrap_err()
        ));
    }

    #[test]
    fn a_follow_up_is_due_in_three_days_unless_told_and_can_be_edited_and_removed() {
        let (_dir, mut store, settings, sam) = setup();
        let f = add_follow_up(&settings, &mut store, sam, "ask about the interview", None).unwrap();
        assert_eq!(f.due, date(2026, 6, 18));
        assert_eq!(store.db().follow_ups(Some(sam)).unwrap(), vec![f.clone()]);
        let g = add_follow_up(
            &settings,
            &mut store,
            sam,
            "return the book",
            Some(date(2026, 7, 1)),
        )
        .unwrap();
        assert_eq!(g.due, date(2026, 7, 1));

        let edit = FollowUpEdit {
            text: Some("ask how the interview went".to_owned()),
            ..FollowUpEdit::default()
        };
        let edited = edit_follow_up(&mut store, f.id, edit).unwrap();
        assert_eq!(
            (edited.text.as_str(), edited.due),
            ("ask how the interview went", f.due)
        );
        remove_follow_up(&mut store, g.id).unwrap();
        assert_eq!(store.db().follow_ups(None).unwrap(), vec![edited]);
    }

    #[test]
    fn a_win_its_response_and_gratitude_are_noted() {
        let (_dir, mut store, settings, sam) = setup();
        let win = add_win(&mut store, sam, settings.now, "got the job", None).unwrap();
        assert_eq!(store.db().wins(Some(sam)).unwrap()[0].response, None);
        crate::services::respond_to_win(&mut store, win, WinResponse::Enthusiastic).unwrap();
        let wins = store.db().wins(Some(sam)).unwrap();
        assert_eq!(
            (wins[0].id, wins[0].response),
            (win, Some(WinResponse::Enthusiastic))
        );
        remove_win(&mut store, win).unwrap();
        assert!(store.db().wins(None).unwrap().is_empty());

        let untold = add_gratitude(&mut store, sam, settings.now, "helped me move", None).unwrap();
        let told = add_gratitude(&mut store, sam, settings.now, "the soup", Some(settings.now)).unwrap();
        let notes = store.db().gratitude(Some(sam)).unwrap();
        let told_at = |id| notes.iter().find(|g| g.id == id).unwrap().told_at;
        assert_eq!((told_at(untold), told_at(told)), (None, Some(settings.now)));
        remove_gratitude(&mut store, untold).unwrap();
        assert_eq!(store.db().gratitude(None).unwrap().len(), 1);
    }

    #[test]
    fn a_topic_is_parked_from_today_until_a_later_day() {
        let (_dir, mut store, settings, sam) = setup();
        let id = park(&settings, &mut store, sam, "money", date(2026, 7, 1)).unwrap();
        let parked = store.db().parked_topics(Some(sam)).unwrap();
        assert_eq!(parked[0].id, id);
        assert_eq!(
            (parked[0].parked_on, parked[0].revisit_on),
            (settings.today(), date(2026, 7, 1))
        );
        assert!(matches!(
            park(&settings, &mut store, sam, "money", settings.today()),
            Err(AppError::Invalid {
                field: "revisit day",
                ..
            })
        ));
        remove_parked_topic(&mut store, id).unwrap();
        assert!(store.db().parked_topics(None).unwrap().is_empty());
    }

    #[test]
    fn an_agreement_is_recorded_and_ends_only_after_it_began() {
        let (_dir, mut store, settings, sam) = setup();
        let roles = Roles {
            me: "listening".parse::<SupportKinds>().unwrap(),
            them: SupportKinds::default(),
        };
        let id = add_agreement(&mut store, sam, "I listen more for now", roles, settings.now).unwrap();
        let stored = store.db().agreements(Some(sam)).unwrap();
        assert_eq!(
            (stored[0].id, stored[0].roles, stored[0].ended_at),
            (id, roles, None)
        );

        let early = settings.now - mutual_core::days(1);
        assert!(matches!(
            end_agreement(&mut store, id, early),
            Err(AppError::Invalid { field: "end", .. })
        ));
        let later = settings.now + mutual_core::days(1);
        let ended = end_agreement(&mut store, id, later).unwrap();
        assert_eq!(ended.ended_at, Some(later));
        assert_eq!(store.db().agreements(None).unwrap(), vec![ended]);
        remove_agreement(&mut store, id).unwrap();
        assert!(store.db().agreements(None).unwrap().is_empty());
    }

    #[test]
    fn a_prompt_answered_is_recorded_with_who_answered() {
        let (_dir, mut store, settings, sam) = setup();
        let deck = mutual_core::Deck::builtin();
        let prompt = deck.iter().next().unwrap();
        let id = prompt_answered(&mut store, sam, prompt, AnsweredBy::Them, settings.now).unwrap();
        let uses = store.db().prompt_uses(Some(sam)).unwrap();
        assert_eq!(uses.len(), 1);
        assert_eq!((uses[0].id, uses[0].prompt.as_str()), (id, prompt.id.as_str()));
        assert_eq!((uses[0].me_answered, uses[0].they_answered), (false, true));
    }

    #[test]
    fn review_reflections_and_answers_are_saved() {
        let (_dir, mut store, settings, sam) = setup();
        let reflection = Reflection {
            went_well: Some("we talked every week".to_owned()),
            to_adjust: Some("  ".to_owned()),
            note: None,
        };
        let id = add_reflection(&settings, &mut store, Period::Month, Some(sam), &reflection).unwrap();
        let reviews = store.db().reviews(Some(sam)).unwrap();
        assert_eq!((reviews[0].id, reviews[0].period), (id, Period::Month));
        assert_eq!(reviews[0].went_well.as_deref(), Some("we talked every week"));
        assert_eq!(
            (reviews[0].to_adjust.as_deref(), reviews[0].at),
            (None, settings.now)
        );
        assert!(matches!(
            add_reflection(&settings, &mut store, Period::Week, None, &Reflection::default()),
            Err(AppError::Invalid {
                field: "reflection",
                ..
            })
        ));

        let answers = [
            ReviewAnswers {
                friend: sam,
                went_well: None,
                to_adjust: Some("call more".to_owned()),
                thanks: Some("the soup".to_owned()),
            },
            ReviewAnswers {
                friend: sam,
                went_well: None,
                to_adjust: None,
                thanks: None,
            },
        ];
        let saved = save_review(&settings, &mut store, Period::Week, &answers).unwrap();
        assert_eq!(
            saved,
            ReviewSaved {
                reflections: 1,
                thanks: 1
            }
        );
        assert_eq!(store.db().reviews(Some(sam)).unwrap().len(), 2);
        let thanks = store.db().gratitude(Some(sam)).unwrap();
        assert_eq!((thanks[0].text.as_str(), thanks[0].told_at), ("the soup", None));
    }

    #[test]
    fn a_key_date_is_noted_and_removed() {
        let (_dir, mut store, settings, sam) = setup();
        let id = add_key_date(&settings, &mut store, sam, "moving day", date(2026, 7, 4), false).unwrap();
        let dates = store.db().key_dates(Some(sam)).unwrap();
        assert_eq!(dates.len(), 1);
        assert_eq!(
            (dates[0].id, dates[0].day, dates[0].yearly),
            (id, date(2026, 7, 4), false)
        );
        assert_eq!(dates[0].text, "moving day");
        remove_key_date(&mut store, id).unwrap();
        assert!(store.db().key_dates(None).unwrap().is_empty());
    }

    #[test]
    fn a_pause_is_added_and_ends_yesterday() {
        let (_dir, mut store, settings, sam) = setup();
        assert_eq!(end_pauses(&settings, &mut store, sam).unwrap(), 0);
        let pause = Pause {
            from: date(2026, 6, 1),
            until: None,
            reason: Some(" ".to_owned()),
        };
        let stored = add_pause(&mut store, sam, pause).unwrap();
        assert_eq!(stored.reason, None);
        assert_eq!(store.db().friend(sam).unwrap().pauses, vec![stored]);
        let backwards = Pause {
            from: date(2026, 6, 10),
            until: Some(date(2026, 6, 9)),
            reason: None,
        };
        assert!(matches!(
            add_pause(&mut store, sam, backwards),
            Err(AppError::Invalid { field: "pause", .. })
        ));

        assert_eq!(end_pauses(&settings, &mut store, sam).unwrap(), 1);
        let pauses = store.db().friend(sam).unwrap().pauses;
        assert_eq!(pauses[0].until, Some(date(2026, 6, 14)));
        assert!(!pauses[0].covers(settings.today()));
        assert_eq!(end_pauses(&settings, &mut store, sam).unwrap(), 0);
    }
}
