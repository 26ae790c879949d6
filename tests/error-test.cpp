// Tests for include/inspectsim/error.hpp.
#include "inspectsim/error.hpp"

#include <doctest/doctest.h>

using namespace inspectsim;

TEST_CASE("InputErrors joins its problems, one per line, and keeps them") {
  const InputErrors e({"a.toml:1:1: seed: is -1, but must be >= 0", "a.toml:2:1: sample: missing"});
  CHECK(std::string(e.what()) == "a.toml:1:1: seed: is -1, but must be >= 0\na.toml:2:1: sample: missing");
  CHECK(e.problems().size() == 2);
  const InputError& base = e;  // an InputErrors is an InputError: the CLI maps it to exit code 2
  CHECK(std::string(base.what()).find("seed") != std::string::npos);
}

TEST_CASE("Interrupted says nothing was written") {
  CHECK(std::string(Interrupted().what()).find("nothing was written") != std::string::npos);
}
