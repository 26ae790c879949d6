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

// The same for text already in memory; `path` names it in messages and in the spec's provenance.
SimulationSpec parse_scenario(std::string_view toml_text, const std::string& path);

// A scenario file is at most 16 MiB (the largest shipped one is a few kilobytes).
inline constexpr std::size_t max_scenario_bytes = std::size_t{16} << 20;

// Limits that keep a scenario's memory bounded; larger values are reported as out of range. A
// sample may hold at most max_simulated_sample records (simulation.hpp).
inline constexpr std::int64_t max_sweep_steps = 10000;       // true_rate = { steps = ... }
inline constexpr std::int64_t max_scenario_points = 100000;  // cell points after expansion

}  // namespace inspectsim::simulate
