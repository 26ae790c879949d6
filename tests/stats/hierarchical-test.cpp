// Tests for include/inspectsim/stats/hierarchical.hpp.
#include "inspectsim/stats/hierarchical.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "inspectsim/base/error.hpp"
#include "inspectsim/random/rng.hpp"

using namespace inspectsim;
using namespace inspectsim::base;
using namespace inspectsim::stats;

namespace {

// BDA3's rat-tumour data (Gelman et al., Bayesian Data Analysis, 3rd ed., Table 5.1, from Tarone
// 1982): tumours y_j of n_j rats in 70 historical experiments, then the current one, 4 of 14. As
// distributed with the book (http://www.stat.columbia.edu/~gelman/book/data/rats.asc) and reproduced in
// the PyMC and Stan example galleries.
const std::vector<int> rat_y{0, 0, 0, 0,  0, 0, 0, 0, 0,  0,  0, 0, 0, 0, 1, 1, 1, 1, 1,  1,  1,  1, 2, 2,
                             2, 2, 2, 2,  2, 2, 2, 1, 5,  2,  5, 3, 2, 7, 7, 3, 3, 2, 9,  10, 4,  4, 4, 4,
                             4, 4, 4, 10, 4, 4, 4, 5, 11, 12, 5, 5, 6, 5, 6, 6, 6, 6, 16, 15, 15, 9, 4};
const std::vector<int> rat_n{20, 20, 20, 20, 20, 20, 20, 19, 19, 19, 19, 18, 18, 17, 20, 20, 20, 20,
                             19, 19, 18, 18, 25, 24, 23, 20, 20, 20, 20, 20, 20, 10, 49, 19, 46, 27,
                             17, 49, 47, 20, 20, 13, 48, 50, 20, 20, 20, 20, 20, 20, 20, 48, 19, 19,
                             19, 22, 46, 49, 20, 20, 23, 19, 22, 20, 20, 20, 52, 46, 47, 24, 14};

std::vector<Count> rats() {
  std::vector<Count> d;
  for (std::size_t j = 0; j < rat_y.size(); ++j) d.push_back({rat_y[j], rat_n[j]});
  return d;
}

// An independent reference: BDA3's own formula for the posterior of (log(alpha/beta), log(alpha+beta))
// (sec. 5.3: p proportional to alpha beta (alpha+beta)^(-5/2) prod_j B(alpha+y_j, beta+n_j-y_j) /
// B(alpha, beta)), with lgamma, on a fixed fine grid integrated by Simpson's rule.
struct Reference {
  std::vector<double> eta, lambda;  // nodes
  std::vector<double> w;            // Simpson weight times the normalised density, row-major in eta
};

double log_post_bda3(const std::vector<Count>& d, double eta, double lambda) {
  const double s = std::exp(lambda);
  const double alpha = s / (1 + std::exp(-eta)), beta = s / (1 + std::exp(eta));
  double v = std::log(alpha) + std::log(beta) - 2.5 * std::log(alpha + beta);
  for (const Count& c : d) {
    const auto y = static_cast<double>(c.x), n = static_cast<double>(c.n);
    v += std::lgamma(alpha + y) + std::lgamma(beta + n - y) - std::lgamma(alpha + beta + n) -
         std::lgamma(alpha) - std::lgamma(beta) + std::lgamma(alpha + beta);
  }
  return v;
}

std::vector<double> simpson_weights(int n, double h) {  // n odd
  std::vector<double> w(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    w[static_cast<std::size_t>(i)] = (i == 0 || i == n - 1 ? 1 : i % 2 ? 4 : 2) * h / 3;
  return w;
}

Reference reference(const std::vector<Count>& d, double e0, double e1, double l0, double l1, int ne, int nl) {
  Reference r;
  const double he = (e1 - e0) / (ne - 1), hl = (l1 - l0) / (nl - 1);
  for (int i = 0; i < ne; ++i) r.eta.push_back(e0 + i * he);
  for (int j = 0; j < nl; ++j) r.lambda.push_back(l0 + j * hl);
  const std::vector<double> we = simpson_weights(ne, he), wl = simpson_weights(nl, hl);
  std::vector<double> f;
  double top = -1e300;
  for (double e : r.eta)
    for (double l : r.lambda) {
      f.push_back(log_post_bda3(d, e, l));
      top = std::max(top, f.back());
    }
  // The box must hold the posterior: the density on its edges is negligible.
  for (int i = 0; i < ne; ++i) {
    CHECK(f[static_cast<std::size_t>(i * nl)] < top - 25);
    CHECK(f[static_cast<std::size_t>(i * nl + nl - 1)] < top - 25);
  }
  for (int j = 0; j < nl; ++j) {
    CHECK(f[static_cast<std::size_t>(j)] < top - 25);
    CHECK(f[static_cast<std::size_t>((ne - 1) * nl + j)] < top - 25);
  }
  double z = 0;
  for (int i = 0; i < ne; ++i)
    for (int j = 0; j < nl; ++j) {
      const auto k = static_cast<std::size_t>(i * nl + j);
      r.w.push_back(we[static_cast<std::size_t>(i)] * wl[static_cast<std::size_t>(j)] * std::exp(f[k] - top));
      z += r.w.back();
    }
  for (double& v : r.w) v /= z;
  return r;
}

template <class F>
double expect(const Reference& r, F f) {
  double s = 0;
  const std::size_t n = r.lambda.size();
  for (std::size_t i = 0; i < r.eta.size(); ++i)
    for (std::size_t j = 0; j < n; ++j) s += r.w[i * n + j] * f(r.eta[i], r.lambda[j]);
  return s;
}

double logistic(double x) { return 1 / (1 + std::exp(-x)); }

// Boost.Math in double precision (not promoted to long double): fast enough for the reference's 50,000 nodes.
const boost::math::policies::policy<boost::math::policies::promote_double<false>> in_double;

}  // namespace

TEST_CASE("BDA3's rat tumours under bda3 agree with an independent Simpson integration to 1e-5") {
  const std::vector<Count> d = rats();
  Hyperprior h;
  h.kind = HyperpriorKind::bda3;
  const HierarchicalFit fit = fit_hierarchical(d, h, 0.95);
  CHECK(fit.accuracy < 1e-6);
  const Reference ref = reference(d, -3.4, -0.4, -2.0, 26.0, 161, 321);
  // The typical rate alpha / (alpha + beta) and the spread rho = 1 / (alpha + beta + 1).
  CHECK(fit.typical_rate.estimate ==
        doctest::Approx(expect(ref, [](double e, double) { return logistic(e); })).epsilon(1e-5));
  CHECK(fit.spread.estimate ==
        doctest::Approx(expect(ref, [](double, double l) { return 1 / (std::exp(l) + 1); })).epsilon(1e-5));
  // BDA3 sec. 5.3 reports the posterior concentrated near alpha/(alpha+beta) = 0.14 (Fig. 5.4).
  CHECK(fit.typical_rate.estimate > 0.12);
  CHECK(fit.typical_rate.estimate < 0.16);
  CHECK(fit.typical_rate.lower < fit.typical_rate.estimate);
  CHECK(fit.typical_rate.estimate < fit.typical_rate.upper);
  // Each experiment's posterior mean E[(alpha + y) / (alpha + beta + n)].
  for (const Count& c : d) {
    const auto y = static_cast<double>(c.x), n = static_cast<double>(c.n);
    const double expected = expect(ref, [&](double e, double l) {
      const double s = std::exp(l);
      return (s * logistic(e) + y) / (s + n);
    });
    CHECK(std::abs(hierarchical_shrink(fit, c).estimate - expected) < 1e-5);
  }
  // Intervals of a few experiments (the first, 0 of 20; two large ones; the current one, 4 of 14): the
  // reference mixture's CDF at our ends is 0.025 and 0.975.
  for (std::size_t j : {std::size_t{0}, std::size_t{43}, std::size_t{66}, std::size_t{70}}) {
    const ShrunkEstimate s = hierarchical_shrink(fit, d[j], std::vector<double>{0.2});
    const auto y = static_cast<double>(d[j].x), n = static_cast<double>(d[j].n);
    auto cdf = [&](double t) {
      return expect(ref, [&](double e, double l) {
        const double m = std::exp(l);
        return boost::math::ibeta(m * logistic(e) + y, m * logistic(-e) + n - y, t, in_double);
      });
    };
    CAPTURE(j);
    CHECK(std::abs(cdf(s.lower) - 0.025) < 1e-5);
    CHECK(std::abs(cdf(s.upper) - 0.975) < 1e-5);
    CHECK(std::abs(1 - cdf(0.2) - s.p_above[0].probability) < 1e-5);
  }
  // The typical rate's and the spread's interval ends: the reference's marginal CDFs of eta and lambda
  // there are 0.025 and 0.975. Each marginal density is BDA3's formula summed by Simpson's rule over
  // the other axis, and integrated in six 20-point Gauss-Legendre panels (a fixed rule, not the
  // code's cells and root finder). They agree to about 4e-9.
  const double offset = log_post_bda3(d, std::log(0.14 / 0.86), std::log(14.0));
  auto marginal = [&](bool by_eta, double t) {
    const double l0 = by_eta ? -2.0 : -3.4, l1 = by_eta ? 26.0 : -0.4;
    const int n = by_eta ? 321 : 161;
    const double step = (l1 - l0) / (n - 1);
    const std::vector<double> w = simpson_weights(n, step);
    double sum = 0;
    for (int k = 0; k < n; ++k) {
      const double other = l0 + k * step;
      sum += w[static_cast<std::size_t>(k)] *
             std::exp((by_eta ? log_post_bda3(d, t, other) : log_post_bda3(d, other, t)) - offset);
    }
    return sum;
  };
  auto mass = [&](bool by_eta, double from, double to) {
    double m = 0;
    for (int panel = 0; panel < 6; ++panel) {
      const double a = from + (to - from) * panel / 6, b = from + (to - from) * (panel + 1) / 6;
      m += boost::math::quadrature::gauss<double, 20>::integrate(
          [&](double t) { return marginal(by_eta, t); }, a, b);
    }
    return m;
  };
  const double eta_total = mass(true, -3.4, -0.4);
  const double logit_lo = std::log(fit.typical_rate.lower / (1 - fit.typical_rate.lower));
  const double logit_hi = std::log(fit.typical_rate.upper / (1 - fit.typical_rate.upper));
  CHECK(std::abs(mass(true, -3.4, logit_lo) / eta_total - 0.025) < 1e-7);
  CHECK(std::abs(mass(true, -3.4, logit_hi) / eta_total - 0.975) < 1e-7);
  // rho = 1 / (M + 1) falls as lambda = log M rises: rho's lower end is lambda's upper quantile.
  const double lambda_total = mass(false, -2.0, 26.0);
  const double lambda_of_lower = std::log(1 / fit.spread.lower - 1);
  const double lambda_of_upper = std::log(1 / fit.spread.upper - 1);
  CHECK(std::abs(mass(false, -2.0, lambda_of_upper) / lambda_total - 0.025) < 1e-7);
  CHECK(std::abs(mass(false, -2.0, lambda_of_lower) / lambda_total - 0.975) < 1e-7);
}

TEST_CASE("95% intervals cover the true rates of groups drawn from the default hyperprior") {
  // The defining property of a Bayesian interval under its prior. Groups of 5 to 43 forces with
  // samples of 17-20, (mu, M) from the default hyperprior (mu ~ U(0,1); M = u/(1-u) has
  // P(M <= m) = m/(1+m), the law with density 1/(1+M)^2). A force's true rate lies in its
  // equal-tailed 95% interval exactly when its posterior CDF there is in [0.025, 0.975].
  random::Engine engine = random::make_stream(20261201, 0, 0);
  boost::random::uniform_01<double> u01;
  int covered = 0, total = 0;
  for (int g = 0; g < 30; ++g) {
    const int forces = 5 + (g * 13) % 39;
    const double mu = u01(engine), u = u01(engine), m = u / (1 - u);
    boost::random::beta_distribution<double> prior(mu * m, (1 - mu) * m);
    std::vector<Count> d;
    std::vector<double> truth;
    for (int i = 0; i < forces; ++i) {
      double theta = prior(engine);
      if (!std::isfinite(theta)) theta = u01(engine) < mu ? 1.0 : 0.0;  // M so small the draw degenerates
      const std::int64_t n = 17 + static_cast<std::int64_t>(engine() % 4);
      d.push_back({boost::random::binomial_distribution<std::int64_t, double>(n, theta)(engine), n});
      truth.push_back(theta);
    }
    const HierarchicalFit fit = fit_hierarchical(d, Hyperprior{}, 0.95);
    for (std::size_t i = 0; i < d.size(); ++i) {
      const double p = hierarchical_cdf(fit, d[i], truth[i]);
      covered += p >= 0.025 && p <= 0.975 ? 1 : 0;
      ++total;
    }
  }
  const double coverage = static_cast<double>(covered) / total;
  const double se = std::sqrt(0.95 * 0.05 / total);
  CAPTURE(total);
  CHECK(std::abs(coverage - 0.95) < 4 * se);
}

TEST_CASE("no spread in the data: each force's interval is at least as wide as the pooled rate's") {
  // Issue #14's group "CDI 2018 / rape": 3 of 19, 4 of 20, 1 of 18, 1 of 19. The empirical-Bayes fit
  // put M at its bound and gave 11.8% to 11.9%; 9 of 76 alone allows roughly 6% to 21%.
  const std::vector<Count> d{{3, 19}, {4, 20}, {1, 18}, {1, 19}};
  const HierarchicalFit fit = fit_hierarchical(d, Hyperprior{}, 0.95);
  const boost::math::beta_distribution<double> pooled(9.5, 67.5);  // Jeffreys posterior of 9 of 76
  const double width =
      boost::math::quantile(boost::math::complement(pooled, 0.025)) - boost::math::quantile(pooled, 0.025);
  for (const Count& c : d) {
    const ShrunkEstimate s = hierarchical_shrink(fit, c);
    CHECK(s.upper - s.lower >= width);
    CHECK(s.lower < 9.0 / 76);
    CHECK(s.upper > 9.0 / 76);
  }
  CHECK(fit.typical_rate.upper - fit.typical_rate.lower >= width);
}

TEST_CASE("the issue's crashing file gives sensible estimates") {
  const std::vector<Count> d{{9, 36}, {0, 9}, {1, 20}, {9, 57}, {12, 54}};
  const HierarchicalFit fit = fit_hierarchical(d, Hyperprior{}, 0.95);
  CHECK(fit.typical_rate.estimate > 0.1);
  CHECK(fit.typical_rate.estimate < 0.3);
  for (const Count& c : d) {
    const ShrunkEstimate s = hierarchical_shrink(fit, c);
    CHECK(s.lower < s.estimate);
    CHECK(s.estimate < s.upper);
    CHECK(s.weight > 0);
    CHECK(s.weight < 1);
    // Shrunk toward the typical rate: between the raw rate and the typical rate's posterior mean.
    const double raw = static_cast<double>(c.x) / static_cast<double>(c.n);
    CHECK(std::min(raw, fit.typical_rate.estimate) - 1e-9 <= s.estimate);
    CHECK(s.estimate <= std::max(raw, fit.typical_rate.estimate) + 1e-9);
  }
}

TEST_CASE("the default hyperprior is proper: no force wrong still gives intervals") {
  const std::vector<Count> d{{0, 10}, {0, 20}, {0, 5}};
  const HierarchicalFit fit = fit_hierarchical(d, Hyperprior{}, 0.95);
  const ShrunkEstimate s = hierarchical_shrink(fit, {0, 5});
  CHECK(s.lower >= 0);
  CHECK(s.upper > 0.01);
  CHECK(s.upper < 0.5);
}

TEST_CASE("improper_posterior: bda3 only, and only without a unit having some but not all wrong") {
  Hyperprior bda3;
  bda3.kind = HyperpriorKind::bda3;
  // Worked by hand at mu = 1/2 (a = b = M/2, log p(mu, M) = log(1/4) - lambda/2 with the Jacobian):
  //  {1 of 2, 0 of 1}: B(a+1, b+1)/B(a, b) = a b / ((a+b)(a+b+1)) = M / (4 (M+1)) and b/(a+b) = 1/2, so
  //    log p = const + lambda/2 - log(1 + e^lambda): integrable as lambda -> -inf (proper).
  //  {0 of 1, 1 of 1}: b/(a+b) = a/(a+b) = 1/2 whatever M, so log p = const - lambda/2: not integrable
  //    as lambda -> -inf (improper).
  const std::vector<Count> interior{{1, 2}, {0, 1}};
  const std::vector<Count> extreme{{0, 1}, {1, 1}};
  CHECK_FALSE(improper_posterior(bda3, interior));
  CHECK(improper_posterior(bda3, extreme));
  for (const double lambda : {-30.0, -5.0, 0.0, 4.0}) {
    CAPTURE(lambda);
    const double ref = 1;  // log densities are up to a constant: compare differences from lambda = 1
    CHECK(hierarchical_log_density(interior, bda3, 0, lambda) -
              hierarchical_log_density(interior, bda3, 0, ref) ==
          doctest::Approx((lambda - ref) / 2 - std::log1p(std::exp(lambda)) + std::log1p(std::exp(ref)))
              .epsilon(1e-12));
    CHECK(hierarchical_log_density(extreme, bda3, 0, lambda) -
              hierarchical_log_density(extreme, bda3, 0, ref) ==
          doctest::Approx(-(lambda - ref) / 2).epsilon(1e-12));
  }
  // Every unit none or all wrong, of any size; one unit in between is enough.
  CHECK(improper_posterior(bda3, std::vector<Count>{{0, 10}, {20, 20}, {0, 5}}));
  CHECK_FALSE(improper_posterior(bda3, std::vector<Count>{{0, 10}, {19, 20}, {0, 5}}));
  // The proper default never is.
  CHECK_FALSE(improper_posterior(Hyperprior{}, extreme));
  CHECK_FALSE(improper_posterior(Hyperprior{}, std::vector<Count>{{0, 10}, {0, 20}}));
}

TEST_CASE("bda3 is refused where its posterior is improper") {
  Hyperprior h;
  h.kind = HyperpriorKind::bda3;
  const std::vector<Count> none{{0, 10}, {0, 20}, {0, 5}};
  const std::vector<Count> all_or_none{{10, 10}, {0, 20}, {5, 5}};
  for (const auto& d : {none, all_or_none})
    CHECK_THROWS_WITH_AS(fit_hierarchical(d, h, 0.95),
                         doctest::Contains("hyperprior is 'bda3', whose prior is improper"), InputError);
  const std::vector<Count> one_between{{0, 10}, {3, 20}, {5, 5}};
  CHECK_NOTHROW(fit_hierarchical(one_between, h, 0.95));
}

TEST_CASE("hyperprior names and parameters") {
  CHECK(hyperprior_text(parse_hyperprior("albert")) == "albert,1,1,1");
  CHECK(hyperprior_text(parse_hyperprior("albert,5")) == "albert,5,1,1");
  CHECK(hyperprior_text(parse_hyperprior("albert,2,1,9")) == "albert,2,1,9");
  CHECK(parse_hyperprior("bda3").kind == HyperpriorKind::bda3);
  CHECK_THROWS_WITH_AS(parse_hyperprior("flat"),
                       "hyperprior is 'flat', but must be 'albert', 'albert,S', 'albert,S,A,B' (M's scale S, "
                       "mu ~ Beta(A, B)) or 'bda3'",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_hyperprior("albert,0"),
                       "hyperprior is 'albert,0', but parameter '0' must be a positive finite number",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_hyperprior("albert,1,2"),
                       "hyperprior is 'albert,1,2', but albert takes 0, 1 or 3 parameters: 'albert', "
                       "'albert,S' or 'albert,S,A,B'",
                       InputError);
  CHECK_THROWS_AS(parse_hyperprior("bda3,1"), InputError);
  // The default's density in (logit mu, log M): mu(1-mu) from mu ~ U(0,1), and M/(1+M)^2.
  const double eta = 0.3, lambda = 1.7, mu = logistic(eta), m = std::exp(lambda);
  CHECK(log_hyperprior(Hyperprior{}, eta, lambda) ==
        doctest::Approx(std::log(mu * (1 - mu) * m / ((1 + m) * (1 + m)))));
}
