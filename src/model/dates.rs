//! Calendar dates as the archive writes them. Owns `Day` (a count of days on the proleptic
//! Gregorian calendar), `PartialDate` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, parsed strictly), the
//! inclusive `Interval` between days, and the "newest first" ordering every date listing uses.
//! A `from` date stands for the first day of its precision and a `to` date for the last, so a
//! year or month is always widened to the days it can mean. Does not read front matter and does
//! not know about periods (see `periods.rs`).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// One calendar day, counted in days since 1970-01-01 on the proleptic Gregorian calendar
/// (negative before 1970).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub(crate) struct Day(pub i32);

impl Day {
    /// The day for year `y`, month `m` (1–12) and day `d` (1–31). The caller passes a real date
    /// (`PartialDate` only holds real ones); an out-of-range day rolls over into the next month.
    pub(crate) fn from_ymd(y: i32, m: u8, d: u8) -> Day {
        // Howard Hinnant's `days_from_civil`: years start in March, so the leap day is last.
        let (m, d) = (i32::from(m), i32::from(d));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    /// The year, month (1–12) and day of the month (1–31) of this day.
    pub(crate) fn ymd(self) -> (i32, u8, u8) {
        // The inverse of `from_ymd` (Hinnant's `civil_from_days`).
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i32::from(m <= 2);
        // `m` is in 1..=12 and `d` in 1..=31 by construction, so the casts cannot truncate.
        (y, m as u8, d as u8)
    }

    /// The ISO 8601 form, e.g. `2019-03-31`.
    pub(crate) fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// How much of a date is known. Ordered from coarse to fine: `Year < Month < Day`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub(crate) enum Precision {
    /// Only the year (`2019`).
    Year,
    /// Year and month (`2019-03`).
    Month,
    /// A full date (`2019-03-31`).
    Day,
}

/// A date as written in the archive: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Always a real date
/// (year 1–9999, month 1–12, a day that exists in its month), and a day is only ever present
/// together with a month.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a string or a set of parts is not a date. `message` names the value and what is wrong
/// with it; `help` lists the accepted forms.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct DateError {
    /// What was wrong, e.g. "`2019-13` is not a date: month 13 is out of range; expected
    /// YYYY, YYYY-MM or YYYY-MM-DD".
    pub message: String,
    /// The accepted forms with examples.
    pub help: String,
}

const EXPECTED: &str = "expected YYYY, YYYY-MM or YYYY-MM-DD";
const HELP: &str = "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-03 or 2019-03-31";
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateError {
    fn new(value: &str, reason: &str) -> DateError {
        let message = if value.is_empty() {
            format!("an empty value is not a date; {EXPECTED}")
        } else {
            format!("`{value}` is not a date: {reason}; {EXPECTED}")
        };
        DateError {
            message,
            help: HELP.to_string(),
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

/// Whether `year` is a leap year on the Gregorian calendar.
fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1–12) of `year`.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The value of `part` if it is exactly `width` ASCII digits.
fn digits(part: &str, width: usize) -> Option<i32> {
    if part.len() == width && part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

impl PartialDate {
    /// Parses exactly `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (zero-padded ASCII digits, no white
    /// space, year 0001–9999). Leap years are honoured: `2020-02-29` is a date, `2019-02-29`
    /// is not. The error says what was wrong and lists the accepted forms.
    pub(crate) fn parse(s: &str) -> Result<PartialDate, DateError> {
        // A timestamp (`2019-03-31T10:00:00Z`, `2019-03-31 10:00`): the date with a time of day.
        if let Some((date, time)) = s.split_at_checked(10)
            && time.starts_with(['T', 't', ' '])
            && date.bytes().filter(|&b| b == b'-').count() == 2
        {
            let d = Self::parse(date)?;
            let mut e = DateError::new(s, "a time of day is not part of a date");
            e.help = format!("write the date alone: `{d}`");
            return Err(e);
        }
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() > 3 {
            return Err(DateError::new(s, "it has more than three parts"));
        }
        let year = digits(parts[0], 4).ok_or_else(|| {
            if parts[0].is_empty() {
                return DateError::new(s, "it does not start with a four-digit year");
            }
            DateError::new(s, &format!("`{}` is not a four-digit year", parts[0]))
        })?;
        // The month (`i` 1) or the day (2), when written.
        let two_digits = |i: usize, what: &str| match parts.get(i) {
            None => Ok(None),
            Some(part) => digits(part, 2)
                .map(Some)
                .ok_or_else(|| match part.is_empty() {
                    true => DateError::new(s, &format!("the {what} after `-` is missing")),
                    false => DateError::new(s, &format!("`{part}` is not a two-digit {what}")),
                }),
        };
        let month = two_digits(1, "month")?;
        let day = two_digits(2, "day")?;
        Self::checked(year, month, day).map_err(|reason| DateError::new(s, &reason))
    }

    /// Builds a date from its parts, with the same checks as `parse`: year 1–9999, month 1–12,
    /// a day that exists in its month, and no day without a month.
    pub(crate) fn from_ymd_parts(
        year: i32,
        month: Option<u8>,
        day: Option<u8>,
    ) -> Result<PartialDate, DateError> {
        Self::checked(year, month.map(i32::from), day.map(i32::from)).map_err(|reason| {
            let written = match (month, day) {
                (None, None) => format!("{year:04}"),
                (Some(m), None) => format!("{year:04}-{m:02}"),
                (None, Some(d)) => format!("{year:04}-??-{d:02}"),
                (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
            };
            DateError::new(&written, &reason)
        })
    }

    /// The range checks shared by `parse` and `from_ymd_parts`; the error is the reason only.
    fn checked(year: i32, month: Option<i32>, day: Option<i32>) -> Result<PartialDate, String> {
        if !(1..=9999).contains(&year) {
            return Err(format!("year {year} is out of range (0001–9999)"));
        }
        let month = match month {
            None if day.is_some() => return Err("a day needs a month".to_string()),
            None => {
                return Ok(PartialDate {
                    year,
                    month: None,
                    day: None,
                });
            }
            Some(m) => u8::try_from(m)
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| format!("month {m} is out of range"))?,
        };
        let day = match day {
            None => None,
            Some(d) => {
                let last = days_in_month(year, month);
                let name = MONTHS[usize::from(month - 1)];
                Some(
                    u8::try_from(d)
                        .ok()
                        .filter(|d| (1..=last).contains(d))
                        .ok_or_else(|| {
                            format!("day {d} is out of range ({name} {year} has {last} days)")
                        })?,
                )
            }
        };
        Ok(PartialDate {
            year,
            month: Some(month),
            day,
        })
    }

    /// The year (1–9999).
    pub(crate) fn year(self) -> i32 {
        self.year
    }

    /// The month (1–12), if known.
    pub(crate) fn month(self) -> Option<u8> {
        self.month
    }

    /// The day of the month (1–31), if known; only ever present with a month.
    pub(crate) fn day(self) -> Option<u8> {
        self.day
    }

    /// How much of the date is known.
    pub(crate) fn precision(self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// The first day this date can mean: a year gives 1 January, a month gives its first day,
    /// a full date gives itself.
    pub(crate) fn first_day(self) -> Day {
        Day::from_ymd(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day this date can mean: a year gives 31 December, a month gives its last day
    /// (leap years included), a full date gives itself.
    pub(crate) fn last_day(self) -> Day {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        Day::from_ymd(self.year, month, day)
    }
}

/// Prints the ISO form at the date's own precision (`2019`, `2019-03`, `2019-03-31`), which
/// `parse` reads back to the same value.
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartialDate::parse(s)
    }
}

/// An inclusive range of days. `last == None` means open-ended: it runs on without end.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Interval {
    /// The first day, included.
    pub first: Day,
    /// The last day, included; `None` when open-ended.
    pub last: Option<Day>,
}

impl Interval {
    /// The closed interval `first..=last`. A `last` before `first` gives an empty interval
    /// (length 0); callers report that as an error before building one.
    pub(crate) fn new_closed(first: Day, last: Day) -> Interval {
        Interval {
            first,
            last: Some(last),
        }
    }

    /// The days from the first day of `from` to the last day of `to` (open-ended without `to`),
    /// so `2016-08..2019-03` runs from 1 August 2016 to 31 March 2019.
    pub(crate) fn from_dates(from: PartialDate, to: Option<PartialDate>) -> Interval {
        Interval {
            first: from.first_day(),
            last: to.map(PartialDate::last_day),
        }
    }

    /// Whether the interval has no last day.
    #[cfg(test)] // used by later issues (citations); tested now
    pub(crate) fn is_open_ended(&self) -> bool {
        self.last.is_none()
    }

    /// The number of days, both ends included (`None` if open-ended; 0 if `last < first`).
    pub(crate) fn len_days(&self) -> Option<i64> {
        self.last
            .map(|last| (i64::from(last.0) - i64::from(self.first.0) + 1).max(0))
    }

    /// The number of days both intervals contain, ends included; 0 if they are disjoint.
    /// Two open-ended intervals share infinitely many days: that gives `i64::MAX`.
    pub(crate) fn overlap_days(&self, other: &Interval) -> i64 {
        let first = i64::from(self.first.0.max(other.first.0));
        let last = match (self.last, other.last) {
            (None, None) => return i64::MAX,
            (Some(a), None) | (None, Some(a)) => a.0,
            (Some(a), Some(b)) => a.0.min(b.0),
        };
        (i64::from(last) - first + 1).max(0)
    }
}

/// Orders dates newest first: by last day descending, then finer precision first (so
/// `2019-12-31` before `2019-12` before `2019`); an unknown date (`None`) sorts last.
pub(crate) fn newest_first(a: Option<PartialDate>, b: Option<PartialDate>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => b
            .last_day()
            .cmp(&a.last_day())
            .then_with(|| b.precision().cmp(&a.precision())),
    }
}

#[cfg(test)]
pub(crate) mod tests;
