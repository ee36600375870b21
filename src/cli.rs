//! The command line: clap derive structs, one per subcommand. No behaviour lives here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// dyad — publish a research archive on the relations between two states as a static site.
#[derive(Debug, Parser)]
#[command(name = "dyad", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from the archive into the output folder (default: <root>/public).
    Build(BuildArgs),
    /// Load and validate the archive like `build`, report every problem, write nothing.
    Check(CheckArgs),
    /// Build into memory, serve the site locally and rebuild on every change (live reload).
    Watch(WatchArgs),
    /// Create a new abstract file (a draft) with every field ready to fill in.
    New(NewArgs),
    /// Start a new archive in an empty folder.
    Init(InitArgs),
    /// Import works from a Zotero export (BibTeX, BibLaTeX, RIS or CSL JSON), one abstract each.
    Import(ImportArgs),
}

/// `dyad build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The archive folder (with archive.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The output folder [default: <root>/public].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Render drafts too (with a banner and noindex; never in the sitemap or feeds).
    #[arg(long)]
    pub drafts: bool,
    /// Publish under this absolute URL instead of archive.yaml's base_url.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print nothing but errors (for scripts).
    #[arg(long, short)]
    pub quiet: bool,
    /// Keep built search-index shards here, to reuse them while their works do not change
    /// [default: $DYAD_CACHE_DIR, else $XDG_CACHE_HOME/dyad, else ~/.cache/dyad].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Index every work again, without reading or writing the cache.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
}

/// `dyad watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The archive folder (with archive.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The address to listen on (other than loopback exposes drafts to your network).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port to listen on; when taken, the next free one is used (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Poll the files instead of relying on file-system events (network drives, containers).
    #[arg(long)]
    pub poll: bool,
}

/// Diagnostic output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style messages with the source line and a caret.
    Human,
    /// One JSON document, for editors and CI.
    Json,
}

/// `dyad check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The archive folder (with archive.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Treat warnings as errors (exit 1 when there is any).
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `dyad new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The work's title.
    pub title: String,
    /// The archive folder (with archive.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// `dyad init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (must be empty or not exist).
    pub dir: PathBuf,
    /// The two states, as ISO 3166-1 alpha-2 codes.
    #[arg(long, num_args = 2, value_names = ["A", "B"], default_values = ["RU", "KZ"])]
    pub dyad: Vec<String>,
    /// The archive's title [default: "<A>–<B> relations: a research archive"].
    #[arg(long)]
    pub title: Option<String>,
}

/// `dyad import`.
#[derive(Debug, Args)]
#[command(
    after_help = "Never overwrites a file, and skips works the archive already has (same DOI, \
or same title and year). Exit status: 0 done; 1 some records could not be read (they are listed \
with their line; the others were imported); 2 a usage or I/O error."
)]
pub struct ImportArgs {
    /// The export: .bib, .ris or .json (other names are recognized by their content).
    pub file: PathBuf,
    /// The archive folder (with archive.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Where the files go, relative to the root; one folder per year is made inside.
    #[arg(long, value_name = "DIR", default_value = "content/abstracts")]
    pub into: PathBuf,
    /// Give every imported work this sphere (repeat for more); without it, `spheres: []` is
    /// written for you to fill in.
    #[arg(long = "sphere", value_name = "ID")]
    pub spheres: Vec<String>,
    /// Write nothing; print the report of what would be written.
    #[arg(long)]
    pub dry_run: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
