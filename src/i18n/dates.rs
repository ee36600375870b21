//! Dates for readers, in the interface language, written by ICU4X from CLDR data (compiled into
//! the binary): a year, a month and year, or a full date, at the date's own precision.
//!
//! No month names or orders are kept here: `March 2019`, `март 2019 г.` and Kazakh's
//! `2019 ж. наурыз` are what CLDR says for each language. Does not parse dates
//! (`model::dates` does).

use crate::model::dates::{PartialDate, Precision};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{Y, YM, YMD};
use icu_datetime::input::Date;
use icu_locale_core::Locale;
use std::collections::HashMap;

type Gregorian = icu_calendar::Gregorian;

/// The three formatters of one language (None where ICU has no data for the locale: then the
/// ISO form is written).
struct Formatters {
    year: Option<FixedCalendarDateTimeFormatter<Gregorian, Y>>,
    month: Option<FixedCalendarDateTimeFormatter<Gregorian, YM>>,
    day: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
}

/// The locale whose dates a language tag gets. Plain `en` writes dates the international way,
/// day before month (`12 March 2019`, as dyad always has), not the United States' way
/// (`March 12, 2019`) that CLDR's bare `en` means; `en-US` still gets that.
fn locale(lang: &str) -> Locale {
    let tag = if lang.eq_ignore_ascii_case("en") {
        "en-001"
    } else {
        lang
    };
    Locale::try_from_str(tag)
        .or_else(|_| Locale::try_from_str(lang.split(['-', '_']).next().unwrap_or("")))
        .unwrap_or(Locale::UNKNOWN)
}

impl Formatters {
    fn new(lang: &str) -> Formatters {
        let l = locale(lang);
        Formatters {
            year: FixedCalendarDateTimeFormatter::try_new((&l).into(), Y::long()).ok(),
            month: FixedCalendarDateTimeFormatter::try_new((&l).into(), YM::long()).ok(),
            day: FixedCalendarDateTimeFormatter::try_new((&l).into(), YMD::long()).ok(),
        }
    }
}

thread_local! {
    /// Formatters by language tag, made once per thread (making one loads its patterns and
    /// names; formatting is then cheap).
    static FORMATTERS: std::cell::RefCell<HashMap<String, std::rc::Rc<Formatters>>> =
        std::cell::RefCell::new(HashMap::new());
}

fn formatters(lang: &str) -> std::rc::Rc<Formatters> {
    FORMATTERS.with(|f| {
        std::rc::Rc::clone(
            f.borrow_mut()
                .entry(lang.to_string())
                .or_insert_with(|| std::rc::Rc::new(Formatters::new(lang))),
        )
    })
}

/// `d` for readers of `lang`, at its own precision: a year (`2019`, `2019 г.`), a month and
/// year (`March 2019`, `март 2019 г.`) or a full date (`12 March 2019`, `12 марта 2019 г.`),
/// as CLDR writes them in that language. A language ICU has no data for gets CLDR's root
/// patterns; the ISO form (`2019-03`) if even those fail.
pub(crate) fn date(lang: &str, d: PartialDate) -> String {
    let f = formatters(lang);
    let day = Date::try_new_gregorian(d.year(), d.month().unwrap_or(1), d.day().unwrap_or(1));
    let Ok(day) = day else {
        return d.to_string();
    };
    let text = match d.precision() {
        Precision::Year => f.year.as_ref().map(|f| f.format(&day).to_string()),
        Precision::Month => f.month.as_ref().map(|f| f.format(&day).to_string()),
        Precision::Day => f.day.as_ref().map(|f| f.format(&day).to_string()),
    };
    text.unwrap_or_else(|| d.to_string())
}

/// A span from `from` to `to` for readers of `lang` (`August 2016 – March 2019`); one date
/// when both ends are the same.
pub(crate) fn date_range(lang: &str, from: PartialDate, to: PartialDate) -> String {
    if from == to {
        date(lang, from)
    } else {
        format!("{} – {}", date(lang, from), date(lang, to))
    }
}
