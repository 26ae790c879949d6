// The program's version and the versions of the libraries it was built with; every output
// records the former (provenance), `inspectsim --version` prints both.
#pragma once

#include <string>

namespace inspectsim::base {

// "0.1.0"
const char* version() noexcept;
// One line per library the core is built with: "Boost 1.74.0", "Eigen 3.4.0", ... (a front end adds
// its own: the CLI its option parser, CLI11).
std::string build_info();

}  // namespace inspectsim::base
