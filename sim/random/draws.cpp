#include "inspectsim/random/draws.hpp"

#include <cmath>
#include <limits>
#include <numeric>

#include <boost/random/beta_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/random/beta.hpp"
#include "inspectsim/stats/laws.hpp"

namespace inspectsim::random {

// Vose (1991), "A linear algorithm for generating random numbers with a given distribution":
// scale the weights to mean 1, then pair each column below 1 with one above 1 that tops it up.
AliasTable::AliasTable(std::span<const double> weights) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (weights.empty() || !(total > 0) || !std::isfinite(total))
    throw base::InputError("an alias table needs non-negative weights with a positive, finite sum");
  const std::size_t n = weights.size();
  size_ = n;
  threshold_.assign(n, std::numeric_limits<std::uint64_t>::max());
  alias_.resize(n);
  std::vector<double> scaled(n);
  std::vector<std::size_t> small;
  std::vector<std::size_t> large;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(weights[i] >= 0)) throw base::InputError("an alias table needs non-negative weights");
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    alias_[i] = static_cast<std::int64_t>(i);
    (scaled[i] < 1.0 ? small : large).push_back(i);
  }
  while (!small.empty() && !large.empty()) {
    const std::size_t s = small.back();
    small.pop_back();
    const std::size_t l = large.back();
    // Column s keeps itself with probability scaled[s] and hands the rest to l.
    threshold_[s] = static_cast<std::uint64_t>(std::ldexp(scaled[s], 64));
    alias_[s] = static_cast<std::int64_t>(l);
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Whatever is left is 1 up to rounding: those columns keep themselves (threshold max, alias self).
}

double draw_uniform(Engine& engine) { return boost::random::uniform_01<double>()(engine); }

std::int64_t draw_binomial(Engine& engine, std::int64_t n, double p) {
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  return boost::random::binomial_distribution<std::int64_t, double>(n, p)(engine);
}

double draw_beta(Engine& engine, double a, double b) {
  // Boost draws Beta as G_a / (G_a + G_b) with gamma variates; for tiny shapes both can underflow
  // to 0, so such (vanishingly rare) pairs are drawn again.
  const boost::random::beta_distribution<double> dist(a, b);
  for (;;) {
    const double p = dist(engine);
    if (p >= 0.0 && p <= 1.0) return p;
  }
}

double draw_beta_fast(Engine& engine, double a, double b) { return BetaSampler(a, b)(engine); }

std::int64_t draw_hypergeometric(Engine& engine, std::int64_t n, std::int64_t wrong,
                                 std::int64_t population) {
  std::int64_t x = 0;
  std::int64_t left = population;
  for (std::int64_t i = 0; i < n; ++i, --left) {
    if (wrong == 0) break;
    if (wrong == left) return x + (n - i);  // only wrong records remain
    if (boost::random::uniform_int_distribution<std::int64_t>(0, left - 1)(engine) < wrong) {
      ++x;
      --wrong;
    }
  }
  return x;
}

std::int64_t draw_wallenius(Engine& engine, std::int64_t n, std::int64_t wrong, std::int64_t population,
                            double odds) {
  std::int64_t x = 0;
  std::int64_t correct = population - wrong;
  for (std::int64_t i = 0; i < n; ++i) {
    if (wrong == 0) break;
    if (correct == 0) return x + (n - i);
    const double w = odds * static_cast<double>(wrong);
    if (draw_uniform(engine) * (w + static_cast<double>(correct)) < w) {
      ++x;
      --wrong;
    } else {
      --correct;
    }
  }
  return x;
}

std::int64_t draw_clustered(Engine& engine, std::span<const std::int64_t> unit_sizes, double rate, double icc,
                            bool fast) {
  const bool binomial = icc == 0.0 || rate <= 0.0 || rate >= 1.0;
  const stats::BetaShape shape = binomial ? stats::BetaShape{} : stats::cluster_beta(rate, icc);
  std::int64_t x = 0;
  for (const std::int64_t m : unit_sizes) {
    const double p = binomial ? rate
                     : fast   ? draw_beta_fast(engine, shape.alpha, shape.beta)
                              : draw_beta(engine, shape.alpha, shape.beta);
    x += draw_binomial(engine, m, p);
  }
  return x;
}

std::int64_t draw_flagged(Engine& engine, std::int64_t n, std::int64_t x, double sensitivity,
                          double specificity) {
  return draw_binomial(engine, x, sensitivity) + draw_binomial(engine, n - x, 1 - specificity);
}

}  // namespace inspectsim::random
