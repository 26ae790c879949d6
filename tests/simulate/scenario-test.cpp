// Scenario files: defaults, sweep expansion, comparisons, and every validation error by its message.
#include "inspectsim/simulate/scenario.hpp"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"
#include "support/support.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::simulate;

namespace {

// The problems parse_scenario reports for `text` (empty when it parses).
std::vector<std::string> problems_of(const std::string& text) {
  try {
    parse_scenario(text, "x.toml");
  } catch (const InputErrors& e) {
    return e.problems();
  }
  return {};
}

// One problem expected: returns it (or a note when there were none or several).
std::string problem_of(const std::string& text) {
  const auto p = problems_of(text);
  if (p.size() == 1) return p[0];
  std::string all = std::to_string(p.size()) + " problems:";
  for (const auto& s : p) all += "\n" + s;
  return all;
}

// A [[cell]] table of five lines (true_rate on line 4, sample on line 5 of the cell).
std::string cell_toml(const std::string& force, const std::string& category, const std::string& rate,
                      const std::string& sample) {
  return "[[cell]]\nforce = \"" + force + "\"\ncategory = \"" + category + "\"\ntrue_rate = " + rate +
         "\nsample = " + sample + "\n";
}

const std::string minimal = cell_toml("A", "rape", "0.5", "17");

}  // namespace

TEST_CASE("a minimal scenario gets the documented defaults") {
  const SimulationSpec s = parse_scenario(minimal, "x.toml");
  CHECK(s.title.empty());
  CHECK(s.seed == 20180419);  // default_seed, documented in README.md
  CHECK(s.replicates == 100000);
  CHECK(s.confidence == 0.95);
  CHECK(s.methods == std::vector<Method>{Method::wilson, Method::clopper_pearson, Method::jeffreys});
  REQUIRE(s.points.size() == 1);
  const CellPoint& p = s.points[0];
  CHECK(p.cell == 0);
  CHECK(p.force == "A");
  CHECK(p.category == "rape");
  CHECK(p.truth.kind == Truth::Kind::fixed);
  CHECK(p.truth.rate == 0.5);
  CHECK(p.sample == 17);
  CHECK_FALSE(p.population);
  CHECK_FALSE(p.clusters);
  CHECK_FALSE(p.inspector);
  CHECK_FALSE(p.selection_odds);
  CHECK(p.grades.empty());
  CHECK(s.comparisons.empty());
  CHECK(s.source_path == "x.toml");
  // SHA-256 of the text itself: the provenance of every output.
  CHECK(s.source_sha256 == sha256_hex(minimal));
}

TEST_CASE("every key is read") {
  const std::string text = R"(title = "T"
seed = 7
replicates = 2000
confidence = 0.9
methods = ["wald", "mid-p"]
grades = [{ name = "good", upper = 0.05 }, { name = "bad" }]

[[cell]]
force = "Kent"
category = "robbery"
population = 120
true_rate = { beta = [2, 8.5] }
sample = 20
inspector = { sensitivity = 0.9, specificity = 0.98 }
selection = { odds = 2.5 }

[[cell]]
force = "Kent"
category = "rape"
true_rate = 0
sample = 50
clusters = { count = 4, icc = 0.1 }
inspector = { specificity = 0.5 }
grades = []
)";
  const SimulationSpec s = parse_scenario(text, "x.toml");
  CHECK(s.title == "T");
  CHECK(s.seed == 7);
  CHECK(s.replicates == 2000);
  CHECK(s.confidence == 0.9);
  CHECK(s.methods == std::vector<Method>{Method::wald, Method::mid_p});
  REQUIRE(s.points.size() == 2);
  const CellPoint& p = s.points[0];
  CHECK(p.truth.kind == Truth::Kind::beta);
  CHECK(p.truth.a == 2);
  CHECK(p.truth.b == 8.5);
  CHECK(p.population == 120);
  CHECK(p.sample == 20);
  CHECK_FALSE(p.clusters);
  REQUIRE(p.inspector);
  CHECK(p.inspector->sensitivity == 0.9);
  CHECK(p.inspector->specificity == 0.98);
  CHECK(p.selection_odds == 2.5);
  REQUIRE(p.grades.size() == 2);
  CHECK(p.grades[0].name == "good");
  CHECK(p.grades[0].upper == 0.05);
  CHECK(p.grades[1].name == "bad");
  CHECK_FALSE(p.grades[1].upper);
  // An integer rate is a rate; a missing inspector part defaults to 1; grades = [] switches off the
  // top-level grades for the cell.
  const CellPoint& q = s.points[1];
  CHECK(q.cell == 1);
  CHECK(q.truth.rate == 0);
  REQUIRE(q.clusters);
  CHECK(q.clusters->count == 4);
  CHECK(q.clusters->icc == 0.1);
  REQUIRE(q.inspector);
  CHECK(q.inspector->sensitivity == 1);
  CHECK(q.inspector->specificity == 0.5);
  CHECK(q.grades.empty());
}

TEST_CASE("methods = [\"all\"] lists every method") {
  const auto s = parse_scenario("methods = [\"all\"]\n" + minimal, "x.toml");
  CHECK(s.methods.size() == all_methods().size());
}

TEST_CASE("sweeps expand to every combination: true rate outer, sample inner") {
  const std::string text = cell_toml("A", "c", "{ from = 0.1, to = 0.3, steps = 3 }", "[10, 20]") +
                           cell_toml("B", "c", "[0.02, 0.05]", "20");
  const auto s = parse_scenario(text, "x.toml");
  REQUIRE(s.points.size() == 8);
  const double rates[] = {0.1, 0.2, 0.3};
  for (std::size_t i = 0; i < 6; ++i) {
    CAPTURE(i);
    CHECK(s.points[i].cell == 0);
    CHECK(s.points[i].truth.rate == doctest::Approx(rates[i / 2]).epsilon(1e-15));
    CHECK(s.points[i].sample == (i % 2 == 0 ? 10 : 20));
  }
  CHECK(s.points[5].truth.rate == 0.3);  // the last step is `to` exactly
  CHECK(s.points[6].cell == 1);
  CHECK(s.points[6].truth.rate == 0.02);
  CHECK(s.points[7].truth.rate == 0.05);
}

TEST_CASE("a sweep of one step gives `from`, 99 steps from 0.01 to 0.99 give the percentages") {
  auto s = parse_scenario(cell_toml("A", "c", "{ from = 0.2, to = 0.7, steps = 1 }", "3"), "x.toml");
  REQUIRE(s.points.size() == 1);
  CHECK(s.points[0].truth.rate == 0.2);
  s = parse_scenario(cell_toml("A", "c", "{ from = 0.01, to = 0.99, steps = 99 }", "3"), "x.toml");
  REQUIRE(s.points.size() == 99);
  for (std::size_t i = 0; i < 99; ++i)
    CHECK(s.points[i].truth.rate == doctest::Approx(static_cast<double>(i + 1) / 100));
}

TEST_CASE("comparisons: one per pair of points, paired in order or against a single point") {
  const std::string cells = cell_toml("A", "c", "[0.1, 0.2, 0.3]", "17") +
                            cell_toml("B", "c", "[0.4, 0.5, 0.6]", "20") + cell_toml("C", "c", "0.15", "20");
  const auto s = parse_scenario(cells + R"(
[[comparison]]
a = "A/c"
b = "B/c"

[[comparison]]
a = "C/c"
b = "A/c"
method = "fisher"

[[comparison]]
a = "B/c"
b = "C/c"
method = "wald"
)",
                                "x.toml");
  REQUIRE(s.comparisons.size() == 9);
  for (std::size_t j = 0; j < 3; ++j) {
    CAPTURE(j);
    CHECK(s.comparisons[j].name == "A/c vs B/c");
    CHECK(s.comparisons[j].a == j);
    CHECK(s.comparisons[j].b == 3 + j);
    CHECK_FALSE(s.comparisons[j].fisher);
    CHECK(s.comparisons[j].method == DiffMethod::newcombe);  // the default
    CHECK(s.comparisons[3 + j].a == 6);
    CHECK(s.comparisons[3 + j].b == j);
    CHECK(s.comparisons[3 + j].fisher);
    CHECK(s.comparisons[6 + j].a == 3 + j);
    CHECK(s.comparisons[6 + j].b == 6);
    CHECK(s.comparisons[6 + j].method == DiffMethod::wald);
  }
}

TEST_CASE("a comparison of sweeps of different lengths is rejected") {
  const std::string text = cell_toml("A", "c", "[0.1, 0.2, 0.3]", "17") +
                           cell_toml("B", "c", "0.2", "[10, 20]") +
                           "[[comparison]]\na = \"A/c\"\nb = \"B/c\"\n";
  CHECK(problem_of(text) ==
        "x.toml:11:1: comparison[1]: 'A/c' expands to 3 points and 'B/c' to 2; swept cells are compared "
        "point by point, so they need the same number of points (or one side a single point)");
}

TEST_CASE("syntax errors give toml++'s position and description") {
  CHECK(problem_of("seed = = 3\n") ==
        "x.toml:1:8: Error while parsing value: could not determine value type");
  const auto p = problems_of(minimal + "population = 10\npopulation = 12\n");
  REQUIRE(p.size() == 1);
  CHECK(p[0] ==
        "x.toml:7:14: Error while parsing key-value pair: cannot redefine existing integer 'population'");
}

TEST_CASE("unknown keys, with a did-you-mean when one is close") {
  CHECK(problem_of(
            "[[cell]]\nforce = \"A\"\ncategory = \"c\"\ntrue_rat = 0.5\ntrue_rate = 0.5\nsample = 17\n") ==
        "x.toml:4:1: cell[1].true_rat: unknown key; did you mean 'true_rate'?");
  CHECK(problem_of("replciates = 5\n" + minimal) ==
        "x.toml:1:1: replciates: unknown key; did you mean 'replicates'?");
  CHECK(problem_of("colour = 5\n" + minimal) ==
        "x.toml:1:1: colour: unknown key; allowed: title, seed, replicates, confidence, methods, grades, "
        "grade_sets, cell, cells_from, comparison, league");
  CHECK(problem_of(minimal + "clusters = { count = 2, icc = 0.1, iccc = 2 }\n") ==
        "x.toml:6:36: cell[1].clusters.iccc: unknown key; did you mean 'icc'?");
  CHECK(problem_of(minimal + "inspector = { sensitivty = 0.9 }\n") ==
        "x.toml:6:15: cell[1].inspector.sensitivty: unknown key; did you mean 'sensitivity'?");
}

TEST_CASE("closest_name: optimal string alignment distance within the allowed edits") {
  const std::vector<std::string> names = {"true_rate", "sample", "population", "icc"};
  CHECK(closest_name("true_rat", names) == "true_rate");   // a deletion
  CHECK(closest_name("ture_rate", names) == "true_rate");  // a swap of neighbours counts once
  CHECK(closest_name("smaple", names) == "sample");
  CHECK(closest_name("popluaton", names) == "population");  // two edits in nine letters
  CHECK(closest_name("ic", names) == "icc");
  CHECK(closest_name("xyz", names).empty());
  CHECK(closest_name("rate", names).empty());  // five edits from true_rate
}

TEST_CASE("wrong types") {
  CHECK(problem_of("title = 3\n" + minimal) == "x.toml:1:9: title: is 3, but must be a string");
  CHECK(problem_of("seed = 1.5\n" + minimal) == "x.toml:1:8: seed: is 1.5, but must be a whole number");
  CHECK(problem_of("replicates = 20.0\n" + minimal) ==
        "x.toml:1:14: replicates: is 20.0, but must be a whole number");
  CHECK(problem_of("confidence = \"high\"\n" + minimal) ==
        "x.toml:1:14: confidence: is 'high', but must be a number");
  CHECK(problem_of("methods = \"wilson\"\n" + minimal) ==
        "x.toml:1:11: methods: is 'wilson', but must be a non-empty list of interval methods, e.g. "
        "[\"wilson\", \"clopper-pearson\"]");
  CHECK(problem_of("methods = [3]\n" + minimal) == "x.toml:1:12: methods[1]: is 3, but must be a string");
  CHECK(problem_of("[[cell]]\nforce = 1\ncategory = \"c\"\ntrue_rate = 0.5\nsample = 17\n") ==
        "x.toml:2:9: cell[1].force: is 1, but must be a string");
  CHECK(problem_of(cell_toml("A", "c", "\"half\"", "17")) ==
        "x.toml:4:13: cell[1].true_rate: is 'half', but must be a rate from 0 to 1, a list of rates, { from, "
        "to, steps } or { beta = [a, b] }");
  CHECK(problem_of(cell_toml("A", "c", "0.5", "17.0")) ==
        "x.toml:5:10: cell[1].sample: is 17.0, but must be a whole number >= 1 or a list of them");
  CHECK(problem_of(cell_toml("A", "c", "0.5", "[17, \"x\"]")) ==
        "x.toml:5:15: cell[1].sample[2]: is 'x', but must be a whole number");
  CHECK(problem_of(minimal + "clusters = 3\n") ==
        "x.toml:6:12: cell[1].clusters: is 3, but must be a table like { count = 3, icc = 0.1 }");
  CHECK(
      problem_of(minimal + "inspector = true\n") ==
      "x.toml:6:13: cell[1].inspector: is true, but must be a table like { sensitivity = 0.9, specificity = "
      "0.98 }");
  CHECK(problem_of(minimal + "population = 20\nselection = 2\n") ==
        "x.toml:7:13: cell[1].selection: is 2, but must be a table like { odds = 2.0 }");
  CHECK(
      problem_of("grades = { name = \"good\" }\n" + minimal) ==
      "x.toml:1:10: grades: is a table, but must be a list of bands like { name = \"good\", upper = 0.05 }");
  CHECK(problem_of("cell = 3\n") == "x.toml:1:8: cell: is 3, but must be one or more [[cell]] tables");
}

TEST_CASE("out-of-range values") {
  struct Case {
    std::string extra;  // appended to the minimal cell (line 6 on)
    std::string message;
  };
  const Case cases[] = {
      {"population = 10\n", "x.toml:5:10: cell[1].sample: is 17, but must be <= population (10)"},
      {"population = 0\n", "x.toml:6:14: cell[1].population: is 0, but must be >= 1"},
      // The exact hypergeometric computations' limit (interval.hpp).
      {"population = " + std::to_string(max_population + 1) + "\n",
       "x.toml:6:14: cell[1].population: is " + std::to_string(max_population + 1) +
           ", but must be <= " + std::to_string(max_population)},
      {"clusters = { count = 0, icc = 0.1 }\n",
       "x.toml:6:22: cell[1].clusters.count: is 0, but must be >= 1"},
      {"clusters = { count = 18, icc = 0.1 }\n",
       "x.toml:6:22: cell[1].clusters.count: is 18, but must be <= sample (17)"},
      {"clusters = { count = 3, icc = 1 }\n",
       "x.toml:6:31: cell[1].clusters.icc: is 1, but must be >= 0 and < 1"},
      {"clusters = { count = 3, icc = -0.1 }\n",
       "x.toml:6:31: cell[1].clusters.icc: is -0.1, but must be >= 0 and < 1"},
      {"inspector = { sensitivity = 1.1 }\n",
       "x.toml:6:29: cell[1].inspector.sensitivity: is 1.1, but must be from 0 to 1"},
      {"inspector = { specificity = -0.5 }\n",
       "x.toml:6:29: cell[1].inspector.specificity: is -0.5, but must be from 0 to 1"},
      {"population = 30\nselection = { odds = 0 }\n",
       "x.toml:7:22: cell[1].selection.odds: is 0, but must be > 0"},
      {"population = 30\nselection = { odds = inf }\n",
       "x.toml:7:22: cell[1].selection.odds: is inf, but must be a finite number"},
      {"population = 30\nselection = { odds = nan }\n",
       "x.toml:7:22: cell[1].selection.odds: is nan, but must be a finite number"},
      {"population = 30\nclusters = { count = 3, icc = 0.1 }\n",
       "x.toml:7:12: cell[1].clusters: needs an unlimited population (clustered samples are drawn with "
       "replacement); omit population"},
      {"selection = { odds = 2 }\n",
       "x.toml:6:13: cell[1].selection: needs population: targeted selection draws from a finite population"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.extra);
    CHECK(problem_of(minimal + c.extra) == c.message);
  }

  auto cell = [](const std::string& rate, const std::string& sample) {
    return cell_toml("A", "c", rate, sample);
  };
  CHECK(problem_of(cell("1.5", "17")) == "x.toml:4:13: cell[1].true_rate: is 1.5, but must be from 0 to 1");
  CHECK(problem_of(cell("-0.01", "17")) ==
        "x.toml:4:13: cell[1].true_rate: is -0.01, but must be from 0 to 1");
  CHECK(problem_of(cell("nan", "17")) ==
        "x.toml:4:13: cell[1].true_rate: is nan, but must be a finite number");
  CHECK(problem_of(cell("[0.1, 2]", "17")) ==
        "x.toml:4:19: cell[1].true_rate[2]: is 2, but must be from 0 to 1");
  CHECK(problem_of(cell("[]", "17")) ==
        "x.toml:4:13: cell[1].true_rate: is an empty list, but must be a rate from 0 to 1 or a non-empty "
        "list of rates");
  CHECK(problem_of(cell("0.5", "0")) == "x.toml:5:10: cell[1].sample: is 0, but must be >= 1");
  CHECK(problem_of(cell("0.5", "100001")) == "x.toml:5:10: cell[1].sample: is 100001, but must be <= 100000");
  CHECK(problem_of(cell("0.5", "[]")) ==
        "x.toml:5:10: cell[1].sample: is an empty list, but must be a whole number >= 1 or a non-empty list "
        "of them");
  CHECK(problem_of(cell("0.5", "[5, -1]")) == "x.toml:5:14: cell[1].sample[2]: is -1, but must be >= 1");
  CHECK(problem_of(cell("0.5", "[5, 40]") + "population = 30\n") ==
        "x.toml:5:14: cell[1].sample[2]: is 40, but must be <= population (30)");
  CHECK(problem_of(cell("{ beta = [0, 2] }", "17")) ==
        "x.toml:4:23: cell[1].true_rate.beta[1]: is 0, but must be > 0");
  CHECK(problem_of(cell("{ beta = [1, -inf] }", "17")) ==
        "x.toml:4:26: cell[1].true_rate.beta[2]: is -inf, but must be a finite number");
  CHECK(problem_of(cell("{ beta = [1] }", "17")) ==
        "x.toml:4:22: cell[1].true_rate.beta: is a list, but must be a list of two numbers [a, b], both > 0");
  CHECK(
      problem_of(cell("{ beta = [1, 1], from = 0 }", "17")) ==
      "x.toml:4:13: cell[1].true_rate: has beta and from/to/steps; give either beta = [a, b] or from, to and "
      "steps");
  CHECK(problem_of(cell("{ from = 0.1, to = 0.5, steps = 0 }", "17")) ==
        "x.toml:4:45: cell[1].true_rate.steps: is 0, but must be >= 1");
  CHECK(problem_of(cell("{ from = 0.1, to = 0.5, steps = 10001 }", "17")) ==
        "x.toml:4:45: cell[1].true_rate.steps: is 10001, but must be <= 10000");
  CHECK(problem_of(cell("{ from = 0.5, to = 0.1, steps = 3 }", "17")) ==
        "x.toml:4:22: cell[1].true_rate.from: is 0.5, but must be <= to (0.1)");
  CHECK(problem_of(cell("{ from = 0.5, steps = 3 }", "17")) ==
        "x.toml:4:13: cell[1].true_rate.to: missing; a sweep needs from, to and steps");
  CHECK(problems_of(cell("{ from = 0.5, to = 0.7, step = 3 }", "17")) ==
        std::vector<std::string>{
            "x.toml:4:13: cell[1].true_rate.steps: missing; a sweep needs from, to and steps",
            "x.toml:4:37: cell[1].true_rate.step: unknown key; did you mean 'steps'?"});

  CHECK(problem_of("seed = -1\n" + minimal) == "x.toml:1:8: seed: is -1, but must be >= 0");
  CHECK(problem_of("replicates = 0\n" + minimal) == "x.toml:1:14: replicates: is 0, but must be >= 1");
  CHECK(problem_of("confidence = 1\n" + minimal) ==
        "x.toml:1:14: confidence: is 1, but must be strictly between 0 and 1");
  CHECK(problem_of("confidence = 0.0\n" + minimal) ==
        "x.toml:1:14: confidence: is 0.0, but must be strictly between 0 and 1");
  CHECK(problem_of("confidence = nan\n" + minimal) ==
        "x.toml:1:14: confidence: is nan, but must be a finite number");
}

TEST_CASE("methods: unknown names with a did-you-mean, duplicates, empty") {
  CHECK(
      problem_of("methods = [\"wilson\", \"clopper-pearsn\"]\n" + minimal) ==
      "x.toml:1:22: methods[2]: is 'clopper-pearsn', but must be an interval method: wald, wald-cc, wilson, "
      "wilson-cc, agresti-coull, jeffreys, clopper-pearson, mid-p, likelihood-ratio, logit (or \"all\" "
      "alone); did you mean 'clopper-pearson'?");
  CHECK(problem_of("methods = [\"wilson\", \"wilson\"]\n" + minimal) ==
        "x.toml:1:22: methods[2]: is 'wilson', which is listed twice");
  CHECK(problem_of("methods = []\n" + minimal) ==
        "x.toml:1:11: methods: is an empty list, but must be a non-empty list of interval methods, e.g. "
        "[\"wilson\", \"clopper-pearson\"]");
}

TEST_CASE("grade bands") {
  CHECK(problem_of("grades = [{ name = \"good\", upper = 0.2 }, { name = \"ri\", upper = 0.1 }, { name = "
                   "\"bad\" }]\n" +
                   minimal) ==
        "x.toml:1:66: grades[2].upper: is 0.1, but must be > the band before's upper "
        "(0.2): bands ascend");
  CHECK(problem_of("grades = [{ name = \"good\" }, { name = \"bad\" }]\n" + minimal) ==
        "x.toml:1:11: grades[1].upper: missing; every band but the last needs an upper bound");
  CHECK(
      problem_of("grades = [{ name = \"good\", upper = 0.2 }, { name = \"bad\", upper = 0.5 }]\n" +
                 minimal) ==
      "x.toml:1:67: grades[2].upper: is 0.5, but must be absent: the last band has no upper bound (it takes "
      "every share above)");
  CHECK(problem_of("grades = [{ name = \"good\", upper = 0.2 }, { upper = 0.3 }, { name = \"bad\" }]\n" +
                   minimal) == "x.toml:1:43: grades[2].name: missing; every band needs a name");
  CHECK(problem_of("grades = [{ name = \"good\", upper = 0.2 }, { name = \"good\" }]\n" + minimal) ==
        "x.toml:1:52: grades[2].name: is 'good', which names an earlier band too");
  CHECK(problem_of("grades = [{ name = \"good\", upper = 1.2 }, { name = \"bad\" }]\n" + minimal) ==
        "x.toml:1:36: grades[1].upper: is 1.2, but must be from 0 to 1");
  CHECK(problem_of("grades = [\"good\"]\n" + minimal) ==
        "x.toml:1:11: grades[1]: is 'good', but must be a table like { name = \"good\", upper = 0.05 }");
  CHECK(problems_of(minimal +
                    "grades = [{ name = \"good\", upper = 0.2 }, { name = \"x\", uper = 0.3 }, { name = "
                    "\"bad\" }]\n") ==
        std::vector<std::string>{
            "x.toml:6:43: cell[1].grades[2].upper: missing; every band but the last needs an upper bound",
            "x.toml:6:57: cell[1].grades[2].uper: unknown key; did you mean 'upper'?"});
}

TEST_CASE("missing keys, duplicate cells, comparisons naming unknown cells") {
  CHECK(problem_of("title = \"x\"\n") ==
        "x.toml:1:1: cell: missing; a scenario needs at least one [[cell]] table (or a [[cells_from]] CSV of "
        "them)");
  CHECK(problem_of("") ==
        "x.toml:1:1: cell: missing; a scenario needs at least one [[cell]] table (or a [[cells_from]] CSV of "
        "them)");
  CHECK(problems_of("[[cell]]\nforce = \"A\"\n") ==
        std::vector<std::string>{
            "x.toml:1:1: cell[1].category: missing; the crime category, e.g. category = \"rape\"",
            "x.toml:1:1: cell[1].true_rate: missing; the share of wrong records: a rate, a list, a sweep or "
            "a beta",
            "x.toml:1:1: cell[1].sample: missing; the number of records the inspectors review"});
  CHECK(problem_of(minimal + "clusters = { icc = 0.1 }\n") ==
        "x.toml:6:12: cell[1].clusters.count: missing; the number of units the sample is spread over");
  CHECK(
      problem_of(minimal + "population = 30\nselection = {}\n") ==
      "x.toml:7:13: cell[1].selection.odds: missing; how many times likelier a wrong record is to be chosen "
      "than a correct one");
  CHECK(problem_of(minimal + "\n" + minimal) ==
        "x.toml:8:9: cell[2]: force/category 'A/rape' is also cell[1]; each cell needs its own");
  CHECK(problem_of(minimal + "\n[[comparison]]\na = \"A/rape\"\nb = \"A/rap\"\n") ==
        "x.toml:9:5: comparison[1].b: is 'A/rap', which names no cell (cells are named \"force/category\"); "
        "did "
        "you mean 'A/rape'?");
  CHECK(problem_of(minimal + "\n[[comparison]]\na = \"A/rape\"\nb = \"A/rape\"\n") ==
        "x.toml:9:5: comparison[1].b: is 'A/rape', the same cell as a; compare two cells");
  CHECK(problem_of(minimal + "\n[[comparison]]\na = \"A/rape\"\n") ==
        "x.toml:7:1: comparison[1].b: missing; a cell named \"force/category\"");
  const std::string two = minimal + "\n" + cell_toml("B", "rape", "0.1", "20");
  CHECK(problem_of(two + "\n[[comparison]]\na = \"A/rape\"\nb = \"B/rape\"\nmethod = \"fishr\"\n") ==
        "x.toml:16:10: comparison[1].method: is 'fishr', but must be one of newcombe, miettinen-nurminen, "
        "agresti-caffo, wald, fisher; did you mean 'fisher'?");
  CHECK(problem_of(two + "\n[[comparison]]\na = \"A/rape\"\nb = \"B/rape\"\nalpha = 0.05\n") ==
        "x.toml:16:1: comparison[1].alpha: unknown key; allowed: a, b, method");
}

TEST_CASE("every problem is reported at once, in file order") {
  const std::string text = R"(replicates = 0
confidence = 2

[[cell]]
force = "A"
category = "c"
true_rate = 1.5
sample = 40
population = 30
clusters = { count = 3, icc = 1 }
)";
  CHECK(problems_of(text) == std::vector<std::string>{
                                 "x.toml:1:14: replicates: is 0, but must be >= 1",
                                 "x.toml:2:14: confidence: is 2, but must be strictly between 0 and 1",
                                 "x.toml:7:13: cell[1].true_rate: is 1.5, but must be from 0 to 1",
                                 "x.toml:8:10: cell[1].sample: is 40, but must be <= population (30)",
                                 "x.toml:10:31: cell[1].clusters.icc: is 1, but must be >= 0 and < 1",
                             });
}

TEST_CASE("load_scenario reads the file and names it, a missing file is an InputError") {
  inspectsim::test::TempDir dir;
  const std::string path = dir.file("s.toml");
  write_file_atomically(path, minimal);
  const auto s = load_scenario(path);
  CHECK(s.source_path == path);
  CHECK(s.source_sha256 == sha256_hex(minimal));
  CHECK_THROWS_AS(load_scenario(dir.file("absent.toml")), InputError);
}

TEST_CASE("every shipped scenario loads") {
  const auto names = inspectsim::test::shipped_scenarios();
  CHECK(names == std::vector<std::string>{"bench-complex", "bench-national", "coverage-small-samples",
                                          "hampshire-2018", "national-league", "plan-grade-sawtooth",
                                          "recording-rate-grades", "two-forces", "zero-errors-audit"});
  for (const std::string& name : names) {
    CAPTURE(name);
    CHECK_NOTHROW(load_scenario(inspectsim::test::source_path("scenarios/" + name + ".toml")));
  }
}

TEST_CASE("leagues: by category or by cells, defaults, swept cells point by point") {
  const std::string three = cell_toml("A", "rape", "0.5", "17") + cell_toml("B", "rape", "0.3", "18") +
                            cell_toml("C", "other", "0.2", "19");
  SimulationSpec spec =
      parse_scenario(three + "[[league]]\nname = \"rape\"\ncategory = \"rape\"\n", "x.toml");
  REQUIRE(spec.leagues.size() == 1);
  CHECK(spec.leagues[0].name == "rape");
  CHECK(spec.leagues[0].members == std::vector<std::size_t>{0, 1});
  CHECK(spec.leagues[0].ties == Ties::shared);
  CHECK(spec.leagues[0].top == std::vector<std::int64_t>{1});  // the default [1, 3] cut to two members

  spec = parse_scenario(three +
                            "[[league]]\nname = \"all\"\ncells = [\"C/other\", \"A/rape\", \"B/rape\"]\n"
                            "ties = \"random\"\ntop = [1, 2]\n",
                        "x.toml");
  REQUIRE(spec.leagues.size() == 1);
  CHECK(spec.leagues[0].members == std::vector<std::size_t>{2, 0, 1});
  CHECK(spec.leagues[0].ties == Ties::random);
  CHECK(spec.leagues[0].top == std::vector<std::int64_t>{1, 2});

  // A sweep of two samples against a single point: two leagues, the single point in both.
  spec = parse_scenario(cell_toml("A", "rape", "0.5", "[17, 40]") + cell_toml("B", "rape", "0.3", "18") +
                            "[[league]]\nname = \"rape\"\ncategory = \"rape\"\n",
                        "x.toml");
  REQUIRE(spec.leagues.size() == 2);
  CHECK(spec.leagues[0].members == std::vector<std::size_t>{0, 2});
  CHECK(spec.leagues[1].members == std::vector<std::size_t>{1, 2});
}

TEST_CASE("leagues: every problem by its place") {
  struct Case {
    std::string league;      // appended to the cells (the league starts on line 11 after the default two)
    std::string message;     // the one problem, exactly
    std::string cells = {};  // the cells before it; empty: A/rape (0.5, 17) and B/rape (0.3, 18)
  };
  const Case cases[] = {
      {"[[league]]\ncategory = \"rape\"\n",
       "x.toml:11:1: league[1].name: missing; the league's name, e.g. name = \"other sexual offences, 43 "
       "forces\""},
      {"[[league]]\nname = \"x\"\n",
       "x.toml:11:1: league[1].category: missing; the members: category = \"...\" (every cell of it) or "
       "cells = [\"force/category\", ...]"},
      {"[[league]]\nname = \"x\"\ncategory = \"rap\"\n",
       "x.toml:13:12: league[1].category: is 'rap', which is the category of no cell; did you mean 'rape'?"},
      {"[[league]]\nname = \"x\"\ncells = [\"A/rape\", \"B/rpe\"]\n",
       "x.toml:13:20: league[1].cells[2]: is 'B/rpe', which names no cell (cells are named "
       "\"force/category\"); did you mean 'B/rape'?"},
      {"[[league]]\nname = \"x\"\ncells = [\"A/rape\", \"A/rape\"]\n",
       "x.toml:13:20: league[1].cells[2]: is 'A/rape', which is listed twice"},
      {"[[league]]\nname = \"x\"\ncells = [\"A/rape\"]\n",
       "x.toml:13:9: league[1].cells: gives 1 cell, but a league needs at least two"},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\ncells = [\"A/rape\"]\n",
       "x.toml:14:9: league[1].cells: cannot be given with category; name the members one way"},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\nties = \"joint\"\n",
       "x.toml:14:8: league[1].ties: is 'joint', but must be shared or random"},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\nties = \"randm\"\n",
       "x.toml:14:8: league[1].ties: is 'randm', but must be shared or random; did you mean 'random'?"},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\ntop = [1, 3]\n",
       "x.toml:14:7: league[1].top: has 3, but the league has 2 members"},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\ntop = [2, 1]\n",
       "x.toml:14:11: league[1].top[2]: is 1, but must be greater than the one before (2)"},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\ntop = [0]\n",
       "x.toml:14:8: league[1].top[1]: is 0, but must be >= 1"},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\n[[league]]\nname = \"x\"\ncategory = \"rape\"\n",
       "x.toml:15:8: league[2].name: is 'x', the name of league[1]; each league needs its own"},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\nsize = 2\n",
       "x.toml:14:1: league[1].size: unknown key; allowed: name, category, cells, ties, top"},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\n",
       "x.toml:13:12: league[1]: 'A/rape' expands to 3 points and 'B/rape' to 2; swept cells are ranked "
       "point by point, so they need the same number of points (or a single point)",
       cell_toml("A", "rape", "0.5", "[17, 18, 19]") + cell_toml("B", "rape", "0.3", "[17, 18]")},
      {"[[league]]\nname = \"x\"\ncategory = \"rape\"\n",
       "x.toml:13:12: league[1]: member 'A/rape' has a Beta true rate, but leagues rank fixed true rates "
       "only (give true_rate as a rate, a list or a sweep)",
       cell_toml("A", "rape", "{ beta = [2, 5] }", "17") + cell_toml("B", "rape", "0.3", "17")},
  };
  const std::string two = cell_toml("A", "rape", "0.5", "17") + cell_toml("B", "rape", "0.3", "18");
  for (const auto& c : cases) {
    const std::string text = (c.cells.empty() ? two : c.cells) + c.league;
    CAPTURE(text);
    CHECK(problem_of(text) == c.message);
  }
}
