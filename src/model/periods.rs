//! Period membership by coverage. Decides whether the span a work studies (its coverage)
//! belongs to a period's span, by the half-overlap rule of the archive format. An explicit
//! `periods:` list in front matter wins over this rule; that choice, and reporting works that
//! end up in no period, belong to the caller. Does not read files and knows nothing of ids.

use super::dates::Interval;

/// Whether a work whose coverage is `coverage` belongs to `period`.
///
/// The rule (README, Period membership): member iff 2 × overlap ≥ the length of the shorter of
/// the two intervals, lengths in whole days with both ends included. Half of the *shorter*
/// interval, so that a one-year study inside a thirty-year period still counts, and a survey
/// of thirty years counts in every period it mostly covers, while a study that merely touches
/// a period by a month or so does not.
///
/// An open-ended interval (no last day) is infinitely long, so the shorter one is the other;
/// if both are open-ended they share infinitely many days and the work is a member. An empty
/// interval (last day before first) is never a member of anything.
pub(crate) fn is_member(coverage: Interval, period: Interval) -> bool {
    let (cov_len, period_len) = (coverage.len_days(), period.len_days());
    if cov_len == Some(0) || period_len == Some(0) {
        return false;
    }
    let overlap = coverage.overlap_days(&period);
    let shorter = match (cov_len, period_len) {
        (None, None) => return overlap > 0,
        (Some(len), None) | (None, Some(len)) => len,
        (Some(a), Some(b)) => a.min(b),
    };
    // Both intervals are bounded by years 1–9999 here, so the overlap is far below i64::MAX / 2.
    2 * overlap >= shorter
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dates::{Day, PartialDate};

    fn span(from: &str, to: Option<&str>) -> Interval {
        let to = to.map(|t| PartialDate::parse(t).unwrap());
        Interval::from_dates(PartialDate::parse(from).unwrap(), to)
    }

    /// The periods of the repository's own archive (spec, section 6).
    fn periods() -> Vec<(&'static str, Interval)> {
        vec![
            ("formation", span("1991-12", Some("1999-12"))),
            ("partnership", span("2000-01", Some("2014-02"))),
            ("post-crimea-1", span("2014-03", Some("2016-07"))),
            ("post-crimea-2", span("2016-08", Some("2019-03"))),
            ("transit", span("2019-03", Some("2022-01"))),
            ("after-2022", span("2022-02", None)),
        ]
    }

    fn members(coverage: Interval) -> Vec<&'static str> {
        periods()
            .into_iter()
            .filter(|(_, p)| is_member(coverage, *p))
            .map(|(id, _)| id)
            .collect()
    }

    fn days(first: i32, last: i32) -> Interval {
        Interval::new_closed(Day(first), Day(last))
    }

    #[test]
    fn founding_article_is_in_post_crimea_2_only() {
        let coverage = span("2016-08", Some("2019-03"));
        assert_eq!(members(coverage), ["post-crimea-2"]);
    }

    #[test]
    fn book_on_1991_to_2019_is_in_every_period_up_to_post_crimea_2() {
        let coverage = span("1991", Some("2019"));
        assert_eq!(
            members(coverage),
            ["formation", "partnership", "post-crimea-1", "post-crimea-2"]
        );
    }

    #[test]
    fn equal_intervals_are_members() {
        let p = days(100, 200);
        assert!(is_member(p, p));
        assert!(is_member(days(7, 7), days(7, 7)));
    }

    #[test]
    fn open_ended_period_counts_the_coverage_as_shorter() {
        let after_2022 = span("2022-02", None);
        assert!(is_member(span("2022-03", Some("2023-12")), after_2022));
        // January 2022 to December 2022: 11 of 12 months are inside.
        assert!(is_member(span("2022", Some("2022")), after_2022));
        // 2021-02..2022-03: two of fourteen months inside.
        assert!(!is_member(span("2021-02", Some("2022-03")), after_2022));
        assert!(!is_member(span("2000", Some("2010")), after_2022));
        // A long open period never makes a short coverage look too small.
        assert!(is_member(
            span("2030-05-05", Some("2030-05-05")),
            after_2022
        ));
    }

    #[test]
    fn open_ended_coverage_and_period() {
        assert!(is_member(span("2023", None), span("2022-02", None)));
        assert!(is_member(span("1991", None), span("2022-02", None)));
        // Open coverage against a closed period: the period is the shorter one.
        assert!(is_member(
            span("2015", None),
            span("2016-08", Some("2019-03"))
        ));
        assert!(!is_member(
            span("2019-01", None),
            span("2016-08", Some("2019-03"))
        ));
    }

    #[test]
    fn one_day_coverage_is_in_the_period_containing_it() {
        let one_day = span("2019-03-15", Some("2019-03-15"));
        assert_eq!(members(one_day), ["post-crimea-2", "transit"]);
        let one_day = span("2019-04-01", Some("2019-04-01"));
        assert_eq!(members(one_day), ["transit"]);
        assert!(!is_member(days(50, 50), days(0, 49)));
    }

    #[test]
    fn disjoint_and_adjacent_intervals_are_not_members() {
        assert!(!is_member(days(0, 9), days(100, 200)));
        assert!(!is_member(days(0, 9), days(10, 19)));
        assert!(!is_member(days(10, 19), days(0, 9)));
        assert!(!is_member(
            span("2014-03", Some("2016-07")),
            span("2016-08", Some("2019-03"))
        ));
    }

    #[test]
    fn exactly_half_of_the_shorter_is_enough() {
        // Coverage of 10 days, 5 of them inside a long period: 2 × 5 ≥ 10.
        assert!(is_member(days(0, 9), days(5, 1000)));
        // One day short of half: 2 × 4 < 10.
        assert!(!is_member(days(0, 9), days(6, 1000)));
        // Odd length 11: 6 days suffice (12 ≥ 11), 5 do not (10 < 11).
        assert!(is_member(days(0, 10), days(5, 1000)));
        assert!(!is_member(days(0, 10), days(6, 1000)));
    }

    #[test]
    fn the_rule_is_symmetric() {
        let spans = [
            days(0, 9),
            days(5, 1000),
            days(6, 1000),
            days(0, 10),
            days(9, 9),
            days(10, 19),
            days(-50, 3),
            span("1991", Some("2019")),
            span("2019-03", Some("2022-01")),
            span("2022-02", None),
            span("1990", None),
        ];
        for a in spans {
            for b in spans {
                assert_eq!(is_member(a, b), is_member(b, a), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn empty_intervals_belong_nowhere() {
        assert!(!is_member(days(10, 9), days(0, 100)));
        assert!(!is_member(days(0, 100), days(10, 9)));
        assert!(!is_member(days(10, 9), span("1960", None)));
    }

    /// Property tests: `cargo test --lib model::periods::tests::props`.
    mod props {
        use super::*;
        use crate::model::prop_config;
        use proptest::prelude::*;

        /// An interval of days in a small window (so the oracle below can count day by day):
        /// closed (sometimes empty, last before first) or open-ended.
        fn small_interval() -> impl Strategy<Value = Interval> {
            (-40..40i32, prop::option::weighted(0.8, -45..45i32)).prop_map(|(first, last)| {
                Interval {
                    first: Day(first),
                    last: last.map(Day),
                }
            })
        }

        /// An interval as the archive writes one: from a date to a date (or ongoing), each at
        /// any precision; `to` is never before `from`.
        fn written_interval() -> impl Strategy<Value = Interval> {
            (
                crate::model::dates::tests::props::any_date(),
                prop::option::weighted(0.8, crate::model::dates::tests::props::any_date()),
            )
                .prop_map(|(a, b)| match b {
                    Some(b) if b.last_day() < a.first_day() => Interval::from_dates(b, Some(a)),
                    b => Interval::from_dates(a, b),
                })
        }

        /// The rule as the README states it, by counting days one by one. Open-ended intervals
        /// are cut at day 100, beyond every closed one, and count as longer than any of them.
        fn oracle(a: Interval, b: Interval) -> bool {
            let end = |i: Interval| i.last.map_or(100, |l| l.0);
            let days = |i: Interval| (i.first.0..=end(i)).collect::<Vec<_>>();
            let (da, db) = (days(a), days(b));
            if da.is_empty() || db.is_empty() {
                return false;
            }
            let overlap = da.iter().filter(|d| db.contains(d)).count();
            let shorter = match (a.last, b.last) {
                (None, None) => return overlap > 0,
                (Some(_), None) => da.len(),
                (None, Some(_)) => db.len(),
                (Some(_), Some(_)) => da.len().min(db.len()),
            };
            2 * overlap >= shorter
        }

        proptest! {
            #![proptest_config(prop_config(2000))]

            #[test]
            fn prop_rule_matches_the_readme_counted_day_by_day(
                a in small_interval(),
                b in small_interval(),
            ) {
                prop_assert_eq!(is_member(a, b), oracle(a, b), "{:?} vs {:?}", a, b);
            }

            #[test]
            fn prop_rule_is_symmetric(a in written_interval(), b in written_interval()) {
                prop_assert_eq!(is_member(a, b), is_member(b, a), "{:?} vs {:?}", a, b);
            }

            #[test]
            fn prop_small_rule_is_symmetric(a in small_interval(), b in small_interval()) {
                prop_assert_eq!(is_member(a, b), is_member(b, a), "{:?} vs {:?}", a, b);
            }

            #[test]
            fn prop_coverage_inside_a_period_belongs_to_it(
                period in written_interval(),
                start in 0.0..=1.0f64,
                length in 0.0..=1.0f64,
            ) {
                // A coverage of whole days inside the period (an ongoing one is cut at 50 years).
                let last = period.last.map_or(period.first.0 + 50 * 366, |l| l.0);
                let span = f64::from(last - period.first.0);
                let first = period.first.0 + (span * start) as i32;
                let end = first + (f64::from(last - first) * length) as i32;
                let coverage = Interval::new_closed(Day(first), Day(end));
                prop_assert!(is_member(coverage, period), "{:?} inside {:?}", coverage, period);
            }

            #[test]
            fn prop_written_coverage_inside_a_written_period_belongs_to_it(
                a in crate::model::dates::tests::props::any_date(),
                b in crate::model::dates::tests::props::any_date(),
                c in crate::model::dates::tests::props::any_date(),
                d in crate::model::dates::tests::props::any_date(),
                ongoing in any::<bool>(),
            ) {
                // The period runs from the earliest of the four dates to the latest; the
                // coverage from the earlier of `c` and `d` to the later, so it lies inside.
                let all = [a, b, c, d];
                let from = *all.iter().min_by_key(|x| x.first_day()).unwrap();
                let to = *all.iter().max_by_key(|x| x.last_day()).unwrap();
                let cov_from = if c.first_day() <= d.first_day() { c } else { d };
                let cov_to = if c.last_day() >= d.last_day() { c } else { d };
                let period = Interval::from_dates(from, (!ongoing).then_some(to));
                let coverage = Interval::from_dates(cov_from, Some(cov_to));
                prop_assert!(
                    is_member(coverage, period),
                    "{cov_from}..{cov_to} inside {from}..{}",
                    if ongoing { "ongoing".to_string() } else { to.to_string() }
                );
            }
        }
    }
}
