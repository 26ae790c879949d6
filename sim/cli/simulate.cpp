// `inspectsim simulate FILE`: run a scenario file's Monte Carlo simulation and report how often the
// inspection gets the figure, the interval and the grade right.
#include <limits>
#include <memory>
#include <string>

#include "cli.hpp"
#include "common.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/compare/results_csv.hpp"
#include "inspectsim/compare/scenario.hpp"
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
  // A scenario from published results (compare's input) instead of FILE.
  std::string from_results;
  std::string truth = "observed";
  std::string sample = "same";
  std::string grades;
  std::string hyperprior = "albert";
  bool emit_scenario = false;
  CheckpointOptions checkpoint;
};

// --grades "good:0.05,requires improvement:0.15,inadequate": bands as NAME:UPPER, the last NAME alone.
std::vector<compare::GradeBand> parse_grade_bands(const std::string& text) {
  std::vector<compare::GradeBand> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string band = text.substr(start, end - start);
    const std::size_t colon = band.rfind(':');
    compare::GradeBand g;
    g.name = band.substr(0, colon);
    if (colon != std::string::npos) g.upper = parse_real("--grades", band.substr(colon + 1));
    if (g.name.empty())
      throw base::InputError(base::field("grades") + " is '" + text +
                             "', but every band needs a name: NAME:UPPER,...,NAME, e.g. "
                             "'good:0.05,requires improvement:0.15,inadequate'");
    out.push_back(std::move(g));
    start = end + 1;
  }
  return out;
}

// The scenario a run simulates: FILE, or the one --from-results writes (its text, and the name
// messages and the outputs give it).
struct ScenarioSource {
  std::string text;
  std::string name;
};
ScenarioSource scenario_source(const SimulateOptions& o) {
  if (o.from_results.empty()) return {base::read_text_file(o.file, simulate::max_scenario_bytes), o.file};
  compare::ScenarioRequest req;
  req.truth = base::parse_name<compare::TruthFrom>(base::field("truth"), o.truth);
  if (o.sample != "same") req.sample = parse_integer("--sample", o.sample, 1, simulate::max_simulated_sample);
  req.grades = parse_grade_bands(o.grades);
  req.hyperprior = stats::parse_hyperprior(o.hyperprior);
  if (!o.seed.empty()) req.seed = static_cast<std::uint64_t>(parse_integer("--seed", o.seed, 0, INT64_MAX));
  if (!o.replicates.empty()) req.replicates = parse_integer("--replicates", o.replicates, 1, INT64_MAX);
  const std::string text = base::read_text_file(o.from_results);
  req.source_sha256 = base::sha256_hex(text);
  return {compare::scenario_from_results(compare::parse_results_csv(text, o.from_results), req),
          o.from_results + " (as a scenario)"};
}

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
  simulate::Checkpoint checkpoint = parse_checkpoint(o.checkpoint);

  if (o.file.empty() == o.from_results.empty())
    throw base::InputError(o.file.empty() ? "give a scenario FILE or --from-results RESULTS.csv"
                                          : "give a scenario FILE or --from-results, not both");
  if (o.from_results.empty())
    for (const auto& [flag, set] :
         {std::pair{"--truth", o.truth != "observed"}, std::pair{"--sample", o.sample != "same"},
          std::pair{"--grades", !o.grades.empty()}, std::pair{"--hyperprior", o.hyperprior != "albert"}})
      if (set) throw base::InputError(std::string(flag) + " needs --from-results");
  const ScenarioSource source = scenario_source(o);
  check_same_input(source.text);
  if (o.emit_scenario) {
    // The scenario as a file to edit and rerun: what --from-results generated, or FILE with every
    // [[cells_from]] written out as [[cell]] tables (checked as a run would check it).
    emit(o.from_results.empty() ? simulate::expanded_scenario(source.text, source.name) : source.text,
         o.output, {});
    return;
  }
  simulate::SimulationSpec spec = simulate::parse_scenario(source.text, source.name);
  if (replicates) spec.replicates = *replicates;
  if (seed) spec.seed = static_cast<std::uint64_t>(*seed);
  base::check_budget(per_rank(simulate::simulation_cost(spec, run_threads(threads))), budget, o.file);

  // A scenario generated from results is fully described by its text, not by the CSV's hash.
  if (!o.from_results.empty()) checkpoint.input_sha256 = base::sha256_hex(source.text);

  ProgressBar bar(!o.quiet && lead_rank(), "simulating");
  SigintGuard guard;
  simulate::RunOptions run;
  run.threads = run_threads(threads);
  run.team = ranks.team;
  run.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
  run.cancel = &cancel_requested;
  simulate::SimulationResult result;
  try {
    result = simulate::run(spec, run, checkpoint);
  } catch (const base::Interrupted&) {
    bar.clear();
    if (checkpoint.path.empty()) throw;
    throw base::Interrupted("interrupted; the progress so far is in the checkpoint '" + checkpoint.path +
                            "': run the same command again to resume");
  } catch (...) {
    bar.clear();
    throw;
  }
  bar.clear();
  const std::string text = simulate::render_simulation(result, format, section, csv_cells(o.csv_raw));
  std::vector<base::OutputFile> also;
  if (!o.report.empty()) also.push_back({o.report, simulate::render_simulation_report(result)});
  emit(text, o.output, std::move(also));
  // Only now that the results are written is the checkpoint of no more use (rank 0 keeps it).
  if (lead_rank()) simulate::remove_checkpoint(checkpoint);
}

}  // namespace

void setup_simulate(CLI::App& app, const base::Budget& budget) {
  auto opt = std::make_shared<SimulateOptions>();
  opt->budget.defaults = budget;
  CLI::App* sub = app.add_subcommand("simulate",
                                     "Simulate an inspection design from a scenario file: how often are the "
                                     "figure, interval and grade right?");
  sub->add_option("FILE", opt->file, "Scenario file (TOML; see README.md)");
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
  sub->add_option("--from-results", opt->from_results,
                  "Instead of FILE: simulate re-inspecting the forces of a compare input file, its figures "
                  "taken as the truth (one cell per row, one league per inspection and category)");
  sub->add_option("--truth", opt->truth,
                  "With --from-results: each cell's true rate is the 'observed' share or the 'shrunk' "
                  "(hierarchical posterior mean)")
      ->default_str("observed");
  sub->add_option("--sample", opt->sample,
                  "With --from-results: the re-inspection's sample, 'same' as published or N records")
      ->default_str("same");
  sub->add_option("--grades", opt->grades,
                  "With --from-results: grade bands NAME:UPPER,...,NAME (e.g. "
                  "'good:0.05,requires improvement:0.15,inadequate')");
  sub->add_option("--hyperprior", opt->hyperprior,
                  "With --from-results --truth shrunk: the hierarchical model's prior, as compare takes it")
      ->default_str("albert");
  sub->add_flag("--emit-scenario", opt->emit_scenario,
                "Print the scenario instead of running it: what --from-results generates, or FILE with its "
                "[[cells_from]] rows written out as [[cell]] tables");
  add_checkpoint_options(*sub, opt->checkpoint, "the run's progress");
  add_budget_options(*sub, opt->budget);
  sub->callback([opt] { run_simulate(*opt); });
}

}  // namespace inspectsim::cli
