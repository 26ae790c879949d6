// Fast Gamma and Beta variates for the inner loops of compare's posterior draws (ranks, totals,
// predictive checks): a few 64-bit words and one log per variate, set up once per parameter.
//
// Gamma(alpha), alpha >= 1: Marsaglia and Tsang (2000), "A simple method for generating gamma
// variables", ACM Transactions on Mathematical Software 26(3):363-372. With d = alpha - 1/3,
// c = 1/sqrt(9 d), x standard normal and v = (1 + c x)^3 (v > 0), accept d v when
// u < 1 - 0.0331 x^4 (the squeeze) or log u < x^2/2 + d (1 - v + log v); the acceptance rate is
// above 0.95 for every alpha >= 1. Alpha < 1: Gamma(alpha) = Gamma(alpha + 1) U^(1/alpha) (the
// same paper), formed in logs so that tiny shapes do not underflow to 0.
// Beta(a, b) = X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b) independent (Devroye 1986, Non-Uniform
// Random Variate Generation, ch. IX.4, theorem 4.1).
//
// The normal and uniform variates come from Boost.Random (normal_distribution: the ziggurat of
// Marsaglia and Tsang 2000, J. Stat. Software 5(8); uniform_01), so the stream of a given engine
// state is fixed by the code, not by the standard library. tests/random/beta-test.cpp checks the
// draws against Boost.Math's exact Beta law.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "inspectsim/random/draws.hpp"
#include "inspectsim/random/rng.hpp"

namespace inspectsim::random {

class GammaSampler {
 public:
  GammaSampler() = default;
  // shape > 0 (not checked: the callers' parameters are positive by construction).
  explicit GammaSampler(double shape) noexcept
      : small_(shape < 1),
        inverse_shape_(1 / shape),
        d_((small_ ? shape + 1 : shape) - 1.0 / 3),
        c_(1 / std::sqrt(9 * d_)) {}

  // log of a Gamma(shape) draw (may be very negative for tiny shapes, never NaN).
  double log_draw(Engine& engine) const {
    const double g = std::log(core(engine));
    if (!small_) return g;
    // U in (0, 1]: never log 0.
    return g + std::log(1 - boost::random::uniform_01<double>()(engine)) * inverse_shape_;
  }

  // A Gamma(shape) draw; for shape < 1 it may underflow to 0 (use log_draw when that matters).
  double operator()(Engine& engine) const {
    const double g = core(engine);
    if (!small_) return g;
    return g * std::pow(1 - boost::random::uniform_01<double>()(engine), inverse_shape_);
  }

  bool small() const noexcept { return small_; }

 private:
  // Gamma(d + 1/3) with d + 1/3 >= 1, by Marsaglia and Tsang's rejection.
  double core(Engine& engine) const {
    for (;;) {
      double x, v;
      do {
        x = boost::random::normal_distribution<double>()(engine);
        v = 1 + c_ * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = boost::random::uniform_01<double>()(engine);
      const double x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d_ * v;
      if (std::log(u) < 0.5 * x2 + d_ * (1 - v + std::log(v))) return d_ * v;
    }
  }

  bool small_ = false;
  double inverse_shape_ = 1;
  double d_ = 2.0 / 3;
  double c_ = 0;
};

class BetaSampler {
 public:
  BetaSampler() = default;
  // a, b > 0.
  BetaSampler(double a, double b) noexcept : x_(a), y_(b) {}

  double operator()(Engine& engine) const {
    if (!x_.small() && !y_.small()) {
      const double x = x_(engine);
      return x / (x + y_(engine));
    }
    // X / (X + Y) = 1 / (1 + exp(log Y - log X)): never 0/0 however small the shapes.
    const double lx = x_.log_draw(engine);
    return 1 / (1 + std::exp(y_.log_draw(engine) - lx));
  }

 private:
  GammaSampler x_;
  GammaSampler y_;
};

// Beta(a, b) for one law drawn many times (a posterior in compare's totals and ranks): exact
// rejection from a table, about three random words per variate and no logarithm on the usual path.
// The support is cut into regions: `strips` equal strips (256 by default) over [lo, hi] = the mean +- 12 SDs
// (cut to [0, 1]) and, where that leaves some of [0, 1] out, a region each for the tails. A region is chosen
// with probability proportional to the mass of its hat (an alias table, one word), a point in it uniformly,
// and the point is kept with probability density / hat: the acceptance-rejection method with a
// piecewise-constant hat (Devroye 1986, Non-Uniform Random Variate Generation, ch. II.3 and VIII.2), which is
// exact for any hat that lies on or above the density. Each hat is the density's maximum over its region (at
// an end, or at the mode inside it; the density is monotone, unimodal or U-shaped), and its minimum there
// (the squeeze) accepts without evaluating the density. Where a shape is below 1 the density is unbounded at
// that end, so the end strip [0, h] uses the hat c t^(a-1), drawn by inversion (t = h U^(1/a)) and accepted
// with probability (1 - t)^(b-1) / c (and the same mirrored at 1).
class BetaTable {
 public:
  // a, b > 0; strips >= 1 (the draws are exact for any number: more strips, fewer rejections).
  BetaTable(double a, double b, int strips = 256);

  double operator()(Engine& engine) const {
    for (;;) {
      const Region& g = regions_[static_cast<std::size_t>(pick_(engine))];
      const double u = unit(engine), v = unit(engine);
      switch (g.kind) {
        case Kind::strip: {
          const double t = g.lo + u * g.width;
          if (v <= g.squeeze) return t;  // squeeze: min / max of the density over the strip
          if (std::log(v) + g.log_hat <= log_density(t)) return t;
          break;
        }
        case Kind::left_power: {
          const double t = g.width * std::pow(u, 1 / a_);
          if (v <= g.squeeze || std::log(v) <= log_right(t) - g.log_hat) return t;
          break;
        }
        case Kind::right_power: {
          const double t = 1 - g.width * std::pow(u, 1 / b_);
          if (v <= g.squeeze || std::log(v) <= log_left(t) - g.log_hat) return t;
          break;
        }
      }
    }
  }

 private:
  enum class Kind { strip, left_power, right_power };
  struct Region {
    Kind kind = Kind::strip;
    double lo = 0, width = 0;
    double log_hat = 0;  // strip: log of the hat; power: log c, the bound of the other factor
    double squeeze = 0;  // the smallest acceptance probability over the region
  };
  // A uniform double in [0, 1) from the top 53 bits of one word: the law of draw_uniform
  // (draws.hpp), inline and without Boost's conversion of the whole word, 2 ns against 8 ns.
  static double unit(Engine& engine) { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }
  // log t^(a-1) and log (1 - t)^(b-1), nothing for a shape of exactly 1 (so that log 0 never meets 0).
  double log_left(double t) const { return a_ == 1 ? 0 : (a_ - 1) * std::log(t); }
  double log_right(double t) const { return b_ == 1 ? 0 : (b_ - 1) * std::log1p(-t); }
  // log t^(a-1) (1 - t)^(b-1), unnormalised.
  double log_density(double t) const { return log_left(t) + log_right(t); }

  double a_, b_;
  std::vector<Region> regions_;
  AliasTable pick_;
};

}  // namespace inspectsim::random
