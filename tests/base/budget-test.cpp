// Tests for include/inspectsim/budget.hpp: the estimates follow the documented weights (README.md,
// "Reliability"; sim/budget.cpp), computed here by hand, and the refusal names the estimate, the
// budget and the option that raises it.
#include "inspectsim/base/budget.hpp"
#include "inspectsim/compare/cost.hpp"
#include "inspectsim/plan/cost.hpp"
#include "inspectsim/simulate/cost.hpp"

#include <cmath>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::simulate;
using namespace inspectsim::compare;
using namespace inspectsim::plan;

namespace {
CellPoint point(std::int64_t n) {
  CellPoint p;
  p.force = "A";
  p.category = "c";
  p.truth.rate = 0.2;
  p.sample = n;
  return p;
}
}  // namespace

TEST_CASE("simulation cost: replicates by how they are drawn, tables once per sample size") {
  SimulationSpec spec;
  spec.replicates = 1000;
  spec.methods = {Method::wilson};
  spec.points = {point(20)};
  // 1000 alias draws of 3 units, 21 counts of 50 units, and Wilson's table: 21 counts of 200.
  Cost c = simulation_cost(spec, 1);
  CHECK(c.work == doctest::Approx(1000 * 3 + 21 * 50 + 21 * 200));
  // One thread: 4 + 2 tallies in flight of 8-byte counters, 116 bytes of results per count; the
  // table (17 bytes per count and method) and the alias table (16); 16 MB of base.
  CHECK(c.bytes == doctest::Approx(16e6 + 21 * (8 * 6 + 116) + 21 * (17 + 16)));
  CHECK(c.detail == "1 cell point x 1000 replicates, samples up to 20");

  // A second point of the same size adds its replicates and counts, not another table.
  spec.points.push_back(point(20));
  CHECK(simulation_cost(spec, 1).work == doctest::Approx(2 * (1000 * 3 + 21 * 50) + 21 * 200));

  // A Beta truth drawn without replacement from 100 records, with two methods: its count's law is
  // enumerable (101 values of K, 50 x 21 each), so each replicate is one alias draw (3);
  // Clopper-Pearson's table costs 10,000 per count.
  SimulationSpec beta;
  beta.replicates = 1000;
  beta.methods = {Method::wilson, Method::clopper_pearson};
  CellPoint p = point(20);
  p.truth.kind = Truth::Kind::beta;
  p.truth.a = 2;
  p.truth.b = 8;
  p.population = 100;
  beta.points = {p};
  CHECK(simulation_cost(beta, 1).work ==
        doctest::Approx(1000 * 3 + 101 * 50 * 21 + 21 * 50 + 21 * (200 + 10000)));
  // With clusters and no population its law is not enumerable, so each replicate is simulated:
  // 50 + 200 + 2 x 20 for the Beta truth and its two methods, 3 units of 220.
  p.population.reset();
  p.clusters = Clusters{3, 0.1};
  beta.points = {p};
  CHECK(simulation_cost(beta, 1).work == doctest::Approx(1000 * (290 + 660) + 21 * 50 + 21 * (200 + 10000)));
  p.clusters.reset();

  // Clusters and an inspector on a fixed truth: the count is drawn from its exact law by alias (3 per
  // replicate), and the law is enumerated once: 50 x 21 for the pmf, 5 x 21^2 for the clusters'
  // convolution, 21^3 / 6 + 100 x 21^2 for the misclassification.
  p = point(20);
  p.clusters = Clusters{5, 0.1};
  p.inspector = Inspector{0.9, 0.95};
  beta.points = {p};
  const double law = 50 * 21 + 5 * 21 * 21 + 21.0 * 21 * 21 / 6 + 100 * 21 * 21;
  CHECK(simulation_cost(beta, 1).work == doctest::Approx(1000 * 3 + 21 * 50 + 21 * (200 + 10000) + law));
  // Where the law is too costly to enumerate (inspector error on 2,000 records: 1.3e9 steps), the
  // process is simulated: 50 + 1100 + 50 per replicate.
  p.sample = 2000;
  beta.points = {p};
  CHECK(simulation_cost(beta, 1).work == doctest::Approx(1000 * 1200 + 2001 * 50 + 2001 * (200 + 10000)));
}

TEST_CASE("simulation cost: a league ranks every pair of members in every replicate") {
  SimulationSpec spec;
  spec.replicates = 1000;
  spec.methods = {Method::wilson};
  spec.points = {point(20), point(20), point(20)};
  const double without = simulation_cost(spec, 1).work;
  const double bytes = simulation_cost(spec, 1).bytes;
  spec.leagues.push_back({"three", {0, 1, 2}, Ties::shared, {1, 3}});
  // Per replicate 3 x 3 pairs of 1 unit and 3 members of 4; once, 3 x 3 x 63 exact terms of 2.
  const Cost c = simulation_cost(spec, 1);
  CHECK(c.work - without == doctest::Approx(1000 * (9 * 1 + 3 * 4) + 9 * 63 * 2));
  // Six tallies in flight, each with the 3 x 3 rank histogram and three members' block of counts.
  CHECK(c.bytes - bytes == doctest::Approx(9 * 8 * 6 + 3 * 4 * 4096 * 6));
  CHECK(c.detail == "3 cell points x 1000 replicates, samples up to 20, 1 league of 3 members in all");
}

TEST_CASE("simulation cost: a Fisher comparison tabulates every pair of counts") {
  SimulationSpec spec;
  spec.replicates = 10;
  spec.methods = {Method::wald};
  spec.points = {point(20), point(30)};
  ComparisonSpec cmp;
  cmp.a = 0;
  cmp.b = 1;
  cmp.fisher = true;
  spec.comparisons = {cmp};
  // 21 x 31 tests, each a walk over up to 20 tables: 20 + 10 x 20 units.
  const double points = 2 * 10 * 3 + (21 + 31) * 50 + (21 + 31) * 100;
  CHECK(simulation_cost(spec, 1).work == doctest::Approx(points + 21 * 31 * 220));
  spec.comparisons[0].fisher = false;  // a difference interval: 300 units
  CHECK(simulation_cost(spec, 1).work == doctest::Approx(points + 21 * 31 * 300));
}

TEST_CASE("comparison cost: Beta draws per row and draw, the hierarchical model, each row's figures, tests") {
  ResultsTable t;
  for (const char* force : {"A", "B", "C"}) {
    ResultRow r;
    r.force = force;
    r.inspection = force[0] == 'C' ? "2019" : "2018";
    r.category = "rape";
    r.sampled = 20;
    r.incorrect = 3;
    t.rows.push_back(r);
  }
  CompareRequest q;
  q.draws = 100;
  // Groups of 2 and 1 rows, too small for the hierarchical model: per row and draw two totals'
  // draws (20 each) and a rank draw from a tabled posterior (30); one test per row (22,000) and
  // each row's figures (60,000).
  const double rows = 3 * 100 * (2 * 20 + 30) + 3 * 22000 + 3 * 60000;
  CHECK(comparison_cost(t, q).work == doctest::Approx(rows));
  q.pairs = true;  // one pair
  CHECK(comparison_cost(t, q).work == doctest::Approx(rows + 22000));
  // One group of 3: the hierarchical model (its fit, 1.5e7; each row's posterior, 2e6; the
  // predictive check, min(draws, 4000) replicates of 120 per row) and joint rank draws (70, not 30);
  // three pairs.
  q.group_by = GroupBy::category;
  const double model = 1.5e7 + 3 * 2e6 + 3 * 100 * 120;
  CHECK(comparison_cost(t, q).work == doctest::Approx(rows + 3 * 100 * 40 + model + 3 * 22000));
  q.shrinkage = Shrinkage::empirical;  // no model; ranks from tabled posteriors
  CHECK(comparison_cost(t, q).work == doctest::Approx(rows + 3 * 22000));
  q.inspections = {"2019"};  // one row left
  CHECK(comparison_cost(t, q).work == doctest::Approx(100 * (2 * 20 + 30) + 22000 + 60000));
}

TEST_CASE("plan scenario cost: candidate sizes up to the population, unknown cells cost nothing") {
  SimulationSpec spec;
  spec.replicates = 100;
  spec.methods = {Method::wilson};
  CellPoint p = point(20);
  p.population = 1023;
  spec.points = {p, point(40)};
  spec.points[1].force = "B";
  // The cell's point at 1023 records (no other point): 2 log2(1024) + 20 = 40 candidates, twice.
  SimulationSpec at_cap;
  at_cap.replicates = 100;
  at_cap.methods = spec.methods;
  at_cap.points = {p};
  at_cap.points[0].sample = 1023;
  CHECK(scenario_plan_cost(spec, "A/c", 1).work == doctest::Approx(2 * 40 * simulation_cost(at_cap, 1).work));
  CHECK(scenario_plan_cost(spec, "Z/c", 1).work == 0);
}

TEST_CASE("a cost over the budget is refused with the estimate and the field that raises it") {
  Cost c;
  c.work = 3.21e11;
  c.bytes = 1e6;
  c.detail = "4 cell points x 1000000000000 replicates";
  c.advice = "fewer replicates (" + field("replicates") + ")";
  CHECK_NOTHROW(check_budget(c, Budget{}));
  c.work = 3.21e13;
  CHECK_THROWS_WITH_AS(
      check_budget(c, Budget{}),
      "this run needs about 3.21e+13 units of work (4 cell points x 1000000000000 replicates; "
      "roughly 9 hours of one core), more than the budget of 1e+12; use fewer replicates "
      "(replicates), or raise the budget with max_work 3.3e+13",
      InputError);
  c.work = 1;
  c.bytes = 5.06e9;
  CHECK_THROWS_WITH_AS(
      check_budget(c, Budget{}),
      "this run needs about 5060 MB of memory (4 cell points x 1000000000000 replicates), more "
      "than the budget of 2048 MB; use fewer replicates (replicates), or raise the budget "
      "with max_memory 5100",
      InputError);
  CHECK_NOTHROW(check_budget(c, Budget{1e12, 6000}));
}

TEST_CASE("the refusal names the input it comes from") {
  Cost c;
  c.work = 2e12;
  c.detail = "1 cell point x 1000000000000 replicates";
  c.advice = "fewer replicates (" + field("replicates") + ")";
  CHECK_THROWS_WITH_AS(
      check_budget(c, Budget{}, "x.toml"),
      "x.toml: this run needs about 2e+12 units of work (1 cell point x 1000000000000 "
      "replicates; roughly 33 minutes of one core), more than the budget of 1e+12; use fewer "
      "replicates (replicates), or raise the budget with max_work 2e+12",
      InputError);
  // A front end spells the fields its own way (the CLI: --replicates, --max-work).
  try {
    check_budget(c, Budget{}, "x.toml");
    FAIL("check_budget did not throw");
  } catch (const InputError& e) {
    const std::string spelled = e.spelled([](std::string_view f) { return "<" + std::string(f) + ">"; });
    CHECK(
        spelled.ends_with("use fewer replicates (<replicates>), or raise the budget with <max_work> 2e+12"));
    CHECK(e.field() == "replicates");
  }
}

TEST_CASE("plan precision cost: sizes near the normal-approximation answer, counts within 8 SD") {
  PrecisionRequest q;
  q.rate = 0.5;
  q.margin = 0.1;
  q.method = Method::wilson;
  // By hand: n = 1.959964^2 x 0.25 / 0.01 = 96.04 (the planner's answer is 92); every size up to
  // it is scanned, plus 2 log2(97.04) + 11 for doubling and bisection: 120.2 sizes. The law spans
  // min(n + 1, 16 sqrt(24.01) + 1) = 79.4 counts, each a binomial term (600) and a Wilson bound (200).
  const double n = 1.959963984540054 * 1.959963984540054 * 0.25 / 0.01;
  const double sizes = n + 2 * std::log2(n + 1) + 11;
  const double law = 16 * std::sqrt(n * 0.25) + 1;
  CHECK(precision_plan_cost(q).work == doctest::Approx(sizes * law * 800).epsilon(1e-9));
  // Beyond 2000 only the last twentieth below n is scanned.
  q.margin = 0.001;
  const double big = n * 1e4;
  CHECK(precision_plan_cost(q).work ==
        doctest::Approx((big / 20 + 2 * std::log2(big + 1) + 11) * (16 * std::sqrt(big * 0.25) + 1) * 800)
            .epsilon(1e-9));
  // The assured criterion aims at twice the size; Clopper-Pearson bounds cost 10,000 units each.
  q.margin = 0.1;
  const double expected = precision_plan_cost(q).work;
  q.criterion = WidthCriterion::assured;
  CHECK(precision_plan_cost(q).work > 2 * expected);
  q.criterion = WidthCriterion::expected;
  q.method = Method::clopper_pearson;
  CHECK(precision_plan_cost(q).work == doctest::Approx(expected * 10600 / 800).epsilon(1e-9));
  // The hypergeometric method keeps the planner's own step limit: nothing is estimated here.
  q.method.reset();
  q.population = 1000;
  CHECK(precision_plan_cost(q).work == 0);
}
