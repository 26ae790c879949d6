#include "inspectsim/stats/shrinkage.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <string>

#include <Eigen/Dense>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include "inspectsim/base/error.hpp"

namespace inspectsim::stats {

double beta_binomial_log_likelihood(std::span<const Count> data, double a, double b) {
  double ll = 0;
  for (const Count& c : data) {
    const auto x = static_cast<double>(c.x), n = static_cast<double>(c.n);
    ll += std::lgamma(n + 1) - std::lgamma(x + 1) - std::lgamma(n - x + 1) + std::lgamma(x + a) +
          std::lgamma(n - x + b) - std::lgamma(n + a + b) - std::lgamma(a) - std::lgamma(b) +
          std::lgamma(a + b);
  }
  return ll;
}

namespace {

// Gradient and Hessian of the log marginal likelihood in theta = (eta, lambda) = (logit mu, log M),
// by the chain rule from the derivatives in (a, b) (Griffiths 1973):
//   dl/da = sum psi(x + a) - psi(n + M) - psi(a) + psi(M), and likewise for b with n - x;
//   second derivatives with the trigamma psi1.
struct Derivatives {
  double value;
  Eigen::Vector2d gradient;
  Eigen::Matrix2d hessian;
};
Derivatives derivatives(std::span<const Count> data, double eta, double lambda) {
  using boost::math::digamma;
  using boost::math::trigamma;
  // mu and 1 - mu each from its own logistic, so that neither rounds to 0 before the other does.
  const double mu = 1 / (1 + std::exp(-eta)), one_minus_mu = 1 / (1 + std::exp(eta));
  const double m = std::exp(lambda);
  const double a = m * mu, b = m * one_minus_mu;
  double ga = 0, gb = 0, haa = 0, hbb = 0, hab = 0;
  for (const Count& c : data) {
    const auto x = static_cast<double>(c.x), n = static_cast<double>(c.n);
    const double common_g = -digamma(n + m) + digamma(m);
    const double common_h = -trigamma(n + m) + trigamma(m);
    ga += digamma(x + a) - digamma(a) + common_g;
    gb += digamma(n - x + b) - digamma(b) + common_g;
    haa += trigamma(x + a) - trigamma(a) + common_h;
    hbb += trigamma(n - x + b) - trigamma(b) + common_h;
    hab += common_h;
  }
  // a = M mu, b = M (1 - mu): da/deta = M mu(1-mu) = -db/deta, da/dlambda = a, db/dlambda = b.
  const double s = m * mu * one_minus_mu;
  Eigen::Matrix2d j;  // rows: (a, b); columns: (eta, lambda)
  j << s, a, -s, b;
  Eigen::Matrix2d h_ab;
  h_ab << haa, hab, hab, hbb;
  const Eigen::Vector2d g_ab(ga, gb);
  Derivatives d;
  d.value = beta_binomial_log_likelihood(data, a, b);
  d.gradient = j.transpose() * g_ab;
  // Second derivatives of (a, b) in theta: d2a/deta2 = s(1 - 2mu) = -d2b/deta2,
  // d2a/deta dlambda = s = -d2b/deta dlambda, d2a/dlambda2 = a, d2b/dlambda2 = b.
  Eigen::Matrix2d curvature;
  curvature << (ga - gb) * s * (1 - 2 * mu), (ga - gb) * s, (ga - gb) * s, ga * a + gb * b;
  d.hessian = j.transpose() * h_ab * j + curvature;
  return d;
}

// The fit's domain: |logit mu| <= max_logit and M in [min_concentration, max_concentration], where
// a = M mu and b = M (1 - mu) stay positive and the digamma and trigamma functions are finite.
constexpr double max_logit = 30;
constexpr double max_step = 4;  // the longest step in (logit mu, log M) tried at once

// The derivatives at (eta, lambda), or nothing when the point lies outside the domain or any of them is
// not finite (there a step is rejected, not taken).
std::optional<Derivatives> derivatives_in_domain(std::span<const Count> data, double eta, double lambda) {
  if (!(std::abs(eta) <= max_logit) || !(lambda >= std::log(min_concentration)) ||
      !(lambda <= std::log(max_concentration)))
    return std::nullopt;
  const double m = std::exp(lambda);
  if (!(m / (1 + std::exp(-eta)) > 0) || !(m / (1 + std::exp(eta)) > 0)) return std::nullopt;
  Derivatives d;
  try {
    d = derivatives(data, eta, lambda);
  } catch (const std::exception&) {  // Boost.Math's pole or overflow errors: outside the domain
    return std::nullopt;
  }
  if (!std::isfinite(d.value) || !d.gradient.allFinite() || !d.hessian.allFinite()) return std::nullopt;
  return d;
}

}  // namespace

BetaBinomialFit fit_beta_binomial(std::span<const Count> data) {
  if (data.size() < 2)
    throw base::InputError("shrinkage needs at least two units to estimate the spread between them; got " +
                           std::to_string(data.size()));
  double sx = 0, sn = 0;
  for (const Count& c : data) {
    sx += static_cast<double>(c.x);
    sn += static_cast<double>(c.n);
  }
  // Start at the pooled rate (kept off 0 and 1) and a moderate concentration.
  const double pooled = std::clamp((sx + 0.5) / (sn + 1), 1e-6, 1 - 1e-6);
  const double lambda_lo = std::log(min_concentration), lambda_hi = std::log(max_concentration);
  Eigen::Vector2d theta(std::log(pooled / (1 - pooled)), std::log(10.0));
  // The start lies inside the domain (pooled in [1e-6, 1 - 1e-6], M = 10).
  Derivatives d = *derivatives_in_domain(data, theta[0], theta[1]);
  int iter = 0;
  for (; iter < 200; ++iter) {
    // Newton direction when the Hessian is negative definite, else steepest ascent.
    Eigen::Vector2d step;
    const Eigen::LLT<Eigen::Matrix2d> llt(-d.hessian);
    if (llt.info() == Eigen::Success)
      step = llt.solve(d.gradient);
    else
      step = d.gradient / std::max(1.0, d.gradient.norm());
    if (!step.allFinite()) break;
    // Bounded steps: at most max_step long, halved until the trial point lies in the domain and the
    // likelihood does not fall. log M is held at its bounds (that is how the fit reaches them); a step
    // that takes logit mu out of range, or makes a, b or a derivative non-finite, is rejected.
    if (step.norm() > max_step) step *= max_step / step.norm();
    double scale = 1;
    bool moved = false;
    for (int h = 0; h < 60; ++h, scale /= 2) {
      Eigen::Vector2d next = theta + scale * step;
      next[1] = std::clamp(next[1], lambda_lo, lambda_hi);
      const std::optional<Derivatives> dn = derivatives_in_domain(data, next[0], next[1]);
      if (dn && dn->value >= d.value - 1e-12) {
        moved = (next - theta).norm() > 1e-12;
        theta = next;
        d = *dn;
        break;
      }
    }
    const bool at_upper = theta[1] >= lambda_hi && d.gradient[1] > 0;
    const bool at_lower = theta[1] <= lambda_lo && d.gradient[1] < 0;
    const double g = at_upper || at_lower ? std::abs(d.gradient[0]) : d.gradient.norm();
    if (!moved || g < 1e-8) break;
  }
  BetaBinomialFit fit;
  fit.mean = 1 / (1 + std::exp(-theta[0]));
  fit.concentration = std::exp(theta[1]);
  fit.a = fit.concentration * fit.mean;
  fit.b = fit.concentration / (1 + std::exp(theta[0]));
  fit.spread = std::sqrt(fit.mean * (1 - fit.mean) / (fit.concentration + 1));
  fit.log_likelihood = d.value;
  fit.iterations = iter + 1;
  fit.no_spread = theta[1] >= lambda_hi - 1e-9 && d.gradient[1] >= 0;
  return fit;
}

ShrunkEstimate shrink(const BetaBinomialFit& fit, Count c, double confidence,
                      std::span<const double> thresholds) {
  if (!(confidence > 0 && confidence < 1))
    throw base::InputError("confidence must be strictly between 0 and 1");
  const auto x = static_cast<double>(c.x), n = static_cast<double>(c.n);
  // Conjugate update: Beta(a + X, b + N - X) (Gelman et al., BDA3, sec. 2.4).
  const boost::math::beta_distribution<double> post(fit.a + x, fit.b + n - x);
  const double tail = (1 - confidence) / 2;
  ShrunkEstimate s;
  s.estimate = (fit.a + x) / (fit.concentration + n);
  s.lower = boost::math::quantile(post, tail);
  s.upper = boost::math::quantile(boost::math::complement(post, tail));
  s.weight = fit.concentration / (fit.concentration + n);
  for (double t : thresholds) s.p_above.push_back({t, boost::math::cdf(boost::math::complement(post, t))});
  return s;
}

}  // namespace inspectsim::stats
