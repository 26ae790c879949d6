#include "inspectsim/random/draws.hpp"

#include <algorithm>
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

BetaTable::BetaTable(double a, double b, int strips) : a_(a), b_(b) {
  // Both ends unbounded need an end strip each.
  strips = std::max(strips, a < 1 && b < 1 ? 2 : 1);
  const double mean = a / (a + b), sd = std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
  const double lo = a < 1 ? 0.0 : std::max(0.0, mean - 12 * sd);
  const double hi = b < 1 ? 1.0 : std::min(1.0, mean + 12 * sd);
  const double h = (hi - lo) / strips;
  // The density's interior extremum: its mode when both shapes exceed 1, its antimode (minimum)
  // when both are below 1; else it is monotone (or constant).
  const bool unimodal = a > 1 && b > 1, u_shaped = a < 1 && b < 1;
  const double turn = unimodal ? (a - 1) / (a + b - 2) : u_shaped ? (1 - a) / (2 - a - b) : -1;
  std::vector<double> log_mass;
  // A region [l, r] with the constant hat max f and the squeeze min f over it.
  auto strip = [&](double l, double r) {
    const double at_l = log_density(l), at_r = log_density(r);
    double top = std::max(at_l, at_r), bottom = std::min(at_l, at_r);
    if (turn > l && turn < r) {
      if (unimodal) top = log_density(turn);
      if (u_shaped) bottom = log_density(turn);
    }
    Region g;
    g.kind = Kind::strip;
    g.lo = l;
    g.width = r - l;
    g.log_hat = top;
    g.squeeze = std::exp(bottom - top);
    regions_.push_back(g);
    log_mass.push_back(top + std::log(r - l));
  };
  // An end strip of width h with the hat c t^(a-1) (left) or c (1 - t)^(b-1) (right), c the largest
  // value of the other factor over the strip (at the end nearer its own maximum); mass c h^s / s.
  auto power = [&](Kind kind) {
    Region g;
    g.kind = kind;
    g.width = h;
    const bool left = kind == Kind::left_power;
    const double near = left ? log_right(0.0) : log_left(1.0), far = left ? log_right(h) : log_left(1 - h);
    g.log_hat = std::max(near, far);
    g.squeeze = std::exp(std::min(near, far) - g.log_hat);
    const double shape = left ? a : b;
    regions_.push_back(g);
    log_mass.push_back(g.log_hat + shape * std::log(h) - std::log(shape));
  };
  if (lo > 0) strip(0.0, lo);
  for (int k = 0; k < strips; ++k) {
    const double l = lo + k * h, r = k + 1 == strips ? hi : lo + (k + 1) * h;
    if (k == 0 && a < 1)
      power(Kind::left_power);
    else if (k + 1 == strips && b < 1)
      power(Kind::right_power);
    else
      strip(l, r);
  }
  if (hi < 1) strip(hi, 1.0);
  // Masses relative to the largest, so that no exponential overflows or all underflow.
  const double top = *std::max_element(log_mass.begin(), log_mass.end());
  std::vector<double> weights;
  for (double m : log_mass) weights.push_back(std::exp(m - top));
  pick_ = AliasTable(weights);
}

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
