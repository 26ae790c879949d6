// The Monte Carlo engine's input and output: what a scenario describes once its sweeps are
// expanded (SimulationSpec), and the plain values the engine returns (SimulationResult).
// The scenario loader (scenario.hpp) builds the spec; writers turn the result into text.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/base/names.hpp"
#include "inspectsim/random/rng.hpp"
#include "inspectsim/stats/difference.hpp"
#include "inspectsim/stats/interval.hpp"

namespace inspectsim::simulate {

// ---- Input -------------------------------------------------------------------------------------

// The true error rate of a cell point: fixed, or drawn afresh for each replicate from Beta(a, b).
struct Truth {
  enum class Kind { fixed, beta };
  Kind kind = Kind::fixed;
  double rate = 0;  // Kind::fixed
  double a = 0;     // Kind::beta
  double b = 0;
};

// The sample is spread over `count` units (officers, stations) whose rates vary around the truth
// with intra-class correlation `icc` (beta-binomial within each unit).
struct Clusters {
  std::int64_t count = 1;
  double icc = 0;
};

// A wrong record is flagged with probability `sensitivity`; a correct one is wrongly flagged
// with probability 1 - `specificity`.
struct Inspector {
  double sensitivity = 1;
  double specificity = 1;
};

// A band of the observed share: the grade applies when share <= upper (the last band has none).
struct Grade {
  std::string name;
  std::optional<double> upper;
};

// One point of one cell: every sweep already expanded.
struct CellPoint {
  std::size_t cell = 0;  // index of the [[cell]] in the scenario (0-based)
  std::string force;
  std::string category;
  Truth truth;
  std::optional<std::int64_t> population;  // none: an unlimited stream (binomial sampling)
  std::int64_t sample = 0;
  std::optional<Clusters> clusters;
  std::optional<Inspector> inspector;
  std::optional<double> selection_odds;  // Wallenius' noncentral hypergeometric (finite M only)
  std::vector<Grade> grades;             // empty: no grading
};

// Does a test of cell point `a` against cell point `b` declare a difference?
struct ComparisonSpec {
  std::string name;   // "Hampshire/rape vs Kent/rape"
  std::size_t a = 0;  // indices into SimulationSpec::points
  std::size_t b = 0;
  bool fisher = false;  // Fisher's exact test at level 1 - confidence; else the interval below
  stats::DiffMethod method = stats::DiffMethod::newcombe;  // declares when the interval excludes 0
};

// How a league ranks members whose shares are equal: `shared`, tied members share the better rank
// ("joint worst"); `random`, ties are broken by a draw from the replicate block's stream.
enum class Ties { shared, random };
inline constexpr base::EnumName<Ties> ties_names[] = {{Ties::shared, "shared"}, {Ties::random, "random"}};
constexpr std::span<const base::EnumName<Ties>> enum_names(Ties) { return ties_names; }

// A league table: each replicate ranks the same replicate's observed shares of all members (rank 1
// is the highest share, the worst), and the ranks are judged against the true ranks.
struct LeagueSpec {
  std::string name;
  std::vector<std::size_t> members;     // indices into SimulationSpec::points, at least two, distinct
  Ties ties = Ties::shared;             // also how tied true rates are ranked
  std::vector<std::int64_t> top{1, 3};  // P(the ranked worst are all among the true worst k), ascending
};

struct SimulationSpec {
  std::string title;
  std::uint64_t seed = random::default_seed;
  std::int64_t replicates = 100000;
  double confidence = 0.95;
  std::vector<stats::Method> methods{stats::Method::wilson, stats::Method::clopper_pearson,
                                     stats::Method::jeffreys};
  std::vector<CellPoint> points;
  std::vector<ComparisonSpec> comparisons;
  std::vector<LeagueSpec> leagues;
  // Provenance, carried into every output.
  std::string source_path;
  std::string source_sha256;
};

// Replicates run in blocks of this many; block i draws from make_stream(seed, i) alone, the points
// in spec order, so results depend on (spec, seed) only, never on the number of threads. Part of
// the reproducibility contract: changing it changes every simulated figure.
inline constexpr std::int64_t block_replicates = 4096;

// The largest sample a cell point may have (per-block tallies hold one counter per count 0..n).
inline constexpr std::int64_t max_simulated_sample = 100000;

// Threads (0: all cores), progress (replicate blocks done, total blocks) and cancellation: the
// block runner's options (base/blocks.hpp). When cancelled, run() throws Interrupted.
using RunOptions = base::RunOptions;

// ---- Output ------------------------------------------------------------------------------------

// A simulated proportion or mean with its Monte Carlo standard error.
struct Estimate {
  double value = 0;
  double se = 0;
};

struct MethodResult {
  stats::Method method;
  // Share of replicates whose interval [L, U] holds the replicate's truth (L <= truth <= U); a
  // replicate where the method gives no interval counts as not covering.
  Estimate coverage;
  std::optional<double> exact_coverage;  // by enumeration, where the count's law is known
  double mean_width = 0;                 // mean U - L over replicates with an interval (0 if none)
  double miss_below = 0;                 // interval entirely below the truth
  double miss_above = 0;                 // interval entirely above the truth
  std::int64_t undefined = 0;            // replicates where the method gave no interval
};

struct GradeResult {
  std::string name;
  Estimate probability;
  std::optional<double> exact;
};

struct PointResult {
  CellPoint point;
  std::int64_t replicates = 0;
  // Truth: the nominal rate (fixed) or the Beta mean; with a finite population and a fixed rate
  // K = round(rate * M) and the realised rate K / M is the truth judged against (and true_rate).
  // With a Beta rate each replicate is judged against its own draw (K / M with a population).
  double true_rate = 0;
  std::optional<std::int64_t> true_count;  // K
  // The observed share X / n over replicates. Errors are share - truth, the truth of the replicate
  // (so with a Beta rate bias estimates 0 when the share is unbiased). sd is the standard
  // deviation of the share over replicates (divisor R); rmse = sqrt(mean squared error).
  Estimate mean_share;
  double bias = 0;  // mean error (fixed truth: mean share - true rate)
  double sd = 0;
  double rmse = 0;
  // P(X = x), x = 0..n: simulated, and exact where enumerable (else empty).
  std::vector<double> count_distribution;
  std::vector<double> exact_count_distribution;
  std::vector<MethodResult> methods;
  std::vector<GradeResult> grades;
  std::optional<Estimate> p_correct_grade;  // the grade the true rate deserves
  std::optional<double> exact_p_correct_grade;
  std::string correct_grade;
};

struct ComparisonResult {
  ComparisonSpec spec;
  Estimate p_declare;           // power if the truths differ, false-alarm rate if equal
  std::optional<double> exact;  // where both points allow enumeration
};

struct LeagueMemberResult {
  std::size_t point = 0;       // index into SimulationSpec::points
  double true_rate = 0;        // K / M with a population
  std::int64_t true_rank = 0;  // 1 = the highest true rate; tied rates share the better rank
  Estimate p_ranked_worst;     // P(observed rank = 1)
  // Exact where every member's count law is enumerable (independent counts): shared ties sum over
  // x of P_i(x) times the product over j != i of P(share_j <= x / n_i); random ties E[1 / (1 + T)].
  std::optional<double> p_ranked_worst_exact;
  Estimate mean_rank;                     // mean observed rank, its se from the rank distribution
  std::vector<double> rank_distribution;  // P(observed rank = r), r = 1..size
};

struct LeagueTopResult {
  std::int64_t k = 0;
  Estimate probability;  // P(every member ranked worst has true rank <= k)
};

struct LeagueResult {
  LeagueSpec spec;
  std::vector<LeagueMemberResult> members;  // in spec order
  Estimate p_true_worst_ranked_worst;       // P(a member of true rank 1 has observed rank 1)
  std::optional<double> p_true_worst_ranked_worst_exact;
  std::vector<LeagueTopResult> top;
  // Spearman's correlation of observed with true ranks (Pearson's on the ranks as assigned), mean
  // over replicates; a replicate whose observed ranks are all equal counts 0. None when every true
  // rate is the same.
  std::optional<Estimate> spearman;
  Estimate mean_abs_rank_error;  // mean over replicates and members of |observed - true rank|
};

struct SimulationResult {
  SimulationSpec spec;  // as run (after command-line overrides)
  std::vector<PointResult> points;
  std::vector<ComparisonResult> comparisons;
  std::vector<LeagueResult> leagues;
  std::string version;
};

// Where a run keeps its progress so that, stopped (cancelled, killed, pre-empted by a scheduler), it
// can resume: the tallies of every block merged so far, with what the run was made of (the input's
// SHA-256, seed, replicates, version), written atomically as JSON once every `interval_seconds`
// (0: after every block) and when the run is cancelled. A run given a path that holds such a file
// resumes from it and returns exactly what an uninterrupted run returns; a file made by another
// input, seed, replicate count or version is refused with a message naming what differs. Removing
// the file once the results are safely written is the caller's job (remove_checkpoint).
struct Checkpoint {
  std::string path;  // empty: no checkpoints
  double interval_seconds = 60;
  // What the run was made from, when spec.source_sha256 does not say it all (a scenario generated
  // from another file with options); empty: spec.source_sha256.
  std::string input_sha256;
};

// Runs the simulation. Deterministic: the same spec gives identical results for any thread count,
// and for a run resumed from its checkpoint. Throws InputError for a spec that cannot run or a
// checkpoint that does not belong to it, Interrupted when cancelled.
SimulationResult run(const SimulationSpec& spec, const RunOptions& options = {},
                     const Checkpoint& checkpoint = {});

// Removes a finished run's checkpoint file, if there is one (and only a checkpoint file).
// Throws InputError (naming checkpoint_interval) unless the interval is 0 to 10^6 seconds: what
// run() checks first, and every other command that keeps a checkpoint too.
void check_checkpoint(const Checkpoint& checkpoint);

void remove_checkpoint(const Checkpoint& checkpoint);

}  // namespace inspectsim::simulate
