//! dyad: a static-site generator for research archives on bilateral relations between states.
//!
//! The pipeline is load → validate into an [`Archive`] model → plan pages → render → write.

pub(crate) mod config;
pub mod diag;
pub(crate) mod feeds;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod source;
