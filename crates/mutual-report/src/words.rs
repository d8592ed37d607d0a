//! How numbers, dates and signal kinds read on the page: short, warm, plain.

use jiff::civil::Date;

/// "3 March 2025".
pub(crate) fn long_date(date: Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

/// "3 Mar 2025".
pub(crate) fn short_date(date: Date) -> String {
    date.strftime("%-d %b %Y").to_string()
}

/// "today", "yesterday", "12 days ago", "3 weeks ago", "5 months ago".
pub(crate) fn ago(date: Date, today: Date) -> String {
    let days = today.duration_since(date).as_secs() / 86_400;
    match days {
        i64::MIN..=-1 => format!("on {}", short_date(date)),
        0 => "today".to_owned(),
        1 => "yesterday".to_owned(),
        2..=20 => format!("{days} days ago"),
        21..=59 => format!("{} weeks ago", days / 7),
        60..=729 => format!("{} months ago", days / 30),
        _ => format!("{} years ago", days / 365),
    }
}

/// A reply time for a sentence: "under a minute", "12 minutes", "1.5 hours", "2 days".
pub(crate) fn duration(minutes: f64) -> String {
    if minutes < 1.0 {
        "under a minute".to_owned()
    } else if minutes < 59.5 {
        plural(minutes.round(), "minute")
    } else if minutes < 60.0 * 23.5 {
        plural(round_to(minutes / 60.0, 10.0), "hour")
    } else {
        plural(round_to(minutes / 1440.0, 10.0), "day")
    }
}

/// A reply time for an axis: "1 min", "15 min", "4 h", "2 d".
pub(crate) fn duration_tick(minutes: f64) -> String {
    if minutes < 60.0 {
        format!("{} min", minutes.round())
    } else if minutes < 1440.0 {
        format!("{} h", round_to(minutes / 60.0, 10.0))
    } else {
        format!("{} d", round_to(minutes / 1440.0, 10.0))
    }
}

fn round_to(value: f64, per_unit: f64) -> f64 {
    (value * per_unit).round() / per_unit
}

fn plural(n: f64, unit: &str) -> String {
    if n == 1.0 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// "58%".
pub(crate) fn percent(share: f64) -> String {
    format!("{:.0}%", (share * 100.0).clamp(0.0, 100.0))
}

/// "+0.32", "−0.10" (a true minus sign), "0.00".
pub(crate) fn signed(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    if text.chars().all(|c| c == '0' || c == '.') {
        text
    } else if value < 0.0 {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

/// "Sam's".
pub(crate) fn possessive(name: &str) -> String {
    format!("{name}’s")
}

/// The heading a signal kind gets, e.g. "busy-season" → "A busy season".
pub(crate) fn signal_kind(kind: &str) -> String {
    let known = match kind {
        "fatigue" => "Quieter from them",
        "withdrawal" => "Quieter from you",
        "busy-season" => "A busy season",
        "imbalance" => "Balance has tipped",
        "depletion" => "Leaving you tired",
        "overdue" => "Time to check in",
        "missed-followups" => "Follow-ups slipped",
        "boundary" => "A boundary was crossed",
        "uncelebrated-win" => "A win to celebrate",
        "untold-gratitude" => "Thanks to share",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let words = kind.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "A note".to_owned(),
    }
}

/// "fairly sure (78%)"; "clear (100%)" for what is simply so (a date that
/// passed), so no certainty reads as a doubt.
pub(crate) fn confidence(share: f64) -> String {
    let words = if share >= 0.95 {
        "clear"
    } else if share >= 0.8 {
        "fairly sure"
    } else if share >= 0.5 {
        "somewhat sure"
    } else {
        "an early hint"
    };
    format!("{words} ({})", percent(share))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_read_naturally() {
        assert_eq!(long_date(date(2025, 3, 3)), "3 March 2025");
        assert_eq!(short_date(date(2025, 3, 3)), "3 Mar 2025");
        let today = date(2025, 3, 20);
        assert_eq!(ago(date(2025, 3, 20), today), "today");
        assert_eq!(ago(date(2025, 3, 19), today), "yesterday");
        assert_eq!(ago(date(2025, 3, 8), today), "12 days ago");
        assert_eq!(ago(date(2025, 2, 20), today), "4 weeks ago");
        assert_eq!(ago(date(2024, 10, 1), today), "5 months ago");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(0.4), "under a minute");
        assert_eq!(duration(1.2), "1 minute");
        assert_eq!(duration(12.0), "12 minutes");
        assert_eq!(duration(90.0), "1.5 hours");
        assert_eq!(duration(2880.0), "2 days");
        assert_eq!(duration_tick(15.0), "15 min");
        assert_eq!(duration_tick(240.0), "4 h");
        assert_eq!(duration_tick(1440.0), "1 d");
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(percent(0.584), "58%");
        assert_eq!(signed(0.321, 2), "+0.32");
        assert_eq!(signed(-0.1, 2), "−0.10");
        assert_eq!(signed(-0.001, 2), "0.00");
        assert_eq!(signal_kind("busy-season"), "A busy season");
        assert_eq!(signal_kind("new-kind"), "New kind");
        assert_eq!(confidence(0.78), "somewhat sure (78%)");
        assert_eq!(confidence(1.0), "clear (100%)");
        assert_eq!(confidence(0.9), "fairly sure (90%)");
    }
}
