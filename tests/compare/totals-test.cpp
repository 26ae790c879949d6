// Tests for include/inspectsim/totals.hpp.
#include "inspectsim/compare/totals.hpp"

#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/beta.hpp>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::random;
using namespace inspectsim::compare;

TEST_CASE("one stratum: the interval is the Jeffreys interval, within Monte Carlo error") {
  const std::vector<Stratum> one{{{9, 17}, std::nullopt}};
  const std::int64_t draws = 20000;
  const Streams e{3, 0, 2};
  const StratifiedTotal t = stratified_total(one, draws, e);
  CHECK(t.estimate == doctest::Approx(9.0 / 17));
  CHECK_FALSE(t.by_population);
  // The empirical 2.5% quantile's probability under Beta(9.5, 8.5) is 0.025 within 4 standard errors.
  const boost::math::beta_distribution<double> post(9.5, 8.5);
  const double se = std::sqrt(0.025 * 0.975 / static_cast<double>(draws));
  CHECK(std::abs(boost::math::cdf(post, t.lower) - 0.025) < 4 * se);
  CHECK(std::abs(boost::math::cdf(post, t.upper) - 0.975) < 4 * se);
  CHECK_FALSE(t.wrong_estimate.has_value());
}

TEST_CASE("weights: populations where every stratum has one, else sample sizes") {
  const Streams e{3, 1, 2};
  const std::vector<Stratum> pops{{{9, 17}, 100}, {{1, 20}, 300}};
  const StratifiedTotal t = stratified_total(pops, 2000, e);
  CHECK(t.by_population);
  CHECK(t.estimate == doctest::Approx((100 * 9.0 / 17 + 300 * 1.0 / 20) / 400));
  CHECK(*t.population == 400);
  CHECK(*t.wrong_estimate == doctest::Approx(100 * 9.0 / 17 + 300 * 1.0 / 20));
  CHECK(*t.wrong_lower >= 10);  // at least the wrong records already seen
  CHECK(*t.wrong_upper <= 400 - 27);
  CHECK(t.sampled == 37);
  CHECK(t.incorrect == 10);
  const std::vector<Stratum> mixed{{{9, 17}, 100}, {{1, 20}, std::nullopt}};
  const StratifiedTotal m = stratified_total(mixed, 2000, e);
  CHECK_FALSE(m.by_population);
  CHECK(m.estimate == doctest::Approx(10.0 / 37));
}

TEST_CASE("a census knows its wrong records exactly") {
  const Streams e{3, 2, 2};
  const std::vector<Stratum> census{{{4, 20}, 20}, {{3, 10}, 10}};
  const StratifiedTotal t = stratified_total(census, 500, e);
  CHECK(*t.wrong_lower == 7);
  CHECK(*t.wrong_upper == 7);
}

TEST_CASE("totals are reproducible with the seed") {
  const std::vector<Stratum> s{{{9, 17}, std::nullopt}, {{2, 19}, std::nullopt}};
  const Streams a{9, 0, 2}, b{9, 0, 2};
  CHECK(stratified_total(s, 1000, a).lower == stratified_total(s, 1000, b).lower);
  CHECK_THROWS_WITH_AS(stratified_total({}, 10, a), "a stratified total needs at least one stratum",
                       InputError);
}

TEST_CASE("totals are identical for any thread count") {
  const std::vector<Stratum> s{{{9, 17}, 60}, {{2, 19}, 45}, {{0, 14}, 30}, {{5, 33}, 90}};
  const std::int64_t draws = 5 * draws_per_block + 1;
  auto with = [&](unsigned threads) {
    base::RunOptions run;
    run.threads = threads;
    return stratified_total(s, draws, Streams{4, 1, 2}, 0.9, run);
  };
  const StratifiedTotal one = with(1);
  for (const unsigned threads : {2u, 3u, 6u}) {
    const StratifiedTotal t = with(threads);
    CHECK(t.lower == one.lower);
    CHECK(t.upper == one.upper);
    CHECK(*t.wrong_lower == *one.wrong_lower);
    CHECK(*t.wrong_upper == *one.wrong_upper);
  }
}
