//! The `dyad` binary: parse the command line, call the library, print, choose the exit code
//! (0 success, 1 the archive has errors, 2 usage, I/O or internal failure).

use clap::Parser;
use dyad::cli::{Cli, Command, Format};
use dyad::pipeline::{self, Options, Outcome};
use dyad::{Diagnostics, Drafts};
use std::io::IsTerminal;
use std::process::ExitCode;

mod progress;

/// mimalloc: dyad allocates many small strings and tera values on several threads; glibc's
/// allocator spent a fifth of a rebuild consolidating and freeing chunks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Freed memory goes back to the system after mimalloc's own short delay (10 ms): keeping it
// for the whole run instead (`MIMALLOC_PURGE_DELAY=-1`, which mimalloc reads from the
// environment) was no faster measurably, and memory one thread freed could not serve another
// thread's later stage, which made the 100,000-abstract peak 6-20% higher (README,
// "Performance").

fn print_diags(d: &Diagnostics) {
    if !d.is_empty() {
        eprint!("{}", d.render_human(std::io::stderr().is_terminal()));
    }
}

fn counts(d: &Diagnostics) -> String {
    let (e, w) = (d.error_count(), d.warning_count());
    let plural = |n: usize, s: &str| format!("{n} {s}{}", if n == 1 { "" } else { "s" });
    match (e, w) {
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

fn outcome(o: Outcome) -> ExitCode {
    match o {
        Outcome::Invalid(d) => {
            print_diags(&d);
            eprintln!("error: the archive has {}; nothing was written", counts(&d));
            ExitCode::from(1)
        }
        Outcome::Failed(f, d) => {
            print_diags(&d);
            eprintln!("error: {f}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            let out = args
                .out
                .clone()
                .unwrap_or_else(|| pipeline::default_out(&args.root));
            let opts = Options {
                root: args.root,
                out,
                drafts: if args.drafts {
                    Drafts::Include
                } else {
                    Drafts::Exclude
                },
                base_url: args.base_url,
                cache: if args.no_cache {
                    None
                } else {
                    args.cache_dir.or_else(dyad::pipeline::default_cache_dir)
                },
            };
            let bar = progress::Bar::new(!args.quiet && std::io::stderr().is_terminal());
            match pipeline::build(&opts, &bar) {
                Ok(r) => {
                    if !args.quiet {
                        print_diags(&r.diagnostics);
                        eprintln!(
                            "built {} page{} from {} abstract{} in {:.2} s{}",
                            progress::thousands(r.pages),
                            if r.pages == 1 { "" } else { "s" },
                            progress::thousands(r.abstracts),
                            if r.abstracts == 1 { "" } else { "s" },
                            r.elapsed.as_secs_f64(),
                            if r.diagnostics.is_empty() {
                                String::new()
                            } else {
                                format!(" ({})", counts(&r.diagnostics))
                            }
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(o) => outcome(o),
            }
        }
        Command::Check(args) => {
            let opts = Options {
                out: pipeline::default_out(&args.root),
                root: args.root,
                drafts: Drafts::Include,
                base_url: None,
                cache: None,
            };
            let result = pipeline::check(&opts);
            if args.format == Format::Json {
                let (d, code) = match &result {
                    Ok(d) => (
                        d,
                        if args.deny_warnings && !d.is_empty() {
                            1
                        } else {
                            0
                        },
                    ),
                    Err(Outcome::Invalid(d)) => (d, 1),
                    Err(Outcome::Failed(f, d)) => {
                        eprintln!("error: {f}");
                        (d, 2)
                    }
                };
                println!("{}", d.render_json());
                return ExitCode::from(code);
            }
            match result {
                Ok(d) => {
                    print_diags(&d);
                    if args.deny_warnings && !d.is_empty() {
                        eprintln!("error: {} (denied by --deny-warnings)", counts(&d));
                        return ExitCode::from(1);
                    }
                    eprintln!(
                        "the archive is valid{}",
                        if d.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", counts(&d))
                        }
                    );
                    ExitCode::SUCCESS
                }
                Err(o) => outcome(o),
            }
        }
        Command::Watch(args) => match dyad::watch::run(dyad::watch::WatchOptions {
            root: args.root,
            bind: args.bind,
            port: args.port,
            open: args.open,
            poll: args.poll,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::New(args) => match dyad::new_abstract(&args.root, &args.title) {
            Ok(p) => {
                println!("{}", p.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Import(args) => match dyad::import::run(&dyad::import::ImportOptions {
            root: args.root,
            file: args.file,
            into: args.into,
            spheres: args.spheres,
            dry_run: args.dry_run,
        }) {
            Ok(report) => {
                eprint!("{}", report.render_problems());
                print!("{}", report.render());
                ExitCode::from(u8::from(report.has_problems()))
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Init(args) => match dyad::scaffold::init(
            &args.dir,
            &args.dyad[0],
            &args.dyad[1],
            args.title.as_deref(),
        ) {
            Ok(()) => {
                eprintln!(
                    "created a new archive in {}; next: `dyad build --root {}`",
                    args.dir.display(),
                    args.dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}
