// Shrinkage of each unit's rate toward the group (empirical Bayes): a beta-binomial model
// X_i ~ Binomial(N_i, p_i), p_i ~ Beta(a, b), with (a, b) fitted by maximum marginal likelihood
// (Griffiths 1973, Biometrics 29:637-648; Gelman et al., Bayesian Data Analysis, 3rd ed., sec. 5.3),
// and each unit's posterior Beta(a + X_i, b + N_i - X_i). Pure functions: no randomness, no I/O.
#pragma once

#include <span>
#include <vector>

#include "inspectsim/stats/funnel.hpp"
#include "inspectsim/stats/posterior.hpp"

namespace inspectsim::stats {

struct BetaBinomialFit {
  double mean = 0;           // mu = a / (a + b): the typical rate
  double concentration = 0;  // M = a + b: how tightly the units' rates cluster (a prior "sample size")
  double a = 0;
  double b = 0;
  double spread = 0;  // between-unit standard deviation of the rates: sqrt(mu(1-mu)/(M+1))
  double log_likelihood = 0;
  int iterations = 0;
  // The likelihood still rose at the largest concentration allowed (max_concentration): the data
  // show no spread between units beyond sampling noise, and every unit is pulled to the mean. The fit
  // is then treated as known although the data allow a range of spreads: the shrunk intervals ignore
  // that uncertainty and come out too narrow (the hierarchical model of hierarchical.hpp does not).
  bool no_spread = false;
};

inline constexpr double max_concentration = 1e7;
inline constexpr double min_concentration = 1e-3;

// Log marginal likelihood sum_i log[C(N_i, X_i) B(X_i + a, N_i - X_i + b) / B(a, b)].
double beta_binomial_log_likelihood(std::span<const Count> data, double a, double b);

// Maximum marginal likelihood over (logit mu, log M) by Newton's method with analytic
// derivatives (digamma, trigamma) and step halving; M is kept in [min_concentration,
// max_concentration] and |logit mu| <= 30; a step is at most 4 long and is rejected (halved) when it
// leaves that domain or a derivative is not finite, so the fit never fails on valid counts. Needs at
// least two units; throws InputError otherwise.
BetaBinomialFit fit_beta_binomial(std::span<const Count> data);

struct ShrunkEstimate {
  double estimate = 0;  // posterior mean (a + X) / (M + N)
  double lower = 0;     // equal-tailed interval of Beta(a + X, b + N - X)
  double upper = 1;
  double weight = 0;  // M / (M + N): how far the estimate moves from X/N toward mu (1 = all the way)
  std::vector<Exceedance> p_above;  // one per threshold asked for, in that order
};
ShrunkEstimate shrink(const BetaBinomialFit& fit, Count c, double confidence,
                      std::span<const double> thresholds = {});

}  // namespace inspectsim::stats
