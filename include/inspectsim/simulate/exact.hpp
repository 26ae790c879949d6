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
// continuous with a Beta(a, b) law and X | T ~ Binomial(n, T) (`beta`), or T is continuous and
// mixed over components that each give its law (`truth_law`): a Beta rate with inspector error and
// no population, where the component is the true count K ~ Beta-binomial(n, a, b), X | K is the
// inspector's flagged law and T | K = k ~ Beta(a + k, b + n - k) (X depends on T only through K).
struct CountLaw {
  struct Component {
    double weight = 0;                          // P(component): P(T = truth), or P(K = k)
    double truth = 0;                           // the truth, or with truth_law its mean
    std::vector<double> pmf;                    // P(X = x | component), x = 0..n
    std::optional<stats::BetaShape> truth_law;  // T | component ~ Beta, when T is continuous
  };
  std::int64_t n = 0;
  std::vector<double> pmf;  // P(X = x), x = 0..n
  std::vector<Component> components;
  std::optional<stats::BetaShape> beta;
};

// The exact law of a cell point where it can be enumerated within a bounded amount of work (about
// 4e8 elementary operations and 2e6 stored probabilities); nullopt otherwise. Enumerable: fixed
// rates with binomial, hypergeometric or Wallenius sampling or clusters, each with or without
// inspector error; Beta rates with binomial sampling (continuous truth), with or without inspector
// error (mixed over the true count), or with a finite population (K mixed over its beta-binomial
// law), with or without selection and inspector error. Not enumerable: Beta rates combined with
// clusters (the units' rates are Beta around the truth, so no finite mixture holds it).
// The point must be valid (see simulate::run()).
std::optional<CountLaw> exact_count_law(const CellPoint& point);

// About how many elementary operations exact_count_law(point) takes, or null where it returns null
// (over its bound, or not enumerable). The engine's cost model (cost.hpp) uses it: wherever the
// law is enumerable the count is drawn from it (sampler.hpp).
std::optional<double> count_law_work(const CellPoint& point);

// P(X = x and lo <= T <= hi).
double probability_truth_within(const CountLaw& law, std::int64_t x, double lo, double hi);
// P(X = x and lo < T <= hi); lo may be -infinity, hi +infinity.
double probability_truth_in_band(const CountLaw& law, std::int64_t x, double lo, double hi);

// E[T | X = x] and E[T^2 | X = x], for a count x of positive probability: with a Beta truth and
// binomial sampling T | X = x ~ Beta(a + x, b + n - x) (conjugacy), else the components weighted
// by P(component) P(X = x | component), each with its truth or its truth law's moments.
struct TruthMoments {
  double mean = 0;
  double second = 0;
};
TruthMoments truth_moments_given(const CountLaw& law, std::int64_t x);

// ---- League tables -----------------------------------------------------------------------------

// The shares x / n of members with samples n_i as dense ranks: keys[i][x] orders x / n_i among all
// the members' possible shares (equal fractions get equal keys, a higher share a higher key).
std::vector<std::vector<std::int32_t>> league_share_keys(std::span<const std::int64_t> samples);

// P(member i is ranked worst) for members with independent counts of law pmfs[i] (x = 0..n_i).
// Shared ties: sum_x P_i(x) prod_{j != i} P(share_j <= x / n_i). Random ties: the expectation of
// 1 / (1 + the number of others tied at the top with i), by the same sum with the tied mass kept
// apart (the product of (P(share_j < s) + P(share_j = s) z) read as a polynomial in z).
std::vector<double> league_worst_probabilities(std::span<const std::vector<double>> pmfs,
                                               std::span<const std::int64_t> samples, Ties ties);

// P(some member of `set` has the highest share, jointly or alone), shared ties.
double league_set_worst_probability(std::span<const std::vector<double>> pmfs,
                                    std::span<const std::int64_t> samples, std::span<const std::size_t> set);

}  // namespace inspectsim::simulate
