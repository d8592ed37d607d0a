//! Integration tests: each drives the real `mutual` binary in a temporary
//! directory through [`common::Env`].

mod cli;
mod common;
