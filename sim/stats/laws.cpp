#include "inspectsim/stats/laws.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/prime.hpp>

#include "inspectsim/stats/hypergeometric.hpp"

namespace inspectsim::stats {

namespace {

std::size_t size(std::int64_t n) { return static_cast<std::size_t>(n) + 1; }

// log C(n, k) + log B(a + k, b + n - k) - log B(a, b), with Boost's lgamma (thread-safe, unlike
// std::lgamma, which writes the global signgam).
double log_beta_binomial(std::int64_t n, std::int64_t k, double a, double b) {
  using boost::math::lgamma;
  const double nd = static_cast<double>(n);
  const double kd = static_cast<double>(k);
  const double log_choose = lgamma(nd + 1) - lgamma(kd + 1) - lgamma(nd - kd + 1);
  const double log_beta_ratio =
      lgamma(a + kd) + lgamma(b + nd - kd) - lgamma(a + b + nd) - (lgamma(a) + lgamma(b) - lgamma(a + b));
  return log_choose + log_beta_ratio;
}

}  // namespace

std::vector<double> binomial_pmf(std::int64_t n, double p) {
  std::vector<double> pmf(size(n), 0.0);
  const boost::math::binomial_distribution<double> dist(static_cast<double>(n), p);
  for (std::int64_t x = 0; x <= n; ++x)
    pmf[static_cast<std::size_t>(x)] = boost::math::pdf(dist, static_cast<double>(x));
  return pmf;
}

// One value by Boost.Math at the mode floor((n + 1)(K + 1) / (M + 2)), the others by the ratio of
// successive probabilities P(x + 1) / P(x) = (K - x)(n - x) / ((x + 1)(M - K - n + x + 1))
// (Johnson, Kemp and Kotz 2005, Univariate Discrete Distributions, sec. 6.2.1), which only
// shrinks going outwards from the mode. Boost's pdf costs about a millisecond per value here.
std::vector<double> hypergeometric_pmf(std::int64_t n, std::int64_t wrong, std::int64_t population) {
  std::vector<double> pmf(size(n), 0.0);
  const boost::math::hypergeometric_distribution<double> dist(
      static_cast<unsigned>(wrong), static_cast<unsigned>(n), static_cast<unsigned>(population));
  // Support: max(0, n + K - M) <= x <= min(n, K).
  const std::int64_t lo = std::max<std::int64_t>(0, n + wrong - population);
  const std::int64_t hi = std::min(n, wrong);
  const std::int64_t mode = std::clamp((n + 1) * (wrong + 1) / (population + 2), lo, hi);
  const double k = static_cast<double>(wrong);
  const double nd = static_cast<double>(n);
  const double rest = static_cast<double>(population - wrong - n);  // M - K - n
  auto at = [&](std::int64_t x) -> double& { return pmf[static_cast<std::size_t>(x)]; };
  // Boost's pdf is exact (prime factorisation) up to its largest tabulated prime; beyond, its
  // Lanczos path can take seconds per value (inspectsim/hypergeometric.hpp), where R's construction
  // takes microseconds.
  at(mode) = population <= static_cast<std::int64_t>(boost::math::prime(boost::math::max_prime - 1))
                 ? boost::math::pdf(dist, static_cast<unsigned>(mode))
                 : hypergeometric_pdf(mode, wrong, n, population);
  for (std::int64_t x = mode; x < hi; ++x) {
    const double xd = static_cast<double>(x);
    at(x + 1) = at(x) * ((k - xd) * (nd - xd)) / ((xd + 1) * (rest + xd + 1));
  }
  for (std::int64_t x = mode; x > lo; --x) {
    const double xd = static_cast<double>(x);
    at(x - 1) = at(x) * (xd * (rest + xd)) / ((k - xd + 1) * (nd - xd + 1));
  }
  return pmf;
}

// Beta-binomial: P(X = x) = C(n, x) B(a + x, b + n - x) / B(a, b) (Skellam 1948; Griffiths 1973).
std::vector<double> beta_binomial_pmf(std::int64_t n, double a, double b) {
  std::vector<double> pmf(size(n), 0.0);
  for (std::int64_t x = 0; x <= n; ++x)
    pmf[static_cast<std::size_t>(x)] = std::exp(log_beta_binomial(n, x, a, b));
  return pmf;
}

// Wallenius' noncentral hypergeometric distribution (Wallenius 1963; Fog 2008, "Calculation
// methods for Wallenius' noncentral hypergeometric distribution", Comm. Stat. Sim. Comp. 37:258)
// is defined by the sequential draw: after i draws holding j wrong records, the next is wrong with
// probability odds (K - j) / (odds (K - j) + (M - K - (i - j))). Dynamic programming over (i, j).
std::vector<double> wallenius_pmf(std::int64_t n, std::int64_t wrong, std::int64_t population, double odds) {
  std::vector<double> row(size(n), 0.0);
  row[0] = 1.0;
  const std::int64_t correct = population - wrong;
  for (std::int64_t i = 0; i < n; ++i) {
    // Going downwards in j lets row[j + 1] be updated before row[j] is overwritten.
    for (std::int64_t j = std::min(i, wrong); j >= 0; --j) {
      const double pj = row[static_cast<std::size_t>(j)];
      if (pj == 0.0) continue;
      const double w = odds * static_cast<double>(wrong - j);
      const double c = static_cast<double>(correct - (i - j));
      const double p_wrong = w / (w + c);
      row[static_cast<std::size_t>(j + 1)] += pj * p_wrong;
      row[static_cast<std::size_t>(j)] = pj * (1 - p_wrong);
    }
  }
  return row;
}

std::vector<double> convolve(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty()) return {};
  std::vector<double> out(a.size() + b.size() - 1, 0.0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == 0.0) continue;
    for (std::size_t j = 0; j < b.size(); ++j) out[i + j] += a[i] * b[j];
  }
  return out;
}

// Given x truly wrong among n, the flagged count is Binomial(x, sensitivity) + Binomial(n - x,
// 1 - specificity), independent parts; the law of the flagged count mixes these over x.
std::vector<double> flagged_pmf(std::span<const double> true_pmf, double sensitivity, double specificity) {
  if (sensitivity == 1.0 && specificity == 1.0) return {true_pmf.begin(), true_pmf.end()};
  const auto n = static_cast<std::int64_t>(true_pmf.size()) - 1;
  std::vector<double> out(true_pmf.size(), 0.0);
  for (std::int64_t x = 0; x <= n; ++x) {
    const double px = true_pmf[static_cast<std::size_t>(x)];
    if (px == 0.0) continue;
    const std::vector<double> given =
        convolve(binomial_pmf(x, sensitivity), binomial_pmf(n - x, 1 - specificity));
    for (std::size_t f = 0; f < given.size(); ++f) out[f] += px * given[f];
  }
  return out;
}

std::vector<double> clustered_pmf(std::span<const std::int64_t> unit_sizes, double rate, double icc) {
  std::vector<double> out{1.0};
  const bool binomial = icc == 0.0 || rate == 0.0 || rate == 1.0;
  const BetaShape shape = binomial ? BetaShape{} : cluster_beta(rate, icc);
  for (const std::int64_t m : unit_sizes) {
    const std::vector<double> unit =
        binomial ? binomial_pmf(m, rate) : beta_binomial_pmf(m, shape.alpha, shape.beta);
    out = convolve(out, unit);
  }
  return out;
}

std::vector<std::int64_t> cluster_sizes(std::int64_t n, std::int64_t count) {
  std::vector<std::int64_t> sizes(static_cast<std::size_t>(count), n / count);
  for (std::int64_t i = 0; i < n % count; ++i) ++sizes[static_cast<std::size_t>(i)];
  return sizes;
}

BetaShape cluster_beta(double rate, double icc) {
  const double scale = (1 - icc) / icc;
  return {rate * scale, (1 - rate) * scale};
}

std::int64_t population_wrong(double rate, std::int64_t population) {
  return std::llround(rate * static_cast<double>(population));
}

}  // namespace inspectsim::stats
