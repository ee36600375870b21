//! dyad's integration tests: one binary, one module per area.
//!
//! Every test copies a fixture archive from `tests/fixtures/` into a temporary folder (a fixture
//! is never written to), runs the real `dyad` binary on it and inspects the exit code, stderr and
//! the generated site. Snapshots (insta) live in `tests/it/snapshots/`; the temporary folder is
//! replaced by `[ROOT]` so they are stable.

mod browser;
mod build;
mod cite;
mod cli;
mod diagnostics;
mod import;
mod interface;
mod links;
mod multilingual;
mod output;
mod snapshots;
mod support;
mod watch;
