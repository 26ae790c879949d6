// The sampling process of a cell point: one replicate of an inspection, drawn from an Engine
// passed by reference with the draws of random/draws.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "inspectsim/random/draws.hpp"
#include "inspectsim/random/rng.hpp"
#include "inspectsim/simulate/exact.hpp"
#include "inspectsim/simulate/simulate.hpp"

namespace inspectsim::simulate {

// One replicate: the observed (flagged) count and the truth it is judged against.
struct Draw {
  std::int64_t x = 0;
  double truth = 0;
};

// How a sampler draws a fixed truth's count. `fastest`: from its exact law (exact_count_law), by
// alias with one word per replicate, wherever that law is enumerable within its cost bound; the
// record-by-record process otherwise, with its Beta variates (a Beta truth, clusters' rates) by
// Marsaglia and Tsang's gamma pairs (random::draw_beta_fast). `process`: always the
// record-by-record process (binomial, hypergeometric or Wallenius draws, clusters' Beta rates,
// inspector misclassification) with Boost.Random's distributions, the slow, obvious reference the
// tests hold the fast path to.
enum class Draws { fastest, process };

// The sampling process of one cell point (which must be valid, see simulate::run()).
class PointSampler {
 public:
  explicit PointSampler(const CellPoint& point, Draws draws = Draws::fastest);

  // True when every replicate is judged against the same truth (a fixed rate).
  bool fixed_truth() const noexcept { return fixed_truth_; }
  // That truth: the rate, or K / M with a finite population.
  double truth() const noexcept { return truth_; }
  // K with a finite population and a fixed rate.
  std::optional<std::int64_t> wrong() const noexcept { return wrong_; }
  // For a fixed rate the count's law (plain binomial or hypergeometric sampling, and with
  // Draws::fastest also clusters, selection bias and inspector error, alone or combined) is
  // tabulated and drawn by alias with one word per replicate; with Draws::fastest so is a Beta
  // rate's marginal count law where it is enumerable (the truth is then not drawn: the engine
  // uses its conditional law given the count). Null for a law too costly to enumerate and under
  // Draws::process, where draw() simulates the process step by step.
  const random::AliasTable* table() const noexcept { return table_ ? &*table_ : nullptr; }
  // The exact law the table was built from, where the sampler enumerated it (a process-level
  // feature or a Beta rate); the engine uses it rather than enumerating it again.
  const std::optional<CountLaw>& law() const noexcept { return law_; }

  // One replicate by the process (a fixed rate with a table returns the table's draw).
  Draw draw(random::Engine& engine) const;

 private:
  void tabulate(std::optional<CountLaw> law);

  CellPoint point_;
  bool fixed_truth_ = true;
  double truth_ = 0;
  std::optional<std::int64_t> wrong_;
  std::vector<std::int64_t> unit_sizes_;
  std::optional<random::AliasTable> table_;
  std::optional<CountLaw> law_;
  bool fast_betas_ = true;  // Beta variates by random::draw_beta_fast (Draws::fastest)
};

}  // namespace inspectsim::simulate
