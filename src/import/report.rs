//! The report of an import: the files written, the records skipped as duplicates and why,
//! what an editor must still do, and the records that could not be read. Only formats text;
//! `main` prints it.

use super::Format;
use std::fmt::Write as _;

/// A file written (or, in a dry run, that would be written).
#[derive(Debug, Clone)]
pub struct Imported {
    /// The file, as the user should find it (under `--root`).
    pub path: String,
    /// The record's line in the export.
    pub line: u32,
    /// What an editor must still do or know.
    pub attention: Vec<String>,
}

/// A record left out because the work is there already.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The record's line in the export.
    pub line: u32,
    /// The record's title.
    pub title: String,
    /// Why: which file or record it duplicates.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The export, as named on the command line.
    pub file: String,
    /// Its format.
    pub format: Format,
    /// Nothing was written.
    pub dry_run: bool,
    /// Files written, in file order.
    pub imported: Vec<Imported>,
    /// Records skipped as duplicates.
    pub skipped: Vec<Skipped>,
    /// Records that could not be read (`line`, message).
    pub problems: Vec<(Option<u32>, String)>,
    /// Whether `--sphere` gave the files their spheres.
    pub with_spheres: bool,
}

impl Report {
    /// Whether some record could not be read (exit 1).
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The problems, one per line, as `file:line: error: message` (for stderr).
    pub fn render_problems(&self) -> String {
        let mut out = String::new();
        for (line, message) in &self.problems {
            let at = line.map_or_else(|| self.file.clone(), |l| format!("{}:{l}", self.file));
            let _ = writeln!(out, "{at}: error: {message}");
        }
        out
    }

    /// The report for people: imported, skipped, needing attention, then a summary line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let would = if self.dry_run {
            "would import"
        } else {
            "imported"
        };
        if !self.imported.is_empty() {
            let _ = writeln!(out, "{would}:");
            for i in &self.imported {
                let _ = writeln!(out, "  {}  ({}:{})", i.path, self.file, i.line);
            }
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "skipped (the archive or this file has them already):");
            for s in &self.skipped {
                let _ = writeln!(
                    out,
                    "  {}:{} \"{}\": {}",
                    self.file, s.line, s.title, s.reason
                );
            }
        }
        if !self.imported.is_empty() {
            let _ = writeln!(out, "needs an editor's attention:");
            let every = if self.dry_run {
                "every file would need"
            } else {
                "every file"
            };
            if !self.with_spheres {
                let _ = writeln!(
                    out,
                    "  {every}: no spheres yet: fill in `spheres: [...]` (ids from content/spheres/); `dyad check` fails until you do"
                );
            }
            let _ = writeln!(
                out,
                "  {every}: no coverage: add `coverage: {{from: YYYY-MM, to: YYYY-MM}}` (the span the work studies) to place it in periods"
            );
            for i in self.imported.iter().filter(|i| !i.attention.is_empty()) {
                let _ = writeln!(out, "  {}: {}", i.path, i.attention.join("; "));
            }
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let _ = writeln!(
            out,
            "{} {} record{} from {} ({}), skipped {} duplicate{}, {} could not be read{}",
            would,
            self.imported.len(),
            plural(self.imported.len()),
            self.file,
            self.format.name(),
            self.skipped.len(),
            plural(self.skipped.len()),
            self.problems.len(),
            if self.dry_run {
                "; dry run: nothing was written"
            } else {
                ""
            }
        );
        out
    }
}
