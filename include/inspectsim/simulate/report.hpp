// The `simulate` HTML report (`--report PATH.html`): one self-contained page of charts, each with the table
// behind it, plain-language findings and provenance. Built from the plain result values with
// svg.hpp and html.hpp; pure functions (no I/O).
#pragma once

#include <string>

#include "inspectsim/simulate/simulate.hpp"

namespace inspectsim::simulate {

// The `simulate` report: coverage against the true rate for swept cells (with the nominal level),
// coverage of single cells, the distribution of the observed count with the truth marked, interval
// width by method, grade probabilities as stacked bars and the power of each comparison.
std::string render_simulation_report(const SimulationResult& result);

}  // namespace inspectsim::simulate
