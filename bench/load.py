#!/usr/bin/env python3
"""Load test of the `dyad watch` server: wrk's clients fetch pages while edits rebuild them.

    bench/load.py [--abstracts 10000] [--connections 200] [--threads 2] [--duration 30]
                  [--targets 20] [--dyad PATH] [--keep]

Generates an archive (as bench/soak.py does), writes version markers into --targets works
(`TMARK<k>x<n>y` at the end of the title, `BMARK<k>x<m>y` at the end of the body) and starts
`dyad watch --port 0` on it. Then, for --duration seconds, at the same time:

  - wrk (Debian's /usr/bin/wrk) with --connections connections on --threads threads fetches
    every HTML page of the site in turn (the list from /__dyad/files), the target works' pages
    several times over; a Lua script counts every response other than 200;
  - an editor rewrites one target work every 50–400 ms: a new body version (the cheap
    bodies-only rebuild) or, one time in three, new title and body versions (a full rebuild:
    listing pages change too), recording each (title, body) pair before writing it;
  - four checkers fetch the target works' pages, the home page and the target works' sphere
    pages over and over and check each response is one complete version: status 200, a body
    as long as its Content-Length, ending with `</html>`, exactly one live-reload script;
    every marker of a work on the page carries the same version number; on a work's own page
    the (title, body) pair is one the editor wrote; and no page goes back to an older version
    than one already seen.

Afterwards every target page must show the last versions written. Prints wrk's requests/s,
latency percentiles and errors, the edits and rebuilds made during the run, the pages checked
and the torn ones. Exits 1 on any non-200 response, socket error (connect, read, write,
timeout) or torn page. Python standard library only (plus wrk).
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import watchlib
from watchlib import Watch

LUA = r"""
-- Rotates over the paths in the file given after `--`; counts responses other than 200.
local threads = {}
local paths = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  counter = (id or 1) * 104729
  non200 = 0
  codes = ""
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if #codes < 200 then codes = codes .. status .. " " end
  end
end

function done(summary, latency, requests)
  local bad, codes_all = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("non200")
    codes_all = codes_all .. t:get("codes")
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "non200": %d, "codes": "%s", ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, bad, codes_all,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""

TITLE = re.compile(rb"TMARK(\d+)x(\d+)y")
BODY = re.compile(rb"BMARK(\d+)x(\d+)y")


def log(*a):
    print(*a, flush=True)


class Target:
    def __init__(self, k, rel, fm, body, url):
        self.k, self.rel, self.url = k, rel, url
        self.fm, self.body = fm, body  # without markers
        self.t = self.b = 0
        self.allowed = {(0, 0)}
        self.lock = threading.Lock()

    def text(self):
        fm = []
        for line in self.fm:
            if line.startswith("title:"):
                title = line[6:].strip()
                if title.startswith('"'):
                    title = json.loads(title)
                line = "title: " + json.dumps("%s TMARK%dx%dy" % (title, self.k, self.t), ensure_ascii=False)
            fm.append(line)
        return "---\n" + "\n".join(fm) + "\n---\n" + self.body.rstrip("\n") + "\n\nVersion BMARK%dx%dy of this abstract.\n" % (self.k, self.b)


def pick_targets(root, n, rng):
    base = os.path.join(root, "content", "abstracts")
    cands = []
    for d, _, files in os.walk(base):
        for f in sorted(files):
            if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.md", f):
                cands.append(os.path.join(d, f))
    cands.sort()
    rng.shuffle(cands)
    out = []
    for p in cands:
        text = open(p, encoding="utf-8").read()
        end = text.index("\n---\n", 3)
        fm, body = text[4:end].split("\n"), text[end + 5:]
        if any(l.startswith("slug:") or l.startswith("draft:") for l in fm):
            continue
        out.append((p, fm, body))
        if len(out) == n:
            break
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--abstracts", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--connections", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--duration", type=int, default=30, help="seconds")
    ap.add_argument("--timeout", default="10s", help="wrk's socket timeout (a slower response is an error)")
    ap.add_argument("--targets", type=int, default=20)
    ap.add_argument("--checkers", type=int, default=4)
    ap.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    ap.add_argument("--dyad", default=None)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(args.wrk):
        sys.exit("wrk not found (apt-get install wrk)")
    dyad = watchlib.find_dyad(args.dyad)
    work = args.workdir or tempfile.mkdtemp(prefix="dyad-load-")
    os.makedirs(work, exist_ok=True)
    root = os.path.join(work, "archive")
    env = dict(os.environ, DYAD_CACHE_DIR=os.path.join(work, "cache"))
    env.pop("DYAD_LOG", None)
    rng = random.Random(args.seed)
    log("load: %d connections, %d wrk threads, %d s, %d abstracts, %s; work folder %s" % (
        args.connections, args.threads, args.duration, args.abstracts, dyad, work))
    watchlib.make_archive(args.abstracts, args.seed, root, log)

    picked = pick_targets(root, args.targets, rng)
    targets = []
    for k, (p, fm, body) in enumerate(picked):
        stem = os.path.basename(p)[:-3]
        t = Target(k, p, fm, body, "abstracts/%s/index.html" % stem)
        with open(p, "w", encoding="utf-8") as f:
            f.write(t.text())
        targets.append(t)

    w = Watch(dyad, root, os.path.join(work, "watch.log"), env=env)
    w.settle(-1, expect_rebuild=False)
    _, _, body = w.get("/__dyad/files")
    files = json.loads(body)
    pages = [f for f in files if f.endswith(".html")]
    for t in targets:
        if t.url not in pages:
            sys.exit("target page %s is not served" % t.url)
    # Pages that show target works besides their own: the home page and their sphere pages.
    check_urls = [t.url for t in targets] + ["index.html"]
    for t in targets:
        sph = next((l for l in t.fm if l.startswith("spheres:")), "")
        for s in re.findall(r"[a-z-]+", sph.split(":", 1)[1])[:1]:
            u = "spheres/%s/index.html" % s
            if u in pages and u not in check_urls:
                check_urls.append(u)
    paths_file = os.path.join(work, "paths.txt")
    with open(paths_file, "w") as f:
        rotation = [w.file_path(p) for p in pages] + [w.file_path(u) for u in check_urls] * 20
        random.Random(args.seed).shuffle(rotation)
        f.write("\n".join(rotation) + "\n")
    lua = os.path.join(work, "rotate.lua")
    with open(lua, "w") as f:
        f.write(LUA)
    log("watch: %d pages (%d in the rotation) served at %s after %.1f s; RSS %.0f MiB" % (
        len(pages), len(rotation), w.url, w.start_s, w.rss_kib() / 1024))

    stop = threading.Event()
    torn, checked, markers, fetch_errors = [], [0], [0], []
    edits = [0, 0]  # bodies only, titles and bodies
    lock = threading.Lock()

    def editor():
        r = random.Random(args.seed + 1)
        while not stop.is_set():
            t = r.choice(targets)
            with t.lock:
                if r.random() < 1 / 3:
                    t.t += 1
                    edits[1] += 1
                else:
                    edits[0] += 1
                t.b += 1
                t.allowed.add((t.t, t.b))
                text = t.text()
            with open(t.rel, "w", encoding="utf-8") as f:
                f.write(text)
            stop.wait(r.uniform(0.05, 0.4))

    by_url = {t.url: t for t in targets}

    def checker(n):
        r = random.Random(args.seed * 100 + n)
        conn = None
        seen = {}  # (url, k) → (t, b) last seen
        while not stop.is_set():
            url = r.choice(check_urls)
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(w.host, w.port, timeout=60)
                conn.request("GET", w.file_path(url))
                resp = conn.getresponse()
                body = resp.read()
                status, clen = resp.status, resp.getheader("Content-Length")
            except (http.client.HTTPException, OSError) as e:
                with lock:
                    fetch_errors.append("%s: %r" % (url, e))
                if conn:
                    conn.close()
                conn = None
                continue
            problems = []
            if status != 200:
                problems.append("status %d" % status)
            if clen is not None and int(clen) != len(body):
                problems.append("Content-Length %s but %d bytes" % (clen, len(body)))
            if not body.rstrip().endswith(b"</html>"):
                problems.append("does not end with </html>: %r" % body[-80:])
            if body.count(watchlib.SNIPPET) != 1:
                problems.append("%d live scripts" % body.count(watchlib.SNIPPET))
            versions = {}
            for which, rx in (("t", TITLE), ("b", BODY)):
                found = {}
                for k, v in rx.findall(body):
                    found.setdefault(int(k), set()).add(int(v))
                for k, vs in found.items():
                    if len(vs) > 1:
                        problems.append("work %d: %s markers of versions %s on one page" % (k, which, sorted(vs)))
                    versions.setdefault(k, {})[which] = max(vs)
            own = by_url.get(url)
            if own is not None:
                v = versions.get(own.k, {})
                pair = (v.get("t"), v.get("b"))
                if None in pair:
                    problems.append("work %d: its own page lacks a marker (%s)" % (own.k, pair))
                with own.lock:
                    ok = pair in own.allowed
                if not ok:
                    problems.append("work %d: (title, body) versions %s were never written together" % (own.k, pair))
            for k, v in versions.items():
                last = seen.get((url, k))
                now = (v.get("t", -1), v.get("b", -1))
                if last and (now[0] < last[0] or now[1] < last[1]):
                    problems.append("work %d went back from versions %s to %s" % (k, last, now))
                seen[(url, k)] = (max(now[0], last[0]) if last else now[0], max(now[1], last[1]) if last else now[1])
            with lock:
                checked[0] += 1
                markers[0] += sum(len(v) for v in versions.values())
                if problems:
                    torn.append("%s: %s" % (url, "; ".join(problems)))

    builds_before = w.status()["build"]
    good_before, failed_before = len(w.rebuild_ms), w.failed_rebuilds
    rss = [w.rss_kib()]

    def sample_rss():
        while not stop.is_set():
            v = w.rss_kib()
            if v:
                rss.append(v)
            stop.wait(0.5)

    workers = [threading.Thread(target=editor, daemon=True), threading.Thread(target=sample_rss, daemon=True)] + \
        [threading.Thread(target=checker, args=(n,), daemon=True) for n in range(args.checkers)]
    for th in workers:
        th.start()
    wrk = subprocess.run([args.wrk, "-c", str(args.connections), "-t", str(args.threads), "-d", "%ds" % args.duration,
                          "--timeout", args.timeout, "--latency", "-s", lua, w.url, "--", paths_file],
                         capture_output=True, text=True)
    stop.set()
    for th in workers:
        th.join(timeout=60)
    rebuilds = len(w.rebuild_ms) - good_before
    failed = w.failed_rebuilds - failed_before
    ms = w.rebuild_ms[good_before:]
    builds = w.status()["build"] - builds_before

    failures = []
    # The last versions must be served once the edits stop.
    w.settle(-1, quiet=0.5, expect_rebuild=False)
    for t in targets:
        st, _, body = w.get(w.file_path(t.url))
        tv = {int(v) for k, v in TITLE.findall(body) if int(k) == t.k}
        bv = {int(v) for k, v in BODY.findall(body) if int(k) == t.k}
        if tv != {t.t} or bv != {t.b}:
            failures.append("work %d: served versions %s/%s after the edits, last written %d/%d" % (
                t.k, sorted(tv), sorted(bv), t.t, t.b))
    alive = w.alive()
    w.stop()
    if not alive:
        failures.append("dyad watch died")
    if w.panics:
        failures.append("panic: %s" % w.panics[0])

    m = re.search(r"^WRKJSON (.*)$", wrk.stdout, re.M)
    if wrk.returncode != 0 or not m:
        failures.append("wrk failed (%d): %s %s" % (wrk.returncode, wrk.stdout[-1500:], wrk.stderr[-1500:]))
        s = None
    else:
        s = json.loads(m.group(1))
    log("")
    if s:
        secs = s["duration_us"] / 1e6
        sock = s["connect"] + s["read"] + s["write"] + s["timeout"]
        log("wrk: %d requests in %.1f s = %.0f requests/s, %.1f MB/s; latency p50 %.1f ms, p90 %.1f ms, "
            "p99 %.1f ms, max %.1f ms" % (s["requests"], secs, s["requests"] / secs, s["bytes"] / secs / 1e6,
                                          s["p50"] / 1e3, s["p90"] / 1e3, s["p99"] / 1e3, s["max"] / 1e3))
        log("wrk errors: %d responses other than 200%s; socket errors: connect %d, read %d, write %d, timeout %d" % (
            s["non200"], " (%s)" % s["codes"].strip() if s["codes"] else "", s["connect"], s["read"], s["write"],
            s["timeout"]))
        if s["non200"]:
            failures.append("%d responses other than 200" % s["non200"])
        if sock:
            failures.append("%d socket errors" % sock)
        if s["requests"] == 0:
            failures.append("wrk made no requests")
    log("edits during the run: %d (%d bodies only, %d titles and bodies); rebuilds: %d published, "
        "%d with errors; rebuild time median %s ms, max %s ms" % (
            sum(edits), edits[0], edits[1], rebuilds, failed,
            "%.0f" % statistics.median(ms) if ms else "-", max(ms) if ms else "-"))
    log("checkers: %d pages fetched (%d URLs: %d target works, the home page, %d sphere pages; %d version "
        "markers checked); torn: %d; fetch errors: %d" % (
            checked[0], len(check_urls), len(targets), len(check_urls) - len(targets) - 1, markers[0],
            len(torn), len(fetch_errors)))
    log("watch RSS during the run: %.0f–%.0f MiB" % (min(rss) / 1024, max(rss) / 1024))
    if failed:
        failures.append("%d rebuilds failed" % failed)
    if builds == 0 or sum(edits) == 0:
        failures.append("no rebuild happened during the run")
    failures += ["torn: " + t for t in torn[:20]]
    failures += ["fetch error: " + e for e in fetch_errors[:10]]
    if checked[0] == 0:
        failures.append("the checkers fetched nothing")
    if failures:
        log("FAIL (%d):" % len(failures))
        for f in failures[:40]:
            log("  " + f)
        log("kept %s" % work)
        sys.exit(1)
    log("PASS")
    if not args.keep and not args.workdir:
        watchlib.rmtree(work)


if __name__ == "__main__":
    main()
