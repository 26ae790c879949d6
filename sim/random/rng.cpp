#include "inspectsim/random/rng.hpp"

#include <array>

#include <boost/random/seed_seq.hpp>

namespace inspectsim::random {

namespace {
std::uint32_t lo(std::uint64_t v) { return static_cast<std::uint32_t>(v & 0xffffffffu); }
std::uint32_t hi(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }
}  // namespace

Engine make_stream(std::uint64_t seed, std::uint64_t block, std::uint64_t substream) {
  // A fixed tag first, so these streams differ from a plain seed_seq of the same numbers.
  const std::array<std::uint32_t, 7> words{0x1a5bec75u, lo(seed),      hi(seed),     lo(block),
                                           hi(block),   lo(substream), hi(substream)};
  boost::random::seed_seq seq(words.begin(), words.end());
  return Engine(seq);
}

Engine make_stream(std::uint64_t seed, std::uint64_t job, std::uint64_t substream, std::uint64_t block) {
  const std::array<std::uint32_t, 9> words{0x6b10c75au,   lo(seed),      hi(seed),  lo(job),  hi(job),
                                           lo(substream), hi(substream), lo(block), hi(block)};
  boost::random::seed_seq seq(words.begin(), words.end());
  return Engine(seq);
}

}  // namespace inspectsim::random
