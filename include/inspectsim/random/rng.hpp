// Random streams. One engine type for the whole project, passed by reference to every sampler;
// no global generator. A stream is derived from (seed, block index[, substream]) alone, so a run's
// results do not depend on how blocks are shared among threads, processes or machines.
#pragma once

#include <cstdint>

#include <boost/random/mersenne_twister.hpp>

namespace inspectsim::random {

// The project's engine: 64-bit Mersenne Twister from Boost.Random (its output sequence is fixed by
// the algorithm, unlike the standard library's distributions). Draw variates with Boost.Random
// distributions, never std:: ones.
using Engine = boost::random::mt19937_64;

// The seed used when neither the scenario nor the command line gives one. Every output records
// the seed it used.
inline constexpr std::uint64_t default_seed = 20180419;

// The engine for block `block` of a run seeded with `seed`. `substream` separates independent
// uses inside one run (e.g. the rank simulation and the totals simulation of `compare`).
// Derivation: boost::random::seed_seq over the 32-bit halves of (seed, block, substream), which
// fills the whole Mersenne Twister state; distinct inputs give unrelated streams.
Engine make_stream(std::uint64_t seed, std::uint64_t block, std::uint64_t substream = 0);

// The engine for block `block` of job `job` of a run seeded with `seed`, for runs made of many
// Monte Carlo jobs each split into blocks (compare: a group's ranks, a force's total); `substream`
// names the kind of job. The same derivation over (seed, job, substream, block) with a different
// tag, so these streams are unrelated to the three-part ones.
Engine make_stream(std::uint64_t seed, std::uint64_t job, std::uint64_t substream, std::uint64_t block);

}  // namespace inspectsim::random
