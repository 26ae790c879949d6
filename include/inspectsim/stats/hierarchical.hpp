// A full hierarchical (beta-binomial) model of the units of a group, with the group's parameters
// integrated out rather than fitted:
//   X_i ~ Binomial(N_i, theta_i),  theta_i ~ Beta(mu M, (1 - mu) M),  (mu, M) ~ a hyperprior,
// (Gelman et al., Bayesian Data Analysis, 3rd ed. (BDA3), sec. 5.3). The posterior of (mu, M) is
// computed by deterministic numerical integration on a grid in (eta, lambda) = (logit mu, log M),
// refined until it is stable, so each unit's posterior for theta_i is a finite mixture of Betas
// Beta(mu_k M_k + X_i, (1 - mu_k) M_k + N_i - X_i) with the grid's weights. Unlike the empirical-Bayes
// fit of shrinkage.hpp it never treats the spread between units as known, so no interval is
// narrower than the data allow. Pure functions: no randomness, no I/O.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inspectsim/stats/funnel.hpp"
#include "inspectsim/stats/shrinkage.hpp"

namespace inspectsim::stats {

enum class HyperpriorKind { albert, bda3 };

// The hyperprior on (mu, M).
//  albert (the default, proper): mu ~ Beta(mu_a, mu_b) (default Uniform(0, 1)) and, independently,
//    p(M) = s / (s + M)^2 with scale s (default 1; the median of M is s). p(M) = 1/(1 + M)^2 is the
//    prior on the beta-binomial precision in Albert, Bayesian Computation with R (2nd ed., 2009,
//    sec. 5.4); it is a log-logistic law, so log M has a logistic prior centred on log s.
//  bda3 (improper): p(alpha, beta) proportional to (alpha + beta)^(-5/2), alpha = mu M,
//    beta = (1 - mu) M (BDA3 sec. 5.3, eq. 5.9), i.e. p(mu, M) proportional to M^(-3/2).
struct Hyperprior {
  HyperpriorKind kind = HyperpriorKind::albert;
  double scale = 1;
  double mu_a = 1;
  double mu_b = 1;
};

// "albert,S,A,B" (every parameter spelled) or "bda3".
std::string hyperprior_text(const Hyperprior& h);
// "albert", "albert,S" or "albert,S,A,B" (S, A, B positive and finite), or "bda3"; InputError
// naming the field `hyperprior` otherwise.
Hyperprior parse_hyperprior(std::string_view text);

// log p(eta, lambda) of the hyperprior, up to a constant, with the Jacobian of
// (mu, M) -> (logit mu, log M), dmu dM = mu (1 - mu) M deta dlambda.
double log_hyperprior(const Hyperprior& h, double eta, double lambda);

// log p(eta, lambda | data) up to a constant: the log hyperprior plus the log marginal likelihood
// sum_i log[B(a + X_i, b + N_i - X_i) / B(a, b)], a = mu M, b = (1 - mu) M (binomial coefficients
// dropped). Each log ratio of Beta functions is a sum of log rising factorials, computed exactly as
// sums of logs for counts up to 64 and by lgamma or Stirling's series beyond.
double hierarchical_log_density(std::span<const Count> data, const Hyperprior& h, double eta, double lambda);

// Whether the posterior of (mu, M) under h is improper for these counts: only under bda3, whose prior
// is improper, and then exactly when no unit has some but not all of its records wrong
// (0 < X_i < N_i; Tak and Morris's "interior" groups, arXiv:1512.07267). Worked by hand from the
// marginal likelihood of hierarchical_log_density: as M -> 0, a = mu M and b = (1 - mu) M go to 0, and
// a unit's factor B(a + X, b + N - X) / B(a, b) = prod_{k<X} (a + k) prod_{k<N-X} (b + k) /
// prod_{k<N} (a + b + k) (= E[theta^X (1 - theta)^(N-X)] <= 1) is, for M <= 1, at most
// a b / (a + b) X! (N - X)! / (N - 1)! = mu (1 - mu) M X! (N - X)! / (N - 1)! when 0 < X < N, but
// tends to 1 - mu (X = 0) or mu (X = N). Against p(mu, M) ~ M^(-3/2) (BDA3 eq. 5.9) the integral near
// M = 0 then goes as that of M^(-1/2) with such a unit (finite) and of M^(-3/2) without (infinite);
// the factors being at most 1, the tail M -> infinity is finite either way.
bool improper_posterior(const Hyperprior& h, std::span<const Count> data);

// One node of the integration grid: (mu_k, M_k) and its posterior probability.
struct HyperNode {
  double mu = 0;
  double concentration = 0;  // M
  double weight = 0;
};

struct PosteriorSummary {
  double estimate = 0;  // posterior mean
  double lower = 0;     // equal-tailed interval at the fit's confidence
  double upper = 0;
};

struct HierarchicalFit {
  Hyperprior hyperprior;
  double confidence = 0.95;
  std::vector<HyperNode> nodes;  // weights sum to 1; nodes holding less than 1e-12 in all are dropped
  // The group's typical rate mu = alpha / (alpha + beta), the mean of the units' rates.
  PosteriorSummary typical_rate;
  // The spread between units as rho = 1 / (M + 1), the intra-class correlation of the beta-binomial
  // (Var X_i = N_i mu (1 - mu) [1 + (N_i - 1) rho]; Griffiths 1973, Biometrics 29:637-648): 0 when the
  // units share one rate, 1 when each is all wrong or all right.
  PosteriorSummary spread;
  // Posterior mean of the between-unit standard deviation of theta, sqrt(mu (1 - mu) rho).
  double between_sd = 0;
  int grid_eta = 0;     // nodes per axis of the grid used
  int grid_lambda = 0;  //
  double accuracy = 0;  // change of the checked figures when each axis was last halved, summed
};

// The posterior of (mu, M) on a trapezoid grid in (logit mu, log M). The grid's box is found by
// zooming in on where the log density is within 20 of its maximum (the density decays at least
// exponentially outside, so the mass left out is below about 4e-9); the spacing of each axis is then
// halved, the axes separately, until the normalising constant (relatively), the posterior means of
// mu, rho and the between-unit SD, and each unit's posterior mean and pull change by less than 1e-6
// in all (the two axes' changes summed: the product rule's error is, to leading order, the sum of
// its two one-dimensional rules' errors, and the trapezoid rule converges geometrically for such
// smooth, decaying integrands: Trefethen and Weideman 2014, SIAM Review 56:385-458). The ends of a
// unit's interval converge more slowly where much of the posterior lies at very large M (there each
// component is nearly a point mass, so the mixture's CDF steps between nodes): about 1e-4 on the
// shipped cancelled-crimes data against a grid four times finer per axis. The typical rate's and the
// spread's intervals are quantiles of the marginal posteriors of eta and lambda, integrated over each
// grid cell by 10-point Gauss-Legendre quadrature (Boost.Math) and solved by Newton's method
// (Boost.Math), the marginal density being the derivative.
// Throws InputError with fewer than 2 units, when confidence is not in (0, 1), or when the posterior
// is improper (improper_posterior: bda3 with no unit having some but not all of its records wrong).
HierarchicalFit fit_hierarchical(std::span<const Count> data, const Hyperprior& h, double confidence);

// One unit's posterior under the fit: the mixture sum_k w_k Beta(a_k + X, b_k + N - X). estimate is
// its mean, lower and upper its equal-tailed interval at fit.confidence (the mixture's CDF, built
// from boost::math::ibeta, solved by Halley's method on the logit scale), weight the posterior mean
// of M / (M + N), and p_above P(theta > T) for each threshold T (in [0, 1], else InputError).
ShrunkEstimate hierarchical_shrink(const HierarchicalFit& fit, Count c,
                                   std::span<const double> thresholds = {});

// P(theta <= t) under one unit's posterior mixture (t in [0, 1]).
double hierarchical_cdf(const HierarchicalFit& fit, Count c, double t);

}  // namespace inspectsim::stats
