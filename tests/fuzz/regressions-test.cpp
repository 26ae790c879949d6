// Replays every input that ever made a fuzz target fail (tests/fuzz/regressions/<target>/), through
// the same functions the libFuzzer binaries call (tests/fuzz/targets.hpp), so fixed bugs stay fixed
// in every build, with or without clang; and checks that the targets' checks can fail.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "fuzz/targets.hpp"
#include "support/support.hpp"

namespace fs = std::filesystem;
using namespace inspectsim;

TEST_CASE("every kept fuzz input is handled: a result or a clear input error") {
  const fs::path root = test::source_path("tests/fuzz/regressions");
  int replayed = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    const std::string name = dir.path().filename().string();
    CAPTURE(name);
    fuzz::TargetFunction run = nullptr;
    REQUIRE_NOTHROW(run = fuzz::target(name));  // a directory for a target that no longer exists
    for (const auto& file : fs::directory_iterator(dir.path())) {
      std::ifstream in(file.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string input = ss.str();
      CAPTURE(file.path().string());
      CHECK(run(input) == "");
      ++replayed;
    }
  }
  MESSAGE("replayed " << replayed << " fuzz regression inputs");
}

TEST_CASE("the CLI target accepts results and input errors, and skips paths") {
  CHECK(fuzz::run_cli("assess", "9\n17") == "");
  CHECK(fuzz::run_cli("assess", "9\n17\n--format\njson") == "");
  CHECK(fuzz::run_cli("assess", "18\n17") == "");
  CHECK(fuzz::run_cli("assess", "--help") == "");
  CHECK(fuzz::run_cli("assess", "") == "");
  CHECK(fuzz::run_cli("assess", "1\n5\n--output\n/etc/passwd") == "");  // skipped: names a path
}

TEST_CASE("the compare target finds its data files in the working directory") {
  CHECK(fuzz::run_cli("compare", "data.csv\n--pairs\n--draws\n100") == "");
  CHECK(fuzz::run_cli("compare", "rates.csv\n--format\njson\n--draws\n100") == "");
  CHECK(fuzz::run_cli("compare", "missing.csv") == "");
}

TEST_CASE("the results-CSV target: the shipped files, and refusals that name the file") {
  const auto run = fuzz::target("results-csv");
  for (const char* file :
       {"scenarios/data/hmicfrs-cancelled-crimes.csv", "scenarios/data/hmicfrs-recording-rates.csv"}) {
    std::ifstream in(test::source_path(file), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    CAPTURE(file);
    CHECK(run(ss.str()) == "");
  }
  CHECK(run("") == "");
  CHECK(run("force,inspection,category,sampled,incorrect\nA,I,c,5,6\n") == "");
  CHECK(run("force,inspection,category,sampled,incorrect\nA,I,c,\"5,6\n") == "");
}

TEST_CASE("the simulate and plan targets run the scenario in the working directory, within a budget") {
  CHECK(fuzz::run_cli("simulate", "scenario.toml\n--format\njson") == "");
  CHECK(fuzz::run_cli("simulate", "scenario.toml\n--replicates\n1000000000000") == "");  // refused: exit 2
  CHECK(fuzz::run_cli("plan",
                      "scenario\nscenario.toml\n--cell\nB/rape\n--target\ncoverage:wilson>=0.9\n"
                      "--replicates\n500") == "");
  CHECK(fuzz::run_cli("plan", "claim\n--tolerable\n0.05") == "");
}

TEST_CASE("the scenario target accepts and simulates the shipped scenarios") {
  const auto run = fuzz::target("scenario");
  for (const auto& entry : fs::directory_iterator(test::source_path("scenarios"))) {
    if (entry.path().extension() != ".toml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    CAPTURE(entry.path().string());
    CHECK(run(ss.str()) == "");
  }
  CHECK(run("replicates = 0") == "");  // refused, naming fuzz.toml
  CHECK(run("[[cell]]\nforce = \"A\"\ncategory = \"c\"\ntrue_rate = 0.5\nsample = 5\n") == "");
}

TEST_CASE("the CLI target's output check finds NaN and infinity as words only") {
  CHECK(fuzz::find_non_finite("rate 0.5, width nan") == "nan");
  CHECK(fuzz::find_non_finite("{\"upper\": Infinity}") == "Infinity");
  CHECK(fuzz::find_non_finite("-inf,0.3") == "inf");
  CHECK(fuzz::find_non_finite("NaN") == "NaN");
  CHECK(fuzz::find_non_finite("financial information, nanny, infinite") == "");
  CHECK(fuzz::find_non_finite("") == "");
}

TEST_CASE("fuzz targets are found by name") {
  CHECK(fuzz::targets().size() >= 1);
  for (const auto& t : fuzz::targets()) CHECK((fuzz::target(t.name) == t.run));
  CHECK_THROWS_AS(fuzz::target("no-such-target"), std::invalid_argument);
}
