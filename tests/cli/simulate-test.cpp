// CLI tests for `inspectsim simulate`: run the real binary on the shipped scenarios.
#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "inspectsim/base/io.hpp"
#include "inspectsim/simulate/writers.hpp"
#include "support/support.hpp"

using inspectsim::test::check_refusals;
using inspectsim::test::read_file;
using inspectsim::test::run_inspectsim;
using inspectsim::test::RunResult;
using inspectsim::test::source_path;
using inspectsim::test::TempDir;

namespace {

// The replicate count of the golden files (scripts/update-golden uses the same).
const std::string golden_replicates = "2000";

std::vector<std::string> simulate_args(const std::string& scenario, std::vector<std::string> extra) {
  std::vector<std::string> args{"simulate", source_path("scenarios/" + scenario + ".toml"), "--replicates",
                                golden_replicates, "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Where two JSON documents first differ ("" when they agree): same structure and strings, numbers
// equal to a relative 1e-12 (the run is deterministic; the tolerance only forgives last-digit
// differences between maths libraries).
std::string first_difference(const nlohmann::json& expected, const nlohmann::json& actual,
                             const std::string& where) {
  if (expected.is_number() && actual.is_number()) {
    const double e = expected.get<double>();
    const double a = actual.get<double>();
    if (std::abs(e - a) <= 1e-12 * std::max(1.0, std::abs(e))) return "";
    return where + ": expected " + expected.dump() + ", got " + actual.dump();
  }
  if (expected.type() != actual.type() || expected.size() != actual.size())
    return where + ": expected " + expected.dump().substr(0, 80) + ", got " + actual.dump().substr(0, 80);
  if (expected.is_object()) {
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k)) return where + "." + k + ": missing";
      if (auto d = first_difference(v, actual[k], where + "." + k); !d.empty()) return d;
    }
  } else if (expected.is_array()) {
    for (std::size_t i = 0; i < expected.size(); ++i)
      if (auto d = first_difference(expected[i], actual[i], where + "[" + std::to_string(i) + "]");
          !d.empty())
        return d;
  } else if (expected != actual) {
    return where + ": expected " + expected.dump() + ", got " + actual.dump();
  }
  return "";
}

}  // namespace

TEST_CASE("simulate hampshire-2018: the readable summary") {
  const auto r = run_inspectsim(simulate_args("hampshire-2018", {}));
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());  // stderr is not a terminal: no progress bar
  CHECK(r.out.starts_with("Hampshire 2018: how reliable were the cancelled-crime figures?\n"));
  CHECK(r.out.find("seed 2018, 2000 replicates per point, 95% two-sided intervals") != std::string::npos);
  CHECK(r.out.find("Point 2: Hampshire / other sexual offences\n") != std::string::npos);
  CHECK(r.out.find("\nIn plain words:\n") != std::string::npos);
  // Binomial(17, 9/17): P(X = 0) = (8/17)^17 = 2.8e-6, shown as 0.0%.
  CHECK(r.out.find("no wrong record found in 0.0%") != std::string::npos);
}

TEST_CASE("simulate --format csv and json") {
  const auto c = run_inspectsim(simulate_args("zero-errors-audit", {"--format", "csv"}));
  REQUIRE(c.exit_code == 0);
  std::string header;
  for (const auto& col : inspectsim::simulate::simulation_csv_columns())
    header += (header.empty() ? "" : ",") + col;
  CHECK(c.out.starts_with(header + "\n"));
  CHECK(std::count(c.out.begin(), c.out.end(), '\n') == 1 + 4 * 4);  // 4 true rates x 4 methods

  const auto j = run_inspectsim(simulate_args("zero-errors-audit", {"--format", "json"}));
  REQUIRE(j.exit_code == 0);
  const auto doc = nlohmann::json::parse(j.out);
  const std::string path = source_path("scenarios/zero-errors-audit.toml");
  CHECK(doc["scenario"]["path"] == path);
  CHECK(doc["scenario"]["sha256"] == inspectsim::base::sha256_hex(read_file(path)));
  CHECK(doc["seed"] == 20);
  CHECK(doc["replicates"] == 2000);
  CHECK(doc["version"] == "0.1.0");
  REQUIRE(doc["points"].size() == 4);
  // "0 of 20" when the true rate is 2%, 5%, 10%, 15%: exactly (1 - p)^20 (the binomial law).
  const double rates[] = {0.02, 0.05, 0.10, 0.15};
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    const double p0 = std::pow(1 - rates[i], 20);
    CHECK(doc["points"][i]["exact_count_distribution"][0].get<double>() ==
          doctest::Approx(p0).epsilon(1e-12));
    // Simulated within 4 Monte Carlo standard errors of it.
    const double se = std::sqrt(p0 * (1 - p0) / 2000);
    CHECK(std::abs(doc["points"][i]["count_distribution"][0].get<double>() - p0) <= 4 * se);
  }
}

TEST_CASE("--seed and --replicates override the file, the result does not depend on --threads") {
  const auto one = run_inspectsim(simulate_args("two-forces", {"--format", "json", "--threads", "1"}));
  const auto two = run_inspectsim(simulate_args("two-forces", {"--format", "json", "--threads", "2"}));
  const auto seven = run_inspectsim(simulate_args("two-forces", {"--format", "json", "--threads", "7"}));
  REQUIRE(one.exit_code == 0);
  CHECK(one.out == two.out);
  CHECK(one.out == seven.out);
  CHECK(one.out.find("thread") == std::string::npos);

  const auto other = run_inspectsim(simulate_args("two-forces", {"--format", "json", "--seed", "5"}));
  REQUIRE(other.exit_code == 0);
  CHECK(other.out != one.out);
  const auto doc = nlohmann::json::parse(other.out);
  CHECK(doc["seed"] == 5);           // the file says 4
  CHECK(doc["replicates"] == 2000);  // the file says 100000
  CHECK(doc["points"][0]["replicates"] == 2000);
}

TEST_CASE("leagues: byte-identical JSON for 1, 2 and 4 threads, random ties included, and a CSV section") {
  TempDir dir;
  // The national league with random ties, so the tie-breaking draws are part of what must agree.
  std::string text = read_file(source_path("scenarios/national-league.toml"));
  const std::size_t at = text.find("ties = \"shared\"");
  REQUIRE(at != std::string::npos);
  text.replace(at, 15, "ties = \"random\"");
  const std::string path = dir.file("random-league.toml");
  {
    std::ofstream f(path);
    f << text;
  }
  auto run = [&](const std::string& threads) {
    return run_inspectsim(
        {"simulate", path, "--replicates", "9000", "--quiet", "--format", "json", "--threads", threads});
  };
  const auto one = run("1");
  REQUIRE(one.exit_code == 0);
  CHECK(one.out == run("2").out);
  CHECK(one.out == run("4").out);
  const auto doc = nlohmann::json::parse(one.out);
  REQUIRE(doc["leagues"].size() == 1);
  CHECK(doc["leagues"][0]["ties"] == "random");
  CHECK(doc["leagues"][0]["size"] == 43);
  double exact = 0;
  for (const auto& m : doc["leagues"][0]["members"]) exact += m["p_ranked_worst_exact"].get<double>();
  CHECK(exact == doctest::Approx(1.0).epsilon(1e-9));

  const auto csv =
      run_inspectsim(simulate_args("national-league", {"--format", "csv", "--csv-section", "leagues"}));
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.starts_with(
      "league,size,ties,point,force,category,sample,true_rate,true_rank,p_ranked_worst,p_ranked_worst_se,"
      "p_ranked_worst_exact,mean_rank,mean_rank_se,p_rank_top3\n\"other sexual offences, 43 "
      "forces\",43,shared,1,"
      "Avon and Somerset,other sexual offences,17,"));
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 44);
  check_refusals({{{"simulate", path, "--format", "csv", "--csv-section", "league"},
                   "inspectsim: --csv-section is 'league', but must be points, comparisons or leagues; did "
                   "you mean 'leagues'?\n"}});
}

TEST_CASE("--output writes the file atomically and nothing to stdout") {
  TempDir dir;
  const std::string out = dir.file("result.json");
  {
    std::ofstream old(out);
    old << "old content";
  }
  const auto r = run_inspectsim(simulate_args("hampshire-2018", {"--format", "json", "--output", out}));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  const auto direct = run_inspectsim(simulate_args("hampshire-2018", {"--format", "json"}));
  CHECK(read_file(out) == direct.out);
  // No temporary file left beside it.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);

  const auto bad =
      run_inspectsim(simulate_args("hampshire-2018", {"--output", dir.file("missing/result.txt")}));
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err.find(dir.file("missing/result.txt")) != std::string::npos);
}

TEST_CASE("a bad scenario: exit 2, every problem on its own line, nothing on stdout") {
  TempDir dir;
  const std::string path = dir.file("bad.toml");
  {
    std::ofstream f(path);
    f << "replicates = 0\n\n[[cell]]\nforce = \"A\"\ncategory = \"c\"\ntrue_rat = 0.5\nsample = "
         "40\npopulation = 30\n";
  }
  const auto r = run_inspectsim({"simulate", path});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "inspectsim: " + path + ":1:14: replicates: is 0, but must be >= 1\n" + "inspectsim: " + path +
            ":3:1: cell[1].true_rate: missing; the share of wrong records: a rate, "
            "a list, a sweep or a beta\n" +
            "inspectsim: " + path + ":6:1: cell[1].true_rat: unknown key; did you mean 'true_rate'?\n" +
            "inspectsim: " + path + ":7:10: cell[1].sample: is 40, but must be <= population (30)\n");

  const auto syntax = run_inspectsim({"simulate", dir.file("absent.toml")});
  CHECK(syntax.exit_code == 2);
  CHECK(syntax.err.starts_with("inspectsim: " + dir.file("absent.toml")));
}

TEST_CASE("bad options: exit 2 naming the option") {
  const std::string scenario = source_path("scenarios/hampshire-2018.toml");
  check_refusals({
      {{"simulate", scenario, "--replicates", "0"},
       "inspectsim: --replicates is 0, but must be a whole number from 1 to 9223372036854775807\n"},
      {{"simulate", scenario, "--seed", "-1"},
       "inspectsim: --seed is -1, but must be a whole number from 0 to 9223372036854775807\n"},
      {{"simulate", scenario, "--threads", "0"},
       "inspectsim: --threads is 0, but must be a whole number from 1 to 1024\n"},
  });
  const auto f =
      run_inspectsim({"simulate", source_path("scenarios/hampshire-2018.toml"), "--format", "xml"});
  CHECK(f.exit_code == 2);
  CHECK(f.err.find("--format") != std::string::npos);
  CHECK(run_inspectsim({"simulate"}).exit_code == 2);
}

TEST_CASE("Ctrl-C: exit 130 with a message, no output written") {
  TempDir dir;
  const std::string out = dir.file("result.json");
  // 10^12 replicates would take days (so --max-work must allow it): the run is certainly still
  // going when SIGINT arrives.
  const auto r = inspectsim::test::run_inspectsim_signalled(
      {"simulate", source_path("scenarios/bench-national.toml"), "--replicates", "1000000000000",
       "--max-work", "1e16", "--output", out},
      SIGINT, 300);
  CHECK(r.exit_code == 130);
  CHECK(r.out.empty());
  CHECK(r.err == "inspectsim: interrupted: the run was stopped before it finished; nothing was written\n");
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("golden files: every shipped scenario at 2000 replicates matches tests/golden/") {
  // Regenerate only deliberately, with scripts/update-golden, and say why in the commit.
  const auto names = inspectsim::test::shipped_scenarios();
  CHECK(names.size() == 9);
  for (const std::string& name : names) {
    CAPTURE(name);
    const auto r = run_inspectsim(simulate_args(name, {"--format", "json"}));
    REQUIRE(r.exit_code == 0);
    auto actual = nlohmann::json::parse(r.out);
    const auto expected = nlohmann::json::parse(read_file(source_path("tests/golden/" + name + ".json")));
    // The golden was written from the source root with a relative path, by an earlier version maybe.
    CHECK(actual["scenario"]["path"] == source_path(expected["scenario"]["path"].get<std::string>()));
    actual["scenario"]["path"] = expected["scenario"]["path"];
    actual["version"] = expected["version"];
    CHECK(first_difference(expected, actual, name) == "");
  }
}

TEST_CASE("--from-results: the emitted scenario, run again, gives the same output") {
  TempDir dir;
  const std::string results = source_path("scenarios/data/hmicfrs-cancelled-crimes.csv");
  const std::string emitted = dir.file("if-true.toml");
  const auto e = run_inspectsim({"simulate", "--from-results", results, "--emit-scenario", "--replicates",
                                 "4096", "--seed", "5", "--output", emitted});
  REQUIRE(e.exit_code == 0);
  const auto direct = run_inspectsim({"simulate", "--from-results", results, "--replicates", "4096", "--seed",
                                      "5", "--format", "json", "--quiet"});
  const auto rerun = run_inspectsim({"simulate", emitted, "--format", "json", "--quiet"});
  REQUIRE(direct.exit_code == 0);
  REQUIRE(rerun.exit_code == 0);
  auto a = nlohmann::json::parse(direct.out);
  auto b = nlohmann::json::parse(rerun.out);
  // The same text, so the same SHA-256; only the name differs.
  CHECK(a["scenario"]["sha256"] == b["scenario"]["sha256"]);
  CHECK(a["scenario"]["path"] == results + " (as a scenario)");
  a.erase("scenario");
  b.erase("scenario");
  CHECK(a == b);
  // Hampshire's 9 of 17 heads its league.
  bool found = false;
  for (const auto& l : a["leagues"])
    if (l["name"] == "CDI 2018: other sexual offences") {
      found = true;
      CHECK(l["members"][0]["force"] == "Hampshire");
      CHECK(l["members"][0]["true_rank"] == 1);
    }
  CHECK(found);
}

TEST_CASE("--from-results and FILE: one of them, and its options only with it") {
  const std::string scenario = source_path("scenarios/hampshire-2018.toml");
  const std::string results = source_path("scenarios/data/hmicfrs-cancelled-crimes.csv");
  check_refusals({
      {{"simulate"}, "inspectsim: give a scenario FILE or --from-results RESULTS.csv\n"},
      {{"simulate", scenario, "--from-results", results},
       "inspectsim: give a scenario FILE or --from-results, not both\n"},
      {{"simulate", scenario, "--truth", "shrunk"}, "inspectsim: --truth needs --from-results\n"},
      {{"simulate", scenario, "--sample", "20"}, "inspectsim: --sample needs --from-results\n"},
      {{"simulate", "--from-results", results, "--truth", "shrunken"},
       "inspectsim: --truth is 'shrunken', but must be observed or shrunk; did you mean 'shrunk'?\n"},
      {{"simulate", "--from-results", results, "--sample", "0"},
       "inspectsim: --sample is 0, but must be a whole number from 1 to 100000\n"},
      {{"simulate", "--from-results", results, "--grades", "good:0.1,:0.2,poor"},
       "inspectsim: --grades is 'good:0.1,:0.2,poor', but every band needs a name: NAME:UPPER,...,NAME, e.g. "
       "'good:0.05,requires improvement:0.15,inadequate'\n"},
  });
}

TEST_CASE("--checkpoint: killed at random moments and resumed, the output is byte-identical") {
  TempDir dir;
  inspectsim::test::check_killed_and_resumed({"simulate", source_path("scenarios/national-league.toml"),
                                              "--replicates", "2400000", "--format", "json", "--quiet"},
                                             dir.file("run.checkpoint"), 31);
}

TEST_CASE(
    "--checkpoint: SIGTERM saves the progress and says how to resume, and a stale checkpoint is refused") {
  TempDir dir;
  const std::string checkpoint = dir.file("run.checkpoint");
  const std::vector<std::string> args{"simulate",     source_path("scenarios/national-league.toml"),
                                      "--replicates", "100000000",
                                      "--quiet",      "--checkpoint",
                                      checkpoint};
  const RunResult r = inspectsim::test::run_inspectsim_signalled(args, SIGTERM, 300);
  CHECK(r.exit_code == 128 + SIGTERM);
  CHECK(r.out.empty());
  CHECK(r.err == "inspectsim: interrupted; the progress so far is in the checkpoint '" + checkpoint +
                     "': run the same command again to resume\n");
  REQUIRE(std::filesystem::exists(checkpoint));
  const std::string national =
      inspectsim::base::sha256_hex(read_file(source_path("scenarios/national-league.toml")));
  const std::string hampshire =
      inspectsim::base::sha256_hex(read_file(source_path("scenarios/hampshire-2018.toml")));
  check_refusals({
      {{"simulate", source_path("scenarios/national-league.toml"), "--replicates", "100000000", "--seed", "1",
        "--checkpoint", checkpoint},
       "inspectsim: checkpoint '" + checkpoint +
           "' is of a run with seed 2018, but this run's seed is 1: remove it (or give another checkpoint "
           "path) "
           "to start the run afresh\n"},
      {{"simulate", source_path("scenarios/hampshire-2018.toml"), "--replicates", "100000000", "--checkpoint",
        checkpoint},
       "inspectsim: checkpoint '" + checkpoint + "' is of a run of another input (SHA-256 " +
           national.substr(0, 40) + "...), but this run's input has SHA-256 " + hampshire +
           ": remove it (or give another checkpoint path) to start the run afresh\n"},
      {{"simulate", source_path("scenarios/hampshire-2018.toml"), "--checkpoint-interval", "5"},
       "inspectsim: --checkpoint-interval needs --checkpoint\n"},
      {{"simulate", source_path("scenarios/hampshire-2018.toml"), "--checkpoint", dir.file("no/such/dir/c")},
       "inspectsim: checkpoint '" + dir.file("no/such/dir/c") + "': cannot write " +
           dir.file("no/such/dir/.c.partial") + ": No such file or directory\n"},
  });
}
