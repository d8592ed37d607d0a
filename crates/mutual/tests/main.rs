//! Integration tests: each drives the real `mutual` binary in a temporary
//! directory through [`common::Env`].

#![allow(clippy::unwrap_used)]

mod cli;
mod common;
