// The work and memory a simulation will need, estimated from its spec before it starts
// (base/budget.hpp has the units, the budget and the weights).
#pragma once

#include "inspectsim/base/budget.hpp"
#include "inspectsim/simulate/simulate.hpp"

namespace inspectsim::simulate {

// simulate(spec) with `threads` workers (0: all cores): the replicates of every cell point
// (weighted by how each is drawn), the interval tables of every distinct sample size, and the
// decision table of every comparison; memory for the tallies in flight, the tables and the output.
base::Cost simulation_cost(const SimulationSpec& spec, unsigned threads);

// Work per count of one interval method's table (a Boost Beta quantile per Clopper-Pearson bound,
// root finding for mid-p and the likelihood ratio, closed forms otherwise).
double interval_table_work(stats::Method method);

}  // namespace inspectsim::simulate
