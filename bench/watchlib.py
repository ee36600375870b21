"""What bench/soak.py and bench/load.py share: finding the binary, making an archive, running
`dyad watch` and talking to it. Python standard library only."""

import http.client
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared", "bench")

# What `dyad watch` adds to every HTML page it serves (src/watch/server.rs, SNIPPET): one
# script tag right before the last `</body>` (compared case-insensitively), or at the end of a
# page without one. Everything else is served exactly as `dyad build` writes it.
SNIPPET = b'<script src="/__dyad/live.js"></script>'


def inject(html):
    """The page as `dyad watch` serves it (server::inject, byte for byte)."""
    at = html.lower().rfind(b"</body>")
    if at < 0:
        at = len(html)
    return html[:at] + SNIPPET + html[at:]


def target_dir():
    return os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")


def find_dyad(path=None):
    """The release binary: PATH if given, else the target folder's (built if missing)."""
    if path:
        return os.path.abspath(path)
    binary = os.path.join(target_dir(), "release", "dyad")
    if not os.path.exists(binary):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "dyad"], cwd=REPO, check=True)
    return binary


def make_archive(n, seed, out, log=print):
    """A synthetic archive of `n` abstracts in `out`: ../shared/bench/gen_corpus.py when it is
    there (the shared benchmark corpus), else the repository's Rust port (examples/synth.rs)."""
    gen = os.path.join(SHARED, "gen_corpus.py")
    t = time.perf_counter()
    if os.path.exists(gen):
        cmd = [sys.executable, gen, "--abstracts", str(n), "--seed", str(seed), "--out", out, "--force"]
        what = "gen_corpus.py"
    else:
        # The release build of the example compiles every dev-dependency in release mode; the
        # debug one is already there after `cargo test` (which builds the examples).
        builds = [os.path.join(target_dir(), p, "examples", "synth") for p in ("release", "debug")]
        synth = next((b for b in builds if os.path.exists(b)), None)
        if synth is None:
            subprocess.run(["cargo", "build", "--quiet", "--example", "synth"], cwd=REPO, check=True)
            synth = builds[1]
        cmd = [synth, "--abstracts", str(n), "--seed", str(seed), "--out", out, "--force"]
        what = "examples/synth"
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log("archive: %d abstracts (seed %d, %s) in %.1f s" % (n, seed, what, time.perf_counter() - t))


def proc_status(pid, field):
    """A field of /proc/PID/status in KiB (VmRSS, VmHWM), or None once the process is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_ticks(pid):
    """User + system CPU time of the process, in clock ticks."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


class Watch:
    """`dyad watch --port 0` on an archive; its stderr is kept (and written to `log_path`)."""

    REBUILD = re.compile(r"^\d\d:\d\d:\d\d .* · (\d+) pages? re-rendered, (\d+) files? changed · (\d+) ms$")
    FAILED = re.compile(r"^\d\d:\d\d:\d\d the archive has (\d+) errors?; still serving the last good site$")

    def __init__(self, dyad, root, log_path, env=None, timeout=900):
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen([dyad, "watch", "--root", root, "--port", "0"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, env=env)
        self.pid = self.proc.pid
        self.log = open(log_path, "w", encoding="utf-8")
        self.lines = queue.Queue()
        self.rebuild_ms = []  # from the "… · N ms" lines
        self.failed_rebuilds = 0
        self.panics = []  # "panicked at" / "internal error" lines
        self.lock = threading.Lock()
        threading.Thread(target=self._pump, daemon=True).start()
        m = self._until(r"serving at (http://([\d.]+):(\d+)(/\S*))", timeout)
        self.start_s = time.perf_counter() - self.t0
        self.url, self.host, self.port, self.base = m.group(1), m.group(2), int(m.group(3)), m.group(4)
        self.local = threading.local()

    def _pump(self):
        for line in self.proc.stderr:
            self.log.write(line)
            self.log.flush()
            line = line.rstrip("\n")
            with self.lock:
                m = self.REBUILD.match(line)
                if m:
                    self.rebuild_ms.append(int(m.group(3)))
                elif self.FAILED.match(line):
                    self.failed_rebuilds += 1
                if "panicked at" in line or "internal error" in line:
                    self.panics.append(line)
            self.lines.put(line)

    def _until(self, pattern, timeout):
        deadline = time.time() + timeout
        seen = []
        while time.time() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            seen.append(line)
            m = re.search(pattern, line)
            if m:
                return m
        sys.exit("dyad watch: did not see %r; its output ended with:\n%s" % (pattern, "\n".join(seen[-30:])))

    def alive(self):
        return self.proc.poll() is None

    def rss_kib(self):
        return proc_status(self.pid, "VmRSS")

    def hwm_kib(self):
        return proc_status(self.pid, "VmHWM")

    # ------------------------------------------------------------------ HTTP

    def conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.local.conn = c
        return c

    def get(self, path):
        """(status, headers, body) of GET path (keep-alive; one retry on a dropped connection)."""
        for attempt in (0, 1):
            c = self.conn()
            try:
                c.request("GET", path)
                r = c.getresponse()
                body = r.read()
                return r.status, {k.lower(): v for k, v in r.getheaders()}, body
            except (http.client.HTTPException, OSError):
                c.close()
                self.local.conn = None
                if attempt:
                    raise

    def status(self):
        import json
        _, _, body = self.get("/__dyad/status")
        return json.loads(body)

    def file_path(self, rel):
        return self.base + urllib.parse.quote(rel)

    def settle(self, before, quiet=0.3, timeout=600, expect_rebuild=True):
        """Waits until the rebuild after an edit made when the counter was `before` is over:
        the counter has moved (when `expect_rebuild`), then neither it nor the process's CPU
        time moved for `quiet` seconds (which covers the search indexer, a thread that runs
        after the rebuild is published). Returns the seconds waited, or None on timeout."""
        t0 = time.perf_counter()
        build = self.status()["build"]
        moved = build != before or not expect_rebuild
        since = time.perf_counter()
        cpu = [(since, cpu_ticks(self.pid))]
        while time.perf_counter() - t0 < timeout:
            time.sleep(0.05)
            if not self.alive():
                return None
            now = time.perf_counter()
            b = self.status()["build"]
            ticks = cpu_ticks(self.pid)
            cpu.append((now, ticks))
            if b != build:
                build, since, moved = b, now, True
            if not moved:
                if now - t0 > 30:  # an edit that rebuilt nothing visible: settle anyway
                    moved, since = True, now
                continue
            # CPU used over the last `quiet` seconds: at most 2 ticks (the status requests).
            old = [c for t, c in cpu if now - t >= quiet]
            if now - since >= quiet and old and ticks is not None and ticks - old[-1] <= 2:
                return now - t0
            cpu = cpu[-200:]
        return None

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def tree(root):
    """Every file under root: relative path (with /) → absolute path."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            out[os.path.relpath(p, root).replace(os.sep, "/")] = p
    return out


def rmtree(p):
    shutil.rmtree(p, ignore_errors=True)


def percentile(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    i = min(len(xs) - 1, max(0, int(round(q / 100.0 * (len(xs) - 1)))))
    return xs[i]
