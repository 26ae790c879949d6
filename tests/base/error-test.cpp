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

TEST_CASE(
    "printable escapes what would drive a terminal: C0, DEL, C1, bidirectional controls, non-UTF-8 bytes") {
  // ESC ] 0 ; ... BEL retitles the window; U+009B is CSI (ECMA-48); U+202E reverses the line.
  CHECK(printable("Kent\x1b]0;owned\x07") == "Kent\\x1B]0;owned\\x07");
  CHECK(printable("Avon\xC2\x9B"
                  "2J") == "Avon\\u009B2J");
  CHECK(printable("Evil\xE2\x80\xAE"
                  "ecrof") == "Evil\\u202Eecrof");
  CHECK(printable("a\xE2\x81\xA6"
                  "b\xE2\x81\xA9") == "a\\u2066b\\u2069");
  CHECK(printable("Caf\xE9 \x9B") == "Caf\\xE9 \\x9B");  // Latin-1 bytes: 0x9B is CSI to such a terminal
  CHECK(printable("x\b\by") == "x\\x08\\x08y");
  // Letters, symbols and right-to-left letters themselves are text, kept as they are.
  CHECK(printable("Ynys Môn ± 5% \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D") ==
        "Ynys Môn ± 5% \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D");
}

TEST_CASE("InputErrors lists the first 50 problems and says how many more there were") {
  std::vector<std::string> problems;
  for (int i = 1; i <= 300; ++i) problems.push_back("f.csv:1: column " + std::to_string(i) + " is wrong");
  const InputErrors e(problems);
  REQUIRE(e.problems().size() == 51);
  CHECK(e.problems()[49] == "f.csv:1: column 50 is wrong");
  CHECK(e.problems()[50] == "... and 250 more problems of the same input");
}
