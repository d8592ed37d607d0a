//! Small helpers for the words the program prints.

use jiff::civil::Date;

/// A window of days in words: "4 weeks", "10 days", "week" (as in "the last week").
pub fn window(days: i64) -> String {
    match days {
        7 => "week".to_owned(),
        d if d % 7 == 0 => format!("{} weeks", d / 7),
        1 => "day".to_owned(),
        d => format!("{d} days"),
    }
}

/// "1 day", "12 days".
pub fn days(n: impl Into<i64>) -> String {
    match n.into() {
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    }
}

/// "every day", "every 14 days".
pub fn every(n: impl Into<i64>) -> String {
    match n.into() {
        1 => "every day".to_owned(),
        n => format!("every {n} days"),
    }
}

/// "12 Nov", with the year when it is not `today`'s; "today" and
/// "yesterday" when they apply.
pub fn day(date: Date, today: Date) -> String {
    if date == today {
        "today".to_owned()
    } else if today.yesterday().ok() == Some(date) {
        "yesterday".to_owned()
    } else if date.year() == today.year() {
        date.strftime("%-d %b").to_string()
    } else {
        date.strftime("%-d %b %Y").to_string()
    }
}

/// [`day`] as it reads after a verb: "today", "yesterday", "on 12 Nov".
pub fn on_day(date: Date, today: Date) -> String {
    match day(date, today) {
        relative if date >= today.yesterday().unwrap_or(date) && date <= today => relative,
        absolute => format!("on {absolute}"),
    }
}

/// Text in curly quotes, shortened to a readable length on a char boundary.
pub fn quoted(text: &str) -> String {
    const MAX: usize = 60;
    let text = text.trim();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("\u{201c}{}\u{2026}\u{201d}", text[..cut].trim_end()),
        None => format!("\u{201c}{text}\u{201d}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn days_read_naturally() {
        let today = date(2026, 11, 27);
        assert_eq!(day(today, today), "today");
        assert_eq!(day(date(2026, 11, 26), today), "yesterday");
        assert_eq!(day(date(2026, 3, 5), today), "5 Mar");
        assert_eq!(day(date(2025, 12, 31), today), "31 Dec 2025");
        assert_eq!(on_day(today, today), "today");
        assert_eq!(on_day(date(2026, 11, 26), today), "yesterday");
        assert_eq!(on_day(date(2026, 3, 5), today), "on 5 Mar");
        assert_eq!(on_day(date(2026, 12, 5), today), "on 5 Dec");
    }

    #[test]
    fn quotes_shorten_long_text_without_splitting_characters() {
        assert_eq!(quoted(" the move "), "\u{201c}the move\u{201d}");
        let long = "é".repeat(100);
        let q = quoted(&long);
        assert_eq!(q.chars().count(), 60 + 3);
    }
}
