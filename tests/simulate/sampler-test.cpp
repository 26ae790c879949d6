// Tests for include/inspectsim/sampling.hpp: each sampler's frequencies against its exact law
// (exact-test.cpp checks those laws independently), with fixed seeds and a tolerance of 5 Monte
// Carlo standard errors (plus 5 counts) per count.
#include "inspectsim/simulate/sampler.hpp"

#include <cmath>
#include <functional>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"
#include "inspectsim/simulate/exact.hpp"
#include "inspectsim/stats/laws.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::random;
using namespace inspectsim::simulate;

namespace {

// Draws `replicates` counts and checks every frequency against `pmf`: within 5 standard errors
// sqrt(p (1 - p) / R) plus 5 counts (for rare counts, whose Poisson tails the normal rule
// understates), and never a count the law rules out.
void check_frequencies(const std::function<std::int64_t(Engine&)>& draw, const std::vector<double>& pmf,
                       int replicates = 40000, std::uint64_t seed = 7) {
  Engine engine = make_stream(seed, 0);
  std::vector<double> hits(pmf.size(), 0.0);
  for (int r = 0; r < replicates; ++r) {
    const std::int64_t x = draw(engine);
    if (x < 0 || x >= static_cast<std::int64_t>(pmf.size()))
      FAIL("drew " << x << ", outside 0.." << pmf.size() - 1);
    ++hits[static_cast<std::size_t>(x)];
  }
  for (std::size_t x = 0; x < pmf.size(); ++x) {
    const double f = hits[x] / replicates;
    const double se = std::sqrt(pmf[x] * (1 - pmf[x]) / replicates);
    CAPTURE(x);
    CAPTURE(pmf[x]);
    if (pmf[x] == 0.0)
      CHECK(hits[x] == 0.0);
    else
      CHECK(std::abs(f - pmf[x]) <= 5 * se + 5.0 / replicates);
  }
}

// P(X = x and T <= upto), x = 0..n, from `replicates` draws of the sampler (truths and counts
// together), against want[x], each within 5 Monte Carlo SEs.
void check_joint_frequencies(const PointSampler& sampler, double upto, const std::vector<double>& want,
                             int replicates, std::uint64_t seed) {
  std::vector<double> hits(want.size(), 0.0);
  Engine e = make_stream(seed, 0);
  for (int r = 0; r < replicates; ++r) {
    const Draw d = sampler.draw(e);
    if (d.truth <= upto) ++hits[static_cast<std::size_t>(d.x)];
  }
  for (std::size_t x = 0; x < hits.size(); ++x) {
    CAPTURE(x);
    const double se = std::sqrt(want[x] * (1 - want[x]) / replicates);
    CHECK(std::abs(hits[x] / replicates - want[x]) <= 5 * se + 5.0 / replicates);
  }
}

}  // namespace

TEST_CASE("alias table draws each value with its weight") {
  const std::vector<double> weights{0.1, 0.0, 0.25, 0.05, 0.6};
  const AliasTable table(weights);
  CHECK(table.size() == 5);
  check_frequencies([&](Engine& e) { return table(e); }, weights, 100000);
  // Unnormalised weights are fine.
  const AliasTable doubled(std::vector<double>{2, 6});
  check_frequencies([&](Engine& e) { return doubled(e); }, {0.25, 0.75});
  // A single value always comes out, and uses exactly one 64-bit word.
  const AliasTable one(std::vector<double>{3.0});
  Engine a = make_stream(1, 0), b = make_stream(1, 0);
  for (int i = 0; i < 100; ++i) CHECK(one(a) == 0);
  b.discard(100);
  CHECK(a() == b());
}

TEST_CASE("alias table rejects weights it cannot draw from") {
  const std::string msg = "an alias table needs non-negative weights with a positive, finite sum";
  CHECK_THROWS_WITH_AS(AliasTable(std::vector<double>{}), msg.c_str(), InputError);
  CHECK_THROWS_WITH_AS(AliasTable(std::vector<double>{0.0, 0.0}), msg.c_str(), InputError);
  CHECK_THROWS_WITH_AS(AliasTable(std::vector<double>{0.5, -0.1, 0.6}),
                       "an alias table needs non-negative weights", InputError);
}

TEST_CASE("binomial, hypergeometric and Wallenius draws follow their laws") {
  check_frequencies([](Engine& e) { return draw_binomial(e, 17, 0.3); }, binomial_pmf(17, 0.3));
  check_frequencies([](Engine& e) { return draw_binomial(e, 200, 0.45); }, binomial_pmf(200, 0.45));
  check_frequencies([](Engine& e) { return draw_binomial(e, 5, 0.0); }, binomial_pmf(5, 0.0));
  check_frequencies([](Engine& e) { return draw_binomial(e, 5, 1.0); }, binomial_pmf(5, 1.0));
  check_frequencies([](Engine& e) { return draw_hypergeometric(e, 17, 31, 60); },
                    hypergeometric_pmf(17, 31, 60));
  check_frequencies([](Engine& e) { return draw_hypergeometric(e, 30, 35, 40); },
                    hypergeometric_pmf(30, 35, 40));
  check_frequencies([](Engine& e) { return draw_hypergeometric(e, 40, 12, 40); },
                    hypergeometric_pmf(40, 12, 40));
  check_frequencies([](Engine& e) { return draw_wallenius(e, 17, 12, 60, 3.0); },
                    wallenius_pmf(17, 12, 60, 3.0));
  check_frequencies([](Engine& e) { return draw_wallenius(e, 20, 25, 30, 0.4); },
                    wallenius_pmf(20, 25, 30, 0.4));
}

TEST_CASE("clustered and flagged draws follow their laws") {
  const std::vector<std::int64_t> sizes{7, 7, 6};
  check_frequencies([&](Engine& e) { return draw_clustered(e, sizes, 0.25, 0.15); },
                    clustered_pmf(sizes, 0.25, 0.15));
  check_frequencies([&](Engine& e) { return draw_clustered(e, sizes, 0.25, 0.0); }, binomial_pmf(20, 0.25));
  const Inspector inspector{0.85, 0.9};
  const auto truth = hypergeometric_pmf(19, 10, 50);
  check_frequencies(
      [&](Engine& e) {
        return draw_flagged(e, 19, draw_hypergeometric(e, 19, 10, 50), inspector.sensitivity,
                            inspector.specificity);
      },
      flagged_pmf(truth, 0.85, 0.9));
}

TEST_CASE("Beta draws have the Beta mean and variance") {
  Engine e = make_stream(3, 0);
  const double a = 2.0, b = 5.0;
  const int replicates = 40000;
  double sum = 0, sum2 = 0;
  for (int r = 0; r < replicates; ++r) {
    const double p = draw_beta(e, a, b);
    if (!(p >= 0.0 && p <= 1.0)) FAIL("drew " << p);
    sum += p;
    sum2 += p * p;
  }
  const double mean = a / (a + b);
  const double var = a * b / ((a + b) * (a + b) * (a + b + 1));
  CHECK(std::abs(sum / replicates - mean) <= 5 * std::sqrt(var / replicates));
  const double got_var = sum2 / replicates - (sum / replicates) * (sum / replicates);
  CHECK(std::abs(got_var - var) <= 0.05 * var);  // sd of a variance estimate here is about 1.3%
  // Tiny shapes, where both gamma variates can underflow, still give a rate.
  for (int r = 0; r < 1000; ++r) {
    const double p = draw_beta(e, 0.005, 0.005);
    REQUIRE(p >= 0.0);
    REQUIRE(p <= 1.0);
  }
}

TEST_CASE("point sampler: truth, fast path and process") {
  CellPoint p;
  p.sample = 17;
  p.truth.rate = 0.52;
  SUBCASE("binomial: tabulated") {
    const PointSampler s(p);
    CHECK(s.fixed_truth());
    CHECK(s.truth() == 0.52);
    CHECK_FALSE(s.wrong());
    REQUIRE(s.table() != nullptr);
    CHECK(s.table()->size() == 18);
    check_frequencies([&](Engine& e) { return s.draw(e).x; }, binomial_pmf(17, 0.52));
  }
  SUBCASE("finite population: K = round(rate M), truth K / M") {
    p.population = 60;
    const PointSampler s(p);
    CHECK(s.wrong() == 31);
    CHECK(s.truth() == 31.0 / 60.0);
    REQUIRE(s.table() != nullptr);
    check_frequencies([&](Engine& e) { return s.draw(e).x; }, hypergeometric_pmf(17, 31, 60));
  }
  SUBCASE("process-level features: drawn from the exact law, the process kept as the reference") {
    p.population = 60;
    p.selection_odds = 2.5;
    p.inspector = Inspector{0.9, 0.97};
    const PointSampler fast(p);
    REQUIRE(fast.table() != nullptr);
    REQUIRE(fast.law());
    CHECK(fast.law()->pmf == exact_count_law(p)->pmf);
    const PointSampler process(p, Draws::process);
    CHECK(process.table() == nullptr);
    CHECK_FALSE(process.law());
    CHECK(process.wrong() == fast.wrong());
    CHECK(process.truth() == fast.truth());
  }
  SUBCASE("Beta rate: the truth varies by replicate") {
    p.truth = Truth{Truth::Kind::beta, 0, 3.0, 4.0};
    const PointSampler s(p);
    CHECK_FALSE(s.fixed_truth());
    CHECK(s.truth() == doctest::Approx(3.0 / 7.0));
    Engine e = make_stream(5, 0);
    const Draw first = s.draw(e);
    const Draw second = s.draw(e);
    CHECK(first.truth != second.truth);
    check_frequencies([&](Engine& en) { return s.draw(en).x; }, beta_binomial_pmf(17, 3.0, 4.0));
  }
}

// Every fixed-truth design class the engine supports, alone and combined: the fast path (alias
// draws from the exact law), the record-by-record process and the exact law (exact-test.cpp checks
// the laws against independent definitions) agree, each path within 5 Monte Carlo SEs per count;
// and a law too costly to enumerate falls back on the process.
TEST_CASE("point sampler: fast path, process and exact law agree for every fixed-truth design") {
  struct Design {
    const char* name;
    CellPoint point;
  };
  auto make = [](std::int64_t n, double rate) {
    CellPoint p;
    p.sample = n;
    p.truth.rate = rate;
    return p;
  };
  std::vector<Design> designs;
  {
    CellPoint p = make(19, 0.2);
    p.inspector = Inspector{0.85, 0.95};
    designs.push_back({"inspector error, unlimited stream", p});
    p.population = 80;
    designs.push_back({"inspector error, population", p});
    p.selection_odds = 0.6;
    designs.push_back({"inspector error, selection bias, population", p});
  }
  {
    CellPoint p = make(33, 0.15);
    p.clusters = Clusters{5, 0.2};
    designs.push_back({"clusters", p});
    p.inspector = Inspector{0.9, 0.98};
    designs.push_back({"clusters, inspector error", p});
  }
  {
    CellPoint p = make(20, 0.3);
    p.population = 45;
    p.selection_odds = 3.0;
    designs.push_back({"selection bias", p});
  }
  for (const Design& d : designs) {
    CAPTURE(d.name);
    const std::optional<CountLaw> law = exact_count_law(d.point);
    REQUIRE(law);
    const PointSampler fast(d.point), process(d.point, Draws::process);
    REQUIRE(fast.table() != nullptr);
    CHECK(fast.table()->size() == law->pmf.size());
    REQUIRE(process.table() == nullptr);
    check_frequencies([&](Engine& e) { return fast.draw(e).x; }, law->pmf, 100000, 11);
    check_frequencies([&](Engine& e) { return process.draw(e).x; }, law->pmf, 100000, 12);
    // Both judge every replicate against the same truth.
    Engine e = make_stream(3, 0);
    CHECK(fast.draw(e).truth == process.draw(e).truth);
  }
  // Inspector error on 2,000 records: n^3 / 6 = 1.3e9 steps to enumerate, over the bound, so the
  // sampler draws the process itself.
  CellPoint big = make(2000, 0.1);
  big.inspector = Inspector{0.9, 0.97};
  CHECK_FALSE(count_law_work(big));
  CHECK(PointSampler(big).table() == nullptr);
  CHECK(count_law_work(designs[0].point));
}

// A Beta rate with inspector error and no population: the fast path draws the count from its
// marginal law (mixed over the true count), the process draws a rate, the true count and the
// flags; both agree with the exact law (exact-test.cpp checks it against integration over the
// rate), and the process's truths agree with the law's truth given the count.
TEST_CASE("point sampler: a Beta rate with inspector error, fast path and process against the exact law") {
  CellPoint p;
  p.sample = 21;
  p.truth = Truth{Truth::Kind::beta, 0, 3.0, 9.0};
  p.inspector = Inspector{0.9, 0.94};
  const std::optional<CountLaw> law = exact_count_law(p);
  REQUIRE(law);
  const PointSampler fast(p), process(p, Draws::process);
  REQUIRE(fast.table() != nullptr);
  REQUIRE(fast.law());
  CHECK(fast.law()->pmf == law->pmf);
  REQUIRE(process.table() == nullptr);
  check_frequencies([&](Engine& e) { return fast.draw(e).x; }, law->pmf, 100000, 21);
  check_frequencies([&](Engine& e) { return process.draw(e).x; }, law->pmf, 100000, 22);
  // P(X = x and T <= 0.2) by the process's own truths against the law.
  std::vector<double> want;
  for (std::int64_t x = 0; x <= p.sample; ++x) want.push_back(probability_truth_within(*law, x, 0.0, 0.2));
  check_joint_frequencies(process, 0.2, want, 100000, 23);
}

// A Beta rate with clusters: no finite law holds it, so both paths simulate (the fast one with
// Marsaglia-Tsang Beta variates, the process with Boost's). Both are held to the law integrated
// over the rate in the test: P(X = x, T <= t) = integral over [0, t] of Beta(T; a, b) times the
// clustered law given T (stats::clustered_pmf, which exact-test.cpp checks), by Simpson's rule.
TEST_CASE(
    "point sampler: a Beta rate with clusters, fast path and process against the law integrated over the "
    "rate") {
  CellPoint p;
  p.sample = 20;
  p.truth = Truth{Truth::Kind::beta, 0, 4.0, 16.0};
  p.clusters = Clusters{5, 0.1};
  REQUIRE_FALSE(exact_count_law(p));
  const PointSampler fast(p), process(p, Draws::process);
  REQUIRE(fast.table() == nullptr);
  const std::vector<std::int64_t> sizes = cluster_sizes(20, 5);
  const double a = 4.0, b = 16.0, log_beta_ab = std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
  auto joint = [&](double upto) {  // P(X = x, T <= upto), x = 0..20
    const int steps = 2000;
    const double h = upto / steps;
    std::vector<double> out(21, 0.0);
    for (int k = 1; k <= steps; ++k) {  // the density is 0 at T = 0
      const double t = k * h;
      if (t >= 1) break;
      const double w = (k == steps ? 1
                        : k % 2    ? 4
                                   : 2) *
                       h / 3 * std::exp((a - 1) * std::log(t) + (b - 1) * std::log1p(-t) - log_beta_ab);
      const std::vector<double> given = clustered_pmf(sizes, t, 0.1);
      for (std::size_t x = 0; x < out.size(); ++x) out[x] += w * given[x];
    }
    return out;
  };
  const std::vector<double> pmf = joint(1 - 1e-12), low = joint(0.2);
  check_frequencies([&](Engine& e) { return fast.draw(e).x; }, pmf, 100000, 31);
  check_frequencies([&](Engine& e) { return process.draw(e).x; }, pmf, 100000, 32);
  for (const PointSampler* s : {&fast, &process}) check_joint_frequencies(*s, 0.2, low, 100000, 33);
}
