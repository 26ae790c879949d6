// The `compare` HTML report (`--report PATH.html`): one self-contained page of charts, each with the table
// behind it, plain-language findings and provenance. Built from the plain result values with
// svg.hpp and html.hpp; pure functions (no I/O).
#pragma once

#include <string>

#include "inspectsim/compare/compare.hpp"

namespace inspectsim::compare {

// The `compare` report: for each group a forest (caterpillar) plot of every force's interval,
// sorted, with the pooled rate; the funnel plot with its control limits and labelled outliers;
// rank intervals; shrunk against raw estimates; then the changes between inspections and the
// totals across categories. The group charts are those of `compare --plot` (compare_plots.hpp).
std::string render_comparison_report(const Comparison& comparison);

}  // namespace inspectsim::compare
