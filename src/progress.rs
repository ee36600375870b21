//! The terminal progress bar (indicatif), shown only on a terminal and only when a build
//! renders enough pages to take longer than a moment.

use dyad::pipeline::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Below this many outputs a build takes well under a second: no bar.
const MIN_JOBS: u64 = 2_000;

/// A progress bar that may be disabled.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    /// A bar on stderr when `enabled`.
    pub fn new(enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(8));
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} rendering {pos}/{len} pages {wide_bar} {eta}",
                )
                .expect("the template is valid"),
            );
            b
        });
        Bar { bar }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        if let Some(b) = &self.bar {
            if total >= MIN_JOBS {
                b.set_length(total);
            } else {
                b.set_draw_target(ProgressDrawTarget::hidden());
            }
        }
    }
    fn tick(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// `10214` → `10,214`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
