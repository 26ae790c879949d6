// CLI tests of `--report PATH.html` (simulate and compare): the real binary writes one
// self-contained, well-formed page, atomically, beside its usual output.
#include <filesystem>
#include <string>

#include <doctest/doctest.h>

#include "support.hpp"

using namespace inspectsim::test;

TEST_CASE("compare --report writes the HTML report and still prints the table") {
  TempDir dir;
  const std::string report = dir.file("compare.html");
  const RunResult r = run_inspectsim({"compare", source_path("scenarios/data/hmicfrs-cancelled-crimes.csv"),
                                      "--draws", "500", "--report", report});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err == "");
  CHECK_FALSE(r.out.empty());
  const std::string html = slurp(report);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(xml_problems(html) == "");
  CHECK(html.find("<title>Funnel plot: CDI 2018, rape</title>") != std::string::npos);
  CHECK(html.find("<dt>Seed</dt>") != std::string::npos);
}

TEST_CASE("compare --report into a missing directory fails with the path and writes nothing") {
  TempDir dir;
  const std::string report = dir.file("no/such/dir/compare.html");
  const RunResult r = run_inspectsim({"compare", source_path("scenarios/data/hmicfrs-cancelled-crimes.csv"),
                                      "--draws", "100", "--report", report});
  CHECK(r.exit_code == 2);
  CHECK(r.out == "");
  CHECK(r.err == "inspectsim: " + report + ": cannot write: No such file or directory\n");
  CHECK_FALSE(std::filesystem::exists(report));
}
