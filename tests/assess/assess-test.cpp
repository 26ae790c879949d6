// Tests for include/inspectsim/assess.hpp.
#include "inspectsim/assess/assess.hpp"
#include "inspectsim/assess/writers.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::stats;
using namespace inspectsim::output;
using namespace inspectsim::assess;

TEST_CASE("the plain sentence for 9 of 17 (Hampshire, 2018)") {
  AssessRequest r;
  r.x = 9;
  r.n = 17;
  const Assessment a = assess::run(r);
  CHECK(assessment_sentence(a) ==
        "9 of 17 (52.9%): the true rate is plausibly anywhere from 31.0% to 73.8% (95% Wilson interval).");
}

TEST_CASE("one-sided sentence: no errors in 20 records") {
  AssessRequest r;
  r.x = 0;
  r.n = 20;
  r.side = Side::upper;
  r.methods = {Method::clopper_pearson};
  CHECK(assessment_sentence(assess::run(r)) ==
        "0 of 20 (0.0%): the true rate is at most 13.9% (95% Clopper-Pearson bound).");
}

TEST_CASE("the hypergeometric row carries counts and rates") {
  AssessRequest r;
  r.x = 9;
  r.n = 17;
  r.population = 60;
  const Assessment a = assess::run(r);
  const auto& h = a.intervals.back();
  CHECK(h.method == "hypergeometric");
  REQUIRE(h.counts.has_value());
  CHECK(h.interval.lower == doctest::Approx(static_cast<double>(h.counts->lower) / 60));
  CHECK(h.interval.upper == doctest::Approx(static_cast<double>(h.counts->upper) / 60));
}

TEST_CASE("JSON has the documented fields, with null where a field does not apply") {
  AssessRequest r;
  r.x = 0;
  r.n = 20;
  r.methods = {Method::logit, Method::wilson};
  r.thresholds = {0.1};
  const auto j = nlohmann::json::parse(render_assessment(assess::run(r), Format::json));
  for (const char* key :
       {"x", "n", "population", "confidence", "side", "estimate", "intervals", "posterior", "version"})
    CHECK(j.contains(key));
  CHECK(j["population"].is_null());
  CHECK(j["intervals"][0]["method"] == "logit");
  CHECK(j["intervals"][0]["lower"].is_null());
  CHECK(j["intervals"][0]["note"].is_string());
  CHECK(j["intervals"][1]["lower_count"].is_null());
  CHECK(j["posterior"]["prior"] == nlohmann::json({0.5, 0.5}));
  CHECK(j["posterior"]["exceedance"][0]["threshold"] == 0.1);
}

TEST_CASE("CSV keeps one layout whatever the options") {
  AssessRequest r;
  r.x = 3;
  r.n = 19;
  const std::string csv = render_assessment(assess::run(r), Format::csv);
  CHECK(csv.starts_with(
      "x,n,population,confidence,side,estimate,method,lower,upper,lower_count,upper_count,note\n"));
  CHECK(csv.find("\n3,19,,0.95,two-sided,") != std::string::npos);
}
