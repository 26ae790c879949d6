// Benchmark helper for scripts/bench (not a test): the cost of one 64-bit word from
// inspectsim::random::Engine, and the engine's cost per simulated sample (one replicate of one cell point)
// on a scenario, both on one thread, as medians of three runs. Times are the process's CPU time
// (clock_gettime(CLOCK_PROCESS_CPUTIME_ID)), so other jobs on a busy machine do not inflate them.
//   usage: rng-cost [SCENARIO REPLICATES]
// Prints "name value" lines: rng_ns_per_word, and with a scenario engine_ns_per_sample (whole
// simulate() call over replicates x points), engine_setup_seconds (a one-block run) and
// engine_marginal_ns_per_sample (the difference, per sample).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <time.h>

#include "inspectsim/random/rng.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "inspectsim/simulate/simulate.hpp"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

template <class F>
double median_seconds(F f) {
  std::vector<double> t;
  for (int i = 0; i < 3; ++i) {
    const double start = cpu_seconds();
    f();
    t.push_back(cpu_seconds() - start);
  }
  std::sort(t.begin(), t.end());
  return t[1];
}

volatile std::uint64_t sink;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 1 && argc != 3) {
    std::fprintf(stderr, "usage: rng-cost [SCENARIO REPLICATES]\n");
    return 2;
  }
  constexpr std::int64_t words = 1 << 27;
  const double rng = median_seconds([] {
    inspectsim::random::Engine engine = inspectsim::random::make_stream(1, 0);
    std::uint64_t acc = 0;
    for (std::int64_t i = 0; i < words; ++i) acc += engine();
    sink = acc;
  });
  std::printf("rng_ns_per_word %.3f\n", rng * 1e9 / static_cast<double>(words));
  if (argc == 1) return 0;

  inspectsim::simulate::SimulationSpec spec = inspectsim::simulate::load_scenario(argv[1]);
  const double points = static_cast<double>(spec.points.size());
  spec.replicates = std::atoll(argv[2]);
  const inspectsim::simulate::RunOptions one_thread{1, {}, nullptr};
  const double whole =
      median_seconds([&] { sink = inspectsim::simulate::run(spec, one_thread).points.size(); });
  inspectsim::simulate::SimulationSpec small = spec;
  small.replicates = inspectsim::simulate::block_replicates;
  const double setup =
      median_seconds([&] { sink = inspectsim::simulate::run(small, one_thread).points.size(); });
  const double samples = static_cast<double>(spec.replicates) * points;
  std::printf("engine_ns_per_sample %.3f\n", whole * 1e9 / samples);
  std::printf("engine_setup_seconds %.4f\n", setup);
  std::printf("engine_marginal_ns_per_sample %.3f\n",
              (whole - setup) * 1e9 / (static_cast<double>(spec.replicates - small.replicates) * points));
  return 0;
}
