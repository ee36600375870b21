//! "Related works": for each work, the [`RELATED`] works most related to it.
//!
//! Candidates come from the facets that say what a work is about and who wrote it: shared
//! authors, actors and keywords. Each shared value adds a weight that falls with how common
//! the value is (`facet weight / ln(1 + members)`), so a rare keyword counts more than a
//! frequent one. Candidates are then re-ranked by shared spheres and periods, which alone are
//! shared by thousands of works and would make the search quadratic.
//!
//! How it stays near linear: a value with more than [`COMMON`] members is skipped as a source of
//! candidates (it says little about a pair of works, and walking its members from every one of
//! them is what would cost n²). So each work looks at most `values × COMMON` candidates, and
//! the whole computation is O(n × values × COMMON), in parallel over works.

use super::{AbstractId, Archive, FacetName};
use rayon::prelude::*;

/// How many related works each work shows.
const RELATED: usize = 5;

/// Facet values with more members than this bring no candidates.
const COMMON: usize = 200;

/// The related works of every work, most related first (ties: newer first).
pub(crate) fn related(a: &Archive) -> Vec<Vec<AbstractId>> {
    let masks = masks(a);
    (0..a.abstracts.len() as AbstractId)
        .into_par_iter()
        .map_init(
            || Scratch::new(a.abstracts.len()),
            |s, id| related_of(a, &masks, id, s),
        )
        .collect()
}

/// Each work's spheres and periods as bit sets, when there are at most 64 of each (shared
/// ones are then counted with one instruction, without touching the other work's record).
fn masks(a: &Archive) -> Option<Vec<(u64, u64)>> {
    if a.spheres.len() > 64 || a.periods.len() > 64 {
        return None;
    }
    let bits = |ids: &[u32]| ids.iter().fold(0u64, |m, &i| m | 1 << i);
    Some(
        a.abstracts
            .iter()
            .map(|w| (bits(&w.spheres), bits(&w.periods)))
            .collect(),
    )
}

/// After the spheres or periods of the works `moved` changed: recomputes the lists that can
/// change — those of the moved works and of their candidates (a work is a candidate of
/// another exactly when they share an uncommon value, so the relation is symmetric) — and
/// returns the works whose list changed, sorted.
pub(crate) fn refresh(a: &mut Archive, moved: &[AbstractId]) -> Vec<AbstractId> {
    let mut affected: Vec<AbstractId> = moved.to_vec();
    for &id in moved {
        for_each_candidate(a, id, |m, _| affected.push(m));
    }
    affected.sort_unstable();
    affected.dedup();
    let masks = masks(a);
    let fresh: Vec<(AbstractId, Vec<AbstractId>)> = affected
        .par_iter()
        .map_init(
            || Scratch::new(a.abstracts.len()),
            |s, &id| (id, related_of(a, &masks, id, s)),
        )
        .collect();
    let mut changed = Vec::new();
    for (id, list) in fresh {
        if a.related[id as usize] != list {
            a.related[id as usize] = list;
            changed.push(id);
        }
    }
    changed
}

/// Per-thread scores, dense by work id, with the ids touched (to reset only those).
struct Scratch {
    scores: Vec<f64>,
    touched: Vec<AbstractId>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            scores: vec![0.0; n],
            touched: Vec::new(),
        }
    }
}

/// Calls `f(candidate, weight)` for every work sharing an uncommon author, actor or keyword
/// with `id`, once per shared value.
fn for_each_candidate(a: &Archive, id: AbstractId, mut f: impl FnMut(AbstractId, f64)) {
    let w = a.work(id);
    let facets = [
        (FacetName::Authors, w.authors.as_deref().unwrap_or(&[]), 3.0),
        (FacetName::Actors, &w.actors[..], 2.0),
        (FacetName::Keywords, &w.keywords[..], 2.0),
    ];
    for (facet, values, weight) in facets {
        for &v in values {
            let members = &a.facet(facet)[v as usize].members;
            if members.len() > COMMON {
                continue;
            }
            let add = weight / (1.0 + members.len() as f64).ln();
            for &m in members {
                if m != id {
                    f(m, add);
                }
            }
        }
    }
}

fn related_of(
    a: &Archive,
    masks: &Option<Vec<(u64, u64)>>,
    id: AbstractId,
    s: &mut Scratch,
) -> Vec<AbstractId> {
    let Scratch { scores, touched } = s;
    for_each_candidate(a, id, |m, add| {
        if scores[m as usize] == 0.0 {
            touched.push(m);
        }
        scores[m as usize] += add;
    });
    let w = a.work(id);
    let shared = |x: &[u32], y: &[u32]| x.iter().filter(|v| y.contains(v)).count() as f64;
    // Shared spheres and shared periods of `id` and `m`.
    let overlap = |m: AbstractId| -> (f64, f64) {
        match masks {
            Some(masks) => {
                let ((s1, p1), (s2, p2)) = (masks[id as usize], masks[m as usize]);
                (
                    f64::from((s1 & s2).count_ones()),
                    f64::from((p1 & p2).count_ones()),
                )
            }
            None => {
                let o = a.work(m);
                (
                    shared(&w.spheres, &o.spheres),
                    shared(&w.periods, &o.periods),
                )
            }
        }
    };
    let mut ranked: Vec<(f64, AbstractId)> = touched
        .drain(..)
        .map(|m| {
            let score = std::mem::take(&mut scores[m as usize]);
            let (spheres, periods) = overlap(m);
            (score + 0.5 * spheres + 0.25 * periods, m)
        })
        .collect();
    // Highest score first; ties to the newer work (lower id: ids are in listing order).
    let order =
        |x: &(f64, AbstractId), y: &(f64, AbstractId)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
    if ranked.len() > RELATED {
        ranked.select_nth_unstable_by(RELATED, order);
        ranked.truncate(RELATED);
    }
    ranked.sort_by(order);
    ranked.into_iter().map(|(_, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(works: &[(&str, &str)]) -> Archive {
        let paths: Vec<String> = works
            .iter()
            .map(|(stem, _)| format!("abstracts/{stem}.md"))
            .collect();
        let fms: Vec<String> = works
            .iter()
            .map(|(_, fm)| format!("{fm}periods: [p]\n"))
            .collect();
        let mut files = vec![
            ("periods/p.md", "title: P\nfrom: 1991\n"),
            ("spheres/a.md", "title: A\n"),
            ("spheres/b.md", "title: B\n"),
        ];
        files.extend(
            paths
                .iter()
                .map(String::as_str)
                .zip(fms.iter().map(String::as_str)),
        );
        crate::model::test_archive("https://example.org/", &files)
    }

    fn slugs(a: &Archive, of: &str) -> Vec<String> {
        let id = a.abstracts.iter().position(|w| w.slug == of).unwrap() as AbstractId;
        related(a)[id as usize]
            .iter()
            .map(|&m| a.work(m).slug.clone())
            .collect()
    }

    #[test]
    fn rare_shared_values_outrank_common_ones_and_spheres_break_ties() {
        let mut works: Vec<(String, String)> = vec![
            (
                "x".into(),
                "title: X\nauthors: [Ann]\ndate: 2000\nspheres: [a]\nkeywords: [rare, common]\n"
                    .into(),
            ),
            // Shares the rare keyword.
            (
                "rare".into(),
                "title: R\nauthors: [Bob]\ndate: 2001\nspheres: [b]\nkeywords: [rare]\n".into(),
            ),
            // Shares only a common keyword, but also the sphere.
            (
                "c-same-sphere".into(),
                "title: C1\nauthors: [Cy]\ndate: 2002\nspheres: [a]\nkeywords: [common]\n".into(),
            ),
            (
                "c-other-sphere".into(),
                "title: C2\nauthors: [Di]\ndate: 2003\nspheres: [b]\nkeywords: [common]\n".into(),
            ),
            // Shares nothing but sphere and period: never a candidate.
            (
                "unrelated".into(),
                "title: U\nauthors: [Ed]\ndate: 2004\nspheres: [a]\nkeywords: [other]\n".into(),
            ),
        ];
        for i in 0..6 {
            works.push((
                format!("filler-{i}"),
                format!(
                    "title: F{i}\nauthors: [F{i}]\ndate: 1999\nspheres: [b]\nkeywords: [common]\n"
                ),
            ));
        }
        let refs: Vec<(&str, &str)> = works
            .iter()
            .map(|(s, f)| (s.as_str(), f.as_str()))
            .collect();
        let a = archive(&refs);
        let r = slugs(&a, "x");
        assert_eq!(r.len(), RELATED);
        assert_eq!(r[0], "rare");
        assert_eq!(r[1], "c-same-sphere");
        assert!(!r.contains(&"unrelated".to_string()));
        assert!(!r.contains(&"x".to_string()));
    }

    #[test]
    fn refresh_recomputes_the_lists_a_move_can_change() {
        let works: Vec<(String, String)> = (0..8)
            .map(|i| {
                (
                    format!("w{i}"),
                    format!(
                        "title: W{i}\nauthors: [A{i}]\ndate: 2000\nspheres: [{}]\nkeywords: [k{}, shared]\n",
                        if i % 2 == 0 { "a" } else { "b" },
                        i % 3
                    ),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = works
            .iter()
            .map(|(s, f)| (s.as_str(), f.as_str()))
            .collect();
        let mut a = archive(&refs);
        let moved = a.abstracts.iter().position(|w| w.slug == "w3").unwrap() as AbstractId;
        a.abstracts[moved as usize].spheres = vec![0, 1];
        let changed = refresh(&mut a, &[moved]);
        // The same as computing everything again, and `changed` names every list that moved.
        let full = related(&a);
        assert_eq!(a.related, full);
        assert!(changed.windows(2).all(|p| p[0] < p[1]));
        assert!(!changed.is_empty());
    }

    #[test]
    fn values_shared_by_very_many_works_bring_no_candidates() {
        let works: Vec<(String, String)> = (0..=COMMON)
            .map(|i| {
                (
                    format!("w{i}"),
                    format!("title: W{i}\nauthors: [A{i}]\ndate: 2000\nspheres: [a]\nkeywords: [everywhere]\n"),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = works
            .iter()
            .map(|(s, f)| (s.as_str(), f.as_str()))
            .collect();
        let a = archive(&refs);
        assert!(related(&a).iter().all(Vec::is_empty));
    }
}
