// Scenario files: a TOML description of synthetic police forces and an inspection design (see the
// "Scenario files" section of README.md for every key). The loader validates the whole file,
// reports every problem at once, and expands sweeps into the engine's SimulationSpec.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/simulate/simulate.hpp"

namespace inspectsim::simulate {

// Reads and parses a scenario file; the spec records the path and the file's SHA-256.
// Throws InputError when the file cannot be read (or is larger than max_scenario_bytes) or is not
// UTF-8 text (require_text, io.hpp), InputErrors listing every problem (syntax errors
// with toml++'s position and description; unknown keys with a "did you mean"; wrong types;
// out-of-range values), each as "path:line:column: key: problem".
SimulationSpec load_scenario(const std::string& path);

// The same for text already in memory; `path` names it in messages and in the spec's provenance,
// and its directory is where a [[cells_from]] table's relative path is found (the working
// directory when `path` has none).
//
// [[cells_from]] tables: every row of the CSV named by `path` becomes a cell, exactly as if
// written as a [[cell]] table where the [[cells_from]] table is (columns force, category, sample,
// true_rate or incorrect and sampled, population, clusters_count, clusters_icc, sensitivity,
// specificity, selection_odds, grades; `defaults` gives keys for what a row leaves empty or the
// file has no column for; `ignore` lists columns to skip). A problem in a row is reported as
// "csv-path:line: column: problem". The file must be a regular file, at most max_scenario_bytes
// (all of a scenario's CSVs together).
SimulationSpec parse_scenario(std::string_view toml_text, const std::string& path);

// The scenario checked as parse_scenario checks it, then written back as TOML with every
// [[cells_from]] row written out as a [[cell]] table (the same cells in the same order, so it
// simulates to the same figures); comments are not kept.
std::string expanded_scenario(std::string_view toml_text, const std::string& path);

// The scenario's SHA-256 in every output: the file's own when it reads no CSV; otherwise the
// SHA-256 of a listing of SHA-256s in hex, one per line, the scenario's then each [[cells_from]]
// CSV's in file order -- what `sha256sum scenario.toml a.csv | cut -c1-64 | sha256sum` prints.
std::string scenario_sha256(std::string_view toml_text, const std::vector<std::string>& csv_texts);

// A scenario file is at most 16 MiB (the largest shipped one is a few kilobytes).
inline constexpr std::size_t max_scenario_bytes = std::size_t{16} << 20;

// Limits that keep a scenario's memory bounded; larger values are reported as out of range. A
// sample may hold at most max_simulated_sample records (simulation.hpp).
inline constexpr std::int64_t max_sweep_steps = 10000;       // true_rate = { steps = ... }
inline constexpr std::int64_t max_scenario_points = 100000;  // cell points after expansion

}  // namespace inspectsim::simulate
