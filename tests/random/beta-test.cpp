// Tests for include/inspectsim/random/beta.hpp: the fast Gamma and Beta samplers against the exact
// laws of Boost.Math (an independent implementation of the cdf), by the Kolmogorov-Smirnov
// statistic and by the first two moments.
#include "inspectsim/random/beta.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>

using namespace inspectsim::random;

namespace {

// The Kolmogorov-Smirnov statistic D_n = sup |F_n(x) - F(x)| of the sorted draws against cdf.
template <class Cdf>
double ks_statistic(std::vector<double> x, Cdf cdf) {
  std::sort(x.begin(), x.end());
  const auto n = static_cast<double>(x.size());
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n});
  }
  return d;
}

// P(sqrt(n) D_n > 1.95) is about 0.001 for large n (the Kolmogorov distribution's 99.9% point,
// 1.9495: Smirnov 1948, Ann. Math. Statist. 19:279-281, table 1).
constexpr double ks_critical = 1.95;

// n draws of `draw` against Beta(a, b): the Kolmogorov-Smirnov statistic, and the mean within 4.5
// standard errors of a / (a + b) and E[X^2] within 4.5 of its own: Var(X^2) = E[X^4] - E[X^2]^2,
// with E[X^k] = prod_{j<k} (a + j) / (a + b + j).
template <class Draw>
void check_beta_law(Draw draw, double a, double b, int n) {
  std::vector<double> x(static_cast<std::size_t>(n));
  double sum = 0, sum2 = 0;
  for (double& v : x) {
    v = draw();
    REQUIRE(v >= 0);
    REQUIRE(v <= 1);
    sum += v;
    sum2 += v * v;
  }
  const boost::math::beta_distribution<double> law(a, b);
  CHECK(std::sqrt(static_cast<double>(n)) *
            ks_statistic(x, [&](double t) { return boost::math::cdf(law, t); }) <
        ks_critical);
  auto raw = [&](int k) {
    double m = 1;
    for (int j = 0; j < k; ++j) m *= (a + j) / (a + b + j);
    return m;
  };
  CHECK(std::abs(sum / n - raw(1)) < 4.5 * std::sqrt((raw(2) - raw(1) * raw(1)) / n));
  CHECK(std::abs(sum2 / n - raw(2)) < 4.5 * std::sqrt((raw(4) - raw(2) * raw(2)) / n));
}

}  // namespace

TEST_CASE("Beta draws follow the Beta law: Kolmogorov-Smirnov and moments") {
  // Shapes from compare's posteriors: Jeffreys with no records wrong (0.5), small and large counts,
  // both shapes below 1 (the logarithmic path), and a uniform.
  const std::vector<std::pair<double, double>> shapes{{0.5, 20.5},  {9.5, 8.5}, {1, 1},    {0.3, 0.7},
                                                      {150.5, 3.5}, {2.5, 0.5}, {0.05, 4}, {33.5, 0.5}};
  const int n = 20000;
  std::uint64_t job = 0;
  for (const auto& [a, b] : shapes) {
    CAPTURE(a);
    CAPTURE(b);
    Engine engine = make_stream(77, job++, 9);
    const BetaSampler sampler(a, b);
    check_beta_law([&] { return sampler(engine); }, a, b, n);
  }
}

TEST_CASE("Gamma draws follow the Gamma law, on both sides of shape 1") {
  const int n = 20000;
  std::uint64_t job = 0;
  for (const double shape : {0.2, 0.5, 1.0, 1.5, 3.7, 40.0}) {
    CAPTURE(shape);
    Engine engine = make_stream(78, job++, 9);
    const GammaSampler sampler(shape);
    std::vector<double> x(n), lx(n);
    for (int i = 0; i < n; ++i) x[static_cast<std::size_t>(i)] = sampler(engine);
    for (int i = 0; i < n; ++i) lx[static_cast<std::size_t>(i)] = sampler.log_draw(engine);
    const boost::math::gamma_distribution<double> law(shape);
    auto cdf = [&](double t) { return t <= 0 ? 0.0 : boost::math::cdf(law, t); };
    CHECK(std::sqrt(static_cast<double>(n)) * ks_statistic(x, cdf) < ks_critical);
    // log_draw is the log of a draw from the same law.
    CHECK(std::sqrt(static_cast<double>(n)) * ks_statistic(lx, [&](double t) { return cdf(std::exp(t)); }) <
          ks_critical);
  }
}

TEST_CASE("tiny shapes give Beta draws in [0, 1], never NaN") {
  Engine engine = make_stream(79, 0, 9);
  const BetaSampler tiny(1e-3, 1e-3);
  int near_zero = 0;
  for (int i = 0; i < 10000; ++i) {
    const double v = tiny(engine);
    REQUIRE(v >= 0);
    REQUIRE(v <= 1);
    if (v < 0.5) ++near_zero;
  }
  // Beta(1e-3, 1e-3) is symmetric, with almost all its mass at 0 and 1.
  CHECK(std::abs(near_zero - 5000) < 4.5 * 50);
}

TEST_CASE("the samplers are reproducible from the engine's state") {
  Engine a = make_stream(80, 0, 9), b = make_stream(80, 0, 9);
  const BetaSampler s(2.5, 7.5);
  for (int i = 0; i < 100; ++i) CHECK(s(a) == s(b));
}

TEST_CASE("Beta draws from a table follow the Beta law: Kolmogorov-Smirnov and moments") {
  // As above, and the regions' special cases: a shape of exactly 1 (monotone densities, the
  // uniform), both shapes below 1 (both ends unbounded, an antimode inside), a law so concentrated
  // that the strips cover only a small part of [0, 1] (tails on both sides), and one near 1.
  const std::vector<std::pair<double, double>> shapes{
      {0.5, 20.5},        {9.5, 8.5},  {1, 1},      {0.3, 0.7}, {150.5, 3.5}, {2.5, 0.5},
      {0.05, 4},          {33.5, 0.5}, {1, 5},      {5, 1},     {0.5, 0.5},   {1, 0.4},
      {10000.5, 30000.5}, {3.5, 1},    {400.5, 0.5}};
  const int n = 50000;
  std::uint64_t job = 0;
  for (const auto& [a, b] : shapes) {
    CAPTURE(a);
    CAPTURE(b);
    // The default table, and coarse ones, where most of the work is the rejection step: exact
    // draws must not depend on the number of strips.
    for (const int strips : {256, 3, 1}) {
      CAPTURE(strips);
      Engine engine = make_stream(79, job++, 9);
      const BetaTable table(a, b, strips);
      check_beta_law([&] { return table(engine); }, a, b, n);
    }
  }
}

TEST_CASE("Beta draws from a table: the far tails carry their exact mass") {
  // The KS test cannot see a tail of mass 1e-3; here P(X < q) for the 0.1% and 99.9% points of
  // Beta(0.5, 17.5) and Beta(20.5, 3.5), within 4.5 SEs over 10^6 draws.
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{{0.5, 17.5}, {20.5, 3.5}}) {
    CAPTURE(a);
    CAPTURE(b);
    const boost::math::beta_distribution<double> law(a, b);
    const double q_lo = boost::math::quantile(law, 0.001), q_hi = boost::math::quantile(law, 0.999);
    Engine engine = make_stream(80, 0, 9);
    const BetaTable table(a, b);
    const int n = 1000000;
    int below = 0, above = 0;
    for (int i = 0; i < n; ++i) {
      const double v = table(engine);
      below += v < q_lo;
      above += v > q_hi;
    }
    const double se = std::sqrt(0.001 * 0.999 / n);
    CHECK(std::abs(below / static_cast<double>(n) - 0.001) < 4.5 * se);
    CHECK(std::abs(above / static_cast<double>(n) - 0.001) < 4.5 * se);
  }
}
