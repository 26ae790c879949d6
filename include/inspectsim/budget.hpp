// Resource limits: the work and memory a run will need, estimated from its input before it starts,
// and the budget they must fit, so that a scenario with 10^12 replicates or a comparison of two
// samples of 10^5 stops at once with the estimate and the way to raise the limit, instead of running
// for days or thrashing the machine.
//
// A unit of work is calibrated to about one nanosecond of one core (g++ 12 -O2, 2020s x86-64): an
// alias-table draw costs 3 units, a Beta truth 200, a record drawn without replacement 12, a
// Clopper-Pearson bound 10,000 (README.md, "Reliability", lists every weight). The estimates are
// meant to be right within a factor of a few, and on the high side.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "inspectsim/compare.hpp"
#include "inspectsim/plan.hpp"
#include "inspectsim/simulation.hpp"

namespace inspectsim {

struct Cost {
  double work = 0;     // units (about 1 ns of one core each)
  double bytes = 0;    // peak memory
  std::string detail;  // what drives it, for messages: "396 cell points x 100000 replicates"
  std::string advice;  // how to make it smaller: "fewer replicates (--replicates), ..."
};

// 10^12 units is roughly a quarter of an hour of one core; 2 GiB of memory.
inline constexpr double default_max_work = 1e12;
inline constexpr double default_max_memory_mb = 2048;

struct Budget {
  double max_work = default_max_work;
  double max_memory_mb = default_max_memory_mb;
};

// simulate(spec) with `threads` workers (0: all cores): the replicates of every cell point
// (weighted by how each is drawn), the interval tables of every distinct sample size, and the
// decision table of every comparison; memory for the tallies in flight, the tables and the output.
Cost simulation_cost(const SimulationSpec& spec, unsigned threads);

// plan_scenario(spec, cell, ...) (plan.hpp): at most 2 log2(cap) + 20 candidate sizes, each
// simulated up to twice on average, with the cell's points at the largest size it may try and
// only the cell and its comparison partners simulated. An unknown cell costs nothing (the
// planner reports it).
Cost scenario_plan_cost(const SimulationSpec& spec, std::string_view cell, unsigned threads);

// plan_precision(q) (plan.hpp) with a binomial interval method: the size it will end near,
// n ~ z^2 P(1 - P) / H^2 (twice that for the assured criterion), capped at the largest it may
// try; the sizes it evaluates (every one from 1 up to precision_scan_limit, else the last
// twentieth below n, plus the doubling and bisection steps); for each, every count within 8
// standard deviations of nP (the law it sums over), each a binomial probability and an
// interval. With the hypergeometric method the planner keeps its own step limit (plan.hpp).
Cost precision_plan_cost(const PrecisionRequest& q);

// plan_detect(q)'s cost shows only as its search goes, so a budget becomes its limit of steps of
// enumeration (DetectRequest::work_limit), at the measured cost of a step: 12 units for Fisher's
// test, 400 for the score intervals.
std::int64_t detect_step_limit(DetectTest test, const Budget& budget);

// compare(table, request): Monte Carlo ranks in every group and stratified totals per force and
// inspection and per inspection (`draws` Beta draws per row each), Fisher's tests for the changes
// and, with request.pairs, every pair within a group.
Cost comparison_cost(const ResultsTable& table, const CompareRequest& request);

// Throws InputError when `cost` exceeds `budget`, giving the input it comes from (`source`, e.g. the
// scenario file, as "source: "; none when empty), the estimate, what drives it, the budget and the
// option that raises it (--max-work UNITS, --max-memory MB).
void check_budget(const Cost& cost, const Budget& budget, const std::string& source = "");

}  // namespace inspectsim
