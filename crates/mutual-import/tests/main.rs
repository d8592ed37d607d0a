//! Parser tests: one snapshot per fixture under ../shared/fixtures/chat-samples,
//! grammar cases, and arbitrary bytes that must never panic a parser.

mod common;

mod discord;
mod encodings;
mod imessage;
mod line;
mod messenger;
mod signal;
mod sms;
mod telegram;
mod whatsapp;
