// Tests for include/inspectsim/plan.hpp. Expected values come from published attribute-sampling
// tables or from independent definitions written here (direct sums of binomial and hypergeometric
// probabilities via log-gamma, closed-form interval widths), never from the code under test.
#include "inspectsim/plan/plan.hpp"
#include "inspectsim/plan/writers.hpp"

#include <cmath>
#include <functional>
#include <string>

#include <doctest/doctest.h>
#include <boost/multiprecision/cpp_int.hpp>
#include <boost/random/binomial_distribution.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/random/rng.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "support/support.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;
using namespace inspectsim::random;
using namespace inspectsim::simulate;
using namespace inspectsim::plan;

namespace {

// log C(a, b) from log-gamma.
double log_choose(double a, double b) {
  return std::lgamma(a + 1) - std::lgamma(b + 1) - std::lgamma(a - b + 1);
}

double binomial_pmf(std::int64_t x, std::int64_t n, double p) {
  const auto dx = static_cast<double>(x), dn = static_cast<double>(n);
  return std::exp(log_choose(dn, dx) + dx * std::log(p) + (dn - dx) * std::log1p(-p));
}

// P(X <= k), X ~ binomial(n, p), summed term by term.
double binomial_cdf(std::int64_t k, std::int64_t n, double p) {
  double s = 0;
  for (std::int64_t x = 0; x <= std::min(k, n); ++x) s += binomial_pmf(x, n, p);
  return s;
}

// P(X = x), X ~ hypergeometric: K wrong among M, n drawn; C(K,x) C(M-K,n-x) / C(M,n).
double hypergeometric_pmf(std::int64_t x, std::int64_t n, std::int64_t K, std::int64_t M) {
  if (x < 0 || x > K || n - x > M - K || x > n) return 0;
  const auto d = [](std::int64_t v) { return static_cast<double>(v); };
  return std::exp(log_choose(d(K), d(x)) + log_choose(d(M - K), d(n - x)) - log_choose(d(M), d(n)));
}

double hypergeometric_cdf(std::int64_t k, std::int64_t n, std::int64_t K, std::int64_t M) {
  double s = 0;
  for (std::int64_t x = 0; x <= k; ++x) s += hypergeometric_pmf(x, n, K, M);
  return s;
}

// The smallest n in [1, cap] with pred(n), by scanning every n; 0 if none.
std::int64_t scan(const std::function<bool(std::int64_t)>& pred, std::int64_t cap) {
  for (std::int64_t n = 1; n <= cap; ++n)
    if (pred(n)) return n;
  return 0;
}

ClaimResult claim(double T, std::int64_t k, double C, std::optional<std::int64_t> M = std::nullopt) {
  ClaimRequest q;
  q.tolerable = T;
  q.allowed_errors = k;
  q.confidence = C;
  q.population = M;
  return plan_claim(q);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("claim: the AICPA attribute-sampling sample sizes") {
  // AICPA Audit Guide "Audit Sampling", appendix A, Table A-1 (statistical sample sizes for tests of
  // controls, 5% risk of overreliance) and Table A-2 (10% risk). Expected deviation rate 0 means no
  // deviation allowed; the table's figure in parentheses is the deviations allowed.
  CHECK(claim(0.05, 0, 0.95).n == 59);  // Table A-1: tolerable 5%, expected 0.00% -> 59 (0)
  CHECK(claim(0.10, 0, 0.95).n == 29);  // Table A-1: tolerable 10%, expected 0.00% -> 29 (0)
  CHECK(claim(0.05, 0, 0.90).n == 45);  // Table A-2: tolerable 5%, expected 0.00% -> 45 (0)
  CHECK(claim(0.05, 1, 0.95).n == 93);  // Table A-1: tolerable 5%, expected 1.00% -> 93 (1)
}

TEST_CASE("claim: binomial sizes agree with a direct scan of the binomial tail") {
  for (double T : {0.01, 0.03, 0.07, 0.2, 0.5})
    for (std::int64_t k : {0, 1, 2, 5})
      for (double C : {0.8, 0.9, 0.95, 0.99}) {
        CAPTURE(T);
        CAPTURE(k);
        CAPTURE(C);
        const auto r = claim(T, k, C);
        const std::int64_t expected =
            scan([&](std::int64_t n) { return binomial_cdf(k, n, T) <= 1 - C; }, 100000);
        CHECK(r.n == expected);
        CHECK(*r.risk == doctest::Approx(binomial_cdf(k, r.n, T)).epsilon(1e-9));
        CHECK(r.upper <= T);
        // The operating characteristic is P(X <= k) at each rate.
        for (const auto& p : r.oc)
          CHECK(p.probability == doctest::Approx(binomial_cdf(k, r.n, p.rate)).epsilon(1e-9));
      }
}

TEST_CASE("claim: finite populations agree with a direct evaluation of the hypergeometric tail") {
  for (std::int64_t M : {20, 50, 100, 333})
    for (double T : {0.05, 0.1, 0.25})
      for (std::int64_t k : {0, 1, 3})
        for (double C : {0.9, 0.95}) {
          CAPTURE(M);
          CAPTURE(T);
          CAPTURE(k);
          CAPTURE(C);
          const auto KT = static_cast<std::int64_t>(std::ceil(T * static_cast<double>(M) - 1e-9));
          if (k >= KT) {
            CHECK_THROWS_AS(claim(T, k, C, M), InputError);
            continue;
          }
          const auto r = claim(T, k, C, M);
          CHECK(*r.threshold_count == KT);
          // A risk equal to 1 - C meets it: 1 - 0.9 rounds below 1/10, so the bound allows 1e-12 more
          // (M = 20, T = 0.05, C = 0.9: P(X <= 0 | K = 1, n = 18) is exactly 2/20).
          const std::int64_t expected =
              scan([&](std::int64_t n) { return hypergeometric_cdf(k, n, KT, M) <= 1 - C + 1e-12; }, M);
          CHECK(r.n == expected);
          CHECK(*r.risk == doctest::Approx(hypergeometric_cdf(k, r.n, KT, M)).epsilon(1e-9));
          CHECK(*r.upper_count < KT);
          for (const auto& p : r.oc)
            CHECK(p.probability == doctest::Approx(hypergeometric_cdf(k, r.n, *p.count, M)).epsilon(1e-9));
        }
}

TEST_CASE("claim: a risk exactly equal to 1 - C meets 'risk at most 1 - C' (ties, in rational arithmetic)") {
  // The case: 0 wrong allowed, T = 0.1 of M = 10 (fewer than 1 wrong): a sample of 9 finds
  // the one wrong record with probability 9/10, a risk of exactly 1/10 = 1 - 0.9. It took 10.
  const auto r = claim(0.1, 0, 0.9, 10);
  CHECK(r.n == 9);
  CHECK(*r.upper_count == 0);  // the claim's own interval agrees: fewer than 1 wrong
  // Binomial ties: P(X <= k | n, T) = 1 - C exactly, computed as rationals; T and 1 - C are
  // the decimals typed, and (for these) exact in binary too except through the subtraction 1 - C.
  using Rational = boost::multiprecision::cpp_rational;
  using BigInt = boost::multiprecision::cpp_int;
  auto choose = [](std::int64_t a, std::int64_t b) {
    BigInt c = 1;
    for (std::int64_t i = 1; i <= b; ++i) c = c * (a - b + i) / i;
    return c;
  };
  auto exact_n = [&](const Rational& T, std::int64_t k, const Rational& alpha) {
    for (std::int64_t n = k + 1;; ++n) {
      Rational cdf = 0;
      for (std::int64_t j = 0; j <= k; ++j) {
        Rational term = Rational(choose(n, j));
        for (std::int64_t i = 0; i < j; ++i) term *= T;
        for (std::int64_t i = 0; i < n - j; ++i) term *= 1 - T;
        cdf += term;
      }
      if (cdf <= alpha) return n;
    }
  };
  int ties = 0;
  const std::pair<double, Rational> rates[] = {
      {0.5, Rational(1, 2)}, {0.25, Rational(1, 4)}, {0.125, Rational(1, 8)}};
  const std::pair<double, Rational> levels[] = {{0.75, Rational(3, 4)},     {0.875, Rational(7, 8)},
                                                {0.5, Rational(1, 2)},      {0.9375, Rational(15, 16)},
                                                {0.6875, Rational(11, 16)}, {0.9, Rational(9, 10)}};
  for (const auto& [T, exact_T] : rates)
    for (std::int64_t k : {0, 1, 2})
      for (const auto& [C, exact_C] : levels) {
        CAPTURE(T);
        CAPTURE(k);
        CAPTURE(C);
        const std::int64_t want = exact_n(exact_T, k, 1 - exact_C);
        CHECK(claim(T, k, C).n == want);
        // A tie when the size before the answer misses only by rounding: P(X <= k | want) == 1 - C.
        Rational cdf = 0;
        for (std::int64_t j = 0; j <= k; ++j) {
          Rational term = Rational(choose(want, j));
          for (std::int64_t i = 0; i < j; ++i) term *= exact_T;
          for (std::int64_t i = 0; i < want - j; ++i) term *= 1 - exact_T;
          cdf += term;
        }
        if (cdf == 1 - exact_C) ++ties;
      }
  MESSAGE(ties << " binomial ties");
  CHECK(ties >= 3);
}

TEST_CASE("claim: T M that is whole in exact arithmetic is not rounded up") {
  // 0.07 x 100 is 7.000000000000001 in floating point; the claim is still "fewer than 7".
  CHECK(*claim(0.07, 0, 0.95, 100).threshold_count == 7);
}

TEST_CASE("claim: what an audit already drawn supports") {
  ClaimRequest q;
  q.n = 20;
  q.allowed_errors = 0;
  const auto r = plan_claim(q);
  // 0 of 20: the one-sided exact upper bound solves (1 - U)^20 = 0.05, U = 1 - 0.05^(1/20) = 0.1391.
  CHECK(r.upper == doctest::Approx(1 - std::pow(0.05, 1.0 / 20)).epsilon(1e-12));
  CHECK(claim_sentence(r) == "0 wrong in 20 supports: the error rate is below 13.9% (95% confidence).");
  // At the upper bound the chance of finding 0 in 20 is exactly 5%.
  CHECK(r.oc[3].rate == doctest::Approx(r.upper));
  CHECK(r.oc[3].probability == doctest::Approx(0.05).epsilon(1e-9));

  q.population = 100;
  const auto f = plan_claim(q);
  // The bound on K: the largest K with P(X <= 0 | K) > 0.05, by direct evaluation.
  std::int64_t K = 0;
  while (hypergeometric_cdf(0, 20, K + 1, 100) > 0.05) ++K;
  CHECK(*f.upper_count == K);
}

TEST_CASE("claim: bad input names the option, the value and what is allowed") {
  CHECK(error_of([] { claim(0.05, -1, 0.95); }) == "allowed_errors is -1, but must be 0 or more");
  CHECK(error_of([] { claim(1.5, 0, 0.95); }) == "tolerable is 1.5, but must be strictly between 0 and 1");
  CHECK(error_of([] { claim(0.05, 0, 0.95, 0); }) ==
        "population is 0, but must be a whole number from 1 to 2147483647");
  CHECK(error_of([] { claim(1e-7, 0, 0.95); }) ==
        "tolerable 1e-07: no sample of up to 1000000 records supports 'the error rate is below 0.00%' at 95% "
        "confidence when 0 wrong are allowed");
  CHECK(error_of([] { claim(0.05, 5, 0.95, 100); }) ==
        "allowed_errors is 5, but the claim is 'fewer than 5 of the 100 records are wrong' (tolerable 0.05 "
        "of population 100), which finding 5 or more wrong cannot support; allow at most 4");
}

namespace {

// Wilson half-width for x of n, written out: z sqrt(z^2 + 4 x (n - x) / n) / (2 (n + z^2)).
double wilson_half_width(std::int64_t x, std::int64_t n, double z) {
  const auto dx = static_cast<double>(x), dn = static_cast<double>(n);
  return z * std::sqrt(z * z + 4 * dx * (dn - dx) / dn) / (2 * (dn + z * z));
}

constexpr double z95 = 1.959963984540054;

// E[half-width] and P(half-width <= H) for the 95% Wilson interval, summing every x = 0..n.
std::pair<double, double> wilson_direct(std::int64_t n, double p, double H) {
  double e = 0, a = 0;
  for (std::int64_t x = 0; x <= n; ++x) {
    const double w = wilson_half_width(x, n, z95), px = binomial_pmf(x, n, p);
    e += px * w;
    if (w <= H + 1e-12) a += px;
  }
  return {e, a};
}

PrecisionRequest precision(double P, double H) {
  PrecisionRequest q;
  q.rate = P;
  q.margin = H;
  return q;
}

}  // namespace

TEST_CASE("precision: Wilson, expected half-width, against direct evaluation at n - 1 and n") {
  for (double P : {0.5, 0.3, 0.1, 0.03})
    for (double H : {0.2, 0.1, 0.05, 0.03}) {
      CAPTURE(P);
      CAPTURE(H);
      const auto r = plan_precision(precision(P, H));
      const auto [at_n, a_n] = wilson_direct(r.n, P, H);
      CHECK(r.achieved.expected == doctest::Approx(at_n).epsilon(1e-10));
      CHECK(r.achieved.assurance == doctest::Approx(a_n).epsilon(1e-10));
      CHECK(at_n <= H);
      if (r.n > 1) CHECK(wilson_direct(r.n - 1, P, H).first > H);
      // Small answers: no smaller n meets the criterion either (scan of every n).
      if (r.n <= 200)
        CHECK(scan([&](std::int64_t n) { return wilson_direct(n, P, H).first <= H; }, r.n) == r.n);
    }
}

TEST_CASE("precision: the assured criterion and its sawtooth") {
  for (double P : {0.5, 0.2})
    for (double A : {0.5, 0.8, 0.95}) {
      CAPTURE(P);
      CAPTURE(A);
      auto q = precision(P, 0.1);
      q.criterion = WidthCriterion::assured;
      q.assurance = A;
      const auto r = plan_precision(q);
      // The answer is the first n, in a scan of every n, with P(half-width <= H) >= A.
      const std::int64_t first =
          scan([&](std::int64_t n) { return wilson_direct(n, P, 0.1).second >= A; }, 2000);
      CHECK(r.n == first);
      CHECK(r.achieved.assurance >= A);
    }
}

TEST_CASE("precision: finite population, hypergeometric interval on K / M, by direct evaluation") {
  for (std::int64_t M : {60, 120})
    for (double H : {0.15, 0.1}) {
      CAPTURE(M);
      CAPTURE(H);
      auto q = precision(0.3, H);
      q.method.reset();
      q.population = M;
      const auto r = plan_precision(q);
      const std::int64_t K = std::llround(0.3 * static_cast<double>(M));
      CHECK(*r.true_count == K);
      auto direct = [&](std::int64_t n) {
        double e = 0;
        for (std::int64_t x = 0; x <= n; ++x) {
          const double px = hypergeometric_pmf(x, n, K, M);
          if (px == 0) continue;
          const CountInterval c = hypergeometric_interval(x, n, M, 0.95);
          e += px * static_cast<double>(c.upper - c.lower) / (2 * static_cast<double>(M));
        }
        return e;
      };
      CHECK(r.achieved.expected == doctest::Approx(direct(r.n)).epsilon(1e-9));
      CHECK(direct(r.n) <= H + 1e-12);
      CHECK(scan([&](std::int64_t n) { return direct(n) <= H + 1e-12; }, M) == r.n);
    }
  auto q = precision(0.5, 0.01);
  q.method.reset();
  q.population = 1'000'000;
  q.work_limit = 1'000'000;
  CHECK(error_of([&] { plan_precision(q); })
            .starts_with(
                "method hypergeometric: the sample needed is beyond exact computation: evaluating n = "));
}

TEST_CASE("precision: bad input") {
  CHECK(error_of([] { plan_precision(precision(0, 0.1)); }) ==
        "rate is 0, but must be strictly between 0 and 1");
  CHECK(error_of([] { plan_precision(precision(0.5, 0)); }) ==
        "margin is 0, but must be greater than 0 and below 1");
  CHECK(error_of([] { plan_precision(precision(0.5, 0.0001)); }) ==
        "margin 1e-04: no sample of up to 1000000 records gives an expected half-width of at most 1e-04 at "
        "rate 0.5");
  auto q = precision(0.5, 0.01);
  q.population = 100;
  CHECK(error_of([&] {
          plan_precision(q);
        }).starts_with("margin 0.01: no sample of up to 100 records (the whole"));
  q = precision(0.5, 0.1);
  q.method.reset();
  CHECK(error_of([&] { plan_precision(q); }) == "method hypergeometric needs population M");
}

namespace {

// Power by brute force: every table x1 = 0..n1, x2 = 0..n2, probabilities from log-gamma, the
// decision taken from difference.hpp directly (Fisher's p-value, or the interval excluding 0).
double brute_power(DetectTest test, double alpha, double p1, std::int64_t n1, double p2, std::int64_t n2) {
  double power = 0;
  for (std::int64_t x1 = 0; x1 <= n1; ++x1)
    for (std::int64_t x2 = 0; x2 <= n2; ++x2) {
      bool reject;
      if (test == DetectTest::fisher) {
        reject = fisher_exact_p(x1, n1, x2, n2) <= alpha;
      } else {
        const auto m = test == DetectTest::newcombe ? DiffMethod::newcombe : DiffMethod::miettinen_nurminen;
        const Interval i = difference_interval(m, x1, n1, x2, n2, 1 - alpha);
        reject = i.lower > 0 || i.upper < 0;
      }
      if (reject) power += binomial_pmf(x1, n1, p1) * binomial_pmf(x2, n2, p2);
    }
  return power;
}

DetectRequest detect(double from, double to, DetectTest test = DetectTest::fisher) {
  DetectRequest q;
  q.from = from;
  q.to = to;
  q.test = test;
  return q;
}

}  // namespace

TEST_CASE("detect: exact power agrees with a brute-force enumeration of every table") {
  struct Case {
    double p1;
    std::int64_t n1;
    double p2;
    std::int64_t n2;
  };
  // p1 = p2 = 0.5 on small samples: every table carries mass, so one wrong decision would show.
  const Case cases[] = {{0.5, 12, 0.5, 12}, {0.5, 15, 0.5, 22}, {0.5, 30, 0.2, 30},
                        {0.1, 40, 0.3, 25}, {0.5, 44, 0.2, 44}, {0.9, 20, 0.6, 35}};
  for (DetectTest test : {DetectTest::fisher, DetectTest::newcombe, DetectTest::miettinen_nurminen})
    for (double alpha : {0.05, 0.01})
      for (const auto& c : cases) {
        CAPTURE(detect_test_name(test));
        CAPTURE(alpha);
        CAPTURE(c.n1);
        CAPTURE(c.n2);
        CHECK(detect_power(test, alpha, c.p1, c.n1, c.p2, c.n2) ==
              doctest::Approx(brute_power(test, alpha, c.p1, c.n1, c.p2, c.n2)).epsilon(1e-10));
      }
}

TEST_CASE("detect: the planned size is the first n with the wanted power") {
  for (DetectTest test : {DetectTest::fisher, DetectTest::newcombe, DetectTest::miettinen_nurminen}) {
    CAPTURE(detect_test_name(test));
    const auto r = plan_detect(detect(0.5, 0.2, test));
    CHECK(r.n2 == r.n1);
    CHECK(brute_power(test, 0.05, 0.5, r.n1, 0.2, r.n2) >= 0.8);
    // Every smaller size falls short (scan by brute force).
    for (std::int64_t n = 1; n < r.n1; ++n) {
      CAPTURE(n);
      CHECK(brute_power(test, 0.05, 0.5, n, 0.2, n) < 0.8);
    }
  }
  auto q = detect(0.3, 0.1);
  q.ratio = 1.5;
  const auto r = plan_detect(q);
  CHECK(r.n2 == static_cast<std::int64_t>(std::ceil(1.5 * static_cast<double>(r.n1))));
  CHECK(brute_power(DetectTest::fisher, 0.05, 0.3, r.n1, 0.1, r.n2) >= 0.8);
  CHECK(brute_power(DetectTest::fisher, 0.05, 0.3, r.n1 - 1, 0.1, second_sample(1.5, r.n1 - 1)) < 0.8);
}

TEST_CASE("detect: exact power agrees with simulation within 4 standard errors") {
  // Independent draws with Boost.Random on the project's engine; fixed seed.
  Engine engine = make_stream(default_seed, 5);
  const std::int64_t n = 44, reps = 20000;
  boost::random::binomial_distribution<std::int64_t> first(n, 0.5), second(n, 0.2);
  std::int64_t rejected = 0;
  for (std::int64_t i = 0; i < reps; ++i)
    if (detect_rejects(DetectTest::fisher, 0.05, first(engine), n, second(engine), n)) ++rejected;
  const double simulated = static_cast<double>(rejected) / static_cast<double>(reps);
  const double exact = detect_power(DetectTest::fisher, 0.05, 0.5, n, 0.2, n);
  const double se = std::sqrt(exact * (1 - exact) / static_cast<double>(reps));
  CHECK(std::abs(simulated - exact) < 4 * se);
}

TEST_CASE("detect n: the power at a size and the smallest detectable change") {
  auto q = detect(0.5, 0.2);
  q.n = 30;
  const auto r = plan_detect(q);
  CHECK(r.power == doctest::Approx(brute_power(DetectTest::fisher, 0.05, 0.5, 30, 0.2, 30)).epsilon(1e-10));
  REQUIRE(r.detectable);
  CHECK(*r.detectable < 0.5);
  CHECK(brute_power(DetectTest::fisher, 0.05, 0.5, 30, *r.detectable, 30) >= 0.8);
  CHECK(brute_power(DetectTest::fisher, 0.05, 0.5, 30, *r.detectable + 2e-6, 30) < 0.8);
  // Two records per inspection can detect nothing at 80% power.
  q.n = 2;
  CHECK_FALSE(plan_detect(q).detectable);
}

TEST_CASE("detect: bad input") {
  CHECK(error_of([] { plan_detect(detect(0.5, 0.5)); }) ==
        "to is 0.5, the same as from: there is no change to detect");
  CHECK(error_of([] { plan_detect(detect(1, 0.5)); }) == "from is 1, but must be strictly between 0 and 1");
  auto q = detect(0.5, 0.2);
  q.ratio = 0;
  CHECK(error_of([&] { plan_detect(q); }) == "ratio is 0, but must be greater than 0 and at most 1000000");
  CHECK(error_of([] { parse_detect_test("chi2"); }) ==
        "test is 'chi2', but must be fisher, newcombe or miettinen-nurminen");
  q = detect(0.5, 0.45);
  q.work_limit = 1'000'000;
  CHECK(error_of([&] {
          plan_detect(q);
        }).starts_with("the sample needed is beyond exact enumeration: evaluating the power at n1 = "));
}

namespace {

// scenarios/plan-grade-sawtooth.toml: Force F's true rate is 30%, graded "low" up to 10% and "high"
// above: the correct grade is "high" and P(correct) = P(X > n / 10) = 1 - P(X <= floor(n / 10)), a
// sawtooth in n (0.9596 at n = 9, 0.8507 at n = 10). Force G (10%, 50 records) is its comparison.
SimulationSpec sawtooth_spec() {
  return load_scenario(inspectsim::test::source_path("scenarios/plan-grade-sawtooth.toml"));
}
constexpr const char* cell_f = "Force F/all records";

double p_high(std::int64_t n) {
  return 1 - binomial_cdf(static_cast<std::int64_t>(std::floor(0.1 * static_cast<double>(n) + 1e-9)), n, 0.3);
}

}  // namespace

TEST_CASE("scenario: the smallest sample for a grade target is the exact one, sawtooth and all") {
  const SimulationSpec spec = sawtooth_spec();
  const auto plan = plan_scenario(spec, cell_f, parse_scenario_target("p_correct_grade>=0.95"));
  // By direct evaluation: the first n with P(correct) >= 0.95 is 9; sizes 1 to 8 fall short by at
  // least 5 standard errors of a 20000-replicate estimate, and 10 to 13 fall back below.
  std::int64_t exact = 1;
  while (p_high(exact) < 0.95) ++exact;
  CHECK(exact == 9);
  CHECK(plan.sample == exact);
  CHECK(plan.search.scanned_from == 1);
  REQUIRE(plan.at.exact);
  CHECK(*plan.at.exact == doctest::Approx(p_high(9)).epsilon(1e-9));
  CHECK(std::abs(plan.at.estimate.value - p_high(9)) < 4 * plan.at.estimate.se);
  REQUIRE(plan.below);
  CHECK_FALSE(plan.below->meets);
}

TEST_CASE("scenario: the power of a comparison agrees with the exact power at the answer") {
  SimulationSpec spec = sawtooth_spec();
  spec.replicates = 2000;
  const auto plan = plan_scenario(spec, cell_f, parse_scenario_target("power>=0.5"));
  // The other cell keeps its 50 records; the exact power (detect_power) brackets the answer, allowing
  // for the Monte Carlo decision within 4 standard errors of the target.
  const double at = detect_power(DetectTest::fisher, 0.05, 0.3, plan.sample, 0.1, 50);
  CHECK(at >= 0.5 - 4 * plan.at.estimate.se);
  CHECK(std::abs(plan.at.estimate.value - at) < 4 * plan.at.estimate.se);
  if (plan.below)
    CHECK(detect_power(DetectTest::fisher, 0.05, 0.3, plan.sample - 1, 0.1, 50) <
          0.5 + 4 * plan.below->estimate.se);
}

TEST_CASE("scenario: bad targets and cells") {
  const SimulationSpec spec = sawtooth_spec();
  CHECK(error_of([] { parse_scenario_target("coverage>=0.9"); }) ==
        "target is 'coverage>=0.9', but must be METRIC>=VALUE with METRIC p_correct_grade, coverage:METHOD, "
        "power or power:I");
  CHECK(error_of([] { parse_scenario_target("power>=1.2"); }) ==
        "target is 'power>=1.2': the value '1.2' must be strictly between 0 and 1");
  CHECK(error_of([&] { plan_scenario(spec, "H/c", parse_scenario_target("power>=0.8")); }) ==
        "cell 'H/c' is not a cell of " + spec.source_path +
            "; its cells: 'Force F/all records', 'Force G/all records'");
  CHECK(error_of([&] { plan_scenario(spec, cell_f, parse_scenario_target("coverage:jeffreys>=0.9")); }) ==
        "target coverage:jeffreys>=0.9: the method 'jeffreys' is not among the scenario's methods");
}
