// Writers for `inspectsim plan`: each subcommand's result as a readable table, as CSV (one row per
// sample size tried) or as JSON (everything, with provenance). Fields are documented in README.md.
// No I/O here.
#pragma once

#include <string>

#include "inspectsim/output/table.hpp"
#include "inspectsim/plan/plan.hpp"

namespace inspectsim::plan {

// "0 wrong in 20 supports: the error rate is below 13.9% (95% confidence)."
std::string claim_sentence(const ClaimResult& r);

std::string render_claim(const ClaimResult& r, output::Format format);
std::string render_precision(const PrecisionResult& r, output::Format format);
std::string render_detect(const DetectResult& r, output::Format format);
// `cells`: how the CSV's text cells (the scenario's file and cell names) that a spreadsheet would run
// as formulas are written (output::CsvCells).
std::string render_scenario_plan(const ScenarioPlan& plan, output::Format format,
                                 output::CsvCells cells = output::CsvCells::guarded);

}  // namespace inspectsim::plan
