// `inspectsim plan claim|precision|detect`: how many records must an inspection sample?
#include <limits>
#include <memory>
#include <string>

#include "cli.hpp"
#include "common.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/plan/cost.hpp"
#include "inspectsim/plan/plan.hpp"
#include "inspectsim/plan/writers.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "progress.hpp"

namespace inspectsim::cli {

namespace {

constexpr std::int64_t max_count = 4'000'000'000'000'000'000;

std::optional<std::int64_t> parse_population(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return parse_integer("--population", text, 1, stats::max_population);
}

// ---- plan claim

struct ClaimOptions {
  std::string tolerable;
  std::string allowed_errors;
  std::string n;
  std::string found;
  std::string confidence = "0.95";
  std::string population;
  std::string format = "table";
};

void run_claim(const ClaimOptions& o) {
  plan::ClaimRequest q;
  q.confidence = parse_open_unit("--confidence", o.confidence);
  q.population = parse_population(o.population);
  if (!o.tolerable.empty()) {
    if (!o.n.empty() || !o.found.empty())
      throw base::InputError(
          "--tolerable plans a sample; --n and --found describe one already drawn: give one or the other");
    q.tolerable = parse_open_unit("--tolerable", o.tolerable);
    if (!o.allowed_errors.empty())
      q.allowed_errors = parse_integer("--allowed-errors", o.allowed_errors, 0, max_count);
  } else {
    if (o.n.empty() || o.found.empty())
      throw base::InputError(
          "plan claim needs --tolerable T (to plan a sample), or --n N with --found k (to read one)");
    if (!o.allowed_errors.empty())
      throw base::InputError(
          "--allowed-errors goes with --tolerable; with --n, give the number found as --found");
    q.n = parse_integer("--n", o.n, 1, q.population ? *q.population : stats::max_population);
    q.allowed_errors = parse_integer("--found", o.found, 0, *q.n);
  }
  emit(plan::render_claim(plan::plan_claim(q), output::parse_format(o.format)));
}

void setup_claim(CLI::App& plan) {
  auto opt = std::make_shared<ClaimOptions>();
  CLI::App* sub = plan.add_subcommand(
      "claim", "Sample size to support 'the error rate is below T', or what an audit of n supports");
  sub->add_option("--tolerable", opt->tolerable, "The claim: the error rate is below T (0 < T < 1)");
  sub->add_option("--allowed-errors", opt->allowed_errors, "Wrong records the audit may find (k)")
      ->default_str("0");
  sub->add_option("--n", opt->n, "An audit already drawn: its sample size (with --found)");
  sub->add_option("--found", opt->found, "An audit already drawn: the wrong records it found");
  sub->add_option("--confidence", opt->confidence, "Confidence level, strictly between 0 and 1")
      ->default_str("0.95");
  sub->add_option("--population", opt->population,
                  "Records are drawn without replacement from this many (exact hypergeometric tail)");
  add_format_option(*sub, opt->format);
  sub->callback([opt] { run_claim(*opt); });
}

// ---- plan precision

struct PrecisionOptions {
  std::string rate;
  std::string margin;
  std::string method;
  std::string confidence = "0.95";
  std::string population;
  std::string criterion = "expected";
  std::string assurance = "0.8";
  std::string format = "table";
  BudgetOptions budget;
};

void run_precision(const PrecisionOptions& o) {
  plan::PrecisionRequest q;
  q.rate = parse_open_unit("--rate", o.rate);
  q.margin = parse_real("--margin", o.margin);  // range checked by plan_precision
  q.confidence = parse_open_unit("--confidence", o.confidence);
  q.population = parse_population(o.population);
  q.criterion = plan::parse_criterion(o.criterion);
  q.assurance = parse_open_unit("--assurance", o.assurance);
  const std::string method = o.method.empty() ? (q.population ? "hypergeometric" : "wilson") : o.method;
  if (method == "hypergeometric")
    q.method.reset();
  else
    q.method = stats::parse_method(method);
  const output::Format format = output::parse_format(o.format);
  base::check_budget(plan::precision_plan_cost(q), parse_budget(o.budget));
  emit(plan::render_precision(plan::plan_precision(q), format));
}

void setup_precision(CLI::App& plan, const base::Budget& budget) {
  auto opt = std::make_shared<PrecisionOptions>();
  opt->budget.defaults = budget;
  CLI::App* sub =
      plan.add_subcommand("precision", "Sample size for an interval no wider than +-H at a true rate P");
  sub->add_option("--rate", opt->rate, "The anticipated true rate P (0 < P < 1)")->required();
  sub->add_option("--margin", opt->margin, "The wanted half-width H, as a share (0.1 = 10 points)")
      ->required();
  sub->add_option("--method", opt->method,
                  "Interval method (as in assess), or hypergeometric (needs --population); default wilson, "
                  "hypergeometric with --population");
  sub->add_option("--confidence", opt->confidence, "Confidence level, strictly between 0 and 1")
      ->default_str("0.95");
  sub->add_option("--population", opt->population, "Records are drawn without replacement from this many");
  sub->add_option("--criterion", opt->criterion,
                  "expected: mean half-width <= H; assured: P(half-width <= H) >= --assurance")
      ->default_str("expected");
  sub->add_option("--assurance", opt->assurance, "Probability wanted by --criterion assured")
      ->default_str("0.8");
  add_format_option(*sub, opt->format);
  add_budget_options(*sub, opt->budget);
  sub->callback([opt] { run_precision(*opt); });
}

// ---- plan detect

struct DetectOptions {
  std::string from;
  std::string to;
  std::string power = "0.8";
  std::string alpha = "0.05";
  std::string test = "fisher";
  std::string ratio = "1";
  std::string n;
  std::string format = "table";
  BudgetOptions budget;
};

void run_detect(const DetectOptions& o) {
  plan::DetectRequest q;
  q.from = parse_open_unit("--from", o.from);
  q.to = parse_open_unit("--to", o.to);
  q.power = parse_open_unit("--power", o.power);
  q.alpha = parse_open_unit("--alpha", o.alpha);
  q.test = plan::parse_detect_test(o.test);
  q.ratio = parse_real("--ratio", o.ratio);  // range checked by plan_detect
  if (!o.n.empty()) q.n = parse_integer("--n", o.n, 1, plan::plan_max_sample);
  const output::Format format = output::parse_format(o.format);
  // plan_detect stops at its own limit of steps, by default a few seconds' work. A work budget
  // given with --max-work (or a program-wide one other than the default, as the fuzz targets set)
  // replaces that limit (detect_step_limit, budget.hpp).
  const base::Budget budget = parse_budget(o.budget);
  if (!o.budget.max_work.empty() || budget.max_work != base::default_max_work)
    q.work_limit = plan::detect_step_limit(q.test, budget);
  emit(plan::render_detect(plan::plan_detect(q), format));
}

void setup_detect(CLI::App& plan, const base::Budget& budget) {
  auto opt = std::make_shared<DetectOptions>();
  opt->budget.defaults = budget;
  CLI::App* sub = plan.add_subcommand(
      "detect", "Sample size per inspection for a re-inspection to detect a change from P1 to P2");
  sub->add_option("--from", opt->from, "The error rate at the first inspection")->required();
  sub->add_option("--to", opt->to, "The error rate at the second inspection")->required();
  sub->add_option("--power", opt->power, "Wanted probability of detecting the change")->default_str("0.8");
  sub->add_option("--alpha", opt->alpha, "Two-sided significance level of the test")->default_str("0.05");
  sub->add_option("--test", opt->test, "fisher, newcombe or miettinen-nurminen")->default_str("fisher");
  sub->add_option("--ratio", opt->ratio, "Second sample = ratio x first, rounded up")->default_str("1");
  sub->add_option("--n", opt->n,
                  "First sample size given: report its power and the smallest detectable change");
  add_format_option(*sub, opt->format);
  add_budget_options(*sub, opt->budget);
  sub->callback([opt] { run_detect(*opt); });
}

// ---- plan scenario

struct ScenarioOptions {
  std::string file;
  std::string cell;
  std::string target;
  std::string replicates;
  std::string seed;
  std::string threads;
  std::string format = "table";
  bool csv_raw = false;
  BudgetOptions budget;
  CheckpointOptions checkpoint;
};

void run_scenario(const ScenarioOptions& o) {
  // Options first, then the file, then the runs.
  const plan::ScenarioTarget target = plan::parse_scenario_target(o.target);
  std::optional<std::int64_t> replicates, seed, threads;
  if (!o.replicates.empty()) replicates = parse_integer("--replicates", o.replicates, 1, 100'000'000);
  if (!o.seed.empty()) seed = parse_integer("--seed", o.seed, 0, std::numeric_limits<std::int64_t>::max());
  if (!o.threads.empty()) threads = parse_integer("--threads", o.threads, 1, 1024);
  const output::Format format = output::parse_format(o.format);
  const base::Budget budget = parse_budget(o.budget);
  const simulate::Checkpoint checkpoint = parse_checkpoint(o.checkpoint);
  const std::string text = base::read_text_file(o.file, simulate::max_scenario_bytes);
  check_same_input(text);
  simulate::SimulationSpec spec = simulate::parse_scenario(text, o.file);
  spec.replicates = replicates ? *replicates : 20000;
  if (seed) spec.seed = static_cast<std::uint64_t>(*seed);
  simulate::RunOptions run;
  run.threads = run_threads(threads);
  run.team = ranks.team;
  base::check_budget(per_rank(plan::scenario_plan_cost(spec, o.cell, run.threads)), budget, o.file);
  plan::ScenarioPlan result;
  {
    SigintGuard guard;
    run.cancel = &cancel_requested;
    try {
      result = plan::plan_scenario(spec, o.cell, target, run, checkpoint);
    } catch (const base::Interrupted&) {
      if (checkpoint.path.empty()) throw;
      throw base::Interrupted("interrupted; the candidates simulated so far are in the checkpoint '" +
                              checkpoint.path + "': run the same command again to resume");
    }
  }
  emit(plan::render_scenario_plan(result, format, csv_cells(o.csv_raw)));
  // Only now that the result is written is the checkpoint of no more use (rank 0 keeps it).
  if (lead_rank()) simulate::remove_checkpoint(checkpoint);
}

void setup_scenario(CLI::App& plan, const base::Budget& budget) {
  auto opt = std::make_shared<ScenarioOptions>();
  opt->budget.defaults = budget;
  CLI::App* sub = plan.add_subcommand(
      "scenario", "Smallest sample for one cell of a scenario file that meets a target, by simulation");
  sub->add_option("FILE", opt->file, "Scenario file (TOML)")->required();
  sub->add_option("--cell", opt->cell, "The cell to size, as \"force/category\"")->required();
  sub->add_option(
         "--target", opt->target,
         "METRIC>=VALUE: p_correct_grade, coverage:METHOD, power or power:I (I-th comparison of the cell)")
      ->required();
  sub->add_option("--replicates", opt->replicates,
                  "Replicates per candidate size (the file's are not used; more near the target)")
      ->default_str("20000");
  sub->add_option("--seed", opt->seed, "Random seed (overrides the file's)");
  sub->add_option("--threads", opt->threads,
                  "Worker threads (default: all cores); results do not depend on it");
  add_format_option(*sub, opt->format);
  add_csv_raw_option(*sub, opt->csv_raw);
  add_budget_options(*sub, opt->budget);
  add_checkpoint_options(*sub, opt->checkpoint, "the candidates simulated so far");
  sub->callback([opt] { run_scenario(*opt); });
}

}  // namespace

void setup_plan(CLI::App& app, const base::Budget& budget) {
  CLI::App* plan = app.add_subcommand("plan", "How many records must an inspection sample?");
  plan->require_subcommand(1);
  setup_claim(*plan);
  setup_precision(*plan, budget);
  setup_detect(*plan, budget);
  setup_scenario(*plan, budget);
}

}  // namespace inspectsim::cli
