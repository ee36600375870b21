//! dyad: a static-site generator for research archives on bilateral relations between states.
//!
//! The pipeline is load → validate into an [`Archive`] model → plan pages → render → write; see
//! [`pipeline`] for the stage calls and `STYLE.md` for the layout.

pub(crate) mod cite;
pub mod cli;
pub(crate) mod config;
pub mod diag;
pub(crate) mod feeds;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod i18n;
pub mod import;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod oai;
pub(crate) mod output;
pub mod pipeline;
pub(crate) mod remember;
pub(crate) mod render;
pub mod scaffold;
pub(crate) mod search;
pub(crate) mod source;
pub mod watch;

pub use diag::{Diagnostic, Diagnostics};
pub use model::{Archive, Drafts};
pub use pipeline::{Options, Outcome, build, check};

/// The transliteration scheme of the archive at `root` (for `dyad new`), bgn-pcgn when
/// archive.yaml cannot be read.
pub fn new_abstract(
    root: &std::path::Path,
    title: &str,
) -> Result<std::path::PathBuf, scaffold::ScaffoldError> {
    let scheme = pipeline::load_config(root)
        .map(|c| c.transliteration)
        .unwrap_or_default();
    scaffold::new_abstract(root, title, scheme)
}
