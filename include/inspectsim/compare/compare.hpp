// `inspectsim compare`: which forces and inspections really differ? Everything the published
// results in a ResultsTable support, as a value, and its writers (table, CSV, JSON).
//
// Within each group (by default each (inspection, category)): each row's interval, funnel-plot
// flags, beta-binomial shrinkage, Monte Carlo ranks and, on request, every pair of rows compared.
// Across inspections: the change between consecutive inspections of a force and category. Across
// strata: each force's overall share wrong per inspection, and the national figure per inspection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/base/names.hpp"
#include "inspectsim/compare/ranking.hpp"
#include "inspectsim/compare/results_csv.hpp"
#include "inspectsim/compare/totals.hpp"
#include "inspectsim/output/table.hpp"
#include "inspectsim/random/rng.hpp"
#include "inspectsim/stats/difference.hpp"
#include "inspectsim/stats/funnel.hpp"
#include "inspectsim/stats/hierarchical.hpp"
#include "inspectsim/stats/interval.hpp"
#include "inspectsim/stats/shrinkage.hpp"

namespace inspectsim::compare {

// What makes a group: each (inspection, category), or each category across inspections (then a
// force inspected twice appears twice, labelled "force (inspection)").
enum class GroupBy { inspection_category, category };
inline constexpr base::EnumName<GroupBy> group_by_names[] = {
    {GroupBy::inspection_category, "inspection,category"},
    {GroupBy::category, "category"},
};
constexpr std::span<const base::EnumName<GroupBy>> enum_names(GroupBy) { return group_by_names; }
std::string_view group_by_name(GroupBy g) noexcept;  // "inspection,category", "category"
GroupBy parse_group_by(std::string_view name);

// How each force's rate is shrunk toward its group's: the full hierarchical model, (mu, M)
// integrated out (stats/hierarchical.hpp), or empirical Bayes, (mu, M) fitted and treated as known
// (stats/shrinkage.hpp).
enum class Shrinkage { hierarchical, empirical };
inline constexpr base::EnumName<Shrinkage> shrinkage_names[] = {
    {Shrinkage::hierarchical, "hierarchical"},
    {Shrinkage::empirical, "empirical"},
};
constexpr std::span<const base::EnumName<Shrinkage>> enum_names(Shrinkage) { return shrinkage_names; }
std::string_view shrinkage_name(Shrinkage s) noexcept;  // "hierarchical", "empirical"
Shrinkage parse_shrinkage(std::string_view name);

// The posterior each force's rate is drawn from when ranking: Jeffreys Beta(X+1/2, N-X+1/2) for
// each force alone; the empirical fit's Beta(a+X, b+N-X); or the hierarchical model's joint
// posterior (each draw takes (mu, M) from its posterior, then every force's rate given them).
enum class RankPosterior { jeffreys, shrunk, hierarchical };
inline constexpr base::EnumName<RankPosterior> rank_posterior_names[] = {
    {RankPosterior::jeffreys, "jeffreys"},
    {RankPosterior::shrunk, "shrunk"},
    {RankPosterior::hierarchical, "hierarchical"},
};
constexpr std::span<const base::EnumName<RankPosterior>> enum_names(RankPosterior) {
  return rank_posterior_names;
}
std::string_view rank_posterior_name(RankPosterior r) noexcept;
RankPosterior parse_rank_posterior(std::string_view name);

inline constexpr std::int64_t default_compare_draws = 10000;

struct CompareRequest {
  stats::Method method = stats::Method::wilson;
  stats::DiffMethod diff_method = stats::DiffMethod::newcombe;
  double confidence = 0.95;
  std::vector<double> levels{0.95, 0.998};  // funnel-plot control limits
  stats::Overdispersion overdispersion = stats::Overdispersion::none;
  bool pairs = false;
  // Test every pair of a group (Fisher, Holm) for the number of pairs told apart, without listing
  // the pairs; `pairs` and simultaneous rank intervals test them anyway.
  bool pair_tests = false;
  // Simultaneous: also each force's rank interval that holds for all forces of its group at once
  // (simultaneous_rank_intervals, at `confidence`).
  RankIntervals rank_intervals = RankIntervals::marginal;
  GroupBy group_by = GroupBy::inspection_category;
  Shrinkage shrinkage = Shrinkage::hierarchical;
  stats::Hyperprior hyperprior;  // for Shrinkage::hierarchical
  // Unset: hierarchical with hierarchical shrinkage, jeffreys with empirical. `shrunk` needs empirical
  // shrinkage and `hierarchical` needs hierarchical shrinkage.
  std::optional<RankPosterior> rank_posterior;
  std::vector<double> thresholds;  // P(rate > T) of each force's shrunk posterior, for each T in [0, 1]
  std::uint64_t seed = random::default_seed;
  std::int64_t draws = default_compare_draws;
  // Worker threads for the draws (0: all cores); the results do not depend on it.
  unsigned threads = 0;
  // Keep only rows with these categories / inspections (exact names); empty keeps every row.
  std::vector<std::string> categories;
  std::vector<std::string> inspections;
  // Provenance, recorded in the output: the file read and its SHA-256.
  std::string input_path;
  std::string input_sha256;
};

struct FunnelPoint {
  double level = 0;
  stats::FunnelLimits limits;
  stats::FunnelFlag flag = stats::FunnelFlag::within;
};

struct RowResult {
  std::size_t row = 0;       // index into Comparison::table.rows
  std::string label;         // the force, or "force (inspection)" when grouped by category
  double estimate = 0;       // X / N
  stats::Interval interval;  // request.method at request.confidence
  std::optional<stats::CountInterval> population_interval;  // hypergeometric, where population is given
  std::vector<FunnelPoint> funnel;                          // one per request.levels
  std::optional<stats::ShrunkEstimate> shrunk;              // when the group's shrinkage exists
  RankSummary rank;  // rank_probability left empty (I numbers per force; simulate_ranks gives it)
  // With rank_intervals simultaneous: the interval that holds for all forces of the group at once,
  // and whether it places the force in the group's worst quarter with confidence.
  std::optional<SimultaneousRank> simultaneous;
  bool worst_quarter = false;
};

struct PairResult {
  std::size_t a = 0;  // positions in GroupResult::rows
  std::size_t b = 0;
  double difference = 0;         // rate of a - rate of b
  stats::Interval interval;      // request.diff_method
  double p = 1;                  // Fisher's exact two-sided
  double p_holm = 1;             // Holm (1979) step-down adjusted within the group
  bool distinguishable = false;  // p_holm < 1 - confidence
};

struct GroupResult {
  std::string inspection;  // empty when grouped by category
  std::string category;
  std::int64_t sampled = 0;
  std::int64_t incorrect = 0;
  std::vector<RowResult> rows;
  stats::FunnelModel funnel;
  // Shrinkage::empirical: absent with fewer than min_shrinkage_units rows, or when no row (or every
  // row) has records wrong: then the marginal likelihood has no maximum.
  std::optional<stats::BetaBinomialFit> fit;
  // Shrinkage::hierarchical: absent with fewer than min_shrinkage_units rows.
  std::optional<stats::HierarchicalFit> hierarchical;
  // Posterior predictive check of the spread between forces (hierarchical only): the share of
  // replicated groups whose chi-square of the counts about their pooled rate is at least the observed
  // one; small values say the forces differ more than the model allows.
  std::optional<double> ppc_p;
  std::int64_t ppc_replicates = 0;
  double chi_square = 0;  // the observed statistic
  RankPosterior ranks_from = RankPosterior::jeffreys;
  bool ranks_shrunk = false;      // ranks drawn from a shrunk posterior (ranks_from is not jeffreys)
  std::vector<PairResult> pairs;  // only with request.pairs
  // Whether every pair was tested (pairs, pair_tests or simultaneous rank intervals); then
  // distinguishable of pair_count pairs can be told apart (Holm-adjusted Fisher p < 1 - confidence).
  bool pairs_tested = false;
  std::int64_t pair_count = 0;
  std::int64_t distinguishable = 0;
  // With simultaneous rank intervals: the worst quarter's ranks (1 to ceil(I/4)) and how many forces
  // lie in it with confidence (0 for a group of one).
  std::int64_t worst_quarter_ranks = 0;
  std::int64_t in_worst_quarter = 0;
};

// Whether a request tests every pair of each group.
bool tests_pairs(const CompareRequest& r) noexcept;

// A force's P(worst) as the writers and the report show it: none in a group of one force, where it is
// 1 by definition and says nothing about the force (shown "-", null in the JSON, empty in the CSV).
std::optional<double> p_worst_shown(const GroupResult& g, const RowResult& r) noexcept;

inline constexpr std::size_t min_shrinkage_units = 3;
inline constexpr std::int64_t max_ppc_replicates = 4000;  // min(draws, this) replicates per group

// The rank posterior a request asks for, its default resolved.
RankPosterior rank_posterior_of(const CompareRequest& r) noexcept;

enum class Verdict { worse, better, no_change };
inline constexpr base::EnumName<Verdict> verdict_names[] = {
    {Verdict::worse, "worse"},
    {Verdict::better, "better"},
    {Verdict::no_change, "no detectable change"},
};
constexpr std::span<const base::EnumName<Verdict>> enum_names(Verdict) { return verdict_names; }
std::string_view verdict_name(Verdict v) noexcept;  // "worse", "better", "no detectable change"

// A force's rate in one category at two consecutive inspections (by inspection name order).
struct ChangeResult {
  std::size_t from = 0;  // table rows: the earlier and the later inspection
  std::size_t to = 0;
  double difference = 0;  // later rate - earlier rate
  stats::Interval interval;
  double p = 1;
  Verdict verdict = Verdict::no_change;  // worse: the interval lies above 0; better: below 0
};

// A force's (or, for national figures, every force's) rows of one inspection combined.
struct TotalResult {
  std::string force;  // empty for a national figure
  std::string inspection;
  std::vector<std::size_t> rows;
  StratifiedTotal total;
};

struct Comparison {
  CompareRequest request;
  ResultsTable table;
  std::vector<GroupResult> groups;  // in order of first appearance in the file
  std::vector<ChangeResult> changes;
  std::vector<TotalResult> totals;
  std::vector<TotalResult> national;  // one per inspection
};

// Validates the request (InputError naming the option) and computes everything. The draws run in
// blocks of draws_per_block (compare/draws.hpp); block b of a job draws from
// make_stream(seed, job, substream, b): job = group index and substream 1 for a group's ranks,
// (total index, 2) for a force's total, (inspection index, 3) for a national figure, (group index,
// 4) for a group's posterior predictive check. `monitor` receives progress as (blocks done, total
// blocks) over all jobs and may cancel the run (then run throws Interrupted). With a team of ranks
// (base/team.hpp), every rank calls run alike and the ranks share each job's draw blocks; the
// result is the same on every rank, and the same as one process's.
Comparison run(ResultsTable table, const CompareRequest& request, const base::Monitor& monitor = {},
               base::Team* team = nullptr);

}  // namespace inspectsim::compare
