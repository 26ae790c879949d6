// inspectsim: statistical sampling and inspection simulator. All work happens in the library and
// the subcommand files; see sim/cli/cli.hpp. Started by mpirun or srun, it is one rank of a job
// (mpi.hpp).
#include <cstdio>

#include "cli.hpp"
#include "mpi.hpp"

int main(int argc, char** argv) {
  const inspectsim::cli::MpiSession mpi(argc, argv);
  if (!mpi.error().empty()) {
    std::fprintf(stderr, "inspectsim: %s\n", mpi.error().c_str());
    return inspectsim::cli::exit_input;
  }
  return inspectsim::cli::run_cli(argc, argv, {}, {mpi.team(), mpi.default_threads()});
}
