//! The rendered page, checked by its properties (the SVG is too large for
//! snapshots): self-contained, one `<svg>` per chart, every chart named for
//! screen readers, user text escaped, and missing data said in words.

use jiff::civil::{Date, date};
use mutual_report::{FriendReport, Note, Report, Side, SignalView, Week, Whose, render, sample};

const TODAY: Date = date(2025, 11, 17);

fn sample_page() -> String {
    render(&sample::report(7, TODAY))
}

fn report(friends: Vec<FriendReport>) -> Report {
    Report {
        title: "Your friendships".to_owned(),
        generated: TODAY,
        friends,
        coming_up: Vec::new(),
    }
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The HTML of each friend's section, in order.
fn sections(page: &str) -> Vec<&str> {
    page.split("<section class=\"friend\"").skip(1).collect()
}

/// The `<figure>` whose heading is `title`.
fn figure<'a>(section: &'a str, title: &str) -> &'a str {
    let heading = format!("<h4>{title}</h4>");
    section
        .split("<figure")
        .find(|f| f.contains(&heading))
        .unwrap_or_else(|| panic!("no figure {title:?}"))
}

#[test]
fn the_page_is_one_self_contained_document() {
    let page = sample_page();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(count(&page, "<html"), 1);
    assert_eq!(count(&page, "</html>"), 1);
    for banned in [
        "<script",
        "http://",
        "https://",
        "@import",
        "url(",
        "src=",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "@font-face",
    ] {
        assert!(!page.contains(banned), "the page contains {banned:?}");
    }
    // Links only jump within the page.
    for link in page.split("href=").skip(1) {
        assert!(link.starts_with("\"#"), "external link: {}", &link[..40]);
    }
    for (open, close) in [
        ("<section", "</section>"),
        ("<figure", "</figure>"),
        ("<svg", "</svg>"),
        ("<ul", "</ul>"),
    ] {
        assert_eq!(count(&page, open), count(&page, close), "{open}");
    }
}

#[test]
fn every_chart_is_one_named_svg() {
    let page = sample_page();
    let friends = sections(&page);
    assert_eq!(friends.len(), 3);
    // Timeline, two journal charts and six chat charts; Jordan has no journal.
    let per_friend: Vec<usize> = friends.iter().map(|s| count(s, "<svg")).collect();
    assert_eq!(per_friend, [9, 9, 7]);
    for svg in page.split("<svg").skip(1) {
        let open = &svg[..svg.find('>').expect("the tag closes")];
        assert!(open.contains("role=\"img\""), "{open}");
        let label = open
            .split("aria-label=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("an aria-label");
        assert!(label.len() > 20, "a summary, not just a title: {label}");
        assert!(svg[open.len()..].starts_with("><title>"), "a <title> first");
        assert!(!open.contains("xmlns"), "inline SVG needs no namespace URL");
    }
}

#[test]
fn chart_labels_summarise_the_numbers() {
    let page = sample_page();
    let sam = sections(&page)[0];
    let replies = figure(sam, "Reply time");
    assert!(
        replies.contains("aria-label=\"Reply time. Over the last 12 weeks your replies took about"),
        "{}",
        &replies[..600]
    );
    assert!(replies.contains("Sam’s about"));
    assert!(figure(sam, "Who reaches out first").contains("you started"));
    assert!(figure(sam, "Messages per week").contains("messages a week; Sam about"));
    assert!(figure(sam, "Giving and receiving").contains("balanced ("));
    assert!(figure(sam, "When signals began").contains("a busy season ("));
}

#[test]
fn user_text_is_escaped_everywhere() {
    let mut friend = FriendReport::new("<script>alert(\"hi\")</script> & Co");
    friend.band = "<b>balanced</b>".to_owned();
    friend.needs.push(Note {
        whose: Whose::Theirs,
        text: "<img src=x onerror=alert(1)>".to_owned(),
        since: None,
        detail: Some("</li><li>".to_owned()),
    });
    friend.signals.push(SignalView {
        kind: "<i>new</i>".to_owned(),
        began: Some(date(2025, 10, 1)),
        confidence: 0.5,
        message: "<u>hm</u>".to_owned(),
        suggestion: "say \"hi\"".to_owned(),
    });
    friend.weeks = sample::report(7, TODAY).friends[0].weeks.clone();
    let page = render(&report(vec![friend]));
    for raw in ["<script", "<b>", "<img", "</li><li>", "<i>", "<u>"] {
        assert!(!page.contains(raw), "{raw} was not escaped");
    }
    assert!(page.contains("&lt;script&gt;alert("));
    // In the charts' legends too (plotters escapes its text).
    let svg = figure(&page, "Reply time");
    assert!(svg.contains("&lt;script&gt;"), "the legend names the friend");
}

#[test]
fn a_friend_with_nothing_yet_renders_words_not_charts() {
    let page = render(&report(vec![FriendReport::new("Alex")]));
    assert_eq!(count(&page, "<svg"), 0);
    for words in [
        "No chats imported yet",
        "No journal entries yet",
        "Nothing stands out right now",
        "None written down yet",
        "No agreements yet",
        "none recorded yet",
    ] {
        assert!(page.contains(words), "missing {words:?}");
    }
    // A single friend needs no overview.
    assert!(!page.contains("At a glance"));
}

#[test]
fn an_empty_report_says_so() {
    let page = render(&report(Vec::new()));
    assert!(page.contains("No friends in this report yet"));
    assert_eq!(count(&page, "<html"), 1);
}

#[test]
fn gaps_break_the_lines_and_a_missing_journal_is_said() {
    let page = sample_page();
    let jordan = sections(&page)[2];
    assert!(jordan.contains("No journal entries yet"));
    assert!(!jordan.contains("No chats imported yet"));
    // Two months of silence split each person's line in two at least.
    let replies = figure(jordan, "Reply time");
    assert!(count(replies, "<polyline") >= 4, "lines break at gaps");
    // An undated signal is listed but not placed on the timeline.
    assert!(jordan.contains("Time to check in"));
    assert!(figure(jordan, "When signals began").contains("1 more without a start date"));
}

#[test]
fn shared_needs_show_on_both_sides() {
    let mut friend = FriendReport::new("Ari");
    friend.needs.push(Note {
        whose: Whose::Both,
        text: "Time outdoors together".to_owned(),
        since: None,
        detail: None,
    });
    let page = render(&report(vec![friend]));
    assert_eq!(count(&page, "Time outdoors together"), 2);
    assert!(page.contains("shared"));
}

#[test]
fn weeks_without_messages_count_as_no_chats() {
    let mut friend = FriendReport::new("Robin");
    friend.weeks = (0..4)
        .map(|k| Week {
            monday: date(2025, 10, 6)
                .checked_add(jiff::Span::new().weeks(k))
                .expect("in range"),
            me: Side::default(),
            them: Side::default(),
        })
        .collect();
    let page = render(&report(vec![friend]));
    assert!(page.contains("No chats imported yet"));
    assert_eq!(count(&page, "<svg"), 0);
}

#[test]
fn a_journal_with_balance_only_draws_what_it_has() {
    let mut friend = FriendReport::new("Kim");
    friend.balance = vec![
        (date(2025, 9, 1), 0.3),
        (date(2025, 9, 20), 0.25),
        (date(2025, 10, 2), 0.25),
    ];
    friend.band = "you have been carrying more lately (B = +0.25)".to_owned();
    friend.energy = vec![(date(2025, 9, 1), 1.0)];
    let page = render(&report(vec![friend]));
    assert_eq!(count(&page, "<svg"), 1);
    // One rating is too early for a chart: no lone dot.
    assert!(figure(&page, "How you felt afterwards").contains("Too early for a chart"));
    assert!(figure(&page, "How you felt afterwards").contains("No energy logged yet"));
    assert!(
        figure(&page, "Giving and receiving")
            .contains("Today: you have been carrying more lately (B = +0.25).")
    );
}

#[test]
fn commands_are_code_not_backticks() {
    let mut friend = FriendReport::new("Alex");
    friend.signals = vec![SignalView {
        kind: "uncelebrated-win".to_owned(),
        began: Some(date(2025, 11, 1)),
        confidence: 1.0,
        message: "Alex shared good news: <b>a film</b>.".to_owned(),
        suggestion: "Ask how it feels. Then: `mutual win respond 2 enthusiastic`.".to_owned(),
    }];
    let page = render(&report(vec![friend]));
    assert!(
        page.contains("Then: <code>mutual win respond 2 enthusiastic</code>."),
        "{page}"
    );
    assert!(!page.contains('`'), "a raw backtick on the page");
    assert!(page.contains("&lt;b&gt;a film&lt;/b&gt;"), "user text is escaped");
    assert!(page.contains("clear (100%)"));
}

#[test]
fn follow_ups_wins_thanks_and_what_is_coming_up_are_listed() {
    let page = sample_page();
    let coming = page
        .split("id=\"coming-up-title\"")
        .nth(1)
        .expect("a coming-up section");
    assert!(
        coming.contains("Sam&#39;s birthday is on Saturday.")
            || coming.contains("Sam's birthday is on Saturday."),
        "{coming}"
    );
    assert!(coming.contains("the flat viewing"));
    let sam = page
        .split("<section class=\"friend\"")
        .nth(1)
        .expect("Sam's section");
    for text in [
        "Follow-ups, good news and thanks",
        "Ask how the new job is going",
        "open; due in 3 days",
        "Send the hiking photos",
        "Finished the first half marathon",
        "celebrated together",
        "Helping me move the sofa",
        "not told yet",
    ] {
        assert!(sam.contains(text), "{text} missing");
    }
}

/// Every chart's labels are at least 11 px on a 390 px phone, where a
/// chart is 333 px wide (measured in Chromium): font size × 333 / the
/// chart's own width.
#[test]
fn chart_labels_stay_readable_on_a_phone() {
    let page = sample_page();
    let mut charts = 0;
    for svg in page.split("<svg class=\"chart\"").skip(1) {
        let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
        let width: f64 = view.split(' ').next().unwrap().parse().unwrap();
        let body = &svg[..svg.find("</svg>").unwrap()];
        for size in body.split("font-size=\"").skip(1) {
            let px: f64 = size[..size.find('"').unwrap()].parse().unwrap();
            assert!(px * 333.0 / width >= 11.0, "{px} px in a chart {width} wide");
        }
        charts += 1;
    }
    assert!(charts >= 10, "{charts} charts");
}

#[test]
fn the_words_stay_kind() {
    let page = sample_page().to_lowercase();
    let words: Vec<&str> = page.split(|c: char| !c.is_alphabetic()).collect();
    for unkind in ["owe", "owes", "owed", "owing", "fault", "blame", "failed"] {
        assert!(!words.contains(&unkind), "{unkind:?} on the page");
    }
}

#[test]
fn rendering_is_deterministic_and_writes_the_same_page() {
    let sample = sample::report(7, TODAY);
    let page = render(&sample);
    assert_eq!(page, render(&sample));
    let mut out = Vec::new();
    mutual_report::write(&sample, &mut out).expect("writing to memory");
    assert_eq!(out, page.as_bytes());
    assert_ne!(page, render(&sample::report(8, TODAY)));
}

#[test]
fn odd_numbers_do_not_break_the_page() {
    let mut friend = sample::report(3, TODAY).friends.remove(0);
    friend.weeks.reverse();
    let odd = Side {
        messages: u32::MAX,
        initiations: u32::MAX,
        words_per_message: Some(f64::NAN),
        reply_median_minutes: Some(-5.0),
        enthusiasm: Some(f64::INFINITY),
        untoned: u32::MAX,
        bids: 3,
        turned_toward: Some(7.0),
    };
    friend.weeks.insert(
        0,
        Week {
            monday: date(1990, 1, 1),
            me: odd.clone(),
            them: odd,
        },
    );
    friend.balance.push((date(1995, 6, 1), f64::NAN));
    friend.energy.push((date(2030, 1, 1), 99.0));
    friend.signals.push(SignalView {
        kind: String::new(),
        began: Some(date(1991, 3, 3)),
        confidence: f64::NAN,
        message: String::new(),
        suggestion: String::new(),
    });
    let page = render(&report(vec![friend]));
    assert_eq!(count(&page, "<svg"), 9);
    assert!(
        !page.contains("NaN") && !page.contains("inf"),
        "no raw numbers leak"
    );
    // Thirty-five years still get a labelled time axis.
    assert!(figure(&page, "Messages per week").contains("Jan 2000"));
}

#[test]
fn a_tone_that_was_not_measured_is_said_not_shown_as_neutral() {
    let mut friend = FriendReport::new("Robin");
    friend.weeks = (0..6)
        .map(|k| {
            let side = |untoned: u32, enthusiasm: Option<f64>| Side {
                messages: 12,
                initiations: 1,
                words_per_message: Some(7.0),
                enthusiasm,
                untoned,
                ..Side::default()
            };
            Week {
                monday: date(2025, 10, 6)
                    .checked_add(jiff::Span::new().weeks(k))
                    .expect("in range"),
                me: side(0, Some(0.3)),
                them: side(12, None),
            }
        })
        .collect();
    let page = render(&report(vec![friend]));
    let enthusiasm = figure(sections(&page)[0], "Enthusiasm");
    assert!(
        enthusiasm.contains("your messages averaged +0.30"),
        "{enthusiasm}"
    );
    assert!(
        enthusiasm.contains("Robin’s tone was not measured (a language mutual cannot read)"),
        "{enthusiasm}"
    );
}
