// Tests for include/inspectsim/exact.hpp. Every law is checked against an independent definition:
// closed forms through lgamma, brute-force enumeration of samples, draw orders or Polya urns.
#include "inspectsim/simulate/exact.hpp"

#include <bit>
#include <cmath>
#include <functional>
#include <numeric>

#include <doctest/doctest.h>

using namespace inspectsim;
using namespace inspectsim::stats;
using namespace inspectsim::simulate;

namespace {

double log_choose(double n, double k) {
  return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

void check_same(const std::vector<double>& got, const std::vector<double>& want, double tol = 1e-12) {
  REQUIRE(got.size() == want.size());
  for (std::size_t x = 0; x < got.size(); ++x) {
    CAPTURE(x);
    CHECK(std::abs(got[x] - want[x]) <= tol);
  }
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// Every ordered draw of n distinct records from M (the first K wrong), each record being taken with
// probability weight / (total weight left): the definition of Wallenius' distribution.
void enumerate_orders(int n, int k, int m, double odds, std::vector<bool>& taken, int drawn, int wrong,
                      double prob, std::vector<double>& out) {
  if (drawn == n) {
    out[static_cast<std::size_t>(wrong)] += prob;
    return;
  }
  double total = 0;
  for (int r = 0; r < m; ++r)
    if (!taken[static_cast<std::size_t>(r)]) total += r < k ? odds : 1.0;
  for (int r = 0; r < m; ++r) {
    if (taken[static_cast<std::size_t>(r)]) continue;
    const double w = r < k ? odds : 1.0;
    taken[static_cast<std::size_t>(r)] = true;
    enumerate_orders(n, k, m, odds, taken, drawn + 1, wrong + (r < k ? 1 : 0), prob * w / total, out);
    taken[static_cast<std::size_t>(r)] = false;
  }
}

}  // namespace

TEST_CASE("binomial pmf equals C(n,x) p^x (1-p)^(n-x)") {
  for (std::int64_t n : {1, 7, 17, 60})
    for (double p : {0.0, 0.02, 0.3, 0.5, 0.97, 1.0}) {
      CAPTURE(n);
      CAPTURE(p);
      std::vector<double> want(static_cast<std::size_t>(n) + 1);
      for (std::int64_t x = 0; x <= n; ++x) {
        const double xd = static_cast<double>(x), nd = static_cast<double>(n);
        if (p == 0.0 || p == 1.0)
          want[static_cast<std::size_t>(x)] = (p == 0.0 ? x == 0 : x == n) ? 1.0 : 0.0;
        else
          want[static_cast<std::size_t>(x)] =
              std::exp(log_choose(nd, xd) + xd * std::log(p) + (nd - xd) * std::log1p(-p));
      }
      check_same(binomial_pmf(n, p), want);
    }
}

TEST_CASE("hypergeometric pmf counts the samples of every composition") {
  // Brute force: every subset of size n of M records (the first K wrong), by bit mask.
  for (int m : {5, 8, 11})
    for (int k = 0; k <= m; k += 3)
      for (int n = 1; n <= m; n += 2) {
        CAPTURE(m);
        CAPTURE(k);
        CAPTURE(n);
        std::vector<double> want(static_cast<std::size_t>(n) + 1, 0.0);
        double subsets = 0;
        for (unsigned mask = 0; mask < (1u << m); ++mask) {
          if (std::popcount(mask) != n) continue;
          ++subsets;
          ++want[static_cast<std::size_t>(std::popcount(mask & ((1u << k) - 1)))];
        }
        for (double& w : want) w /= subsets;
        check_same(hypergeometric_pmf(n, k, m), want);
      }
}

TEST_CASE("beta-binomial pmf with whole shapes is the Polya urn") {
  // Polya urn: a red and b blue balls; draw, return it with one more of its colour. After n draws
  // the number of red draws is beta-binomial(n, a, b) (Johnson, Kemp and Kotz 2005, sec. 6.2.2).
  for (int a : {1, 2, 5})
    for (int b : {1, 3}) {
      const int n = 9;
      std::vector<double> want(n + 1, 0.0);
      std::function<void(int, int, int, double)> urn = [&](int drawn, int red, int blue, double prob) {
        if (drawn == n) {
          want[static_cast<std::size_t>(red - a)] += prob;
          return;
        }
        const double total = red + blue;
        urn(drawn + 1, red + 1, blue, prob * red / total);
        urn(drawn + 1, red, blue + 1, prob * blue / total);
      };
      urn(0, a, b, 1.0);
      CAPTURE(a);
      CAPTURE(b);
      check_same(beta_binomial_pmf(n, a, b), want);
    }
  // Non-integer shapes still sum to one and have mean n a / (a + b).
  const auto pmf = beta_binomial_pmf(40, 0.5, 2.5);
  CHECK(sum(pmf) == doctest::Approx(1.0).epsilon(1e-12));
  double mean = 0;
  for (std::size_t x = 0; x < pmf.size(); ++x) mean += static_cast<double>(x) * pmf[x];
  CHECK(mean == doctest::Approx(40 * 0.5 / 3.0).epsilon(1e-12));
}

TEST_CASE("Wallenius pmf agrees with enumeration of every draw order") {
  for (double odds : {0.3, 1.0, 2.0, 7.5})
    for (int m : {4, 6})
      for (int k = 0; k <= m; ++k)
        for (int n = 1; n <= m; ++n) {
          CAPTURE(odds);
          CAPTURE(m);
          CAPTURE(k);
          CAPTURE(n);
          std::vector<double> want(static_cast<std::size_t>(n) + 1, 0.0);
          std::vector<bool> taken(static_cast<std::size_t>(m), false);
          enumerate_orders(n, k, m, odds, taken, 0, 0, 1.0, want);
          check_same(wallenius_pmf(n, k, m, odds), want);
        }
  // With odds 1 targeting does nothing: the central hypergeometric law.
  check_same(wallenius_pmf(17, 23, 60, 1.0), hypergeometric_pmf(17, 23, 60));
}

TEST_CASE("convolution of small laws") {
  check_same(convolve(std::vector{0.5, 0.5}, std::vector{0.5, 0.5}), {0.25, 0.5, 0.25});
  check_same(convolve(std::vector{1.0}, std::vector{0.2, 0.8}), {0.2, 0.8});
  check_same(convolve(std::vector{0.1, 0.0, 0.9}, std::vector{0.3, 0.7}), {0.03, 0.07, 0.27, 0.63});
}

TEST_CASE("flagged count: brute force over each record's flag") {
  const double se = 0.8, sp = 0.9;
  const std::vector<double> truth{0.1, 0.2, 0.3, 0.4};  // law of the truly wrong among n = 3
  const int n = 3;
  std::vector<double> want(n + 1, 0.0);
  for (int x = 0; x <= n; ++x)
    for (unsigned flags = 0; flags < (1u << n); ++flags) {
      // Records 0..x-1 are wrong; bit r says whether record r is flagged.
      double prob = truth[static_cast<std::size_t>(x)];
      for (int r = 0; r < n; ++r) {
        const bool flagged = (flags >> r) & 1u;
        const double p_flag = r < x ? se : 1 - sp;
        prob *= flagged ? p_flag : 1 - p_flag;
      }
      want[static_cast<std::size_t>(std::popcount(flags))] += prob;
    }
  check_same(flagged_pmf(truth, se, sp), want);

  // Binomial sampling with misclassification is binomial at the apparent rate
  // p se + (1 - p)(1 - sp) (Rogan and Gladen 1978, Am. J. Epidemiol. 107:71).
  const double p = 0.3;
  check_same(flagged_pmf(binomial_pmf(25, p), 0.9, 0.98), binomial_pmf(25, p * 0.9 + (1 - p) * 0.02), 1e-12);
  // A perfect inspector changes nothing.
  check_same(flagged_pmf(truth, 1.0, 1.0), truth);
}

TEST_CASE("clustered count: sizes, beta shape and variance") {
  CHECK(cluster_sizes(17, 3) == std::vector<std::int64_t>{6, 6, 5});
  CHECK(cluster_sizes(6, 6) == std::vector<std::int64_t>{1, 1, 1, 1, 1, 1});
  CHECK(cluster_sizes(20, 1) == std::vector<std::int64_t>{20});

  const BetaShape s = cluster_beta(0.2, 0.1);
  CHECK(s.alpha / (s.alpha + s.beta) == doctest::Approx(0.2));
  CHECK(1 / (s.alpha + s.beta + 1) == doctest::Approx(0.1));  // intra-class correlation

  // icc = 0: binomial.
  const std::vector<std::int64_t> sizes{6, 6, 5};
  check_same(clustered_pmf(sizes, 0.3, 0.0), binomial_pmf(17, 0.3));
  // Beta-binomial variance, Griffiths (1973): Var X = sum n_i mu (1 - mu) (1 + (n_i - 1) icc).
  const double mu = 0.3, icc = 0.2;
  const auto pmf = clustered_pmf(sizes, mu, icc);
  double mean = 0, second = 0;
  for (std::size_t x = 0; x < pmf.size(); ++x) {
    mean += static_cast<double>(x) * pmf[x];
    second += static_cast<double>(x * x) * pmf[x];
  }
  double want_var = 0;
  for (auto m : sizes)
    want_var += static_cast<double>(m) * mu * (1 - mu) * (1 + static_cast<double>(m - 1) * icc);
  CHECK(sum(pmf) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(mean == doctest::Approx(17 * mu).epsilon(1e-12));
  CHECK(second - mean * mean == doctest::Approx(want_var).epsilon(1e-10));
  // Two units of one record each: by hand, P(both wrong) = E[p1] E[p2] = mu^2 (units independent).
  const auto two = clustered_pmf(std::vector<std::int64_t>{1, 1}, mu, icc);
  check_same(two, {(1 - mu) * (1 - mu), 2 * mu * (1 - mu), mu * mu});
}

TEST_CASE("population_wrong rounds rate times population") {
  CHECK(population_wrong(0.5, 17) == 9);  // 8.5 rounds away from zero
  CHECK(population_wrong(0.02, 400) == 8);
  CHECK(population_wrong(0.0, 60) == 0);
  CHECK(population_wrong(1.0, 60) == 60);
}

TEST_CASE("exact law of a cell point") {
  CellPoint p;
  p.sample = 17;
  p.truth.rate = 0.5;

  SUBCASE("fixed rate, binomial sampling") {
    const auto law = exact_count_law(p);
    REQUIRE(law);
    REQUIRE(law->components.size() == 1);
    CHECK(law->components[0].truth == 0.5);
    check_same(law->pmf, binomial_pmf(17, 0.5));
    // Coverage-style sum: the truth is judged only when inside [lo, hi].
    CHECK(probability_truth_within(*law, 9, 0.4, 0.6) == law->pmf[9]);
    CHECK(probability_truth_within(*law, 9, 0.51, 0.6) == 0.0);
    CHECK(probability_truth_in_band(*law, 9, 0.4, 0.5) == law->pmf[9]);
    CHECK(probability_truth_in_band(*law, 9, 0.5, 0.6) == 0.0);
  }
  SUBCASE("fixed rate, finite population: truth K / M") {
    p.population = 60;
    p.truth.rate = 0.52;  // K = round(31.2) = 31
    const auto law = exact_count_law(p);
    REQUIRE(law);
    CHECK(law->components[0].truth == 31.0 / 60.0);
    check_same(law->pmf, hypergeometric_pmf(17, 31, 60));
  }
  SUBCASE("selection and inspector error compose") {
    p.population = 40;
    p.selection_odds = 2.0;
    p.inspector = Inspector{0.9, 0.95};
    const auto law = exact_count_law(p);
    REQUIRE(law);
    check_same(law->pmf, flagged_pmf(wallenius_pmf(17, 20, 40, 2.0), 0.9, 0.95));
  }
  SUBCASE("Beta rate, binomial sampling: continuous truth") {
    p.truth = Truth{Truth::Kind::beta, 0, 1.0, 1.0};
    const auto law = exact_count_law(p);
    REQUIRE(law);
    REQUIRE(law->beta);
    // Uniform prior: P(X = x, lo <= T <= hi) = C(n, x) integral_lo^hi t^x (1 - t)^(n - x) dt,
    // evaluated here by Simpson's rule.
    for (std::int64_t x : {0, 4, 9, 17}) {
      const double lo = 0.2, hi = 0.7;
      const int steps = 2000;
      const double h = (hi - lo) / steps;
      double integral = 0;
      for (int i = 0; i <= steps; ++i) {
        const double t = lo + i * h;
        const double f = std::pow(t, static_cast<double>(x)) * std::pow(1 - t, static_cast<double>(17 - x));
        integral += f * (i == 0 || i == steps ? 1 : (i % 2 ? 4 : 2));
      }
      integral *= h / 3 * std::exp(log_choose(17, static_cast<double>(x)));
      CAPTURE(x);
      CHECK(probability_truth_within(*law, x, lo, hi) == doctest::Approx(integral).epsilon(1e-9));
      CHECK(probability_truth_in_band(*law, x, lo, hi) == doctest::Approx(integral).epsilon(1e-9));
    }
    // Uniform prior: every count equally likely (Bayes 1763).
    for (double v : law->pmf) CHECK(v == doctest::Approx(1.0 / 18));
  }
  SUBCASE("Beta rate, finite population: the sample count is still beta-binomial") {
    // The M records are exchangeable Bernoulli(T) draws, so any n of them hold a
    // beta-binomial(n, a, b) count whatever M is.
    p.truth = Truth{Truth::Kind::beta, 0, 2.0, 5.0};
    p.population = 90;
    const auto law = exact_count_law(p);
    REQUIRE(law);
    CHECK(law->components.size() == 91);
    check_same(law->pmf, beta_binomial_pmf(17, 2.0, 5.0), 1e-12);
    double total = 0;
    for (std::int64_t x = 0; x <= 17; ++x) total += probability_truth_within(*law, x, 0.0, 1.0);
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
  }
  SUBCASE("not enumerable: Beta rate with clusters") {
    p.truth = Truth{Truth::Kind::beta, 0, 2.0, 5.0};
    p.clusters = Clusters{3, 0.1};
    CHECK_FALSE(exact_count_law(p));
    CHECK_FALSE(count_law_work(p));
  }
  SUBCASE("too large to enumerate") {
    p.truth = Truth{Truth::Kind::beta, 0, 2.0, 5.0};
    p.population = 2'000'000'000;
    CHECK_FALSE(exact_count_law(p));
  }
}

namespace {

// The law of Binomial(n, p) from its definition, C(n, x) p^x (1 - p)^(n - x), through lgamma.
std::vector<double> binomial_by_definition(int n, double p) {
  std::vector<double> out;
  for (int x = 0; x <= n; ++x)
    out.push_back(std::exp(log_choose(n, x) + x * std::log(p) + (n - x) * std::log1p(-p)));
  return out;
}

}  // namespace

TEST_CASE("league: ranked-worst probabilities of three members by brute force over every count triple") {
  // Three independent binomial members with different samples; every triple (x0, x1, x2) is
  // enumerated, its shares compared as fractions x / n by cross-multiplication, and its probability
  // given to the member(s) with the highest share: all of them under shared ties, 1 / (number tied)
  // each under random ties.
  const std::vector<int> n = {4, 5, 6};
  const std::vector<double> p = {0.5, 0.3, 0.4};
  std::vector<std::vector<double>> pmfs;
  std::vector<std::int64_t> samples;
  for (std::size_t i = 0; i < 3; ++i) {
    pmfs.push_back(binomial_by_definition(n[i], p[i]));
    samples.push_back(n[i]);
  }
  std::vector<double> shared(3, 0.0), random(3, 0.0);
  double set01 = 0;  // P(member 0 or 1 holds the highest share, jointly or alone)
  for (int a = 0; a <= n[0]; ++a)
    for (int b = 0; b <= n[1]; ++b)
      for (int c = 0; c <= n[2]; ++c) {
        const double prob = pmfs[0][a] * pmfs[1][b] * pmfs[2][c];
        const int x[3] = {a, b, c};
        // The top share: member i is on top when x_i / n_i >= x_j / n_j for every j.
        bool top[3];
        int tied = 0;
        for (int i = 0; i < 3; ++i) {
          top[i] = true;
          for (int j = 0; j < 3; ++j)
            if (x[j] * n[i] > x[i] * n[j]) top[i] = false;
          tied += top[i] ? 1 : 0;
        }
        for (int i = 0; i < 3; ++i)
          if (top[i]) {
            shared[i] += prob;
            random[i] += prob / tied;
          }
        if (top[0] || top[1]) set01 += prob;
      }
  check_same(league_worst_probabilities(pmfs, samples, Ties::shared), shared, 1e-14);
  check_same(league_worst_probabilities(pmfs, samples, Ties::random), random, 1e-14);
  CHECK(sum(random) == doctest::Approx(1.0).epsilon(1e-14));
  CHECK(sum(shared) > 1.0);  // joint worst counts for each tied member
  const std::vector<std::size_t> set = {0, 1};
  CHECK(league_set_worst_probability(pmfs, samples, set) == doctest::Approx(set01).epsilon(1e-14));
}

TEST_CASE("league: share keys order fractions exactly, equal fractions share a key") {
  const std::vector<std::int64_t> samples = {2, 4};
  const auto keys = league_share_keys(samples);
  // 0/2 = 0/4 < 1/4 < 1/2 = 2/4 < 3/4 < 2/2 = 4/4.
  CHECK(keys[0] == std::vector<std::int32_t>{0, 2, 4});
  CHECK(keys[1] == std::vector<std::int32_t>{0, 1, 2, 3, 4});
}

TEST_CASE("league: two members, the exact sums by hand") {
  // Binomial(1, 0.5) against Binomial(1, 0.2): A is worst alone when (1, 0): 0.5 * 0.8 = 0.4, jointly
  // when tied: (0, 0) 0.5 * 0.8 = 0.4 and (1, 1) 0.5 * 0.2 = 0.1. Shared: 0.9; random: 0.4 + 0.25.
  const std::vector<std::vector<double>> pmfs = {{0.5, 0.5}, {0.8, 0.2}};
  const std::vector<std::int64_t> samples = {1, 1};
  check_same(league_worst_probabilities(pmfs, samples, Ties::shared), {0.9, 0.6}, 1e-15);
  check_same(league_worst_probabilities(pmfs, samples, Ties::random), {0.65, 0.35}, 1e-15);
}

// E[T | X = x] and E[T^2 | X = x], which a Beta truth's bias and RMSE come from, against direct
// integration over the truth: for binomial sampling the integrals of t^k t^(a-1) (1-t)^(b-1)
// t^x (1-t)^(n-x) by Simpson's rule on a fine grid (no conjugacy used); with a population the sum
// over K of K/M weighted by P(K) P(X = x | K), from lgamma pmfs written here.
TEST_CASE("truth moments given the count, against direct integration and summation") {
  CellPoint p;
  p.sample = 12;
  p.truth = Truth{Truth::Kind::beta, 0, 2.5, 6.0};
  const std::optional<CountLaw> law = exact_count_law(p);
  REQUIRE(law);
  const double a = 2.5, b = 6.0;
  const int steps = 20000;  // even, for Simpson's rule
  for (std::int64_t x = 0; x <= 12; ++x) {
    CAPTURE(x);
    double m0 = 0, m1 = 0, m2 = 0;
    for (int k = 1; k < steps; ++k) {  // the integrand vanishes at both ends here
      const double t = static_cast<double>(k) / steps;
      const double w = (k % 2 == 1 ? 4.0 : 2.0) * std::pow(t, a - 1 + static_cast<double>(x)) *
                       std::pow(1 - t, b - 1 + static_cast<double>(12 - x));
      m0 += w;
      m1 += w * t;
      m2 += w * t * t;
    }
    const TruthMoments got = truth_moments_given(*law, x);
    CHECK(got.mean == doctest::Approx(m1 / m0).epsilon(1e-9));
    CHECK(got.second == doctest::Approx(m2 / m0).epsilon(1e-9));
  }

  p.population = 30;
  p.sample = 8;
  const std::optional<CountLaw> pop = exact_count_law(p);
  REQUIRE(pop);
  auto lchoose = [](double n, double k) {
    return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
  };
  auto lbeta = [](double u, double v) { return std::lgamma(u) + std::lgamma(v) - std::lgamma(u + v); };
  for (std::int64_t x = 0; x <= 8; ++x) {
    CAPTURE(x);
    double m0 = 0, m1 = 0, m2 = 0;
    for (int k = 0; k <= 30; ++k) {
      if (x > k || 8 - x > 30 - k) continue;
      const double kd = k, xd = static_cast<double>(x);
      // P(K = k): beta-binomial(30, a, b); P(X = x | K = k): hypergeometric.
      const double w = std::exp(lchoose(30, kd) + lbeta(kd + a, 30 - kd + b) - lbeta(a, b) + lchoose(kd, xd) +
                                lchoose(30 - kd, 8 - xd) - lchoose(30, 8));
      m0 += w;
      m1 += w * kd / 30;
      m2 += w * (kd / 30) * (kd / 30);
    }
    const TruthMoments got = truth_moments_given(*pop, x);
    CHECK(got.mean == doctest::Approx(m1 / m0).epsilon(1e-10));
    CHECK(got.second == doctest::Approx(m2 / m0).epsilon(1e-10));
  }
}

// A Beta rate with inspector error and no population, by a different route: given T every record
// is flagged independently with probability q(T) = T se + (1 - T)(1 - sp), so
// P(X = x, L <= T <= U) = integral over [L, U] of Beta(T; a, b) Binomial(x; n, q(T)) dT, here by
// Simpson's rule on 20,000 steps (the code instead mixes over the true count K).
TEST_CASE(
    "Beta rate with inspector error: the law mixed over the true count, against integration over the rate") {
  CellPoint p;
  p.sample = 15;
  p.truth = Truth{Truth::Kind::beta, 0, 2.0, 7.0};
  p.inspector = Inspector{0.85, 0.93};
  const std::optional<CountLaw> law = exact_count_law(p);
  REQUIRE(law);
  REQUIRE(count_law_work(p));
  CHECK(law->components.size() == 16);
  const double a = 2.0, b = 7.0, se = 0.85, sp = 0.93;
  const double log_beta_ab = std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
  // Integral over [lo, hi] of Beta(t; a, b) Binomial(x; 15, q(t)) t^power dt (the integrand is 0 at t = 0
  // and t = 1 here, and smooth).
  auto integral = [&](std::int64_t x, double lo, double hi, int power) {
    const int steps = 20000;
    const double h = (hi - lo) / steps;
    double s = 0;
    for (int k = 0; k <= steps; ++k) {
      const double t = lo + k * h;
      const double q = t * se + (1 - t) * (1 - sp);
      const double xd = static_cast<double>(x);
      const double f = std::exp((a - 1) * std::log(t) + (b - 1) * std::log1p(-t) - log_beta_ab +
                                log_choose(15, xd) + xd * std::log(q) + (15 - xd) * std::log1p(-q)) *
                       std::pow(t, power);
      s += (k == 0 || k == steps ? 1 : k % 2 ? 4 : 2) * (std::isfinite(f) ? f : 0.0);
    }
    return s * h / 3;
  };
  double total = 0;
  for (std::int64_t x = 0; x <= 15; ++x) {
    CAPTURE(x);
    const double px = integral(x, 0, 1, 0);
    CHECK(law->pmf[static_cast<std::size_t>(x)] == doctest::Approx(px).epsilon(1e-9));
    total += law->pmf[static_cast<std::size_t>(x)];
    CHECK(probability_truth_within(*law, x, 0.1, 0.3) ==
          doctest::Approx(integral(x, 0.1, 0.3, 0)).epsilon(1e-9));
    CHECK(probability_truth_in_band(*law, x, 0.25, 1.0) ==
          doctest::Approx(integral(x, 0.25, 1, 0)).epsilon(1e-9));
    const TruthMoments m = truth_moments_given(*law, x);
    CHECK(m.mean == doctest::Approx(integral(x, 0, 1, 1) / px).epsilon(1e-9));
    CHECK(m.second == doctest::Approx(integral(x, 0, 1, 2) / px).epsilon(1e-9));
  }
  CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
}
