// Tests for include/inspectsim/simulation.hpp: the Monte Carlo engine against exact enumeration
// (exact-test.cpp checks the enumeration independently), determinism across thread counts,
// over-dispersion with clusters, validation messages, cancellation and progress.
// Statistical checks use fixed seeds and a tolerance of 5 Monte Carlo standard errors.
#include "inspectsim/simulate/simulate.hpp"

#include <atomic>
#include <cmath>
#include <stdexcept>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/simulate/exact.hpp"
#include "inspectsim/stats/difference.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::simulate;

namespace {

constexpr double tolerance_se = 5;

CellPoint point(std::int64_t sample, double rate) {
  CellPoint p;
  p.sample = sample;
  p.truth.rate = rate;
  return p;
}

CellPoint beta_point(std::int64_t sample, double a, double b) {
  CellPoint p;
  p.sample = sample;
  p.truth = Truth{Truth::Kind::beta, 0, a, b};
  return p;
}

std::vector<Grade> bands() {
  return {{"good", 0.1}, {"requires improvement", 0.3}, {"inadequate", std::nullopt}};
}

// A grid of cells covering every sampling process the engine simulates.
SimulationSpec grid(std::int64_t replicates) {
  SimulationSpec spec;
  spec.seed = 2018;
  spec.replicates = replicates;
  spec.methods.assign(all_methods().begin(), all_methods().end());
  spec.points.push_back(point(17, 0.5));   // binomial
  spec.points.push_back(point(19, 0.05));  // binomial, rare errors
  CellPoint p = point(17, 0.52);           // hypergeometric, K = 31 of 60
  p.population = 60;
  spec.points.push_back(p);
  p = point(33, 0.1);  // hypergeometric, large sampling fraction
  p.population = 40;
  p.grades = bands();
  spec.points.push_back(p);
  p = point(20, 0.1);  // binomial with inspector error
  p.inspector = Inspector{0.9, 0.95};
  p.grades = bands();
  spec.points.push_back(p);
  p = point(25, 0.3);  // hypergeometric with inspector error
  p.population = 80;
  p.inspector = Inspector{0.8, 0.99};
  spec.points.push_back(p);
  p = beta_point(19, 2, 6);  // Beta rate, binomial sampling
  p.grades = bands();
  spec.points.push_back(p);
  p = beta_point(17, 1.5, 3);  // Beta rate, finite population
  p.population = 50;
  p.grades = bands();
  spec.points.push_back(p);
  p = point(17, 0.2);  // targeted selection
  p.population = 60;
  p.selection_odds = 3.0;
  spec.points.push_back(p);
  p = beta_point(14, 2, 2);  // everything at once: Beta rate, population, selection, inspector
  p.population = 40;
  p.selection_odds = 0.5;
  p.inspector = Inspector{0.9, 0.9};
  spec.points.push_back(p);
  p = point(20, 0.3);  // clusters
  p.clusters = Clusters{4, 0.2};
  p.grades = bands();
  spec.points.push_back(p);
  for (std::size_t i = 0; i < spec.points.size(); ++i) spec.points[i].cell = i;
  spec.comparisons = {{"0 vs 1, Newcombe", 0, 1, false, DiffMethod::newcombe},
                      {"2 vs 3, Fisher", 2, 3, true, DiffMethod::newcombe},
                      {"6 vs 7, Miettinen-Nurminen", 6, 7, false, DiffMethod::miettinen_nurminen},
                      {"4 vs 9, Agresti-Caffo", 4, 9, false, DiffMethod::agresti_caffo},
                      {"10 vs 8, Wald", 10, 8, false, DiffMethod::wald}};
  return spec;
}

// A simulated proportion against its exact value: within 5 standard errors plus 5 replicates (for
// rare events, whose Poisson tails the normal rule understates).
void check_within(double simulated, double exact, double replicates) {
  const double se = std::sqrt(exact * (1 - exact) / replicates);
  CHECK(std::abs(simulated - exact) <= tolerance_se * se + 5 / replicates);
}

void check_same_estimate(const Estimate& a, const Estimate& b) {
  CHECK(a.value == b.value);
  CHECK(a.se == b.se);
}

// Every field of two results, bit for bit.
void check_identical(const SimulationResult& a, const SimulationResult& b) {
  REQUIRE(a.points.size() == b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    CAPTURE(i);
    const PointResult& p = a.points[i];
    const PointResult& q = b.points[i];
    CHECK(p.replicates == q.replicates);
    CHECK(p.true_rate == q.true_rate);
    CHECK(p.true_count == q.true_count);
    check_same_estimate(p.mean_share, q.mean_share);
    CHECK(p.bias == q.bias);
    CHECK(p.sd == q.sd);
    CHECK(p.rmse == q.rmse);
    CHECK(p.count_distribution == q.count_distribution);
    CHECK(p.exact_count_distribution == q.exact_count_distribution);
    REQUIRE(p.methods.size() == q.methods.size());
    for (std::size_t m = 0; m < p.methods.size(); ++m) {
      CHECK(p.methods[m].method == q.methods[m].method);
      check_same_estimate(p.methods[m].coverage, q.methods[m].coverage);
      CHECK(p.methods[m].exact_coverage == q.methods[m].exact_coverage);
      CHECK(p.methods[m].mean_width == q.methods[m].mean_width);
      CHECK(p.methods[m].miss_below == q.methods[m].miss_below);
      CHECK(p.methods[m].miss_above == q.methods[m].miss_above);
      CHECK(p.methods[m].undefined == q.methods[m].undefined);
    }
    REQUIRE(p.grades.size() == q.grades.size());
    for (std::size_t g = 0; g < p.grades.size(); ++g) {
      CHECK(p.grades[g].name == q.grades[g].name);
      check_same_estimate(p.grades[g].probability, q.grades[g].probability);
      CHECK(p.grades[g].exact == q.grades[g].exact);
    }
    CHECK(p.p_correct_grade.has_value() == q.p_correct_grade.has_value());
    if (p.p_correct_grade && q.p_correct_grade) check_same_estimate(*p.p_correct_grade, *q.p_correct_grade);
    CHECK(p.exact_p_correct_grade == q.exact_p_correct_grade);
    CHECK(p.correct_grade == q.correct_grade);
  }
  REQUIRE(a.comparisons.size() == b.comparisons.size());
  for (std::size_t c = 0; c < a.comparisons.size(); ++c) {
    check_same_estimate(a.comparisons[c].p_declare, b.comparisons[c].p_declare);
    CHECK(a.comparisons[c].exact == b.comparisons[c].exact);
  }
}

}  // namespace

TEST_CASE("simulation agrees with exact enumeration on a grid of cells") {
  const SimulationSpec spec = grid(30000);
  const SimulationResult result = simulate::run(spec, {2, {}, nullptr});
  const double reps = 30000;
  REQUIRE(result.points.size() == spec.points.size());
  for (std::size_t i = 0; i < result.points.size(); ++i) {
    const PointResult& r = result.points[i];
    CAPTURE(i);
    CHECK(r.replicates == 30000);
    // Every cell of the grid is enumerable, so each exact value is there to check against.
    REQUIRE(r.exact_count_distribution.size() == static_cast<std::size_t>(spec.points[i].sample) + 1);
    REQUIRE(r.count_distribution.size() == r.exact_count_distribution.size());
    double total = 0, exact_mean = 0, exact_second = 0;
    for (std::size_t x = 0; x < r.count_distribution.size(); ++x) {
      CAPTURE(x);
      check_within(r.count_distribution[x], r.exact_count_distribution[x], reps);
      total += r.count_distribution[x];
      const double share = static_cast<double>(x) / static_cast<double>(spec.points[i].sample);
      exact_mean += r.exact_count_distribution[x] * share;
      exact_second += r.exact_count_distribution[x] * share * share;
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
    const double exact_sd = std::sqrt(exact_second - exact_mean * exact_mean);
    CHECK(std::abs(r.mean_share.value - exact_mean) <= tolerance_se * exact_sd / std::sqrt(reps));
    CHECK(r.mean_share.se == doctest::Approx(r.sd / std::sqrt(reps)));
    for (const auto& m : r.methods) {
      CAPTURE(method_name(m.method));
      REQUIRE(m.exact_coverage);
      check_within(m.coverage.value, *m.exact_coverage, reps);
      const double indicator_se = std::sqrt(m.coverage.value * (1 - m.coverage.value) / reps);
      if (spec.points[i].truth.kind == Truth::Kind::fixed) {
        CHECK(m.coverage.se == doctest::Approx(indicator_se));
      } else {
        // A Beta truth's coverage averages P(covered | X = x) over the drawn counts (Rao-Blackwell):
        // its SE is that of a mean of values in [0, 1], never above the indicators' SE.
        CHECK(m.coverage.se <= indicator_se * (1 + 1e-9));
        CHECK(m.coverage.se > 0);
      }
      // Every replicate is covered, missed below, missed above or has no interval.
      CHECK(m.coverage.value + m.miss_below + m.miss_above + static_cast<double>(m.undefined) / reps ==
            doctest::Approx(1.0));
    }
    for (const auto& g : r.grades) {
      CAPTURE(g.name);
      REQUIRE(g.exact);
      check_within(g.probability.value, *g.exact, reps);
    }
    if (!r.grades.empty()) {
      REQUIRE(r.p_correct_grade);
      REQUIRE(r.exact_p_correct_grade);
      check_within(r.p_correct_grade->value, *r.exact_p_correct_grade, reps);
    }
  }
  REQUIRE(result.comparisons.size() == spec.comparisons.size());
  for (const auto& c : result.comparisons) {
    CAPTURE(c.spec.name);
    REQUIRE(c.exact);
    check_within(c.p_declare.value, *c.exact, reps);
  }
}

TEST_CASE("comparisons: power and false alarms of two-sample tests") {
  // Exact values recomputed here from the definition with lgamma binomial laws:
  // P(declare) = sum over (xa, xb) of P(xa) P(xb) [the test declares].
  auto binom = [](std::int64_t n, double p, std::int64_t x) {
    const double nd = static_cast<double>(n), xd = static_cast<double>(x);
    return std::exp(std::lgamma(nd + 1) - std::lgamma(xd + 1) - std::lgamma(nd - xd + 1) + xd * std::log(p) +
                    (nd - xd) * std::log1p(-p));
  };
  SimulationSpec spec;
  spec.replicates = 20000;
  spec.methods = {};
  spec.points = {point(19, 0.5), point(33, 0.2), point(19, 0.5)};
  spec.comparisons = {{"power, Fisher", 0, 1, true, DiffMethod::newcombe},
                      {"power, Newcombe", 1, 0, false, DiffMethod::newcombe},
                      {"false alarm, Fisher", 0, 2, true, DiffMethod::newcombe},
                      {"false alarm, Wald", 2, 0, false, DiffMethod::wald}};
  const SimulationResult r = simulate::run(spec, {2, {}, nullptr});
  REQUIRE(r.comparisons.size() == 4);
  for (std::size_t c = 0; c < 4; ++c) {
    const auto& cmp = spec.comparisons[c];
    const CellPoint& a = spec.points[cmp.a];
    const CellPoint& b = spec.points[cmp.b];
    double want = 0;
    for (std::int64_t xa = 0; xa <= a.sample; ++xa)
      for (std::int64_t xb = 0; xb <= b.sample; ++xb) {
        bool declare = false;
        if (cmp.fisher) {
          declare = fisher_exact_p(xa, a.sample, xb, b.sample) <= 0.05;
        } else {
          const Interval iv = difference_interval(cmp.method, xa, a.sample, xb, b.sample, 0.95);
          declare = iv.lower > 0 || iv.upper < 0;
        }
        if (declare) want += binom(a.sample, a.truth.rate, xa) * binom(b.sample, b.truth.rate, xb);
      }
    CAPTURE(cmp.name);
    REQUIRE(r.comparisons[c].exact);
    CHECK(*r.comparisons[c].exact == doctest::Approx(want).epsilon(1e-10));
    check_within(r.comparisons[c].p_declare.value, want, 20000);
    CHECK(r.comparisons[c].spec.name == cmp.name);
  }
  // A real difference of 0.5 against 0.2 is found more often than a false alarm is raised.
  CHECK(r.comparisons[0].p_declare.value > 0.5);
  CHECK(r.comparisons[2].p_declare.value < 0.05);
}

TEST_CASE("truths, errors and tabulated quantities") {
  SimulationSpec spec = grid(5000);
  spec.methods = {Method::wald, Method::logit, Method::clopper_pearson};
  const SimulationResult r = simulate::run(spec, {1, {}, nullptr});
  // Fixed rate: nominal; finite population: K / M with K = round(rate M).
  CHECK(r.points[0].true_rate == 0.5);
  CHECK_FALSE(r.points[0].true_count);
  CHECK(r.points[2].true_rate == 31.0 / 60.0);
  CHECK(r.points[2].true_count == 31);
  // Beta rate: the Beta mean; no K.
  CHECK(r.points[6].true_rate == doctest::Approx(0.25));
  CHECK_FALSE(r.points[6].true_count);
  // Fixed truth: bias = mean share - truth, rmse^2 = bias^2 + sd^2.
  for (std::size_t i : {0u, 2u, 4u}) {
    const auto& p = r.points[i];
    CHECK(p.bias == doctest::Approx(p.mean_share.value - p.true_rate));
    CHECK(p.rmse * p.rmse == doctest::Approx(p.bias * p.bias + p.sd * p.sd));
  }
  // Logit gives no interval at X = 0 or X = n: exactly the replicates with those counts.
  const auto& rare = r.points[1];
  const double ends = rare.count_distribution.front() + rare.count_distribution.back();
  CHECK(static_cast<double>(rare.methods[1].undefined) == doctest::Approx(ends * 5000));
  CHECK(rare.methods[0].undefined == 0);
  // Grades: the grade the truth deserves; 0.1 is "good" (share <= upper).
  CHECK(r.points[3].correct_grade == "good");
  CHECK(r.points[10].correct_grade == "requires improvement");
  CHECK(r.points[0].grades.empty());
  CHECK_FALSE(r.points[0].p_correct_grade);
  CHECK(r.points[0].correct_grade.empty());
  // Provenance.
  CHECK(r.version == version());
  CHECK(r.spec.seed == 2018);
}

TEST_CASE("identical results for 1, 2 and 7 threads, another seed changes them") {
  // Five full blocks and a partial one.
  const SimulationSpec spec = grid(5 * block_replicates + 123);
  const SimulationResult one = simulate::run(spec, {1, {}, nullptr});
  const SimulationResult two = simulate::run(spec, {2, {}, nullptr});
  const SimulationResult seven = simulate::run(spec, {7, {}, nullptr});
  check_identical(one, two);
  check_identical(one, seven);
  CHECK(one.points[0].replicates == 5 * block_replicates + 123);

  SimulationSpec other = spec;
  other.seed = 2019;
  const SimulationResult changed = simulate::run(other, {2, {}, nullptr});
  for (std::size_t i = 0; i < spec.points.size(); ++i) {
    CAPTURE(i);
    CHECK(changed.points[i].count_distribution != one.points[i].count_distribution);
  }
}

TEST_CASE("clusters over-disperse the count as the beta-binomial formula says") {
  SimulationSpec spec;
  spec.replicates = 40000;
  spec.methods = {Method::wilson};
  for (const auto& [count, icc] :
       std::vector<std::pair<std::int64_t, double>>{{3, 0.2}, {5, 0.05}, {6, 0.3}}) {
    CellPoint p = point(30, 0.3);
    p.clusters = Clusters{count, icc};
    spec.points.push_back(p);
  }
  const SimulationResult r = simulate::run(spec, {2, {}, nullptr});
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const auto& res = r.points[i];
    const auto& c = *spec.points[i].clusters;
    // Var X = sum_i n_i mu (1 - mu) (1 + (n_i - 1) icc) (Griffiths 1973; Williams 1975).
    double want = 0;
    for (const auto m : cluster_sizes(30, c.count))
      want += static_cast<double>(m) * 0.3 * 0.7 * (1 + static_cast<double>(m - 1) * c.icc);
    // The simulated variance of X and its standard error sqrt((mu4 - sigma^4) / R), both from the
    // simulated distribution.
    double mean = 0, m2 = 0, m4 = 0;
    for (std::size_t x = 0; x < res.count_distribution.size(); ++x)
      mean += res.count_distribution[x] * static_cast<double>(x);
    for (std::size_t x = 0; x < res.count_distribution.size(); ++x) {
      const double d = static_cast<double>(x) - mean;
      m2 += res.count_distribution[x] * d * d;
      m4 += res.count_distribution[x] * d * d * d * d;
    }
    const double se = std::sqrt((m4 - m2 * m2) / static_cast<double>(spec.replicates));
    CAPTURE(i);
    CHECK(res.sd * res.sd * 900 == doctest::Approx(m2));
    CHECK(std::abs(m2 - want) <= tolerance_se * se);
    // Well above the binomial variance n mu (1 - mu) = 6.3, so the check can tell them apart.
    CHECK(want - 30 * 0.3 * 0.7 > tolerance_se * se);
  }
}

TEST_CASE("what cannot run is reported at once, each problem by its place") {
  SimulationSpec spec;
  spec.replicates = 0;
  spec.confidence = 1.0;
  CellPoint p = point(40, 1.2);
  p.cell = 2;
  p.force = "Kent";
  p.category = "rape";
  p.population = 30;
  p.selection_odds = 0.0;
  spec.points.push_back(p);
  spec.points.push_back(p);  // a swept copy: its problems are reported once
  CellPoint q = beta_point(10, 0.0, 2.0);
  q.cell = 3;
  q.clusters = Clusters{11, 1.0};
  q.inspector = Inspector{1.5, -0.1};
  q.selection_odds = 2.0;
  q.grades = {{"good", 0.2}, {"bad", 0.1}, {"worse", 0.5}};
  spec.points.push_back(q);
  spec.comparisons.push_back({"x", 0, 9, false, DiffMethod::newcombe});
  spec.comparisons.push_back({"y", 1, 1, false, DiffMethod::newcombe});
  const std::string want =
      "replicates: is 0, but must be at least 1\n"
      "confidence: is 1, but must be strictly between 0 and 1\n"
      "cell[2] (Kent / rape).population: is 30, but must be at least the sample (40) and at most 2147483647\n"
      "cell[2] (Kent / rape).true_rate: is 1.2, but must be between 0 and 1\n"
      "cell[2] (Kent / rape).selection.odds: is 0, but must be a positive number\n"
      "cell[3].true_rate.beta: has shape 0, but Beta shapes must be positive\n"
      "cell[3].clusters.count: is 11, but must be a whole number from 1 to the sample (10)\n"
      "cell[3].clusters.icc: is 1, but must be at least 0 and below 1\n"
      "cell[3].inspector.sensitivity: is 1.5, but must be between 0 and 1\n"
      "cell[3].inspector.specificity: is -0.1, but must be between 0 and 1\n"
      "cell[3].selection: needs a finite population (targeted selection draws records without replacement)\n"
      "cell[3].grades[1].upper: is 0.1, but grades must ascend (the previous upper is 0.2)\n"
      "cell[3].grades[2].upper: is 0.5, but the last grade must have no upper bound\n"
      "comparisons[0]: refers to point 9, but there are 3 points\n"
      "comparisons[1]: compares point 1 with itself";
  CHECK_THROWS_WITH_AS(simulate::run(spec), want.c_str(), InputErrors);

  SimulationSpec small;
  small.points.push_back(point(0, 0.5));
  CellPoint r = point(5, 0.5);
  r.clusters = Clusters{2, 0.1};
  r.population = 10;
  r.grades = {{"good", 0.2}, {"bad", std::nullopt}, {"worse", std::nullopt}};
  small.points.push_back(r);
  CHECK_THROWS_WITH_AS(simulate::run(small),
                       "cell[0].sample: is 0, but must be a whole number from 1 to 100000\n"
                       "cell[0].clusters: needs an unlimited population (clustered samples are drawn with "
                       "replacement); omit population\n"
                       "cell[0].grades[1].upper: is missing; every grade but the last needs an upper bound",
                       InputErrors);
}

TEST_CASE("cancellation stops the run, progress reaches the end") {
  SimulationSpec spec = grid(20 * block_replicates);
  std::atomic<bool> cancel{true};
  CHECK_THROWS_AS(simulate::run(spec, {2, {}, &cancel}), Interrupted);

  // Cancelled from the progress callback (as a Ctrl-C handler would, from outside the workers).
  cancel = false;
  RunOptions options{1, [&](std::uint64_t, std::uint64_t) { cancel = true; }, &cancel};
  CHECK_THROWS_AS(simulate::run(spec, options), Interrupted);

  // A callback that throws stops the workers cleanly and passes its error on.
  cancel = false;
  RunOptions throwing{2, [](std::uint64_t, std::uint64_t) { throw std::runtime_error("callback failed"); },
                      &cancel};
  CHECK_THROWS_WITH_AS(simulate::run(spec, throwing), "callback failed", std::runtime_error);

  spec.replicates = 3 * block_replicates;
  std::uint64_t last_done = 0, last_total = 0;
  bool monotone = true;
  RunOptions watch{2,
                   [&](std::uint64_t done, std::uint64_t total) {
                     monotone = monotone && done >= last_done;
                     last_done = done;
                     last_total = total;
                   },
                   &cancel};
  simulate::run(spec, watch);
  CHECK(monotone);
  CHECK(last_done == 3);
  CHECK(last_total == 3);
}

TEST_CASE("one replicate and an empty spec") {
  SimulationSpec spec = grid(1);
  const SimulationResult r = simulate::run(spec, {3, {}, nullptr});
  for (const auto& p : r.points) {
    double total = 0;
    for (double v : p.count_distribution) total += v;
    CHECK(total == 1.0);
    // One replicate covers or misses a fixed truth; a Beta truth's coverage is the conditional
    // probability of covering it given the one count drawn.
    for (const auto& m : p.methods) {
      if (p.point.truth.kind == Truth::Kind::fixed)
        CHECK((m.coverage.value == 0.0 || m.coverage.value == 1.0));
      else
        CHECK((m.coverage.value >= 0.0 && m.coverage.value <= 1.0));
    }
  }
  SimulationSpec empty;
  CHECK(simulate::run(empty).points.empty());
}

namespace {

// Five members with samples 17 to 20 (one drawn without replacement, one with inspector error), the
// worst unique, two members tied in truth.
SimulationSpec league_spec(Ties ties, std::int64_t replicates) {
  SimulationSpec spec;
  spec.seed = 43;
  spec.replicates = replicates;
  spec.methods = {Method::wilson};
  const double rates[] = {0.53, 0.3, 0.3, 0.2, 0.4};
  const std::int64_t samples[] = {17, 18, 20, 19, 17};
  for (std::size_t i = 0; i < 5; ++i) {
    CellPoint p = point(samples[i], rates[i]);
    p.cell = i;
    p.force = "F" + std::to_string(i);
    p.category = "c";
    spec.points.push_back(p);
  }
  spec.points[1].population = 60;  // K = 18 of 60: 0.3, as point 2
  spec.points[4].inspector = Inspector{0.9, 0.97};
  spec.leagues.push_back({"five", {0, 1, 2, 3, 4}, ties, {1, 2, 5}});
  return spec;
}

}  // namespace

TEST_CASE("league: simulated ranked-worst probabilities agree with exact enumeration") {
  for (const Ties ties : {Ties::shared, Ties::random}) {
    CAPTURE(name_of(ties));
    const SimulationResult r = simulate::run(league_spec(ties, 60000), {2, {}, nullptr});
    REQUIRE(r.leagues.size() == 1);
    const LeagueResult& l = r.leagues[0];
    REQUIRE(l.members.size() == 5);
    double exact_sum = 0;
    for (const auto& m : l.members) {
      CAPTURE(m.point);
      REQUIRE(m.p_ranked_worst_exact);
      const double e = *m.p_ranked_worst_exact;
      exact_sum += e;
      // Within 4.5 standard errors (of the exact value) plus a few replicates for rare events.
      CHECK(std::abs(m.p_ranked_worst.value - e) <= 4.5 * std::sqrt(e * (1 - e) / 60000) + 5.0 / 60000);
      CHECK(m.rank_distribution.size() == 5);
      CHECK(m.rank_distribution[0] == m.p_ranked_worst.value);
    }
    if (ties == Ties::random) CHECK(exact_sum == doctest::Approx(1.0).epsilon(1e-12));
    if (ties == Ties::shared) CHECK(exact_sum > 1.0);
    // True ranks, tied truths sharing the better rank (point 1 is K / M = 18 / 60 = 0.3 exactly).
    CHECK(l.members[0].true_rank == 1);
    CHECK(l.members[4].true_rank == 2);
    CHECK(l.members[1].true_rank == 3);
    CHECK(l.members[2].true_rank == 3);
    CHECK(l.members[3].true_rank == 5);
    // The truly worst is member 0, so its ranked-worst probability is the headline one.
    CHECK(l.p_true_worst_ranked_worst.value == l.members[0].p_ranked_worst.value);
    REQUIRE(l.p_true_worst_ranked_worst_exact);
    CHECK(*l.p_true_worst_ranked_worst_exact == *l.members[0].p_ranked_worst_exact);
    // "All ranked worst among the true worst k": k = 1 is at most P(truly worst ranked worst), k = 5 is 1.
    REQUIRE(l.top.size() == 3);
    CHECK(l.top[0].k == 1);
    CHECK(l.top[0].probability.value <= l.p_true_worst_ranked_worst.value);
    CHECK(l.top[1].probability.value >= l.top[0].probability.value);
    CHECK(l.top[2].probability.value == 1.0);
    if (ties == Ties::random) CHECK(l.top[0].probability.value == l.p_true_worst_ranked_worst.value);
    REQUIRE(l.spearman);
    CHECK(l.spearman->value > 0.3);
    CHECK(l.spearman->value < 1.0);
    CHECK(l.mean_abs_rank_error.value > 0);
    // Under random ties every replicate's ranks are a permutation: each rank used once.
    if (ties == Ties::random)
      for (std::size_t rank = 0; rank < 5; ++rank) {
        double total = 0;
        for (const auto& m : l.members) total += m.rank_distribution[rank];
        CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
      }
  }
}

namespace {

// The binomial law of x = 0..n, from lgamma (independent of the engine's tables).
std::vector<double> binomial_pmf(std::int64_t n, double p) {
  std::vector<double> pmf;
  const double nd = static_cast<double>(n);
  for (std::int64_t x = 0; x <= n; ++x) {
    const double xd = static_cast<double>(x);
    pmf.push_back(std::exp(std::lgamma(nd + 1) - std::lgamma(xd + 1) - std::lgamma(nd - xd + 1) +
                           xd * std::log(p) + (nd - xd) * std::log1p(-p)));
  }
  return pmf;
}

// A league of binomial members, fixed truths, every member in it.
SimulationSpec binomial_league(const std::vector<std::int64_t>& samples, const std::vector<double>& rates,
                               Ties ties, std::int64_t replicates) {
  SimulationSpec spec;
  spec.seed = 7;
  spec.replicates = replicates;
  spec.methods = {};
  LeagueSpec league{"all", {}, ties, {1}};
  for (std::size_t i = 0; i < samples.size(); ++i) {
    CellPoint p = point(samples[i], rates[i]);
    p.cell = i;
    p.force = "F" + std::to_string(i);
    p.category = "c";
    spec.points.push_back(p);
    league.members.push_back(i);
  }
  spec.leagues.push_back(league);
  return spec;
}

// E[rank_i] from the definition: 1 + sum over j != i of P(share_j > share_i), plus half of
// P(share_j = share_i) under random ties, each pair's probability summed over x_i with the
// other member's cumulative law (shares compared by cross-multiplication).
std::vector<double> exact_mean_ranks(const std::vector<std::int64_t>& samples,
                                     const std::vector<double>& rates, Ties ties) {
  std::vector<std::vector<double>> pmf, cdf;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    pmf.push_back(binomial_pmf(samples[i], rates[i]));
    std::vector<double> c(pmf.back().size());
    double run = 0;
    for (std::size_t x = 0; x < c.size(); ++x) c[x] = run += pmf.back()[x];
    cdf.push_back(std::move(c));
  }
  std::vector<double> mean(samples.size(), 1.0);
  for (std::size_t i = 0; i < samples.size(); ++i)
    for (std::size_t j = 0; j < samples.size(); ++j) {
      if (j == i) continue;
      const std::int64_t ni = samples[i], nj = samples[j];
      for (std::int64_t x = 0; x <= ni; ++x) {
        // x_j / nj > x / ni  <=>  x_j > floor(x nj / ni); equal when x nj / ni is whole.
        const std::int64_t at_most = x * nj / ni;
        const double greater = 1.0 - cdf[j][static_cast<std::size_t>(at_most)];
        const double equal = at_most * ni == x * nj ? pmf[j][static_cast<std::size_t>(at_most)] : 0.0;
        mean[i] +=
            pmf[i][static_cast<std::size_t>(x)] * (greater + (ties == Ties::random ? 0.5 * equal : 0.0));
      }
    }
  return mean;
}

}  // namespace

// The engine ranks a league in byte lanes where every share key fits a byte and the league has at
// most 255 members, and member by member otherwise (16-bit keys, or 32-bit beyond 32,767 distinct
// shares): each path's mean ranks must agree with the exact pairwise sums.
TEST_CASE("league: mean ranks agree with exact pairwise sums on every ranking path") {
  struct Case {
    const char* name;
    std::vector<std::int64_t> samples;
    std::vector<double> rates;
    std::int64_t replicates;
  };
  std::vector<Case> cases = {
      {"byte lanes: 6 members, samples 17-20",
       {17, 18, 19, 20, 17, 20},
       {0.5, 0.3, 0.3, 0.2, 0.1, 0.4},
       40000},
      {"16-bit keys: samples near 300", {300, 301, 299, 302}, {0.1, 0.11, 0.12, 0.1}, 40000},
      {"32-bit keys: samples near 20,000", {20000, 20001, 19999}, {0.2, 0.2005, 0.201}, 20000},
      {"256 members of 5 records", {}, {}, 4000},
  };
  for (std::size_t i = 0; i < 256; ++i) {
    cases.back().samples.push_back(5);
    cases.back().rates.push_back(0.05 + 0.6 * static_cast<double>(i % 17) / 16.0);
  }
  for (const Case& c : cases)
    for (const Ties ties : {Ties::shared, Ties::random}) {
      CAPTURE(c.name);
      CAPTURE(name_of(ties));
      const SimulationResult r =
          simulate::run(binomial_league(c.samples, c.rates, ties, c.replicates), {2, {}, nullptr});
      const std::vector<double> want = exact_mean_ranks(c.samples, c.rates, ties);
      REQUIRE(r.leagues.size() == 1);
      REQUIRE(r.leagues[0].members.size() == want.size());
      for (std::size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i);
        const Estimate& got = r.leagues[0].members[i].mean_rank;
        CHECK(std::abs(got.value - want[i]) <= 4.5 * got.se + 1e-9);
      }
    }
}

TEST_CASE("league: identical results for 1, 2 and 4 threads, random ties drawn from the block stream") {
  const SimulationSpec spec = league_spec(Ties::random, 3 * block_replicates + 77);
  const SimulationResult one = simulate::run(spec, {1, {}, nullptr});
  for (const unsigned threads : {2u, 4u}) {
    const SimulationResult other = simulate::run(spec, {threads, {}, nullptr});
    check_identical(one, other);
    REQUIRE(other.leagues.size() == 1);
    for (std::size_t i = 0; i < 5; ++i) {
      CHECK(one.leagues[0].members[i].rank_distribution == other.leagues[0].members[i].rank_distribution);
      check_same_estimate(one.leagues[0].members[i].mean_rank, other.leagues[0].members[i].mean_rank);
    }
    check_same_estimate(*one.leagues[0].spearman, *other.leagues[0].spearman);
    check_same_estimate(one.leagues[0].mean_abs_rank_error, other.leagues[0].mean_abs_rank_error);
  }
  // A league draws its tie-breaks after the points, so the points' draws are those without it.
  SimulationSpec plain = spec;
  plain.leagues.clear();
  check_identical(one, simulate::run(plain, {1, {}, nullptr}));
}

TEST_CASE("league: equal truths give no Spearman, Beta truths and bad members are refused") {
  SimulationSpec spec = league_spec(Ties::shared, 1000);
  for (auto& p : spec.points) {
    p.truth.rate = 0.3;
    p.population.reset();
  }
  const SimulationResult r = simulate::run(spec, {1, {}, nullptr});
  CHECK_FALSE(r.leagues[0].spearman);
  for (const auto& m : r.leagues[0].members) CHECK(m.true_rank == 1);
  CHECK(r.leagues[0].p_true_worst_ranked_worst.value == 1.0);

  spec.points[3] = beta_point(19, 2, 5);
  spec.points[3].force = "F3";
  spec.points[3].category = "c";
  spec.leagues[0].top = {2, 2};
  spec.leagues.push_back({"short", {0}, Ties::shared, {1}});
  try {
    simulate::run(spec, {1, {}, nullptr});
    FAIL("no error");
  } catch (const InputErrors& e) {
    CHECK(e.problems() ==
          std::vector<std::string>{
              "leagues[0]: member F3/c has a Beta true rate, but leagues rank fixed true rates only",
              "leagues[0].top: is 2, but must ascend, each a whole number from 1 to the league's size (5)",
              "leagues[1]: has 1 member, but a league needs at least two"});
  }
}
