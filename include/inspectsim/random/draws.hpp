// Random draws: the variates every sampler is built from, each drawn from an Engine passed by
// reference.
//
// Every draw takes the random state as a parameter (no global generator) and uses Boost.Random
// distributions, except the alias table, which turns one 64-bit word into one draw (see below).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "inspectsim/random/rng.hpp"

namespace inspectsim::random {

// Draws from a fixed discrete law on 0..size-1 with one 64-bit random word per draw: Walker's
// alias method (Walker 1977, ACM TOMS 3:253) as built by Vose (1991, IEEE TSE 17:972).
// The word w selects column floor(w * size / 2^64) and the low 64 bits of w * size (uniform
// within the column) are compared with the column's threshold. Boost's discrete_distribution is
// the same method but spends two words and a rejection loop per draw; this one is the engine's
// inner loop, so it spends one.
class AliasTable {
 public:
  AliasTable() = default;
  // Weights need not sum to 1; they must be non-negative with a positive sum.
  explicit AliasTable(std::span<const double> weights);

  std::int64_t operator()(Engine& engine) const noexcept {
    __extension__ typedef unsigned __int128 u128;  // GCC and Clang; 64x64 -> 128-bit product
    const u128 product = static_cast<u128>(engine()) * size_;
    const auto column = static_cast<std::size_t>(product >> 64);
    const auto within = static_cast<std::uint64_t>(product);
    // Branch-free select: the comparison is a coin toss the branch predictor cannot learn.
    const std::int64_t stay = -static_cast<std::int64_t>(within < threshold_[column]);
    return (static_cast<std::int64_t>(column) & stay) | (alias_[column] & ~stay);
  }
  std::size_t size() const noexcept { return threshold_.size(); }

 private:
  std::uint64_t size_ = 0;
  std::vector<std::uint64_t> threshold_;  // P(stay in the column) * 2^64, saturated
  std::vector<std::int64_t> alias_;
};

// A uniform double in [0, 1) from the top 53 bits of one word (Boost.Random's uniform_01).
double draw_uniform(Engine& engine);
// Binomial(n, p) by Boost.Random's binomial_distribution.
std::int64_t draw_binomial(Engine& engine, std::int64_t n, double p);
// Beta(a, b) by Boost.Random's beta_distribution (the process's reference draws).
double draw_beta(Engine& engine, double a, double b);
// Beta(a, b) by Marsaglia and Tsang's gamma pairs (beta.hpp): the same law, about three times
// cheaper; the samplers' fast path uses it where no table holds the count's law.
double draw_beta_fast(Engine& engine, double a, double b);
// Hypergeometric: the number of wrong records when n are drawn without replacement from M holding
// K wrong, drawn record by record (each an exact uniform integer from Boost.Random).
std::int64_t draw_hypergeometric(Engine& engine, std::int64_t n, std::int64_t wrong, std::int64_t population);
// Wallenius' noncentral hypergeometric: drawn record by record, the next record being wrong with
// probability odds k / (odds k + c), k wrong and c correct records still undrawn.
std::int64_t draw_wallenius(Engine& engine, std::int64_t n, std::int64_t wrong, std::int64_t population,
                            double odds);
// Clustered sample: unit i has rate p_i ~ Beta(cluster_beta(rate, icc)) (p_i = rate when icc = 0)
// and contributes Binomial(n_i, p_i); the units' rates by draw_beta, or by draw_beta_fast when `fast`.
std::int64_t draw_clustered(Engine& engine, std::span<const std::int64_t> unit_sizes, double rate, double icc,
                            bool fast = false);
// Flagged records among n when x are truly wrong: Binomial(x, sensitivity) + Binomial(n - x,
// 1 - specificity).
std::int64_t draw_flagged(Engine& engine, std::int64_t n, std::int64_t x, double sensitivity,
                          double specificity);

}  // namespace inspectsim::random
