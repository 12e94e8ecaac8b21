#!/usr/bin/python3
"""Reference values for test/stats/mannwhitney.test.ts, from SciPy itself.

Run from the repository root with Debian's SciPy (not the pyenv python3 on PATH):

    apt-get install -y python3-scipy
    /usr/bin/python3 test/data/scipy/make_reference.py > test/data/scipy/cases.json

For each case it stores the samples as numbers (so the TypeScript tests need no generator of
their own), numpy's default percentiles of each sample, and what
`scipy.stats.mannwhitneyu(after, before, alternative=..., method=...)` returns for every
alternative and method ('exact' only where SciPy's own exact recurrence is practical).
The samples come from a fixed numpy seed, so rerunning gives the same file.
"""
import json
import platform
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.stats import _mannwhitneyu as mwu_module

rng = np.random.RandomState(20261127)


def lognormal_ms(median, p95, n, decimals):
    """Log-normal latencies with the given median and p95, rounded to `decimals`."""
    sigma = np.log(p95 / median) / 1.6448536269514722
    return np.round(rng.lognormal(np.log(median), sigma, n), decimals)


def unique(values, n):
    """n distinct values from a generator of arrays (exact tests assume no ties)."""
    out = []
    seen = set()
    while len(out) < n:
        for v in values():
            if v not in seen:
                seen.add(v)
                out.append(float(v))
            if len(out) == n:
                break
    return out


def distinct_pair(make_after, n_after, make_before, n_before):
    """Two samples with no value repeated anywhere in the pool (exact tests assume no ties)."""
    after = unique(make_after, n_after)
    taken = set(after)
    before = []
    while len(before) < n_before:
        for v in make_before():
            v = float(v)
            if v not in taken:
                taken.add(v)
                before.append(v)
            if len(before) == n_before:
                break
    return after, before


def just_above(before, ranks):
    """After values just above the given 0-based ranks of before: U is known in advance.
    before has 3 decimals; adding 0.0005 can never land on one of its values."""
    s = sorted(before)
    return [s[r] + 0.0005 for r in ranks]


cases = []


def case(name, after, before, exact=True, note=""):
    cases.append(dict(name=name, note=note, after=[float(v) for v in after], before=[float(v) for v in before], exact=exact))


# The worked example in SciPy's own docstring (Shier 2004): tiny, no ties.
case("shier-example", [19, 22, 16, 29, 24], [20, 11, 17, 12], note="SciPy docstring example; auto -> exact")
case("one-vs-one", [5.0], [3.0], note="smallest possible input")
a, b = distinct_pair(lambda: lognormal_ms(1180, 2410, 20, 1), 7, lambda: lognormal_ms(1180, 2410, 20, 1), 6)
case("tiny-7v6-no-ties", a, b, note="auto -> exact")
case("tiny-ties-6v5", [3, 5, 5, 7, 9, 9], [2, 3, 5, 6, 6], note="ties: auto -> asymptotic; exact truncates U (which has a half)")
a, b = distinct_pair(lambda: lognormal_ms(1620, 3210, 40, 2), 8, lambda: lognormal_ms(1180, 2410, 80, 2), 30)
case("8v30-no-ties", a, b, note="one side <= 8, no ties: auto -> exact")
a, b = distinct_pair(lambda: lognormal_ms(1180, 2410, 80, 2), 30, lambda: lognormal_ms(1180, 2410, 40, 2), 8)
case("30v8-no-ties-null", a, b, note="the small side is before; same distribution")
a, b = distinct_pair(lambda: lognormal_ms(1300, 2600, 40, 2), 9, lambda: lognormal_ms(1180, 2410, 40, 2), 9)
case("9v9-no-ties", a, b, note="both sides > 8: auto -> asymptotic")
b = unique(lambda: lognormal_ms(1180, 2410, 3000, 3), 3000)
case("3v3000-slow-after", just_above(b, [2600, 2970, 2999]), b,
     note="extreme imbalance, after among the slowest: auto -> exact, small p")
b = unique(lambda: lognormal_ms(1180, 2410, 1000, 3), 1000)
case("3v1000-middle", just_above(b, [400, 550, 700]), b,
     note="extreme imbalance, U near the middle of its distribution: auto -> exact, p near 0.3")
case("seed-like-200v200-ms", lognormal_ms(1620, 3210, 200, 0), lognormal_ms(1180, 2410, 200, 0), exact=False,
     note="scenario 5 shape in whole milliseconds: many ties, asymptotic")
case("null-300v250-ms", lognormal_ms(1180, 2410, 300, 0), lognormal_ms(1180, 2410, 250, 0), exact=False,
     note="same distribution, whole milliseconds")
case("constant", [100.0] * 12, [100.0] * 10, note="one value everywhere: no variance, p = 1")
a, b = distinct_pair(lambda: lognormal_ms(1250, 2500, 100, 2), 40, lambda: lognormal_ms(1180, 2410, 100, 2), 50)
case("40v50-no-ties", a, b, note="exact forced on moderate sizes")

alternatives = ["two-sided", "greater", "less"]
sys.setrecursionlimit(100000)

out_cases = []
for c in cases:
    x = np.array(c["after"])
    y = np.array(c["before"])
    xy = np.concatenate([x, y])
    methods = ["auto", "asymptotic"] + (["exact"] if c["exact"] else [])
    results = []
    for alt in alternatives:
        for m in methods:
            r = stats.mannwhitneyu(x, y, alternative=alt, method=m)
            results.append(dict(alternative=alt, method=m, statistic=float(r.statistic), pvalue=float(r.pvalue)))
    chosen = mwu_module._mwu_choose_method(len(x), len(y), xy, "auto")
    pct = lambda v: {k: float(np.percentile(v, q)) for k, q in (("p50", 50), ("p95", 95), ("p99", 99))}
    out_cases.append(dict(name=c["name"], note=c["note"], autoMethod=chosen,
                          percentiles=dict(after=pct(x), before=pct(y)),
                          results=results, after=c["after"], before=c["before"]))

json.dump(dict(
    made_by="/usr/bin/python3 test/data/scipy/make_reference.py > test/data/scipy/cases.json",
    call="scipy.stats.mannwhitneyu(after, before, alternative=alternative, method=method)",
    percentiles="numpy.percentile(sample, q) with the default method ('linear')",
    scipy=scipy.__version__, numpy=np.__version__, python=platform.python_version(),
    source="Debian package python3-scipy",
    cases=out_cases,
), sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
