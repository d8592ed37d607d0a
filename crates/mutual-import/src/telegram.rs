//! TODO(helper): telegram grammar.

use crate::{Error, Input, Options, Sink};

pub fn sniff(_input: &Input, _head: &[u8]) -> bool {
    false
}

pub fn parse(_input: &Input, _options: &Options, _sink: &mut dyn Sink) -> Result<(), Error> {
    Err(Error::unreadable(
        crate::Position::Whole,
        "not yet readable",
        "another format",
    ))
}
