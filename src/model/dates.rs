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
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() > 3 {
            return Err(DateError::new(s, "it has more than three parts"));
        }
        let year = digits(parts[0], 4).ok_or_else(|| {
            DateError::new(s, &format!("`{}` is not a four-digit year", parts[0]))
        })?;
        let month =
            match parts.get(1) {
                None => None,
                Some(part) => Some(digits(part, 2).ok_or_else(|| {
                    DateError::new(s, &format!("`{part}` is not a two-digit month"))
                })?),
            };
        let day =
            match parts.get(2) {
                None => None,
                Some(part) => Some(digits(part, 2).ok_or_else(|| {
                    DateError::new(s, &format!("`{part}` is not a two-digit day"))
                })?),
            };
        Self::checked(year, month, day).map_err(|reason| DateError::new(s, &reason))
    }

    /// Builds a date from its parts, with the same checks as `parse`: year 1–9999, month 1–12,
    /// a day that exists in its month, and no day without a month.
    #[cfg(test)] // used by later issues (citations); tested now
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
    #[cfg(test)] // used by later issues (citations); tested now
    pub(crate) fn month(self) -> Option<u8> {
        self.month
    }

    /// The day of the month (1–31), if known; only ever present with a month.
    #[cfg(test)] // used by later issues (citations); tested now
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

    /// The date in English for readers: "2019", "March 2019" or "12 March 2019".
    pub(crate) fn human(self) -> String {
        match (self.month, self.day) {
            (None, _) => format!("{}", self.year),
            (Some(m), None) => format!("{} {}", MONTHS[usize::from(m - 1)], self.year),
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[usize::from(m - 1)], self.year),
        }
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
mod tests {
    use super::*;

    fn date(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn err(s: &str) -> String {
        PartialDate::parse(s).unwrap_err().message
    }

    #[test]
    fn day_counts_from_the_unix_epoch() {
        assert_eq!(Day::from_ymd(1970, 1, 1), Day(0));
        assert_eq!(Day::from_ymd(1970, 1, 2), Day(1));
        assert_eq!(Day::from_ymd(1969, 12, 31), Day(-1));
        assert_eq!(Day::from_ymd(2000, 3, 1), Day(11_017));
        assert_eq!(Day::from_ymd(2019, 3, 31).iso(), "2019-03-31");
        assert_eq!(Day::from_ymd(1, 1, 1).iso(), "0001-01-01");
    }

    #[test]
    fn day_round_trips_through_ymd() {
        for n in (Day::from_ymd(1, 1, 1).0..=Day::from_ymd(9999, 12, 31).0).step_by(97) {
            let (y, m, d) = Day(n).ymd();
            assert_eq!(Day::from_ymd(y, m, d), Day(n));
        }
        assert_eq!(Day::from_ymd(2020, 2, 29).ymd(), (2020, 2, 29));
        assert_eq!(Day(Day::from_ymd(2020, 2, 29).0 + 1).ymd(), (2020, 3, 1));
    }

    #[test]
    fn parses_the_three_forms() {
        let y = date("2019");
        assert_eq!((y.year(), y.month(), y.day()), (2019, None, None));
        assert_eq!(y.precision(), Precision::Year);
        let m = date("2019-03");
        assert_eq!((m.year(), m.month(), m.day()), (2019, Some(3), None));
        assert_eq!(m.precision(), Precision::Month);
        let d = date("2019-03-31");
        assert_eq!((d.year(), d.month(), d.day()), (2019, Some(3), Some(31)));
        assert_eq!(d.precision(), Precision::Day);
        assert_eq!("0001-01-01".parse::<PartialDate>().unwrap().year(), 1);
        assert!(Precision::Year < Precision::Month && Precision::Month < Precision::Day);
    }

    #[test]
    fn leap_years_are_honoured() {
        assert!(PartialDate::parse("2020-02-29").is_ok());
        assert!(PartialDate::parse("2000-02-29").is_ok());
        assert!(PartialDate::parse("1900-02-29").is_err());
        assert_eq!(
            err("2019-02-29"),
            "`2019-02-29` is not a date: day 29 is out of range (February 2019 has 28 days); \
             expected YYYY, YYYY-MM or YYYY-MM-DD"
        );
    }

    #[test]
    fn rejects_anything_else_and_says_why() {
        assert_eq!(
            err("2019-13"),
            "`2019-13` is not a date: month 13 is out of range; expected YYYY, YYYY-MM or YYYY-MM-DD"
        );
        assert!(err("2019-00").contains("month 0 is out of range"));
        assert!(err("0000").contains("year 0 is out of range"));
        assert!(err("2019-3").contains("`3` is not a two-digit month"));
        assert!(err("2019-03-1").contains("`1` is not a two-digit day"));
        assert!(err("19").contains("`19` is not a four-digit year"));
        assert!(err("2019/03").contains("`2019/03` is not a four-digit year"));
        assert!(err(" 2019").contains("is not a four-digit year"));
        assert!(err("2019-03-31T00").contains("`31T00` is not a two-digit day"));
        assert!(err("2019-03-31-1").contains("more than three parts"));
        assert!(err("2019-04-31").contains("day 31 is out of range (April 2019 has 30 days)"));
        assert!(err("unknown").contains("`unknown` is not a four-digit year"));
        assert!(err("２０１９").contains("four-digit year"));
        assert_eq!(
            err(""),
            "an empty value is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"
        );
        let e = PartialDate::parse("2019-13").unwrap_err();
        assert_eq!(
            e.help,
            "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-03 or 2019-03-31"
        );
    }

    #[test]
    fn from_parts_checks_like_parse() {
        assert_eq!(
            PartialDate::from_ymd_parts(2019, Some(3), None).unwrap(),
            date("2019-03")
        );
        assert!(PartialDate::from_ymd_parts(2019, None, Some(3)).is_err());
        assert!(PartialDate::from_ymd_parts(10_000, None, None).is_err());
        assert!(
            PartialDate::from_ymd_parts(2019, Some(2), Some(29))
                .unwrap_err()
                .message
                .starts_with("`2019-02-29` is not a date")
        );
    }

    #[test]
    fn display_prints_back_what_was_parsed() {
        for s in ["2019", "2019-03", "2019-03-31", "0001", "9999-12-31"] {
            let d = date(s);
            assert_eq!(d.to_string(), s);
            assert_eq!(date(&d.to_string()), d);
        }
    }

    #[test]
    fn first_and_last_day_widen_to_the_precision() {
        assert_eq!(date("2019").first_day().iso(), "2019-01-01");
        assert_eq!(date("2019").last_day().iso(), "2019-12-31");
        assert_eq!(date("2019-03").first_day().iso(), "2019-03-01");
        assert_eq!(date("2019-03").last_day().iso(), "2019-03-31");
        assert_eq!(date("2019-02").last_day().iso(), "2019-02-28");
        assert_eq!(date("2020-02").last_day().iso(), "2020-02-29");
        assert_eq!(date("2019-04").last_day().iso(), "2019-04-30");
        assert_eq!(
            date("2019-03-12").first_day(),
            date("2019-03-12").last_day()
        );
    }

    #[test]
    fn human_form_is_english() {
        assert_eq!(date("2019").human(), "2019");
        assert_eq!(date("2019-03").human(), "March 2019");
        assert_eq!(date("2019-03-12").human(), "12 March 2019");
        assert_eq!(date("2019-12-01").human(), "1 December 2019");
        assert_eq!(date("0987").human(), "987");
    }

    #[test]
    fn intervals_count_days_inclusively() {
        let cov = Interval::from_dates(date("2016-08"), Some(date("2019-03")));
        assert_eq!(cov.first.iso(), "2016-08-01");
        assert_eq!(cov.last.map(Day::iso).as_deref(), Some("2019-03-31"));
        assert_eq!(cov.len_days(), Some(973));
        let one = Interval::new_closed(Day(5), Day(5));
        assert_eq!(one.len_days(), Some(1));
        assert_eq!(Interval::new_closed(Day(5), Day(4)).len_days(), Some(0));
        let open = Interval::from_dates(date("2022-02"), None);
        assert!(open.is_open_ended());
        assert_eq!(open.len_days(), None);
    }

    #[test]
    fn overlap_counts_shared_days() {
        let a = Interval::new_closed(Day(0), Day(9));
        let b = Interval::new_closed(Day(5), Day(20));
        assert_eq!(a.overlap_days(&b), 5);
        assert_eq!(b.overlap_days(&a), 5);
        assert_eq!(a.overlap_days(&a), 10);
        let adjacent = Interval::new_closed(Day(10), Day(20));
        assert_eq!(a.overlap_days(&adjacent), 0);
        let touching = Interval::new_closed(Day(9), Day(20));
        assert_eq!(a.overlap_days(&touching), 1);
        let far = Interval::new_closed(Day(100), Day(200));
        assert_eq!(a.overlap_days(&far), 0);
        let open = Interval {
            first: Day(8),
            last: None,
        };
        assert_eq!(a.overlap_days(&open), 2);
        assert_eq!(open.overlap_days(&a), 2);
        assert_eq!(open.overlap_days(&open), i64::MAX);
    }

    #[test]
    fn newest_first_orders_by_last_day_then_precision() {
        let mut dates = [
            Some(date("2019")),
            None,
            Some(date("2019-12-31")),
            Some(date("2018-05-01")),
            Some(date("2019-12")),
            Some(date("2019-03")),
        ];
        dates.sort_by(|a, b| newest_first(*a, *b));
        let printed: Vec<String> = dates
            .iter()
            .map(|d| d.map_or("n.d.".to_string(), |d| d.to_string()))
            .collect();
        assert_eq!(
            printed,
            [
                "2019-12-31",
                "2019-12",
                "2019",
                "2019-03",
                "2018-05-01",
                "n.d."
            ]
        );
        assert_eq!(newest_first(None, None), Ordering::Equal);
    }
}
