#include "inspectsim/exact.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/prime.hpp>

#include "inspectsim/hypergeometric.hpp"

namespace inspectsim {

namespace {

// Exact laws are computed only when they cost at most about this many elementary operations, and
// hold at most this many probabilities in memory; beyond that the engine reports them as null.
constexpr double max_work = 4e8;
constexpr double max_stored = 2e6;

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

// P(lo <= T <= hi) for T ~ Beta(a, b); complements keep precision in the upper tail.
double beta_probability(double a, double b, double lo, double hi) {
  lo = std::clamp(lo, 0.0, 1.0);
  hi = std::clamp(hi, 0.0, 1.0);
  if (!(hi > lo)) return 0.0;
  const double below_lo = boost::math::ibeta(a, b, lo);
  if (below_lo > 0.5) return boost::math::ibetac(a, b, lo) - boost::math::ibetac(a, b, hi);
  return boost::math::ibeta(a, b, hi) - below_lo;
}

// Work to enumerate the law of the true-wrong count and then the flagged count, per truth value.
double component_work(const CellPoint& p) {
  const double n = static_cast<double>(p.sample) + 1;
  double work = 50 * n;  // a pmf by Boost.Math
  if (p.selection_odds) work += n * n;
  if (p.clusters) work += static_cast<double>(p.clusters->count) * n * n;
  if (p.inspector) work += n * n * n / 6 + 100 * n * n;
  return work;
}

// The law of the true-wrong count for a fixed truth (a rate, or K wrong out of M).
std::vector<double> true_count_pmf(const CellPoint& p, double rate, std::int64_t wrong) {
  if (p.population) {
    if (p.selection_odds) return wallenius_pmf(p.sample, wrong, *p.population, *p.selection_odds);
    return hypergeometric_pmf(p.sample, wrong, *p.population);
  }
  if (p.clusters) return clustered_pmf(cluster_sizes(p.sample, p.clusters->count), rate, p.clusters->icc);
  return binomial_pmf(p.sample, rate);
}

std::vector<double> observed_pmf(const CellPoint& p, std::vector<double> true_pmf) {
  if (!p.inspector) return true_pmf;
  return flagged_pmf(true_pmf, p.inspector->sensitivity, p.inspector->specificity);
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

std::optional<CountLaw> exact_count_law(const CellPoint& p) {
  CountLaw law;
  law.n = p.sample;
  if (p.truth.kind == Truth::Kind::fixed) {
    if (component_work(p) > max_work) return std::nullopt;
    CountLaw::Component c;
    c.weight = 1.0;
    std::int64_t wrong = 0;
    if (p.population) {
      wrong = population_wrong(p.truth.rate, *p.population);
      c.truth = static_cast<double>(wrong) / static_cast<double>(*p.population);
    } else {
      c.truth = p.truth.rate;
    }
    c.pmf = observed_pmf(p, true_count_pmf(p, p.truth.rate, wrong));
    law.pmf = c.pmf;
    law.components.push_back(std::move(c));
    return law;
  }

  const double a = p.truth.a;
  const double b = p.truth.b;
  if (!p.population) {
    // Continuous truth: T ~ Beta(a, b), X | T ~ Binomial(n, T), so X ~ Beta-binomial(n, a, b) and
    // T | X = x ~ Beta(a + x, b + n - x) (conjugacy).
    if (p.clusters || p.inspector) return std::nullopt;
    law.pmf = beta_binomial_pmf(p.sample, a, b);
    law.beta = BetaShape{a, b};
    return law;
  }

  // Finite population: K ~ Beta-binomial(M, a, b) (K | T ~ Binomial(M, T)); truth K / M.
  const std::int64_t m = *p.population;
  const double values = static_cast<double>(m + 1);
  if (values * component_work(p) > max_work || values * static_cast<double>(size(p.sample)) > max_stored)
    return std::nullopt;
  const std::vector<double> weights = beta_binomial_pmf(m, a, b);
  law.pmf.assign(size(p.sample), 0.0);
  for (std::int64_t k = 0; k <= m; ++k) {
    const double w = weights[static_cast<std::size_t>(k)];
    if (w == 0.0) continue;
    CountLaw::Component c;
    c.weight = w;
    c.truth = static_cast<double>(k) / static_cast<double>(m);
    c.pmf = observed_pmf(p, true_count_pmf(p, c.truth, k));
    for (std::size_t x = 0; x < c.pmf.size(); ++x) law.pmf[x] += w * c.pmf[x];
    law.components.push_back(std::move(c));
  }
  return law;
}

namespace {

// P(X = x and T in [lo, hi]), or in (lo, hi] when `lo_open`. A continuous T ignores the ends:
// T | X = x ~ Beta(a + x, b + n - x) (conjugacy).
double joint_probability(const CountLaw& law, std::int64_t x, double lo, double hi, bool lo_open) {
  const auto xi = static_cast<std::size_t>(x);
  if (law.beta) {
    const double xd = static_cast<double>(x);
    const double nd = static_cast<double>(law.n);
    return law.pmf[xi] * beta_probability(law.beta->alpha + xd, law.beta->beta + nd - xd, lo, hi);
  }
  double total = 0.0;
  for (const auto& c : law.components)
    if ((lo_open ? lo < c.truth : lo <= c.truth) && c.truth <= hi) total += c.weight * c.pmf[xi];
  return total;
}

}  // namespace

double probability_truth_within(const CountLaw& law, std::int64_t x, double lo, double hi) {
  return joint_probability(law, x, lo, hi, false);
}

double probability_truth_in_band(const CountLaw& law, std::int64_t x, double lo, double hi) {
  return joint_probability(law, x, lo, hi, true);
}

}  // namespace inspectsim
