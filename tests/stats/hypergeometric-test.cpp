// Tests for include/inspectsim/hypergeometric.hpp, against Boost.Math's exact (prime-factor and
// Lanczos) hypergeometric pdf as the independent evaluation.
#include "inspectsim/stats/hypergeometric.hpp"

#include <array>
#include <cmath>

#include <doctest/doctest.h>
#include <boost/math/distributions/hypergeometric.hpp>

using namespace inspectsim;
using namespace inspectsim::stats;

namespace {
double boost_pdf(std::int64_t x, std::int64_t K, std::int64_t n, std::int64_t M) {
  const boost::math::hypergeometric_distribution<double> d(static_cast<unsigned>(K), static_cast<unsigned>(n),
                                                           static_cast<unsigned>(M));
  const auto lo = std::max<std::int64_t>(0, n + K - M), hi = std::min(n, K);
  return (x < lo || x > hi) ? 0.0 : boost::math::pdf(d, static_cast<unsigned>(x));
}
}  // namespace

TEST_CASE("pmf, both tails and the whole support agree with Boost's pdf summed term by term") {
  for (auto [n, M] : {std::array<std::int64_t, 2>{1, 1}, {5, 5}, {17, 60}, {19, 40}, {20, 400}, {33, 1000}}) {
    for (std::int64_t K = 0; K <= M; K += std::max<std::int64_t>(1, M / 37)) {
      const SupportPmf all = hypergeometric_support_pmf(K, n, M);
      double below = 0;
      for (std::int64_t x = 0; x <= n; ++x) {
        CAPTURE(n);
        CAPTURE(K);
        CAPTURE(M);
        CAPTURE(x);
        const double p = boost_pdf(x, K, n, M);
        below += p;
        CHECK(hypergeometric_pdf(x, K, n, M) == doctest::Approx(p).epsilon(1e-11));
        CHECK(std::abs(hypergeometric_cdf(x, K, n, M) - below) < 1e-12);
        CHECK(std::abs(hypergeometric_ccdf(x, K, n, M) - (1 - below)) < 1e-12);
        const std::int64_t i = x - all.lo;
        const double from_support = (i >= 0 && i < static_cast<std::int64_t>(all.pmf.size()))
                                        ? all.pmf[static_cast<std::size_t>(i)]
                                        : 0.0;
        CHECK(from_support == doctest::Approx(p).epsilon(1e-11));
      }
    }
  }
}

TEST_CASE("large populations: agrees with Boost's Lanczos evaluation") {
  // M beyond 104,729 takes Boost's Lanczos route, which is quick when n is not tiny.
  const std::int64_t M = 20'000'000, n = 500, K = 3'000'000;
  for (std::int64_t x : {40L, 60L, 75L, 90L, 120L})
    CHECK(hypergeometric_pdf(x, K, n, M) == doctest::Approx(boost_pdf(x, K, n, M)).epsilon(1e-9));
}

TEST_CASE("outside the support") {
  CHECK(hypergeometric_pdf(3, 2, 5, 10) == 0.0);
  CHECK(hypergeometric_cdf(-1, 2, 5, 10) == 0.0);
  CHECK(hypergeometric_cdf(2, 2, 5, 10) == 1.0);
  CHECK(hypergeometric_ccdf(-1, 2, 5, 10) == 1.0);
  CHECK(hypergeometric_ccdf(2, 2, 5, 10) == 0.0);
}
