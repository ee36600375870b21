#!/usr/bin/env python3
"""Coverage over time from libFuzzer logs: `python3 fuzz/curve.py LOG...`.

Prints, per log, `cov` and `ft` every 10 minutes (time estimated as executions / exec/s of each
status line), the end figures, and the coverage gained over the last 10 minutes: the measure
of a plateau used in fuzz/README.md. Python standard library only.
"""
import re,sys
# cov over (estimated) time from a libFuzzer log: execs / exec/s gives seconds
for f in sys.argv[1:]:
    pts=[]
    for line in open(f, errors='replace'):
        m=re.match(r'#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+).*?exec/s: (\d+)', line)
        if m and int(m.group(4))>0:
            n,cov,ft,eps=map(int,m.groups()); pts.append((n/eps,cov,ft,n))
    if not pts: continue
    out=[]; mark=0
    for t,c,ft,n in pts:
        if t>=mark: out.append(f"{int(t/60)}m cov {c} ft {ft}"); mark+=600
    t,c,ft,n=pts[-1]
    last10=[p for p in pts if p[0]>=t-600]
    print(f, '|', '; '.join(out), f'| end {t/60:.0f}m {n} execs cov {c} ft {ft}; cov gained in last 10 min: {c-last10[0][1]} ({100*(c-last10[0][1])/c:.2f}%)')
