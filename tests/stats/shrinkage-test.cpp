// Tests for include/inspectsim/shrinkage.hpp.
#include "inspectsim/stats/shrinkage.hpp"

#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/binomial.hpp>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/random/rng.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::random;

namespace {

// log L at (logit mu, log M), for numerical derivatives.
double ll_at(const std::vector<Count>& d, double eta, double lambda) {
  const double mu = 1 / (1 + std::exp(-eta)), m = std::exp(lambda);
  return beta_binomial_log_likelihood(d, m * mu, m * (1 - mu));
}

}  // namespace

TEST_CASE("the log marginal likelihood is the sum of beta-binomial log-probabilities") {
  // Beta-binomial pmf C(n, x) B(x + a, n - x + b) / B(a, b) (Johnson, Kemp and Kotz, Univariate
  // Discrete Distributions, 3rd ed., sec. 6.2.2), with Boost's binomial coefficient and beta function.
  const std::vector<Count> d{{9, 17}, {1, 20}, {8, 20}, {0, 5}};
  const double a = 1.7, b = 4.2;
  double expected = 0;
  for (const Count& c : d)
    expected += std::log(
        boost::math::binomial_coefficient<double>(static_cast<unsigned>(c.n), static_cast<unsigned>(c.x)) *
        boost::math::beta(static_cast<double>(c.x) + a, static_cast<double>(c.n - c.x) + b) /
        boost::math::beta(a, b));
  CHECK(beta_binomial_log_likelihood(d, a, b) == doctest::Approx(expected).epsilon(1e-12));
}

TEST_CASE("the fit recovers the prior of data simulated from a known one") {
  // 400 forces, 50 records each, rates from Beta(3, 12): mu = 0.2, M = 15. Fixed seed.
  Engine engine = make_stream(7, 0, 0);
  boost::random::beta_distribution<double> prior(3.0, 12.0);
  std::vector<Count> d;
  for (int i = 0; i < 400; ++i) {
    const double p = prior(engine);
    d.push_back({boost::random::binomial_distribution<std::int64_t, double>(50, p)(engine), 50});
  }
  const BetaBinomialFit fit = fit_beta_binomial(d);
  REQUIRE_FALSE(fit.no_spread);
  const double eta = std::log(fit.mean / (1 - fit.mean)), lambda = std::log(fit.concentration);
  // Standard errors from the observed information, by central differences of the log likelihood.
  const double h = 1e-3;
  const double f0 = ll_at(d, eta, lambda);
  const double hee = (ll_at(d, eta + h, lambda) - 2 * f0 + ll_at(d, eta - h, lambda)) / (h * h);
  const double hll = (ll_at(d, eta, lambda + h) - 2 * f0 + ll_at(d, eta, lambda - h)) / (h * h);
  const double hel = (ll_at(d, eta + h, lambda + h) - ll_at(d, eta + h, lambda - h) -
                      ll_at(d, eta - h, lambda + h) + ll_at(d, eta - h, lambda - h)) /
                     (4 * h * h);
  const double det = hee * hll - hel * hel;
  REQUIRE(det > 0);
  const double se_eta = std::sqrt(-hll / det), se_lambda = std::sqrt(-hee / det);
  CHECK(std::abs(eta - std::log(0.2 / 0.8)) < 4 * se_eta);
  CHECK(std::abs(lambda - std::log(15.0)) < 4 * se_lambda);
  // The maximum: the gradient vanishes.
  CHECK(std::abs((ll_at(d, eta + h, lambda) - ll_at(d, eta - h, lambda)) / (2 * h)) < 1e-3);
  CHECK(std::abs((ll_at(d, eta, lambda + h) - ll_at(d, eta, lambda - h)) / (2 * h)) < 1e-3);
  CHECK(fit.a == doctest::Approx(fit.mean * fit.concentration));
  CHECK(fit.spread == doctest::Approx(std::sqrt(fit.mean * (1 - fit.mean) / (fit.concentration + 1))));
}

TEST_CASE("no spread beyond sampling noise: the concentration runs to its limit") {
  const std::vector<Count> d{{2, 20}, {2, 20}, {2, 20}, {2, 20}};
  const BetaBinomialFit fit = fit_beta_binomial(d);
  CHECK(fit.no_spread);
  CHECK(fit.mean == doctest::Approx(0.1).epsilon(1e-4));
  CHECK(shrink(fit, {2, 20}, 0.95).weight > 0.999);
}

TEST_CASE("shrunk estimates: conjugate update, small samples move most") {
  BetaBinomialFit fit;
  fit.mean = 0.2;
  fit.concentration = 10;
  fit.a = 2;
  fit.b = 8;
  const ShrunkEstimate small = shrink(fit, {9, 17}, 0.95);
  CHECK(small.estimate == doctest::Approx(11.0 / 27));
  CHECK(small.weight == doctest::Approx(10.0 / 27));
  const boost::math::beta_distribution<double> post(11, 16);
  CHECK(small.lower == doctest::Approx(boost::math::quantile(post, 0.025)));
  CHECK(small.upper == doctest::Approx(boost::math::quantile(post, 0.975)));
  const ShrunkEstimate big = shrink(fit, {90, 170}, 0.95);
  CHECK(big.weight < small.weight);
  CHECK(std::abs(big.estimate - 90.0 / 170) < std::abs(small.estimate - 9.0 / 17));
}

TEST_CASE("shrinkage needs two units") {
  const std::vector<Count> one{{3, 10}};
  CHECK_THROWS_WITH_AS(fit_beta_binomial(one),
                       "shrinkage needs at least two units to estimate the spread between them; got 1",
                       InputError);
}

TEST_CASE("valid counts whose likelihood rises toward mu = 1 or 0 do not crash the fit (issue #14)") {
  // The 5-row file: a Newton step once took logit mu to +40, where b rounded to 0 and
  // digamma(0) threw. Steps that leave the domain are now rejected.
  const std::vector<Count> d{{9, 36}, {0, 9}, {1, 20}, {9, 57}, {12, 54}};
  const BetaBinomialFit fit = fit_beta_binomial(d);
  CHECK(fit.mean > 0.1);
  CHECK(fit.mean < 0.25);  // near the pooled 31/176 = 17.6%
  CHECK(fit.a > 0);
  CHECK(fit.b > 0);
  CHECK(std::isfinite(fit.log_likelihood));
  // The fit is a maximum: no nearby point (within the domain) has a higher likelihood.
  const double eta = std::log(fit.mean / (1 - fit.mean)), lambda = std::log(fit.concentration);
  for (double de : {-0.01, 0.0, 0.01})
    for (double dl : {-0.01, 0.0, 0.01})
      if (lambda + dl <= std::log(max_concentration))
        CHECK(ll_at(d, eta + de, lambda + dl) <= fit.log_likelihood + 1e-9);
  const ShrunkEstimate s = shrink(fit, {0, 9}, 0.95, std::vector<double>{0.1, 0.3});
  CHECK(s.lower < s.estimate);
  CHECK(s.estimate < s.upper);
  REQUIRE(s.p_above.size() == 2);
  CHECK(s.p_above[0].probability > s.p_above[1].probability);
}

TEST_CASE("random valid groups never make the fit throw") {
  Engine engine = make_stream(11, 0, 0);
  boost::random::beta_distribution<double> rate(0.5, 2.0);
  for (int g = 0; g < 300; ++g) {
    std::vector<Count> d;
    const int units = 2 + g % 9;
    for (int i = 0; i < units; ++i) {
      const std::int64_t n = 1 + static_cast<std::int64_t>(engine() % 80);
      d.push_back({boost::random::binomial_distribution<std::int64_t, double>(n, rate(engine))(engine), n});
    }
    BetaBinomialFit fit;
    REQUIRE_NOTHROW(fit = fit_beta_binomial(d));
    CHECK(std::isfinite(fit.mean));
    CHECK(fit.concentration >= min_concentration);
    CHECK(fit.concentration <= max_concentration * (1 + 1e-12));  // exp(log(1e7)) may round up
  }
}
