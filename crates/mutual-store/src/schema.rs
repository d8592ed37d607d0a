//! Versioned migrations. `PRAGMA user_version` holds the number of
//! migrations applied; a migration is never edited once released, only
//! followed by another.

/// One step of the schema's history.
#[derive(Debug)]
pub(crate) struct Migration {
    pub(crate) version: u32,
    pub(crate) sql: &'static str,
}

/// Every migration, in order. `MIGRATIONS[i].version == i + 1`.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: V1 },
    Migration { version: 2, sql: V2 },
    Migration { version: 3, sql: V3 },
    Migration { version: 4, sql: V4 },
    Migration { version: 5, sql: V5 },
    Migration { version: 6, sql: V6 },
    Migration { version: 7, sql: V7 },
];

/// Written into `PRAGMA application_id` ("mut1") to recognise our files.
pub(crate) const APPLICATION_ID: i32 = 0x6d75_7431;

/// Times are unix seconds (UTC); days are `YYYY-MM-DD` local dates; enums
/// are their kebab-case names; support sets are 14-bit packed intensities
/// (see `SupportSet::to_bits`); role sets are 7-bit masks.
const V1: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE friend (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    circle        TEXT,
    ideal_days    INTEGER,
    max_days      INTEGER,
    notes         TEXT,
    snoozed_until TEXT,
    added_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX friend_by_name ON friend (name COLLATE NOCASE);

CREATE TABLE alias (
    friend_id INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    text      TEXT NOT NULL,
    platform  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (text COLLATE NOCASE, platform)
) WITHOUT ROWID;
CREATE INDEX alias_by_friend ON alias (friend_id);

CREATE TABLE pause (
    id        INTEGER PRIMARY KEY,
    friend_id INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    from_day  TEXT NOT NULL,
    until_day TEXT,
    reason    TEXT
);
CREATE INDEX pause_by_friend ON pause (friend_id);

CREATE TABLE interaction (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    initiator  TEXT NOT NULL,
    gave       INTEGER NOT NULL,
    got        INTEGER NOT NULL,
    energy     INTEGER CHECK (energy BETWEEN -3 AND 3),
    felt_heard INTEGER CHECK (felt_heard BETWEEN 1 AND 5),
    conflict   INTEGER NOT NULL DEFAULT 0,
    hard_news  INTEGER NOT NULL DEFAULT 0,
    note       TEXT
);

CREATE TABLE interaction_friend (
    friend_id      INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    at             INTEGER NOT NULL,
    interaction_id INTEGER NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,
    PRIMARY KEY (friend_id, at, interaction_id)
) WITHOUT ROWID;
CREATE INDEX interaction_friend_by_interaction ON interaction_friend (interaction_id);

CREATE TABLE interaction_tag (
    interaction_id INTEGER NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,
    tag            TEXT NOT NULL,
    PRIMARY KEY (interaction_id, tag)
) WITHOUT ROWID;

CREATE TABLE need (
    id        INTEGER PRIMARY KEY,
    friend_id INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    whose     TEXT NOT NULL,
    text      TEXT NOT NULL,
    since     TEXT NOT NULL
);
CREATE INDEX need_by_friend ON need (friend_id);

CREATE TABLE boundary (
    id         INTEGER PRIMARY KEY,
    friend_id  INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    whose      TEXT NOT NULL,
    text       TEXT NOT NULL,
    since      TEXT NOT NULL,
    rule       TEXT,
    rule_start TEXT,
    rule_end   TEXT,
    channels   TEXT,
    days       INTEGER,
    max_count  INTEGER
);
CREATE INDEX boundary_by_friend ON boundary (friend_id);

CREATE TABLE follow_up (
    id             INTEGER PRIMARY KEY,
    friend_id      INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    text           TEXT NOT NULL,
    due            TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    done_at        INTEGER,
    interaction_id INTEGER REFERENCES interaction (id) ON DELETE SET NULL
);
CREATE INDEX follow_up_by_friend ON follow_up (friend_id);

CREATE TABLE win (
    id        INTEGER PRIMARY KEY,
    friend_id INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    text      TEXT NOT NULL,
    response  TEXT
);
CREATE INDEX win_by_friend ON win (friend_id);

CREATE TABLE gratitude (
    id        INTEGER PRIMARY KEY,
    friend_id INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    text      TEXT NOT NULL,
    told_at   INTEGER
);
CREATE INDEX gratitude_by_friend ON gratitude (friend_id);

CREATE TABLE parked_topic (
    id           INTEGER PRIMARY KEY,
    friend_id    INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    topic        TEXT NOT NULL,
    parked_on    TEXT NOT NULL,
    revisit_on   TEXT NOT NULL,
    revisited_on TEXT
);
CREATE INDEX parked_topic_by_friend ON parked_topic (friend_id);

CREATE TABLE agreement (
    id         INTEGER PRIMARY KEY,
    friend_id  INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    roles_me   INTEGER NOT NULL,
    roles_them INTEGER NOT NULL,
    since      INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX agreement_by_friend ON agreement (friend_id);

CREATE TABLE prompt_use (
    id            INTEGER PRIMARY KEY,
    friend_id     INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    prompt        TEXT NOT NULL,
    at            INTEGER NOT NULL,
    me_answered   INTEGER NOT NULL,
    they_answered INTEGER NOT NULL
);
CREATE INDEX prompt_use_by_friend ON prompt_use (friend_id);

CREATE TABLE review (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    period    TEXT NOT NULL,
    friend_id INTEGER REFERENCES friend (id) ON DELETE CASCADE,
    went_well TEXT,
    to_adjust TEXT,
    note      TEXT
);
";

/// Chat imports. Messages are keyed so that a message seen again (a re-export,
/// an overlapping export, the same chat from another app) lands on the same
/// row: sender, UTC minute, a keyed fingerprint of kind and text, and the
/// ordinal among identical messages in that minute. Rows arrive nearly in key
/// order (each sender's messages in time order), so the clustered
/// `WITHOUT ROWID` key is cheap to fill. Senders map to friends through
/// `alias` (or the friend's name) when read, so mapping a sender later counts
/// the messages already stored. `text` is NULL unless the user opted in.
const V2: &str = "
CREATE TABLE chat (
    id       INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    name     TEXT NOT NULL,
    UNIQUE (platform, name)
);

CREATE TABLE sender (
    id       INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    name     TEXT NOT NULL,
    is_me    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (platform, name)
);

CREATE TABLE message (
    sender_id   INTEGER NOT NULL,
    minute      INTEGER NOT NULL,
    fingerprint INTEGER NOT NULL,
    ordinal     INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    chars       INTEGER NOT NULL,
    words       INTEGER NOT NULL,
    emoji       INTEGER NOT NULL,
    edited      INTEGER NOT NULL,
    reply       INTEGER NOT NULL,
    text        TEXT,
    PRIMARY KEY (sender_id, minute, fingerprint, ordinal)
) WITHOUT ROWID;

CREATE TABLE chat_span (
    chat_id      INTEGER NOT NULL REFERENCES chat (id) ON DELETE CASCADE,
    first_minute INTEGER NOT NULL,
    last_minute  INTEGER NOT NULL,
    PRIMARY KEY (chat_id, first_minute)
) WITHOUT ROWID;

CREATE TABLE chat_member (
    chat_id   INTEGER NOT NULL REFERENCES chat (id) ON DELETE CASCADE,
    sender_id INTEGER NOT NULL REFERENCES sender (id) ON DELETE CASCADE,
    last_at   INTEGER NOT NULL,
    PRIMARY KEY (chat_id, sender_id)
) WITHOUT ROWID;
CREATE INDEX chat_member_by_sender ON chat_member (sender_id);
";

/// Text features of each message, computed at import (NULL for media, calls,
/// and messages stored before this version; the binary computes them from
/// kept text, when there is any): VADER proportions in
/// thousandths and compound in ten-thousandths, emoji sentiment in
/// thousandths, flag bits and packed style-word counts, as
/// `mutual-analysis` defines them. Weekly measures per friend and side are
/// stored as that crate's encoding, keyed by the week's local Monday;
/// `week_source` remembers what each friend's weeks were computed from, so a
/// change of senders or settings recomputes them.
const V3: &str = "
ALTER TABLE message ADD COLUMN neg INTEGER;
ALTER TABLE message ADD COLUMN neu INTEGER;
ALTER TABLE message ADD COLUMN pos INTEGER;
ALTER TABLE message ADD COLUMN compound INTEGER;
ALTER TABLE message ADD COLUMN emoji_sentiment INTEGER;
ALTER TABLE message ADD COLUMN flags INTEGER;
ALTER TABLE message ADD COLUMN style INTEGER;

CREATE TABLE week (
    friend_id INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    monday    TEXT NOT NULL,
    from_me   INTEGER NOT NULL,
    messages  INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (friend_id, monday, from_me)
) WITHOUT ROWID;

CREATE TABLE week_source (
    friend_id INTEGER PRIMARY KEY REFERENCES friend (id) ON DELETE CASCADE,
    source    TEXT NOT NULL
);
";

/// Chats are told apart by what the export says about them, not by their
/// display name alone: `key` is the export's own id of the conversation
/// (`NULL` where the format has none, such as WhatsApp), `zone` the time
/// zone its local times were read in (formats that write local times).
/// Two chats may share a name; names stay unique per platform as labels,
/// so a later chat gets a numbered one. The message key gains the chat, so
/// that the same words sent to two chats in the same minute are two
/// messages; it stays led by sender and minute, which every read scans by.
const V4: &str = "
ALTER TABLE chat ADD COLUMN key TEXT;
ALTER TABLE chat ADD COLUMN zone TEXT;
CREATE UNIQUE INDEX chat_by_key ON chat (platform, key) WHERE key IS NOT NULL;

CREATE TABLE message_v4 (
    sender_id       INTEGER NOT NULL,
    minute          INTEGER NOT NULL,
    fingerprint     INTEGER NOT NULL,
    ordinal         INTEGER NOT NULL,
    chat_id         INTEGER NOT NULL,
    at              INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    chars           INTEGER NOT NULL,
    words           INTEGER NOT NULL,
    emoji           INTEGER NOT NULL,
    edited          INTEGER NOT NULL,
    reply           INTEGER NOT NULL,
    text            TEXT,
    neg             INTEGER,
    neu             INTEGER,
    pos             INTEGER,
    compound        INTEGER,
    emoji_sentiment INTEGER,
    flags           INTEGER,
    style           INTEGER,
    PRIMARY KEY (sender_id, minute, fingerprint, ordinal, chat_id)
) WITHOUT ROWID;
INSERT INTO message_v4
    (sender_id, minute, fingerprint, ordinal, chat_id, at, kind, chars, words, emoji, edited, reply, text,
     neg, neu, pos, compound, emoji_sentiment, flags, style)
SELECT sender_id, minute, fingerprint, ordinal, chat_id, at, kind, chars, words, emoji, edited, reply, text,
       neg, neu, pos, compound, emoji_sentiment, flags, style
  FROM message;
DROP TABLE message;
ALTER TABLE message_v4 RENAME TO message;
";

/// The language each text was read in (`en`, `es`, `pt`, `fr`, `de`, `it`,
/// or `xx` for one `mutual` cannot read, whose tone is not measured); NULL
/// for media, calls, and texts stored before languages were read (English).
/// `chat_lang` counts them per chat, kept by every write and removal of
/// messages, so that an import learns a chat's language without reading
/// its messages.
const V5: &str = "
ALTER TABLE message ADD COLUMN lang TEXT;

CREATE TABLE chat_lang (
    chat_id  INTEGER NOT NULL REFERENCES chat (id) ON DELETE CASCADE,
    lang     TEXT NOT NULL,
    messages INTEGER NOT NULL,
    PRIMARY KEY (chat_id, lang)
) WITHOUT ROWID;
";

/// Days that matter: a friend's birthday (`MM-DD`), and key dates, once or
/// every year (`day` is the first). Removed journal entries wait in
/// `removed_interaction` (with their friends and tags) for 30 days, so a
/// removal can be undone.
const V6: &str = "
ALTER TABLE friend ADD COLUMN birthday TEXT;

CREATE TABLE key_date (
    id         INTEGER PRIMARY KEY,
    friend_id  INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    day        TEXT NOT NULL,
    yearly     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX key_date_by_friend ON key_date (friend_id);

CREATE TABLE removed_interaction (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    initiator  TEXT NOT NULL,
    gave       INTEGER NOT NULL,
    got        INTEGER NOT NULL,
    energy     INTEGER,
    felt_heard INTEGER,
    conflict   INTEGER NOT NULL,
    hard_news  INTEGER NOT NULL,
    note       TEXT,
    removed_at INTEGER NOT NULL
);

CREATE TABLE removed_interaction_friend (
    interaction_id INTEGER NOT NULL REFERENCES removed_interaction (id) ON DELETE CASCADE,
    friend_id      INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, friend_id)
) WITHOUT ROWID;
CREATE INDEX removed_interaction_by_friend ON removed_interaction_friend (friend_id);

CREATE TABLE removed_interaction_tag (
    interaction_id INTEGER NOT NULL REFERENCES removed_interaction (id) ON DELETE CASCADE,
    tag            TEXT NOT NULL,
    PRIMARY KEY (interaction_id, tag)
) WITHOUT ROWID;
";

/// Two-sided check-ins (`mutual-checkin`): the id is 16 hex digits; my key
/// pair is kept as its 32-byte secret (the public half is derived from it);
/// answers are the compact JSON objects `mutual_checkin::Answers` writes;
/// `their_key` is the friend's 65-byte reveal key from their reply code;
/// `items` is the question set version; `expires` the invitation's last day.
const V7: &str = "
CREATE TABLE checkin (
    id            TEXT PRIMARY KEY,
    friend_id     INTEGER NOT NULL REFERENCES friend (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    items         INTEGER NOT NULL,
    expires       TEXT NOT NULL,
    secret_key    BLOB NOT NULL,
    my_answers    TEXT,
    answered_at   INTEGER,
    their_key     BLOB,
    their_answers TEXT,
    received_at   INTEGER,
    revealed_at   INTEGER
) WITHOUT ROWID;
CREATE INDEX checkin_by_friend ON checkin (friend_id, created_at);
";
