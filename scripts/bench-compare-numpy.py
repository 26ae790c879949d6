#!/usr/bin/python3
"""`inspectsim compare`'s Monte Carlo written as a competent numpy user would: scripts/bench runs it
beside `inspectsim compare FILE --shrinkage empirical` (Jeffreys ranks) on the same file and machine.

The same draws and summaries: for each (inspection, category) group, D draws of every force's
Jeffreys posterior Beta(x + 1/2, n - x + 1/2) at once (a chunk of draws x forces in one call),
argsort of each draw's rates, the rank counts by np.bincount, then P(worst), P(worst 3), mean rank
and the equal-tailed rank interval; for each force and inspection, and for each inspection across
forces, D draws of the sample-size-weighted share of wrong records across its categories and the
two equal-tailed quantiles (np.quantile, method="inverted_cdf", as inspectsim's definition).

usage: scripts/bench-compare-numpy.py FILE DRAWS
prints one JSON line: seconds and cpu_seconds (wall and CPU time of the draws and summaries, after
reading the CSV), draws, groups, totals and the first group's P(worst) for each force, a check that
both programs estimate the same thing.
"""
import csv
import json
import sys
import time

import numpy as np

CHUNK = 1 << 16  # draws per vectorised call


def ranks(rng, x, n, draws, confidence=0.95):
    units = len(x)
    a, b = x + 0.5, n - x + 0.5
    counts = np.zeros(units * units, dtype=np.int64)
    done = 0
    while done < draws:
        m = min(CHUNK, draws - done)
        rate = rng.beta(a, b, size=(m, units))
        order = np.argsort(-rate, axis=1, kind="stable")  # order[d, r]: the unit at rank r + 1
        counts += np.bincount((order * units + np.arange(units)).ravel(), minlength=units * units)
        done += m
    p = counts.reshape(units, units) / draws  # p[u, r]
    cum = np.cumsum(p, axis=1)
    tail = (1 - confidence) / 2
    return {
        "p_worst": p[:, 0],
        "p_worst_three": p[:, :3].sum(axis=1),
        "mean_rank": p @ np.arange(1, units + 1),
        "lower": (cum < tail - 1e-12).sum(axis=1) + 1,
        "upper": np.minimum((cum < 1 - tail - 1e-12).sum(axis=1) + 1, units),
    }


def total(rng, x, n, draws, confidence=0.95):
    w = n / n.sum()
    a, b = x + 0.5, n - x + 0.5
    shares = np.empty(draws)
    done = 0
    while done < draws:
        m = min(CHUNK, draws - done)
        shares[done:done + m] = rng.beta(a, b, size=(m, len(x))) @ w
        done += m
    tail = (1 - confidence) / 2
    return np.quantile(shares, [tail, 1 - tail], method="inverted_cdf")


def main():
    path, draws = sys.argv[1], int(sys.argv[2])
    rows = list(csv.DictReader(open(path, newline="")))
    groups, by_force, by_inspection = {}, {}, {}
    for r in rows:
        xn = (int(r["incorrect"]), int(r["sampled"]))
        groups.setdefault((r["inspection"], r["category"]), []).append(xn)
        by_force.setdefault((r["force"], r["inspection"]), []).append(xn)
        by_inspection.setdefault(r["inspection"], []).append(xn)
    rng = np.random.default_rng(20180419)
    wall, cpu = time.perf_counter(), time.process_time()
    p_worst = []
    for members in groups.values():
        x, n = (np.array(v, dtype=float) for v in zip(*members))
        p_worst.extend(ranks(rng, x, n, draws)["p_worst"])
    for members in list(by_force.values()) + list(by_inspection.values()):
        x, n = (np.array(v, dtype=float) for v in zip(*members))
        total(rng, x, n, draws)
    print(json.dumps({
        "seconds": time.perf_counter() - wall,
        "cpu_seconds": time.process_time() - cpu,
        "draws": draws,
        "groups": len(groups),
        "totals": len(by_force) + len(by_inspection),
        "p_worst_first_group": [round(float(v), 5) for v in p_worst[:len(next(iter(groups.values())))]],
    }))


if __name__ == "__main__":
    main()
