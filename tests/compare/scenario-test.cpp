// compare::scenario_from_results: published results as a scenario. The shipped CSVs become one
// cell per row with the row's share, size and population, one league per group of two or more;
// simulated, each cell's observed shares average the published share within Monte Carlo error.
#include "inspectsim/compare/scenario.hpp"

#include <cmath>
#include <map>
#include <string>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"
#include "inspectsim/compare/compare.hpp"
#include "inspectsim/compare/results_csv.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "inspectsim/simulate/simulate.hpp"
#include "support/support.hpp"

using namespace inspectsim;
using namespace inspectsim::compare;

namespace {

ResultsTable shipped(const std::string& name) {
  const std::string path = test::source_path("scenarios/data/" + name);
  return parse_results_csv(test::read_file(path), path);
}

}  // namespace

TEST_CASE("the shipped results as scenarios: every row a cell, every group of two or more a league") {
  for (const char* name : {"hmicfrs-cancelled-crimes.csv", "hmicfrs-recording-rates.csv"}) {
    CAPTURE(name);
    const ResultsTable table = shipped(name);
    ScenarioRequest req;
    req.replicates = 20000;
    const simulate::SimulationSpec spec =
        simulate::parse_scenario(scenario_from_results(table, req), "generated.toml");
    REQUIRE(spec.points.size() == table.rows.size());
    std::map<std::string, std::size_t> group_rows;
    for (const ResultRow& r : table.rows) ++group_rows[r.inspection + "\n" + r.category];
    std::size_t leagues = 0;
    for (const auto& [group, rows] : group_rows) leagues += rows >= 2;
    CHECK(spec.leagues.size() == leagues);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      const ResultRow& r = table.rows[i];
      const simulate::CellPoint& p = spec.points[i];
      CHECK(p.force == r.force);
      CHECK(p.truth.rate == static_cast<double>(r.incorrect) / static_cast<double>(r.sampled));  // to the bit
      CHECK(p.sample == r.sampled);
      CHECK(p.population == r.population);
      CHECK(p.grades.empty());
    }
    // A re-inspection of the same size finds, on average, the published share.
    const simulate::SimulationResult result = simulate::run(spec, simulate::RunOptions(2, base::Monitor{}));
    for (std::size_t i = 0; i < result.points.size(); ++i) {
      const double share = spec.points[i].truth.rate;
      const simulate::Estimate& mean = result.points[i].mean_share;
      CAPTURE(i);
      if (share == 0 || share == 1)
        CHECK(mean.value == share);
      else
        CHECK(std::abs(mean.value - share) <= 4.5 * mean.se);
    }
  }
}

TEST_CASE("one inspection: the categories as published, several: prefixed with the inspection") {
  const std::string one = "force,inspection,category,sampled,incorrect\nA,I,c,10,1\nB,I,c,12,2\n";
  ResultsTable t = parse_results_csv(one, "one.csv");
  simulate::SimulationSpec s = simulate::parse_scenario(scenario_from_results(t, {}), "x.toml");
  CHECK(s.points[0].category == "c");
  REQUIRE(s.leagues.size() == 1);
  CHECK(s.leagues[0].name == "c");
  t = parse_results_csv(one + "A,J,c,10,3\n", "two.csv");
  s = simulate::parse_scenario(scenario_from_results(t, {}), "x.toml");
  CHECK(s.points[0].category == "I: c");
  CHECK(s.points[2].category == "J: c");
  CHECK(s.leagues.size() == 1);  // J: c has one force
}

TEST_CASE("names the TOML could misread come through exactly") {
  const std::string csv =
      "force,inspection,category,sampled,incorrect\n"
      "\"Quote \"\" and \\\\ backslash\",I,\"a, b\",10,1\n"
      "\"Bad\"\" = 1 #\",I,\"a, b\",12,2\n"
      "Ynys Môn ✓,I,\"a, b\",12,2\n";
  const ResultsTable t = parse_results_csv(csv, "names.csv");
  const simulate::SimulationSpec s = simulate::parse_scenario(scenario_from_results(t, {}), "x.toml");
  REQUIRE(s.points.size() == 3);
  CHECK(s.points[0].force == "Quote \" and \\\\ backslash");
  CHECK(s.points[1].force == "Bad\" = 1 #");
  CHECK(s.points[2].force == "Ynys Môn ✓");
  CHECK(s.points[0].category == "a, b");
}

TEST_CASE("sample N, grades, seed and replicates, and refusals that name the row") {
  const ResultsTable t = parse_results_csv(
      "force,inspection,category,sampled,incorrect,population\nA,I,c,10,1,40\nB,I,c,12,2,\n", "p.csv");
  ScenarioRequest req;
  req.sample = 30;
  req.grades = {{"good", 0.05}, {"fair", 0.2}, {"poor", std::nullopt}};
  req.seed = 7;
  req.replicates = 5000;
  const simulate::SimulationSpec s = simulate::parse_scenario(scenario_from_results(t, req), "x.toml");
  CHECK(s.seed == 7);
  CHECK(s.replicates == 5000);
  CHECK(s.points[0].sample == 30);
  CHECK(s.points[0].population == 40);
  CHECK(s.points[1].sample == 30);
  REQUIRE(s.points[0].grades.size() == 3);
  CHECK(s.points[0].grades[1].name == "fair");
  CHECK(s.points[0].grades[1].upper == 0.2);
  CHECK_FALSE(s.points[0].grades[2].upper);

  req.sample = 41;
  CHECK_THROWS_WITH_AS(scenario_from_results(t, req),
                       "p.csv:2: sample is 41, but the row's population is 40; a re-inspection cannot review "
                       "more records than there are",
                       base::InputError);
  req.sample.reset();
  req.grades = {{"good", 0.2}, {"fair", 0.1}, {"poor", std::nullopt}};
  CHECK_THROWS_AS(scenario_from_results(t, req), base::InputError);
  req.grades = {{"good", 0.2}, {"poor", 0.5}};
  CHECK_THROWS_AS(scenario_from_results(t, req), base::InputError);
}

TEST_CASE("shrunk truths are the hierarchical model's posterior means, small groups keep their share") {
  const ResultsTable table = shipped("hmicfrs-cancelled-crimes.csv");
  ScenarioRequest req;
  req.truth = TruthFrom::shrunk;
  const simulate::SimulationSpec s = simulate::parse_scenario(scenario_from_results(table, req), "x.toml");
  CompareRequest cr;
  cr.draws = 1;
  const Comparison c = run(table, cr);
  std::size_t shrunk = 0;
  for (const GroupResult& g : c.groups)
    for (const RowResult& r : g.rows) {
      const ResultRow& row = table.rows[r.row];
      const double observed = static_cast<double>(row.incorrect) / static_cast<double>(row.sampled);
      CAPTURE(row.force);
      if (r.shrunk) {
        ++shrunk;
        CHECK(s.points[r.row].truth.rate == doctest::Approx(r.shrunk->estimate).epsilon(1e-15));
      } else {
        CHECK(g.rows.size() < min_shrinkage_units);
        CHECK(s.points[r.row].truth.rate == observed);
      }
      // Hampshire's 9 of 17, the highest of its group, is pulled down toward the others.
      if (row.force == "Hampshire" && row.category == "other sexual offences" && row.inspection == "CDI 2018")
        CHECK(s.points[r.row].truth.rate < observed);
    }
  CHECK(shrunk >= 15);
}
