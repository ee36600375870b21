#!/usr/bin/env python3
"""Inputs that are large or strange rather than wrong: each one once, with its time and peak
memory, so that nothing an editor pastes makes dyad slow down quadratically or run out of
memory. Fuzzers miss these: their inputs are a few kilobytes.

    bench/adversarial.py [--dyad target/release/dyad] [--scale 1.0] [--max-seconds 10]

Each case starts from a fresh `dyad init` archive in a temporary folder, adds one file and
runs one command (`build`, `check` or `import --dry-run`); the table gives the exit status
(content errors are 1, and are the right answer for some cases), the wall time, the peak
RSS of that process alone (from wait4) and what the case is about. `--scale` multiplies the
sizes (0.1 for a quick look). Exits 1 when a case exits otherwise than it should, and, with
`--max-seconds`, when one takes longer: the cases here each took from 12 seconds to over a
minute (or 22.6 GiB) before their fixes, and a fraction of a second after them. Python standard
library only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HEAD = "---\ntitle: T\nauthors: [X]\ndate: 2019\nspheres: [energy]\n"


def cases(n):
    """(name, expected exit status, what it is, files to write {path: text}, command after
    `dyad`, output files whose sizes to report)."""
    links = " ".join(f"[x](/abstracts/none{i}/)" for i in range(n(30_000)))
    sentence = "Ключевое слово " * 25
    yield (
        "nested-quotes-and-html",
        1,
        "50,000 nested quotes, then 20,000 unclosed <div>s (exit 1: too deep)",
        {"content/abstracts/deep.md": HEAD + "---\n" + ">" * n(50_000) + " x\n\n" + "<div>" * n(20_000) + "\n"},
        ["build"],
        [],
    )
    yield (
        "dead-links-one-line",
        0,
        "30,000 dead internal links on one line (warnings)",
        {"content/abstracts/links.md": HEAD + "---\n" + links + "\n"},
        ["build"],
        [],
    )
    yield (
        "bare-addresses",
        0,
        "30,000 bare dead addresses into the site on one line, among 100,000 `[` and `_` (warnings)",
        {"content/abstracts/bare.md": HEAD + "---\n"
            + " ".join(f"https://example.org/none{i}/ a_[b" for i in range(n(30_000)))
            + " x_[" * n(100_000) + "\n"},
        ["build"],
        [],
    )
    yield (
        "alike-headings",
        0,
        "30,000 headings with the same text (ids numbered)",
        {"content/abstracts/heads.md": HEAD + "---\n" + "## Same\n\n" * n(30_000)},
        ["build"],
        [],
    )
    yield (
        "long-keyword",
        0,
        "a 375-character keyword and author (slugs cut to 100)",
        {"content/abstracts/kw.md": HEAD.replace("authors: [X]", f'authors: ["{"Автор" * 30}"]')
         + f'keywords: ["{sentence}"]\n---\nb\n'},
        ["build"],
        [],
    )
    yield (
        "coverage-1-to-9999",
        0,
        "one work covering years 1 to 9999 (sizes of home and timeline pages)",
        {"content/abstracts/span.md": HEAD.replace("date: 2019", "date: 0001")
         + "coverage: {from: 0001, to: 9999}\n---\nb\n"},
        ["build"],
        ["index.html", "timeline/index.html", "spheres/energy/index.html"],
    )
    yield (
        "unknown-spheres",
        1,
        "30,000 unknown spheres in one front matter (exit 1: 30,000 errors)",
        {"content/abstracts/fm.md": HEAD.replace(
            "spheres: [energy]", "spheres: [" + ", ".join(f"no{i}" for i in range(n(30_000))) + "]")
         + "---\nb\n"},
        ["check"],
        [],
    )
    deep = n(200_000)
    yield (
        "bibtex-nested-braces",
        1,
        "a BibTeX title in 200,000 nested braces (exit 1: reported, not read)",
        {"deep.bib": "@article{a, title = " + "{" * deep + "x" + "}" * deep + ", year={2019}}\n"},
        ["import", "deep.bib", "--sphere", "energy", "--dry-run"],
        [],
    )
    strings = [f'@string{{j{i} = "Journal number {i}"}}' for i in range(n(1_000))]
    entries = [
        f"@article{{k{i},\n  title = {{Title {i} about {{Russia}}}},\n  author = {{Ivanov, Ivan}},\n"
        f"  journal = j{i % len(strings)},\n  year = {{{1992 + i % 30}}},\n  abstract = {{{'word ' * 150}}}\n}}\n"
        for i in range(n(20_000))
    ]
    yield (
        "bibtex-20000-entries",
        0,
        "20,000 BibTeX entries with 1,000 @string abbreviations",
        {"big.bib": "\n".join(strings + entries)},
        ["import", "big.bib", "--sphere", "energy", "--dry-run"],
        [],
    )
    items = [
        {"type": "article-journal", "title": f"T {i}", "author": [{"family": "Ivanov", "given": "I"}],
         "issued": {"date-parts": [[2019]]}, "abstract": "word " * 150}
        for i in range(n(20_000))
    ]
    yield (
        "csl-json-20000-items",
        0,
        "20,000 CSL-JSON items",
        {"big.json": json.dumps(items, indent=2)},
        ["import", "big.json", "--sphere", "energy", "--dry-run"],
        [],
    )


def run(dyad, root, args):
    """Exit status, seconds and peak RSS (MiB) of `dyad args` in `root`."""
    start = time.monotonic()
    proc = subprocess.Popen([dyad, *args, "--root", root], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, seconds, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dyad", default="target/release/dyad")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--max-seconds", type=float)
    a = ap.parse_args()
    dyad = os.path.abspath(a.dyad)
    n = lambda k: max(1, int(k * a.scale))  # noqa: E731
    print(f"{'case':<24} {'exit':>4} {'seconds':>8} {'peak MiB':>9}  what")
    slow = []
    for name, expected, what, files, args, sizes in cases(n):
        tmp = tempfile.mkdtemp(prefix="dyad-adversarial-")
        try:
            root = os.path.join(tmp, "archive")
            subprocess.run([dyad, "init", root], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for rel, text in files.items():
                path = os.path.join(root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(text)
            code, seconds, rss = run(dyad, root, args)
            extra = ""
            if sizes and code == 0:
                extra = "; " + ", ".join(
                    f"{s} {os.path.getsize(os.path.join(root, 'public', s)) / 1024:,.0f} kB" for s in sizes)
            print(f"{name:<24} {code:>4} {seconds:>8.2f} {rss:>9.0f}  {what}{extra}", flush=True)
            if a.max_seconds is not None and seconds > a.max_seconds:
                slow.append(f"{name} took {seconds:.1f} s")
            if code != expected:
                slow.append(f"{name} exited {code}, not {expected}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if slow:
        print(f"failed: {'; '.join(slow)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
