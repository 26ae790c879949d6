// Tests for include/inspectsim/compare_plots.hpp.
#include "inspectsim/compare/plots.hpp"

#include <doctest/doctest.h>

#include "support/support.hpp"

using namespace inspectsim;
using namespace inspectsim::compare;

TEST_CASE("slugs are safe file names") {
  CHECK(slug("CDI 2014 (no-crime review), rape, robbery & violence") ==
        "cdi-2014-no-crime-review-rape-robbery-violence");
  CHECK(slug("***") == "group");
}

TEST_CASE("three well-formed charts per group, titled and naming the forces") {
  CompareRequest req;
  req.draws = 200;
  const Comparison c = compare::run(parse_results_csv("force,inspection,category,sampled,incorrect\n"
                                                      "Avon & Somerset,CDI 2018,rape,17,9\n"
                                                      "Kent,CDI 2018,rape,20,1\n"
                                                      "Kent,CDI 2019,rape,20,8\n",
                                                      "p.csv"),
                                    req);
  const auto plots = comparison_plots(c);
  REQUIRE(plots.size() == 6);
  CHECK(plots[0].name == "01-cdi-2018-rape-funnel.svg");
  CHECK(plots[1].name == "01-cdi-2018-rape-caterpillar.svg");
  CHECK(plots[5].name == "02-cdi-2019-rape-ranks.svg");
  for (const auto& p : plots) {
    CAPTURE(p.name);
    CHECK(inspectsim::test::xml_problems(p.svg) == "");
    CHECK(p.svg.find("<title>") != std::string::npos);
  }
  CHECK(plots[0].svg.find("Funnel plot: CDI 2018, rape") != std::string::npos);
  CHECK(plots[0].svg.find("Sample size") != std::string::npos);
  CHECK(plots[1].svg.find("Avon &amp; Somerset (rank 1-") != std::string::npos);
  CHECK(plots[2].svg.find(">Kent</text>") != std::string::npos);
}

TEST_CASE("slugs are bounded, so chart file names and their temporaries fit in 255 bytes") {
  CHECK(slug(std::string(300, 'c')).size() == max_slug_length);
  CHECK(slug(std::string(59, 'c') + "--ddd").size() <= max_slug_length);
  CHECK(slug(std::string(59, 'c') + "--ddd").back() != '-');
  CHECK(slug("CDI 2018, rape") == "cdi-2018-rape");
}
