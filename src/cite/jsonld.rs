//! The schema.org JSON-LD block of an abstract page: a `ScholarlyArticle` (or `Book`,
//! `Chapter`, `Report`, `Thesis`) naming the same fields as the visible page.

use super::{Name, Record};
use crate::source::raw::SourceKind;
use serde_json::{Map, Value, json};

/// The schema.org type of a kind.
fn schema_type(kind: Option<SourceKind>) -> &'static str {
    match kind {
        Some(SourceKind::Article) => "ScholarlyArticle",
        Some(SourceKind::Book) => "Book",
        Some(SourceKind::Chapter) => "Chapter",
        Some(SourceKind::Report) => "Report",
        Some(SourceKind::Thesis) => "Thesis",
        Some(SourceKind::Other) | None => "CreativeWork",
    }
}

/// The JSON-LD object of a record (with `abstract_text` as its abstract, if any).
pub(crate) fn object(r: &Record) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("@context", json!("https://schema.org"));
    put("@type", json!(schema_type(r.kind)));
    if let Some(u) = &r.page_url {
        put("@id", json!(u));
        put("url", json!(u));
    }
    put("name", json!(r.title));
    put("headline", json!(r.title));
    if !r.authors.is_empty() {
        let authors: Vec<Value> = r
            .authors
            .iter()
            .map(|a| match Name::parse(a) {
                Name::Person {
                    family,
                    given,
                    suffix,
                } if !given.is_empty() => {
                    let mut p = json!({
                        "@type": "Person", "name": a, "familyName": family, "givenName": given
                    });
                    if !suffix.is_empty() {
                        p["honorificSuffix"] = json!(suffix);
                    }
                    p
                }
                _ => json!({"@type": "Person", "name": a}),
            })
            .collect();
        put("author", Value::Array(authors));
    }
    if let Some(d) = r.date {
        put("datePublished", json!(d.to_string()));
    }
    if let Some(l) = &r.language {
        put("inLanguage", json!(l));
    }
    if !r.keywords.is_empty() {
        put("keywords", json!(r.keywords));
    }
    if let Some(doi) = &r.doi {
        put(
            "identifier",
            json!({"@type": "PropertyValue", "propertyID": "DOI", "value": doi}),
        );
        put("sameAs", json!(format!("https://doi.org/{doi}")));
    }
    if let Some(u) = &r.url {
        put("mainEntityOfPage", json!(u));
    }
    if let Some(p) = &r.publisher {
        let mut org = json!({"@type": "Organization", "name": p});
        if let Some(place) = &r.place {
            org["location"] = json!(place);
        }
        put("publisher", org);
    }
    if let Some(count) = r.page_count() {
        // schema.org has a page count for books only.
        if r.kind == Some(SourceKind::Book) {
            put("numberOfPages", json!(count));
        }
    } else if let Some((first, last)) = r.page_range() {
        put("pageStart", json!(first));
        if let Some(l) = last {
            put("pageEnd", json!(l));
        }
        put("pagination", json!(r.pages.as_deref().unwrap_or_default()));
    }
    if let Some(c) = &r.container {
        let parent = match r.kind {
            Some(SourceKind::Article) => {
                let mut p = json!({"@type": "Periodical", "name": c});
                if let Some(v) = &r.volume {
                    p = json!({"@type": "PublicationVolume", "volumeNumber": v, "isPartOf": p});
                }
                if let Some(i) = &r.issue {
                    p = json!({"@type": "PublicationIssue", "issueNumber": i, "isPartOf": p});
                }
                p
            }
            Some(SourceKind::Chapter) => json!({"@type": "Book", "name": c}),
            _ => json!({"@type": "CreativeWorkSeries", "name": c}),
        };
        put("isPartOf", parent);
    } else if let Some(v) = &r.volume {
        put("volumeNumber", json!(v));
    }
    if let Some(a) = &r.abstract_text {
        put("abstract", json!(a));
    }
    Value::Object(m)
}

/// The object as text safe inside `<script type="application/ld+json">`: `<`, `>` and `&`
/// are written as JSON escapes, so no `</script>` can end the block early.
pub(crate) fn script_text(r: &Record) -> String {
    let s = serde_json::to_string(&object(r)).expect("JSON values always serialize");
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_cannot_close_the_script_and_the_text_parses_back() {
        let r = Record {
            title: "A </script><script>alert(1)</script> & more".into(),
            kind: Some(SourceKind::Article),
            container: Some("J".into()),
            volume: Some("3".into()),
            issue: Some("1".into()),
            ..Record::default()
        };
        let text = script_text(&r);
        assert!(!text.contains('<'), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["name"], r.title.as_str());
        assert_eq!(v["@type"], "ScholarlyArticle");
        assert_eq!(v["isPartOf"]["issueNumber"], "1");
        assert_eq!(v["isPartOf"]["isPartOf"]["volumeNumber"], "3");
        assert_eq!(v["isPartOf"]["isPartOf"]["isPartOf"]["name"], "J");
    }
}
