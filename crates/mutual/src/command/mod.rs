//! One module per subcommand. Each parses its arguments completely before
//! it writes anything, so bad input leaves the database untouched.

pub(crate) mod agree;
pub(crate) mod balance;
pub(crate) mod boundary;
pub(crate) mod calendar;
pub(crate) mod checkin;
pub(crate) mod completions;
pub(crate) mod date;
pub(crate) mod demo;
pub(crate) mod export;
pub(crate) mod features;
pub(crate) mod followup;
pub(crate) mod forget;
pub(crate) mod friend;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod journal;
pub(crate) mod log;
pub(crate) mod man;
pub(crate) mod need;
pub(crate) mod park;
pub(crate) mod prompt;
pub(crate) mod rekey;
pub(crate) mod remind;
pub(crate) mod report;
pub(crate) mod review;
pub(crate) mod senders;
pub(crate) mod serve;
pub(crate) mod signals;
pub(crate) mod thanks;
pub(crate) mod today;
pub(crate) mod win;

use std::str::FromStr;

use anyhow::Result;

use crate::error::bad;

/// Parses a value whose `FromStr` error already says what was expected,
/// naming the flag it came from.
pub(crate) fn parse<T>(flag: &str, text: &str) -> Result<T>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    text.parse::<T>().map_err(|e| bad(format!("{flag}: {e}")))
}

/// Parses an optional flag value.
pub(crate) fn parse_opt<T>(flag: &str, text: Option<&str>) -> Result<Option<T>>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    text.map(|t| parse(flag, t)).transpose()
}

/// A non-empty, trimmed text argument.
pub(crate) fn text(what: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(bad(format!("the {what} is empty; expected a few words")));
    }
    Ok(trimmed.to_owned())
}

/// A name (of a friend, an alias, a sender): cleaned of control characters
/// and invisible marks (`mutual_core::text::clean_name`), not empty.
pub(crate) fn name(what: &str, value: &str) -> Result<String> {
    let cleaned = mutual_core::text::clean_name(value);
    if cleaned.is_empty() {
        return Err(bad(format!("the {what} is empty; expected a name")));
    }
    Ok(cleaned)
}

/// A positive id typed by the user, with or without a leading `#`.
pub(crate) fn id(what: &str, value: &str) -> Result<i64> {
    value
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            bad(format!(
                "'{value}' is not a valid {what} id; expected a number such as 3 (shown as #3 in lists)"
            ))
        })
}

/// Items as JSON objects, each with its friend's name beside the id.
pub(crate) fn named<T: serde::Serialize>(
    items: &[T],
    friends: &[mutual_core::Friend],
    friend: impl Fn(&T) -> mutual_core::FriendId,
) -> Result<Vec<serde_json::Value>> {
    items
        .iter()
        .map(|item| {
            let mut value = serde_json::to_value(item)?;
            if let Some(obj) = value.as_object_mut() {
                let id = friend(item);
                let name = friends.iter().find(|f| f.id == id).map(|f| f.name.clone());
                obj.insert("friend_name".into(), name.into());
            }
            Ok(value)
        })
        .collect()
}

/// The name of the friend with `id`, for list lines.
pub(crate) fn name_of(friends: &[mutual_core::Friend], id: mutual_core::FriendId) -> &str {
    friends
        .iter()
        .find(|f| f.id == id)
        .map_or("?", |f| f.name.as_str())
}

/// The moment given (one that has already happened), or now.
pub(crate) fn past_or_now(app: &crate::app::App, text: Option<&str>) -> Result<jiff::Timestamp> {
    match text {
        Some(t) => crate::when::past(t, app.now, &app.tz),
        None => Ok(app.now),
    }
}

/// The day given, or today.
pub(crate) fn day_or_today(app: &crate::app::App, text: Option<&str>) -> Result<jiff::civil::Date> {
    match text {
        Some(t) => crate::when::day(t, app.now, &app.tz),
        None => Ok(app.today()),
    }
}

/// The shape every `list` subcommand shares: everyone's items or one
/// friend's, as JSON objects with friend names, or one line each.
pub(crate) fn list<T: serde::Serialize>(
    app: &crate::app::App,
    friend: Option<&str>,
    json: bool,
    empty: &str,
    load: impl FnOnce(mutual_store::Db<'_>, Option<mutual_core::FriendId>) -> Result<Vec<T>>,
    friend_of: impl Fn(&T) -> mutual_core::FriendId,
    line: impl Fn(&T, &str) -> String,
) -> Result<()> {
    let store = app.open_read()?;
    let db = store.db();
    let friends = db.friends()?;
    let only = friend
        .map(|n| crate::app::find_friend(&friends, n))
        .transpose()?
        .map(|f| f.id);
    let items = load(db, only)?;
    if json {
        return crate::ui::json(&named(&items, &friends, &friend_of)?);
    }
    if items.is_empty() {
        return crate::ui::line(empty);
    }
    for item in &items {
        crate::ui::line(line(item, name_of(&friends, friend_of(item))))?;
    }
    Ok(())
}

/// The item with `id` among `items`, or a not-found error naming `what`.
pub(crate) fn by_id<T>(items: Vec<T>, what: &'static str, id: i64, id_of: impl Fn(&T) -> i64) -> Result<T> {
    items
        .into_iter()
        .find(|item| id_of(item) == id)
        .ok_or_else(|| mutual_store::StoreError::NotFound { what, id }.into())
}
