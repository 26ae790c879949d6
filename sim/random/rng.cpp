#include "inspectsim/random/rng.hpp"

#include <array>

#include <boost/random/seed_seq.hpp>

namespace inspectsim::random {

Engine make_stream(std::uint64_t seed, std::uint64_t block, std::uint64_t substream) {
  auto lo = [](std::uint64_t v) { return static_cast<std::uint32_t>(v & 0xffffffffu); };
  auto hi = [](std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); };
  // A fixed tag first, so these streams differ from a plain seed_seq of the same numbers.
  const std::array<std::uint32_t, 7> words{0x1a5bec75u, lo(seed),      hi(seed),     lo(block),
                                           hi(block),   lo(substream), hi(substream)};
  boost::random::seed_seq seq(words.begin(), words.end());
  return Engine(seq);
}

}  // namespace inspectsim::random
