// CLI tests of `--report PATH.html` (simulate and compare): the real binary writes one
// self-contained, well-formed page, atomically, beside its usual output.
#include <filesystem>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "support/support.hpp"

using namespace inspectsim::test;

namespace {

// Runs the command with `--report FILE` added; checks it succeeds, still prints its usual output
// and writes a well-formed page; returns the page.
std::string report_of(std::vector<std::string> args, const TempDir& dir) {
  const std::string report = dir.file("report.html");
  args.insert(args.end(), {"--report", report});
  const RunResult r = run_inspectsim(args);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err == "");
  CHECK_FALSE(r.out.empty());
  const std::string html = read_file(report);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(xml_problems(html) == "");
  return html;
}

// Runs the command with `--report` into a missing directory: exit 2, the path named, nothing written.
void check_unwritable(std::vector<std::string> args) {
  TempDir dir;
  const std::string report = dir.file("missing/report.html");
  args.insert(args.end(), {"--report", report});
  const RunResult r = run_inspectsim(args);
  CHECK(r.exit_code == 2);
  CHECK(r.out == "");
  CHECK(r.err == "inspectsim: " + report + ": cannot write: No such file or directory\n");
  CHECK_FALSE(std::filesystem::exists(report));
}

}  // namespace

TEST_CASE("compare --report writes the HTML report and still prints the table") {
  TempDir dir;
  const std::string html = report_of(
      {"compare", source_path("scenarios/data/hmicfrs-cancelled-crimes.csv"), "--draws", "500"}, dir);
  CHECK(html.find("<title>Funnel plot: CDI 2018, rape</title>") != std::string::npos);
  CHECK(html.find("<dt>Monte Carlo draws (ranks, totals)</dt><dd>500</dd>") != std::string::npos);
}

TEST_CASE("compare --report without --pairs still says how many pairs can be told apart (issue 16)") {
  TempDir dir;
  const std::string html = report_of(
      {"compare", source_path("scenarios/data/hmicfrs-cancelled-crimes.csv"), "--draws", "500"}, dir);
  // CDI 2018 other sexual offences: 2 of its 15 pairs (Hampshire's 9/17 against West and South
  // Yorkshire's 1/18 and 1/20) survive Holm's adjustment, as the --pairs table says.
  CHECK(
      html.find(
          "<th scope=\"row\">CDI 2018, other sexual offences</th><td class=\"num\" "
          "data-label=\"forces\">6</td>"
          "<td class=\"num\" data-label=\"pooled rate\">21.2%</td><td data-label=\"outside the 99.8% "
          "limits\">Hampshire (above)</td><td class=\"num\" data-label=\"pairs told apart\">2 of 15</td>") !=
      std::string::npos);
  CHECK(html.find("8 of 42 pairs of forces in the same group can be told apart after Holm") !=
        std::string::npos);
  // The pairs are counted, not listed: no pair table without --pairs.
  CHECK(html.find("Pairs of forces: ") == std::string::npos);
}

TEST_CASE("simulate --report writes the HTML report and still prints the table") {
  TempDir dir;
  const std::string html = report_of(
      {"simulate", source_path("scenarios/hampshire-2018.toml"), "--replicates", "500", "--quiet"}, dir);
  CHECK(html.find("<dt>Replicates</dt><dd>500</dd>") != std::string::npos);
  CHECK(html.find("<title>Observed count: Hampshire / rape</title>") != std::string::npos);
}

TEST_CASE("--report into a missing directory fails with the path and writes nothing") {
  check_unwritable({"compare", source_path("scenarios/data/hmicfrs-cancelled-crimes.csv"), "--draws", "100"});
  check_unwritable(
      {"simulate", source_path("scenarios/hampshire-2018.toml"), "--replicates", "100", "--quiet"});
}
