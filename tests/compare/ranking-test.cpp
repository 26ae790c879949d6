// Tests for include/inspectsim/ranking.hpp.
#include "inspectsim/compare/ranking.hpp"

#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/beta.hpp>

#include "inspectsim/base/error.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::random;
using namespace inspectsim::compare;

TEST_CASE("rank probabilities sum to one over ranks and over units") {
  const std::vector<BetaPrior> post{{9.5, 8.5}, {1.5, 19.5}, {8.5, 12.5}, {3.5, 16.5}, {0.5, 20.5}};
  Engine e = make_stream(1, 0, 1);
  const auto ranks = simulate_ranks(post, 4000, e);
  REQUIRE(ranks.size() == 5);
  for (std::size_t r = 0; r < 5; ++r) {
    double by_unit = 0;
    for (const auto& s : ranks) by_unit += s.rank_probability[r];
    CHECK(by_unit == doctest::Approx(1.0));
  }
  double p_worst = 0;
  for (const auto& s : ranks) {
    double sum = 0, mean = 0;
    for (std::size_t r = 0; r < 5; ++r) {
      sum += s.rank_probability[r];
      mean += static_cast<double>(r + 1) * s.rank_probability[r];
    }
    CHECK(sum == doctest::Approx(1.0));
    CHECK(s.mean_rank == doctest::Approx(mean));
    CHECK(s.lower <= s.upper);
    CHECK(s.lower >= 1);
    CHECK(s.upper <= 5);
    p_worst += s.p_worst;
  }
  CHECK(p_worst == doctest::Approx(1.0));
}

TEST_CASE("ranks are reproducible with the seed and change with it") {
  const std::vector<BetaPrior> post{{9.5, 8.5}, {1.5, 19.5}, {8.5, 12.5}};
  Engine a = make_stream(42, 3, 1), b = make_stream(42, 3, 1), c = make_stream(43, 3, 1);
  const auto ra = simulate_ranks(post, 2000, a), rb = simulate_ranks(post, 2000, b),
             rc = simulate_ranks(post, 2000, c);
  for (std::size_t u = 0; u < 3; ++u) CHECK(ra[u].rank_probability == rb[u].rank_probability);
  CHECK(ra[0].rank_probability != rc[0].rank_probability);
  CHECK(ra[0].p_worst_three == 1.0);  // at most three units
}

TEST_CASE("P(worst) of two units matches P(theta1 > theta2) by numerical integration") {
  // P(theta1 > theta2) = integral of f1(t) F2(t) dt; Simpson's rule on 20000 intervals.
  const boost::math::beta_distribution<double> b1(9.5, 8.5), b2(8.5, 12.5);
  const int m = 20000;
  double integral = 0;
  for (int i = 0; i <= m; ++i) {
    const double t = static_cast<double>(i) / m;
    const double w = (i == 0 || i == m) ? 1 : (i % 2 == 1 ? 4 : 2);
    const double f = (t <= 0 || t >= 1) ? 0.0 : boost::math::pdf(b1, t) * boost::math::cdf(b2, t);
    integral += w * f;
  }
  integral /= 3.0 * m;
  const std::int64_t draws = 40000;
  Engine e = make_stream(5, 0, 1);
  const std::vector<BetaPrior> post{{9.5, 8.5}, {8.5, 12.5}};
  const auto ranks = simulate_ranks(post, draws, e);
  const double se = std::sqrt(integral * (1 - integral) / static_cast<double>(draws));
  CHECK(std::abs(ranks[0].p_worst - integral) < 4 * se);
  // Equal posteriors: a coin toss.
  Engine f = make_stream(5, 1, 1);
  const std::vector<BetaPrior> same{{3.5, 17.5}, {3.5, 17.5}};
  CHECK(std::abs(simulate_ranks(same, draws, f)[0].p_worst - 0.5) <
        4 * std::sqrt(0.25 / static_cast<double>(draws)));
}

TEST_CASE("ranking errors") {
  const std::vector<BetaPrior> post{{1, 1}};
  Engine e = make_stream(1, 0, 1);
  CHECK_THROWS_WITH_AS(simulate_ranks(post, 0, e), "draws is 0, but must be at least 1", InputError);
  const std::vector<BetaPrior> bad{{0, 1}};
  CHECK_THROWS_WITH_AS(simulate_ranks(bad, 10, e), "a posterior's Beta parameters must be positive",
                       InputError);
}
