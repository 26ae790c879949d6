#!/usr/bin/python3
"""scenarios/bench-complex.toml written as a straightforward numpy user would (#12): scripts/bench
(BENCH_PART=complex) runs it beside `inspectsim simulate` on the same file, class by class.

Per cell, R replicates in vectorised chunks: inspector error draws the true count
X ~ Binomial(n, p) and the flags Binomial(X, se) + Binomial(n - X, 1 - sp); clusters draw each
unit's rate from Beta(p (1 - icc) / icc, (1 - p)(1 - icc) / icc) and its count from a binomial
(units of n // k or n // k + 1 records, as inspectsim splits them); a Beta truth draws T ~ Beta(a, b)
and X ~ Binomial(n, T). Coverage is looked up in interval tables over x = 0..n (the tables of
scripts/bench-numpy.py, built before the clock starts): against the fixed truth from the histogram
of X, against each replicate's own T for a Beta truth.

usage: scripts/bench-complex-numpy.py SCENARIO REPLICATES [CATEGORY]
prints one JSON line: seconds and cpu_seconds of the simulation, and the mean coverage per method
(over the cells simulated), a check that both programs estimate the same thing.
"""
import importlib.util
import json
import pathlib
import sys
import time
import tomllib

import numpy as np

_spec = importlib.util.spec_from_file_location("bench_numpy", pathlib.Path(__file__).with_name("bench-numpy.py"))
bench_numpy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_numpy)

CHUNK = 1 << 18


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit("usage: bench-complex-numpy.py SCENARIO REPLICATES [CATEGORY]")
    with open(sys.argv[1], "rb") as f:
        spec = tomllib.load(f)
    replicates = int(sys.argv[2])
    cells = [c for c in spec["cell"] if len(sys.argv) == 3 or c["category"] == sys.argv[3]]
    confidence = spec.get("confidence", 0.95)
    methods = spec["methods"]
    rng = np.random.default_rng(spec.get("seed", 1))
    tables = {(m, c["sample"]): bench_numpy.interval_table(m, c["sample"], confidence) for c in cells for m in methods}

    start, start_cpu = time.perf_counter(), time.process_time()
    coverage = {m: 0.0 for m in methods}
    for cell in cells:
        n = cell["sample"]
        covered = {m: 0.0 for m in methods}
        left = replicates
        while left > 0:
            size = min(left, CHUNK)
            left -= size
            rate = cell["true_rate"]
            if isinstance(rate, dict):  # a Beta truth: judged against each replicate's own rate
                a, b = rate["beta"]
                t = rng.beta(a, b, size=size)
                x = rng.binomial(n, t)
                for m in methods:
                    lo, hi = tables[(m, n)]
                    covered[m] += np.count_nonzero((lo[x] <= t) & (t <= hi[x]))
                continue
            if "inspector" in cell:
                se, sp = cell["inspector"]["sensitivity"], cell["inspector"]["specificity"]
                wrong = rng.binomial(n, rate, size=size)
                x = rng.binomial(wrong, se) + rng.binomial(n - wrong, 1 - sp)
            else:
                k, icc = cell["clusters"]["count"], cell["clusters"]["icc"]
                scale = (1 - icc) / icc
                sizes = [n // k + (1 if u < n % k else 0) for u in range(k)]
                x = np.zeros(size, dtype=np.int64)
                for m_u in sizes:
                    x += rng.binomial(m_u, rng.beta(rate * scale, (1 - rate) * scale, size=size))
            counts = np.bincount(x, minlength=n + 1)
            for m in methods:
                lo, hi = tables[(m, n)]
                covered[m] += counts @ ((lo <= rate) & (rate <= hi))
        for m in methods:
            coverage[m] += covered[m] / replicates / len(cells)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "replicates": replicates,
                      "points": len(cells), "mean_coverage": coverage}))


if __name__ == "__main__":
    main()
