// How compare's Monte Carlo jobs (a group's ranks, a force's total, a predictive check) are split
// into blocks. A job of D draws runs in ceil(D / draws_per_block) blocks; block b holds draws
// b * draws_per_block .. min(D, (b + 1) * draws_per_block) - 1 and draws from
// random::make_stream(seed, job, substream, b) alone. Blocks run on every core (base::run_blocks)
// and merge in block order, so every figure is identical for any number of threads.
#pragma once

#include <algorithm>
#include <cstdint>

#include "inspectsim/base/blocks.hpp"
#include "inspectsim/random/rng.hpp"

namespace inspectsim::compare {

// Part of the reproducibility contract: changing it changes every drawn figure.
inline constexpr std::int64_t draws_per_block = 1000;

// The streams of one job: its block b draws from make_stream(seed, job, substream, b).
struct Streams {
  std::uint64_t seed = random::default_seed;
  std::uint64_t job = 0;
  std::uint64_t substream = 0;
  random::Engine block(std::uint64_t b) const { return random::make_stream(seed, job, substream, b); }
};

inline std::uint64_t blocks_of(std::int64_t draws) {
  return static_cast<std::uint64_t>((std::max<std::int64_t>(draws, 0) + draws_per_block - 1) /
                                    draws_per_block);
}

// Runs compute(engine, first, count, tally, scratch) for each block of `draws` (the block's engine,
// its first draw and number of draws) on worker threads and merge(tally) in block order.
template <class Tally, class Scratch, class Compute, class Merge>
void run_draw_blocks(std::int64_t draws, const Streams& streams, const base::RunOptions& run, Compute compute,
                     Merge merge) {
  base::run_blocks<Tally, Scratch>(
      blocks_of(draws), run,
      [&](std::uint64_t b, Tally& tally, Scratch& scratch) {
        const std::int64_t first = static_cast<std::int64_t>(b) * draws_per_block;
        random::Engine engine = streams.block(b);
        compute(engine, first, std::min(draws_per_block, draws - first), tally, scratch);
      },
      [&](std::uint64_t, const Tally& tally) { merge(tally); });
}

}  // namespace inspectsim::compare
