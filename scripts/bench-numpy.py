#!/usr/bin/python3
"""The national benchmark written as a competent numpy user would: scripts/bench runs it beside
`inspectsim simulate` on the same scenario and machine and compares their speeds.

For each cell (fixed true rate, finite population M, sample n): K = round(rate * M) wrong records,
R hypergeometric draws of the count X in one vectorised call (in chunks, so memory stays bounded),
np.bincount of X, then every per-replicate quantity (coverage, width, misses, mean share) as a dot
product of the histogram with interval tables over x = 0..n. Only the scenario keys that
bench-national.toml uses are read (title, seed, confidence, methods, cells with population,
true_rate and sample).

usage: scripts/bench-numpy.py SCENARIO REPLICATES
prints one JSON line: seconds and cpu_seconds (wall and CPU time of the simulation only: after
reading the file and tabulating the intervals, which scipy users would get in milliseconds),
replicates, points and the mean coverage per method, so the two programs can be checked against
each other.
"""
import json
import math
import sys
import time
import tomllib

import numpy as np

CHUNK = 1 << 20  # draws per vectorised call


def z_quantile(p):
    """Upper-tail standard normal quantile z with P(Z > z) = p, by bisection on erfc."""
    lo, hi = 0.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(mid / math.sqrt(2)) > p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def ibeta(a, b, x):
    """Regularised incomplete beta I_x(a, b): the continued fraction of Abramowitz and Stegun
    26.5.8, evaluated by the modified Lentz method, on the side where it converges fast."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):
        return 1.0 - ibeta(b, a, 1 - x)
    log_front = a * math.log(x) + b * math.log1p(-x) - math.log(a) - (
        math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    tiny = 1e-300
    f, c, d = 1.0, 1.0, 0.0
    for i in range(0, 400):
        m = i // 2
        if i == 0:
            num = 1.0
        elif i % 2 == 0:
            num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + num / c
        c = c if abs(c) > tiny else tiny
        f *= c * d
        if abs(1.0 - c * d) < 1e-15:
            break
    return math.exp(log_front) * (f - 1.0)


def beta_quantile(a, b, p):
    lo, hi = 0.0, 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if ibeta(a, b, mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def interval_table(method, n, confidence):
    """Two-sided bounds for x = 0..n, as in inspectsim's interval.hpp (clipped to [0, 1])."""
    a = (1 - confidence) / 2
    z = z_quantile(a)
    x = np.arange(n + 1, dtype=float)
    p = x / n
    if method == "wald":
        h = z * np.sqrt(p * (1 - p) / n)
        lo, hi = p - h, p + h
    elif method == "wilson":
        centre = 2 * x + z * z
        half = z * np.sqrt(z * z + 4 * x * (1 - p))
        lo, hi = (centre - half) / (2 * (n + z * z)), (centre + half) / (2 * (n + z * z))
    elif method == "agresti-coull":
        nt = n + z * z
        pt = (x + z * z / 2) / nt
        h = z * np.sqrt(pt * (1 - pt) / nt)
        lo, hi = pt - h, pt + h
    elif method == "clopper-pearson":
        lo = np.array([0.0 if k == 0 else beta_quantile(k, n - k + 1, a) for k in range(n + 1)])
        hi = np.array([1.0 if k == n else beta_quantile(k + 1, n - k, 1 - a) for k in range(n + 1)])
    elif method == "jeffreys":
        lo = np.array([0.0 if k == 0 else beta_quantile(k + 0.5, n - k + 0.5, a) for k in range(n + 1)])
        hi = np.array([1.0 if k == n else beta_quantile(k + 0.5, n - k + 0.5, 1 - a) for k in range(n + 1)])
    else:
        raise SystemExit(f"bench-numpy: method {method!r} is not implemented here")
    return np.clip(lo, 0, 1), np.clip(hi, 0, 1)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: bench-numpy.py SCENARIO REPLICATES")
    with open(sys.argv[1], "rb") as f:
        spec = tomllib.load(f)
    replicates = int(sys.argv[2])
    confidence = spec.get("confidence", 0.95)
    methods = spec.get("methods", ["wilson", "clopper-pearson", "jeffreys"])
    rng = np.random.default_rng(spec.get("seed", 20180419))

    cells = spec["cell"]
    # Interval tables first and untimed: scipy would make them in milliseconds, and only the
    # simulation is being compared.
    tables = {(method, cell["sample"]): None for cell in cells for method in methods}
    for method, n in tables:
        tables[(method, n)] = interval_table(method, n, confidence)

    start = time.perf_counter()
    start_cpu = time.process_time()
    coverage = {m: 0.0 for m in methods}
    for cell in cells:
        m_pop, rate, n = cell["population"], cell["true_rate"], cell["sample"]
        k = math.floor(rate * m_pop + 0.5)
        truth = k / m_pop
        counts = np.zeros(n + 1, dtype=np.int64)
        left = replicates
        while left > 0:
            size = min(left, CHUNK)
            counts += np.bincount(rng.hypergeometric(k, m_pop - k, n, size=size), minlength=n + 1)
            left -= size
        share = np.arange(n + 1) / n
        mean = counts @ share / replicates
        sd = math.sqrt(counts @ (share - mean) ** 2 / replicates)
        result = {"mean": mean, "sd": sd}
        for method in methods:
            lo, hi = tables[(method, n)]
            covered = counts @ ((lo <= truth) & (truth <= hi)) / replicates
            result[method] = {"coverage": covered,
                              "width": counts @ (hi - lo) / replicates,
                              "below": counts @ (hi < truth) / replicates,
                              "above": counts @ (lo > truth) / replicates}
            coverage[method] += covered / len(cells)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - start_cpu
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "replicates": replicates, "points": len(cells),
                      "mean_coverage": coverage}))


if __name__ == "__main__":
    main()
