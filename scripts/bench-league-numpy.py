#!/usr/bin/python3
"""`inspectsim simulate`'s league table written as a competent numpy user would (#13): scripts/bench
(BENCH_PART=league) runs it beside `inspectsim simulate scenarios/national-league.toml` on one thread.

The same work: for R replicates, a binomial draw of every member's count (a chunk of replicates x
members in one call), each replicate's shares ranked with shared ties (rank 1 = the highest share;
tied members share the better rank: an argsort, then each run of equal shares takes its first
place, as scipy.stats.rankdata(method="min") does), and the same tallies: each member's rank
histogram (np.bincount), P(the truly worst ranked worst), the largest true rank among the ranked
worst (for P(among the true worst k)), Spearman's correlation of observed with true ranks per
replicate, and the mean absolute rank error.

usage: scripts/bench-league-numpy.py SCENARIO REPLICATES
prints one JSON line: seconds and cpu_seconds (wall and CPU time of the draws and tallies, after
reading the file), and the figures, a check that both programs estimate the same thing.
"""
import json
import sys
import time
import tomllib

import numpy as np

CHUNK = 1 << 14  # replicates per vectorised call


def min_ranks(values):
    """Rank 1 for the largest value of each row, ties sharing the better rank."""
    rows, k = values.shape
    order = np.argsort(-values, axis=1, kind="stable")
    ordered = np.take_along_axis(values, order, axis=1)
    start = np.ones((rows, k), dtype=bool)
    start[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(start, np.arange(k), 0), axis=1)
    ranks = np.empty((rows, k), dtype=np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    return ranks


def main():
    path, replicates = sys.argv[1], int(sys.argv[2])
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    cells = doc["cell"]
    league = doc["league"][0]
    members = [c for c in cells if c["category"] == league["category"]]
    n = np.array([c["sample"] for c in members], dtype=np.int64)
    p = np.array([c["true_rate"] for c in members])
    k = len(members)
    true_rank = min_ranks(p[None, :])[0]
    truly_worst = true_rank == 1
    t_centred = true_rank - true_rank.mean()
    t_norm = np.sqrt((t_centred ** 2).sum())
    rng = np.random.default_rng(doc.get("seed", 1))

    start, cpu = time.perf_counter(), time.process_time()
    hist = np.zeros(k * k, dtype=np.int64)
    worst_true = np.zeros(k + 1, dtype=np.int64)
    true_worst_first = 0
    rho_sum = rho2_sum = 0.0
    abs_error = 0
    done = 0
    while done < replicates:
        m = min(CHUNK, replicates - done)
        x = rng.binomial(n, p, size=(m, k))
        ranks = min_ranks(x / n)
        hist += np.bincount((np.arange(k) * k + ranks - 1).ravel(), minlength=k * k)
        first = ranks == 1
        true_worst_first += int(np.any(first & truly_worst, axis=1).sum())
        worst_true += np.bincount(np.where(first, true_rank, 0).max(axis=1), minlength=k + 1)
        o_centred = ranks - ranks.mean(axis=1, keepdims=True)
        o_norm = np.sqrt((o_centred ** 2).sum(axis=1))
        rho = np.where(o_norm > 0, (o_centred @ t_centred) / np.where(o_norm > 0, o_norm, 1) / t_norm, 0.0)
        rho_sum += rho.sum()
        rho2_sum += (rho ** 2).sum()
        abs_error += int(np.abs(ranks - true_rank).sum())
        done += m
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu

    within = np.cumsum(worst_true)
    print(json.dumps({
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "replicates": replicates,
        "members": k,
        "p_ranked_worst": (hist.reshape(k, k)[:, 0] / replicates).tolist(),
        "p_true_worst_ranked_worst": true_worst_first / replicates,
        "top": {str(t): within[t] / replicates for t in league.get("top", [1, 3])},
        "spearman": rho_sum / replicates,
        "mean_abs_rank_error": abs_error / replicates / k,
    }))


if __name__ == "__main__":
    main()
