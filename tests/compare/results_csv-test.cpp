// Tests for include/inspectsim/results_csv.hpp.
#include "inspectsim/compare/results_csv.hpp"

#include <cmath>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::compare;

namespace {
// The problems of a file that must not parse, one per line.
std::vector<std::string> problems(const std::string& text) {
  try {
    parse_results_csv(text, "r.csv");
  } catch (const InputErrors& e) {
    return e.problems();
  } catch (const InputError& e) {
    return {e.what()};
  }
  return {};
}
}  // namespace

TEST_CASE("counts, any column order and case, extra columns carried through") {
  const auto t = parse_results_csv(
      "Incorrect,FORCE,grade,Category,inspection,Sampled,source,Population\n"
      "9,Hampshire,RI,other sexual offences,CDI 2018,17,https://example.org/a,60\n"
      "1,\"Avon & Somerset, North\",Good,\"rape, robbery\",CDI 2018,20,,\n",
      "r.csv");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.extra_columns == std::vector<std::string>{"grade"});
  const ResultRow& a = t.rows[0];
  CHECK(a.line == 2);
  CHECK(a.force == "Hampshire");
  CHECK(a.inspection == "CDI 2018");
  CHECK(a.category == "other sexual offences");
  CHECK(a.sampled == 17);
  CHECK(a.incorrect == 9);
  CHECK(a.population == 60);
  CHECK(a.source == "https://example.org/a");
  CHECK(a.extra == std::vector<std::string>{"RI"});
  CHECK_FALSE(a.approximate());
  CHECK(t.rows[1].force == "Avon & Somerset, North");
  CHECK(t.rows[1].category == "rape, robbery");
  CHECK_FALSE(t.rows[1].population.has_value());
}

TEST_CASE("a published recording rate becomes an approximate count") {
  // 91.3% recorded correctly +- 1.43 points (HMICFRS, Hampshire 2018): the share wrong is 8.7%;
  // n = 1.959964^2 x 0.913 x 0.087 / 0.0143^2 = 1492.1 -> 1492; wrong = 0.087 x 1492 = 129.8 -> 130.
  const auto t = parse_results_csv(
      "force,inspection,category,rate,halfwidth,rate_of,sampled\n"
      "Hampshire,CDI 2018,all crime,91.3,1.43,correct,\n"
      "Thames Valley,CDI 2017,all crime,80.4,1.75,Correct,1970\n",
      "r.csv");
  REQUIRE(t.rows.size() == 2);
  const ResultRow& h = t.rows[0];
  REQUIRE(h.approximate());
  CHECK(h.sampled == 1492);
  CHECK(h.incorrect == 130);
  CHECK(h.published->of_correct);
  CHECK(h.published->percent);
  CHECK(h.published->rate == doctest::Approx(0.913));
  CHECK(*h.published->halfwidth == doctest::Approx(0.0143));
  CHECK(h.published->effective_n == doctest::Approx(1492.14).epsilon(1e-4));
  // With the sample size given, the rate is applied to it: 0.196 x 1970 = 386.1 -> 386.
  CHECK(t.rows[1].sampled == 1970);
  CHECK(t.rows[1].incorrect == 386);
  CHECK(t.rows[1].approximate());
}

TEST_CASE("rates as shares, or with %, and rates of incorrect records") {
  // All bare rates <= 1: shares. 0.2 +- 0.05: n = 1.959964^2 x 0.16 / 0.0025 = 245.9 -> 246, wrong 49.2
  // -> 49.
  const auto s = parse_results_csv(
      "force,inspection,category,rate,halfwidth,rate_of\nA,I,c,0.2,0.05,incorrect\nB,I,c,20%,5%,incorrect\n",
      "r.csv");
  CHECK(s.rows[0].sampled == 246);
  CHECK(s.rows[0].incorrect == 49);
  CHECK_FALSE(s.rows[0].published->percent);
  CHECK(s.rows[1].sampled == 246);
  CHECK(s.rows[1].published->percent);
}

TEST_CASE("every bad row is reported, each as file:line: column: problem") {
  const auto p = problems(
      "force,inspection,category,sampled,incorrect,population\n"
      "Kent,CDI 2017,rape,17,18,\n"     // incorrect > sampled
      "Kent,CDI 2017,robbery,2.5,1,\n"  // non-integer
      "Kent,CDI 2017,violence,,1,\n"    // missing sampled
      ",CDI 2017,other,10,1,\n"         // missing force
      "Kent,CDI 2017,arson,10,1,5\n"    // population < sampled
      "Kent,CDI 2017,fraud,10,-1,\n"    // negative
      "Kent,CDI 2017,burglary,10,1\n"   // too few fields
      "Kent,CDI 2017,theft,10,1,\n"
      "Kent,CDI 2017,theft,12,2,\n"   // duplicate
      "Kent,CDI 2017,drugs,0,0,\n");  // sampled 0
  const std::vector<std::string> expected{
      "r.csv:2: incorrect: is 18, but must be at most sampled (17)",
      "r.csv:3: sampled: is '2.5', but must be a whole number from 1 to 2147483647",
      "r.csv:4: sampled: missing; must be a whole number from 1 to 2147483647",
      "r.csv:5: force: missing; every row needs a force",
      "r.csv:6: population: is 5, but must be at least sampled (10)",
      "r.csv:7: incorrect: is -1, but must be a whole number from 0 to 2147483647",
      "r.csv:8: row: has 5 fields, but the header has 6 (quote fields that contain commas)",
      "r.csv:10: force/inspection/category: 'Kent / CDI 2017 / theft' is already on line 9",
      "r.csv:11: sampled: is 0, but must be a whole number from 1 to 2147483647",
  };
  CHECK(p == expected);
}

TEST_CASE("bad rates are reported by column") {
  const auto p = problems(
      "force,inspection,category,rate,halfwidth,rate_of,incorrect,sampled\n"
      "A,I,c,91.3,1.4,right,,\n"
      "B,I,c,120,1.4,correct,,\n"
      "C,I,c,ninety,1.4,correct,,\n"
      "D,I,c,90,,correct,,\n"
      "E,I,c,90,-2,correct,,\n"
      "F,I,c,90,1.4,correct,3,20\n"
      "G,I,c,,,,,\n");
  const std::vector<std::string> expected{
      "r.csv:2: rate_of: is 'right', but must be 'correct' (a recording rate) or 'incorrect'",
      "r.csv:3: rate: is 120, but must be strictly between 0% and 100%",
      "r.csv:4: rate: is 'ninety', but must be a number (a share, or a percentage)",
      "r.csv:5: halfwidth: missing; a rate needs its 95% half-width (or the sample size in sampled)",
      "r.csv:6: halfwidth: is '-2', but must be a positive number",
      "r.csv:7: rate: is given with incorrect; give either counts (sampled, incorrect) or a published rate",
      "r.csv:8: incorrect: missing; give counts in sampled and incorrect, or a published rate",
  };
  CHECK(p == expected);
}

TEST_CASE("header problems") {
  CHECK(problems("force,inspection,sampled,incorrect,Force\nA,I,1,0,B\n") ==
        std::vector<std::string>{"r.csv:1: header: column 'force' appears twice (columns 1 and 5)",
                                 "r.csv:1: header: missing column 'category'"});
  CHECK(problems("force,inspection,category,sampled\nA,I,c,1\n") ==
        std::vector<std::string>{
            "r.csv:1: header: missing column 'incorrect' (or 'rate' for published rates)"});
  CHECK(problems("force,inspection,category,rate,halfwidth\nA,I,c,0.1,0.01\n") ==
        std::vector<std::string>{"r.csv:1: header: missing column 'rate_of' (whether each rate is the share "
                                 "'correct' or 'incorrect')"});
  CHECK(problems("force,inspection,category,incorrect,,sampled\nA,I,c,1,,2\n") ==
        std::vector<std::string>{"r.csv:1: header: column 5 has no name"});
  CHECK(problems("") == std::vector<std::string>{"r.csv: the file is empty; expected a header row naming the "
                                                 "columns force, inspection, category, sampled, incorrect"});
  CHECK(problems("force,inspection,category,sampled,incorrect\n\n") ==
        std::vector<std::string>{"r.csv: no data rows after the header"});
}
