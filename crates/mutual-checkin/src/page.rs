//! The friend's page: one self-contained HTML file with its style, script
//! and question sets inside, and no network request at all. Its
//! Content-Security-Policy allows nothing but its own inline style and
//! script, named by their SHA-256 hashes, which are computed here when the
//! page is built.
//!
//! The sources live in `page/` (`checkin.html`, `.css`, `.js`). With an
//! invitation, the page carries it (for `--out invite.html`); without, it
//! reads one from the link's fragment (`#i1.…`), and a reveal from
//! `#reveal=mutual-reveal1.…`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::CheckinError;
use crate::codec::Invite;
use crate::items::ItemSet;

const HTML: &str = include_str!("../page/checkin.html");
const STYLE: &str = include_str!("../page/checkin.css");
const SCRIPT: &str = include_str!("../page/checkin.js");

/// The page, with `invite` inside when given.
pub fn page(invite: Option<&Invite>) -> Result<String, CheckinError> {
    let invite = match invite {
        Some(invite) => serde_json::Value::from(invite.encode()?).to_string(),
        None => "null".to_owned(),
    };
    let csp = format!(
        "default-src 'none'; script-src '{}'; style-src '{}'; base-uri 'none'; form-action 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    );
    let mut out = String::with_capacity(HTML.len() + STYLE.len() + SCRIPT.len() + 16 * 1024);
    let mut rest = HTML;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find("}}") else { break };
        match &rest[2..end] {
            "CSP" => out.push_str(&csp),
            "STYLE" => out.push_str(STYLE),
            "SCRIPT" => out.push_str(SCRIPT),
            "ITEMS" => out.push_str(&script_safe(&item_sets())),
            "INVITE" => out.push_str(&script_safe(&invite)),
            other => {
                out.push_str("{{");
                out.push_str(other);
                out.push_str("}}");
            }
        }
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `'sha256-…'` of a script's or a style's exact text, as CSP wants it.
fn csp_hash(text: &str) -> String {
    format!("sha256-{}", STANDARD.encode(Sha256::digest(text.as_bytes())))
}

/// Every shipped question set, by version: `{"1": {…}}`.
fn item_sets() -> String {
    let mut out = String::from("{");
    for (i, (version, json)) in ItemSet::shipped_json().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("\"{version}\":{}", json.trim()));
    }
    out.push('}');
    out
}

/// JSON that can sit inside a `<script>` element: no `<` to end it early.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::codec::CheckinId;
    use crate::crypto::KeyPair;
    use jiff::civil::Date;

    fn between<'a>(page: &'a str, open: &str, close: &str) -> &'a str {
        let start = page.find(open).unwrap() + open.len();
        let len = page[start..].find(close).unwrap();
        &page[start..start + len]
    }

    #[test]
    fn the_policy_allows_only_the_page_itself() {
        let page = page(None).unwrap();
        let csp = between(&page, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
        assert!(csp.starts_with("default-src 'none'; "), "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
        // The hashes are of the very style and script the page carries.
        let style = between(&page, "<style>", "</style>");
        let script = between(&page, "<script>", "</script>");
        assert_eq!(style, STYLE);
        assert_eq!(script, SCRIPT);
        assert!(
            csp.contains(&format!("script-src '{}'", csp_hash(script))),
            "{csp}"
        );
        assert!(csp.contains(&format!("style-src '{}'", csp_hash(style))), "{csp}");
        assert_eq!(page.matches("<script>").count(), 1, "one executable script");
        assert_eq!(page.matches("<style>").count(), 1);
    }

    #[test]
    fn the_page_reaches_for_nothing_outside_itself() {
        let page = page(None).unwrap();
        for needle in [
            "http://",
            "https://",
            "src=",
            "href=",
            "fetch(",
            "XMLHttpRequest",
            "WebSocket",
            "import(",
            "@import",
            "url(",
        ] {
            let found: Vec<&str> = page.matches(needle).collect();
            // The one URL is SVG's namespace name, which is never fetched.
            let allowed =
                needle == "http://" && page.matches("http://www.w3.org/2000/svg").count() == found.len();
            assert!(found.is_empty() || allowed, "the page contains {needle}");
        }
        assert!(
            !page.contains(" style=\""),
            "no style attributes: the policy would block them"
        );
        assert!(page.contains("crypto.subtle"));
        // What browser tests call.
        assert!(page.contains("globalThis.mutualCheckin = api;"));
    }

    #[test]
    fn the_page_carries_every_question_set_and_an_invitation_when_given() {
        let page_alone = page(None).unwrap();
        let sets: serde_json::Value =
            serde_json::from_str(between(&page_alone, "id=\"item-sets\">", "</script>")).unwrap();
        assert_eq!(sets["1"]["items"][0]["id"], "closeness");
        assert_eq!(between(&page_alone, "id=\"invite\">", "</script>"), "null");
        assert!(!page_alone.contains("{{"));

        let invite = Invite {
            id: CheckinId::from_bytes([7; 8]),
            public: KeyPair::generate().public,
            items: 1,
            name: "Alex </script><script>".into(),
            expires: Date::constant(2027, 3, 1),
        };
        let with_invite = page(Some(&invite)).unwrap();
        let embedded: String =
            serde_json::from_str(between(&with_invite, "id=\"invite\">", "</script>")).unwrap();
        assert_eq!(Invite::decode(&embedded).unwrap(), invite);
        assert_eq!(with_invite.matches("<script>").count(), 1);
    }

    #[test]
    fn script_safe_json_cannot_close_its_element() {
        assert_eq!(script_safe(r#"{"a":"</script>"}"#), r#"{"a":"\u003c/script>"}"#);
        let back: serde_json::Value = serde_json::from_str(&script_safe(r#"{"a":"</script>"}"#)).unwrap();
        assert_eq!(back["a"], "</script>");
    }
}
