// `inspectsim simulate FILE`: run a scenario file's Monte Carlo simulation and report how often the
// inspection gets the figure, the interval and the grade right.
#include <limits>
#include <memory>
#include <string>

#include "cli.hpp"
#include "common.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/simulate/cost.hpp"
#include "inspectsim/simulate/report.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "inspectsim/simulate/simulate.hpp"
#include "inspectsim/simulate/writers.hpp"
#include "progress.hpp"

namespace inspectsim::cli {

namespace {

struct SimulateOptions {
  std::string file;
  std::string replicates;  // empty: the scenario's (or the default)
  std::string seed;
  std::string threads;  // empty: all cores
  std::string format = "table";
  std::string csv_section = "points";
  std::string output;
  std::string report;
  bool quiet = false;
  bool csv_raw = false;
  BudgetOptions budget;
};

void run_simulate(const SimulateOptions& o) {
  // Options first (a usage error should not wait for the file), then the file, then the run.
  std::optional<std::int64_t> replicates, seed, threads;
  if (!o.replicates.empty())
    replicates = parse_integer("--replicates", o.replicates, 1, std::numeric_limits<std::int64_t>::max());
  if (!o.seed.empty()) seed = parse_integer("--seed", o.seed, 0, std::numeric_limits<std::int64_t>::max());
  if (!o.threads.empty()) threads = parse_integer("--threads", o.threads, 1, 1024);
  const output::Format format = output::parse_format(o.format);
  const auto section = base::parse_name<simulate::CsvSection>(base::field("csv_section"), o.csv_section);
  const base::Budget budget = parse_budget(o.budget);

  simulate::SimulationSpec spec = simulate::load_scenario(o.file);
  if (replicates) spec.replicates = *replicates;
  if (seed) spec.seed = static_cast<std::uint64_t>(*seed);
  base::check_budget(simulate::simulation_cost(spec, threads ? static_cast<unsigned>(*threads) : 0), budget,
                     o.file);

  ProgressBar bar(!o.quiet, "simulating");
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
  const std::string text = simulate::render_simulation(result, format, section, csv_cells(o.csv_raw));
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
  sub->add_option("--csv-section", opt->csv_section,
                  "With --format csv: points (a row per cell point and method), comparisons or leagues (a "
                  "row per league member)")
      ->default_str("points");
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
