#!/usr/bin/env python3
"""Soak test of `dyad watch`: many random edits, valid and invalid, at random intervals.

    bench/soak.py [--abstracts 10000] [--edits 1000] [--seed 1] [--dyad PATH]
                  [--languages en,ru] [--baseline 100] [--keep]

Generates an archive (../shared/bench/gen_corpus.py, or examples/synth.rs when the shared folder
is absent) in a temporary folder, starts `dyad watch --port 0` on it (the search and reference
cache in that folder too) and drives --edits random edits:

  body        a sentence appended to (older soak sentences dropped from) a work's body
  title       a work's title changed
  spheres     a work moved to 1–3 other spheres (sphere, cross and home pages change)
  dates       a work's date and coverage changed (so are its periods)
  add         a new work, sometimes in a new folder
  delete      a work deleted
  rename      a work's file renamed (its URL changes), sometimes into another folder
  translate   a translation added, changed or deleted (only with --languages)
  invalid     a work broken: unclosed YAML, an unterminated string, an unknown sphere, a
              month 13, another work's slug, a translation setting spheres; fixed 1–6 edits
              later (each fix is one of the edits)

Edits come in groups: mostly one edit, sometimes a burst of 3–8 a few milliseconds apart (like
a git checkout), with 0–300 ms between edits. After three groups in four the script waits for
the rebuild to be over (the status counter and the process's CPU time both still for 300 ms,
which covers the search indexer) and then checks: the process is alive, no panic was printed,
the status says "errors" exactly when a broken file is outstanding, and samples VmRSS. After
the fourth, the next group starts 0–300 ms later, on top of the running rebuild.

Passes when: the process never died and printed no panic; the error state always matched;
RSS after edit --baseline (default 100) is the reference, and neither the largest RSS sampled
after it nor the last is more than --rss-tolerance (10%) above it; and after the last edit
(outstanding broken files fixed) every file the server lists equals, fetched over HTTP, the
same file of a fresh `dyad build --drafts --no-cache --base-url <watch's URL>` of the final
archive — byte for byte, HTML pages after inserting exactly what watch adds (one live-reload
script tag before `</body>`) — and the two file lists are the same. Exits 1 otherwise.
Python standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

import watchlib
from watchlib import Watch, percentile


def log(*a):
    print(*a, flush=True)


# --------------------------------------------------------------------------- front matter


def split(text):
    """(front matter lines, body) of an abstract."""
    assert text.startswith("---\n"), "no front matter"
    end = text.index("\n---\n", 3)
    return text[4:end].split("\n"), text[end + 5:]


def join(fm, body):
    return "---\n" + "\n".join(fm) + "\n---\n" + body


def set_key(fm, key, lines):
    """Replaces the block of `key` (its line and the indented or list lines after it) with
    `lines`, or adds them at the end."""
    out, i, placed = [], 0, False
    while i < len(fm):
        if fm[i].startswith(key + ":"):
            i += 1
            while i < len(fm) and (fm[i].startswith(" ") or fm[i].startswith("- ")):
                i += 1
            out.extend(lines)
            placed = True
            continue
        out.append(fm[i])
        i += 1
    if not placed:
        out.extend(lines)
    return out


def get_key(fm, key):
    for line in fm:
        if line.startswith(key + ":"):
            return line[len(key) + 1:].strip()
    return None


SENTENCES = [
    "The soak test adds this sentence about transit corridors and customs posts.",
    "A later reading of the archival record suggests a more *cautious* interpretation.",
    "Edit {i} notes that the border regions traded more than the capitals expected.",
    "Further evidence comes from interviews conducted in Omsk and Pavlodar.",
    "The revised version also discusses remittances and the exchange rate.",
]


class Archive:
    """The archive on disk and what the script knows about it."""

    def __init__(self, root, rng, seed, languages):
        self.root, self.rng, self.seed = root, rng, seed
        self.languages = languages[1:]  # the non-default ones
        self.spheres = sorted(f[:-3] for f in os.listdir(os.path.join(root, "content", "spheres"))
                              if f.endswith(".md") and f.count(".") == 1)
        base = os.path.join(root, "content", "abstracts")
        self.works = []
        for d, _, files in os.walk(base):
            for f in files:
                if f.endswith(".md") and f.count(".") == 1:
                    self.works.append(os.path.relpath(os.path.join(d, f), root))
        self.works.sort()
        self.broken = {}  # rel → (good text, fix due at edit no, what)
        self.locked = set()  # works another broken file depends on (a duplicated slug)
        self.translations = set()

    def path(self, rel):
        return os.path.join(self.root, rel)

    def read(self, rel):
        with open(self.path(rel), encoding="utf-8") as f:
            return f.read()

    def write(self, rel, text):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)

    def pick(self):
        """A work that is neither broken nor locked."""
        while True:
            rel = self.rng.choice(self.works)
            if rel not in self.broken and rel not in self.locked:
                return rel

    def translations_of(self, rel):
        stem = rel[:-3]
        return [t for t in self.translations if t.rsplit(".", 2)[0] == stem]

    # ------------------------------------------------------------------ valid edits

    def body(self, i):
        rel = self.pick()
        fm, body = split(self.read(rel))
        lines = [l for l in body.split("\n") if not l.startswith("Soak edit ")] \
            if self.rng.random() < 0.3 else body.rstrip("\n").split("\n")
        lines.append("")
        lines.append("Soak edit %d. %s" % (i, self.rng.choice(SENTENCES).format(i=i)))
        self.write(rel, join(fm, "\n".join(lines).rstrip("\n") + "\n"))
        return rel

    def title(self, i):
        rel = self.pick()
        fm, body = split(self.read(rel))
        old = get_key(fm, "title") or '"Untitled"'
        if old.startswith('"'):
            old = json.loads(old)
        old = re.sub(r" \(soak \d+\)$", "", old)
        fm = set_key(fm, "title", ["title: " + json.dumps("%s (soak %d)" % (old, i), ensure_ascii=False)])
        self.write(rel, join(fm, body))
        return rel

    def spheres_edit(self, i):
        rel = self.pick()
        fm, body = split(self.read(rel))
        sph = self.rng.sample(self.spheres, self.rng.randint(1, 3))
        self.write(rel, join(set_key(fm, "spheres", ["spheres: [%s]" % ", ".join(sph)]), body))
        return rel

    def random_dates(self):
        r = self.rng
        y1 = r.randint(1990, 2022)
        y2 = min(2025, y1 + int(r.random() ** 2 * 15))
        py = min(2025, y2 + r.randint(0, 3))
        date = r.choice(["%d" % py, "%d-%02d" % (py, r.randint(1, 12)),
                         "%d-%02d-%02d" % (py, r.randint(1, 12), r.randint(1, 28))])
        cov = ["coverage:", "  from: %d-%02d" % (y1, r.randint(1, 12)), "  to: %d" % y2] \
            if r.random() < 0.5 else ["coverage:", "  from: %d" % y1, "  to: %d" % y2]
        return date, cov

    def dates(self, i):
        rel = self.pick()
        fm, body = split(self.read(rel))
        date, cov = self.random_dates()
        fm = set_key(set_key(fm, "date", ["date: " + date]), "coverage", cov)
        self.write(rel, join(fm, body))
        return rel

    def add(self, i):
        r = self.rng
        date, cov = self.random_dates()
        folder = "soak-%d-%d" % (self.seed, i) if r.random() < 0.1 else date[:4]
        rel = os.path.join("content", "abstracts", folder, "soak-%d-%d.md" % (self.seed, i))
        fm = ["title: " + json.dumps("A soak-test work number %d on %s" % (i, r.choice(["trade", "migration", "energy", "borders"]))),
              "authors: [%s]" % r.choice(["Anna Soak", "Timur Test", "Olga Edit", "Иванов И. И."]),
              "date: " + date,
              "spheres: [%s]" % ", ".join(r.sample(self.spheres, r.randint(1, 3)))] + cov + \
             ["keywords: [soak test, %s]" % r.choice(["customs union", "sanctions", "labour migration"])]
        if r.random() < 0.1:
            fm.append("draft: true")
        body = "This work was added by the soak test (edit %d).\n\n%s\n" % (i, r.choice(SENTENCES).format(i=i))
        self.write(rel, join(fm, body))
        self.works.append(rel)
        return rel

    def delete(self, i):
        rel = self.pick()
        for t in self.translations_of(rel):
            os.remove(self.path(t))
            self.translations.discard(t)
        os.remove(self.path(rel))
        self.works.remove(rel)
        return rel

    def rename(self, i):
        rel = self.pick()
        d, name = os.path.split(rel)
        stem = re.sub(r"-r\d+$", "", name[:-3])
        if self.rng.random() < 0.3:
            d = os.path.join("content", "abstracts", self.rng.choice(["1999", "2010", "2024", "moved-%d" % self.seed]))
        new = os.path.join(d, "%s-r%d.md" % (stem, i))
        os.makedirs(self.path(d), exist_ok=True)
        os.rename(self.path(rel), self.path(new))
        for t in self.translations_of(rel):
            lang = t.rsplit(".", 2)[1]
            nt = new[:-3] + ".%s.md" % lang
            os.rename(self.path(t), self.path(nt))
            self.translations.discard(t)
            self.translations.add(nt)
        self.works[self.works.index(rel)] = new
        return new

    def translate(self, i):
        r = self.rng
        ok = sorted(t for t in self.translations if t not in self.broken)
        if ok and r.random() < 0.25:
            t = r.choice(ok)
            os.remove(self.path(t))
            self.translations.discard(t)
            return t
        rel = self.pick()
        lang = r.choice(self.languages)
        t = rel[:-3] + ".%s.md" % lang
        title = {"ru": "Перевод работы (правка %d)", "kk": "Жұмыстың аудармасы (%d)"}.get(lang, "Translation %d") % i
        self.write(t, "---\ntitle: %s\n---\nАннотация на другом языке, правка %d.\n" % (json.dumps(title, ensure_ascii=False), i))
        self.translations.add(t)
        return t

    # ------------------------------------------------------------------ invalid edits

    def invalid(self, i, due):
        r = self.rng
        kinds = ["yaml", "string", "sphere", "date", "slug"] + (["translation"] if self.languages else [])
        what = r.choice(kinds)
        rel = self.pick()
        good = self.read(rel)
        fm, body = split(good)
        if what == "yaml":
            fm = set_key(fm, "spheres", ["spheres: [%s" % ", ".join(r.sample(self.spheres, 2))])
        elif what == "string":
            fm = set_key(fm, "title", ['title: "An unterminated title'])
        elif what == "sphere":
            fm = set_key(fm, "spheres", ["spheres: [%s, no-such-sphere]" % r.choice(self.spheres)])
        elif what == "date":
            fm = set_key(fm, "date", ["date: %d-13-45" % r.randint(1995, 2024)])
        elif what == "slug":
            other = None
            for _ in range(200):
                o = self.pick()
                stem = os.path.basename(o)[:-3]
                if o != rel and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", stem) and \
                        get_key(split(self.read(o))[0], "slug") is None:
                    other = o
                    break
            if other is None:
                what = "sphere"
                fm = set_key(fm, "spheres", ["spheres: [no-such-sphere]"])
            else:
                fm = set_key(fm, "slug", ["slug: " + os.path.basename(other)[:-3]])
                self.locked.add(other)
        elif what == "translation":
            # A translation may not set what every version of a work shares.
            t = rel[:-3] + ".%s.md" % r.choice(self.languages)
            old = self.read(t) if os.path.exists(self.path(t)) else None
            self.write(t, "---\ntitle: Перевод\nspheres: [%s]\n---\nТекст.\n" % self.spheres[0])
            self.broken[t] = (old, due, what, None)
            self.locked.add(rel)
            return t, what
        self.write(rel, join(fm, body))
        self.broken[rel] = (good, due, what, other if what == "slug" else None)
        return rel, what

    def fix(self, rel):
        good, _, what, dep = self.broken.pop(rel)
        if what == "translation":
            self.locked.discard(rel.rsplit(".", 2)[0] + ".md")
            if good is None:
                os.remove(self.path(rel))
                self.translations.discard(rel)
            else:
                self.write(rel, good)
                self.translations.add(rel)
            return rel
        if dep:
            self.locked.discard(dep)
        self.write(rel, good)
        return rel

    def due(self, i):
        return sorted(rel for rel, (_, due, _, _) in self.broken.items() if due <= i)


# --------------------------------------------------------------------------- the check


def compare(w, out, threads=4):
    """Compares what `w` serves with the build in `out`. Returns (files compared, HTML pages,
    sitemap URLs checked, problems)."""
    problems = []
    built = watchlib.tree(out)
    built.pop(".dyad-manifest", None)
    status, _, body = w.get("/__dyad/files")
    served = json.loads(body)
    only_served = sorted(set(served) - set(built))
    only_built = sorted(set(built) - set(served))
    for f in only_served[:20]:
        problems.append("served but not built: %s" % f)
    for f in only_built[:20]:
        problems.append("built but not served: %s" % f)
    if len(only_served) > 20 or len(only_built) > 20:
        problems.append("… %d served only, %d built only in all" % (len(only_served), len(only_built)))

    # Every URL of the sitemaps must be served (with the live script, as a page).
    sitemap_urls = []
    for f in sorted(built):
        if re.fullmatch(r"(?:[a-z]{2}/)?sitemap\.xml", f):
            with open(built[f], "rb") as fh:
                sitemap_urls += re.findall(r"<loc>([^<]+)</loc>", fh.read().decode("utf-8"))
    prefix = w.url.rstrip("/")

    def check(rel):
        with open(built[rel], "rb") as fh:
            want = fh.read()
        if rel.endswith(".html"):
            want = watchlib.inject(want)
        st, headers, got = w.get(w.file_path(rel))
        if st != 200:
            return "%s: status %d" % (rel, st)
        if got != want:
            n = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), min(len(got), len(want)))
            return "%s differs from the fresh build at byte %d (served %d bytes, built %d): served %r, built %r" % (
                rel, n, len(got), len(want), got[max(0, n - 60):n + 60], want[max(0, n - 60):n + 60])
        return None

    def check_loc(url):
        if not url.startswith(prefix):
            return "sitemap URL outside the served site: %s" % url
        path = urllib_path(url[len("http://%s:%d" % (w.host, w.port)):])
        st, headers, got = w.get(path)
        if st != 200:
            return "sitemap URL %s: status %d" % (url, st)
        if got.count(watchlib.SNIPPET) != 1:
            return "sitemap URL %s: %d live scripts" % (url, got.count(watchlib.SNIPPET))
        return None

    common = sorted(set(served) & set(built))
    with concurrent.futures.ThreadPoolExecutor(threads) as ex:
        for p in ex.map(check, common, chunksize=64):
            if p:
                problems.append(p)
        for p in ex.map(check_loc, sitemap_urls, chunksize=64):
            if p:
                problems.append(p)
    return len(common), sum(1 for f in common if f.endswith(".html")), len(sitemap_urls), problems


def urllib_path(path):
    import urllib.parse
    return urllib.parse.quote(urllib.parse.unquote(path), safe="/%:@!$&'()*+,;=-._~")


# --------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--abstracts", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dyad", default=None, help="a dyad binary (default: $CARGO_TARGET_DIR or target/, release)")
    ap.add_argument("--languages", default=None,
                    help="make the archive multilingual (e.g. en,ru,kk; the first is the default) and add translations")
    ap.add_argument("--baseline", type=int, default=None,
                    help="the edit after which RSS is the reference (default: 100, or half of --edits if fewer)")
    ap.add_argument("--rss-tolerance", type=float, default=0.10)
    ap.add_argument("--max-interval", type=float, default=0.3, help="longest pause between edits, seconds")
    ap.add_argument("--workdir", default=None, help="where to put the archive (default: a new temporary folder)")
    ap.add_argument("--max-minutes", type=float, default=None,
                    help="stop editing after this long (then fix, compare and report as usual; the figures say how many edits were made)")
    ap.add_argument("--keep", action="store_true", help="keep the archive, the build and the log")
    args = ap.parse_args()
    baseline = args.baseline if args.baseline is not None else min(100, max(1, args.edits // 2))
    dyad = watchlib.find_dyad(args.dyad)
    work = args.workdir or tempfile.mkdtemp(prefix="dyad-soak-")
    os.makedirs(work, exist_ok=True)
    root = os.path.join(work, "archive")
    logfile = os.path.join(work, "watch.log")
    env = dict(os.environ, DYAD_CACHE_DIR=os.path.join(work, "cache"))
    env.pop("DYAD_LOG", None)
    rng = random.Random(args.seed)
    failures = []
    t_start = time.perf_counter()
    log("soak: %d edits on %d abstracts, seed %d, %s; work folder %s" % (
        args.edits, args.abstracts, args.seed, dyad, work))
    watchlib.make_archive(args.abstracts, args.seed, root, log)
    languages = ["en"]
    if args.languages:
        languages = args.languages.split(",")
        p = os.path.join(root, "archive.yaml")
        text = open(p, encoding="utf-8").read()
        text = re.sub(r"^language: .*$", "languages: [%s]" % ", ".join(languages), text, flags=re.M)
        open(p, "w", encoding="utf-8").write(text)
    a = Archive(root, rng, args.seed, languages)

    w = Watch(dyad, root, logfile, env=env)
    w.settle(-1, expect_rebuild=False)
    log("watch: serving %s after %.1f s; RSS %.0f MiB" % (w.url, w.start_s, w.rss_kib() / 1024))

    kinds = [("body", 24), ("title", 12), ("spheres", 12), ("dates", 10), ("add", 8), ("delete", 7),
             ("rename", 7), ("invalid", 12)] + ([("translate", 8)] if a.languages else [])
    counts = {}
    invalid_kinds = {}
    samples = []  # (edits done, RSS KiB)
    settle_s = []
    groups = settled_groups = rechecks = 0
    i = 0
    last_report = time.perf_counter()
    stopped_early = False
    while i < args.edits:
        if args.max_minutes and time.perf_counter() - t_start > args.max_minutes * 60:
            stopped_early = True
            log("  --max-minutes reached after %d of %d edits: stopping here" % (i, args.edits))
            break
        if not w.alive():
            failures.append("dyad watch died (exit %s) before edit %d" % (w.proc.returncode, i + 1))
            break
        size = rng.randint(3, 8) if rng.random() < 0.08 else 1
        before = w.status()["build"]
        for k in range(size):
            if i >= args.edits:
                break
            due = a.due(i)
            if due:
                a.fix(due[0])
                kind = "fix"
            else:
                kind = rng.choices([k for k, _ in kinds], [wt for _, wt in kinds])[0]
                if kind == "invalid" and (i >= args.edits - 8 or len(a.broken) >= 3):
                    kind = "body"
                if kind == "delete" and len(a.works) < 20:
                    kind = "add"
                if kind == "invalid":
                    _, what = a.invalid(i, i + rng.randint(1, 6))
                    invalid_kinds[what] = invalid_kinds.get(what, 0) + 1
                else:
                    getattr(a, {"spheres": "spheres_edit"}.get(kind, kind))(i)
            counts[kind] = counts.get(kind, 0) + 1
            i += 1
            if k < size - 1:
                time.sleep(rng.uniform(0, 0.02))
        groups += 1
        if rng.random() < 0.75 or i >= args.edits:
            waited = w.settle(before)
            if waited is None:
                failures.append("no settled state after edit %d (dead: %s)" % (i, not w.alive()))
                break
            settled_groups += 1
            settle_s.append(waited)
            st = w.status()
            if st["errors"] != bool(a.broken):
                # On a loaded machine a rebuild can start later than 300 ms after the event
                # (the watch process is starved): settle again, longer, before calling it wrong.
                rechecks += 1
                w.settle(-1, quiet=2.0, expect_rebuild=False)
                st = w.status()
            if st["errors"] != bool(a.broken):
                failures.append("after edit %d the status says errors=%s but %d broken files are outstanding (%s)" % (
                    i, st["errors"], len(a.broken), ", ".join(sorted(a.broken)) or "none"))
            samples.append((i, w.rss_kib()))
        if w.panics:
            failures.append("panic after edit %d: %s" % (i, w.panics[0]))
            break
        time.sleep(rng.uniform(0, args.max_interval))
        if time.perf_counter() - last_report > 60:
            last_report = time.perf_counter()
            log("  … %d edits, %d rebuilds, RSS %.0f MiB, %d broken outstanding, %.0f s" % (
                i, len(w.rebuild_ms) + w.failed_rebuilds, (samples[-1][1] if samples else 0) / 1024,
                len(a.broken), time.perf_counter() - t_start))

    # The end: fix what is still broken, wait, compare with a fresh build.
    final_fixes = 0
    if w.alive():
        before = w.status()["build"]
        for rel in sorted(a.broken):
            a.fix(rel)
            final_fixes += 1
        if final_fixes:
            if w.settle(before) is None:
                failures.append("no settled state after the final fixes")
        # Two more quiet seconds: nothing may be pending.
        time.sleep(2)
        w.settle(-1, quiet=0.5, expect_rebuild=False)
        if w.status()["errors"]:
            failures.append("the archive still has errors at the end")
        samples.append((i, w.rss_kib()))
    end_rss = samples[-1][1] if samples else None
    alive = w.alive()
    if not alive:
        failures.append("dyad watch is not running at the end (exit %s)" % w.proc.returncode)

    compared = pages = locs = 0
    build_s = compare_s = 0.0
    if alive:
        out = os.path.join(work, "fresh")
        t = time.perf_counter()
        r = subprocess.run([dyad, "build", "--root", root, "--out", out, "--drafts", "--no-cache",
                            "--base-url", w.url, "--quiet"], capture_output=True, text=True, env=env)
        build_s = time.perf_counter() - t
        if r.returncode != 0:
            failures.append("the fresh build failed (%d): %s" % (r.returncode, r.stderr[-2000:]))
        else:
            t = time.perf_counter()
            compared, pages, locs, problems = compare(w, out)
            compare_s = time.perf_counter() - t
            failures += problems
            if not alive or not w.alive():
                failures.append("dyad watch died during the comparison")
    hwm = w.hwm_kib()
    w.stop()
    if w.panics and not any("panic" in f for f in failures):
        failures.append("panic: %s" % w.panics[0])

    # Figures.
    base = next((rss for n, rss in samples if n >= baseline), None)
    after = [rss for n, rss in samples if n >= baseline]
    invalid = counts.get("invalid", 0)
    log("")
    if stopped_early:
        log("STOPPED EARLY (--max-minutes): %d of the %d edits asked for" % (i, args.edits))
    log("edits: %d (%s); %d valid, %d invalid (%s); %d broken files fixed at the end" % (
        i, ", ".join("%s %d" % kv for kv in sorted(counts.items())), i - invalid, invalid,
        ", ".join("%s %d" % kv for kv in sorted(invalid_kinds.items())), final_fixes))
    log("groups: %d (%d waited for, %d of them waited for again before the error state matched); "
        "rebuilds: %d good, %d with errors" % (
            groups, settled_groups, rechecks, len(w.rebuild_ms), w.failed_rebuilds))
    if w.rebuild_ms:
        log("rebuild time (watch's own figure): median %.0f ms, p95 %.0f ms, max %.0f ms" % (
            statistics.median(w.rebuild_ms), percentile(w.rebuild_ms, 95), max(w.rebuild_ms)))
    if settle_s:
        log("edit → settled (rebuild, search index, 300 ms of quiet): median %.2f s, p95 %.2f s" % (
            statistics.median(settle_s), percentile(settle_s, 95)))
    if base and after:
        mx = max(after)
        log("RSS: after edit %d %.1f MiB; max after it %.1f MiB (%.3f×); at the end %.1f MiB (%.3f×); "
            "min after it %.1f MiB; peak (VmHWM) %s" % (
                baseline, base / 1024, mx / 1024, mx / base, end_rss / 1024, end_rss / base,
                min(after) / 1024, "%.1f MiB" % (hwm / 1024) if hwm else "?"))
        marks = sorted({min(range(len(samples)), key=lambda j: abs(samples[j][0] - q * i / 10)) for q in range(11)})
        log("RSS along the run (edits: MiB): " + ", ".join("%d: %.0f" % (samples[j][0], samples[j][1] / 1024) for j in marks))
        if mx > base * (1 + args.rss_tolerance):
            failures.append("RSS grew to %.3f× its level after edit %d" % (mx / base, baseline))
        if end_rss > base * (1 + args.rss_tolerance):
            failures.append("RSS at the end is %.3f× its level after edit %d" % (end_rss / base, baseline))
    else:
        failures.append("no RSS sample after edit %d" % baseline)
    log("fresh build: %.1f s; compared %d files (%d HTML pages, %d sitemap URLs) over HTTP in %.1f s; "
        "mismatches: %d" % (build_s, compared, pages, locs, compare_s,
                            sum(1 for f in failures if "differs" in f or "only" in f or "not built" in f or "not served" in f)))
    log("total %.0f s" % (time.perf_counter() - t_start))
    if failures:
        log("FAIL (%d):" % len(failures))
        for f in failures[:40]:
            log("  " + f)
        log("log, archive and build kept in %s" % work)
        sys.exit(1)
    log("PASS")
    if not args.keep and not args.workdir:
        watchlib.rmtree(work)


if __name__ == "__main__":
    main()
