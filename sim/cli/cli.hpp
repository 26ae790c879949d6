// The command-line front end. Each subcommand lives in its own file with an options struct, a
// setup function that declares its options on the app, and a run function that does the work and
// writes the result. Only run_cli() turns errors into exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include "inspectsim/base/budget.hpp"
#include "inspectsim/base/team.hpp"

namespace inspectsim::cli {

// Exit codes: 0 success, 1 internal failure, 2 bad input or usage, 130 interrupted, 141 the reader
// of standard output went away (128 + SIGPIPE, as when the signal kills the process).
inline constexpr int exit_ok = 0;
inline constexpr int exit_internal = 1;
inline constexpr int exit_input = 2;
inline constexpr int exit_interrupted = 130;
inline constexpr int exit_broken_pipe = 141;

// The MPI job a run belongs to (mpi.hpp): its ranks (none: this process alone), and the worker
// threads each rank uses when --threads is not given (0: all cores).
struct Ranks {
  base::Team* team = nullptr;
  unsigned default_threads = 0;
};

// Runs the program on argv. `budget` is the default of --max-work and --max-memory (the fuzz
// targets run the program in-process with a smaller one). With ranks, every rank runs it alike:
// rank 0 alone prints and writes, and a failure on any rank is one message from rank 0 and the
// same exit code on every rank.
int run_cli(int argc, char** argv, const base::Budget& budget = {}, Ranks ranks = {});

// One per subcommand (sim/cli/<name>.cpp); the commands that estimate their cost take the default
// budget.
void setup_assess(CLI::App& app);
void setup_compare(CLI::App& app, const base::Budget& budget);
void setup_simulate(CLI::App& app, const base::Budget& budget);
void setup_plan(CLI::App& app, const base::Budget& budget);

}  // namespace inspectsim::cli
