//! TODO(helper): Signal grammar (text export and Desktop database).

use crate::{Error, Input, Options, Sink};

pub fn sniff_text(_input: &Input, _head: &[u8]) -> bool {
    false
}

pub fn sniff_desktop(_input: &Input, _head: &[u8]) -> bool {
    false
}

pub fn parse_text(_input: &Input, _options: &Options, _sink: &mut dyn Sink) -> Result<(), Error> {
    Err(Error::unreadable(
        crate::Position::Whole,
        "not yet readable",
        "another format",
    ))
}

pub fn parse_desktop(_input: &Input, _options: &Options, _sink: &mut dyn Sink) -> Result<(), Error> {
    Err(Error::unreadable(
        crate::Position::Whole,
        "not yet readable",
        "another format",
    ))
}
