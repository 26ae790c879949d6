// The command-line front end. Each subcommand lives in its own file with an options struct, a
// setup function that declares its options on the app, and a run function that does the work and
// writes the result. Only run_cli() turns errors into exit codes.
#pragma once

#include <CLI/CLI.hpp>

namespace inspectsim::cli {

// Exit codes: 0 success, 1 internal failure, 2 bad input or usage, 130 interrupted.
inline constexpr int exit_ok = 0;
inline constexpr int exit_internal = 1;
inline constexpr int exit_input = 2;
inline constexpr int exit_interrupted = 130;

int run_cli(int argc, char** argv);

// One per subcommand (sim/cli/<name>.cpp).
void setup_assess(CLI::App& app);
void setup_compare(CLI::App& app);
void setup_simulate(CLI::App& app);

}  // namespace inspectsim::cli
