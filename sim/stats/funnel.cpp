#include "inspectsim/stats/funnel.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/text.hpp"

namespace inspectsim::stats {

std::string_view overdispersion_name(Overdispersion o) noexcept { return base::name_of(o); }

Overdispersion parse_overdispersion(std::string_view name) {
  return base::parse_name<Overdispersion>(base::field("overdispersion"), name);
}

double binomial_control_limit(double target, std::int64_t n, double p) {
  if (n < 1) throw base::InputError("N is " + std::to_string(n) + ", but must be at least 1");
  if (!(target >= 0 && target <= 1))
    throw base::InputError("target rate is " + base::format_number(target) + ", but must be between 0 and 1");
  if (!(p > 0 && p < 1))
    throw base::InputError("p is " + base::format_number(p) + ", but must be strictly between 0 and 1");
  if (target == 0 || target == 1) return target;  // all mass on 0 or on n
  const boost::math::binomial_distribution<double> b(static_cast<double>(n), target);
  auto F = [&](std::int64_t r) { return r < 0 ? 0.0 : boost::math::cdf(b, static_cast<double>(r)); };
  // Start from Boost's quantile and step to the smallest r with F(r) >= p.
  auto r = static_cast<std::int64_t>(boost::math::quantile(b, p));
  r = std::clamp<std::int64_t>(r, 0, n);
  while (r > 0 && F(r - 1) >= p) --r;
  while (r < n && F(r) < p) ++r;
  const double fr = F(r);
  const double fr1 = F(r - 1);
  const double alpha = fr > fr1 ? (fr - p) / (fr - fr1) : 0.0;
  return std::clamp((static_cast<double>(r) - alpha) / static_cast<double>(n), 0.0, 1.0);
}

FunnelModel fit_funnel(std::span<const Count> rows, Overdispersion kind) {
  FunnelModel m;
  m.kind = kind;
  double sx = 0, sn = 0;
  for (const Count& c : rows) {
    sx += static_cast<double>(c.x);
    sn += static_cast<double>(c.n);
  }
  if (!(sn > 0)) throw base::InputError("a funnel plot needs at least one row with records sampled");
  m.target = sx / sn;
  const double t = m.target;
  if (kind == Overdispersion::multiplicative && t > 0 && t < 1 && !rows.empty()) {
    std::vector<double> z;
    for (const Count& c : rows) {
      const auto n = static_cast<double>(c.n);
      z.push_back((static_cast<double>(c.x) / n - t) / std::sqrt(t * (1 - t) / n));
    }
    std::sort(z.begin(), z.end());
    // 10% winsorising (Spiegelhalter 2005, sec. 6.2): the k = floor(0.1 I) most extreme z-scores at
    // each end are set to the nearest remaining one.
    const std::size_t k = z.size() / 10;
    for (std::size_t i = 0; i < k; ++i) {
      z[i] = z[k];
      z[z.size() - 1 - i] = z[z.size() - 1 - k];
    }
    double s = 0;
    for (double v : z) s += v * v;
    m.phi = s / static_cast<double>(z.size());
    m.widened = m.phi > 1;
  }
  if (kind == Overdispersion::additive && rows.size() >= 2) {
    // DerSimonian and Laird (1986): Q = sum w (y - ybar)^2, tau^2 = max(0, (Q - (I - 1)) /
    // (sum w - sum w^2 / sum w)), with w = 1 / var, on the empirical log-odds (Haldane's 1/2).
    double sw = 0, sw2 = 0, swy = 0;
    std::vector<double> y, w;
    for (const Count& c : rows) {
      const double a = static_cast<double>(c.x) + 0.5;
      const double b = static_cast<double>(c.n - c.x) + 0.5;
      y.push_back(std::log(a / b));
      w.push_back(1 / (1 / a + 1 / b));
      sw += w.back();
      sw2 += w.back() * w.back();
      swy += w.back() * y.back();
    }
    const double ybar = swy / sw;
    double q = 0;
    for (std::size_t i = 0; i < y.size(); ++i) q += w[i] * (y[i] - ybar) * (y[i] - ybar);
    m.tau2 = std::max(0.0, (q - static_cast<double>(rows.size() - 1)) / (sw - sw2 / sw));
    m.widened = m.tau2 > 0 && t > 0 && t < 1;
  }
  return m;
}

FunnelLimits funnel_limits(const FunnelModel& model, std::int64_t n, double level) {
  if (!(level > 0 && level < 1))
    throw base::InputError(base::field("level") + " is " + base::format_number(level) +
                           ", but must be strictly between 0 and 1");
  const double tail = (1 - level) / 2;
  const double t = model.target;
  if (!model.widened) return {binomial_control_limit(t, n, tail), binomial_control_limit(t, n, 1 - tail)};
  const double z =
      boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(), tail));
  const auto dn = static_cast<double>(n);
  if (model.kind == Overdispersion::multiplicative) {
    const double h = z * std::sqrt(model.phi * t * (1 - t) / dn);
    return {std::clamp(t - h, 0.0, 1.0), std::clamp(t + h, 0.0, 1.0)};
  }
  const double centre = std::log(t / (1 - t));
  const double h = z * std::sqrt(1 / (dn * t * (1 - t)) + model.tau2);
  auto expit = [](double v) { return 1 / (1 + std::exp(-v)); };
  return {expit(centre - h), expit(centre + h)};
}

std::string_view funnel_flag_name(FunnelFlag f) noexcept { return base::name_of(f); }

FunnelFlag funnel_flag(Count c, const FunnelLimits& limits) {
  const double y = static_cast<double>(c.x) / static_cast<double>(c.n);
  if (y > limits.upper) return FunnelFlag::above;
  if (y < limits.lower) return FunnelFlag::below;
  return FunnelFlag::within;
}

}  // namespace inspectsim::stats
