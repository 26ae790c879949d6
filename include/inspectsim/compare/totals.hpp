// Totals across strata: one force's overall share of wrong records across the categories it was
// inspected in (or a national figure across forces), each category weighted by its population of
// records where known, else by its sample size; the interval comes from the stratified posterior
// by seeded Monte Carlo (Gelman et al., Bayesian Data Analysis, 3rd ed., sec. 8.3: inference for
// a finite-population total from independent strata).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/compare/draws.hpp"
#include "inspectsim/stats/funnel.hpp"

namespace inspectsim::compare {

struct Stratum {
  stats::Count count;                      // X wrong of N sampled
  std::optional<std::int64_t> population;  // records in the stratum, when known (>= N)
};

struct StratifiedTotal {
  std::int64_t strata = 0;
  std::int64_t sampled = 0;
  std::int64_t incorrect = 0;
  bool by_population = false;  // weights are populations (every stratum has one), else sample sizes
  double estimate = 0;         // sum_c w_c X_c/N_c / sum_c w_c
  double lower = 0;            // equal-tailed interval of sum_c w_c theta_c / sum_c w_c
  double upper = 1;
  // Only when by_population: the number of wrong records among all sum_c M_c records.
  std::optional<std::int64_t> population;
  std::optional<double> wrong_estimate;  // sum_c M_c X_c / N_c
  std::optional<std::int64_t> wrong_lower;
  std::optional<std::int64_t> wrong_upper;
};

// theta_c ~ Beta(X_c + 1/2, N_c - X_c + 1/2) independently (Jeffreys), `draws` times, in blocks
// (compare/draws.hpp) on run.threads threads.
// With populations, the wrong records are K = sum_c [X_c + Binomial(M_c - N_c, theta_c)] (the
// posterior predictive of the unsampled records). Throws InputError for no strata or draws < 1.
StratifiedTotal stratified_total(std::span<const Stratum> strata, std::int64_t draws, const Streams& streams,
                                 double confidence = 0.95, const base::RunOptions& run = {});

}  // namespace inspectsim::compare
