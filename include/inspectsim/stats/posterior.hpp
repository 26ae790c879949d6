// The Bayesian view of one figure: a Beta prior updated by X wrong out of N (conjugate
// beta-binomial; Gelman et al., Bayesian Data Analysis, 3rd ed., sec. 2.4).
// Pure functions: no randomness, no I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/stats/interval.hpp"

namespace inspectsim::stats {

struct BetaPrior {
  double a = 0.5;
  double b = 0.5;
};

inline constexpr BetaPrior uniform_prior{1.0, 1.0};
inline constexpr BetaPrior jeffreys_prior{0.5, 0.5};

// "uniform", "jeffreys" or "A,B" with A, B > 0 and finite; throws InputError otherwise.
BetaPrior parse_prior(std::string_view text);

struct Exceedance {
  double threshold;    // T
  double probability;  // P(true rate > T | data)
};

struct Posterior {
  BetaPrior prior;
  double a = 0;  // posterior Beta(a, b) = Beta(prior.a + x, prior.b + n - x)
  double b = 0;
  double mean = 0;
  double lower = 0;  // equal-tailed credible interval (one-sided per `side`)
  double upper = 1;
  std::vector<Exceedance> exceedance;
};

// Thresholds must lie in [0, 1]; throws InputError otherwise.
Posterior beta_posterior(std::int64_t x, std::int64_t n, BetaPrior prior, double confidence,
                         Side side = Side::two_sided, std::span<const double> thresholds = {});

}  // namespace inspectsim::stats
