//! Small charts for period and sphere pages: works per year of publication (an SVG bar chart
//! drawn at build time) and the mix of a period's spheres or a sphere's periods (a list of
//! counts with proportional bars, plain HTML in the templates).

use crate::feeds::escape;
use crate::i18n::{Arg, Say};
use crate::model::{AbstractId, Archive};
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 120.0;
const AXIS_H: f64 = 18.0;
const TOP: f64 = 14.0;

/// Works of one year of publication.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct YearCount {
    /// The year.
    pub year: i32,
    /// Works published that year.
    pub count: u32,
}

/// Longest span of years whose table lists the years without works too.
const TABLE_SPAN: usize = 100;

/// The per-year chart of a set of works.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct PerYear {
    /// The `<svg>` element.
    pub svg: String,
    /// Every year from the first to the last with a dated work, oldest first; when they are
    /// more than [`TABLE_SPAN`] years apart (a date from another century, or a typo), only
    /// the years with works.
    pub years: Vec<YearCount>,
    /// Works without a date (not charted).
    pub undated: usize,
}

/// Works per year of publication among `ids`; None when none has a date. `label` is the key
/// of the chart's accessible name (`chart-label-period`, `chart-label-sphere`), said by `say`.
pub(crate) fn per_year(a: &Archive, ids: &[AbstractId], label: &str, say: &Say) -> Option<PerYear> {
    let years: Vec<i32> = ids
        .iter()
        .filter_map(|&id| a.work(id).date.map(|d| d.year()))
        .collect();
    let (&lo, &hi) = (years.iter().min()?, years.iter().max()?);
    let mut counts = vec![0u32; (hi - lo + 1) as usize];
    for y in &years {
        counts[(y - lo) as usize] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1);
    let n = counts.len() as f64;
    let slot = WIDTH / n;
    let bar_w = (slot * 0.8).max(1.0);
    let plot_h = HEIGHT - AXIS_H - TOP;
    let peak_year = lo + counts.iter().position(|&c| c == max).unwrap_or(0) as i32;
    let label = say(
        label,
        &[
            ("from", Arg::Str(&lo.to_string())),
            ("to", Arg::Str(&hi.to_string())),
            ("max", max.into()),
            ("peak", Arg::Str(&peak_year.to_string())),
        ],
    );
    let mut svg = String::with_capacity(256 + counts.len() * 160);
    let _ = write!(
        svg,
        r#"<svg class="chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}">"#,
        escape(&label)
    );
    let base = HEIGHT - AXIS_H;
    let _ = write!(
        svg,
        r#"<line class="axis" x1="0" y1="{base}" x2="{WIDTH}" y2="{base}"/>"#
    );
    // Counts are written above the bars when there is room (few years), always in tooltips.
    let write_counts = slot >= 18.0;
    for (i, &c) in counts.iter().enumerate() {
        let year = lo + i as i32;
        let x = i as f64 * slot + (slot - bar_w) / 2.0;
        if c > 0 {
            let h = (f64::from(c) / f64::from(max) * plot_h).max(1.0);
            let _ = write!(
                svg,
                r#"<rect class="bar" x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{h:.1}"><title>{title}</title></rect>"#,
                y = base - h,
                title = escape(&say(
                    "chart-bar",
                    &[("year", Arg::Str(&year.to_string())), ("count", c.into())]
                )),
            );
            if write_counts {
                let _ = write!(
                    svg,
                    r#"<text class="count" x="{cx:.1}" y="{ty:.1}">{n}</text>"#,
                    n = super::count_text(a, c),
                    cx = x + bar_w / 2.0,
                    ty = base - h - 3.0,
                );
            }
        }
    }
    // Year labels: a step that keeps them from overlapping.
    let step = super::timeline::tick_step(hi - lo + 1).max(((36.0 / slot).ceil()) as i32);
    let first = (lo + step - 1).div_euclid(step) * step;
    let mut y = first;
    while y <= hi {
        let cx = (y - lo) as f64 * slot + slot / 2.0;
        let _ = write!(
            svg,
            r#"<text class="year" x="{cx:.1}" y="{ty}">{y}</text>"#,
            ty = HEIGHT - 4.0
        );
        y += step;
    }
    svg.push_str("</svg>");
    Some(PerYear {
        svg,
        years: counts
            .iter()
            .enumerate()
            .filter(|&(_, &count)| count > 0 || counts.len() <= TABLE_SPAN)
            .map(|(i, &count)| YearCount {
                year: lo + i as i32,
                count,
            })
            .collect(),
        undated: ids.len() - years.len(),
    })
}

/// One part of a mix: a sphere of a period or a period of a sphere.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Share {
    /// Its title.
    pub title: String,
    /// Its cross page, when it has works.
    pub url: Option<String>,
    /// Works.
    pub count: usize,
    /// Width of its bar: the count against the largest part, in percent (0–100).
    pub percent: u32,
}

/// Shares of parts whose counts are given, scaled to the largest.
pub(crate) fn shares(parts: Vec<(String, Option<String>, usize)>) -> Vec<Share> {
    let max = parts.iter().map(|p| p.2).max().unwrap_or(0).max(1);
    parts
        .into_iter()
        .map(|(title, url, count)| Share {
            title,
            url,
            count,
            // A part with works always shows some bar.
            percent: match count {
                0 => 0,
                n => (((n as f64 / max as f64) * 100.0).round() as u32).max(1),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_scale_to_the_largest_part() {
        let s = shares(vec![
            ("A".into(), Some("/a/".into()), 500),
            ("B".into(), None, 0),
            ("C".into(), Some("/c/".into()), 250),
            ("D".into(), Some("/d/".into()), 1),
        ]);
        let percents: Vec<u32> = s.iter().map(|x| x.percent).collect();
        assert_eq!(percents, [100, 0, 50, 1]);
        assert!(shares(vec![("Z".into(), None, 0)])[0].percent == 0);
    }

    #[test]
    fn the_table_lists_empty_years_only_over_a_short_span() {
        let m = crate::i18n::Messages::builtin(&["en".to_string()]);
        let say = move |k: &str, args: &[(&str, Arg)]| m.text("en", k, args);
        let table = |dates: &[&str]| {
            let mut files = vec![("spheres/economic.md", "title: Economic\n".to_string())];
            for (i, d) in dates.iter().enumerate() {
                files.push((
                    ["abstracts/a.md", "abstracts/b.md", "abstracts/c.md"][i],
                    format!("title: W\nauthors: [X]\nspheres: [economic]\ndate: {d}\n"),
                ));
            }
            let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
            let a = crate::model::test_archive("https://example.org/", &files);
            let ids: Vec<AbstractId> = (0..a.abstracts.len() as AbstractId).collect();
            let p = per_year(&a, &ids, "chart-label-sphere", &say).expect("dated works");
            p.years
                .iter()
                .map(|y| (y.year, y.count))
                .collect::<Vec<_>>()
        };
        // 1991–1994: every year, the empty ones too.
        assert_eq!(
            table(&["1991", "1994", "1994"]),
            [(1991, 1), (1992, 0), (1993, 0), (1994, 2)]
        );
        // Year 1 to 9999: the two years with works, not ten thousand rows.
        assert_eq!(table(&["0001", "9999-12-31"]), [(1, 1), (9999, 1)]);
    }
}
