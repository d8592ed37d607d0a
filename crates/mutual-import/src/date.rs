//! TODO(helper): numeric date layouts shared by the text formats.
