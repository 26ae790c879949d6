// Resource limits: the work and memory a run will need, estimated from its input before it starts,
// and the budget they must fit, so that a scenario with 10^12 replicates or a comparison of two
// samples of 10^5 stops at once with the estimate and the way to raise the limit, instead of running
// for days or thrashing the machine.
//
// A unit of work is calibrated to about one nanosecond of one core (g++ 12 -O2, 2020s x86-64): an
// alias-table draw costs 3 units, a Beta truth 200, a record drawn without replacement 12, a
// Clopper-Pearson bound 10,000 (README.md, "Reliability", lists every weight). The estimates are
// meant to be right within a factor of a few, and on the high side. This header holds what every
// estimate shares (the cost, the budget, the weights); each command's cost.hpp holds its estimate.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "inspectsim/base/error.hpp"

namespace inspectsim::base {

struct Cost {
  double work = 0;     // units (about 1 ns of one core each)
  double bytes = 0;    // peak memory
  std::string detail;  // what drives it, for messages: "396 cell points x 100000 replicates"
  Message advice;      // how to make it smaller: "fewer replicates (" + field("replicates") + "), ..."
};

// 10^12 units is roughly a quarter of an hour of one core; 2 GiB of memory.
inline constexpr double default_max_work = 1e12;
inline constexpr double default_max_memory_mb = 2048;

struct Budget {
  double max_work = default_max_work;
  double max_memory_mb = default_max_memory_mb;
};

// The default budget with each limit that is given in its place: what the R and Python packages'
// max_work (units) and max_memory (MB) arguments set. Each must be positive (InputError naming
// max_work or max_memory).
Budget make_budget(std::optional<double> max_work, std::optional<double> max_memory_mb);

// Throws InputError when `cost` exceeds `budget`, giving the input it comes from (`source`, e.g. the
// scenario file, as "source: "; none when empty), the estimate, what drives it, the budget and the
// field that raises it (max_work, in units, or max_memory, in MB).
void check_budget(const Cost& cost, const Budget& budget, const std::string& source = "");

// The number of workers `threads` means (0: all cores).
unsigned worker_threads(unsigned threads);

// An estimate as text for messages ("%.3g" by default).
std::string cost_number(double v, const char* format = "%.3g");

namespace weights {

// Work weights, in units of about 1 ns of one core, measured on the simulate and compare commands
// (g++ 12 -O2; README.md, "Reliability"). Per replicate of a cell point:
inline constexpr double alias_draw = 3;           // fixed truth, plain sampling: one alias-table draw
inline constexpr double process_draw = 50;        // any process-level feature: a binomial draw, bookkeeping
inline constexpr double beta_truth = 200;         // a Beta truth per replicate
inline constexpr double replicate_interval = 20;  // per method, checking a replicate's own truth
inline constexpr double record_draw = 12;         // one record drawn without replacement (or by Wallenius)
inline constexpr double cluster_unit = 220;       // one cluster: a Beta rate and a binomial count
inline constexpr double inspector_draw = 50;      // misclassification: two binomial draws
// Once per count x = 0..n of a cell point (exact law, summaries):
inline constexpr double per_count = 50;
// Per table entry of a comparison: a difference interval, or Fisher's exact test (a walk over up
// to min(na, nb) tables, or a bisection beyond 4096).
inline constexpr double difference_test = 300;
inline double fisher_test(std::int64_t na, std::int64_t nb) {
  return std::min(20 + 10 * static_cast<double>(std::min(na, nb)), 50000.0);
}
// plan precision: one binomial probability of a count's law (Boost's pdf, an incomplete-beta
// derivative): 'plan precision --rate 0.5 --margin 0.001' summed 3.8e8 such terms with a Wilson
// interval each in 254 s of CPU (about 670 ns a term).
inline constexpr double law_term = 600;
// plan detect: one step of enumeration (a table, or a margin and record of Fisher's rejection
// regions): 12 ns measured for Fisher ('--from 0.5 --to 0.4', 5.5e6 steps in 0.067 s), 371 ns for
// the score intervals (Newcombe, 6.8e5 steps in 0.25 s).
inline constexpr double fisher_step = 12;
inline constexpr double score_step = 400;
// compare, per row and draw: a rank draw from a tabled posterior (Jeffreys or the empirical fit's,
// random::BetaTable, and its share of the sort), from the hierarchical model's joint posterior (a
// node, then a pair of Gamma variates), and a total's draw (a tabled posterior); measured on the
// cancelled-crimes file at 10^6 draws and the national file at 10^5 (about 21 ns a draw with
// '--shrinkage empirical', 63 ns a hierarchical rank draw). One pairwise or change test.
inline constexpr double rank_draw = 30;
inline constexpr double joint_rank_draw = 70;
inline constexpr double total_draw = 20;
inline constexpr double pair_test = 22000;
// compare's hierarchical model, per group of 3 or more forces: the fit (the grid and the typical
// rate's and spread's quantiles; 10 to 25 ms for 5 forces, 8 ms for 43), each row's posterior (its
// mixture's quantiles, by distinct count: up to 4 ms for 5 forces, 0.8 ms for 43; every row is
// counted, an upper bound) and, per replicate of the predictive check and row, a Beta and a
// binomial draw.
inline constexpr double hierarchical_fit = 1.5e7;
inline constexpr double hierarchical_row = 2e6;
inline constexpr double ppc_draw = 120;
// compare: a row's own figures, whatever the draws: its interval, funnel limits, shrunk posterior
// (Beta quantiles), its jobs' random streams and its output. 10^6 rows in groups of 5 with
// '--shrinkage empirical --draws 10' took about 60 s of CPU beyond their draws and tests.
inline constexpr double compare_row = 60000;
// simulate's leagues, per replicate: each ordered pair of members compared (the ranking), and each
// member looked up, kept and tallied; once per run, one term of the exact sums per member, count
// and other member (K^2 (K + 1) (n + 1) in all with random ties).
inline constexpr double league_pair = 1;
inline constexpr double league_member = 4;
inline constexpr double league_exact_term = 2;

// Memory, in bytes. Per count x of a cell point: a histogram counter in every tally in flight,
// the simulated and exact distributions, and the output (JSON text and document).
inline constexpr double counter_bytes = 8;
inline constexpr double result_bytes_per_count = 16 + 100;
inline constexpr double table_bytes_per_count = 17;  // lower, upper, defined
inline constexpr double alias_bytes_per_count = 16;
inline constexpr double base_bytes = 16e6;  // the program itself, buffers

}  // namespace weights

}  // namespace inspectsim::base
