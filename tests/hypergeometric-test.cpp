// Tests for include/inspectsim/hypergeometric.hpp, against Boost.Math's exact (prime-factor and
// Lanczos) hypergeometric pdf as the independent evaluation.
#include "inspectsim/hypergeometric.hpp"

#include <array>
#include <cmath>

#include <doctest/doctest.h>
#include <boost/math/distributions/hypergeometric.hpp>

using namespace inspectsim;

namespace {
double boost_pdf(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M) {
  const boost::math::hypergeometric_distribution<double> d(static_cast<unsigned>(K), static_cast<unsigned>(n),
                                                           static_cast<unsigned>(M));
  const auto lo = std::max<std::int64_t>(0, n + K - M), hi = std::min(n, K);
  return (x < lo || x > hi) ? 0.0 : boost::math::pdf(d, static_cast<unsigned>(x));
}
}  // namespace

TEST_CASE("pmf and both tails agree with Boost's pdf summed term by term") {
  for (auto [n, M] : {std::array<std::int64_t, 2>{1, 1}, {5, 5}, {17, 60}, {19, 40}, {20, 400}, {33, 1000}}) {
    for (std::int64_t K = 0; K <= M; K += std::max<std::int64_t>(1, M / 37)) {
      double below = 0;
      for (std::int64_t x = 0; x <= n; ++x) {
        CAPTURE(n);
        CAPTURE(K);
        CAPTURE(M);
        CAPTURE(x);
        const double p = boost_pdf(x, n, K, M);
        below += p;
        const double above = 1 - below + p;
        CHECK(std::exp(hypergeometric_log_pmf(x, n, K, M)) == doctest::Approx(p).epsilon(1e-11));
        CHECK(std::abs(hypergeometric_at_most(x, n, K, M) - below) < 1e-12);
        CHECK(std::abs(hypergeometric_at_least(x, n, K, M) - above) < 1e-12);
      }
    }
  }
}

TEST_CASE("large populations: the product form matches Boost's Lanczos evaluation") {
  // M beyond 104,729 takes Boost's Lanczos route, which is quick when n is not tiny.
  const std::int64_t M = 20'000'000, n = 500, K = 3'000'000;
  for (std::int64_t x : {40L, 60L, 75L, 90L, 120L})
    CHECK(std::exp(hypergeometric_log_pmf(x, n, K, M)) ==
          doctest::Approx(boost_pdf(x, n, K, M)).epsilon(1e-9));
}

TEST_CASE("outside the support") {
  CHECK(std::isinf(hypergeometric_log_pmf(3, 5, 2, 10)));
  CHECK(hypergeometric_at_most(-1, 5, 2, 10) == 0.0);
  CHECK(hypergeometric_at_most(2, 5, 2, 10) == 1.0);
  CHECK(hypergeometric_at_least(0, 5, 2, 10) == 1.0);
  CHECK(hypergeometric_at_least(3, 5, 2, 10) == 0.0);
}
