//! `mutual agree`: the outcome of a renegotiation, with expected roles that
//! the balance model honours.

use anyhow::Result;
use mutual_app::notes;
use mutual_core::{AgreementId, Roles, SupportKinds};

use super::{parse_opt, text};
use crate::app::App;
use crate::error::bad_input;
use crate::ui;
use crate::when;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Record what you agreed, and who is expected to give what
    Add {
        friend: String,
        text: String,
        /// What you expect to give (comma-separated support kinds)
        #[arg(long, value_name = "KINDS")]
        me: Option<String>,
        /// What they expect to give
        #[arg(long, value_name = "KINDS")]
        them: Option<String>,
        /// Since when [default: now]
        #[arg(long)]
        since: Option<String>,
    },
    /// List agreements
    List {
        friend: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// End an agreement
    End {
        id: String,
        #[arg(long)]
        at: Option<String>,
    },
    /// Delete an agreement
    Remove { id: String },
}

pub(crate) fn run(cmd: Command, app: &App) -> Result<()> {
    match cmd {
        Command::Add {
            friend,
            text: words,
            me,
            them,
            since,
        } => {
            let words = text("agreement", &words)?;
            let roles = Roles {
                me: parse_opt::<SupportKinds>("--me", me.as_deref())?.unwrap_or_default(),
                them: parse_opt::<SupportKinds>("--them", them.as_deref())?.unwrap_or_default(),
            };
            let since = since
                .map(|t| when::moment(&t, app.now, &app.tz))
                .transpose()?
                .unwrap_or(app.now);
            let mut store = app.open()?;
            let friend = app.friend(store.db(), &friend)?;
            let id = notes::add_agreement(&mut store, friend.id, &words, roles, since)?;
            ui::done(format!("Recorded your agreement with {} (#{id}).", friend.name))?;
            if !roles.is_empty() {
                let from = if since >= app.now - mutual_core::days(1) {
                    "From now on".to_owned()
                } else {
                    format!("Since {}", since.to_zoned(app.tz.clone()).date())
                };
                ui::hint(format!(
                    "{from}, you giving {} and {} giving {} count as a balanced exchange.",
                    if roles.me.is_empty() {
                        "anything".into()
                    } else {
                        roles.me.to_string()
                    },
                    friend.name,
                    if roles.them.is_empty() {
                        "anything".into()
                    } else {
                        roles.them.to_string()
                    },
                ))?;
            }
            Ok(())
        }
        Command::List { friend, json } => super::list(
            app,
            friend.as_deref(),
            json,
            "No agreements recorded.",
            |db, only| Ok(db.agreements(only)?),
            |a| a.friend,
            |a, name| {
                let state = if a.since > app.now {
                    format!("from {}", a.since.to_zoned(app.tz.clone()).date())
                } else if a.is_active_at(app.now) {
                    "in force".to_owned()
                } else {
                    "ended".to_owned()
                };
                let roles = if a.roles.is_empty() {
                    String::new()
                } else {
                    let show = |k: SupportKinds| {
                        if k.is_empty() {
                            "anything".to_owned()
                        } else {
                            k.to_string()
                        }
                    };
                    format!("you: {}; them: {}; ", show(a.roles.me), show(a.roles.them))
                };
                format!("#{} {name}: {} ({roles}{state})", a.id, a.text)
            },
        ),
        Command::End { id, at } => {
            let id = AgreementId(super::id("agreement", &id)?);
            let at = at
                .map(|t| when::moment(&t, app.now, &app.tz))
                .transpose()?
                .unwrap_or(app.now);
            let mut store = app.open()?;
            // The service refuses an end before the start too; read first
            // to refuse it in this command's words.
            let a = super::by_id(store.db().agreements(None)?, "agreement", id.0, |x| x.id.0)?;
            if at <= a.since {
                bad_input!(
                    "agreement #{id} began {}; expected an end after that",
                    a.since.to_zoned(app.tz.clone()).strftime("%Y-%m-%d %H:%M")
                );
            }
            notes::end_agreement(&mut store, id, at)?;
            ui::done(format!(
                "Agreement #{id} ended. Renegotiating as life changes is healthy."
            ))
        }
        Command::Remove { id } => {
            let id = AgreementId(super::id("agreement", &id)?);
            notes::remove_agreement(&mut app.open()?, id)?;
            ui::done(format!("Removed agreement #{id}."))
        }
    }
}
