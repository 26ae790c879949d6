// `inspectsim simulate FILE`: run a scenario file's Monte Carlo simulation and report how often the
// inspection gets the figure, the interval and the grade right.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>

#include <unistd.h>

#include "cli.hpp"
#include "common.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/simulate/cost.hpp"
#include "inspectsim/simulate/report.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "inspectsim/simulate/simulate.hpp"
#include "inspectsim/simulate/writers.hpp"

namespace inspectsim::cli {

namespace {

struct SimulateOptions {
  std::string file;
  std::string replicates;  // empty: the scenario's (or the default)
  std::string seed;
  std::string threads;  // empty: all cores
  std::string format = "table";
  std::string output;
  std::string report;
  bool quiet = false;
  bool csv_raw = false;
  BudgetOptions budget;
};

// Set by SIGINT; the engine polls it through RunOptions::cancel and stops with Interrupted.
std::atomic<bool> cancel_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler needs a lock-free flag");

extern "C" void on_sigint(int) { cancel_requested.store(true); }

// Installs the SIGINT handler for the duration of a run and restores the previous one after.
class SigintGuard {
 public:
  SigintGuard() {
    cancel_requested.store(false);
    struct sigaction action {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
  }
  ~SigintGuard() { sigaction(SIGINT, &previous_, nullptr); }
  SigintGuard(const SigintGuard&) = delete;
  SigintGuard& operator=(const SigintGuard&) = delete;

 private:
  struct sigaction previous_ {};
};

// A progress bar with an ETA on stderr, shown only when stderr is a terminal and the run has
// already taken more than a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO) == 1) {}
  ~ProgressBar() { clear(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_ || total == 0) return;
    const auto now = clock::now();
    const double elapsed = seconds(now - start_);
    if (elapsed < 1.0 || (shown_ && seconds(now - last_) < 0.1)) return;
    last_ = now;
    const double share = static_cast<double>(done) / static_cast<double>(total);
    constexpr int width = 30;
    const int filled = static_cast<int>(share * width);
    std::string bar = "\rsimulating [" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(width - filled), '.') + "] " +
                      std::to_string(static_cast<int>(100 * share)) + "%";
    if (done > 0) bar += "  ETA " + duration_text(elapsed * (1 - share) / share);
    bar += "   ";
    std::fputs(bar.c_str(), stderr);
    std::fflush(stderr);
    shown_ = true;
  }

  // Removes the bar so that messages and the shell prompt start on a clean line.
  void clear() {
    if (!shown_) return;
    std::fputs(("\r" + std::string(60, ' ') + "\r").c_str(), stderr);
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  using clock = std::chrono::steady_clock;
  static double seconds(clock::duration d) { return std::chrono::duration<double>(d).count(); }
  static std::string duration_text(double s) {
    const long total = static_cast<long>(s + 0.5);
    if (total < 60) return std::to_string(total) + "s";
    return std::to_string(total / 60) + "m" + (total % 60 < 10 ? "0" : "") + std::to_string(total % 60) + "s";
  }

  bool enabled_;
  bool shown_ = false;
  clock::time_point start_ = clock::now();
  clock::time_point last_ = start_;
};

void run_simulate(const SimulateOptions& o) {
  // Options first (a usage error should not wait for the file), then the file, then the run.
  std::optional<std::int64_t> replicates, seed, threads;
  if (!o.replicates.empty())
    replicates = parse_integer("--replicates", o.replicates, 1, std::numeric_limits<std::int64_t>::max());
  if (!o.seed.empty()) seed = parse_integer("--seed", o.seed, 0, std::numeric_limits<std::int64_t>::max());
  if (!o.threads.empty()) threads = parse_integer("--threads", o.threads, 1, 1024);
  const output::Format format = output::parse_format(o.format);
  const base::Budget budget = parse_budget(o.budget);

  simulate::SimulationSpec spec = simulate::load_scenario(o.file);
  if (replicates) spec.replicates = *replicates;
  if (seed) spec.seed = static_cast<std::uint64_t>(*seed);
  base::check_budget(simulate::simulation_cost(spec, threads ? static_cast<unsigned>(*threads) : 0), budget,
                     o.file);

  ProgressBar bar(!o.quiet);
  SigintGuard guard;
  simulate::RunOptions run;
  run.threads = threads ? static_cast<unsigned>(*threads) : 0;
  run.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
  run.cancel = &cancel_requested;
  simulate::SimulationResult result;
  try {
    result = simulate::run(spec, run);
  } catch (...) {
    bar.clear();
    throw;
  }
  bar.clear();
  const std::string text =
      simulate::render_simulation(result, format, simulate::CsvSection::points, csv_cells(o.csv_raw));
  std::vector<base::OutputFile> also;
  if (!o.report.empty()) also.push_back({o.report, simulate::render_simulation_report(result)});
  emit(text, o.output, std::move(also));
}

}  // namespace

void setup_simulate(CLI::App& app, const base::Budget& budget) {
  auto opt = std::make_shared<SimulateOptions>();
  opt->budget.defaults = budget;
  CLI::App* sub = app.add_subcommand("simulate",
                                     "Simulate an inspection design from a scenario file: how often are the "
                                     "figure, interval and grade right?");
  sub->add_option("FILE", opt->file, "Scenario file (TOML; see README.md)")->required();
  sub->add_option("--replicates", opt->replicates,
                  "Replicates per cell point (overrides the file's; default 100000)");
  sub->add_option("--seed", opt->seed, "Random seed (overrides the file's; default 20180419)");
  sub->add_option("--threads", opt->threads,
                  "Worker threads (default: all cores); results do not depend on it");
  add_format_option(*sub, opt->format);
  add_csv_raw_option(*sub, opt->csv_raw);
  sub->add_option("--output", opt->output,
                  "Write the result to this file (atomically) instead of standard output");
  sub->add_option("--report", opt->report,
                  "Write a self-contained HTML report (charts with their tables) to this file");
  sub->add_flag("--quiet", opt->quiet, "No progress bar");
  add_budget_options(*sub, opt->budget);
  sub->callback([opt] { run_simulate(*opt); });
}

}  // namespace inspectsim::cli
