// Exact laws of the observed count by enumeration: what the Monte Carlo engine estimates, computed
// without randomness so the simulation can be checked against it.
//
// Pure functions: no randomness, no I/O. Each law cites its source beside its code in
// sim/exact.cpp. A probability mass function is a vector indexed by the count, 0..n.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "inspectsim/simulation.hpp"

namespace inspectsim {

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

// ---- Designs shared by the sampler and the exact laws -----------------------------------------

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

// ---- The joint law of (truth, observed count) for a cell point --------------------------------

// T is the truth a replicate is judged against (the rate, or K / M with a finite population);
// X is the observed (flagged) count. Either T takes finitely many values (`components`), or T is
// continuous with a Beta(a, b) law and X | T ~ Binomial(n, T) (`beta`).
struct CountLaw {
  struct Component {
    double weight = 0;  // P(T = truth)
    double truth = 0;
    std::vector<double> pmf;  // P(X = x | T = truth), x = 0..n
  };
  std::int64_t n = 0;
  std::vector<double> pmf;  // P(X = x), x = 0..n
  std::vector<Component> components;
  std::optional<BetaShape> beta;
};

// The exact law of a cell point where it can be enumerated within a bounded amount of work (about
// 4e8 elementary operations and 2e6 stored probabilities); nullopt otherwise. Enumerable: fixed
// rates with binomial, hypergeometric or Wallenius sampling or clusters, each with or without
// inspector error; Beta rates with binomial sampling (continuous truth) or with a finite
// population (K mixed over its beta-binomial law), with or without selection and inspector error.
// Not enumerable: Beta rates combined with clusters, or with inspector error and an unlimited
// population.
// The point must be valid (see simulate()).
std::optional<CountLaw> exact_count_law(const CellPoint& point);

// P(X = x and lo <= T <= hi).
double probability_truth_within(const CountLaw& law, std::int64_t x, double lo, double hi);
// P(X = x and lo < T <= hi); lo may be -infinity, hi +infinity.
double probability_truth_in_band(const CountLaw& law, std::int64_t x, double lo, double hi);

}  // namespace inspectsim
