//! TODO(helper): Messenger and Instagram grammar.

use crate::{Error, Input, Options, Platform, Sink};

pub fn sniff(_input: &Input, _head: &[u8]) -> bool {
    false
}

pub fn sniff_instagram(_input: &Input, _head: &[u8]) -> bool {
    false
}

pub fn parse(
    _input: &Input,
    _options: &Options,
    _sink: &mut dyn Sink,
    _platform: Platform,
) -> Result<(), Error> {
    Err(Error::unreadable(
        crate::Position::Whole,
        "not yet readable",
        "another format",
    ))
}
