// The sampling process of a cell point: one replicate of an inspection, drawn from an Engine
// passed by reference with the draws of random/draws.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "inspectsim/random/draws.hpp"
#include "inspectsim/random/rng.hpp"
#include "inspectsim/simulate/simulate.hpp"

namespace inspectsim::simulate {

// One replicate: the observed (flagged) count and the truth it is judged against.
struct Draw {
  std::int64_t x = 0;
  double truth = 0;
};

// The sampling process of one cell point (which must be valid, see simulate::run()).
class PointSampler {
 public:
  explicit PointSampler(const CellPoint& point);

  // True when every replicate is judged against the same truth (a fixed rate).
  bool fixed_truth() const noexcept { return fixed_truth_; }
  // That truth: the rate, or K / M with a finite population.
  double truth() const noexcept { return truth_; }
  // K with a finite population and a fixed rate.
  std::optional<std::int64_t> wrong() const noexcept { return wrong_; }
  // For a fixed rate with plain binomial or hypergeometric sampling the count's law is tabulated
  // and drawn by alias with one word per replicate; null for every process-level feature, which
  // draw() simulates step by step.
  const random::AliasTable* table() const noexcept { return table_ ? &*table_ : nullptr; }

  Draw draw(random::Engine& engine) const;

 private:
  CellPoint point_;
  bool fixed_truth_ = true;
  double truth_ = 0;
  std::optional<std::int64_t> wrong_;
  std::vector<std::int64_t> unit_sizes_;
  std::optional<random::AliasTable> table_;
};

}  // namespace inspectsim::simulate
