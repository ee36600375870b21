//! The timeline: the periods as bands and each work's coverage as a bar, drawn as SVG at build
//! time (no JavaScript).
//!
//! Two drawings of the same axis:
//! - **bars** (up to [`MAX_BARS`] works with a coverage): one bar per work, stacked into lanes
//!   (each bar in the first lane free at its start), coloured by its first sphere, each a link
//!   to the work with its title and span as tooltip;
//! - **density** (more works, or more lanes than [`MAX_LANES`]): one strip per sphere and one
//!   for all works, a cell per year shaded by how many works cover some day of that year
//!   (relative to the strip's busiest year), each cell with its count as tooltip. Its size
//!   depends on years × spheres only, so it stays readable at 100,000 works.
//!
//! Counting is linear: each work adds +1/−1 at its first and last year (a difference array per
//! strip), prefix sums give the per-year counts.

use super::plan::{abstract_url, period_url, sphere_url};
use crate::feeds::escape;
use crate::i18n::{Arg, Say};
use crate::model::{AbstractId, Archive, PeriodId, SphereId};
use std::fmt::Write;

/// At most this many bars; beyond, the density drawing.
const MAX_BARS: usize = 1200;
/// At most this many lanes of bars (a lane is 7 units high); beyond, the density drawing.
const MAX_LANES: usize = 160;

/// Width of the drawing, in SVG units.
const WIDTH: f64 = 960.0;
/// Left gutter for the strips' labels (density) — bars use the full width.
const GUTTER: f64 = 170.0;
const AXIS_H: f64 = 20.0;
const BAND_LABEL_H: f64 = 18.0;
const LANE_H: f64 = 5.0;
const LANE_GAP: f64 = 2.0;
const STRIP_H: f64 = 16.0;
const STRIP_GAP: f64 = 4.0;
/// Sphere colours cycle through this many classes (`s0` … `s7` in the style sheet).
pub(crate) const COLOURS: usize = 8;

/// How the works are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Mode {
    /// A bar per work.
    Bars,
    /// A strip of yearly counts per sphere.
    Density,
}

/// Works per year, by sphere: the density drawing as a table (for readers who do not see it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct YearRow {
    /// The year (the first of the row's years).
    pub year: i32,
    /// The row's last year: `year` itself, unless the axis is so long that runs of years
    /// with the same counts share a row (see [`MIN_CELL`]).
    pub to: i32,
    /// Works covering some day of the year: all, then one count per sphere (sphere order).
    pub all: u32,
    /// Per sphere.
    pub spheres: Vec<u32>,
}

/// A drawn timeline and what the page says about it.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Timeline {
    /// The `<svg>` element.
    pub svg: String,
    /// How the works are drawn.
    pub mode: Mode,
    /// Works with a coverage (drawn).
    pub drawn: usize,
    /// Works without a coverage (not drawn).
    pub missing: usize,
    /// First and last year of the axis.
    pub from_year: i32,
    /// Last year of the axis.
    pub to_year: i32,
    /// Per-year counts (every year of the axis, oldest first).
    pub years: Vec<YearRow>,
}

/// A work's span in days (inclusive), with its id.
struct Span {
    id: AbstractId,
    from: i32,
    to: i32,
}

/// The axis: whole years from `y0` to `y1` inclusive.
struct Axis {
    y0: i32,
    y1: i32,
    d0: f64,
    d1: f64,
    left: f64,
}

impl Axis {
    /// Years `y0` to `y1`, drawn from `left` to the right edge.
    fn new(y0: i32, y1: i32, left: f64) -> Axis {
        Axis {
            y0,
            y1,
            d0: Axis::year_start(y0),
            d1: Axis::year_start(y1 + 1),
            left,
        }
    }

    fn x(&self, day: f64) -> f64 {
        self.left + (day - self.d0) / (self.d1 - self.d0) * (WIDTH - self.left)
    }

    fn year_start(y: i32) -> f64 {
        f64::from(crate::model::dates::Day::from_ymd(y, 1, 1).0)
    }

    /// Whether a year is narrower than [`MIN_CELL`] on this axis, so that runs of years with
    /// the same count share a cell (and a row of the table).
    fn merges_years(&self) -> bool {
        self.x(Axis::year_start(self.y0 + 1)) - self.x(Axis::year_start(self.y0)) < MIN_CELL
    }
}

fn spans(a: &Archive) -> Vec<Span> {
    a.abstracts
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            w.coverage.map(|(f, t)| Span {
                id: i as AbstractId,
                from: f.first_day().0,
                to: t.last_day().0,
            })
        })
        .collect()
}

/// The years the drawing spans: every work's coverage and every period (an open period up to
/// the last year anything else reaches, or its own first year).
fn years(a: &Archive, spans: &[Span]) -> Option<(i32, i32)> {
    let year = |d: i32| crate::model::dates::Day(d).ymd().0;
    let mut lo: Option<i32> = None;
    let mut hi: Option<i32> = None;
    let mut see = |y: i32| {
        lo = Some(lo.map_or(y, |l| l.min(y)));
        hi = Some(hi.map_or(y, |h| h.max(y)));
    };
    for s in spans {
        see(year(s.from));
        see(year(s.to));
    }
    for p in &a.periods {
        see(p.from.year());
        if let Some(t) = p.to {
            see(t.year());
        }
    }
    Some((lo?, hi?))
}

/// Narrowest yearly cell of a density strip, in drawing units (the drawing is 960 wide): below
/// it, years with the same count share a cell.
const MIN_CELL: f64 = 3.0;

/// Year ticks: the smallest step of 1, 2 or 5 times a power of ten (1, 2, 5, 10, 20, 50,
/// 100…) giving at most 12 labels, however long the span (coverage may run from year 1 to
/// 9999).
pub(crate) fn tick_step(years: i32) -> i32 {
    let mut magnitude = 1;
    while magnitude < 100_000 {
        if let Some(s) = [1, 2, 5]
            .map(|s| s * magnitude)
            .into_iter()
            .find(|s| years / s <= 12)
        {
            return s;
        }
        magnitude *= 10;
    }
    magnitude
}

/// Yearly counts of works covering some day of each year: all works, then per sphere.
fn year_rows(a: &Archive, spans: &[Span], y0: i32, y1: i32) -> Vec<YearRow> {
    let n = (y1 - y0 + 1) as usize;
    let strips = a.spheres.len() + 1;
    // Difference arrays: +1 at the first year, −1 after the last.
    let mut diff = vec![vec![0i64; n + 1]; strips];
    let year = |d: i32| crate::model::dates::Day(d).ymd().0;
    for s in spans {
        let (f, t) = ((year(s.from) - y0) as usize, (year(s.to) - y0) as usize);
        diff[0][f] += 1;
        diff[0][t + 1] -= 1;
        for &sp in &a.work(s.id).spheres {
            diff[sp as usize + 1][f] += 1;
            diff[sp as usize + 1][t + 1] -= 1;
        }
    }
    let mut run = vec![0i64; strips];
    (0..n)
        .map(|i| {
            for (k, d) in diff.iter().enumerate() {
                run[k] += d[i];
            }
            YearRow {
                year: y0 + i as i32,
                to: y0 + i as i32,
                all: run[0] as u32,
                spheres: run[1..].iter().map(|&c| c as u32).collect(),
            }
        })
        .collect()
}

/// The timeline page's drawing, its words said by `say`; None when there is nothing to place
/// on an axis (no period, no coverage).
pub(crate) fn timeline(a: &Archive, base_path: &str, say: &Say) -> Option<Timeline> {
    let spans = spans(a);
    let (y0, y1) = years(a, &spans)?;
    let rows = year_rows(a, &spans, y0, y1);
    // Two units of the drawing between bars of a lane, so that each stays distinct.
    let gap = ((Axis::year_start(y1 + 1) - Axis::year_start(y0)) / WIDTH * 2.0).ceil() as i32;
    let lanes = if spans.len() <= MAX_BARS {
        Some(lanes(&spans, gap)).filter(|l| l.iter().max().map_or(0, |&m| m + 1) <= MAX_LANES)
    } else {
        None
    };
    let (svg, mode) = match lanes {
        Some(lanes) => (
            draw_bars(a, base_path, &spans, &lanes, y0, y1, say),
            Mode::Bars,
        ),
        None => (
            draw_density(a, base_path, &rows, y0, y1, true, say),
            Mode::Density,
        ),
    };
    // The table, like the strips, gives a row per run of equal years on a very long axis.
    let rows = match Axis::new(y0, y1, GUTTER).merges_years() {
        true => merge_equal_years(rows),
        false => rows,
    };
    Some(Timeline {
        svg,
        mode,
        drawn: spans.len(),
        missing: a.abstracts.len() - spans.len(),
        from_year: y0,
        to_year: y1,
        years: rows,
    })
}

/// Consecutive rows with the same counts as one row from the first year `to` the last.
fn merge_equal_years(rows: Vec<YearRow>) -> Vec<YearRow> {
    let mut out: Vec<YearRow> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(last) if last.all == r.all && last.spheres == r.spheres => last.to = r.to,
            _ => out.push(r),
        }
    }
    out
}

/// The home page's compact drawing: the periods and one strip of all works.
pub(crate) fn compact(a: &Archive, base_path: &str, say: &Say) -> Option<String> {
    let spans = spans(a);
    let (y0, y1) = years(a, &spans)?;
    let rows = year_rows(a, &spans, y0, y1);
    Some(draw_density(a, base_path, &rows, y0, y1, false, say))
}

/// Lane of each span (in `spans` order): spans sorted by start, each into the first lane whose
/// last bar ended more than `gap` days before it starts.
fn lanes(spans: &[Span], gap: i32) -> Vec<usize> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].from, spans[i].to, spans[i].id));
    let mut ends: Vec<i32> = Vec::new();
    let mut lane = vec![0; spans.len()];
    for i in order {
        let s = &spans[i];
        match ends.iter().position(|&e| e + gap < s.from) {
            Some(l) => {
                ends[l] = s.to;
                lane[i] = l;
            }
            None => {
                ends.push(s.to);
                lane[i] = ends.len() - 1;
            }
        }
    }
    lane
}

/// The `<svg>` start tag (with `label` as its accessible name), the period bands (behind
/// everything, `height` high below the axis and their labels, each a link to its period) and
/// the year axis.
fn frame(a: &Archive, base_path: &str, axis: &Axis, height: f64, label: &str, out: &mut String) {
    let top = AXIS_H + BAND_LABEL_H;
    let bottom = top + height;
    let _ = write!(
        out,
        r#"<svg class="timeline-svg" viewBox="0 0 {WIDTH} {total:.0}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" role="group" aria-label="{label}">"#,
        total = bottom + 4.0,
        label = escape(label),
    );
    let clamp = |v: f64| v.clamp(axis.left, WIDTH);
    for (i, p) in a.periods.iter().enumerate() {
        let from = f64::from(p.from.first_day().0);
        let to = match p.to {
            Some(t) => f64::from(t.last_day().0) + 1.0,
            None => axis.d1,
        };
        let (x0, x1) = (clamp(axis.x(from)), clamp(axis.x(to)));
        if x1 <= x0 {
            continue;
        }
        let url = format!("{base_path}{}", period_url(a, i as PeriodId));
        let _ = write!(
            out,
            r#"<a href="{url}"><title>{title} ({range})</title><rect class="band band-{parity}" x="{x0:.1}" y="{AXIS_H}" width="{w:.1}" height="{h:.1}"/>"#,
            url = escape(&url),
            title = escape(&p.title),
            range = escape(&p.range()),
            parity = i % 2,
            w = x1 - x0,
            h = bottom - AXIS_H,
        );
        // A label only where it fits (about 6.5 units per character at this size).
        let room = ((x1 - x0 - 6.0) / 6.5).floor();
        if room >= 3.0 {
            let label = shorten(&p.title, room as usize);
            let _ = write!(
                out,
                r#"<text class="band-label" x="{x:.1}" y="{y:.1}">{label}</text>"#,
                x = x0 + 3.0,
                y = AXIS_H + 13.0,
                label = escape(&label),
            );
        }
        out.push_str("</a>");
    }
    // Year ticks.
    let step = tick_step(axis.y1 - axis.y0 + 1);
    let first = (axis.y0 + step - 1).div_euclid(step) * step;
    let mut y = first;
    while y <= axis.y1 {
        let x = axis.x(Axis::year_start(y));
        let _ = write!(
            out,
            r#"<line class="tick" x1="{x:.1}" y1="{t0}" x2="{x:.1}" y2="{bottom:.1}"/><text class="tick-label" x="{x:.1}" y="14">{y}</text>"#,
            t0 = AXIS_H - 4.0,
        );
        y += step;
    }
}

fn draw_bars(
    a: &Archive,
    base_path: &str,
    spans: &[Span],
    lanes: &[usize],
    y0: i32,
    y1: i32,
    say: &Say,
) -> String {
    let axis = Axis::new(y0, y1, 0.0);
    let n_lanes = lanes.iter().max().map_or(0, |&m| m + 1);
    let height = n_lanes as f64 * (LANE_H + LANE_GAP) + LANE_GAP;
    let mut out = String::with_capacity(256 + spans.len() * 220);
    frame(
        a,
        base_path,
        &axis,
        height,
        &say("timeline-label-bars", &[]),
        &mut out,
    );
    let top = AXIS_H + BAND_LABEL_H + LANE_GAP;
    for (s, &lane) in spans.iter().zip(lanes) {
        let w = a.work(s.id);
        let x0 = axis.x(f64::from(s.from));
        let x1 = axis.x(f64::from(s.to) + 1.0);
        let colour = w.spheres.first().map_or(COLOURS, |&s| s as usize % COLOURS);
        let (f, t) = w.coverage.expect("spans have a coverage");
        let _ = write!(
            out,
            r#"<a href="{url}"><title>{title} ({from}–{to})</title><rect class="bar s{colour}" x="{x0:.1}" y="{y:.1}" width="{wd:.1}" height="{LANE_H}"/></a>"#,
            url = escape(&format!("{base_path}{}", abstract_url(a, s.id))),
            title = escape(&w.title),
            from = escape(&crate::i18n::date(&a.config.language, f)),
            to = escape(&crate::i18n::date(&a.config.language, t)),
            y = top + lane as f64 * (LANE_H + LANE_GAP),
            wd = (x1 - x0).max(1.5),
        );
    }
    out.push_str("</svg>");
    out
}

fn draw_density(
    a: &Archive,
    base_path: &str,
    rows: &[YearRow],
    y0: i32,
    y1: i32,
    per_sphere: bool,
    say: &Say,
) -> String {
    let axis = Axis::new(y0, y1, if per_sphere { GUTTER } else { 0.0 });
    let strips = if per_sphere { a.spheres.len() + 1 } else { 1 };
    let height = strips as f64 * (STRIP_H + STRIP_GAP) + STRIP_GAP;
    let mut out = String::with_capacity(1024 + rows.len() * strips * 120);
    let label = say(
        if per_sphere {
            "timeline-label-density"
        } else {
            "timeline-label-compact"
        },
        &[
            ("from", Arg::Str(&y0.to_string())),
            ("to", Arg::Str(&y1.to_string())),
        ],
    );
    frame(a, base_path, &axis, height, &label, &mut out);
    let total: u64 = rows.iter().map(|r| u64::from(r.all)).sum();
    let top = AXIS_H + BAND_LABEL_H + STRIP_GAP;
    let merge = axis.merges_years();
    for k in 0..strips {
        let y = top + k as f64 * (STRIP_H + STRIP_GAP);
        let count = |r: &YearRow| if k == 0 { r.all } else { r.spheres[k - 1] };
        let max = rows.iter().map(count).max().unwrap_or(0).max(1);
        let (name, class, url) = if k == 0 {
            (say("all-works", &[]), "all".to_string(), None)
        } else {
            let s = &a.spheres[k - 1];
            (
                s.title.clone(),
                format!("s{}", (k - 1) % COLOURS),
                Some(format!("{base_path}{}", sphere_url(a, (k - 1) as SphereId))),
            )
        };
        if per_sphere {
            let text = format!(
                r#"<text class="strip-label" x="{x}" y="{ty:.1}">{name}</text>"#,
                x = GUTTER - 6.0,
                ty = y + STRIP_H - 4.0,
                name = escape(&shorten(&name, 25)),
            );
            match &url {
                Some(u) => {
                    let _ = write!(
                        out,
                        r#"<a href="{}"><title>{}</title>{text}</a>"#,
                        escape(u),
                        escape(&name)
                    );
                }
                None => out.push_str(&text),
            }
        }
        // A cell per year; where a year is narrower than MIN_CELL (a coverage of centuries,
        // a typo or an early-modern study), one per run of years with the same count instead
        // (rows are consecutive years), so a span of 1–9999 is not ten thousand cells.
        let mut i = 0;
        while i < rows.len() {
            let c = count(&rows[i]);
            let mut j = i + 1;
            while merge && j < rows.len() && count(&rows[j]) == c {
                j += 1;
            }
            let (first, last) = (rows[i].year, rows[j - 1].year);
            i = j;
            if c == 0 {
                continue;
            }
            // Four steps of shading; the count is always in the tooltip and the table.
            let level = ((f64::from(c) / f64::from(max)) * 4.0)
                .ceil()
                .clamp(1.0, 4.0) as u32;
            let x0 = axis.x(Axis::year_start(first));
            let x1 = axis.x(Axis::year_start(last + 1));
            let years = match first == last {
                true => first.to_string(),
                false => format!("{first}–{last}"),
            };
            let _ = write!(
                out,
                r#"<rect class="cell {class} l{level}" x="{x0:.1}" y="{y:.1}" width="{w:.1}" height="{STRIP_H}"><title>{title}</title></rect>"#,
                w = (x1 - x0 - 0.5).max(0.5),
                title = escape(&say(
                    "timeline-cell",
                    &[
                        ("name", Arg::Str(&name)),
                        ("year", Arg::Str(&years)),
                        ("count", c.into()),
                    ]
                )),
            );
        }
    }
    if total == 0 {
        let _ = write!(
            out,
            r#"<text class="strip-label empty" x="{x:.1}" y="{y:.1}">{text}</text>"#,
            text = escape(&say("timeline-no-coverage", &[])),
            x = WIDTH / 2.0,
            y = top + STRIP_H - 4.0,
        );
    }
    out.push_str("</svg>");
    out
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> impl Fn(&str, &[(&str, Arg)]) -> String + Sync {
        let m = crate::i18n::Messages::builtin(&["en".to_string()]);
        move |k, args| m.text("en", k, args)
    }

    fn archive(works: &[(&str, &str)]) -> Archive {
        let paths: Vec<String> = works
            .iter()
            .map(|(stem, _)| format!("abstracts/{stem}.md"))
            .collect();
        let mut files = vec![
            (
                "periods/early.md",
                "title: Early\nfrom: 1991-12\nto: 1999-12\n",
            ),
            ("periods/late.md", "title: Late <years>\nfrom: 2000-01\n"),
            ("spheres/economic.md", "title: Economic\n"),
            ("spheres/political.md", "title: Political\n"),
        ];
        files.extend(
            paths
                .iter()
                .map(String::as_str)
                .zip(works.iter().map(|w| w.1)),
        );
        crate::model::test_archive("https://example.org/rk/", &files)
    }

    /// [`archive`] of works made at run time.
    fn archive_of(works: &[(String, String)]) -> Archive {
        let refs: Vec<(&str, &str)> = works
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        archive(&refs)
    }

    #[test]
    fn bars_link_each_work_and_escape_titles() {
        let a = archive(&[
            (
                "a",
                "title: Pipes & <wires>\ndate: 2001\nspheres: [political, economic]\ncoverage: {from: 1995, to: 2003-06}\n",
            ),
            (
                "b",
                "title: B\ndate: 2002\nspheres: [economic]\nperiods: [late]\n",
            ),
        ]);
        let t = timeline(&a, "/rk/", &english()).unwrap();
        assert_eq!((t.mode, t.drawn, t.missing), (Mode::Bars, 1, 1));
        // Coloured by its first sphere, political: the second in sphere order.
        assert_eq!((t.from_year, t.to_year), (1991, 2003));
        assert!(t.svg.contains(r#"<a href="/rk/abstracts/a/"><title>Pipes &amp; &lt;wires&gt; (1995–June 2003)</title><rect class="bar s1""#), "{}", t.svg);
        assert!(
            t.svg.contains(
                r#"<a href="/rk/periods/late/"><title>Late &lt;years&gt; (2000–)</title>"#
            )
        );
        // Years 1995–2003 count the work, in all and in both its spheres.
        let row = |y: i32| t.years.iter().find(|r| r.year == y).unwrap().clone();
        assert_eq!((row(1994).all, row(1995).all, row(2003).all), (0, 1, 1));
        assert_eq!(row(2000).spheres, [1, 1]);
        assert_eq!(t.years.len(), 13);
    }

    #[test]
    fn many_works_are_drawn_as_yearly_density_strips() {
        let works: Vec<(String, String)> = (0..MAX_BARS + 1)
            .map(|i| {
                let y = 1992 + (i % 20) as i32;
                (
                    format!("w{i}"),
                    format!("title: W {i}\ndate: {y}\nspheres: [economic]\ncoverage: {{from: {y}, to: {}}}\n", y + 2),
                )
            })
            .collect();
        let a = archive_of(&works);
        let t = timeline(&a, "/", &english()).unwrap();
        assert_eq!(t.mode, Mode::Density);
        assert_eq!(t.drawn, MAX_BARS + 1);
        // No bar links to works; one strip per sphere plus "All works", linked to its sphere.
        assert!(!t.svg.contains("/abstracts/"));
        assert!(
            t.svg
                .contains(r#"<a href="/spheres/economic/"><title>Economic</title>"#)
        );
        assert!(t.svg.contains("All works, 2000: "));
        // A work covering 1998–2000 counts in each of those years: 1998 is covered by the works
        // starting in 1996, 1997 and 1998, 61 or 60 each (1,201 works over 20 start years).
        let y1998 = t.years.iter().find(|r| r.year == 1998).unwrap();
        let starts = |y: i32| {
            (0..=MAX_BARS)
                .filter(|i| 1992 + (i % 20) as i32 == y)
                .count() as u32
        };
        assert_eq!(y1998.all, starts(1996) + starts(1997) + starts(1998));
        assert_eq!(y1998.spheres, [y1998.all, 0]);
        // The compact drawing has the single strip.
        let c = compact(&a, "/", &english()).unwrap();
        assert!(c.contains("All works, 1998: ") && !c.contains("Economic, 1998"));
    }

    #[test]
    fn a_span_of_centuries_draws_a_cell_per_run_of_equal_years() {
        let works: Vec<(String, String)> = (0..MAX_BARS + 1)
            .map(|i| {
                let (from, to) = if i == 0 { (1, 9999) } else { (1992, 1994) };
                (
                    format!("w{i}"),
                    format!("title: W {i}\ndate: 2000\nspheres: [economic]\ncoverage: {{from: {from:04}, to: {to}}}\n"),
                )
            })
            .collect();
        let a = archive_of(&works);
        let t = timeline(&a, "/", &english()).unwrap();
        assert_eq!(t.mode, Mode::Density);
        // Per strip: 1–1991 (one work), 1992–1994 (all), 1995–9999 (one work).
        let cells = t.svg.matches("<rect class=\"cell all").count();
        assert_eq!(cells, 3, "{}", t.svg);
        assert!(t.svg.contains("All works, 1–1991: 1 work"));
        assert!(
            t.svg.contains("All works, 1992–1994: 1,201 works"),
            "{}",
            t.svg
        );
        assert!(t.svg.contains("All works, 1995–9999: 1 work"));
        // Ten year labels, not a hundred.
        assert_eq!(t.svg.matches(r#"class="tick-label""#).count(), 9);
        // The table likewise: three rows, not ten thousand.
        let rows: Vec<(i32, i32, u32)> = t.years.iter().map(|r| (r.year, r.to, r.all)).collect();
        assert_eq!(rows, [(1, 1991, 1), (1992, 1994, 1201), (1995, 9999, 1)]);
        assert!(t.svg.len() < 20_000, "{}", t.svg.len());
    }

    #[test]
    fn nothing_to_draw_without_periods_or_coverage() {
        let mut a = archive(&[]);
        a.periods.clear();
        assert!(timeline(&a, "/", &english()).is_none());
        assert!(compact(&a, "/", &english()).is_none());
    }

    fn span(id: u32, from: i32, to: i32) -> Span {
        Span { id, from, to }
    }

    #[test]
    fn lanes_reuse_the_first_free_one() {
        let s = [
            span(0, 0, 10),
            span(1, 5, 20),
            span(2, 11, 30),
            span(3, 21, 25),
            span(4, 10, 12),
        ];
        // Sorted by start: 0 [0,10] → lane 0; 1 [5,20] → lane 1; 4 [10,12] → lane 2 (lane 0
        // ends on day 10, which is not before 10); 2 [11,30] → lane 0; 3 [21,25] → lane 1.
        assert_eq!(lanes(&s, 0), [0, 1, 0, 1, 2]);
        // With a gap of two days, [11,30] fits in no lane (a new one), and [21,25] goes back
        // to lane 0, free since day 10.
        assert_eq!(lanes(&s, 2), [0, 1, 3, 0, 2]);
    }

    #[test]
    fn tick_steps_keep_at_most_twelve_labels() {
        assert_eq!(tick_step(10), 1);
        assert_eq!(tick_step(13), 2);
        assert_eq!(tick_step(35), 5);
        assert_eq!(tick_step(120), 10);
        assert_eq!(tick_step(1000), 100);
        assert_eq!(tick_step(1300), 200);
        assert_eq!(tick_step(9999), 1000);
        for years in 1..=9999 {
            let s = tick_step(years);
            assert!(years / s <= 12, "{years}: {s}");
        }
    }

    #[test]
    fn shorten_counts_characters_not_bytes() {
        assert_eq!(shorten("Межрегиональное", 6), "Межре…");
        assert_eq!(shorten("Energy", 6), "Energy");
    }
}
