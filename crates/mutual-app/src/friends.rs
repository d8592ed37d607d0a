//! Finding a friend by what someone typed or what a chat calls them.

use mutual_core::Friend;
use mutual_core::text::fold;

use crate::error::{AppError, Result};

/// The friend called `name`: an exact name first (any case), else the one
/// friend with that alias, else the same without accents ("Tomas" for
/// Tomás). An alias or a spelling several friends share is refused, never
/// guessed; a name nobody has comes with close ones to suggest.
pub fn find_friend<'a>(friends: &'a [Friend], name: &str) -> Result<&'a Friend> {
    let wanted = mutual_core::text::clean_name(name).to_lowercase();
    if let Some(found) = friends.iter().find(|f| f.name.to_lowercase() == wanted) {
        return Ok(found);
    }
    let by_alias: Vec<&Friend> = friends
        .iter()
        .filter(|f| f.aliases.iter().any(|a| a.text.to_lowercase() == wanted))
        .collect();
    let folded = fold(name);
    let by_folded_name: Vec<&Friend> = friends.iter().filter(|f| fold(&f.name) == folded).collect();
    let by_folded_alias: Vec<&Friend> = friends
        .iter()
        .filter(|f| f.aliases.iter().any(|a| fold(&a.text) == folded))
        .collect();
    for found in [by_alias, by_folded_name, by_folded_alias] {
        match found.as_slice() {
            [one] => return Ok(one),
            [] => {}
            many => {
                return Err(AppError::Ambiguous {
                    name: name.to_owned(),
                    candidates: many.iter().map(|f| f.name.clone()).collect(),
                });
            }
        }
    }
    let wanted = name.trim().to_lowercase();
    let mut close: Vec<(f64, &str)> = friends
        .iter()
        .map(|f| {
            let best = std::iter::once(f.name.as_str())
                .chain(f.aliases.iter().map(|a| a.text.as_str()))
                .map(|candidate| likeness(&wanted, &candidate.to_lowercase()))
                .fold(0.0, f64::max);
            (best, f.name.as_str())
        })
        .filter(|(score, _)| *score >= 0.6)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    Err(AppError::NotFound {
        what: "friend",
        name: name.to_owned(),
        suggestions: close.iter().take(3).map(|(_, n)| (*n).to_owned()).collect(),
        empty: friends.is_empty(),
    })
}

/// The friend a chat sender most likely is, when one is close enough to
/// suggest: a sender "Alice Smith" or "alice" for a friend "Alice", one
/// whose first name is a friend's name or alias, or a near spelling.
pub fn closest_friend<'a>(friends: &'a [Friend], sender: &str) -> Option<&'a Friend> {
    let sender = fold(sender);
    let first = sender.split_whitespace().next().unwrap_or_default().to_owned();
    friends
        .iter()
        .map(|f| {
            let best = std::iter::once(f.name.as_str())
                .chain(f.aliases.iter().map(|a| a.text.as_str()))
                .map(|known| {
                    let known = fold(known);
                    if known == first || known.split_whitespace().next() == Some(first.as_str()) {
                        0.95
                    } else {
                        likeness(&sender, &known)
                    }
                })
                .fold(0.0, f64::max);
            (best, f)
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, f)| f)
}

/// How alike a typed name and a known one are, 0 to 1: typos, swapped
/// letters and prefixes ("Jord" for "Jordan") all count.
fn likeness(typed: &str, known: &str) -> f64 {
    let prefix: f64 = if !typed.is_empty() && known.starts_with(typed) {
        0.9
    } else {
        0.0
    };
    prefix
        .max(0.9 * strsim::jaro_winkler(typed, known))
        .max(strsim::normalized_damerau_levenshtein(typed, known))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mutual_core::{Alias, FriendId};

    fn friend(id: i64, name: &str, aliases: &[&str]) -> Friend {
        Friend {
            id: FriendId(id),
            name: name.to_owned(),
            aliases: aliases
                .iter()
                .map(|a| Alias {
                    text: (*a).to_owned(),
                    platform: None,
                })
                .collect(),
            circle: None,
            cadence: None,
            notes: None,
            pauses: Vec::new(),
            snoozed_until: None,
            birthday: None,
            added_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn names_aliases_and_spellings_find_one_friend_or_say_why_not() {
        let friends = [
            friend(1, "Tomás", &["Tomás Ruiz"]),
            friend(2, "Sam", &["Shared"]),
            friend(3, "Kim", &["shared"]),
        ];
        let id = |name: &str| find_friend(&friends, name).map(|f| f.id.0);
        assert_eq!(id("tomás").ok(), Some(1));
        assert_eq!(id("Tomas").ok(), Some(1));
        assert_eq!(id("tomas ruiz").ok(), Some(1));
        assert_eq!(id(" sam ").ok(), Some(2));
        match find_friend(&friends, "Shared") {
            Err(AppError::Ambiguous { candidates, .. }) => assert_eq!(candidates, ["Sam", "Kim"]),
            other => panic!("{other:?}"),
        }
        match find_friend(&friends, "Sma") {
            Err(AppError::NotFound {
                suggestions,
                empty: false,
                ..
            }) => assert_eq!(suggestions[0], "Sam"),
            other => panic!("{other:?}"),
        }
        let none = find_friend(&[], "Sam").map(|f| f.id);
        assert!(
            matches!(none, Err(AppError::NotFound { empty: true, .. })),
            "{none:?}"
        );
        assert_eq!(
            none.map_err(|e| e.to_string()).unwrap_err(),
            "there is no friend called 'Sam' yet"
        );
        assert_eq!(closest_friend(&friends, "Sam Lee").map(|f| f.id.0), Some(2));
        assert_eq!(closest_friend(&friends, "Priya"), None);
    }
}
