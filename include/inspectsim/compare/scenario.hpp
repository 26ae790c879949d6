// The bridge from compare to simulate: published results written as a scenario file, asking "if
// these figures were the truth, how often would a re-inspection reproduce them?" One [[cell]] per
// row (true rate the published share, or the hierarchical model's posterior mean; the same sample
// sizes and populations) and one [[league]] per group of two or more rows. The text is TOML that
// simulate::parse_scenario reads; no I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/base/names.hpp"
#include "inspectsim/compare/compare.hpp"
#include "inspectsim/compare/results_csv.hpp"

namespace inspectsim::compare {

// Where each cell's true rate comes from: the row's share X / N, or the posterior mean of the
// group's hierarchical model (rows of groups too small to fit keep X / N, and the file says so).
enum class TruthFrom { observed, shrunk };
inline constexpr base::EnumName<TruthFrom> truth_from_names[] = {
    {TruthFrom::observed, "observed"},
    {TruthFrom::shrunk, "shrunk"},
};
constexpr std::span<const base::EnumName<TruthFrom>> enum_names(TruthFrom) { return truth_from_names; }

// A grade band of the generated scenario: a name and an upper bound (absent for the last band).
struct GradeBand {
  std::string name;
  std::optional<double> upper;
};

struct ScenarioRequest {
  TruthFrom truth = TruthFrom::observed;
  // The re-inspection's sample: unset, each row's own (its effective size where the row gave a
  // published rate); set, this many records in every cell (at most the row's population).
  std::optional<std::int64_t> sample;
  std::vector<GradeBand> grades;  // empty: no grading
  std::uint64_t seed = random::default_seed;
  std::int64_t replicates = 100000;
  // For TruthFrom::shrunk: the hierarchical model's hyperprior and the confidence of the figures.
  stats::Hyperprior hyperprior;
  double confidence = 0.95;
  std::string source_sha256;  // the results file's, recorded in the scenario's first comment
};

// The scenario, as TOML text with comments saying where each figure came from. Categories are
// the results' categories, prefixed with the inspection ("CDI 2018: rape") when the file holds more
// than one, so that each (force, inspection, category) row is one cell. Throws InputError naming
// the row (`path:line: sample: ...`) when the sample exceeds a row's population, and for a grade
// band set that is not ascending.
std::string scenario_from_results(const ResultsTable& table, const ScenarioRequest& request);

}  // namespace inspectsim::compare
