//! The OAI-PMH Static Repository (`/oai.xml`): every work's Dublin Core record in one XML file,
//! as the OAI "Specification for an OAI Static Repository and an OAI Static Repository Gateway"
//! defines it, so that library harvesters can collect the archive through a Static Repository
//! Gateway. Written only when `archive.yaml` names the gateway and an administrator.
//!
//! A static repository has no deletions, no sets and day granularity. dyad keeps no edit
//! history, so a record's datestamp is the work's publication date (its first day); works of
//! unknown date carry the repository's earliest datestamp.

use crate::config::Oai;
use crate::feeds::escape;
use crate::model::{AbstractId, Archive, FacetName};
use std::fmt::Write as _;

/// The most records the guidelines allow a static repository.
pub(crate) const MAX_RECORDS: usize = 5000;

/// The works in the repository: every work but drafts, in listing order.
pub(crate) fn records(a: &Archive) -> Vec<AbstractId> {
    (0..a.abstracts.len() as AbstractId)
        .filter(|&id| !a.work(id).draft)
        .collect()
}

/// The repository's base URL at the gateway: the gateway's base URL followed by the static
/// repository's URL without its scheme (the guidelines' rule).
pub(crate) fn base_url(a: &Archive, oai: &Oai) -> String {
    let own = format!("{}oai.xml", a.config.base_url);
    let without_scheme = own.split_once("://").map_or(own.as_str(), |(_, rest)| rest);
    format!("{}{without_scheme}", oai.gateway)
}

/// The static repository document.
pub(crate) fn repository(a: &Archive, oai: &Oai) -> String {
    let ids = records(a);
    let host = a
        .config
        .base_url
        .host_str()
        .unwrap_or("localhost")
        .to_string();
    let datestamp = |id: AbstractId| a.work(id).date.map(|d| d.first_day().iso());
    let earliest = ids
        .iter()
        .filter_map(|&id| datestamp(id))
        .min()
        .unwrap_or_else(|| "1970-01-01".to_string());
    let mut x = String::with_capacity(1024 + ids.len() * 2048);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(concat!(
        "<Repository xmlns=\"http://www.openarchives.org/OAI/2.0/static-repository\"\n",
        "            xmlns:oai=\"http://www.openarchives.org/OAI/2.0/\"\n",
        "            xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n",
        "            xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/static-repository",
        " http://www.openarchives.org/OAI/2.0/static-repository.xsd\">\n",
    ));
    let _ = write!(
        x,
        concat!(
            "  <Identify>\n",
            "    <oai:repositoryName>{}</oai:repositoryName>\n",
            "    <oai:baseURL>{}</oai:baseURL>\n",
            "    <oai:protocolVersion>2.0</oai:protocolVersion>\n",
            "    <oai:adminEmail>{}</oai:adminEmail>\n",
            "    <oai:earliestDatestamp>{}</oai:earliestDatestamp>\n",
            "    <oai:deletedRecord>no</oai:deletedRecord>\n",
            "    <oai:granularity>YYYY-MM-DD</oai:granularity>\n",
            "  </Identify>\n",
            "  <ListMetadataFormats>\n",
            "    <oai:metadataFormat>\n",
            "      <oai:metadataPrefix>oai_dc</oai:metadataPrefix>\n",
            "      <oai:schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</oai:schema>\n",
            "      <oai:metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</oai:metadataNamespace>\n",
            "    </oai:metadataFormat>\n",
            "  </ListMetadataFormats>\n",
        ),
        escape(&a.config.title),
        escape(&base_url(a, oai)),
        escape(&oai.admin_email),
        earliest,
    );
    if !ids.is_empty() {
        x.push_str("  <ListRecords metadataPrefix=\"oai_dc\">\n");
        for &id in &ids {
            record(
                &mut x,
                a,
                id,
                &host,
                datestamp(id).unwrap_or_else(|| earliest.clone()),
            );
        }
        x.push_str("  </ListRecords>\n");
    }
    x.push_str("</Repository>\n");
    x
}

/// One `oai:record` with its `oai_dc` metadata.
fn record(x: &mut String, a: &Archive, id: AbstractId, host: &str, datestamp: String) {
    let w = a.work(id);
    let r = crate::cite::Record::from_work(a, id, true);
    let _ = write!(
        x,
        concat!(
            "    <oai:record>\n",
            "      <oai:header>\n",
            "        <oai:identifier>oai:{}:{}</oai:identifier>\n",
            "        <oai:datestamp>{}</oai:datestamp>\n",
            "      </oai:header>\n",
            "      <oai:metadata>\n",
            "        <oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\"",
            " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
            " xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/",
            " http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">\n",
        ),
        escape(host),
        escape(&w.slug),
        datestamp,
    );
    let mut dc = |element: &str, value: &str| {
        if !value.trim().is_empty() {
            let _ = writeln!(
                x,
                "          <dc:{element}>{}</dc:{element}>",
                escape(value)
            );
        }
    };
    dc("title", &r.title);
    for author in &r.authors {
        dc("creator", author);
    }
    for k in &r.keywords {
        dc("subject", k);
    }
    for &s in &w.spheres {
        dc("subject", &a.spheres[s as usize].title);
    }
    if let Some(t) = &r.abstract_text {
        dc("description", t);
    }
    if let Some(p) = &r.publisher {
        dc("publisher", p);
    }
    if let Some(d) = r.date {
        dc("date", &d.to_string());
    }
    dc("type", "Text");
    if let Some(k) = r.kind {
        dc("type", k.as_str());
    }
    if let Some(u) = &r.page_url {
        dc("identifier", u);
    }
    if let Some(doi) = &r.doi {
        dc("identifier", &format!("https://doi.org/{doi}"));
    }
    if let Some(u) = &r.url {
        dc("relation", u);
    }
    if let Some(s) = &w.source {
        dc("source", &crate::render::views::source_line(s));
    }
    if let Some(l) = &r.language {
        dc("language", l);
    }
    if let Some((from, to)) = w.coverage {
        dc("coverage", &format!("{from}/{to}"));
    }
    for &p in &w.periods {
        dc("coverage", &a.periods[p as usize].title);
    }
    for &v in &w.actors {
        dc("subject", &a.facet(FacetName::Actors)[v as usize].name);
    }
    x.push_str("        </oai_dc:dc>\n      </oai:metadata>\n    </oai:record>\n");
}
