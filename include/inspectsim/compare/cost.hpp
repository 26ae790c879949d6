// The work and memory a comparison will need, estimated before it starts (base/budget.hpp has the
// units, the budget and the weights).
#pragma once

#include "inspectsim/base/budget.hpp"
#include "inspectsim/compare/compare.hpp"
#include "inspectsim/compare/results_csv.hpp"

namespace inspectsim::compare {

// compare(table, request): Monte Carlo ranks in every group and stratified totals per force and
// inspection and per inspection (`draws` Beta draws per row each), Fisher's tests for the changes
// and, with request.pairs, every pair within a group.
base::Cost comparison_cost(const ResultsTable& table, const CompareRequest& request);

}  // namespace inspectsim::compare
