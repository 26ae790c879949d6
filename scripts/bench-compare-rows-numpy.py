#!/usr/bin/python3
"""`inspectsim compare` on a very large results file, written as a competent pandas/numpy user would
(#12): scripts/bench (BENCH_PART=compare-rows) runs it beside `inspectsim compare FILE --shrinkage
empirical --draws D --format csv` on the same generated file, both timed as whole commands (reading,
computing, writing).

Per row: the Wilson interval, the exact binomial funnel limits about the group's pooled rate at 95%
and 99.8% (quantiles from the cumulative pmf, every row at once), and a method-of-moments
beta-binomial shrunk mean per group. Per (inspection, category) group: D draws of every force's
Jeffreys posterior, ranks by argsort, P(worst), P(worst 3), mean rank and the equal-tailed rank
interval. Per force and category: each change between consecutive inspections with Newcombe's
hybrid score interval. Per force and inspection, and per inspection: D draws of the
sample-size-weighted share of wrong records, and its two equal-tailed quantiles. The peer does less
than inspectsim: no maximum-likelihood fit, no shrunk-posterior quantiles, no test of each change,
no interpolation of the funnel limits; its time is a lower bound for the same work in numpy.

usage: scripts/bench-compare-rows-numpy.py FILE DRAWS OUT.csv
prints one JSON line: rows, groups, draws and the mean P(worst) of the first group's forces.
"""
import json
import sys

import numpy as np
import pandas as pd

Z = 1.959963984540054  # the 97.5% normal quantile
CHUNK = 1 << 22  # variates per vectorised call


def wilson(x, n, z=Z):
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def binomial_quantile(n, p, q):
    """Smallest k with P(Binomial(n, p) <= k) >= q, for arrays n (ints) and p."""
    top = int(n.max())
    k = np.arange(top + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = np.log(p)[:, None]
        logq = np.log1p(-p)[:, None]
    lgam = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, top + 1)))])
    nn = n[:, None]
    logpmf = lgam[n][:, None] - lgam[k][None, :] - lgam[np.clip(nn - k, 0, top)] + k * logp + (nn - k) * logq
    pmf = np.where(k[None, :] <= nn, np.exp(np.nan_to_num(logpmf, nan=-np.inf)), 0.0)
    cdf = np.cumsum(pmf, axis=1)
    return np.minimum((cdf < q - 1e-12).sum(axis=1), n)


def ranks(rng, a, b, draws):
    """a, b: (groups, forces) Jeffreys shapes of equally sized groups -> rank summaries per force."""
    groups, units = a.shape
    counts = np.zeros((groups, units, units), dtype=np.int64)
    step = max(1, CHUNK // (groups * units))
    for done in range(0, draws, step):
        m = min(step, draws - done)
        rate = rng.beta(a, b, size=(m, groups, units))
        order = np.argsort(-rate, axis=2, kind="stable")  # order[d, g, r]: the unit at rank r + 1
        flat = (np.arange(groups)[None, :, None] * units + order) * units + np.arange(units)
        counts += np.bincount(flat.ravel(), minlength=groups * units * units).reshape(groups, units, units)
    p = counts / draws
    cum = np.cumsum(p, axis=2)
    return p[:, :, 0], p[:, :, :3].sum(axis=2), p @ np.arange(1, units + 1), \
        (cum < 0.025 - 1e-12).sum(axis=2) + 1, np.minimum((cum < 0.975 - 1e-12).sum(axis=2) + 1, units)


def totals(rng, x, n, key, draws):
    """Weighted Jeffreys share of each key's rows (rows sorted by key) -> its 2.5% and 97.5% quantiles."""
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    weight = n / np.add.reduceat(n, starts)[np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(key)]))]
    shares = np.empty((draws, len(starts)))
    for d in range(draws):
        shares[d] = np.add.reduceat(rng.beta(x + 0.5, n - x + 0.5) * weight, starts)
    return np.quantile(shares, [0.025, 0.975], axis=0, method="inverted_cdf")


def main():
    path, draws, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = np.random.default_rng(20180419)
    t = pd.read_csv(path, dtype={"force": str, "inspection": str, "category": str})
    x, n = t["incorrect"].to_numpy(float), t["sampled"].to_numpy(float)
    t["estimate"] = x / n
    t["lower"], t["upper"] = wilson(x, n)

    group = t.groupby(["inspection", "category"], sort=False).ngroup().to_numpy()
    gx, gn = np.bincount(group, weights=x), np.bincount(group, weights=n)
    pooled = (gx / gn)[group]
    for level in (0.95, 0.998):
        for side, q in (("low", (1 - level) / 2), ("high", (1 + level) / 2)):
            t[f"funnel_{level}_{side}"] = binomial_quantile(n.astype(int), pooled, q) / n

    # Method-of-moments beta-binomial per group (mean pooled, spread from the rates' variance).
    size = np.bincount(group)
    var = np.bincount(group, weights=(x / n - pooled) ** 2) / np.maximum(size - 1, 1)
    within = (gx / gn) * (1 - gx / gn) / (gn / size)
    m = np.where(var > within, (gx / gn) * (1 - gx / gn) / np.maximum(var - within, 1e-12), 1e6)
    t["shrunk"] = (x + m[group] * pooled) / (n + m[group])

    order = np.argsort(group, kind="stable")
    t["p_worst"] = np.nan
    first_p = None
    for units in np.unique(size):
        members = np.flatnonzero(size == units)
        rows = order[np.isin(group[order], members)].reshape(len(members), units)
        pw, p3, mean, lo, hi = ranks(rng, x[rows] + 0.5, n[rows] - x[rows] + 0.5, draws)
        t.loc[rows.ravel(), "p_worst"] = pw.ravel()
        t.loc[rows.ravel(), "p_worst_three"] = p3.ravel()
        t.loc[rows.ravel(), "mean_rank"] = mean.ravel()
        t.loc[rows.ravel(), "rank_lower"] = lo.ravel()
        t.loc[rows.ravel(), "rank_upper"] = hi.ravel()
        if first_p is None:
            first_p = pw[0]

    # Changes: consecutive inspections of each force and category (inspection names in order).
    s = t.sort_values(["force", "category", "inspection"], kind="stable")
    same = (s["force"].to_numpy()[1:] == s["force"].to_numpy()[:-1]) & \
        (s["category"].to_numpy()[1:] == s["category"].to_numpy()[:-1])
    p, lo, hi = (s[c].to_numpy() for c in ("estimate", "lower", "upper"))
    d = p[1:] - p[:-1]
    changes = pd.DataFrame({
        "force": s["force"].to_numpy()[1:], "category": s["category"].to_numpy()[1:],
        "from": s["inspection"].to_numpy()[:-1], "to": s["inspection"].to_numpy()[1:], "difference": d,
        "lower": d - np.sqrt((p[1:] - lo[1:]) ** 2 + (hi[:-1] - p[:-1]) ** 2),
        "upper": d + np.sqrt((hi[1:] - p[1:]) ** 2 + (p[:-1] - lo[:-1]) ** 2)})[same]

    s = t.sort_values(["force", "inspection"], kind="stable")
    key = s.groupby(["force", "inspection"], sort=False).ngroup().to_numpy()
    force_totals = totals(rng, s["incorrect"].to_numpy(float), s["sampled"].to_numpy(float), key, draws)
    s = t.sort_values(["inspection"], kind="stable")
    key = s.groupby(["inspection"], sort=False).ngroup().to_numpy()
    national = totals(rng, s["incorrect"].to_numpy(float), s["sampled"].to_numpy(float), key, draws)

    with open(out, "w", newline="") as f:
        t.to_csv(f, index=False)
        changes.to_csv(f, index=False)
        pd.DataFrame(force_totals.T, columns=["lower", "upper"]).to_csv(f, index=False)
        pd.DataFrame(national.T, columns=["lower", "upper"]).to_csv(f, index=False)
    print(json.dumps({"rows": len(t), "groups": int(group.max()) + 1, "draws": draws,
                      "changes": len(changes), "totals": force_totals.shape[1] + national.shape[1],
                      "p_worst_first_group": [round(float(v), 5) for v in first_p]}))


if __name__ == "__main__":
    main()
