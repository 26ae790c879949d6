// How certain is a league table? Ranks of units drawn from each unit's posterior for its rate, by
// seeded Monte Carlo (Goldstein and Spiegelhalter 1996, "League tables and their limitations",
// JRSS A 159:385-443, sec. 4; Marshall and Spiegelhalter 1998, BMJ 316:1701-1704).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/compare/draws.hpp"
#include "inspectsim/stats/funnel.hpp"
#include "inspectsim/stats/hierarchical.hpp"
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

// Each draw takes one rate from each unit's Beta(a, b) (random::BetaSampler) and ranks them; the
// draws run in blocks (compare/draws.hpp) on run.threads threads, with run's progress and
// cancellation. The rank interval runs from the smallest r with P(rank <= r) >= (1 - confidence)/2
// to the smallest r with P(rank <= r) >= (1 + confidence)/2. Throws InputError when draws < 1 or a
// parameter is not positive, Interrupted when cancelled.
std::vector<RankSummary> simulate_ranks(std::span<const stats::BetaPrior> posteriors, std::int64_t draws,
                                        const Streams& streams, double confidence = 0.95,
                                        const base::RunOptions& run = {});

// Ranks from the hierarchical model's joint posterior: each draw takes a node (mu_k, M_k) of the
// fit's integration grid by inverse CDF on its weights, then every unit's rate from
// Beta(mu_k M_k + X_i, (1 - mu_k) M_k + N_i - X_i), so the ranks carry the uncertainty about the
// spread between units. Same blocks and rank summaries as simulate_ranks.
std::vector<RankSummary> simulate_hierarchical_ranks(const stats::HierarchicalFit& fit,
                                                     std::span<const stats::Count> counts, std::int64_t draws,
                                                     const Streams& streams, double confidence = 0.95,
                                                     const base::RunOptions& run = {});

// Pearson's chi-square of the counts about their pooled rate p: sum_i (X_i - N_i p)^2 / (N_i p (1-p));
// 0 when p is 0 or 1.
double spread_chi_square(std::span<const stats::Count> counts);

// Posterior predictive p-value of spread_chi_square (Gelman, Meng and Stern 1996, Statistica Sinica
// 6:733-807), by seeded Monte Carlo: each replicate takes (mu_k, M_k) from the fit's posterior, draws
// new rates for the units from Beta(mu_k M_k, (1 - mu_k) M_k) and then counts from Binomial(N_i, .)
// (a "mixed" replicate, which tests the between-unit law rather than each unit's own data: Marshall
// and Spiegelhalter 2007, Statistics in Medicine 26:2161-2178). Returns the share of replicates whose
// statistic is at least the observed one.
// The replicates run in blocks as the rank draws do.
double posterior_predictive_p(const stats::HierarchicalFit& fit, std::span<const stats::Count> counts,
                              std::int64_t replicates, const Streams& streams,
                              const base::RunOptions& run = {});

}  // namespace inspectsim::compare
