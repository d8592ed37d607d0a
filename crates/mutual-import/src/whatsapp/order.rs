//! Day/month order: a look ahead settles the order of each layout from the
//! file's own dates, and a parse learns each layout on first sight.

use crate::date::{Backsteps, DateOrder, DateOrderUsed, OrderReason, Orders};
use crate::lines::Lines;
use crate::{Diagnostic, Error, Input, Position, Sink};

use super::header::{Header, Layout, header};
use super::{EXPECTED, Parser};

/// How many times a parse may read ahead again for a layout that first
/// shows up late in a file: a bound on the work a strange file can cause.
const RESCANS: u32 = 8;

/// What a look ahead from the start learns about the file's layouts (every
/// one takes the order `given`, if any), or why it cannot be a WhatsApp
/// export.
pub(super) fn learn(input: &Input, given: Option<DateOrder>) -> Result<Learnt, Error> {
    let mut orders = Orders::new(given);
    let scan = learn_orders(input, 0, None, &mut orders)?;
    if !scan.found {
        let problem = if scan.impossible {
            "no line is a WhatsApp message header with a date that exists"
        } else {
            "no line starts with a WhatsApp date and time"
        };
        return Err(Error::unreadable(Position::Whole, problem, EXPECTED));
    }
    Ok(Learnt {
        orders,
        forward: scan.forward.into_iter().collect(),
        layouts: Vec::new(),
        rescans_left: RESCANS,
    })
}

/// What a look ahead found.
#[derive(Clone, Copy, Debug, Default)]
struct Scan {
    /// A header was seen.
    found: bool,
    /// A line looked like a header but its date does not exist.
    impossible: bool,
    /// The layout looked for, and the order in which its dates run forward
    /// when none of them settled it.
    forward: Option<(Layout, DateOrder)>,
}

/// Reads from line `skip + 1` until the day/month order of `wanted` (or of
/// the first header's layout when `None`) is settled, or to the end; learns
/// the orders of every layout on the way.
fn learn_orders(
    input: &Input,
    skip: u64,
    mut wanted: Option<Layout>,
    orders: &mut Orders<Layout>,
) -> Result<Scan, Error> {
    let mut lines = Lines::new(input.open_unbuffered()?);
    let mut number = 0;
    let mut scan = Scan::default();
    let mut steps = Backsteps::default();
    while let Some(line) = lines.next_line()? {
        number += 1;
        if number <= skip {
            continue;
        }
        let Some(h) = header(line) else { continue };
        let exists = match orders.given() {
            Some(order) => h.date.date(order).is_some(),
            None => h.date.exists(),
        };
        if !exists {
            scan.impossible = true;
            continue;
        }
        scan.found = true;
        orders.learn(h.layout, &h.date, number);
        let wanted = *wanted.get_or_insert(h.layout);
        if wanted.year_first() || orders.get(wanted).is_some() {
            return Ok(scan);
        }
        if h.layout == wanted {
            steps.add(&h.date);
        }
    }
    scan.forward = wanted.zip(steps.better());
    Ok(scan)
}

/// A layout met in the file, with what the file says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Seen {
    pub(super) layout: Layout,
    pub(super) order: DateOrder,
    /// How the first of its dates wrote the year.
    pub(super) year_digits: u8,
}

/// What a parse knows about the file's layouts at a line: all that the
/// lines before it tell the lines after it, apart from the time of the
/// message before. A part of the file parsed from the same knowledge reads
/// exactly as it does in a parse of the whole (see [`super::parts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Learnt {
    orders: Orders<Layout>,
    /// Layouts whose order only the run of their dates suggests.
    forward: Vec<(Layout, DateOrder)>,
    layouts: Vec<Seen>,
    rescans_left: u32,
}

impl Parser<'_> {
    /// What the file says about the layout of `h`, learnt on first sight.
    pub(super) fn seen(&mut self, h: &Header, number: u64, sink: &mut dyn Sink) -> Result<Seen, Error> {
        if let Some(seen) = self.learnt.layouts.iter().find(|s| s.layout == h.layout) {
            return Ok(*seen);
        }
        let layout = h.layout;
        let mut used = if layout.year_first() {
            Some(DateOrderUsed {
                order: DateOrder::Ymd,
                reason: OrderReason::YearFirst,
            })
        } else {
            self.learnt.orders.used(layout)
        };
        if used.is_none() && self.detached {
            // Looking ahead and naming the line both need the line's number.
            self.unsure = true;
            return Ok(Seen {
                layout,
                order: DateOrder::Dmy,
                year_digits: h.date.year_digits(),
            });
        }
        if used.is_none() && self.learnt.rescans_left > 0 {
            self.learnt.rescans_left -= 1;
            let scan = learn_orders(self.input, number - 1, Some(layout), &mut self.learnt.orders)?;
            self.learnt.forward.extend(scan.forward);
            used = self.learnt.orders.used(layout);
        }
        let used = match used {
            Some(used) => used,
            None => {
                let forward = self
                    .learnt
                    .forward
                    .iter()
                    .find(|(l, _)| *l == layout)
                    .map(|&(_, o)| o);
                let (order, reason, why) = match forward {
                    Some(order) => (
                        order,
                        OrderReason::RunsForward,
                        ", the order in which they run forward in time",
                    ),
                    None => (DateOrder::guess(layout.meridiem == 1), OrderReason::Assumed, ""),
                };
                sink.diagnostic(Diagnostic::new(
                    Position::Whole,
                    format!(
                        "the dates from line {number} on never show whether the day or the month comes \
                         first; they were read as {}{why}",
                        order.describe()
                    ),
                ));
                DateOrderUsed { order, reason }
            }
        };
        sink.date_order(used);
        let order = used.order;
        let seen = Seen {
            layout,
            order,
            year_digits: h.date.year_digits(),
        };
        self.learnt.layouts.push(seen);
        Ok(seen)
    }
}
