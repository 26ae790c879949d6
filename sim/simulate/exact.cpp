#include "inspectsim/simulate/exact.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/prime.hpp>

#include "inspectsim/stats/hypergeometric.hpp"
#include "inspectsim/stats/laws.hpp"

namespace inspectsim::simulate {

namespace {

// Exact laws are computed only when they cost at most about this many elementary operations, and
// hold at most this many probabilities in memory; beyond that the engine reports them as null.
constexpr double max_work = 4e8;
constexpr double max_stored = 2e6;

std::size_t size(std::int64_t n) { return static_cast<std::size_t>(n) + 1; }
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
    if (p.selection_odds) return stats::wallenius_pmf(p.sample, wrong, *p.population, *p.selection_odds);
    return stats::hypergeometric_pmf(p.sample, wrong, *p.population);
  }
  if (p.clusters)
    return stats::clustered_pmf(stats::cluster_sizes(p.sample, p.clusters->count), rate, p.clusters->icc);
  return stats::binomial_pmf(p.sample, rate);
}

std::vector<double> observed_pmf(const CellPoint& p, std::vector<double> true_pmf) {
  if (!p.inspector) return true_pmf;
  return stats::flagged_pmf(true_pmf, p.inspector->sensitivity, p.inspector->specificity);
}

}  // namespace

std::optional<double> count_law_work(const CellPoint& p) {
  if (p.truth.kind == Truth::Kind::fixed) {
    if (component_work(p) > max_work) return std::nullopt;
    return component_work(p);
  }
  // The same conditions as exact_count_law's for a Beta truth.
  if (!p.population) {
    if (p.clusters) return std::nullopt;
    if (!p.inspector) return 50 * static_cast<double>(size(p.sample));
    // One flagged law per true count.
    const double work = static_cast<double>(size(p.sample)) * component_work(p);
    if (work > max_work || static_cast<double>(size(p.sample) * size(p.sample)) > max_stored)
      return std::nullopt;
    return work;
  }
  const double values = static_cast<double>(*p.population + 1);
  if (values * component_work(p) > max_work || values * static_cast<double>(size(p.sample)) > max_stored)
    return std::nullopt;
  return values * component_work(p);
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
      wrong = stats::population_wrong(p.truth.rate, *p.population);
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
    if (!count_law_work(p)) return std::nullopt;  // clusters, or over the bound
    if (!p.inspector) {
      law.pmf = stats::beta_binomial_pmf(p.sample, a, b);
      law.beta = stats::BetaShape{a, b};
      return law;
    }
    // With inspector error, mixed over the true count K ~ Beta-binomial(n, a, b): the flags depend
    // on T only through K, so X | K = k is the flagged law of k wrong records and
    // T | K = k ~ Beta(a + k, b + n - k), whatever X is.
    const std::vector<double> weights = stats::beta_binomial_pmf(p.sample, a, b);
    law.pmf.assign(size(p.sample), 0.0);
    for (std::int64_t k = 0; k <= p.sample; ++k) {
      const double w = weights[static_cast<std::size_t>(k)];
      if (w == 0.0) continue;
      std::vector<double> truly(size(p.sample), 0.0);
      truly[static_cast<std::size_t>(k)] = 1.0;
      CountLaw::Component c;
      c.weight = w;
      c.truth_law = stats::BetaShape{a + static_cast<double>(k), b + static_cast<double>(p.sample - k)};
      c.truth = c.truth_law->alpha / (c.truth_law->alpha + c.truth_law->beta);
      c.pmf = observed_pmf(p, std::move(truly));
      for (std::size_t x = 0; x < c.pmf.size(); ++x) law.pmf[x] += w * c.pmf[x];
      law.components.push_back(std::move(c));
    }
    return law;
  }

  // Finite population: K ~ Beta-binomial(M, a, b) (K | T ~ Binomial(M, T)); truth K / M.
  const std::int64_t m = *p.population;
  const double values = static_cast<double>(m + 1);
  if (values * component_work(p) > max_work || values * static_cast<double>(size(p.sample)) > max_stored)
    return std::nullopt;
  const std::vector<double> weights = stats::beta_binomial_pmf(m, a, b);
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
  for (const auto& c : law.components) {
    if (c.truth_law) {
      if (c.pmf[xi] > 0)
        total += c.weight * c.pmf[xi] * beta_probability(c.truth_law->alpha, c.truth_law->beta, lo, hi);
    } else if ((lo_open ? lo < c.truth : lo <= c.truth) && c.truth <= hi) {
      total += c.weight * c.pmf[xi];
    }
  }
  return total;
}

}  // namespace

double probability_truth_within(const CountLaw& law, std::int64_t x, double lo, double hi) {
  return joint_probability(law, x, lo, hi, false);
}

double probability_truth_in_band(const CountLaw& law, std::int64_t x, double lo, double hi) {
  return joint_probability(law, x, lo, hi, true);
}

TruthMoments truth_moments_given(const CountLaw& law, std::int64_t x) {
  const auto xi = static_cast<std::size_t>(x);
  if (law.beta) {
    const double a = law.beta->alpha + static_cast<double>(x);
    const double b = law.beta->beta + static_cast<double>(law.n - x);
    const double mean = a / (a + b);
    return {mean, mean * (a + 1) / (a + b + 1)};
  }
  double mass = 0, first = 0, second = 0;
  for (const auto& c : law.components) {
    const double w = c.weight * c.pmf[xi];
    mass += w;
    first += w * c.truth;
    if (c.truth_law) {
      // E[T^2] of Beta(a, b) = m (a + 1) / (a + b + 1), m its mean.
      const double a = c.truth_law->alpha, b = c.truth_law->beta;
      second += w * c.truth * (a + 1) / (a + b + 1);
    } else {
      second += w * c.truth * c.truth;
    }
  }
  if (!(mass > 0)) return {};
  return {first / mass, second / mass};
}

// ---- League tables -----------------------------------------------------------------------------

std::vector<std::vector<std::int32_t>> league_share_keys(std::span<const std::int64_t> samples) {
  struct Share {
    std::int64_t x, n;
    std::size_t member;
  };
  std::vector<Share> all;
  for (std::size_t i = 0; i < samples.size(); ++i)
    for (std::int64_t x = 0; x <= samples[i]; ++x) all.push_back({x, samples[i], i});
  // x / n against x' / n' exactly, by cross-multiplication (n <= max_simulated_sample).
  const auto less = [](const Share& a, const Share& b) { return a.x * b.n < b.x * a.n; };
  std::sort(all.begin(), all.end(), less);
  std::vector<std::vector<std::int32_t>> keys(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) keys[i].resize(size(samples[i]));
  std::int32_t key = 0;
  for (std::size_t k = 0; k < all.size(); ++k) {
    if (k > 0 && less(all[k - 1], all[k])) ++key;
    keys[all[k].member][static_cast<std::size_t>(all[k].x)] = key;
  }
  return keys;
}

namespace {

// Each member's law over the share keys: mass[i][d] = P(key_i = d); below[i][d] = P(key_i < d).
struct KeyLaws {
  std::vector<std::vector<std::int32_t>> keys;
  std::vector<std::vector<double>> mass, below;
};

KeyLaws key_laws(std::span<const std::vector<double>> pmfs, std::span<const std::int64_t> samples) {
  KeyLaws l;
  l.keys = league_share_keys(samples);
  std::int32_t distinct = 0;
  for (const auto& k : l.keys) distinct = std::max(distinct, k.back() + 1);
  for (std::size_t i = 0; i < pmfs.size(); ++i) {
    std::vector<double> mass(static_cast<std::size_t>(distinct) + 1, 0.0);
    for (std::size_t x = 0; x < pmfs[i].size(); ++x)
      mass[static_cast<std::size_t>(l.keys[i][x])] += pmfs[i][x];
    std::vector<double> below(mass.size(), 0.0);
    for (std::size_t d = 1; d < mass.size(); ++d) below[d] = below[d - 1] + mass[d - 1];
    l.mass.push_back(std::move(mass));
    l.below.push_back(std::move(below));
  }
  return l;
}

}  // namespace

std::vector<double> league_worst_probabilities(std::span<const std::vector<double>> pmfs,
                                               std::span<const std::int64_t> samples, Ties ties) {
  const KeyLaws l = key_laws(pmfs, samples);
  const std::size_t members = pmfs.size();
  std::vector<double> out(members, 0.0);
  std::vector<double> poly;
  for (std::size_t i = 0; i < members; ++i) {
    double p = 0;
    for (std::size_t x = 0; x < pmfs[i].size(); ++x) {
      if (pmfs[i][x] == 0) continue;
      const auto d = static_cast<std::size_t>(l.keys[i][x]);
      if (ties == Ties::shared) {
        // Every other share at most this one: i is (jointly) worst.
        double q = 1;
        for (std::size_t j = 0; j < members; ++j)
          if (j != i) q *= l.below[j][d] + l.mass[j][d];
        p += pmfs[i][x] * q;
        continue;
      }
      // Random ties: prod_j (P(share_j < s) + P(share_j = s) z) = sum_t c_t z^t, the law of the number
      // T of others tied with i with nobody above; i is drawn worst with probability 1 / (1 + T).
      poly.assign(1, 1.0);
      for (std::size_t j = 0; j < members; ++j) {
        if (j == i) continue;
        poly.push_back(0.0);
        for (std::size_t t = poly.size() - 1; t > 0; --t)
          poly[t] = poly[t] * l.below[j][d] + poly[t - 1] * l.mass[j][d];
        poly[0] *= l.below[j][d];
      }
      double e = 0;
      for (std::size_t t = 0; t < poly.size(); ++t) e += poly[t] / static_cast<double>(t + 1);
      p += pmfs[i][x] * e;
    }
    out[i] = p;
  }
  return out;
}

double league_set_worst_probability(std::span<const std::vector<double>> pmfs,
                                    std::span<const std::int64_t> samples, std::span<const std::size_t> set) {
  const KeyLaws l = key_laws(pmfs, samples);
  std::vector<bool> in_set(pmfs.size(), false);
  for (std::size_t i : set) in_set[i] = true;
  // P(max over the set = d) P(max over the rest <= d), summed over d.
  double p = 0;
  const std::size_t distinct = l.mass.empty() ? 0 : l.mass.front().size();
  for (std::size_t d = 0; d < distinct; ++d) {
    double set_le = 1, set_lt = 1, rest_le = 1;
    for (std::size_t j = 0; j < pmfs.size(); ++j) {
      const double le = l.below[j][d] + l.mass[j][d];
      if (in_set[j]) {
        set_le *= le;
        set_lt *= l.below[j][d];
      } else {
        rest_le *= le;
      }
    }
    p += (set_le - set_lt) * rest_le;
  }
  return p;
}

}  // namespace inspectsim::simulate
