//! Conversions between domain values and SQLite columns.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::Row;
use rusqlite::types::ValueRef;

use crate::error::{Result, StoreError};

pub(crate) fn seconds(t: Timestamp) -> i64 {
    t.as_second()
}

pub(crate) fn day_text(d: Date) -> String {
    d.to_string()
}

fn corrupt(column: &'static str, value: impl std::fmt::Debug) -> StoreError {
    StoreError::Corrupt {
        column,
        value: format!("{value:?}"),
    }
}

/// Typed column access with errors that name the column.
pub(crate) trait RowExt {
    fn timestamp(&self, idx: usize, column: &'static str) -> Result<Timestamp>;
    fn opt_timestamp(&self, idx: usize, column: &'static str) -> Result<Option<Timestamp>>;
    fn day(&self, idx: usize, column: &'static str) -> Result<Date>;
    fn opt_day(&self, idx: usize, column: &'static str) -> Result<Option<Date>>;
    fn parsed<T: std::str::FromStr>(&self, idx: usize, column: &'static str) -> Result<T>;
    fn opt_parsed<T: std::str::FromStr>(&self, idx: usize, column: &'static str) -> Result<Option<T>>;
}

impl RowExt for Row<'_> {
    fn timestamp(&self, idx: usize, column: &'static str) -> Result<Timestamp> {
        let s: i64 = self.get(idx)?;
        Timestamp::from_second(s).map_err(|_| corrupt(column, s))
    }

    fn opt_timestamp(&self, idx: usize, column: &'static str) -> Result<Option<Timestamp>> {
        match self.get::<_, Option<i64>>(idx)? {
            None => Ok(None),
            Some(s) => Timestamp::from_second(s)
                .map(Some)
                .map_err(|_| corrupt(column, s)),
        }
    }

    fn day(&self, idx: usize, column: &'static str) -> Result<Date> {
        self.opt_day(idx, column)?.ok_or_else(|| corrupt(column, "NULL"))
    }

    fn opt_day(&self, idx: usize, column: &'static str) -> Result<Option<Date>> {
        self.opt_parsed(idx, column)
    }

    fn parsed<T: std::str::FromStr>(&self, idx: usize, column: &'static str) -> Result<T> {
        self.opt_parsed(idx, column)?
            .ok_or_else(|| corrupt(column, "NULL"))
    }

    fn opt_parsed<T: std::str::FromStr>(&self, idx: usize, column: &'static str) -> Result<Option<T>> {
        match self.get_ref(idx)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(bytes) => {
                let text = std::str::from_utf8(bytes).map_err(|_| corrupt(column, bytes))?;
                text.parse().map(Some).map_err(|_| corrupt(column, text))
            }
            other => Err(corrupt(column, other.data_type())),
        }
    }
}
