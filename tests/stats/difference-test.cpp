// Tests for include/inspectsim/difference.hpp.
#include "inspectsim/stats/difference.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/minima.hpp>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;

namespace {

struct Published {
  std::int64_t x1, n1, x2, n2;
  DiffMethod method;
  double lower, upper;
};

// Newcombe RG (1998b), "Interval estimation for the difference between independent proportions:
// comparison of eleven methods", Statistics in Medicine 17:873-890, Table II: 95% limits to 4
// decimals for examples (a)-(h). Method 1 = simple asymptotic (Wald), method 6 = Miettinen-Nurminen
// score, method 10 = hybrid score (Wilson-based). Method 1 at (e)-(h) is degenerate (zero width).
constexpr Published newcombe_table_2[] = {
    // (a) 56/70 - 48/80
    {56, 70, 48, 80, DiffMethod::wald, 0.0575, 0.3425},
    {56, 70, 48, 80, DiffMethod::miettinen_nurminen, 0.0528, 0.3382},
    {56, 70, 48, 80, DiffMethod::newcombe, 0.0524, 0.3339},
    // (b) 9/10 - 3/10
    {9, 10, 3, 10, DiffMethod::wald, 0.2605, 0.9395},
    {9, 10, 3, 10, DiffMethod::miettinen_nurminen, 0.1700, 0.8406},
    {9, 10, 3, 10, DiffMethod::newcombe, 0.1705, 0.8090},
    // (c) 6/7 - 2/7
    {6, 7, 2, 7, DiffMethod::wald, 0.1481, 0.9947},
    {6, 7, 2, 7, DiffMethod::miettinen_nurminen, 0.0342, 0.8534},
    {6, 7, 2, 7, DiffMethod::newcombe, 0.0582, 0.8062},
    // (d) 5/56 - 0/29
    {5, 56, 0, 29, DiffMethod::wald, 0.0146, 0.1640},
    {5, 56, 0, 29, DiffMethod::miettinen_nurminen, -0.0326, 0.1933},
    {5, 56, 0, 29, DiffMethod::newcombe, -0.0381, 0.1926},
    // (e) 0/10 - 0/20
    {0, 10, 0, 20, DiffMethod::wald, 0.0, 0.0},
    {0, 10, 0, 20, DiffMethod::miettinen_nurminen, -0.1658, 0.2844},
    {0, 10, 0, 20, DiffMethod::newcombe, -0.1611, 0.2775},
    // (f) 0/10 - 0/10
    {0, 10, 0, 10, DiffMethod::miettinen_nurminen, -0.2879, 0.2879},
    {0, 10, 0, 10, DiffMethod::newcombe, -0.2775, 0.2775},
    // (g) 10/10 - 0/20
    {10, 10, 0, 20, DiffMethod::wald, 1.0, 1.0},
    {10, 10, 0, 20, DiffMethod::miettinen_nurminen, 0.7156, 1.0},
    {10, 10, 0, 20, DiffMethod::newcombe, 0.6791, 1.0},
    // (h) 10/10 - 0/10
    {10, 10, 0, 10, DiffMethod::miettinen_nurminen, 0.6636, 1.0},
    {10, 10, 0, 10, DiffMethod::newcombe, 0.6075, 1.0},
};

double z95() {
  return boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(), 0.025));
}

// The Miettinen-Nurminen score statistic at delta, with the restricted MLE found by maximising the
// binomial log-likelihood over p2 numerically (Brent's method), not by the closed-form cubic.
double mn_score_by_search(double x1, double n1, double x2, double n2, double delta) {
  auto negloglik = [&](double p2) {
    const double p1 = p2 + delta;
    auto term = [](double k, double p) { return k == 0 ? 0.0 : k * std::log(p); };
    return -(term(x1, p1) + term(n1 - x1, 1 - p1) + term(x2, p2) + term(n2 - x2, 1 - p2));
  };
  const double lo = std::max(0.0, -delta) + 1e-13;
  const double hi = std::min(1.0, 1.0 - delta) - 1e-13;
  const double p2 = boost::math::tools::brent_find_minima(negloglik, lo, hi, 50).first;
  const double p1 = p2 + delta;
  const double var = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * (n1 + n2) / (n1 + n2 - 1);
  return (x1 / n1 - x2 / n2 - delta) / std::sqrt(var);
}

// log of the hypergeometric probability of cell (1,1) = k, from log-gamma (independent of Boost's
// hypergeometric distribution): C(n1, k) C(n2, m - k) / C(n1 + n2, m).
double log_choose(double n, double k) {
  return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

double fisher_by_enumeration(std::int64_t x1, std::int64_t n1, std::int64_t x2, std::int64_t n2) {
  const auto m = static_cast<double>(x1 + x2);
  const auto a = static_cast<double>(n1), b = static_cast<double>(n2);
  auto prob = [&](double k) {
    return std::exp(log_choose(a, k) + log_choose(b, m - k) - log_choose(a + b, m));
  };
  const double observed = prob(static_cast<double>(x1));
  double p = 0;
  for (double k = std::max(0.0, m - b); k <= std::min(a, m); ++k)
    if (prob(k) <= observed * (1 + 1e-7)) p += prob(k);
  return std::min(1.0, p);
}

}  // namespace

TEST_CASE("difference intervals match Newcombe (1998b) Table II to the published 4 decimals") {
  for (const auto& c : newcombe_table_2) {
    CAPTURE(c.x1);
    CAPTURE(c.n1);
    CAPTURE(c.x2);
    CAPTURE(c.n2);
    CAPTURE(diff_method_name(c.method));
    const Interval r = difference_interval(c.method, c.x1, c.n1, c.x2, c.n2, 0.95);
    CHECK(std::abs(r.lower - c.lower) <= 0.00005 + 1e-12);
    CHECK(std::abs(r.upper - c.upper) <= 0.00005 + 1e-12);
  }
}

TEST_CASE("Agresti-Caffo adds one success and one failure to each group") {
  // Hand calculation from Agresti and Caffo (2000), Am. Stat. 54:280-288, sec. 2: 9/10 - 3/10
  // becomes 10/12 - 4/12 = 0.5 with variance (10/12)(2/12)/12 + (4/12)(8/12)/12 = 13/432, so the
  // 95% interval is 0.5 -+ 1.959964 sqrt(13/432) = (0.160001, 0.839999).
  const Interval r = difference_interval(DiffMethod::agresti_caffo, 9, 10, 3, 10, 0.95);
  CHECK(r.lower == doctest::Approx(0.5 - z95() * std::sqrt(13.0 / 432)).epsilon(1e-12));
  CHECK(r.upper == doctest::Approx(0.5 + z95() * std::sqrt(13.0 / 432)).epsilon(1e-12));
  CHECK(r.lower == doctest::Approx(0.160001).epsilon(1e-5));
}

TEST_CASE("Miettinen-Nurminen bounds are where the score statistic equals -+z") {
  // Defining property (Miettinen and Nurminen 1985, eq. 8): at the lower bound z(delta) = z_{0.975},
  // at the upper z(delta) = -z_{0.975}; the restricted MLE here comes from a numerical search.
  const std::int64_t cases[][4] = {{9, 17, 1, 20}, {9, 17, 8, 20}, {56, 70, 48, 80}, {3, 19, 0, 20},
                                   {1, 20, 8, 20}, {0, 33, 7, 33}, {14, 30, 29, 71}};
  for (const auto& c : cases) {
    CAPTURE(c[0]);
    CAPTURE(c[2]);
    const auto x1 = static_cast<double>(c[0]), n1 = static_cast<double>(c[1]);
    const auto x2 = static_cast<double>(c[2]), n2 = static_cast<double>(c[3]);
    const Interval r = difference_interval(DiffMethod::miettinen_nurminen, c[0], c[1], c[2], c[3], 0.95);
    CHECK(mn_score_by_search(x1, n1, x2, n2, r.lower) == doctest::Approx(z95()).epsilon(1e-5));
    CHECK(mn_score_by_search(x1, n1, x2, n2, r.upper) == doctest::Approx(-z95()).epsilon(1e-5));
  }
}

TEST_CASE("difference intervals: antisymmetry, bounds in [-1, 1], contain the estimate") {
  for (DiffMethod m :
       {DiffMethod::newcombe, DiffMethod::miettinen_nurminen, DiffMethod::agresti_caffo, DiffMethod::wald}) {
    CAPTURE(diff_method_name(m));
    for (std::int64_t n1 : {1, 3, 8, 17}) {
      for (std::int64_t n2 : {1, 5, 20}) {
        for (std::int64_t x1 = 0; x1 <= n1; ++x1) {
          for (std::int64_t x2 = 0; x2 <= n2; ++x2) {
            for (double conf : {0.9, 0.95, 0.99}) {
              const Interval r = difference_interval(m, x1, n1, x2, n2, conf);
              const Interval s = difference_interval(m, x2, n2, x1, n1, conf);
              CHECK(r.lower >= -1.0);
              CHECK(r.upper <= 1.0);
              CHECK(r.lower <= r.upper);
              CHECK(s.lower == doctest::Approx(-r.upper).epsilon(1e-9));
              CHECK(s.upper == doctest::Approx(-r.lower).epsilon(1e-9));
              const double d = static_cast<double>(x1) / static_cast<double>(n1) -
                               static_cast<double>(x2) / static_cast<double>(n2);
              if (m != DiffMethod::agresti_caffo) {  // Agresti-Caffo is centred on adjusted rates
                CHECK(r.lower <= d + 1e-12);
                CHECK(r.upper >= d - 1e-12);
              }
            }
          }
        }
      }
    }
  }
}

TEST_CASE("wider confidence gives wider difference intervals") {
  for (DiffMethod m :
       {DiffMethod::newcombe, DiffMethod::miettinen_nurminen, DiffMethod::agresti_caffo, DiffMethod::wald}) {
    const Interval a = difference_interval(m, 9, 17, 1, 20, 0.9);
    const Interval b = difference_interval(m, 9, 17, 1, 20, 0.99);
    CHECK(b.lower < a.lower);
    CHECK(b.upper > a.upper);
  }
}

TEST_CASE("Fisher's exact test against published values and an independent enumeration") {
  // Fisher (1935), The Design of Experiments, sec. 2: the lady tasting tea, 3 of 4 cups right:
  // tables with probabilities 1, 16, 36, 16, 1 (/70); two-sided p = 34/70.
  CHECK(fisher_exact_p(3, 4, 1, 4) == doctest::Approx(34.0 / 70).epsilon(1e-12));
  CHECK(fisher_exact_p(4, 4, 0, 4) == doctest::Approx(2.0 / 70).epsilon(1e-12));
  CHECK(fisher_exact_p(2, 4, 2, 4) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(fisher_exact_p(0, 10, 0, 20) == 1.0);
  for (std::int64_t n1 : {1, 4, 17, 33}) {
    for (std::int64_t n2 : {2, 20, 35}) {
      for (std::int64_t x1 = 0; x1 <= n1; ++x1) {
        for (std::int64_t x2 = 0; x2 <= n2; ++x2) {
          CAPTURE(x1);
          CAPTURE(n1);
          CAPTURE(x2);
          CAPTURE(n2);
          const double p = fisher_exact_p(x1, n1, x2, n2);
          CHECK(p == doctest::Approx(fisher_by_enumeration(x1, n1, x2, n2)).epsilon(1e-9));
          CHECK(p == doctest::Approx(fisher_exact_p(x2, n2, x1, n1)).epsilon(1e-12));
          CHECK(p > 0.0);
          CHECK(p <= 1.0);
        }
      }
    }
  }
  // Large samples stay exact: 1,500 records per group.
  CHECK(fisher_exact_p(150, 1500, 190, 1500) ==
        doctest::Approx(fisher_by_enumeration(150, 1500, 190, 1500)).epsilon(1e-8));
}

TEST_CASE("Fisher's exact test at large and unequal counts, and at 10^9 records per group") {
  // Beyond 4096 possible tables the two tails are found by bisection. Unequal groups put the
  // observed table on either side of the mode, and ties of the two tails (equal groups) exercise
  // the 1e-7 tolerance.
  CHECK(fisher_exact_p(30, 200000, 60, 100000) ==
        doctest::Approx(fisher_by_enumeration(30, 200000, 60, 100000)).epsilon(1e-8));
  CHECK(fisher_exact_p(4000, 200000, 2600, 100000) ==
        doctest::Approx(fisher_by_enumeration(4000, 200000, 2600, 100000)).epsilon(1e-8));
  CHECK(fisher_exact_p(4600, 200000, 2000, 100000) ==
        doctest::Approx(fisher_by_enumeration(4600, 200000, 2000, 100000)).epsilon(1e-8));
  CHECK(fisher_exact_p(12000, 150000, 4000, 50000) ==
        doctest::Approx(fisher_by_enumeration(12000, 150000, 4000, 50000)).epsilon(1e-8));
  CHECK(fisher_exact_p(5100, 100000, 4900, 100000) ==
        doctest::Approx(fisher_by_enumeration(5100, 100000, 4900, 100000)).epsilon(1e-8));
  CHECK(fisher_exact_p(0, 100000, 7, 100000) ==
        doctest::Approx(fisher_by_enumeration(0, 100000, 7, 100000)).epsilon(1e-8));
  // 10^9 per group (beyond an enumeration): with equal groups and m = N/2 wrong records the count
  // is hypergeometric with mean 5e8 and variance n1 n2 m (N - m) / (N^2 (N - 1)) = 1.25e8 (to
  // 1 part in 1e9), so nearly normal: the two-sided p is erfc(z / sqrt 2), z = (|x1 - mean| - 1/2) / sd,
  // the continuity-corrected normal approximation, here far more accurate than the tolerance.
  const std::int64_t n = 1'000'000'000;
  for (std::int64_t d : {0, 5000, 30000, 60000}) {
    CAPTURE(d);
    const double sd = std::sqrt(1.25e8 * 2e9 / (2e9 - 1));
    const double z = (static_cast<double>(d) - 0.5) / sd;
    const double normal = d == 0 ? 1.0 : std::erfc(z / std::sqrt(2.0));
    const double p = fisher_exact_p(n / 2 + d, n, n / 2 - d, n);
    CHECK(p == doctest::Approx(normal).epsilon(1e-4));
    CHECK(p == doctest::Approx(fisher_exact_p(n / 2 - d, n, n / 2 + d, n)).epsilon(1e-9));
  }
  // Groups up to 2^31 - 1 records each (any two rows of a results file) are allowed together.
  CHECK(fisher_exact_p(3, 2147483647, 5, 2147483647) > 0.0);
}

TEST_CASE("difference methods: names and errors") {
  CHECK(diff_method_name(DiffMethod::miettinen_nurminen) == "miettinen-nurminen");
  CHECK(parse_diff_method("agresti-caffo") == DiffMethod::agresti_caffo);
  CHECK_THROWS_WITH_AS(parse_diff_method("score"),
                       "diff_method is 'score', but must be newcombe, miettinen-nurminen, "
                       "agresti-caffo or wald",
                       InputError);
  CHECK_THROWS_WITH_AS(difference_interval(DiffMethod::wald, 3, 2, 0, 5, 0.95),
                       "X1 is 3, but must be between 0 and N1 (2)", InputError);
  CHECK_THROWS_WITH_AS(difference_interval(DiffMethod::wald, 0, 2, 0, 0, 0.95),
                       "N2 is 0, but must be at least 1", InputError);
  CHECK_THROWS_WITH_AS(difference_interval(DiffMethod::wald, 0, 2, 0, 5, 1.0),
                       "confidence is 1, but must be strictly between 0 and 1", InputError);
  CHECK_THROWS_WITH_AS(fisher_exact_p(-1, 2, 0, 5), "X1 is -1, but must be between 0 and N1 (2)", InputError);
}
