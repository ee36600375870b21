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
    assert!(err("2019-03-31T00").contains("a time of day is not part of a date"));
    let e = PartialDate::parse("2019-01-01 10:00").unwrap_err();
    assert_eq!(e.help, "write the date alone: `2019-01-01`");
    assert!(err("2019-02-30T10:00").contains("day 30 is out of range"));
    assert!(err("2019-03-31-1").contains("more than three parts"));
    assert!(err("2019-04-31").contains("day 31 is out of range (April 2019 has 30 days)"));
    assert!(err("unknown").contains("`unknown` is not a four-digit year"));
    // An empty part is named, not quoted as ``.
    assert!(err("-200").contains("does not start with a four-digit year"));
    assert!(err("2019-").contains("the month after `-` is missing"));
    assert!(err("2019-03-").contains("the day after `-` is missing"));
    assert!(!err("2019--03").contains("``"));
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

/// Property tests: `cargo test --lib model::dates::tests::props`.
pub(crate) mod props {
    use super::super::*;
    use crate::model::prop_config;
    use proptest::prelude::*;

    /// Any date the archive can hold, at each of the three precisions.
    pub(crate) fn any_date() -> impl Strategy<Value = PartialDate> {
        (1..=9999i32, 0..3u8, 1..=12u8, 1..=31u8).prop_map(|(year, precision, month, day)| {
            let day = day.min(days_in_month(year, month));
            let (month, day) = match precision {
                0 => (None, None),
                1 => (Some(month), None),
                _ => (Some(month), Some(day)),
            };
            PartialDate::from_ymd_parts(year, month, day).expect("a real date")
        })
    }

    proptest! {
        #![proptest_config(prop_config(2000))]

        #[test]
        fn prop_first_day_is_not_after_last_day(d in any_date()) {
            prop_assert!(d.first_day() <= d.last_day(), "{d}");
            let expected = match d.precision() {
                Precision::Day => 1..=1,
                Precision::Month => 28..=31,
                Precision::Year => 365..=366,
            };
            let len = Interval::from_dates(d, Some(d)).len_days().unwrap();
            prop_assert!(expected.contains(&len), "{d} spans {len} days");
        }

        #[test]
        fn prop_first_and_last_day_are_the_edges_of_the_date(d in any_date()) {
            let (y, m, day) = d.first_day().ymd();
            prop_assert_eq!((y, m, day), (d.year(), d.month().unwrap_or(1), d.day().unwrap_or(1)));
            let (y, m, _) = d.last_day().ymd();
            prop_assert_eq!((y, m), (d.year(), d.month().unwrap_or(12)));
            // The day after the last one of a month or year starts a new month (or year).
            let (y, m, day) = Day(d.last_day().0 + 1).ymd();
            prop_assert!(d.precision() == Precision::Day || day == 1, "{d}");
            if d.precision() == Precision::Year {
                prop_assert_eq!((y, m), (d.year() + 1, 1));
            }
        }

        #[test]
        fn prop_parsing_what_we_print_gives_the_same_date(d in any_date()) {
            let printed = d.to_string();
            prop_assert_eq!(PartialDate::parse(&printed), Ok(d));
            prop_assert_eq!(printed.parse::<PartialDate>(), Ok(d));
            let again = PartialDate::from_ymd_parts(d.year(), d.month(), d.day());
            prop_assert_eq!(again, Ok(d));
        }

        #[test]
        fn prop_whatever_parses_prints_back_as_written(s in "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?") {
            match PartialDate::parse(&s) {
                Ok(d) => prop_assert_eq!(d.to_string(), s),
                Err(e) => {
                    prop_assert!(e.message.contains(&format!("`{s}` is not a date")), "{}", e.message);
                    prop_assert!(e.message.contains("out of range"), "{}", e.message);
                }
            }
        }

        #[test]
        fn prop_parse_never_panics_and_errors_name_the_value(s in "\\PC{0,14}") {
            if let Err(e) = PartialDate::parse(&s) {
                prop_assert!(s.is_empty() || e.message.contains(&format!("`{s}`")), "{}", e.message);
                prop_assert!(!e.help.is_empty());
            }
        }

        #[test]
        fn prop_day_round_trips_through_ymd(n in Day::from_ymd(1, 1, 1).0..=Day::from_ymd(9999, 12, 31).0) {
            let (y, m, d) = Day(n).ymd();
            prop_assert_eq!(Day::from_ymd(y, m, d), Day(n));
            prop_assert_eq!(Day(n).iso().len(), 10);
        }

        #[test]
        fn prop_newest_first_is_a_total_order(
            a in proptest::option::of(any_date()),
            b in proptest::option::of(any_date()),
            c in proptest::option::of(any_date()),
        ) {
            prop_assert_eq!(newest_first(a, b), newest_first(b, a).reverse());
            prop_assert_eq!(newest_first(a, b) == Ordering::Equal, a == b);
            if newest_first(a, b) != Ordering::Greater && newest_first(b, c) != Ordering::Greater {
                prop_assert_ne!(newest_first(a, c), Ordering::Greater);
            }
        }
    }
}
