// CLI tests for `inspectsim assess` and the program's global options: run the real binary.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "support/support.hpp"

using inspectsim::test::check_refusals;
using inspectsim::test::run_inspectsim;

TEST_CASE("assess 9 17 prints the table and the plain sentence") {
  const auto r = run_inspectsim({"assess", "9", "17"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("Clopper-Pearson") != std::string::npos);
  CHECK(r.out.find("9 of 17 (52.9%): the true rate is plausibly anywhere from 31.0% to 73.8% (95% Wilson "
                   "interval).") != std::string::npos);
}

TEST_CASE("assess --format json and csv") {
  const auto j = run_inspectsim({"assess", "3", "19", "--format", "json", "--methods", "all", "--population",
                                 "40", "--threshold", "0.25", "--threshold", "0.5"});
  REQUIRE(j.exit_code == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["intervals"].size() == 11);  // ten methods + hypergeometric
  CHECK(doc["intervals"][10]["method"] == "hypergeometric");
  CHECK(doc["intervals"][10]["lower_count"].is_number_integer());
  CHECK(doc["posterior"]["exceedance"].size() == 2);
  const auto c = run_inspectsim({"assess", "3", "19", "--format", "csv"});
  REQUIRE(c.exit_code == 0);
  CHECK(c.out.starts_with("x,n,population,confidence,side,estimate,method,"));
}

TEST_CASE("assess --side upper gives the 'at most' sentence") {
  const auto r = run_inspectsim({"assess", "0", "20", "--side", "upper", "--methods", "clopper-pearson"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("the true rate is at most 13.9% (95% Clopper-Pearson bound).") != std::string::npos);
}

TEST_CASE("bad input: exit 2, one line on stderr naming the value, nothing on stdout") {
  check_refusals({
      {{"assess", "18", "17"},
       "inspectsim: X (records found wrong) is 18, but must be a whole number from 0 to 17\n"},
      {{"assess", "0", "0"},
       "inspectsim: N (records sampled) is 0, but must be a whole number from 1 to 2147483647\n"},
      {{"assess", "-1", "5"},
       "inspectsim: X (records found wrong) is -1, but must be a whole number from 0 to 5\n"},
      {{"assess", "2.5", "5"},
       "inspectsim: X (records found wrong) is '2.5', but must be a whole number from 0 to 5\n"},
      {{"assess", "1", "5", "--confidence", "1"},
       "inspectsim: --confidence is 1, but must be strictly between 0 and 1\n"},
      {{"assess", "1", "5", "--population", "4"},
       "inspectsim: --population is 4, but must be a whole number from 5 to 2147483647\n"},
      {{"assess", "1", "5", "--methods", "wilsn"},
       "inspectsim: --methods lists 'wilsn', but each method must be wald, wald-cc, wilson, wilson-cc, "
       "agresti-coull, jeffreys, clopper-pearson, mid-p, likelihood-ratio, logit or all; did you mean "
       "'wilson'?\n"},
      {{"assess", "1", "5", "--threshold", "2"},
       "inspectsim: --threshold is 2, but must be between 0 and 1\n"},
      {{"assess", "1", "5", "--side", "both"},
       "inspectsim: --side is 'both', but must be two-sided, upper or lower\n"},
  });
}

TEST_CASE("usage errors exit 2") {
  CHECK(run_inspectsim({}).exit_code == 2);
  CHECK(run_inspectsim({"assess", "1"}).exit_code == 2);
  CHECK(run_inspectsim({"frobnicate"}).exit_code == 2);
  const auto f = run_inspectsim({"assess", "1", "5", "--format", "xml"});
  CHECK(f.exit_code == 2);
  CHECK(f.err.find("--format") != std::string::npos);
}

TEST_CASE("--version names the program and the libraries") {
  const auto r = run_inspectsim({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("inspectsim 0.1.0\n"));
  for (const char* lib : {"Boost", "Eigen", "CLI11", "toml++", "nlohmann-json"})
    CHECK(r.out.find(lib) != std::string::npos);
}
