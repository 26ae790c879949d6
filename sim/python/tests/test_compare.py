"""compare(): every DataFrame against the CLI's JSON for the same file and options; DataFrame input."""

import pandas as pd
import pytest

import inspectsim
from support import same

CANCELLED = "scenarios/data/hmicfrs-cancelled-crimes.csv"
RATES = "scenarios/data/hmicfrs-recording-rates.csv"



def test_rows_pairs_changes_totals_groups_equal_cli(cli, in_repository):
    doc = cli("compare", CANCELLED, "--pairs", "--seed", "7", "--draws", "2000")
    c = inspectsim.compare(CANCELLED, pairs=True, seed=7, draws=2000)
    assert c.to_dict() == doc
    rows = [(g, r) for g in doc["groups"] for r in g["rows"]]
    assert len(c.rows) == len(rows)
    for (g, r), (_, row) in zip(rows, c.rows.iterrows()):
        assert same(row["group_inspection"], g["inspection"]) and row["group_category"] == g["category"]
        for key in ("line", "force", "inspection", "category", "sampled", "incorrect", "population",
                    "approximate", "estimate", "lower", "upper", "note"):
            assert same(row[key], r[key]), key
        assert same(row["shrunk_estimate"], r["shrunk"]["estimate"] if r["shrunk"] else None)
        # p_worst is null (an empty cell) in a group of one force.
        assert row["mean_rank"] == r["rank"]["mean"] and same(row["p_worst"], r["rank"]["p_worst"])
        for f in r["funnel"]:
            assert row[f"funnel_{f['level']:g}_flag"] == f["flag"]
            assert same(row[f"funnel_{f['level']:g}_upper"], f["upper"])
    pairs = [p for g in doc["groups"] for p in g["pairs"]]
    assert len(c.pairs) == len(pairs) > 0
    for p, (_, row) in zip(pairs, c.pairs.iterrows()):
        assert (row["a"], row["b"]) == (p["a"], p["b"])
        assert row["difference"] == p["difference"] and row["lower"] == p["lower"] and row["upper"] == p["upper"]
        assert row["fisher_p"] == p["p"] and row["holm_p"] == p["p_holm"]
        assert row["distinguishable"] == p["distinguishable"]
    assert len(c.changes) == len(doc["changes"]) > 0
    for x, (_, row) in zip(doc["changes"], c.changes.iterrows()):
        assert (row["force"], row["from"], row["to"], row["verdict"]) == (x["force"], x["from"], x["to"], x["verdict"])
        assert row["difference"] == x["difference"] and row["fisher_p"] == x["p"]
    totals = doc["totals"] + doc["national"]
    assert len(c.totals) == len(totals)
    for t, (_, row) in zip(totals, c.totals.iterrows()):
        assert row["scope"] == ("force" if "force" in t else "national")
        assert row["estimate"] == t["estimate"] and row["lower"] == t["lower"] and row["upper"] == t["upper"]
        assert row["sampled"] == t["sampled"] and row["incorrect"] == t["incorrect"]
    assert len(c.groups) == len(doc["groups"])
    for g, (_, row) in zip(doc["groups"], c.groups.iterrows()):
        assert same(row["group_inspection"], g["inspection"]) and row["group_category"] == g["category"]
        assert row["rows"] == len(g["rows"])
        assert row["sampled"] == g["sampled"] and row["pooled_rate"] == g["pooled_rate"]
        assert row["distinguishable_pairs"] == g["distinguishable_pairs"]
        # The shrinkage_* columns hold the empirical fit; a hierarchical group leaves them empty.
        fit = g["shrinkage"] if g["shrinkage"] and g["shrinkage"].get("kind") == "empirical" else None
        assert row["ranks_from"] == g["ranks_from"]
        assert same(row["shrinkage_mean"], fit and fit["mean"])
        assert same(row["shrinkage_concentration"], fit and fit["concentration"])
        assert same(row["shrinkage_log_likelihood"], fit and fit["log_likelihood"])
        # The pooled rate is the group's share wrong.
        assert row["pooled_rate"] == pytest.approx(g["incorrect"] / g["sampled"], rel=1e-15)


def test_options_equal_cli(cli, in_repository):
    args = [RATES, "--group", "category", "--category", "all crime", "--overdispersion", "multiplicative",
            "--method", "jeffreys", "--levels", "0.9,0.99", "--rank-posterior", "shrunk", "--shrinkage", "empirical", "--draws", "1000",
            "--diff-method", "agresti-caffo", "--confidence", "0.9"]
    c = inspectsim.compare(RATES, group_by="category", categories=["all crime"], overdispersion="multiplicative",
                           method="jeffreys", levels=[0.9, 0.99], rank_posterior="shrunk", shrinkage="empirical", draws=1000,
                           diff_method="agresti-caffo", confidence=0.9)
    assert c.to_dict() == cli("compare", *args)
    assert "funnel_0.99_flag" in c.rows.columns
    assert c.rows["approximate"].all()  # published rates with half-widths
    assert c.pairs.empty and list(c.pairs.columns)[:4] == ["group_inspection", "group_category", "a", "b"]


def test_threads_do_not_change_the_figures(cli, in_repository):
    one = inspectsim.compare(CANCELLED, seed=5, draws=2500, threads=1)
    two = inspectsim.compare(CANCELLED, seed=5, draws=2500, threads=2)
    assert one.to_dict() == two.to_dict() == cli("compare", CANCELLED, "--seed", "5", "--draws", "2500",
                                                 "--threads", "2")
    with pytest.raises(inspectsim.InputError, match="threads is 0, but must be a whole number from 1 to 1024"):
        inspectsim.compare(CANCELLED, threads=0)


def test_dataframe_and_text_input_give_the_same_figures(in_repository):
    from_file = inspectsim.compare(CANCELLED, seed=3, draws=1000)
    df = pd.read_csv(CANCELLED)  # population has missing values: a float column in pandas
    from_frame = inspectsim.compare(df, seed=3, draws=1000)
    with open(CANCELLED, encoding="utf-8", newline="") as f:  # line ends as they are
        from_text = inspectsim.compare(f.read(), seed=3, draws=1000)
    for section in ("rows", "pairs", "changes", "totals", "groups"):
        pd.testing.assert_frame_equal(getattr(from_file, section), getattr(from_frame, section))
        pd.testing.assert_frame_equal(getattr(from_file, section), getattr(from_text, section))
    assert from_frame.to_dict()["input"]["path"] == "<DataFrame>"
    assert from_text.to_dict()["input"]["sha256"] == from_file.to_dict()["input"]["sha256"]


def test_errors():
    bad = pd.DataFrame({"force": ["A", "B"], "inspection": ["I", "I"], "category": ["c", "c"],
                        "sampled": [17, 10], "incorrect": [18, 1]})
    with pytest.raises(inspectsim.InputError) as e:
        inspectsim.compare(bad)
    assert str(e.value) == "<DataFrame>:2: incorrect: is 18, but must be at most sampled (17)"
    assert e.value.problems == ["<DataFrame>:2: incorrect: is 18, but must be at most sampled (17)"]
    with pytest.raises(inspectsim.InputError, match="cannot|missing|No such"):
        inspectsim.compare("no/such/file.csv")
    with pytest.raises(inspectsim.InputError, match="seed is -1, but must be a whole number from 0 to"):
        inspectsim.compare(bad, seed=-1)


def test_rank_intervals_simultaneous_equal_cli(cli, in_repository):
    doc = cli("compare", CANCELLED, "--rank-intervals", "simultaneous", "--category", "other sexual offences",
              "--draws", "500")
    c = inspectsim.compare(CANCELLED, rank_intervals="simultaneous", categories="other sexual offences", draws=500)
    assert c.to_dict() == doc
    rows = [r for g in doc["groups"] for r in g["rows"]]
    assert len(c.rows) == len(rows)
    for r, (_, row) in zip(rows, c.rows.iterrows()):
        assert row["rank_intervals"] == "simultaneous"
        assert row["simultaneous_rank_lower"] == r["simultaneous_rank"]["lower"]
        assert row["simultaneous_rank_upper"] == r["simultaneous_rank"]["upper"]
        assert row["worst_quarter"] == r["simultaneous_rank"]["worst_quarter"]
    # Hampshire's 9 of 17 (CDI 2018): told apart from West and South Yorkshire only, ranks 1 to 4 of 6.
    h = c.rows[c.rows["force"] == "Hampshire"].iloc[0]
    assert (h["simultaneous_rank_lower"], h["simultaneous_rank_upper"]) == (1, 4)
    for g, (_, row) in zip(doc["groups"], c.groups.iterrows()):
        assert row["rank_intervals"] == "simultaneous"
        assert row["in_worst_quarter"] == g["rank_intervals"]["in_worst_quarter"]
    plain = inspectsim.compare(CANCELLED, categories="other sexual offences", draws=500)
    assert plain.rows["simultaneous_rank_lower"].isna().all()
    assert (plain.rows["rank_intervals"] == "marginal").all()
    with pytest.raises(inspectsim.InputError, match="rank_intervals is 'joint', but must be marginal or simultaneous"):
        inspectsim.compare(CANCELLED, rank_intervals="joint")
