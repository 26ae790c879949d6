"""inspectsim: how reliable are inspection figures drawn from small samples?

The same library as the ``inspectsim`` command-line program, called from Python: every figure is
computed by the C++ library, and every table is read from the library's own CSV writer, so the
numbers are the CLI's, bit for bit. Results are pandas DataFrames; each result's ``to_dict()`` is
the CLI's ``--format json`` output, parsed.

- :func:`assess`: the intervals for "X of N records wrong" (vectorised over x and n).
- :func:`compare`: which forces and inspections really differ, from a results table.
- :func:`simulate`: how reliable is an inspection design, from a scenario file.
- :func:`scenario_from_results`: published results written as a scenario for :func:`simulate`,
  "if these figures were the truth".
- :func:`plan_claim`, :func:`plan_precision`, :func:`plan_detect`, :func:`plan_scenario`:
  how many records must an inspection sample?
- :func:`report`: the self-contained HTML report of a simulate or compare result.

Bad input raises :class:`InputError` (a ``ValueError``) naming the argument. Long runs release
the GIL, stop on Ctrl-C (KeyboardInterrupt) and draw a progress bar on an interactive terminal.

>>> import inspectsim
>>> a = inspectsim.assess(9, 17)
>>> a[["method", "lower", "upper"]].round(4)
            method   lower   upper
0           wilson  0.3096  0.7383
1  clopper-pearson  0.2781  0.7702
2         jeffreys  0.3033  0.7464
"""

from __future__ import annotations

import csv
import io
import json
import math
import numbers
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _inspectsim as _core
from ._inspectsim import InputError

__all__ = [
    "InputError",
    "Assessment",
    "Comparison",
    "Simulation",
    "Plan",
    "assess",
    "compare",
    "simulate",
    "scenario_from_results",
    "plan_claim",
    "plan_precision",
    "plan_detect",
    "plan_scenario",
    "report",
    "example",
    "__version__",
]

__version__: str = _core.version()

InputError.__doc__ = """Bad input: the message names the argument, the value and what is allowed.

A subclass of ValueError. ``field`` is the keyword the message is about (None when it is about a
file's contents), ``problems`` every problem found (a scenario or CSV file is checked whole).

>>> try:
...     inspectsim.assess(9, 17, confidence=1.5)
... except inspectsim.InputError as e:
...     print(e)
confidence is 1.5, but must be strictly between 0 and 1
"""

# doctest finds only what this module defines; InputError is defined by the extension.
__test__ = {"InputError": InputError.__doc__}

PathLike = Union[str, "os.PathLike[str]"]
ArrayLike = Union[int, Sequence[int], np.ndarray, pd.Series]

_DEFAULT_SEED = 20180419  # random/rng.hpp default_seed
_MAX_POPULATION = 2147483647  # stats::max_population
_MAX_SIMULATED_SAMPLE = 100000  # simulate::max_simulated_sample
_MAX_INT64 = 2**63 - 1


# ---- Arguments ---------------------------------------------------------------------------------


def _input_error(field: Optional[str], message: str) -> InputError:
    e = InputError(message)
    e.field = field
    e.problems = (message,)
    return e


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _whole(name: str, value: Any, low: int, high: int) -> int:
    """A whole number from low to high, as the library's requests hold it."""
    ok = isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_))
    if not ok and isinstance(value, (float, np.floating)) and math.isfinite(value) and value == int(value):
        ok, value = True, int(value)
    if not ok or not (low <= int(value) <= high):
        raise _input_error(name, f"{name} is {_shown(value)}, but must be a whole number from {low} to {high}")
    return int(value)


def _real(name: str, value: Any) -> float:
    """A number; the library checks its range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise _input_error(name, f"{name} is {_shown(value)}, but must be a number")
    return float(value)


def _optional(convert: Callable[..., Any], name: str, value: Any, *args: Any) -> Any:
    return None if value is None else convert(name, value, *args)


def _names(name: str, value: Union[None, str, Iterable[str]]) -> list:
    """A name or a sequence of names."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    for item in items:
        if not isinstance(item, str):
            raise _input_error(name, f"{name} has {_shown(item)}, but must hold names (strings)")
    return items


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _input_error(name, f"{name} is {_shown(value)}, but must be a string")
    return value


def _path(name: str, value: Any) -> str:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, str) and value:
        return value
    raise _input_error(name, f"{name} is {_shown(value)}, but must be a path")


def _source(name: str, value: Any) -> Tuple[str, bool]:
    """A path, or the file's text itself (a string holding a line break)."""
    if isinstance(value, os.PathLike):
        return os.fspath(value), False
    if isinstance(value, str):
        return value, "\n" in value
    raise _input_error(name, f"{name} is {_shown(value)}, but must be a path or the file's text")


def _frame(text: str, text_columns: Sequence[str] = ()) -> pd.DataFrame:
    """A DataFrame from the library's CSV text: numbers parsed exactly (round trip), only empty
    fields missing (a force called "NA" stays "NA"), the named columns kept as text."""
    header = next(csv.reader(io.StringIO(text)), [])
    dtype = {c: str for c in text_columns if c in header}
    return pd.read_csv(
        io.StringIO(text),
        keep_default_na=False,
        na_values=[""],
        float_precision="round_trip",
        dtype=dtype,
    )


def _dataframe_csv(df: pd.DataFrame) -> str:
    """A DataFrame as a results CSV: whole numbers without a decimal point (a column with a
    missing value is float in pandas), missing values empty."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([str(c) for c in df.columns])

    def cell(v: Any) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
            return ""
        if isinstance(v, (float, np.floating)):
            return str(int(v)) if math.isfinite(v) and v == int(v) else repr(float(v))
        return str(v)

    for row in df.itertuples(index=False, name=None):
        w.writerow([cell(v) for v in row])
    return out.getvalue()


def _results_source(data: Any) -> Tuple[str, bool, str]:
    """Published results, as compare and scenario_from_results take them: (the CSV text or a
    file's path, whether it is text, the name messages give text)."""
    if isinstance(data, pd.DataFrame):
        return _dataframe_csv(data), True, "<DataFrame>"
    source, is_text = _source("data", data)
    return source, is_text, "<text>"


def _grades(value: Any) -> list:
    """Grade bands: {name: upper} in order (or a sequence of (name, upper) pairs), the last upper
    None; the library checks the bounds."""
    if value is None:
        return []
    message = ("grades must be {name: upper bound} in order, the last bound None, every band named: "
               "{'good': 0.05, 'requires improvement': 0.15, 'inadequate': None}")
    try:
        items = list(value.items()) if isinstance(value, Mapping) else [tuple(item) for item in value]
    except TypeError:
        raise _input_error("grades", message) from None
    if isinstance(value, str) or any(len(item) != 2 or not isinstance(item[0], str) or not item[0] for item in items):
        raise _input_error("grades", message)
    return [(name, None if upper is None else _real("grades", upper)) for name, upper in items]


class _Progress:
    """A progress bar on an interactive terminal (standard error), shown once a run has taken a
    second: tqdm's when tqdm is installed, else a plain one. Called with (blocks done, total)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.enabled = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        self.start = time.monotonic()
        self.bar: Any = None
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0 or time.monotonic() - self.start < 1.0:
            return
        if self.bar is None:
            try:
                from tqdm import tqdm  # optional

                self.bar = tqdm(total=total, desc=self.what, unit="block", leave=False)
            except ImportError:
                self.bar = False
        if self.bar:
            self.bar.update(done - self.bar.n)
            return
        width = 30
        share = done / total
        filled = int(share * width)
        elapsed = time.monotonic() - self.start
        eta = f"  ETA {elapsed * (1 - share) / share:.0f}s" if done else ""
        sys.stderr.write(f"\r{self.what} [{'#' * filled}{'.' * (width - filled)}] {int(100 * share)}%{eta}   ")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.bar:
            self.bar.close()
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def _budget(max_work: Optional[float], max_memory: Optional[float]) -> dict:
    return {
        "max_work": _optional(_real, "max_work", max_work),
        "max_memory": _optional(_real, "max_memory", max_memory),
    }


# ---- assess ------------------------------------------------------------------------------------


class Assessment(pd.DataFrame):
    """The intervals of :func:`assess`: one row per (x, n, method), with the columns method, x, n,
    estimate, lower, upper, lower_count, upper_count, note (missing where a value does not apply;
    the counts are the hypergeometric interval's bounds on the wrong records in the population).

    A DataFrame; besides, ``posterior`` holds the Bayesian posterior of each figure and
    ``to_dict()`` (without arguments) the CLI's JSON: a dict for one figure, a list of dicts for
    several. With arguments ``to_dict`` is pandas' own. A frame derived from this one (a
    selection, a copy) is a plain DataFrame.
    """

    _metadata = ["_results", "_scalar"]

    @property
    def _constructor(self) -> type:
        return pd.DataFrame

    def to_dict(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if args or kwargs:
            return pd.DataFrame(self).to_dict(*args, **kwargs)
        dicts = [json.loads(r.json()) for r in self._results]
        return dicts[0] if self._scalar else dicts

    @property
    def posterior(self) -> pd.DataFrame:
        """One row per figure: x, n, the prior's a and b, the posterior mean, the equal-tailed
        credible interval (lower, upper) and P(true rate > t) for each threshold t, as columns
        ``p_above_<t>``.

        >>> inspectsim.assess(9, 17, threshold=0.25).posterior.round(4)
           x   n  prior_a  prior_b    mean   lower   upper  p_above_0.25
        0  9  17      0.5      0.5  0.5278  0.3033  0.7464        0.9936
        """
        rows = []
        for r in self._results:
            j = json.loads(r.json())
            p = j["posterior"]
            row = {"x": j["x"], "n": j["n"], "prior_a": p["prior"][0], "prior_b": p["prior"][1],
                   "mean": p["mean"], "lower": p["lower"], "upper": p["upper"]}
            for e in p["exceedance"]:
                row[f"p_above_{e['threshold']:g}"] = e["probability"]
            rows.append(row)
        return pd.DataFrame(rows)


_ASSESS_COLUMNS = ["method", "x", "n", "estimate", "lower", "upper", "lower_count", "upper_count", "note"]


def assess(
    x: ArrayLike,
    n: ArrayLike,
    methods: Union[str, Sequence[str]] = ("wilson", "clopper-pearson", "jeffreys"),
    confidence: float = 0.95,
    side: str = "two-sided",
    population: Union[None, int, ArrayLike] = None,
    prior: Union[str, Tuple[float, float]] = "jeffreys",
    threshold: Union[None, float, Sequence[float]] = None,
) -> Assessment:
    """Which true error rates is "x of n records wrong" compatible with?

    The CLI's ``inspectsim assess X N``. ``x`` and ``n`` (and ``population``) may be numbers or
    array-likes of one length (a single value is repeated): one figure per position.

    Args:
        x: records found wrong, 0 <= x <= n.
        n: records sampled, 1 to 2147483647.
        methods: interval methods (names as in the CLI's --methods), a comma-separated string,
            or "all".
        confidence: strictly between 0 and 1.
        side: "two-sided", "upper" (the rate is at most U) or "lower".
        population: the n records were drawn without replacement from this many; adds the exact
            hypergeometric interval (with its bounds as counts).
        prior: the posterior's Beta prior: "jeffreys", "uniform" or (a, b).
        threshold: add P(true rate > t) to the posterior, for one t or several.

    Returns:
        An :class:`Assessment` (a DataFrame, one row per figure and method).

    >>> a = inspectsim.assess(9, 17, population=60)
    >>> a[["method", "estimate", "lower", "upper", "lower_count", "upper_count"]].round(4)
                method  estimate   lower   upper  lower_count  upper_count
    0           wilson    0.5294  0.3096  0.7383          NaN          NaN
    1  clopper-pearson    0.5294  0.2781  0.7702          NaN          NaN
    2         jeffreys    0.5294  0.3033  0.7464          NaN          NaN
    3   hypergeometric    0.5294  0.3167  0.7333         19.0         44.0
    >>> a.to_dict()["intervals"][3]["upper_count"]
    44
    >>> inspectsim.assess([0, 3], [20, 19], methods="clopper-pearson", side="upper")[["x", "n", "upper"]].round(4)
       x   n   upper
    0  0  20  0.1391
    1  3  19  0.3594
    """
    shapes = {"x": np.shape(x), "n": np.shape(n)}
    if population is not None:
        shapes["population"] = np.shape(population)
    try:
        shape = np.broadcast_shapes(*shapes.values())
    except ValueError:
        sizes = ", ".join(f"{k} has {int(np.prod(s))}" for k, s in shapes.items())
        raise _input_error(None, f"{sizes} values: they must have one length, or be single values") from None
    scalar = len(shape) == 0
    xs = np.broadcast_to(np.asarray(x, dtype=object), shape).ravel()
    ns = np.broadcast_to(np.asarray(n, dtype=object), shape).ravel()
    pops = (np.broadcast_to(np.asarray(population, dtype=object), shape).ravel() if population is not None
            else [None] * len(xs))
    def at(name: str, i: int) -> str:  # "x", or "x[2]" for the third figure of several
        return name if scalar else f"{name}[{i}]"

    def whole(name: str, i: int, v: Any, low: int, high: int, upper: str) -> int:
        try:
            return _whole(at(name, i), v, low, high)
        except InputError:
            raise _input_error(name, f"{at(name, i)} is {_shown(v)}, but must be a whole number from {low} to "
                                     f"{upper}") from None

    n_list = [whole("n", i, v, 1, _MAX_POPULATION, str(_MAX_POPULATION)) for i, v in enumerate(ns)]
    x_list = [whole("x", i, v, 0, n_list[i], f"{at('n', i)} ({n_list[i]})") for i, v in enumerate(xs)]
    pop_list = [None if v is None else whole("population", i, v, 1, _MAX_POPULATION, str(_MAX_POPULATION))
                for i, v in enumerate(pops)]
    if isinstance(prior, str):
        prior_name, prior_ab = prior, None
    else:
        try:
            a, b = prior
        except (TypeError, ValueError):
            raise _input_error("prior", f"prior is {_shown(prior)}, but must be 'jeffreys', 'uniform' or (a, b)") from None
        prior_name, prior_ab = None, (_real("prior", a), _real("prior", b))
    if threshold is None:
        thresholds = []
    elif np.ndim(threshold) == 0:
        thresholds = [_real("threshold", threshold)]
    else:
        thresholds = [_real("threshold", t) for t in threshold]
    method_text = methods if isinstance(methods, str) else ",".join(_names("methods", methods))
    results = _core.assess(x_list, n_list, pop_list, method_text, _real("confidence", confidence),
                           _text("side", side), prior_name, prior_ab, thresholds)
    texts = [r.csv() for r in results]
    # One header, then every figure's rows (the header holds no line break).
    joined = texts[0] + "".join(t.split("\n", 1)[1] for t in texts[1:]) if texts else ",".join(_ASSESS_COLUMNS) + "\n"
    frame = _frame(joined, ["method", "note", "side"])
    out = Assessment(frame[_ASSESS_COLUMNS] if len(frame.columns) else pd.DataFrame(columns=_ASSESS_COLUMNS))
    out._results = results
    out._scalar = scalar
    return out


# ---- compare -----------------------------------------------------------------------------------


class Comparison:
    """The result of :func:`compare`, as DataFrames (the CLI's CSV sections):

    - ``rows``: every row's interval, funnel flags, shrunk estimate and rank;
    - ``pairs``: every pair of forces in a group (with ``pairs=True``; else empty);
    - ``changes``: each force's change between consecutive inspections of a category;
    - ``totals``: each force's share wrong per inspection across categories (scope "force") and
      all forces' (scope "national");
    - ``groups``: each group's totals, overdispersion and shrinkage (hierarchical or empirical: typical rate, spread, predictive check).

    ``to_dict()`` is the CLI's JSON; :func:`report` writes its HTML report.
    """

    def __init__(self, result: Any) -> None:
        self._result = result
        text = ["group_inspection", "group_category", "force", "inspection", "category", "method", "note",
                "source", "rate_of", "a", "b", "from", "to", "verdict", "scope", "weights", "ranks_from",
                "overdispersion", "rank_intervals"]
        for section in ("rows", "pairs", "changes", "totals", "groups"):
            setattr(self, section, _frame(result.csv(section), text))

    rows: pd.DataFrame
    pairs: pd.DataFrame
    changes: pd.DataFrame
    totals: pd.DataFrame
    groups: pd.DataFrame

    def to_dict(self) -> dict:
        """The CLI's ``compare --format json`` output, parsed."""
        return json.loads(self._result.json())

    def __repr__(self) -> str:
        return (f"<inspectsim.Comparison: {len(self.rows)} rows in {len(self.groups)} groups, "
                f"{len(self.pairs)} pairs, {len(self.changes)} changes>")


def compare(
    data: Union[pd.DataFrame, PathLike],
    method: str = "wilson",
    diff_method: str = "newcombe",
    confidence: float = 0.95,
    levels: Sequence[float] = (0.95, 0.998),
    overdispersion: str = "none",
    pairs: bool = False,
    group_by: str = "inspection,category",
    rank_posterior: Optional[str] = None,
    shrinkage: str = "hierarchical",
    hyperprior: str = "albert",
    threshold: Union[None, float, Sequence[float]] = None,
    seed: Optional[int] = None,
    draws: int = 10000,
    categories: Union[None, str, Sequence[str]] = None,
    inspections: Union[None, str, Sequence[str]] = None,
    threads: Optional[int] = None,
    *,
    rank_intervals: str = "marginal",
    max_work: Optional[float] = None,
    max_memory: Optional[float] = None,
) -> Comparison:
    """Which forces and inspections really differ? The CLI's ``inspectsim compare FILE``.

    Args:
        data: published results: a DataFrame, a CSV file's path, or its text (a string holding a
            line break), with the columns force, inspection, category and sampled, incorrect
            (or rate, halfwidth, rate_of) and optionally population, source (README: compare).
        method: each row's interval (any assess method).
        diff_method: the interval for a difference: newcombe, miettinen-nurminen, agresti-caffo, wald.
        confidence: for every interval; the pairs' significance level is 1 - confidence.
        levels: funnel-plot control limits, each strictly between 0 and 1.
        overdispersion: none, multiplicative or additive.
        pairs: compare every pair of forces in each group.
        group_by: "inspection,category" or "category".
        rank_posterior: "jeffreys", "shrunk" (needs empirical shrinkage) or "hierarchical"; None: the
            shrinkage's own ("hierarchical" for hierarchical shrinkage, else "jeffreys").
        shrinkage: "hierarchical" (the full model, the default) or "empirical" (empirical Bayes).
        hyperprior: the hierarchical model's prior, "albert[,S[,A,B]]" or "bda3" (README: compare).
        threshold: also P(rate > T) under each force's shrunk posterior, for each T.
        seed: for the Monte Carlo ranks and totals (default 20180419).
        draws: Monte Carlo draws, 1 to 10000000.
        categories, inspections: keep only rows of these categories / inspections.
        threads: worker threads for the draws, 1 to 1024 (default all cores); the results do not
            depend on it.
        rank_intervals: "marginal" (each force's posterior rank interval, which holds for it alone)
            or "simultaneous" (also rank intervals that hold for all forces of a group at once,
            from Holm-adjusted Fisher tests of every pair: the columns simultaneous_rank_lower,
            simultaneous_rank_upper and worst_quarter of ``rows``, in_worst_quarter of ``groups``).
        max_work, max_memory: refuse a run estimated to need more (work units, MB; as the CLI).

    >>> c = inspectsim.compare(inspectsim.example("hmicfrs-cancelled-crimes.csv"),
    ...                        categories="other sexual offences", pairs=True)
    >>> c
    <inspectsim.Comparison: 9 rows in 3 groups, 16 pairs, 0 changes>
    >>> c.groups[["group_inspection", "rows", "sampled", "incorrect", "pooled_rate"]].round(3)
      group_inspection  rows  sampled  incorrect  pooled_rate
    0         CDI 2018     6      113         24        0.212
    1         CDI 2019     2       42          4        0.095
    2         CDI 2017     1       33          2        0.061
    >>> c.rows.loc[0, ["force", "incorrect", "sampled"]].tolist()
    ['Hampshire', 9, 17]
    >>> pair = c.pairs.loc[0]
    >>> pair["a"], pair["b"], round(pair["fisher_p"], 4), round(pair["holm_p"], 3), pair["distinguishable"]
    ('Hampshire', 'Cleveland', 0.0103, 0.134, False)
    """
    args = (*_results_source(data), _text("method", method), _text("diff_method", diff_method),
            _real("confidence", confidence), [_real("levels", v) for v in np.atleast_1d(levels)],
            _text("overdispersion", overdispersion), bool(pairs), _text("group_by", group_by),
            None if rank_posterior is None else _text("rank_posterior", rank_posterior),
            _text("rank_intervals", rank_intervals),
            _text("shrinkage", shrinkage), _text("hyperprior", hyperprior),
            [] if threshold is None else [_real("threshold", v) for v in np.atleast_1d(threshold)],
            _DEFAULT_SEED if seed is None else _whole("seed", seed, 0, _MAX_INT64),
            _whole("draws", draws, -_MAX_INT64, _MAX_INT64),
            _names("categories", categories), _names("inspections", inspections),
            _optional(_whole, "threads", threads, 1, 1024))
    # A bar on a terminal once the draws take a second; Ctrl-C stops them between blocks.
    bar = _Progress("comparing")
    try:
        result = _core.compare(*args, bar, **_budget(max_work, max_memory))
    finally:
        bar.close()
    return Comparison(result)


# ---- simulate ----------------------------------------------------------------------------------


class Simulation:
    """The result of :func:`simulate`:

    - ``points``: one row per cell point and interval method (the CLI's CSV columns);
    - ``comparisons``: one row per comparison: how often its test declares a difference;
    - ``leagues``: one row per league member (the CLI's ``--csv-section leagues``): its true rate and
      rank, P(ranked worst) with its Monte Carlo SE and exact value, and its mean observed rank;
    - ``provenance``: version, seed, replicates, scenario (as given) and sha256 (of its bytes).

    ``to_dict()`` is the CLI's JSON (with grade probabilities and count distributions);
    :func:`report` writes its HTML report.
    """

    def __init__(self, result: Any) -> None:
        self._result = result
        self.points: pd.DataFrame = _frame(result.csv("points"),
                                           ["force", "category", "truth", "method", "correct_grade"])
        self.comparisons: pd.DataFrame = _frame(result.csv("comparisons"), ["name", "method", "declares"])
        self.leagues: pd.DataFrame = _frame(result.csv("leagues"), ["league", "ties", "force", "category"])
        self.provenance: dict = result.provenance()

    def to_dict(self) -> dict:
        """The CLI's ``simulate --format json`` output, parsed."""
        return json.loads(self._result.json())

    def __repr__(self) -> str:
        p = self.provenance
        return (f"<inspectsim.Simulation: {self.points['point'].nunique() if len(self.points) else 0} points, "
                f"{len(self.comparisons)} comparisons, seed {p['seed']}, {p['replicates']} replicates>")


def simulate(
    scenario: PathLike,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    max_work: Optional[float] = None,
    max_memory: Optional[float] = None,
    checkpoint: Optional[PathLike] = None,
    checkpoint_interval: float = 60.0,
) -> Simulation:
    """How reliable is an inspection design? The CLI's ``inspectsim simulate FILE``.

    Args:
        scenario: a scenario file's path, or its TOML text (a string holding a line break).
        replicates: per cell point (default: the file's, else 100000).
        seed: 0 to 2**63 - 1 (default: the file's, else 20180419).
        threads: worker threads, 1 to 1024 (default all cores); the results do not depend on it.
        max_work, max_memory: refuse a run estimated to need more (work units, MB; as the CLI).
        checkpoint: a file to keep the run's progress in (as the CLI's ``--checkpoint``): written
            every ``checkpoint_interval`` seconds (0: after every block) and on Ctrl-C; the same
            call made again resumes from it and returns exactly what an uninterrupted run returns.
            Removed once the result is returned; a checkpoint of another run is refused.

    Ctrl-C stops the run between blocks and raises KeyboardInterrupt; nothing is returned (with
    ``checkpoint``, the progress so far is saved first).

    >>> s = inspectsim.simulate(inspectsim.example("zero-errors-audit.toml"), replicates=20000)
    >>> s
    <inspectsim.Simulation: 4 points, 0 comparisons, seed 20, 20000 replicates>
    >>> s.points.groupby("point")["p_none_found"].first().round(3).tolist()   # simulated
    [0.665, 0.365, 0.123, 0.041]
    >>> [round(p["exact_count_distribution"][0], 3) for p in s.to_dict()["points"]]   # (1 - p)^20
    [0.668, 0.358, 0.122, 0.039]
    >>> s.provenance["replicates"], s.provenance["seed"] == s.to_dict()["seed"]
    (20000, True)
    """
    source, is_text = _source("scenario", scenario)
    bar = _Progress("simulating")
    try:
        result = _core.simulate(
            source, is_text, "<text>", _optional(_whole, "replicates", replicates, 1, _MAX_INT64),
            _optional(_whole, "seed", seed, 0, _MAX_INT64), _optional(_whole, "threads", threads, 1, 1024), bar,
            **_budget(max_work, max_memory), checkpoint="" if checkpoint is None else _path("checkpoint", checkpoint),
            checkpoint_interval=_real("checkpoint_interval", checkpoint_interval))
    finally:
        bar.close()
    return Simulation(result)


def scenario_from_results(
    data: Union[pd.DataFrame, PathLike],
    truth: str = "observed",
    sample: Optional[int] = None,
    grades: Union[None, Mapping[str, Optional[float]], Sequence[Tuple[str, Optional[float]]]] = None,
    hyperprior: str = "albert",
    seed: Optional[int] = None,
    replicates: Optional[int] = None,
) -> str:
    """If the published figures were the truth: published results written as a scenario's TOML
    text, for :func:`simulate`. The CLI's ``inspectsim simulate --from-results FILE --emit-scenario``.

    One cell per row (true rate the row's share wrong, or its posterior mean; the published
    sample; the row's population) and one league per (inspection, category) group of two or more
    forces; with more than one inspection each category is prefixed with it ("CDI 2018: rape").

    Args:
        data: published results as :func:`compare` takes them: a DataFrame, a CSV file's path, or
            its text (a string holding a line break).
        truth: "observed" (each row's share X / N) or "shrunk" (each force's posterior mean under
            its group's hierarchical model; rows of groups too small for it keep X / N).
        sample: the re-inspection's records per cell, 1 to 100000, at most each row's population;
            None: each row's published sample.
        grades: grade bands {name: upper bound} in order, the last bound None (it takes every share
            above), e.g. {"good": 0.05, "requires improvement": 0.15, "inadequate": None}; or a
            sequence of (name, upper) pairs. None: no grading.
        hyperprior: with truth="shrunk", the hierarchical model's prior, as :func:`compare` takes it.
        seed: the scenario's seed, 0 to 2**63 - 1 (default 20180419).
        replicates: the scenario's replicates per cell (default 100000; :func:`simulate`'s
            ``replicates`` overrides it).

    >>> toml = inspectsim.scenario_from_results(inspectsim.example("hmicfrs-cancelled-crimes.csv"))
    >>> toml.count("[[cell]]"), toml.count("[[league]]")
    (32, 9)
    >>> s = inspectsim.simulate(toml, replicates=4096)
    >>> worst = s.leagues[s.leagues.league == "CDI 2018: other sexual offences"].set_index("force")
    >>> worst.loc[["Hampshire", "Humberside"], ["true_rate", "true_rank", "p_ranked_worst", "p_ranked_worst_exact"]].round(4)
                true_rate  true_rank  p_ranked_worst  p_ranked_worst_exact
    force
    Hampshire      0.5294          1          0.7903                0.7918
    Humberside     0.4000          2          0.2073                0.2055
    """
    args = (*_results_source(data), _text("truth", truth),
            _optional(_whole, "sample", sample, 1, _MAX_SIMULATED_SAMPLE), _grades(grades),
            _text("hyperprior", hyperprior), _optional(_whole, "seed", seed, 0, _MAX_INT64),
            _optional(_whole, "replicates", replicates, 1, _MAX_INT64))
    return _core.scenario_from_results(*args)


# ---- plan --------------------------------------------------------------------------------------


class Plan:
    """The answer of a ``plan_*`` function, from the CLI's CSV for the same request:

    - ``answer``: a one-row DataFrame, the request and the answer (the columns that do not vary);
    - the table around the answer, under the name the JSON gives it: ``operating_characteristic``
      (plan_claim), ``around`` (plan_precision, plan_detect) or ``steps`` (plan_scenario);
    - ``n``: the sample size (plan_detect: the first inspection's; plan_scenario: the cell's);
    - ``to_dict()``: the CLI's JSON.
    """

    def __init__(self, result: Any, answer_columns: Sequence[str], detail_columns: Sequence[str],
                 detail_name: str, n_column: str, text_columns: Sequence[str]) -> None:
        self._result = result
        frame = _frame(result.csv(), list(text_columns) + ["version", "answer", "meets"])
        answer_row = 0
        if "answer" in frame.columns and (frame["answer"] == "yes").any():
            answer_row = int(np.flatnonzero(frame["answer"] == "yes")[0])
        self.answer: pd.DataFrame = frame.loc[[answer_row], list(answer_columns)].reset_index(drop=True)
        self.detail_name = detail_name
        setattr(self, detail_name, frame[list(detail_columns)])
        self.n: int = int(self.answer.loc[0, n_column])

    def to_dict(self) -> dict:
        """The CLI's JSON for the same request, parsed."""
        return json.loads(self._result.json())

    def __repr__(self) -> str:
        return f"<inspectsim.Plan: n = {self.n}; {self.detail_name}: {len(getattr(self, self.detail_name))} rows>"


def plan_claim(
    tolerable: Optional[float] = None,
    allowed_errors: Optional[int] = None,
    n: Optional[int] = None,
    found: Optional[int] = None,
    confidence: float = 0.95,
    population: Optional[int] = None,
) -> Plan:
    """How many records must an audit sample to support "the error rate is below tolerable"?
    Or (with n and found) what does an audit that found ``found`` wrong in ``n`` support?
    The CLI's ``inspectsim plan claim``.

    Args:
        tolerable: the claim: the error rate is below this (plan mode).
        allowed_errors: wrong records the audit may find and still support it (default 0).
        n, found: an audit already drawn: its sample size and the wrong records it found.
        confidence: strictly between 0 and 1.
        population: records are drawn without replacement from this many (exact hypergeometric).

    >>> inspectsim.plan_claim(tolerable=0.05).n
    59
    >>> round(inspectsim.plan_claim(n=20, found=0).to_dict()["upper"], 4)
    0.1391
    """
    if tolerable is not None:
        if n is not None or found is not None:
            raise _input_error("tolerable", "tolerable plans a sample; n and found describe one already drawn: "
                                            "give one or the other")
        k = 0 if allowed_errors is None else _whole("allowed_errors", allowed_errors, 0, _MAX_INT64)
        tolerable = _real("tolerable", tolerable)
    else:
        if n is None:
            raise _input_error(None, "plan_claim needs tolerable (to plan a sample), or n with found (to read one)")
        if found is not None and allowed_errors is not None:
            raise _input_error("found", "found and allowed_errors are the same number for an audit already "
                                        "drawn: give one")
        k = _whole("found", 0 if found is None and allowed_errors is None else
                   (found if found is not None else allowed_errors), 0, _MAX_INT64)
    result = _core.plan_claim(tolerable, k, _optional(_whole, "n", n, 1, _MAX_INT64), _real("confidence", confidence),
                              _optional(_whole, "population", population, 1, _MAX_POPULATION))
    return Plan(result, ["mode", "tolerable", "allowed_errors", "confidence", "population", "n", "upper",
                         "upper_count", "threshold_count", "risk", "version"],
                ["rate", "count", "probability"], "operating_characteristic", "n", ["mode"])


def plan_precision(
    rate: float,
    margin: float,
    method: Optional[str] = None,
    confidence: float = 0.95,
    population: Optional[int] = None,
    criterion: str = "expected",
    assurance: float = 0.8,
    work_limit: Optional[int] = None,
) -> Plan:
    """How many records for an interval no wider than +-margin at a true rate? The CLI's
    ``inspectsim plan precision``.

    Args:
        rate: the anticipated true rate (0 < rate < 1).
        margin: the wanted half-width, as a share (0.1 = 10 points).
        method: any assess method, or "hypergeometric" (needs population); default wilson,
            hypergeometric with a population.
        confidence: strictly between 0 and 1.
        population: records are drawn without replacement from this many.
        criterion: "expected" (mean half-width <= margin) or "assured" (P(half-width <= margin)
            >= assurance).
        assurance: the probability wanted by the assured criterion.
        work_limit: steps of the exact hypergeometric search before it stops (default 3e7).

    >>> inspectsim.plan_precision(rate=0.3, margin=0.1).n
    77
    """
    if method is None:
        method = "hypergeometric" if population is not None else "wilson"
    result = _core.plan_precision(_real("rate", rate), _real("margin", margin), _text("method", method),
                                  _real("confidence", confidence),
                                  _optional(_whole, "population", population, 1, _MAX_POPULATION),
                                  _text("criterion", criterion), _real("assurance", assurance),
                                  _optional(_whole, "work_limit", work_limit, 1, _MAX_INT64))
    return Plan(result, ["rate", "margin", "method", "confidence", "population", "criterion", "assurance", "n",
                         "expected_half_width", "probability_within_margin", "version"],
                ["n", "expected_half_width", "probability_within_margin", "meets"], "around", "n",
                ["method", "criterion"])


def plan_detect(
    from_: float,
    to: float,
    power: float = 0.8,
    alpha: float = 0.05,
    test: str = "fisher",
    ratio: float = 1,
    n: Optional[int] = None,
    work_limit: Optional[int] = None,
) -> Plan:
    """How many records per inspection for a re-inspection to detect a change from the rate
    ``from_`` to ``to``? With n: that first sample's power and the smallest detectable change.
    The CLI's ``inspectsim plan detect`` (``from_`` is its --from: ``from`` is a Python keyword).

    Args:
        from_, to: the error rates at the first and the second inspection.
        power: the wanted probability of detecting the change.
        alpha: the two-sided significance level.
        test: "fisher", "newcombe" or "miettinen-nurminen".
        ratio: second sample = ratio x first, rounded up.
        n: the first sample's size, given.
        work_limit: steps of enumeration before the request is refused (default: a few seconds' work).

    >>> p = inspectsim.plan_detect(from_=0.5, to=0.2)
    >>> p.n, p.to_dict()["n2"], round(p.to_dict()["power"], 4)
    (44, 44, 0.8021)
    """
    result = _core.plan_detect(_real("from_", from_), _real("to", to), _real("power", power), _real("alpha", alpha),
                               _text("test", test), _real("ratio", ratio),
                               _optional(_whole, "n", n, 1, _MAX_INT64),
                               _optional(_whole, "work_limit", work_limit, 1, _MAX_INT64))
    return Plan(result, ["mode", "from", "to", "power_wanted", "alpha", "test", "ratio", "n1", "n2", "power",
                         "detectable", "version"],
                ["n1", "n2", "power"], "around", "n1", ["mode", "test"])


def plan_scenario(
    scenario: PathLike,
    cell: str,
    target: str,
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    *,
    max_work: Optional[float] = None,
    max_memory: Optional[float] = None,
) -> Plan:
    """The smallest sample for one cell of a scenario that meets a target, by simulation. The
    CLI's ``inspectsim plan scenario``.

    Args:
        scenario: a scenario file's path, or its TOML text (a string holding a line break).
        cell: the cell to size, "force/category".
        target: "METRIC>=VALUE" with METRIC p_correct_grade, coverage:METHOD, power or power:I.
        replicates: per candidate size (more near the target), 1 to 100000000; default 20000.
        seed: 0 to 2**63 - 1 (default: the file's).
        threads: worker threads, 1 to 1024; the results do not depend on it.
        max_work, max_memory: refuse a search estimated to need more (as the CLI).

    >>> p = inspectsim.plan_scenario(inspectsim.example("plan-grade-sawtooth.toml"), "Force F/all records",
    ...                              "p_correct_grade>=0.9", replicates=2000)
    >>> p.n, p.steps["sample"].tolist()[:3]
    (7, [1, 2, 4])
    """
    source, is_text = _source("scenario", scenario)
    bar = _Progress("planning")
    try:
        result = _core.plan_scenario(
            source, is_text, "<text>", _text("cell", cell), _text("target", target),
            20000 if replicates is None else _whole("replicates", replicates, 1, 100_000_000), _optional(_whole, "seed", seed, 0, _MAX_INT64),
            _optional(_whole, "threads", threads, 1, 1024), bar, **_budget(max_work, max_memory))
    finally:
        bar.close()
    return Plan(result, ["file", "sha256", "cell", "target", "seed", "sample", "estimate", "se", "exact",
                         "replicates", "version"],
                ["sample", "estimate", "se", "exact", "replicates", "meets"], "steps", "sample",
                ["file", "sha256", "cell", "target"])


# ---- reports and examples ----------------------------------------------------------------------


def report(result: Union[Simulation, Comparison], path: PathLike) -> None:
    """Writes the self-contained HTML report of a :func:`simulate` or :func:`compare` result to
    ``path``: the CLI's ``--report PATH`` (written whole to a temporary file, then renamed).

    >>> import tempfile, pathlib
    >>> s = inspectsim.simulate(inspectsim.example("two-forces.toml"), replicates=5000)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     inspectsim.report(s, pathlib.Path(d) / "two-forces.html")
    ...     (pathlib.Path(d) / "two-forces.html").read_text().startswith("<!DOCTYPE html>")
    True
    """
    if not isinstance(result, (Simulation, Comparison)):
        raise TypeError(f"report() takes the result of simulate() or compare(), not {type(result).__name__}")
    _core.write_file(os.fspath(path), result._result.report())


def example(name: str) -> str:
    """The path of a file shipped with the package: the repository's scenarios (e.g.
    "hampshire-2018.toml") and data sets ("hmicfrs-cancelled-crimes.csv"), copied into
    inspectsim/data when the package is built.

    >>> Path(inspectsim.example("hampshire-2018.toml")).name
    'hampshire-2018.toml'
    """
    data = Path(__file__).resolve().parent / "data"
    path = data / name
    if not path.is_file():
        shipped = ", ".join(sorted(p.name for p in data.glob("*")))
        raise _input_error("name", f"name is {name!r}, which is not a shipped example; they are: {shipped}")
    return str(path)
