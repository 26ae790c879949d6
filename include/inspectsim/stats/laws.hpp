// Exact laws of an observed count: binomial, hypergeometric, beta-binomial, Wallenius'
// noncentral hypergeometric, their convolutions, misclassification and clustering. What the Monte
// Carlo engine estimates, computed without randomness so the simulation can be checked against it.
//
// Pure functions: no randomness, no I/O. Each law cites its source beside its code in
// sim/stats/laws.cpp. A probability mass function is a vector indexed by the count, 0..n.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace inspectsim::stats {

// ---- Single laws -------------------------------------------------------------------------------

// Binomial(n, p).
std::vector<double> binomial_pmf(std::int64_t n, double p);
// Hypergeometric: wrong records in a sample of n drawn without replacement from M holding K wrong.
std::vector<double> hypergeometric_pmf(std::int64_t n, std::int64_t wrong, std::int64_t population);
// Beta-binomial(n, a, b): X | p ~ Binomial(n, p), p ~ Beta(a, b).
std::vector<double> beta_binomial_pmf(std::int64_t n, double a, double b);
// Wallenius' noncentral hypergeometric: n records drawn one at a time without replacement from M
// holding K wrong, each remaining wrong record `odds` times as likely to be taken as a correct one.
std::vector<double> wallenius_pmf(std::int64_t n, std::int64_t wrong, std::int64_t population, double odds);

// The law of a sum of two independent counts.
std::vector<double> convolve(std::span<const double> a, std::span<const double> b);

// The law of the number of flagged records among n when the number of truly wrong ones has law
// `true_pmf` (over 0..n): each wrong record is flagged with probability `sensitivity`, each
// correct one with probability 1 - `specificity`, independently.
std::vector<double> flagged_pmf(std::span<const double> true_pmf, double sensitivity, double specificity);

// The law of the count in a clustered sample: unit i contributes Beta-binomial(n_i, alpha, beta)
// with mean rate `rate` and intra-class correlation `icc` (Binomial(n_i, rate) when icc = 0).
std::vector<double> clustered_pmf(std::span<const std::int64_t> unit_sizes, double rate, double icc);

// ---- Designs shared by the samplers and the exact laws ----------------------------------------

// A sample of n spread as evenly as possible over `count` units: the first n % count units get
// one record more than the others.
std::vector<std::int64_t> cluster_sizes(std::int64_t n, std::int64_t count);

// The Beta(alpha, beta) law of a unit's rate with mean `rate` and intra-class correlation `icc`:
// alpha = rate (1 - icc) / icc, beta = (1 - rate)(1 - icc) / icc, so that the beta-binomial
// correlation 1 / (alpha + beta + 1) equals icc (Griffiths 1973; Williams 1975).
struct BetaShape {
  double alpha = 0;
  double beta = 0;
};
BetaShape cluster_beta(double rate, double icc);

// The number of wrong records K = round(rate * M) in a finite population with a fixed rate.
std::int64_t population_wrong(double rate, std::int64_t population);

}  // namespace inspectsim::stats
