"""assess(): against the CLI's JSON, vectorisation, and errors."""

import math

import numpy as np
import pandas as pd
import pytest

import inspectsim
from support import same

COLUMNS = ["method", "x", "n", "estimate", "lower", "upper", "lower_count", "upper_count", "note"]



def check_against_cli(frame, doc, offset=0):
    for i, iv in enumerate(doc["intervals"]):
        row = frame.iloc[offset + i]
        assert row["method"] == iv["method"]
        assert row["x"] == doc["x"] and row["n"] == doc["n"]
        assert row["estimate"] == doc["estimate"]
        for key in ("lower", "upper", "lower_count", "upper_count", "note"):
            assert same(row[key], iv[key]), (iv["method"], key, row[key], iv[key])


@pytest.mark.parametrize(
    "args, kwargs",
    [
        (["9", "17"], {}),
        (["0", "20", "--side", "upper", "--methods", "clopper-pearson"],
         {"side": "upper", "methods": ["clopper-pearson"]}),
        (["3", "19", "--population", "40", "--methods", "all", "--threshold", "0.25", "--threshold", "0.5",
          "--confidence", "0.9", "--prior", "uniform"],
         {"population": 40, "methods": "all", "threshold": [0.25, 0.5], "confidence": 0.9, "prior": "uniform"}),
        (["0", "17", "--methods", "logit,wald", "--prior", "2,3", "--side", "lower"],
         {"methods": ("logit", "wald"), "prior": (2, 3), "side": "lower"}),
    ],
)
def test_assess_equals_cli(cli, args, kwargs):
    doc = cli("assess", *args)
    a = inspectsim.assess(int(args[0]), int(args[1]), **kwargs)
    assert list(a.columns) == COLUMNS
    assert len(a) == len(doc["intervals"])
    check_against_cli(a, doc)
    assert a.to_dict() == doc


def test_published_figure():
    # README and HMICFRS Hampshire 2018: 9 of 17 gives the 95% Wilson interval 31.0% to 73.8%.
    # Wilson (1927) score interval computed here from its definition.
    z, n, p = 1.959963984540054, 17, 9 / 17
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    w = inspectsim.assess(9, 17, methods="wilson").iloc[0]
    assert w["lower"] == pytest.approx(centre - half, rel=1e-12)
    assert w["upper"] == pytest.approx(centre + half, rel=1e-12)
    # Clopper-Pearson for 0 of 20, one-sided 95%: 1 - 0.05^(1/20) = 0.1391 ("100% compliance").
    cp = inspectsim.assess(0, 20, methods="clopper-pearson", side="upper").iloc[0]
    assert cp["upper"] == pytest.approx(1 - 0.05 ** (1 / 20), rel=1e-12)


def test_vectorised_over_x_and_n(cli):
    xs = np.array([9, 3, 0, 6])
    ns = np.array([17, 19, 20, 18])
    a = inspectsim.assess(xs, ns, population=60)
    assert len(a) == 4 * 4  # three methods + hypergeometric per figure
    docs = a.to_dict()
    assert isinstance(docs, list) and len(docs) == 4
    for k, (x, n) in enumerate(zip(xs, ns)):
        doc = cli("assess", str(x), str(n), "--population", "60")
        assert docs[k] == doc
        check_against_cli(a, doc, offset=4 * k)
    # A single value is repeated; pandas Series and lists work too.
    b = inspectsim.assess(pd.Series([1, 2, 3]), 20, methods="wilson")
    assert b["x"].tolist() == [1, 2, 3] and b["n"].tolist() == [20, 20, 20]
    assert b["upper"].tolist() == [inspectsim.assess(k, 20, methods="wilson")["upper"][0] for k in (1, 2, 3)]
    # Populations broadcast with the figures.
    c = inspectsim.assess([3, 4], [19, 19], population=[40, 50], methods="wilson")
    assert c[c.method == "hypergeometric"]["upper_count"].tolist() == [
        inspectsim.assess(3, 19, population=40)["upper_count"][3],
        inspectsim.assess(4, 19, population=50)["upper_count"][3],
    ]


def test_posterior(cli):
    doc = cli("assess", "9", "17", "--threshold", "0.25")
    post = inspectsim.assess(9, 17, threshold=0.25).posterior
    assert post.loc[0, "mean"] == doc["posterior"]["mean"]
    assert post.loc[0, "lower"] == doc["posterior"]["lower"]
    assert post.loc[0, "p_above_0.25"] == doc["posterior"]["exceedance"][0]["probability"]
    # Jeffreys prior: posterior Beta(9.5, 8.5), mean 9.5 / 18.
    assert post.loc[0, "mean"] == pytest.approx(9.5 / 18, rel=1e-14)


def test_derived_frames_are_plain_dataframes():
    a = inspectsim.assess(9, 17)
    sub = a[a.method == "wilson"]
    assert type(sub) is pd.DataFrame
    assert sub.to_dict()["method"] == {0: "wilson"}  # pandas' own to_dict
    assert a.to_dict("records")[0]["method"] == "wilson"


@pytest.mark.parametrize(
    "kwargs, message, field",
    [
        # The library's message (field marked once sim/stats names its fields with base::field).
        ({"confidence": 1.5}, "confidence is 1.5, but must be strictly between 0 and 1", None),
        ({"n": 0}, "n is 0, but must be a whole number from 1 to 2147483647", "n"),
        ({"n": 17.5}, "n is 17.5, but must be a whole number from 1 to 2147483647", "n"),
        ({"x": -1}, "x is -1, but must be a whole number from 0 to n (17)", "x"),
        ({"x": 18}, "x is 18, but must be a whole number from 0 to n (17)", "x"),
        ({"threshold": 1.5}, "threshold is 1.5, but must be between 0 and 1", None),
        ({"n": 2**40}, "n is 1099511627776, but must be a whole number from 1 to 2147483647", "n"),
        ({"side": "both"}, "side is 'both', but must be two-sided, upper or lower", None),
    ],
)
def test_errors_name_the_argument(kwargs, message, field):
    args = {"x": 9, "n": 17, **kwargs}
    with pytest.raises(inspectsim.InputError) as e:
        inspectsim.assess(**args)
    assert isinstance(e.value, ValueError)
    assert str(e.value) == message
    if field is not None:
        assert e.value.field == field
    assert "--" not in str(e.value)


def test_error_messages_match_the_library_as_the_cli_prints_it(cli_error):
    # The CLI spells the field as its option; Python as the keyword; the rest is the same message.
    with pytest.raises(inspectsim.InputError) as e:
        inspectsim.assess(9, 17, population=10)
    assert cli_error("assess", "9", "17", "--population", "10").startswith("--population is 10")
    assert str(e.value) == "population is 10, but must be a whole number from 17 to 2147483647"
    with pytest.raises(inspectsim.InputError, match="methods lists 'wilsn'"):
        inspectsim.assess(9, 17, methods=["wilsn"])


def test_vector_errors_say_which_figure():
    with pytest.raises(inspectsim.InputError) as e:
        inspectsim.assess([1, 30], [20, 20])
    assert str(e.value) == "x[1] is 30, but must be a whole number from 0 to n[1] (20)"
    assert e.value.field == "x"


def test_lengths_must_agree():
    with pytest.raises(inspectsim.InputError, match="x has 3, n has 2 values"):
        inspectsim.assess([1, 2, 3], [10, 20])
