// The work and memory a plan will need, estimated before it starts (base/budget.hpp has the units,
// the budget and the weights).
#pragma once

#include <cstdint>
#include <string_view>

#include "inspectsim/base/budget.hpp"
#include "inspectsim/plan/plan.hpp"
#include "inspectsim/simulate/simulate.hpp"

namespace inspectsim::plan {

// plan_scenario(spec, cell, ...) (plan.hpp): at most 2 log2(cap) + 20 candidate sizes, each
// simulated up to twice on average, with the cell's points at the largest size it may try and
// only the cell and its comparison partners simulated. An unknown cell costs nothing (the
// planner reports it).
base::Cost scenario_plan_cost(const simulate::SimulationSpec& spec, std::string_view cell, unsigned threads);

// plan_precision(q) (plan.hpp) with a binomial interval method: the size it will end near,
// n ~ z^2 P(1 - P) / H^2 (twice that for the assured criterion), capped at the largest it may
// try; the sizes it evaluates (every one from 1 up to precision_scan_limit, else the last
// twentieth below n, plus the doubling and bisection steps); for each, every count within 8
// standard deviations of nP (the law it sums over), each a binomial probability and an
// interval. With the hypergeometric method the planner keeps its own step limit (plan.hpp).
base::Cost precision_plan_cost(const PrecisionRequest& q);

// plan_detect(q)'s cost shows only as its search goes, so a budget becomes its limit of steps of
// enumeration (DetectRequest::work_limit), at the measured cost of a step: 12 units for Fisher's
// test, 400 for the score intervals.
std::int64_t detect_step_limit(DetectTest test, const base::Budget& budget);

}  // namespace inspectsim::plan
