// Tests for include/inspectsim/funnel.hpp.
#include "inspectsim/stats/funnel.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;

namespace {

// Binomial(n, t) distribution function by summing the pmf from log-gamma: an independent
// evaluation of the definition, not Boost's incomplete beta.
std::vector<double> binomial_cdf(std::int64_t n, double t) {
  std::vector<double> cdf;
  double cum = 0;
  const auto dn = static_cast<double>(n);
  for (std::int64_t k = 0; k <= n; ++k) {
    const auto dk = static_cast<double>(k);
    cum += std::exp(std::lgamma(dn + 1) - std::lgamma(dk + 1) - std::lgamma(dn - dk + 1) + dk * std::log(t) +
                    (dn - dk) * std::log1p(-t));
    cdf.push_back(cum);
  }
  return cdf;
}

// Spiegelhalter (2005), appendix A.1.1: r = smallest count with F(r) >= p,
// alpha = (F(r) - p)/(F(r) - F(r-1)), limit = (r - alpha)/n.
double limit_by_definition(double t, std::int64_t n, double p) {
  const std::vector<double> f = binomial_cdf(n, t);
  std::size_t r = 0;
  while (f[r] < p) ++r;
  const double below = r == 0 ? 0.0 : f[r - 1];
  const double alpha = (f[r] - p) / (f[r] - below);
  return std::clamp((static_cast<double>(r) - alpha) / static_cast<double>(n), 0.0, 1.0);
}

}  // namespace

TEST_CASE("exact binomial control limits follow the quantile definition with interpolation") {
  for (std::int64_t n : {1, 2, 6, 17, 20, 33, 104, 400}) {
    for (double t : {0.02, 0.118, 0.212, 0.5, 0.87}) {
      for (double p : {0.001, 0.025, 0.5, 0.975, 0.999}) {
        CAPTURE(n);
        CAPTURE(t);
        CAPTURE(p);
        CHECK(binomial_control_limit(t, n, p) == doctest::Approx(limit_by_definition(t, n, p)).epsilon(1e-9));
      }
    }
  }
  // At a target of 0 or 1 every sample gives exactly that rate.
  CHECK(binomial_control_limit(0.0, 20, 0.999) == 0.0);
  CHECK(binomial_control_limit(1.0, 20, 0.001) == 1.0);
}

TEST_CASE("flags: Hampshire's 9 of 17 against the CDI 2018 pooled rate") {
  // Pooled rate of the six CDI 2018 other-sexual-offences rows (shipped data): 24 / 113.
  const std::vector<Count> rows{{9, 17}, {2, 19}, {8, 20}, {1, 18}, {1, 20}, {3, 19}};
  const FunnelModel m = fit_funnel(rows, Overdispersion::none);
  CHECK(m.target == doctest::Approx(24.0 / 113));
  CHECK_FALSE(m.widened);
  const FunnelLimits l95 = funnel_limits(m, 17, 0.95);
  const FunnelLimits l998 = funnel_limits(m, 17, 0.998);
  CHECK(l95.upper == doctest::Approx(limit_by_definition(24.0 / 113, 17, 0.975)).epsilon(1e-9));
  CHECK(l998.lower == doctest::Approx(limit_by_definition(24.0 / 113, 17, 0.001)).epsilon(1e-9));
  CHECK(funnel_flag({9, 17}, l998) == FunnelFlag::above);
  CHECK(funnel_flag({1, 17}, l95) == FunnelFlag::within);
  CHECK(funnel_flag({0, 17}, l95) == FunnelFlag::below);  // F(0) = 0.788^17 = 0.0175 < 0.025
  CHECK(funnel_flag({0, 400}, funnel_limits(m, 400, 0.95)) == FunnelFlag::below);
  CHECK(funnel_flag_name(FunnelFlag::above) == "above");
}

TEST_CASE("multiplicative overdispersion: phi is the mean squared z-score, winsorised at 10%") {
  // Two rows 2/10 and 8/10: target 0.5, z = -+0.3/sqrt(0.025) = -+1.8974, z^2 = 3.6 each.
  const std::vector<Count> two{{2, 10}, {8, 10}};
  const FunnelModel m = fit_funnel(two, Overdispersion::multiplicative);
  CHECK(m.phi == doctest::Approx(3.6));
  CHECK(m.widened);
  // Widened limits: t -+ z sqrt(phi t(1-t)/n) with z = 1.959964 (Spiegelhalter 2005, sec. 3.4).
  const FunnelLimits l = funnel_limits(m, 40, 0.95);
  CHECK(l.upper == doctest::Approx(0.5 + 1.959964 * std::sqrt(3.6 * 0.25 / 40)).epsilon(1e-6));
  CHECK(l.lower == doctest::Approx(0.5 - 1.959964 * std::sqrt(3.6 * 0.25 / 40)).epsilon(1e-6));
  // Ten rows of 100 at the target except one far above and one far below: with k = 1 the extreme
  // z-scores are replaced by their neighbours. Rows: 0, 5, 10 x 6, 15, 60 (of 100); target 0.14.
  std::vector<Count> ten{{0, 100}, {5, 100}, {15, 100}, {60, 100}};
  for (int i = 0; i < 6; ++i) ten.push_back({10, 100});
  const FunnelModel w = fit_funnel(ten, Overdispersion::multiplicative);
  const double t = 140.0 / 1000, se = std::sqrt(t * (1 - t) / 100);
  const double z5 = (0.05 - t) / se, z10 = (0.10 - t) / se, z15 = (0.15 - t) / se;
  CHECK(w.target == doctest::Approx(t));
  CHECK(w.phi == doctest::Approx((2 * z5 * z5 + 6 * z10 * z10 + 2 * z15 * z15) / 10));
  // phi below 1: the exact limits stand.
  const std::vector<Count> calm{{10, 100}, {11, 100}, {12, 100}};
  CHECK_FALSE(fit_funnel(calm, Overdispersion::multiplicative).widened);
}

TEST_CASE("additive overdispersion: DerSimonian-Laird tau^2 on the log-odds scale") {
  // Two rows: tau^2 = ((y1 - y2)^2 - (v1 + v2)) / 2 in closed form, with y = log((x+1/2)/(n-x+1/2)),
  // v = 1/(x+1/2) + 1/(n-x+1/2). Rows 10/20 and 2/20: y1 = 0, y2 = log(2.5/18.5),
  // v1 = 2/10.5, v2 = 1/2.5 + 1/18.5.
  const std::vector<Count> two{{10, 20}, {2, 20}};
  const FunnelModel m = fit_funnel(two, Overdispersion::additive);
  const double y2 = std::log(2.5 / 18.5), v = 2 / 10.5 + 1 / 2.5 + 1 / 18.5;
  CHECK(m.tau2 == doctest::Approx((y2 * y2 - v) / 2).epsilon(1e-12));
  CHECK(m.widened);
  const double t = 12.0 / 40;
  const FunnelLimits l = funnel_limits(m, 20, 0.95);
  const double h = 1.959964 * std::sqrt(1 / (20 * t * (1 - t)) + m.tau2);
  CHECK(l.upper == doctest::Approx(1 / (1 + std::exp(-(std::log(t / (1 - t)) + h)))).epsilon(1e-6));
  // Identical rates: no spread.
  const std::vector<Count> same{{3, 20}, {3, 20}, {3, 20}};
  CHECK(fit_funnel(same, Overdispersion::additive).tau2 == 0.0);
}

TEST_CASE("funnel: names and errors") {
  CHECK(parse_overdispersion("additive") == Overdispersion::additive);
  CHECK_THROWS_WITH_AS(parse_overdispersion("both"),
                       "overdispersion is 'both', but must be none, multiplicative or additive", InputError);
  CHECK_THROWS_WITH_AS(binomial_control_limit(0.2, 0, 0.5), "N is 0, but must be at least 1", InputError);
  const FunnelModel m;
  CHECK_THROWS_WITH_AS(funnel_limits(m, 10, 1.0), "level is 1, but must be strictly between 0 and 1",
                       InputError);
}
