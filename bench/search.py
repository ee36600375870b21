#!/usr/bin/env python3
"""What search costs: index build time and bytes, and time to first result in headless Chromium.

    bench/search.py [--abstracts 10000] [--runs 5] [--dyad PATH] [--queries 12]

On an archive made by ../shared/bench/gen_corpus.py (English, Russian and Kazakh abstracts):

  build     `dyad build` into a fresh folder (i) with an empty search-index cache, so every
            shard is indexed ("cold"; the reference memo, which shares the cache folder but
            is not search, is kept warm), and (ii) with every shard in the cache ("warm", what a
            rebuild after a template or settings change costs), alternately, --runs times
            each; medians. The difference is what indexing adds to a build; DYAD_LOG=debug's
            own figure for the indexer (which runs beside rendering) is printed too, and
            one build from nothing (both caches empty: a first build).
  bytes     the size of pagefind/ (files, bytes, bytes per 1,000 abstracts), and what a
            search page fetches for its first query.
  latency   the site served on loopback (by `dyad watch`, from memory like a production
            server; or --server python: the built folder by python's http.server, which is
            slower, one thread per connection); headless Chromium
            (chromium + chromedriver, spoken to over WebDriver's HTTP protocol) opens /search/
            and, for each query, types it into the box the way a keyboard does (value set,
            `input` event) and times, in the page, from that event to the first result on
            screen (search.js records both moments). "first query" is the first search of a freshly loaded page (issued once
            the page has loaded its index and filters; the words' index chunks are not
            loaded yet); "next queries" are later searches. The page's load (navigation to
            searchable, and to filters drawn) is printed too. The page's typing debounce (search.js DEBOUNCE_MS)
            is included in these figures and also printed on its own.

Python standard library only.
"""

import argparse
import functools
import http.server
import json
import os
import shutil
import socket
import socketserver
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared", "bench")
HOME = os.environ.get("BENCH_HOME", "/tmp/dyad-bench")

QUERIES = [
    "pipeline", "gas transit", "customs union", "migration", "nazarbayev", "baikonur",
    "energy security", "трубопровод", "нефти", "интеграции", "тіл", "education",
    "caspian", "uranium", "sanctions", "language policy",
]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wd(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())["value"]
    except urllib.error.HTTPError as e:
        sys.exit(f"WebDriver {method} {path}: {e.read().decode()[:600]}")


def run_build(dyad, arch, out, cache, debug=False):
    env = dict(os.environ, DYAD_CACHE_DIR=cache)
    if debug:
        env["DYAD_LOG"] = "debug"
    t = time.perf_counter()
    p = subprocess.run([dyad, "build", "--root", arch, "--out", out, "--quiet"], env=env,
                       capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit("dyad build failed:\n" + p.stderr[-2000:])
    indexer = None
    for line in p.stderr.splitlines():
        if "search index, beside rendering" in line:
            indexer = float(line.rsplit(":", 1)[1].split()[0])
    return wall, indexer


def tree_size(d):
    files = total = 0
    for root, _, names in os.walk(d):
        for n in names:
            files += 1
            total += os.path.getsize(os.path.join(root, n))
    return files, total


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


# In the page: issue the query as a keyboard would, resolve with the ms until results show.
TIME_QUERY = """
const [q, done] = [arguments[0], arguments[arguments.length - 1]];
const form = document.getElementById('search');
const box = document.getElementById('q');
const check = () => {
  const t = window.dyadSearchTiming;
  if (form.dataset.state === 'done' && t && t.query === q) done(t);
  else setTimeout(check, 2);
};
box.value = q;
box.dispatchEvent(new Event('input', {bubbles: true}));
check();
"""


# In the page: wait until the search index and the filters have loaded; the times (ms from
# navigation start) when each was ready.
READY = """
const done = arguments[arguments.length - 1];
const form = document.getElementById('search');
let searchable = null;
const check = () => {
  if (searchable === null && form.dataset.state === 'idle') searchable = performance.now();
  if (form.dataset.filters === 'ready') done([searchable ?? performance.now(), performance.now()]);
  else setTimeout(check, 2);
};
check();
"""


class Keepalive(Quiet):
    protocol_version = "HTTP/1.1"


def debounce_ms():
    with open(os.path.join(REPO, "static", "search.js")) as f:
        for line in f:
            if line.startswith("const DEBOUNCE_MS"):
                return int(line.split("=")[1].strip(" ;\n"))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--abstracts", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--queries", type=int, default=12)
    ap.add_argument("--server", choices=["watch", "python"], default="watch",
                    help="serve the site with `dyad watch` (default) or python's http.server")
    ap.add_argument("--dyad", default=os.path.join(REPO, "target", "release", "dyad"))
    args = ap.parse_args()
    dyad = os.path.realpath(args.dyad)
    if not os.path.exists(dyad):
        sys.exit(f"no dyad binary at {dyad}: cargo build --release")
    os.makedirs(HOME, exist_ok=True)
    arch = os.path.join(HOME, f"search-archive-{args.abstracts}")
    if not os.path.isdir(arch):
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), "--abstracts",
                        str(args.abstracts), "--out", arch, "--force"], check=True,
                       stdout=subprocess.DEVNULL)
    runs = os.path.join(HOME, "search-runs")
    shutil.rmtree(runs, ignore_errors=True)
    os.makedirs(runs)
    warm_cache = os.path.join(runs, "cache-warm")
    run_build(dyad, arch, os.path.join(runs, "warmup"), warm_cache)

    # The cache folder also memoizes formatted references (references-*.bin, see
    # src/cite/memo.rs), which are not search: a "cold" search build starts with those, so
    # the difference from a warm build is the indexing alone. One build from nothing at all
    # (both empty) is timed too, as the cost of a first build.
    memo = [f for f in os.listdir(warm_cache) if f.startswith("references-")]
    cold, warm, indexer = [], [], []
    for k in range(args.runs):
        cache = os.path.join(runs, f"cache-cold-{k}")
        os.makedirs(cache)
        for f in memo:
            shutil.copy(os.path.join(warm_cache, f), cache)
        w, ix = run_build(dyad, arch, os.path.join(runs, f"cold-{k}"), cache, debug=True)
        cold.append(w)
        indexer.append(ix)
        w, _ = run_build(dyad, arch, os.path.join(runs, f"warm-{k}"), warm_cache)
        warm.append(w)
    scratch, _ = run_build(dyad, arch, os.path.join(runs, "scratch"),
                           os.path.join(runs, "cache-scratch"))
    site = os.path.join(runs, "warm-0")
    files, size = tree_size(os.path.join(site, "pagefind"))
    c, wm, ix = statistics.median(cold), statistics.median(warm), statistics.median(indexer)
    print(f"archive: {args.abstracts} abstracts ({arch})")
    print(f"build, cold (every shard indexed):   {c:6.2f} s  (median of {args.runs})")
    print(f"build, warm (every shard cached):    {wm:6.2f} s")
    print(f"indexing adds: {c - wm:.2f} s = {100 * (c - wm) / wm:.0f}% of the warm build "
          f"(the indexer itself, beside rendering: {ix:.2f} s)")
    print(f"build from nothing (search index and reference memo both empty): {scratch:.2f} s "
          f"= {100 * (scratch - wm) / wm:.0f}% more than warm")
    print(f"index: {files} files, {size / 1e6:.1f} MB; per 1,000 abstracts: "
          f"{size / args.abstracts * 1000 / 1e6:.2f} MB, {files / args.abstracts * 1000:.0f} files")
    for k in range(args.runs):
        for d in (f"cold-{k}", f"warm-{k}" if k else None, f"cache-cold-{k}"):
            if d:
                shutil.rmtree(os.path.join(runs, d), ignore_errors=True)
    shutil.rmtree(os.path.join(runs, "scratch"), ignore_errors=True)

    chrome = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chrome or not driver:
        print("latency: skipped (needs Debian's chromium and chromium-driver)")
        return
    # The site was built for archive.yaml's base_url; serve it at its base path.
    base_path = "/"
    with open(os.path.join(arch, "archive.yaml")) as f:
        for line in f:
            if line.startswith("base_url:"):
                url = line.split(":", 1)[1].strip().strip("\"'")
                rest = url.split("://", 1)[1]
                base_path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    watch = None
    if args.server == "python":
        port = free_port()
        root = site
        if base_path != "/":
            # Serve the site under its base path: a folder with a link to it.
            root = os.path.join(runs, "served")
            os.makedirs(os.path.join(root, os.path.dirname(base_path.strip("/"))), exist_ok=True)
            os.symlink(site, os.path.join(root, base_path.strip("/")))
        httpd = socketserver.ThreadingTCPServer(
            ("127.0.0.1", port), functools.partial(Keepalive, directory=root))
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    else:
        # `dyad watch` serves the same pages and search index from memory (axum), as a
        # production web server would; its base path is the archive folder's name.
        port = free_port()
        watch = subprocess.Popen([dyad, "watch", "--root", arch, "--port", str(port)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                 env=dict(os.environ, DYAD_CACHE_DIR=warm_cache))
        for line in watch.stderr:
            if "serving at" in line:
                base_path = "/" + line.split("serving at ", 1)[1].split()[0].split("/", 3)[3]
                break
        threading.Thread(target=lambda: [None for _ in watch.stderr], daemon=True).start()
    dport = free_port()
    dproc = subprocess.Popen([driver, f"--port={dport}"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        dbase = f"http://127.0.0.1:{dport}"
        for _ in range(200):
            try:
                urllib.request.urlopen(dbase + "/status", timeout=1)
                break
            except Exception:
                time.sleep(0.05)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": chrome, "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            "--window-size=1100,900"]}}}}
        sess = wd(dbase, "POST", "/session", caps)
        sid = sess["sessionId"]
        s = f"/session/{sid}"
        wd(dbase, "POST", s + "/timeouts", {"script": 60000})
        page = f"http://127.0.0.1:{port}{base_path}search/"
        queries = (QUERIES * 4)[: args.queries]
        firsts, nexts, found, split, loads = [], [], [], [], []
        for i, q in enumerate(queries):
            # A fresh page for every "first query": nothing loaded yet (HTTP cache aside).
            wd(dbase, "POST", s + "/url", {"url": page})
            ready = wd(dbase, "POST", s + "/execute/async", {"script": READY, "args": []})
            loads.append(ready)
            r = wd(dbase, "POST", s + "/execute/async", {"script": TIME_QUERY, "args": [q]})
            firsts.append(r["ms"])
            nq = queries[(i + 1) % len(queries)]
            r2 = wd(dbase, "POST", s + "/execute/async", {"script": TIME_QUERY, "args": [nq]})
            nexts.append(r2["ms"])
            split.append((r2["search"], r2["data"]))
            found.append(r["total"])
        debounce = debounce_ms()
        wd(dbase, "DELETE", s)
        med = statistics.median
        print(f"latency, {len(queries)} queries, query issued → first result on screen "
              f"(including the {debounce} ms typing debounce):")
        print(f"page load (navigation → searchable / → filters drawn): median "
              f"{med([a for a, _ in loads]):.0f} ms / {med([b for _, b in loads]):.0f} ms")
        print(f"  first query of a fresh page: median {med(firsts):.0f} ms "
              f"(min {min(firsts):.0f}, max {max(firsts):.0f}); "
              f"without the debounce {med(firsts) - debounce:.0f} ms")
        print(f"  next queries:                median {med(nexts):.0f} ms "
              f"(min {min(nexts):.0f}, max {max(nexts):.0f}); "
              f"without the debounce {med(nexts) - debounce:.0f} ms")
        print(f"  of which, next queries: searching {med([a for a, _ in split]):.0f} ms, "
              f"loading the first page's data {med([b for _, b in split]):.0f} ms (medians)")
        print(f"  results per query: median {med(found):.0f}")
    finally:
        dproc.kill()
        if watch:
            watch.kill()


if __name__ == "__main__":
    main()
