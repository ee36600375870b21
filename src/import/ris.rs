//! A small, strict RIS reader (the tags Zotero writes; see the RIS tag list).
//!
//! A record runs from `TY  - ` to `ER  - `. A tag line is exactly two characters (a capital
//! letter, then a capital or digit), two spaces, a hyphen and a space before the value; a line
//! that starts like a tag but is not written that way is an error, and so is a record that
//! never ends or a tag outside a record. Other lines continue the value above (abstracts run
//! over several lines). Tags dyad has no field for are ignored. A byte-order mark and CRLF
//! line endings are fine. Does not tidy values (see `tidy.rs`).

use super::tidy::{date_from_iso, date_from_parts, untag, untag_paragraphs};
use super::{Entry, Problem, Read};
use crate::cite::{Name, Record};
use crate::source::raw::SourceKind;

/// A line split into tag and value; Err when it starts like a tag but is malformed.
fn tag_line(line: &str) -> Option<Result<(&str, &str), ()>> {
    let b = line.as_bytes();
    let looks_like_tag = b.len() >= 3
        && b[0].is_ascii_uppercase()
        && (b[1].is_ascii_uppercase() || b[1].is_ascii_digit())
        && line[2..].trim_start_matches(' ').starts_with('-');
    if !looks_like_tag {
        return None;
    }
    let tag = &line[..2];
    let rest = &line[2..];
    if rest == "  -" {
        return Some(Ok((tag, "")));
    }
    Some(rest.strip_prefix("  - ").map(|v| (tag, v.trim())).ok_or(()))
}

/// One record's tags as read: (tag, value, line).
type Fields<'a> = Vec<(&'a str, String, u32)>;

/// Reads a RIS export. Pure.
pub(crate) fn read(text: &str) -> Read {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut read = Read::default();
    // The open record: its first line, its fields, whether a line of it was malformed.
    let mut open: Option<(u32, Fields<'_>, bool)> = None;
    let mut junk_reported = false;
    // A blank line inside a value: the next continuation line starts a new paragraph.
    let mut blank = false;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end_matches(['\r', ' ', '\t']);
        let after_blank = std::mem::take(&mut blank);
        match tag_line(line) {
            Some(Err(())) => {
                read.problems.push(Problem {
                    line: Some(n),
                    message: format!(
                        "`{line}` is not a RIS tag line: write the two-letter tag, two spaces, `-` and a space (`AU  - Smith, John`)"
                    ),
                });
                if let Some(o) = open.as_mut() {
                    o.2 = true;
                }
            }
            Some(Ok(("TY", v))) => {
                if let Some((start, _, _)) = open.take() {
                    read.problems.push(Problem {
                        line: Some(start),
                        message: format!(
                            "the record starting here has no `ER  -` line before the next record at line {n}: add it"
                        ),
                    });
                }
                open = Some((n, vec![("TY", v.to_string(), n)], false));
                junk_reported = false;
            }
            Some(Ok(("ER", _))) => match open.take() {
                Some((start, fields, broken)) => {
                    if !broken {
                        read.entries.push(entry(start, &fields));
                    }
                }
                None => read.problems.push(Problem {
                    line: Some(n),
                    message: "`ER  -` without a record: each record starts with `TY  -`".into(),
                }),
            },
            Some(Ok((tag, v))) => match open.as_mut() {
                Some((_, fields, _)) => fields.push((tag, v.to_string(), n)),
                None => read.problems.push(Problem {
                    line: Some(n),
                    message: format!(
                        "`{tag}` outside a record: each record starts with `TY  -` and ends with `ER  -`"
                    ),
                }),
            },
            None if line.trim().is_empty() => blank = true,
            None => match open.as_mut().and_then(|o| o.1.last_mut()) {
                // A value that runs over several lines (Zotero writes abstracts so).
                Some((_, value, _)) => {
                    value.push_str(if after_blank { "\n\n" } else { "\n" });
                    value.push_str(line.trim());
                }
                None if !junk_reported => {
                    junk_reported = true;
                    read.problems.push(Problem {
                        line: Some(n),
                        message: "text outside a record: a RIS record starts with `TY  -`".into(),
                    });
                }
                None => {}
            },
        }
    }
    if let Some((start, _, _)) = open {
        read.problems.push(Problem {
            line: Some(start),
            message: "the record starting here never ends: add an `ER  -` line after it".into(),
        });
    }
    read
}

/// `TY` → kind.
fn kind(ty: &str) -> SourceKind {
    match ty {
        "JOUR" | "JFULL" | "EJOUR" | "MGZN" | "NEWS" | "INPR" => SourceKind::Article,
        "BOOK" | "EBOOK" | "EDBOOK" => SourceKind::Book,
        "CHAP" | "ECHAP" => SourceKind::Chapter,
        "RPRT" => SourceKind::Report,
        "THES" => SourceKind::Thesis,
        _ => SourceKind::Other,
    }
}

/// A RIS date: `YYYY`, `YYYY/MM/DD/other` (parts may be empty) or ISO `YYYY-MM-DD`.
fn date(v: &str) -> Option<crate::model::dates::PartialDate> {
    if let Some(d) = date_from_iso(v) {
        return Some(d);
    }
    let mut parts = v.trim().split('/');
    let num = |p: Option<&str>| -> Option<Option<i64>> {
        match p.map(str::trim) {
            None | Some("") => Some(None),
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 4 => {
                Some(p.parse().ok())
            }
            Some(_) => None,
        }
    };
    let year = parts.next().filter(|y| y.len() == 4)?;
    let year = num(Some(year))??;
    let month = num(parts.next())?;
    let day = num(parts.next())?;
    date_from_parts(year, month, day)
}

fn entry(line: u32, fields: &Fields<'_>) -> Entry {
    let first = |tags: &[&str]| -> Option<String> {
        tags.iter().find_map(|t| {
            fields
                .iter()
                .find(|(tag, v, _)| tag == t && !v.trim().is_empty())
                .map(|(_, v, _)| v.clone())
        })
    };
    let all = |tags: &[&str]| -> Vec<&str> {
        fields
            .iter()
            .filter(|(tag, _, _)| tags.contains(tag))
            .map(|(_, v, _)| v.as_str())
            .collect()
    };
    let mut notes = Vec::new();
    // The most precise of the dates written (Zotero writes PY as the year and DA in full).
    let mut best: Option<crate::model::dates::PartialDate> = None;
    for v in all(&["DA", "PY", "Y1"]) {
        match date(v) {
            Some(d) if best.is_none_or(|b| d.precision() > b.precision()) => best = Some(d),
            Some(_) => {}
            None if !v.trim().is_empty() => {
                notes.push(format!("the date `{}` could not be read", v.trim()));
            }
            None => {}
        }
    }
    if best.is_some() {
        notes.retain(|n| !n.starts_with("the date"));
    }
    let pages = match (first(&["SP"]), first(&["EP"])) {
        (Some(sp), Some(ep)) => Some(format!("{sp}–{ep}")),
        (sp, ep) => sp.or(ep),
    };
    let record = Record {
        kind: first(&["TY"]).map(|t| kind(t.trim())),
        title: first(&["TI", "T1"])
            .map(|t| untag(&t, false))
            .unwrap_or_default(),
        authors: all(&["AU", "A1"])
            .into_iter()
            .map(|a| Name::parse(a).natural())
            .collect(),
        date: best,
        container: first(&["T2", "JF", "JO", "BT"]).map(|t| untag(&t, false)),
        volume: first(&["VL"]),
        issue: first(&["IS"]),
        pages,
        publisher: first(&["PB"]),
        place: first(&["CY"]),
        doi: first(&["DO"]),
        url: first(&["UR"]),
        language: first(&["LA"]),
        keywords: all(&["KW"])
            .into_iter()
            .flat_map(|k| k.split(['\n', ';']))
            .map(str::to_string)
            .collect(),
        abstract_text: first(&["AB", "N2"]).map(|a| untag_paragraphs(&a)),
        ..Record::default()
    };
    Entry {
        line,
        record,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_record_with_bom_crlf_and_a_long_abstract() {
        let text = "\u{feff}TY  - JOUR\r\nAU  - Петров, И. П.\r\nAU  - Smith, Anna\r\nTI  - Россия и Казахстан\r\nT2  - Вестник\r\nPY  - 2019\r\nDA  - 2019/03/15/\r\nSP  - 12\r\nEP  - 34\r\nKW  - ЕАЭС\r\nKW  - energy\r\nAB  - First line\r\nsecond *line*\r\n\r\nThird\r\nER  - \r\n";
        let r = read(text);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let e = &r.entries[0];
        assert_eq!(e.line, 1);
        assert_eq!(e.record.authors, ["Петров И. П.", "Anna Smith"]);
        assert_eq!(e.record.title, "Россия и Казахстан");
        assert_eq!(
            e.record.date.map(|d| d.to_string()).as_deref(),
            Some("2019-03-15")
        );
        assert_eq!(e.record.pages.as_deref(), Some("12–34"));
        assert_eq!(e.record.keywords, ["ЕАЭС", "energy"]);
        assert_eq!(
            e.record.abstract_text.as_deref(),
            Some("First line\nsecond *line*\n\nThird")
        );
        assert_eq!(e.record.kind, Some(SourceKind::Article));
    }

    #[test]
    fn rich_text_in_a_title_becomes_text() {
        let r = read(
            "TY  - JOUR\nTI  - The <i>Eurasian</i> Union &amp; a < b\nT2  - <i>Survey</i>\nER  - \n",
        );
        assert_eq!(r.entries[0].record.title, "The Eurasian Union & a < b");
        assert_eq!(r.entries[0].record.container.as_deref(), Some("Survey"));
    }

    #[test]
    fn broken_records_are_reported_with_their_line_and_the_rest_is_read() {
        let text = "TY  - BOOK\nTI  - Good\nER  - \n\nTY  - JOUR\nTI - Bad tag\nER  - \nTY  - JOUR\nTI  - No end\nTY  - CHAP\nTI  - Fine\nPY  - someday\nER  -\nAU  - Orphan\n";
        let r = read(text);
        let titles: Vec<&str> = r.entries.iter().map(|e| e.record.title.as_str()).collect();
        assert_eq!(titles, ["Good", "Fine"]);
        let lines: Vec<Option<u32>> = r.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(6), Some(8), Some(14)], "{:?}", r.problems);
        assert_eq!(r.entries[1].record.date, None);
        assert_eq!(r.entries[1].notes, ["the date `someday` could not be read"]);
    }

    #[test]
    fn unterminated_record_at_the_end_is_an_error() {
        let r = read("TY  - JOUR\nTI  - X\n");
        assert!(r.entries.is_empty());
        assert_eq!(r.problems[0].line, Some(1));
    }
}
