// How certain is a league table? Ranks of units drawn from each unit's posterior for its rate, by
// seeded Monte Carlo (Goldstein and Spiegelhalter 1996, "League tables and their limitations",
// JRSS A 159:385-443, sec. 4; Marshall and Spiegelhalter 1998, BMJ 316:1701-1704).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "inspectsim/random/rng.hpp"
#include "inspectsim/stats/posterior.hpp"

namespace inspectsim::compare {

// Rank 1 is the highest rate (the worst unit); rank I the lowest.
struct RankSummary {
  double mean_rank = 0;
  std::int64_t lower = 0;  // equal-tailed rank interval at the requested confidence
  std::int64_t upper = 0;
  double p_worst = 0;                    // P(rank 1)
  double p_worst_three = 0;              // P(rank <= 3); 1 when there are at most three units
  std::vector<double> rank_probability;  // P(rank = r), r = 1..I (index r - 1)
};

// Each draw takes one rate from each unit's Beta(a, b) (Boost.Random beta_distribution on
// `engine`) and ranks them. The rank interval runs from the smallest r with P(rank <= r) >=
// (1 - confidence)/2 to the smallest r with P(rank <= r) >= (1 + confidence)/2. Throws InputError
// when draws < 1 or a parameter is not positive.
std::vector<RankSummary> simulate_ranks(std::span<const stats::BetaPrior> posteriors, std::int64_t draws,
                                        random::Engine& engine, double confidence = 0.95);

}  // namespace inspectsim::compare
