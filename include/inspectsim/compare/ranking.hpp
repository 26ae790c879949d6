// How certain is a league table? Ranks of units drawn from each unit's posterior for its rate, by
// seeded Monte Carlo (Goldstein and Spiegelhalter 1996, "League tables and their limitations",
// JRSS A 159:385-443, sec. 4; Marshall and Spiegelhalter 1998, BMJ 316:1701-1704).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/base/names.hpp"
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

// Each draw takes one rate from each unit's Beta(a, b) (random::BetaTable, one per unit) and ranks them; the
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

// ---------------------------------------------------------------------------------------------
// Frequentist rank intervals that hold for all units at once. Pure functions: no randomness.

// Which rank intervals a comparison reports beside the posterior ranks: `marginal`, only the
// posterior rank interval of each unit (each holds for that unit alone); `simultaneous`, also the
// intervals of simultaneous_rank_intervals, which hold for all units of a group together.
enum class RankIntervals { marginal, simultaneous };
inline constexpr base::EnumName<RankIntervals> rank_intervals_names[] = {
    {RankIntervals::marginal, "marginal"},
    {RankIntervals::simultaneous, "simultaneous"},
};
constexpr std::span<const base::EnumName<RankIntervals>> enum_names(RankIntervals) {
  return rank_intervals_names;
}
std::string_view rank_intervals_name(RankIntervals r) noexcept;  // "marginal", "simultaneous"
RankIntervals parse_rank_intervals(std::string_view name);

// The method behind the simultaneous intervals, as outputs name it.
inline constexpr std::string_view simultaneous_rank_method = "holm-fisher";

// Holm (1979), "A simple sequentially rejective multiple test procedure", Scand. J. Statist.
// 6:65-70: adjusted p_(k) = max_{j <= k} min(1, (m - j + 1) p_(j)) over the sorted p-values.
std::vector<double> holm_adjust(const std::vector<double>& p);

// One pair of units (a < b, positions in the counts) and its test.
struct PairTest {
  std::size_t a = 0;
  std::size_t b = 0;
  double p = 1;       // Fisher's exact two-sided (stats::fisher_exact_p)
  double p_holm = 1;  // Holm-adjusted over every pair of the units
};

// Every pair of units, in the order (0,1), (0,2), ..., (0,I-1), (1,2), ...: I(I-1)/2 Fisher tests,
// Holm-adjusted together. Throws InputError for a count that is not 0 <= x <= n, n >= 1.
std::vector<PairTest> pairwise_fisher(std::span<const stats::Count> counts);

struct SimultaneousRank {
  std::int64_t lower = 1;  // 1 + the number of units significantly above this one
  std::int64_t upper = 1;  // I - the number of units significantly below this one
  std::int64_t above = 0;
  std::int64_t below = 0;
};

// Simultaneous rank intervals (rank 1 the highest rate): unit i's interval is
// [1 + #{j significantly above i}, I - #{j significantly below i}], where j is significantly above
// i when the pair's Holm-adjusted p is below alpha = 1 - confidence and j's observed rate X_j/N_j is
// the higher. The construction of Mogstad, Romano, Shaikh and Wilhelm (2024), "Inference for
// ranks with applications to mobility across neighbourhoods and academic achievement across
// countries", Review of Economic Studies 91:476-518 (simultaneous confidence sets for all ranks from
// the pairwise differences), and of Al Mohamad, Goeman and van Zwet (2022), "Simultaneous confidence
// intervals for ranks with application to ranking institutions", Biometrics 78:238-247 (R package
// ICRanks, its Tukey pairwise methods), with Fisher's exact test of each pair in place of their
// normal approximations and Holm's step-down over all I(I-1)/2 pairs for the family-wise level. Every
// rejection is correct with probability at least `confidence` (Holm 1979), and then, with the direction of
// each rejected pair taken from the observed rates, every interval holds its unit's true rank at once (units
// whose true rates tie may take any rank of the tie). `tests` are pairwise_fisher(counts).
std::vector<SimultaneousRank> simultaneous_rank_intervals(std::span<const stats::Count> counts,
                                                          std::span<const PairTest> tests, double confidence);
std::vector<SimultaneousRank> simultaneous_rank_intervals(std::span<const stats::Count> counts,
                                                          double confidence);

// The worst quarter of I units: ranks 1 to ceil(I/4). A unit is placed in it with confidence when its
// whole simultaneous interval lies there (upper <= ceil(I/4)); never for a group of one.
std::int64_t worst_quarter_ranks(std::size_t units) noexcept;
bool in_worst_quarter(const SimultaneousRank& r, std::size_t units) noexcept;

}  // namespace inspectsim::compare
