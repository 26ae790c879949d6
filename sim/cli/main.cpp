// inspectsim: statistical sampling and inspection simulator. All work happens in the library and
// the subcommand files; see sim/cli/cli.hpp.
#include "cli.hpp"

int main(int argc, char** argv) { return inspectsim::cli::run_cli(argc, argv); }
