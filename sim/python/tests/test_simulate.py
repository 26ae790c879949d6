"""simulate(): DataFrames and provenance against the CLI's JSON; reports; errors."""

import hashlib
import subprocess

import pytest

import inspectsim
from support import same

TWO_FORCES = "scenarios/two-forces.toml"



def test_points_comparisons_provenance_equal_cli(cli, in_repository):
    doc = cli("simulate", TWO_FORCES, "--replicates", "20000", "--seed", "11", "--threads", "2")
    s = inspectsim.simulate(TWO_FORCES, replicates=20000, seed=11, threads=1)  # any thread count
    assert s.to_dict() == doc
    rows = [(p, m) for p in doc["points"] for m in p["methods"]]
    assert len(s.points) == len(rows)
    for (p, m), (_, row) in zip(rows, s.points.iterrows()):
        assert row["point"] == p["point"] and row["force"] == p["force"] and row["sample"] == p["sample"]
        assert row["true_rate"] == p["true_rate"] and row["mean_share"] == p["mean_share"]
        assert row["method"] == m["method"]
        for key in ("coverage", "coverage_se", "exact_coverage", "mean_width", "miss_below", "undefined"):
            assert same(row[key], m[key]), key
    assert len(s.comparisons) == len(doc["comparisons"]) > 0
    for c, (_, row) in zip(doc["comparisons"], s.comparisons.iterrows()):
        for key in ("name", "a", "b", "method", "declares", "p_declare", "p_declare_se", "exact"):
            assert same(row[key], c[key]), key
    assert s.leagues.empty
    with open(TWO_FORCES, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    assert s.provenance == {"version": inspectsim.__version__, "seed": 11, "replicates": 20000,
                            "scenario": TWO_FORCES, "sha256": sha}
    assert doc["scenario"]["sha256"] == sha


def test_leagues_one_row_per_member_equal_cli(cli, in_repository):
    path = "scenarios/national-league.toml"
    doc = cli("simulate", path, "--replicates", "4000", "--seed", "5", "--threads", "2")
    s = inspectsim.simulate(path, replicates=4000, seed=5, threads=1)
    league = doc["leagues"][0]
    assert len(s.leagues) == league["size"] == 43
    for m, (_, row) in zip(league["members"], s.leagues.iterrows()):
        assert row["league"] == league["name"] and row["ties"] == league["ties"]
        for key in ("point", "force", "category", "true_rate", "true_rank", "p_ranked_worst",
                    "p_ranked_worst_se", "p_ranked_worst_exact", "mean_rank", "mean_rank_se"):
            assert same(row[key], m[key]), key
    hampshire = s.leagues[s.leagues["force"] == "Hampshire"].iloc[0]
    assert hampshire["true_rank"] == 1
    assert hampshire["p_ranked_worst"] == league["p_true_worst_ranked_worst"]


def test_toml_text_runs_the_same_simulation(in_repository):
    with open(TWO_FORCES, encoding="utf-8", newline="") as f:
        text = f.read()
    a = inspectsim.simulate(text, replicates=5000)
    b = inspectsim.simulate(TWO_FORCES, replicates=5000)
    assert a.points.equals(b.points) and a.comparisons.equals(b.comparisons)
    assert a.provenance["sha256"] == b.provenance["sha256"]
    # The two-forces power (README): Newcombe tells 50% from 15% with n = 17, 20 in about 65.5%
    # (exact); the simulated figure is within 4 standard errors of the exact one.
    c = a.comparisons.iloc[0]
    assert abs(c["p_declare"] - c["exact"]) <= 4 * c["p_declare_se"]


def test_report_is_the_clis(binary, in_repository, tmp_path):
    s = inspectsim.simulate(TWO_FORCES, replicates=3000, seed=5)
    inspectsim.report(s, tmp_path / "py.html")
    subprocess.run([binary, "simulate", TWO_FORCES, "--replicates", "3000", "--seed", "5", "--quiet",
                    "--report", str(tmp_path / "cli.html"), "--output", str(tmp_path / "out.txt")], check=True)
    assert (tmp_path / "py.html").read_bytes() == (tmp_path / "cli.html").read_bytes()
    # With the pairs listed on both sides: the CLI's --report tests every pair even without --pairs
    # (issue 16), a result from compare() only with pairs=True.
    c = inspectsim.compare("scenarios/data/hmicfrs-cancelled-crimes.csv", draws=500, pairs=True)
    inspectsim.report(c, str(tmp_path / "c.html"))
    subprocess.run([binary, "compare", "scenarios/data/hmicfrs-cancelled-crimes.csv", "--draws", "500", "--pairs",
                    "--report", str(tmp_path / "c-cli.html"), "--output", str(tmp_path / "c.txt")], check=True)
    assert (tmp_path / "c.html").read_bytes() == (tmp_path / "c-cli.html").read_bytes()
    with pytest.raises(TypeError):
        inspectsim.report(inspectsim.assess(9, 17), tmp_path / "a.html")


def test_scenario_errors_are_listed_whole():
    text = 'replicates = 0\n\n[[cell]]\nforce = "A"\ncategory = "rape"\ntrue_rat = 0.5\nsample = 40\npopulation = 30\n'
    with pytest.raises(inspectsim.InputError) as e:
        inspectsim.simulate(text)
    assert e.value.problems[0] == "<text>:1:14: replicates: is 0, but must be >= 1"
    assert any("did you mean 'true_rate'?" in p for p in e.value.problems)
    assert str(e.value) == "\n".join(e.value.problems)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"replicates": 0}, "replicates is 0, but must be a whole number from 1 to 9223372036854775807"),
        ({"seed": -1}, "seed is -1, but must be a whole number from 0 to 9223372036854775807"),
        ({"threads": 0}, "threads is 0, but must be a whole number from 1 to 1024"),
        ({"replicates": 10**12}, "scenarios/two-forces.toml: this run needs about"),
    ],
)
def test_argument_errors(kwargs, message, in_repository):
    with pytest.raises(inspectsim.InputError) as e:
        inspectsim.simulate(TWO_FORCES, **kwargs)
    assert str(e.value).startswith(message)
    assert "--" not in str(e.value)


def test_budget_keyword_named_in_the_message(in_repository):
    with pytest.raises(inspectsim.InputError, match="raise the budget with max_work "):
        inspectsim.simulate(TWO_FORCES, max_work=1)
    inspectsim.simulate(TWO_FORCES, replicates=100, max_work=1e15)
