// Tests for include/inspectsim/ranking.hpp.
#include "inspectsim/compare/ranking.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/random/beta.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::random;
using namespace inspectsim::compare;

TEST_CASE("rank probabilities sum to one over ranks and over units") {
  const std::vector<BetaPrior> post{{9.5, 8.5}, {1.5, 19.5}, {8.5, 12.5}, {3.5, 16.5}, {0.5, 20.5}};
  const Streams e{1, 0, 1};
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
  const Streams a{42, 3, 1}, b{42, 3, 1}, c{43, 3, 1};
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
  const Streams e{5, 0, 1};
  const std::vector<BetaPrior> post{{9.5, 8.5}, {8.5, 12.5}};
  const auto ranks = simulate_ranks(post, draws, e);
  const double se = std::sqrt(integral * (1 - integral) / static_cast<double>(draws));
  CHECK(std::abs(ranks[0].p_worst - integral) < 4 * se);
  // Equal posteriors: a coin toss.
  const Streams f{5, 1, 1};
  const std::vector<BetaPrior> same{{3.5, 17.5}, {3.5, 17.5}};
  CHECK(std::abs(simulate_ranks(same, draws, f)[0].p_worst - 0.5) <
        4 * std::sqrt(0.25 / static_cast<double>(draws)));
}

TEST_CASE("ranking errors") {
  const std::vector<BetaPrior> post{{1, 1}};
  const Streams e{1, 0, 1};
  CHECK_THROWS_WITH_AS(simulate_ranks(post, 0, e), "draws is 0, but must be at least 1", InputError);
  const std::vector<BetaPrior> bad{{0, 1}};
  CHECK_THROWS_WITH_AS(simulate_ranks(bad, 10, e), "a posterior's Beta parameters must be positive",
                       InputError);
}

TEST_CASE("P(worst) of three units matches the integral of f1 F2 F3 (Gauss-Kronrod) within 4.5 SE") {
  // P(theta_i is the largest) = integral_0^1 f_i(t) prod_{j != i} F_j(t) dt, by Boost.Math's adaptive
  // Gauss-Kronrod quadrature on the Beta densities and cdfs (independent of the sampler).
  const std::vector<BetaPrior> post{{4.5, 14.5}, {6.5, 12.5}, {3.5, 16.5}};
  std::vector<double> exact;
  for (std::size_t i = 0; i < post.size(); ++i) {
    auto integrand = [&](double t) {
      double v = boost::math::pdf(boost::math::beta_distribution<double>(post[i].a, post[i].b), t);
      for (std::size_t j = 0; j < post.size(); ++j)
        if (j != i) v *= boost::math::cdf(boost::math::beta_distribution<double>(post[j].a, post[j].b), t);
      return v;
    };
    exact.push_back(
        boost::math::quadrature::gauss_kronrod<double, 61>::integrate(integrand, 0.0, 1.0, 15, 1e-12));
  }
  CHECK(exact[0] + exact[1] + exact[2] == doctest::Approx(1.0).epsilon(1e-9));
  const std::int64_t draws = 50000;
  const auto ranks = simulate_ranks(post, draws, Streams{11, 0, 1});
  for (std::size_t i = 0; i < post.size(); ++i) {
    CAPTURE(i);
    const double se = std::sqrt(exact[i] * (1 - exact[i]) / static_cast<double>(draws));
    CHECK(std::abs(ranks[i].p_worst - exact[i]) < 4.5 * se);
  }
}

TEST_CASE("ranks are identical for any thread count and come from the (seed, job, block) streams alone") {
  const std::vector<BetaPrior> post{{9.5, 8.5},  {1.5, 19.5}, {8.5, 12.5},
                                    {3.5, 16.5}, {0.5, 20.5}, {4.5, 15.5}};
  // 7 blocks, the last one partial: split 7 ways, 4 + 3 and 3 + 2 + 2 (in whatever order the
  // threads take them).
  const std::int64_t draws = 6 * draws_per_block + 321;
  const Streams streams{2026, 5, 1};
  auto with = [&](unsigned threads) {
    base::RunOptions run;
    run.threads = threads;
    return simulate_ranks(post, draws, streams, 0.9, run);
  };
  const auto one = with(1), two = with(2), three = with(3), seven = with(7);
  for (std::size_t u = 0; u < post.size(); ++u) {
    CAPTURE(u);
    for (const auto* other : {&two, &three, &seven}) {
      CHECK((*other)[u].rank_probability == one[u].rank_probability);
      CHECK((*other)[u].mean_rank == one[u].mean_rank);
      CHECK((*other)[u].lower == one[u].lower);
      CHECK((*other)[u].upper == one[u].upper);
    }
  }
  // The same counts drawn by hand: block b from make_stream(seed, job, substream, b), every unit's
  // rate in order from BetaSampler, the highest rate taking rank 1.
  std::vector<std::int64_t> worst(post.size(), 0);
  for (std::uint64_t b = 0; b < blocks_of(draws); ++b) {
    Engine engine = make_stream(2026, 5, 1, b);
    const std::int64_t n = std::min(draws_per_block, draws - static_cast<std::int64_t>(b) * draws_per_block);
    for (std::int64_t d = 0; d < n; ++d) {
      std::size_t best = 0;
      double top = -1;
      for (std::size_t u = 0; u < post.size(); ++u) {
        const double rate = BetaSampler(post[u].a, post[u].b)(engine);
        if (rate > top) top = rate, best = u;
      }
      ++worst[best];
    }
  }
  for (std::size_t u = 0; u < post.size(); ++u)
    CHECK(one[u].p_worst == static_cast<double>(worst[u]) / static_cast<double>(draws));
}

TEST_CASE("a cancelled rank simulation stops with Interrupted") {
  const std::vector<BetaPrior> post{{9.5, 8.5}, {1.5, 19.5}};
  std::atomic<bool> cancel{true};
  base::RunOptions run;
  run.threads = 2;
  run.cancel = &cancel;
  CHECK_THROWS_AS(simulate_ranks(post, 100000, Streams{1, 0, 1}, 0.95, run), Interrupted);
}

TEST_CASE("a large group (ranked by std::sort) gives the same law: equal posteriors, equal chances") {
  // 70 units with one posterior: every rank equally likely for every unit, mean rank 35.5.
  const std::vector<BetaPrior> post(70, BetaPrior{3.5, 12.5});
  const std::int64_t draws = 4000;
  const auto ranks = simulate_ranks(post, draws, Streams{3, 0, 1});
  double p_worst = 0;
  for (const auto& s : ranks) {
    p_worst += s.p_worst;
    // Var(rank) = (I^2 - 1) / 12 for a uniform rank on 1..I.
    CHECK(std::abs(s.mean_rank - 35.5) <
          4.5 * std::sqrt((70.0 * 70.0 - 1) / 12 / static_cast<double>(draws)));
  }
  CHECK(p_worst == doctest::Approx(1.0));
}
