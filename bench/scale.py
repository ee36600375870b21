#!/usr/bin/env python3
"""How `dyad build` grows with the archive: each stage's time at several sizes, the growth
exponent between sizes, and an estimate for a larger archive.

    bench/scale.py [--sizes 1000 10000 100000] [--runs 1] [--estimate 1000000]
                   [--dyad target/release/dyad] [--home /tmp/dyad-bench] [--max-exponent X]

Archives come from ../shared/bench/gen_corpus.py (seed 1) into HOME/archive-N (the same ones
compare.sh uses, so Hugo's figures from compare.sh are on the same archives), generated once
and kept; without ../shared (a clean clone), from examples/synth.rs into HOME/synth-N. Each size gets an untimed warm-up build (which fills the caches, as an editor's
machine has them), then RUNS timed builds with DYAD_LOG=debug, each into a fresh folder; all
output folders are deleted only at the end (creating many files right after deleting a large
tree is much slower on this kind of file system and would time the disk, not dyad).

For each stage dyad logs, the table gives its wall time per size (the median run) and the
exponent k of t ~ n^k between consecutive sizes: about 1 is linear, 2 would be quadratic.
Stages far below the run's noise (under 50 ms) have no exponent. The estimate extrapolates
each stage from the two largest sizes with its own exponent (never below 1), and memory and
output size the same way. With --max-exponent, exits 1 when a stage of at least 0.2 s grows
faster than that between the two largest sizes (a smoke check of the "nothing quadratic"
promise; timings are noisy, so keep the bound loose, e.g. 1.6).
"""

import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")
STAGE = re.compile(r"^debug: (.*): ([0-9.]+) s(?:, RSS (\d+) MB \(peak (\d+) MB\))?$")


def archive(home, n):
    """The shared generator's archive of n abstracts; where ../shared is missing (a clean
    clone in CI), the same layout from this repo's port of it, examples/synth.rs."""
    if os.path.isfile(GEN):
        path = os.path.join(home, f"archive-{n}")
        cmd = [sys.executable, GEN]
    else:
        path = os.path.join(home, f"synth-{n}")
        # The debug build: `cargo test` has built it, a release one would build every
        # dev-dependency again.
        cmd = ["cargo", "run", "--quiet", "--locked", "--example", "synth", "--"]
    if not os.path.isfile(os.path.join(path, "archive.yaml")):
        cmd += ["--abstracts", str(n), "--seed", "1", "--out", path, "--force"]
        subprocess.run(cmd, check=True, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def tree(path):
    files = html = size = 0
    for root, _, names in os.walk(path):
        for name in names:
            files += 1
            html += name.endswith(".html")
            size += os.path.getsize(os.path.join(root, name))
    return files, html, size


def build(dyad, root, out):
    env = dict(os.environ, DYAD_LOG="debug")
    t0 = time.monotonic()
    before = os.times()
    p = subprocess.run(
        [dyad, "build", "--root", root, "--out", out],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.monotonic() - t0
    after = os.times()
    if p.returncode != 0:
        sys.exit(f"dyad build of {root} failed:\n{p.stderr[-2000:]}")
    stages = {}
    peak = 0
    for line in p.stderr.splitlines():
        m = STAGE.match(line)
        if m:
            name = m.group(1)
            # "search index, beside rendering (0 shards indexed, 4 from the cache)" → one name.
            name = re.sub(r" \(.*\)$", "", name)
            stages[name] = stages.get(name, 0.0) + float(m.group(2))
            if m.group(4):
                peak = max(peak, int(m.group(4)))
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall": wall, "cpu": cpu, "stages": stages, "peak_mb": peak}


def exponent(n1, t1, n2, t2):
    if t1 < 0.05 or t2 < 0.05:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def short(n):
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--estimate", type=int, default=1_000_000)
    ap.add_argument("--dyad", default=os.path.join(REPO, "target", "release", "dyad"))
    ap.add_argument("--home", default=os.environ.get("BENCH_HOME", "/tmp/dyad-bench"))
    ap.add_argument("--max-exponent", type=float, default=None)
    ap.add_argument(
        "--no-warmup",
        action="store_true",
        help="skip the untimed first build (when the caches are already warm)",
    )
    args = ap.parse_args()
    sizes = sorted(set(args.sizes))
    dyad = os.path.abspath(args.dyad)
    os.makedirs(args.home, exist_ok=True)
    runs_dir = tempfile.mkdtemp(prefix="scale-", dir=args.home)
    results = {}
    try:
        for n in sizes:
            root = archive(args.home, n)
            if not args.no_warmup:
                build(dyad, root, os.path.join(runs_dir, f"{n}-warm"))
            rs = [build(dyad, root, os.path.join(runs_dir, f"{n}-{k}")) for k in range(args.runs)]
            r = sorted(rs, key=lambda r: r["wall"])[len(rs) // 2]
            r["files"], r["html"], r["bytes"] = tree(os.path.join(runs_dir, f"{n}-0"))
            results[n] = r
            print(
                f"n={n}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, peak RSS {r['peak_mb']} MB, "
                f"{r['files']:,} files ({r['html']:,} HTML), {r['bytes'] / 1e6:,.0f} MB",
                flush=True,
            )
    finally:
        shutil.rmtree(runs_dir, ignore_errors=True)

    names = []
    for n in sizes:
        for s in results[n]["stages"]:
            if s not in names:
                names.append(s)
    print()
    head = "stage".ljust(34) + "".join(f"{n:>10,}" for n in sizes)
    head += "".join(f"{'k ' + short(a) + '→' + short(b):>13}" for a, b in zip(sizes, sizes[1:]))
    big = len(sizes) >= 2
    if big:
        head += f"{'est. ' + short(args.estimate):>13}"
    print(head)
    worst = None
    a, b = (sizes[-2], sizes[-1]) if big else (None, None)
    total_est = 0.0
    for s in names + ["total (wall)"]:
        ts = [
            results[n]["wall"] if s == "total (wall)" else results[n]["stages"].get(s, 0.0)
            for n in sizes
        ]
        line = s[:33].ljust(34) + "".join(f"{t:10.3f}" for t in ts)
        for (n1, t1), (n2, t2) in zip(zip(sizes, ts), zip(sizes[1:], ts[1:])):
            k = exponent(n1, t1, n2, t2)
            line += f"{k:13.2f}" if k is not None else "            –"
        if big:
            ta, tb = ts[-2], ts[-1]
            k = exponent(a, ta, b, tb)
            est = tb * (args.estimate / b) ** max(1.0, k if k is not None else 1.0)
            if s != "total (wall)":
                total_est += est
                if k is not None and tb >= 0.2 and (worst is None or k > worst[1]):
                    worst = (s, k)
            line += f"{(est if s != 'total (wall)' else total_est):13.1f}"
        print(line)
    if big:
        def grow(key):
            # Linear in the increment (a fixed base plus a cost per abstract), from the two
            # largest sizes.
            va, vb = results[a][key], results[b][key]
            return vb + (vb - va) * (args.estimate - b) / (b - a), (vb - va) / (b - a)

        mem, per_mem = grow("peak_mb")
        out, per_out = grow("bytes")
        files, per_file = grow("files")
        print(
            f"\nestimate for {args.estimate:,} abstracts: about {total_est / 60:.0f} min wall "
            f"(sum of the stages), peak RSS about {mem / 1000:.1f} GB "
            f"({per_mem * 1000:.1f} KB per abstract), output about {out / 1e9:.0f} GB "
            f"({per_out / 1e3:.1f} KB per abstract) in {files / 1e6:.1f} M files "
            f"({per_file:.1f} per abstract)"
        )
        if worst:
            print(f"fastest-growing stage of at least 0.2 s: {worst[0]} (k={worst[1]:.2f})")
        if args.max_exponent is not None and worst and worst[1] > args.max_exponent:
            print(f"FAIL: {worst[0]} grows as n^{worst[1]:.2f} > n^{args.max_exponent}")
            sys.exit(1)


if __name__ == "__main__":
    main()
