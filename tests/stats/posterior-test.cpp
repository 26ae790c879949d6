// Tests for include/inspectsim/posterior.hpp.
#include "inspectsim/stats/posterior.hpp"

#include <cmath>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;

TEST_CASE("uniform prior: the posterior is Beta(x + 1, n - x + 1)") {
  const double t = 0.25;
  const Posterior p = beta_posterior(0, 20, uniform_prior, 0.95, Side::two_sided, std::span(&t, 1));
  CHECK(p.a == 1);
  CHECK(p.b == 21);
  CHECK(p.mean == doctest::Approx(1.0 / 22));
  // Beta(1, 21): P(rate > t) = (1 - t)^21 in closed form.
  REQUIRE(p.exceedance.size() == 1);
  CHECK(p.exceedance[0].probability == doctest::Approx(std::pow(0.75, 21)).epsilon(1e-12));
  // Quantiles of Beta(1, b) in closed form: q(u) = 1 - (1 - u)^(1/b).
  CHECK(p.lower == doctest::Approx(1 - std::pow(0.975, 1.0 / 21)).epsilon(1e-12));
  CHECK(p.upper == doctest::Approx(1 - std::pow(0.025, 1.0 / 21)).epsilon(1e-12));
}

TEST_CASE("the Jeffreys posterior interval is the Jeffreys confidence interval away from 0 and N") {
  const Posterior p = beta_posterior(9, 17, jeffreys_prior, 0.95);
  const Interval j = proportion_interval(Method::jeffreys, 9, 17, 0.95);
  CHECK(p.lower == doctest::Approx(j.lower).epsilon(1e-12));
  CHECK(p.upper == doctest::Approx(j.upper).epsilon(1e-12));
  CHECK(p.mean == doctest::Approx(9.5 / 18));
}

TEST_CASE("one-sided credible bounds") {
  const Posterior up = beta_posterior(0, 20, uniform_prior, 0.95, Side::upper);
  CHECK(up.lower == 0);
  CHECK(up.upper == doctest::Approx(1 - std::pow(0.05, 1.0 / 21)).epsilon(1e-12));
}

TEST_CASE("priors parse, and bad ones are refused") {
  CHECK(parse_prior("uniform").a == 1);
  CHECK(parse_prior("jeffreys").b == 0.5);
  const BetaPrior p = parse_prior("2,8");
  CHECK(p.a == 2);
  CHECK(p.b == 8);
  CHECK_THROWS_WITH_AS(parse_prior("0,1"),
                       "prior '0,1' is not allowed; use uniform, jeffreys, or A,B with A and B positive "
                       "numbers (Beta(A, B))",
                       InputError);
  CHECK_THROWS_AS(parse_prior("flat"), InputError);
  CHECK_THROWS_AS(parse_prior("1,nan"), InputError);
  const double bad = 1.5;
  CHECK_THROWS_WITH_AS(beta_posterior(1, 2, uniform_prior, 0.95, Side::two_sided, std::span(&bad, 1)),
                       "thresholds is 1.5, but must be between 0 and 1", InputError);
}
