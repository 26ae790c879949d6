// simulate::run with a Checkpoint: a run stopped at any moment and resumed from its checkpoint, on
// any number of threads, returns exactly what an uninterrupted run returns.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "inspectsim/base/error.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "inspectsim/simulate/simulate.hpp"
#include "inspectsim/simulate/writers.hpp"
#include "support/support.hpp"

using namespace inspectsim;
using inspectsim::test::read_file;
using inspectsim::test::shipped_scenarios;
using inspectsim::test::source_path;
using inspectsim::test::TempDir;

namespace {

std::string as_json(const simulate::SimulationResult& r) {
  return simulate::render_simulation(r, output::Format::json);
}

simulate::SimulationSpec scenario(const std::string& name, std::int64_t replicates) {
  const std::string path = source_path("scenarios/" + name + ".toml");
  simulate::SimulationSpec spec = simulate::parse_scenario(read_file(path), path);
  spec.replicates = replicates;
  return spec;
}

// Runs with the checkpoint, cancelled after `delay` from another thread: true when it was stopped
// (and so left a checkpoint), false when it finished first.
bool run_stopped(const simulate::SimulationSpec& spec, const simulate::Checkpoint& checkpoint,
                 unsigned threads, std::chrono::milliseconds delay) {
  std::atomic<bool> cancel{false};
  simulate::RunOptions options;
  options.threads = threads;
  options.cancel = &cancel;
  std::thread stopper([&] {
    std::this_thread::sleep_for(delay);
    cancel = true;
  });
  bool stopped = false;
  try {
    (void)simulate::run(spec, options, checkpoint);
  } catch (const base::Interrupted&) {
    stopped = true;
  }
  stopper.join();
  return stopped;
}

}  // namespace

TEST_CASE("every shipped scenario, stopped and resumed from its checkpoint, gives the uninterrupted result") {
  TempDir dir;
  std::mt19937 pick(19);  // the test's own choice of moments
  int resumed = 0;
  for (const std::string& name : shipped_scenarios()) {
    CAPTURE(name);
    const simulate::SimulationSpec spec = scenario(name, 40 * simulate::block_replicates + 17);
    const auto started = std::chrono::steady_clock::now();
    const std::string whole = as_json(simulate::run(spec, {}));
    const auto span =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    simulate::Checkpoint checkpoint{dir.file(name + ".checkpoint"), 0, ""};
    // Stopped up to three times at random moments, on 2, 1 and 2 threads, then finished on 1.
    for (const unsigned threads : {2U, 1U, 2U}) {
      const auto delay = std::chrono::milliseconds(
          std::uniform_int_distribution<std::int64_t>(0, std::max<std::int64_t>(span.count(), 1))(pick));
      if (!run_stopped(spec, checkpoint, threads, delay)) break;
      CHECK(std::filesystem::exists(checkpoint.path));
      ++resumed;
    }
    simulate::RunOptions one;
    one.threads = 1;
    CHECK(as_json(simulate::run(spec, one, checkpoint)) == whole);
    simulate::remove_checkpoint(checkpoint);
    CHECK_FALSE(std::filesystem::exists(checkpoint.path));
  }
  MESSAGE(resumed << " stops resumed");
  CHECK(resumed > 0);
}

TEST_CASE("a checkpoint of the same scenario with another seed or size is refused") {
  TempDir dir;
  simulate::SimulationSpec spec = scenario("two-forces", 30 * simulate::block_replicates);
  simulate::Checkpoint checkpoint{dir.file("c.json"), 0, ""};
  std::atomic<bool> cancel{true};  // stopped before the first block: the checkpoint holds nothing yet
  simulate::RunOptions options;
  options.cancel = &cancel;
  CHECK_THROWS_AS(simulate::run(spec, options, checkpoint), base::Interrupted);
  REQUIRE(std::filesystem::exists(checkpoint.path));
  simulate::SimulationSpec other = spec;
  other.seed = spec.seed + 1;
  CHECK_THROWS_WITH_AS(simulate::run(other, {}, checkpoint),
                       doctest::Contains(("is of a run with seed " + std::to_string(spec.seed)).c_str()),
                       base::InputError);
  other = spec;
  other.replicates = spec.replicates + 1;
  CHECK_THROWS_WITH_AS(simulate::run(other, {}, checkpoint), doctest::Contains("is of a run of "),
                       base::InputError);
  // Another input with the same seed and size: told apart by its SHA-256.
  simulate::Checkpoint elsewhere = checkpoint;
  elsewhere.input_sha256 = std::string(64, '0');
  CHECK_THROWS_WITH_AS(simulate::run(spec, {}, elsewhere), doctest::Contains("is of a run of another input"),
                       base::InputError);
  simulate::Checkpoint bad = checkpoint;
  bad.interval_seconds = -1;
  CHECK_THROWS_AS(simulate::run(spec, {}, bad), base::InputError);
  // The same run resumes (from nothing) and matches the uninterrupted one.
  CHECK(as_json(simulate::run(spec, {}, checkpoint)) == as_json(simulate::run(spec, {})));
}
