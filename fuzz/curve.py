#!/usr/bin/env python3
"""Coverage over time from libFuzzer logs: `python3 fuzz/curve.py LOG...`.

Prints, per log, `cov` and `ft` every 10 minutes (time estimated as executions / exec/s of each
status line), the end figures, and the coverage gained over the last 10 minutes: the measure
of a plateau used in fuzz/README.md. Python standard library only.
"""
import re
import sys

STATUS = re.compile(r"#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+).*?exec/s: (\d+)")


def points(path):
    """(seconds, cov, ft, executions) of each status line; seconds = executions / exec/s."""
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            m = STATUS.match(line)
            if m and int(m.group(4)) > 0:
                n, cov, ft, eps = map(int, m.groups())
                out.append((n / eps, cov, ft, n))
    return out


def main():
    for path in sys.argv[1:]:
        pts = points(path)
        if not pts:
            continue
        marks, next_mark = [], 0
        for t, cov, ft, _ in pts:
            if t >= next_mark:
                marks.append(f"{int(t / 60)}m cov {cov} ft {ft}")
                next_mark += 600
        t, cov, ft, n = pts[-1]
        before = next(p for p in pts if p[0] >= t - 600)
        gained = cov - before[1]
        print(path, "|", "; ".join(marks),
              f"| end {t / 60:.0f}m {n} execs cov {cov} ft {ft}; "
              f"cov gained in last 10 min: {gained} ({100 * gained / cov:.2f}%)")


if __name__ == "__main__":
    main()
