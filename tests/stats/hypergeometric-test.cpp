// Tests for include/inspectsim/hypergeometric.hpp, against Boost.Math's exact (prime-factor and
// Lanczos) hypergeometric pdf as the independent evaluation.
#include "inspectsim/stats/hypergeometric.hpp"

#include <array>
#include <cmath>

#include <doctest/doctest.h>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/multiprecision/cpp_int.hpp>

#include "inspectsim/stats/interval.hpp"

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

// ---- Ties, in exact rational arithmetic (issue #15) --------------------------------------------
// A tail that equals 1 - C exactly (1 - 0.9 is 0.09999999999999998 in binary) must count as equal:
// the exact bounds below are computed with Boost.Multiprecision's rationals from the definitions
// (sums of binomial coefficients), with C as the decimal the user typed.
namespace {
using Rational = boost::multiprecision::cpp_rational;
using BigInt = boost::multiprecision::cpp_int;

BigInt choose(std::int64_t a, std::int64_t b) {
  if (b < 0 || b > a) return 0;
  BigInt r = 1;
  for (std::int64_t i = 1; i <= b; ++i) r = r * (a - b + i) / i;
  return r;
}

// P(lo <= X <= hi) for X hypergeometric (K wrong among M, n drawn), exactly.
Rational hyper_mass(std::int64_t lo, std::int64_t hi, std::int64_t K, std::int64_t n, std::int64_t M) {
  BigInt sum = 0;
  for (std::int64_t j = std::max<std::int64_t>(lo, 0); j <= hi && j <= n; ++j)
    sum += choose(K, j) * choose(M - K, n - j);
  return Rational(sum, choose(M, n));
}

CountInterval exact_interval(std::int64_t x, std::int64_t n, std::int64_t M, const Rational& C, Side side) {
  const Rational a = side == Side::two_sided ? Rational((1 - C) / 2) : Rational(1 - C);
  const std::int64_t k_min = x, k_max = M - (n - x);
  CountInterval r{k_min, k_max};
  if (side != Side::upper && x > 0)
    for (std::int64_t K = k_min; K <= k_max; ++K)
      if (hyper_mass(x, n, K, n, M) > a) {
        r.lower = K;
        break;
      }
  if (side != Side::lower && x < n)
    for (std::int64_t K = k_max; K >= k_min; --K)
      if (hyper_mass(0, x, K, n, M) > a) {
        r.upper = K;
        break;
      }
  return r;
}
}  // namespace

TEST_CASE("hypergeometric interval at exact ties agrees with rational arithmetic") {
  // The two cases: 1 of 1 from 10 at 90% (lower side): P(X >= 1 | K = 1) = 1/10 = 1 - 0.9,
  // so K = 1 is not above the tail and K is from 2; 0 of 9 from 10 at 80%: P(X <= 0 | K = 1) = 1/10
  // = (1 - 0.8) / 2, so K is 0 to 0.
  CHECK(hypergeometric_interval(1, 1, 10, 0.9, Side::lower).lower == 2);
  const CountInterval b = hypergeometric_interval(0, 9, 10, 0.8);
  CHECK(b.lower == 0);
  CHECK(b.upper == 0);
  const std::pair<double, Rational> levels[] = {{0.5, Rational(1, 2)},  {0.6, Rational(3, 5)},
                                                {0.75, Rational(3, 4)}, {0.8, Rational(4, 5)},
                                                {0.9, Rational(9, 10)}, {0.95, Rational(19, 20)}};
  int checked = 0, ties = 0;
  for (std::int64_t M = 1; M <= 12; ++M)
    for (std::int64_t n = 1; n <= M; ++n)
      for (std::int64_t x = 0; x <= n; ++x)
        for (const auto& [c, exact_c] : levels)
          for (Side side : {Side::two_sided, Side::upper, Side::lower}) {
            CAPTURE(M);
            CAPTURE(n);
            CAPTURE(x);
            CAPTURE(c);
            CAPTURE(side_name(side));
            const CountInterval want = exact_interval(x, n, M, exact_c, side);
            const CountInterval got = hypergeometric_interval(x, n, M, c, side);
            CHECK(got.lower == want.lower);
            CHECK(got.upper == want.upper);
            // Count the cases where some K gives a tail exactly equal to the level.
            const Rational a = side == Side::two_sided ? Rational((1 - exact_c) / 2) : Rational(1 - exact_c);
            for (std::int64_t K = x; K <= M - (n - x); ++K)
              if (hyper_mass(x, n, K, n, M) == a || hyper_mass(0, x, K, n, M) == a) {
                ++ties;
                break;
              }
            ++checked;
          }
  MESSAGE(checked << " intervals checked, " << ties << " with an exact tie");
  CHECK(ties > 100);
}

TEST_CASE("tail_at_most: a tail equal to the level up to rounding counts as at most it") {
  CHECK(tail_at_most(0.1, 1 - 0.9));  // 0.1 > 0.09999999999999998 in binary
  CHECK(tail_at_most(0.05, 0.05));
  CHECK_FALSE(tail_at_most(0.10001, 0.1));
  CHECK_FALSE(tail_at_most(0.1 * (1 + 2e-7), 0.1));
}
