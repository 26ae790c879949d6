// The exact joint law of (truth, observed count) of a cell point, built from the single laws of
// stats/laws.hpp: what the Monte Carlo engine estimates, computed without randomness so the
// simulation can be checked against it. Pure functions: no randomness, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "inspectsim/simulate/simulate.hpp"
#include "inspectsim/stats/laws.hpp"

namespace inspectsim::simulate {

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
  std::optional<stats::BetaShape> beta;
};

// The exact law of a cell point where it can be enumerated within a bounded amount of work (about
// 4e8 elementary operations and 2e6 stored probabilities); nullopt otherwise. Enumerable: fixed
// rates with binomial, hypergeometric or Wallenius sampling or clusters, each with or without
// inspector error; Beta rates with binomial sampling (continuous truth) or with a finite
// population (K mixed over its beta-binomial law), with or without selection and inspector error.
// Not enumerable: Beta rates combined with clusters, or with inspector error and an unlimited
// population.
// The point must be valid (see simulate::run()).
std::optional<CountLaw> exact_count_law(const CellPoint& point);

// P(X = x and lo <= T <= hi).
double probability_truth_within(const CountLaw& law, std::int64_t x, double lo, double hi);
// P(X = x and lo < T <= hi); lo may be -infinity, hi +infinity.
double probability_truth_in_band(const CountLaw& law, std::int64_t x, double lo, double hi);

}  // namespace inspectsim::simulate
