// Tests for include/inspectsim/ranking.hpp.
#include "inspectsim/compare/ranking.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/random/beta.hpp"
#include "inspectsim/random/rng.hpp"

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
  // rate in order from its BetaTable (built once per posterior), the highest rate taking rank 1.
  std::vector<BetaTable> tables;
  for (const BetaPrior& p : post) tables.emplace_back(p.a, p.b);
  std::vector<std::int64_t> worst(post.size(), 0);
  for (std::uint64_t b = 0; b < blocks_of(draws); ++b) {
    Engine engine = make_stream(2026, 5, 1, b);
    const std::int64_t n = std::min(draws_per_block, draws - static_cast<std::int64_t>(b) * draws_per_block);
    for (std::int64_t d = 0; d < n; ++d) {
      std::size_t best = 0;
      double top = -1;
      for (std::size_t u = 0; u < post.size(); ++u) {
        const double rate = tables[u](engine);
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

// ---------------------------------------------------------------------------------------------
// Simultaneous rank intervals

TEST_CASE("Holm's step-down adjustment") {
  // Holm (1979): sorted p = 0.01, 0.02, 0.04 with m = 3 -> 0.03, 0.04, 0.04 (monotone).
  CHECK(holm_adjust({0.04, 0.01, 0.02}) == std::vector<double>{0.04, 0.03, 0.04});
  CHECK(holm_adjust({0.5, 0.9}) == std::vector<double>{1.0, 1.0});
  CHECK(holm_adjust({}).empty());
}

namespace {

// Fisher's two-sided p by direct enumeration of the hypergeometric law, from binomial coefficients
// computed here (exact in a double for these sizes): the tables no more probable than the observed
// one, with R's relative tolerance 1e-7.
double choose(std::int64_t n, std::int64_t k) {
  double c = 1;
  for (std::int64_t i = 1; i <= k; ++i) c = c * static_cast<double>(n - k + i) / static_cast<double>(i);
  return c;
}
double enumerated_fisher(std::int64_t x1, std::int64_t n1, std::int64_t x2, std::int64_t n2) {
  const std::int64_t m = x1 + x2, total = n1 + n2;
  auto pk = [&](std::int64_t k) { return choose(m, k) * choose(total - m, n1 - k) / choose(total, n1); };
  const double observed = pk(x1);
  double p = 0;
  for (std::int64_t k = std::max<std::int64_t>(0, m - n2); k <= std::min(n1, m); ++k)
    if (pk(k) <= observed * (1 + 1e-7)) p += pk(k);
  return p;
}

}  // namespace

TEST_CASE("simultaneous rank intervals of four forces, worked by hand") {
  // A = 9/17 (Hampshire's headline), B = 1/20, C = 3/18, D = 0/19. Fisher's two-sided p by
  // enumeration: A-B 0.001982, A-C 0.035415, A-D 0.000258, B-C 0.328185, B-D 1, C-D 0.105019.
  const std::vector<Count> counts{{9, 17}, {1, 20}, {3, 18}, {0, 19}};
  const std::vector<PairTest> tests = pairwise_fisher(counts);
  REQUIRE(tests.size() == 6);
  const std::size_t pair_a[] = {0, 0, 0, 1, 1, 2}, pair_b[] = {1, 2, 3, 2, 3, 3};
  for (std::size_t k = 0; k < 6; ++k) {
    CHECK(tests[k].a == pair_a[k]);
    CHECK(tests[k].b == pair_b[k]);
    const Count& a = counts[pair_a[k]];
    const Count& b = counts[pair_b[k]];
    CHECK(tests[k].p == doctest::Approx(enumerated_fisher(a.x, a.n, b.x, b.n)).epsilon(1e-9));
  }
  CHECK(tests[0].p == doctest::Approx(0.0019820).epsilon(1e-4));
  CHECK(tests[1].p == doctest::Approx(0.0354150).epsilon(1e-4));
  CHECK(tests[2].p == doctest::Approx(0.000258223).epsilon(1e-4));
  // Holm over m = 6, sorted: A-D 0.000258 < 0.05/6 = 0.00833, reject; A-B 0.00198 < 0.05/5 = 0.01,
  // reject; A-C 0.0354 > 0.05/4 = 0.0125, stop. Adjusted: 6 x 0.000258 = 0.00155, 5 x 0.00198 =
  // 0.00991, 4 x 0.0354 = 0.1417, then max(0.1417, 3 x 0.1050 = 0.3151), 2 x 0.3282 = 0.6564, 1.
  CHECK(tests[2].p_holm == doctest::Approx(6 * 0.000258223).epsilon(1e-4));
  CHECK(tests[0].p_holm == doctest::Approx(5 * 0.0019820).epsilon(1e-4));
  CHECK(tests[1].p_holm == doctest::Approx(4 * 0.0354150).epsilon(1e-4));
  CHECK(tests[5].p_holm == doctest::Approx(3 * 0.1050193).epsilon(1e-4));
  CHECK(tests[3].p_holm == doctest::Approx(2 * 0.3281853).epsilon(1e-4));
  CHECK(tests[4].p_holm == 1.0);
  // At 95%: A is above B and D, nothing else: A [1, 4 - 2], B [1 + 1, 4], C [1, 4], D [2, 4].
  auto at = [&](double confidence) { return simultaneous_rank_intervals(counts, confidence); };
  const auto r95 = at(0.95);
  const std::int64_t lower95[] = {1, 2, 1, 2}, upper95[] = {2, 4, 4, 4};
  for (std::size_t u = 0; u < 4; ++u) {
    CHECK(r95[u].lower == lower95[u]);
    CHECK(r95[u].upper == upper95[u]);
  }
  CHECK(r95[0].below == 2);
  CHECK(r95[1].above == 1);
  // The worst quarter of 4 is rank 1 alone: no force is placed there at 95%.
  CHECK(worst_quarter_ranks(4) == 1);
  for (const auto& r : r95) CHECK_FALSE(in_worst_quarter(r, 4));
  // At 80% (alpha 0.2): 0.2/6, 0.2/5 and 0.2/4 = 0.05 > 0.0354 reject A-D, A-B and A-C; C-D
  // 0.105 > 0.2/3 stops. A is above all three: [1, 1], in the worst quarter.
  const auto r80 = at(0.80);
  CHECK(r80[0].lower == 1);
  CHECK(r80[0].upper == 1);
  CHECK(in_worst_quarter(r80[0], 4));
  CHECK(r80[2].lower == 2);
  CHECK(r80[2].upper == 4);
  // The same tests give the same intervals.
  const auto again = simultaneous_rank_intervals(counts, tests, 0.95);
  for (std::size_t u = 0; u < 4; ++u) CHECK(again[u].upper == r95[u].upper);
}

TEST_CASE("simultaneous rank intervals: small groups and bad input") {
  CHECK(simultaneous_rank_intervals(std::vector<Count>{}, 0.95).empty());
  const auto one = simultaneous_rank_intervals(std::vector<Count>{{3, 10}}, 0.95);
  REQUIRE(one.size() == 1);
  CHECK(one[0].lower == 1);
  CHECK(one[0].upper == 1);
  CHECK_FALSE(in_worst_quarter(one[0], 1));  // a group of one has no worst quarter to be placed in
  // Two forces: one Fisher test, no adjustment. 10/10 against 0/10: p = 2 / C(20, 10).
  const auto two = simultaneous_rank_intervals(std::vector<Count>{{0, 10}, {10, 10}}, 0.95);
  CHECK(two[0].lower == 2);
  CHECK(two[0].upper == 2);
  CHECK(two[1].lower == 1);
  CHECK(two[1].upper == 1);
  CHECK(worst_quarter_ranks(2) == 1);
  CHECK(worst_quarter_ranks(43) == 11);
  CHECK(in_worst_quarter(two[1], 2));
  // Equal shares are not told apart.
  const auto tied = simultaneous_rank_intervals(std::vector<Count>{{1, 2}, {500, 1000}}, 0.5);
  CHECK(tied[0].lower == 1);
  CHECK(tied[0].upper == 2);
  CHECK_THROWS_WITH_AS(simultaneous_rank_intervals(std::vector<Count>{{3, 10}}, 1.0),
                       "confidence is 1, but must be strictly between 0 and 1", InputError);
  CHECK_THROWS_AS(pairwise_fisher(std::vector<Count>{{3, 10}, {11, 10}}), InputError);
  CHECK(parse_rank_intervals("simultaneous") == RankIntervals::simultaneous);
  CHECK(rank_intervals_name(RankIntervals::marginal) == "marginal");
  CHECK_THROWS_WITH_AS(parse_rank_intervals("simultaneus"),
                       "rank_intervals is 'simultaneus', but must be marginal or simultaneous; did you mean "
                       "'simultaneous'?",
                       InputError);
}

namespace {

// A 43-force design: true rates from 5% to 57.5% in steps of 1.25 points, every fifth force tied
// with the one before it, and samples of 17 to 20 records. Neighbours are close, so pairs whose
// rates differ a little are often observed the wrong way round: tests of every pair without
// Holm's adjustment put some force's interval off its true rank in most inspections.
struct Design {
  std::vector<double> rate;
  std::vector<std::int64_t> n;
};
Design national_design() {
  Design d;
  for (std::size_t i = 0; i < 43; ++i) {
    const std::size_t step = i % 5 == 4 ? i - 1 : i;
    d.rate.push_back(0.05 + 0.0125 * static_cast<double>(step));
    d.n.push_back(17 + static_cast<std::int64_t>(i % 4));
  }
  return d;
}

// True rank range of unit i (rank 1 the highest rate): [1 + #{higher}, #{higher or equal}].
std::pair<std::int64_t, std::int64_t> true_rank_range(const std::vector<double>& rate, std::size_t i) {
  std::int64_t higher = 0, at_least = 0;
  for (double r : rate) {
    higher += r > rate[i] ? 1 : 0;
    at_least += r >= rate[i] ? 1 : 0;
  }
  return {1 + higher, at_least};
}

}  // namespace

TEST_CASE("simultaneous rank intervals cover all 43 true ranks together in at least C of inspections") {
  // Monte Carlo check of the joint coverage: draw every force's count from Binomial(n_i, p_i), form
  // the intervals, and count the replicates in which every interval meets its force's true rank.
  // Where true rates tie, any rank of the tie counts as covered (the tied forces have no single
  // true rank). Coverage must be at least C within 4 Monte Carlo standard errors; Holm's control of
  // the family-wise error and Fisher's conservatism make it higher still.
  const Design d = national_design();
  const std::size_t units = d.rate.size();
  const std::int64_t replicates = 1000;
  for (const double confidence : {0.95, 0.80}) {
    std::int64_t covered = 0, unadjusted = 0, told_apart = 0;
    for (std::int64_t rep = 0; rep < replicates; ++rep) {
      Engine engine = make_stream(20260113, static_cast<std::uint64_t>(rep), 7);
      std::vector<Count> counts;
      for (std::size_t i = 0; i < units; ++i)
        counts.push_back(
            {boost::random::binomial_distribution<std::int64_t, double>(d.n[i], d.rate[i])(engine), d.n[i]});
      std::vector<PairTest> tests = pairwise_fisher(counts);
      auto covers = [&](const std::vector<SimultaneousRank>& ranks) {
        bool all = true;
        for (std::size_t i = 0; i < units; ++i) {
          const auto [lo, hi] = true_rank_range(d.rate, i);
          all = all && ranks[i].lower <= hi && ranks[i].upper >= lo;
        }
        return all;
      };
      const auto ranks = simultaneous_rank_intervals(counts, tests, confidence);
      for (const SimultaneousRank& r : ranks) told_apart += r.above;
      covered += covers(ranks) ? 1 : 0;
      // The same intervals from unadjusted p-values: the check below must be able to fail.
      for (PairTest& t : tests) t.p_holm = t.p;
      unadjusted += covers(simultaneous_rank_intervals(counts, tests, confidence)) ? 1 : 0;
    }
    const double share = static_cast<double>(covered) / static_cast<double>(replicates);
    const double naive = static_cast<double>(unadjusted) / static_cast<double>(replicates);
    const double se = std::sqrt(confidence * (1 - confidence) / static_cast<double>(replicates));
    CAPTURE(confidence);
    CAPTURE(share);
    CAPTURE(naive);
    CHECK(share >= confidence - 4 * se);
    CHECK(naive < confidence - 4 * se);
    // The intervals are not all 1 to 43: the design's spread lets some pairs be told apart.
    CHECK(told_apart > replicates);
  }
}

TEST_CASE("simultaneous rank intervals: properties that always hold") {
  // On random groups: (1) each interval holds the force's observed rank, whichever way its ties
  // in observed share are broken (a force is only ever above another whose share is lower);
  // (2) intervals at a higher confidence contain those at a lower one (Holm's adjusted p-values do
  // not depend on alpha); (3) each contains the interval for that force alone from Holm's
  // adjustment over its own I - 1 pairs (adding hypotheses to Holm never adds a rejection of the
  // original ones), computed here from the unadjusted p-values.
  for (std::uint64_t rep = 0; rep < 200; ++rep) {
    Engine engine = make_stream(77, rep, 3);
    const std::size_t units = 2 + rep % 12;
    std::vector<Count> counts;
    for (std::size_t i = 0; i < units; ++i) {
      const std::int64_t n = boost::random::binomial_distribution<std::int64_t, double>(40, 0.5)(engine) + 1;
      const double p = boost::random::uniform_01<double>()(engine);
      counts.push_back({boost::random::binomial_distribution<std::int64_t, double>(n, p)(engine), n});
    }
    const auto tests = pairwise_fisher(counts);
    const auto wide = simultaneous_rank_intervals(counts, tests, 0.99);
    const auto narrow = simultaneous_rank_intervals(counts, tests, 0.80);
    auto share = [&](std::size_t i) {
      return static_cast<double>(counts[i].x) / static_cast<double>(counts[i].n);
    };
    for (std::size_t i = 0; i < units; ++i) {
      std::int64_t higher = 0, at_least = 0;
      for (std::size_t j = 0; j < units; ++j) {
        higher += share(j) > share(i) ? 1 : 0;
        at_least += share(j) >= share(i) ? 1 : 0;
      }
      CHECK(wide[i].lower <= 1 + higher);
      CHECK(wide[i].upper >= at_least);
      CHECK(narrow[i].lower <= 1 + higher);
      CHECK(narrow[i].upper >= at_least);
      CHECK(wide[i].lower <= narrow[i].lower);
      CHECK(wide[i].upper >= narrow[i].upper);
      // Force i alone: Holm over its I - 1 pairs at alpha = 0.2.
      std::vector<double> own;
      std::vector<int> sign;
      for (const PairTest& t : tests) {
        if (t.a != i && t.b != i) continue;
        const std::size_t j = t.a == i ? t.b : t.a;
        own.push_back(t.p);
        sign.push_back(share(j) > share(i) ? 1 : share(j) < share(i) ? -1 : 0);
      }
      std::vector<std::size_t> order(own.size());
      for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return own[a] < own[b]; });
      std::int64_t above = 0, below = 0;
      for (std::size_t k = 0; k < order.size(); ++k) {
        if (!(own[order[k]] * static_cast<double>(order.size() - k) < 0.2)) break;
        above += sign[order[k]] > 0 ? 1 : 0;
        below += sign[order[k]] < 0 ? 1 : 0;
      }
      CHECK(narrow[i].lower <= 1 + above);
      CHECK(narrow[i].upper >= static_cast<std::int64_t>(units) - below);
    }
  }
}
