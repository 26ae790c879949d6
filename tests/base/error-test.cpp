// Tests for include/inspectsim/error.hpp.
#include "inspectsim/base/error.hpp"

#include <doctest/doctest.h>

using namespace inspectsim;
using namespace inspectsim::base;

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

TEST_CASE("a message is one printable line: control characters from the input are shown escaped") {
  // Found by fuzzing: a quoted CSV field holding line breaks, quoted back in a message, made lines
  // that named no file.
  const InputError e(std::string("a.csv:3: force: 'North\nYork\r\tshire\x01\x7f' is already on line 2"));
  CHECK(std::string(e.what()) == "a.csv:3: force: 'North\\nYork\\r\\tshire\\x01\\x7F' is already on line 2");
  CHECK(printable("plain text, é and 100%") == "plain text, é and 100%");
  const InputErrors many({"a.toml:1:1: cell[1].a\nb: unknown key", "a.toml:2:1: sample: missing"});
  CHECK(std::string(many.what()) == "a.toml:1:1: cell[1].a\\nb: unknown key\na.toml:2:1: sample: missing");
  CHECK(many.problems()[0] == "a.toml:1:1: cell[1].a\\nb: unknown key");
}
