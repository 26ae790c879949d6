// CLI tests for `inspectsim compare`: run the real binary on the shipped data files.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "inspectsim/base/io.hpp"
#include "support/support.hpp"

using inspectsim::test::run_inspectsim;
using inspectsim::test::source_path;
using inspectsim::test::TempDir;

namespace {
const std::string k_cancelled = "scenarios/data/hmicfrs-cancelled-crimes.csv";
const std::string k_rates = "scenarios/data/hmicfrs-recording-rates.csv";

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}
}  // namespace

TEST_CASE("compare the shipped cancelled-crimes file: tables, changes and totals") {
  const auto r = run_inspectsim({"compare", source_path(k_cancelled), "--pairs"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("== CDI 2018 / other sexual offences: 6 forces, 24 of 113 wrong overall (21.2%) ==") !=
        std::string::npos);
  // Hampshire 9 of 17: Wilson 31.0% to 73.8% (Newcombe 1998a method 3), above both funnel limits.
  CHECK(r.out.find("Hampshire         9/17  52.9%  31.0% to 73.8%  above       above") != std::string::npos);
  CHECK(r.out.find("2 of 15 pairs can be told apart (Holm-adjusted Fisher p < 0.05).") != std::string::npos);
  CHECK(r.out.find("== Changes between inspections (later minus earlier) ==") != std::string::npos);
  CHECK(r.out.find("North Yorkshire  rape") != std::string::npos);
  CHECK(r.out.find("better") != std::string::npos);
}

TEST_CASE("compare the recording rates: approximate rows are marked") {
  const auto r = run_inspectsim({"compare", source_path(k_rates), "--group", "category", "--draws", "1000"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("56 approximate (~)") != std::string::npos);
  CHECK(r.out.find("Hampshire (CDI 2018)         ~130/1492") != std::string::npos);
  CHECK(r.out.find("~ approximate: counts derived from a published rate") != std::string::npos);
}

TEST_CASE("JSON provenance: version, seed, draws, input path and SHA-256, reproducible") {
  const std::string path = source_path(k_cancelled);
  const auto a = run_inspectsim({"compare", path, "--format", "json", "--seed", "7", "--draws", "500"});
  REQUIRE(a.exit_code == 0);
  const auto j = nlohmann::json::parse(a.out);
  CHECK(j["version"].is_string());
  CHECK(j["seed"] == 7);
  CHECK(j["draws"] == 500);
  CHECK(j["input"]["path"] == path);
  CHECK(j["input"]["sha256"] == inspectsim::base::sha256_hex(inspectsim::base::read_text_file(path)));
  CHECK(j["groups"].size() == 12);
  CHECK(a.out.find("NaN") == std::string::npos);
  const auto b = run_inspectsim({"compare", path, "--format", "json", "--seed", "7", "--draws", "500"});
  CHECK(a.out == b.out);
}

TEST_CASE("--output writes the file, --plot writes SVG charts, --format csv writes one section") {
  TempDir dir;
  const auto r =
      run_inspectsim({"compare", source_path(k_cancelled), "--format", "csv", "--csv-section", "changes",
                      "--output", dir.file("changes.csv"), "--plot", dir.file("plots")});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  std::ifstream in(dir.file("changes.csv"));
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().starts_with("force,category,from,to,"));
  CHECK(std::filesystem::exists(dir.file("plots/02-cdi-2018-other-sexual-offences-funnel.svg")));
  CHECK(std::filesystem::exists(dir.file("plots/02-cdi-2018-other-sexual-offences-caterpillar.svg")));
  CHECK(std::filesystem::exists(dir.file("plots/02-cdi-2018-other-sexual-offences-ranks.svg")));
}

TEST_CASE("a bad CSV: exit 2, every problem on stderr, nothing on stdout") {
  TempDir dir;
  const std::string path = dir.file("bad.csv");
  write(path,
        "force,inspection,category,sampled,incorrect\r\n"
        "Kent,CDI 2017,rape,17,18\r\n"
        "Kent,CDI 2017,robbery,x,1\r\n");
  const auto r = run_inspectsim({"compare", path});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  // Every problem, each naming file, line and column (one 'inspectsim:' line each, or joined).
  CHECK(r.err.starts_with("inspectsim: "));
  CHECK(r.err.find(path + ":2: incorrect: is 18, but must be at most sampled (17)\n") != std::string::npos);
  CHECK(r.err.find(path + ":3: sampled: is 'x', but must be a whole number from 1 to 2147483647\n") !=
        std::string::npos);
  const auto missing = run_inspectsim({"compare", dir.file("none.csv")});
  CHECK(missing.exit_code == 2);
  const auto opt = run_inspectsim({"compare", source_path(k_cancelled), "--diff-method", "score"});
  CHECK(opt.exit_code == 2);
  CHECK(opt.err ==
        "inspectsim: --diff-method is 'score', but must be newcombe, miettinen-nurminen, "
        "agresti-caffo or wald\n");
  const auto lv = run_inspectsim({"compare", source_path(k_cancelled), "--levels", "0.95,2"});
  CHECK(lv.err == "inspectsim: --levels is 2, but must be strictly between 0 and 1\n");
}

TEST_CASE("compare: a run over the work or memory budget stops before starting, saying how to raise it") {
  // 32 rows x 10^7 draws: about 3.0e10 units (per row and draw two totals' draws and a rank draw,
  // from tabled posteriors or, in the four groups the hierarchical model shrinks, the joint one).
  const std::string file = source_path(k_cancelled);
  const auto r = run_inspectsim({"compare", file, "--draws", "10000000", "--max-work", "1e10"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "inspectsim: " + file +
                     ": this run needs about 3.01e+10 units of work (32 rows x 10000000 draws; roughly 30 "
                     "seconds of one core), more than the budget of 1e+10; use fewer draws (--draws), or "
                     "raise the budget with --max-work 3.1e+10\n");
  const auto m = run_inspectsim({"compare", file, "--draws", "1000000", "--max-memory", "1"});
  CHECK(m.exit_code == 2);
  CHECK(m.err.find("this run needs about 32 MB of memory") != std::string::npos);
  CHECK(m.err.find("raise the budget with --max-memory 33") != std::string::npos);
  // Raised as the message says, the same run starts (a small one here, to keep the test short).
  const auto ok = run_inspectsim({"compare", file, "--draws", "1000", "--max-work", "3.1e10"});
  CHECK(ok.exit_code == 0);
  const auto bad = run_inspectsim({"compare", file, "--max-work", "0"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "inspectsim: --max-work is 0, but must be a positive number\n");
}

TEST_CASE("compare --rank-intervals simultaneous: intervals for all forces at once, the worst quarter") {
  const std::string path = source_path(k_cancelled);
  const auto r = run_inspectsim({"compare", path, "--rank-intervals", "simultaneous", "--category",
                                 "other sexual offences", "--draws", "500"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("all at once 95%") != std::string::npos);
  // CDI 2018: 6 forces; Holm over the 15 Fisher tests tells Hampshire's 9/17 apart from West and
  // South Yorkshire's 1/18 and 1/20 only (15 x 0.00198 and 14 x 0.00273 below 0.05, then 13 x 0.0103
  // against Cleveland is not), so its interval is ranks 1 to 4; the worst quarter is ranks 1 to 2.
  CHECK(r.out.find("0 forces can be placed in the worst quarter (ranks 1 to 2 of 6) with 95% confidence.") !=
        std::string::npos);
  const auto j = run_inspectsim({"compare", path, "--rank-intervals", "simultaneous", "--category",
                                 "other sexual offences", "--draws", "500", "--format", "json"});
  REQUIRE(j.exit_code == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["settings"]["rank_intervals"] == "simultaneous");
  const auto& g = doc["groups"][0];
  CHECK(g["rank_intervals"]["method"] == "holm-fisher");
  CHECK(g["rank_intervals"]["pairs_tested"] == 15);
  CHECK(g["rows"][0]["force"] == "Hampshire");
  CHECK(g["rows"][0]["simultaneous_rank"]["lower"] == 1);
  CHECK(g["rows"][0]["simultaneous_rank"]["upper"] == 4);
  const auto bad = run_inspectsim({"compare", path, "--rank-intervals", "joint"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err == "inspectsim: --rank-intervals is 'joint', but must be marginal or simultaneous\n");
}
