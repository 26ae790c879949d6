// Tests for include/inspectsim/interval.hpp.
#include "inspectsim/stats/interval.hpp"

#include <array>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/hypergeometric.hpp>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;

namespace {

struct Published {
  std::int64_t x, n;
  Method method;
  double lower, upper;
};

// Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
// seven methods", Statistics in Medicine 17:857-872, Table I (95% limits, 4 decimals). Methods 1-7:
// Wald, Wald-cc, score (Wilson), score-cc, exact (Clopper-Pearson), mid-p, likelihood ratio.
// Table I prints "<0.0000" where the Wald bound is negative; clipped, that is 0 here.
constexpr Published newcombe_table_1[] = {
    {81, 263, Method::wald, 0.2522, 0.3638},
    {81, 263, Method::wald_cc, 0.2503, 0.3657},
    {81, 263, Method::wilson, 0.2553, 0.3662},
    {81, 263, Method::wilson_cc, 0.2535, 0.3682},
    {81, 263, Method::clopper_pearson, 0.2527, 0.3676},
    {81, 263, Method::mid_p, 0.2544, 0.3658},
    {81, 263, Method::likelihood_ratio, 0.2542, 0.3655},
    {15, 148, Method::wald, 0.0527, 0.1500},
    {15, 148, Method::wald_cc, 0.0494, 0.1534},
    {15, 148, Method::wilson, 0.0624, 0.1605},
    {15, 148, Method::wilson_cc, 0.0598, 0.1644},
    {15, 148, Method::clopper_pearson, 0.0578, 0.1617},
    {15, 148, Method::mid_p, 0.0601, 0.1581},
    {15, 148, Method::likelihood_ratio, 0.0596, 0.1567},
    {0, 20, Method::wald, 0.0000, 0.0000},
    {0, 20, Method::wald_cc, 0.0000, 0.0250},
    {0, 20, Method::wilson, 0.0000, 0.1611},
    {0, 20, Method::wilson_cc, 0.0000, 0.2005},
    {0, 20, Method::clopper_pearson, 0.0000, 0.1684},
    {0, 20, Method::mid_p, 0.0000, 0.1391},
    {0, 20, Method::likelihood_ratio, 0.0000, 0.0916},
    {1, 29, Method::wald, 0.0000, 0.1009},
    {1, 29, Method::wald_cc, 0.0000, 0.1181},
    {1, 29, Method::wilson, 0.0061, 0.1718},
    {1, 29, Method::wilson_cc, 0.0018, 0.1963},
    {1, 29, Method::clopper_pearson, 0.0009, 0.1776},
    {1, 29, Method::mid_p, 0.0017, 0.1585},
    {1, 29, Method::likelihood_ratio, 0.0020, 0.1432},
};

}  // namespace

TEST_CASE("every method matches Newcombe (1998) Table I to the published 4 decimals") {
  for (const auto& c : newcombe_table_1) {
    CAPTURE(c.x);
    CAPTURE(c.n);
    CAPTURE(method_name(c.method));
    const Interval r = proportion_interval(c.method, c.x, c.n, 0.95);
    REQUIRE(r.defined);
    CHECK(std::abs(r.lower - c.lower) <= 0.00005 + 1e-12);
    CHECK(std::abs(r.upper - c.upper) <= 0.00005 + 1e-12);
  }
}

TEST_CASE("Jeffreys interval against Brown, Cai and DasGupta (2001)") {
  // Brown, Cai and DasGupta (2001), Statistical Science 16:101-133, sec. 4.1.2: the Jeffreys
  // interval is the equal-tailed Beta(x+1/2, n-x+1/2) interval, with L = 0 at x = 0 and U = 1 at
  // x = n. Spot values from the beta quantile definition, evaluated independently with the
  // regularised incomplete beta inverse (ibeta_inv); 0/20's upper bound has a closed form check:
  // at x = 0 the lower bound is exactly 0.
  const Interval z = proportion_interval(Method::jeffreys, 0, 20, 0.95);
  CHECK(z.lower == 0.0);
  CHECK(z.upper == doctest::Approx(boost::math::ibeta_inv(0.5, 20.5, 0.975)).epsilon(1e-12));
  const Interval all = proportion_interval(Method::jeffreys, 20, 20, 0.95);
  CHECK(all.upper == 1.0);
  // Their Table 5 style example: x = 9 of n = 17 (the Hampshire figure).
  const Interval h = proportion_interval(Method::jeffreys, 9, 17, 0.95);
  CHECK(h.lower == doctest::Approx(boost::math::ibeta_inv(9.5, 8.5, 0.025)).epsilon(1e-12));
  CHECK(h.upper == doctest::Approx(boost::math::ibeta_inv(9.5, 8.5, 0.975)).epsilon(1e-12));
}

TEST_CASE("the README's worked figures") {
  // 9 of 17: "plausibly anywhere from 31.0% to 73.8%" (95% Wilson).
  const Interval w = proportion_interval(Method::wilson, 9, 17, 0.95);
  CHECK(std::round(w.lower * 1000) == 310);
  CHECK(std::round(w.upper * 1000) == 738);
  // 0 of 20: one-sided 95% Clopper-Pearson bound 1 - 0.05^(1/20) = 13.9%.
  const Interval cp = proportion_interval(Method::clopper_pearson, 0, 20, 0.95, Side::upper);
  CHECK(cp.lower == 0.0);
  CHECK(cp.upper == doctest::Approx(1 - std::pow(0.05, 1.0 / 20)).epsilon(1e-12));
}

TEST_CASE("logit is undefined at x = 0 and x = n, and says so") {
  const Interval a = proportion_interval(Method::logit, 0, 20, 0.95);
  CHECK_FALSE(a.defined);
  CHECK(a.note.find("undefined") != std::string::npos);
  CHECK_FALSE(proportion_interval(Method::logit, 20, 20, 0.95).defined);
  // Defined inside: expit(log(9/8) +- 1.959964 sqrt(1/9 + 1/8)).
  const Interval b = proportion_interval(Method::logit, 9, 17, 0.95);
  const double t = std::log(9.0 / 8.0), h = 1.959963984540054 * std::sqrt(1.0 / 9 + 1.0 / 8);
  CHECK(b.lower == doctest::Approx(1 / (1 + std::exp(-(t - h)))).epsilon(1e-12));
  CHECK(b.upper == doctest::Approx(1 / (1 + std::exp(-(t + h)))).epsilon(1e-12));
}

TEST_CASE("one-sided bounds use the full alpha in one tail") {
  for (Method m : all_methods()) {
    CAPTURE(method_name(m));
    const Interval two = proportion_interval(m, 3, 19, 0.90);
    const Interval up = proportion_interval(m, 3, 19, 0.95, Side::upper);
    const Interval lo = proportion_interval(m, 3, 19, 0.95, Side::lower);
    CHECK(up.lower == 0.0);
    CHECK(lo.upper == 1.0);
    CHECK(up.upper == doctest::Approx(two.upper).epsilon(1e-12));
    CHECK(lo.lower == doctest::Approx(two.lower).epsilon(1e-12));
  }
}

TEST_CASE("properties on every X <= N <= 60 at confidence 0.9, 0.95, 0.99") {
  for (double conf : {0.9, 0.95, 0.99}) {
    for (Method m : all_methods()) {
      for (std::int64_t n = 1; n <= 60; ++n) {
        Interval prev;
        for (std::int64_t x = 0; x <= n; ++x) {
          const Interval r = proportion_interval(m, x, n, conf);
          if (!r.defined) {
            REQUIRE(m == Method::logit);
            REQUIRE((x == 0 || x == n));
            continue;
          }
          CAPTURE(method_name(m));
          CAPTURE(conf);
          CAPTURE(x);
          CAPTURE(n);
          REQUIRE(std::isfinite(r.lower));
          REQUIRE(std::isfinite(r.upper));
          REQUIRE(r.lower >= 0.0);
          REQUIRE(r.upper <= 1.0);
          REQUIRE(r.lower <= r.upper);
          // Symmetry X <-> N - X: [L, U] becomes [1 - U, 1 - L].
          const Interval mirror = proportion_interval(m, n - x, n, conf);
          REQUIRE(mirror.lower == doctest::Approx(1 - r.upper).epsilon(1e-9));
          REQUIRE(mirror.upper == doctest::Approx(1 - r.lower).epsilon(1e-9));
          // Monotone in X (both bounds non-decreasing). The one known exception: the logit
          // interval at X = 1 is so wide (se = sqrt(1 + 1/(n-1))) that at 99% its upper bound
          // exceeds the one at X = 2 for n >= 28 (and, mirrored, the lower bounds at N-2, N-1).
          // That is a property of the method, not of this code, so it is exempt only there.
          const bool logit_exception = m == Method::logit && (x == 2 || x == n - 1);
          if (x > 0 && prev.defined && !(m == Method::logit && x == 1) && !logit_exception) {
            REQUIRE(r.lower >= prev.lower - 1e-12);
            REQUIRE(r.upper >= prev.upper - 1e-12);
          }
          prev = r;
        }
      }
    }
  }
}

TEST_CASE("Clopper-Pearson's exact coverage never falls below nominal") {
  // Coverage enumerated over the binomial distribution (Boost pdf, an independent evaluation of
  // P(X = x)) on a grid of true rates, for every n up to 60.
  for (double conf : {0.9, 0.95, 0.99}) {
    for (std::int64_t n = 1; n <= 60; ++n) {
      std::vector<Interval> iv;
      for (std::int64_t x = 0; x <= n; ++x)
        iv.push_back(proportion_interval(Method::clopper_pearson, x, n, conf));
      for (int g = 1; g < 200; ++g) {
        const double p = g / 200.0;
        const boost::math::binomial_distribution<double> b(static_cast<double>(n), p);
        double cover = 0;
        for (std::int64_t x = 0; x <= n; ++x)
          if (iv[x].lower <= p && p <= iv[x].upper) cover += boost::math::pdf(b, static_cast<double>(x));
        CAPTURE(n);
        CAPTURE(p);
        CAPTURE(conf);
        REQUIRE(cover >= conf - 1e-12);
      }
    }
  }
}

TEST_CASE("hypergeometric interval matches its defining tail sums") {
  // For each K the tails are evaluated by direct summation of the hypergeometric pmf
  // C(K, j) C(M-K, n-j) / C(M, n), computed with lgamma; K is in the interval exactly when
  // neither tail is at most alpha/2.
  auto log_choose = [](std::int64_t ia, std::int64_t ib) {
    const auto a = static_cast<double>(ia), b = static_cast<double>(ib);
    return std::lgamma(a + 1) - std::lgamma(b + 1) - std::lgamma(a - b + 1);
  };
  for (auto [x, n, M] : {std::array<std::int64_t, 3>{0, 20, 60},
                         {9, 17, 60},
                         {3, 19, 40},
                         {17, 17, 30},
                         {1, 5, 5},
                         {2, 10, 11}}) {
    for (double conf : {0.9, 0.95}) {
      const double a = (1 - conf) / 2;
      std::int64_t lo = -1, hi = -1;
      for (std::int64_t K = 0; K <= M; ++K) {
        double ge = 0, le = 0;
        for (std::int64_t j = 0; j <= n; ++j) {
          if (j > K || n - j > M - K) continue;
          const double pj = std::exp(log_choose(K, j) + log_choose(M - K, n - j) - log_choose(M, n));
          if (j >= x) ge += pj;
          if (j <= x) le += pj;
        }
        if (ge > a && le > a) {
          if (lo < 0) lo = K;
          hi = K;
        }
      }
      CAPTURE(x);
      CAPTURE(n);
      CAPTURE(M);
      CAPTURE(conf);
      const CountInterval r = hypergeometric_interval(x, n, M, conf);
      CHECK(r.lower == lo);
      CHECK(r.upper == hi);
    }
  }
}

TEST_CASE("hypergeometric interval: a census pins K down, and large populations approach the binomial") {
  const CountInterval census = hypergeometric_interval(7, 30, 30, 0.95);
  CHECK(census.lower == 7);
  CHECK(census.upper == 7);
  const CountInterval big = hypergeometric_interval(9, 17, 1'000'000, 0.95);
  const Interval cp = proportion_interval(Method::clopper_pearson, 9, 17, 0.95);
  CHECK(static_cast<double>(big.lower) / 1e6 == doctest::Approx(cp.lower).epsilon(1e-3));
  CHECK(static_cast<double>(big.upper) / 1e6 == doctest::Approx(cp.upper).epsilon(1e-3));
}

TEST_CASE("accurate at N = 10^9 and confidence 0.9999") {
  // Large-sample limits: against closed forms evaluated independently.
  const std::int64_t n = 1'000'000'000, x = 300'000'000;
  const double conf = 0.9999;
  const double z = 3.890591886413094;  // z_{0.99995}
  const double p = 0.3;
  const Interval w = proportion_interval(Method::wald, x, n, conf);
  CHECK(std::abs(w.lower - (p - z * std::sqrt(p * (1 - p) / 1e9))) < 1e-12);
  // With n this large every method agrees with Wald to well under 1e-9... except for terms of
  // order 1/n, which are 1e-9 here: compare the score-type methods to Wilson's closed form.
  const Interval wi = proportion_interval(Method::wilson, x, n, conf);
  for (Method m : {Method::clopper_pearson, Method::jeffreys, Method::mid_p, Method::likelihood_ratio,
                   Method::agresti_coull, Method::logit}) {
    CAPTURE(method_name(m));
    const Interval r = proportion_interval(m, x, n, conf);
    CHECK(std::abs(r.lower - wi.lower) < 2e-9);
    CHECK(std::abs(r.upper - wi.upper) < 2e-9);
  }
  // 0 of 10^9: Clopper-Pearson upper bound 1 - (alpha/2)^(1/n), written with expm1 for accuracy.
  const Interval zero = proportion_interval(Method::clopper_pearson, 0, n, conf);
  CHECK(std::abs(zero.upper - (-std::expm1(std::log(0.00005) / 1e9))) < 1e-15);
}

TEST_CASE("bad arguments are rejected with a message naming the value") {
  CHECK_THROWS_WITH_AS(proportion_interval(Method::wilson, 18, 17, 0.95),
                       "X is 18, but must be between 0 and N (17)", InputError);
  CHECK_THROWS_WITH_AS(proportion_interval(Method::wilson, 0, 0, 0.95), "N is 0, but must be at least 1",
                       InputError);
  CHECK_THROWS_WITH_AS(proportion_interval(Method::wilson, 1, 2, 1.5),
                       "confidence is 1.5, but must be strictly between 0 and 1", InputError);
  CHECK_THROWS_WITH_AS(
      parse_method("wilsn"),
      "method is 'wilsn', but must be wald, wald-cc, wilson, wilson-cc, agresti-coull, jeffreys, "
      "clopper-pearson, mid-p, likelihood-ratio or logit; did you mean 'wilson'?",
      InputError);
  CHECK_THROWS_AS(parse_methods("wilson,,jeffreys"), InputError);
  CHECK_THROWS_WITH_AS(parse_methods("wilson,wilson"), "methods lists 'wilson' twice", InputError);
  CHECK(parse_methods("all").size() == 10);
  CHECK(parse_methods("wilson, jeffreys") == std::vector<Method>{Method::wilson, Method::jeffreys});
  CHECK_THROWS_AS(hypergeometric_interval(1, 10, 9, 0.95), InputError);
}
