// `inspectsim compare FILE`: which forces and inspections really differ?
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "cli.hpp"
#include "common.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/compare/compare.hpp"
#include "inspectsim/compare/cost.hpp"
#include "inspectsim/compare/plots.hpp"
#include "inspectsim/compare/report.hpp"
#include "inspectsim/compare/writers.hpp"
#include "progress.hpp"

namespace inspectsim::cli {

namespace {

struct CompareOptions {
  std::string file;
  std::string method = "wilson";
  std::string diff_method = "newcombe";
  std::string confidence = "0.95";
  std::string levels = "0.95,0.998";
  std::string overdispersion = "none";
  bool pairs = false;
  std::string group = "inspection,category";
  std::string shrinkage = "hierarchical";
  std::string hyperprior = "albert";
  std::vector<std::string> thresholds;
  std::string rank_posterior;
  std::string rank_intervals = "marginal";
  std::string seed;
  std::string draws;
  std::string threads;  // empty: all cores
  bool quiet = false;
  std::string format = "table";
  std::string csv_section = "rows";
  bool csv_raw = false;
  std::string output;
  std::string plot_dir;
  std::string report;
  std::vector<std::string> categories;
  std::vector<std::string> inspections;
  BudgetOptions budget;
};

std::vector<double> parse_levels(const std::string& text) {
  std::vector<double> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    out.push_back(parse_open_unit("--levels", item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Creates DIR when missing; the charts are written with the other outputs (emit).
std::vector<base::OutputFile> plot_files(const std::vector<compare::PlotFile>& plots,
                                         const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw base::InputError("--plot: cannot use '" + dir + "' as a directory" +
                           (ec ? ": " + ec.message() : ""));
  std::vector<base::OutputFile> files;
  for (const compare::PlotFile& p : plots) files.push_back({(fs::path(dir) / p.name).string(), p.svg});
  return files;
}

void run_compare(const CompareOptions& o) {
  compare::CompareRequest req;
  req.method = stats::parse_method(o.method);
  req.diff_method = stats::parse_diff_method(o.diff_method);
  req.confidence = parse_open_unit("--confidence", o.confidence);
  req.levels = parse_levels(o.levels);
  req.overdispersion = stats::parse_overdispersion(o.overdispersion);
  req.pairs = o.pairs;
  req.group_by = compare::parse_group_by(o.group);
  req.shrinkage = compare::parse_shrinkage(o.shrinkage);
  req.hyperprior = stats::parse_hyperprior(o.hyperprior);
  if (!o.rank_posterior.empty()) req.rank_posterior = compare::parse_rank_posterior(o.rank_posterior);
  req.rank_intervals = compare::parse_rank_intervals(o.rank_intervals);
  // A report's headline and summary say how many pairs the data can tell apart (issue 16), so a
  // report tests every pair even without --pairs (counted in the cost; the pairs are not listed).
  req.pair_tests = !o.report.empty();
  for (const std::string& t : o.thresholds) req.thresholds.push_back(parse_real("--threshold", t));
  if (!o.seed.empty()) req.seed = static_cast<std::uint64_t>(parse_integer("--seed", o.seed, 0, INT64_MAX));
  if (!o.draws.empty()) req.draws = parse_integer("--draws", o.draws, 1, 10'000'000);
  req.threads = o.threads.empty()
                    ? run_threads(std::nullopt)
                    : static_cast<unsigned>(parse_integer("--threads", o.threads, 1, base::max_threads));
  req.categories = o.categories;
  req.inspections = o.inspections;
  const output::Format format = output::parse_format(o.format);
  const compare::CsvSection section = compare::parse_csv_section(o.csv_section);
  const base::Budget budget = parse_budget(o.budget);

  const std::string text = base::read_text_file(o.file);
  check_same_input(text);
  req.input_path = o.file;
  req.input_sha256 = base::sha256_hex(text);
  compare::ResultsTable table = compare::parse_results_csv(text, o.file);
  base::check_budget(per_rank(compare::comparison_cost(table, req)), budget, o.file);
  compare::Comparison c;
  {
    ProgressBar bar(!o.quiet && lead_rank(), "drawing");
    SigintGuard guard;
    base::Monitor monitor;
    monitor.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
    monitor.cancel = &cancel_requested;
    c = compare::run(std::move(table), req, monitor, ranks.team);
  }  // the bar is cleared before anything else is written
  const std::string text_out = compare::render_comparison(c, format, section, csv_cells(o.csv_raw));
  std::vector<base::OutputFile> also;
  if (!o.plot_dir.empty()) also = plot_files(compare::comparison_plots(c), o.plot_dir);
  if (!o.report.empty()) also.push_back({o.report, compare::render_comparison_report(c)});
  emit(text_out, o.output, std::move(also));
}

}  // namespace

void setup_compare(CLI::App& app, const base::Budget& budget) {
  auto opt = std::make_shared<CompareOptions>();
  opt->budget.defaults = budget;
  CLI::App* sub = app.add_subcommand(
      "compare",
      "Which forces and inspections really differ? Funnel plots, changes, pairs, ranks, shrinkage");
  sub->add_option("FILE", opt->file,
                  "CSV of published results (force, inspection, category, sampled, incorrect)")
      ->required();
  sub->add_option("--method", opt->method, "Interval method for each row (any assess method)")
      ->default_str("wilson");
  sub->add_option("--diff-method", opt->diff_method,
                  "Interval for a difference: newcombe, miettinen-nurminen, agresti-caffo or wald")
      ->default_str("newcombe");
  sub->add_option("--confidence", opt->confidence, "Confidence level, strictly between 0 and 1")
      ->default_str("0.95");
  sub->add_option("--levels", opt->levels, "Funnel-plot control limit levels, comma-separated")
      ->default_str("0.95,0.998");
  sub->add_option("--overdispersion", opt->overdispersion, "Funnel limits: none, multiplicative or additive")
      ->default_str("none");
  sub->add_flag("--pairs", opt->pairs, "Compare every pair of forces in each group (Holm-adjusted Fisher p)");
  sub->add_option("--group", opt->group, "Group rows by 'inspection,category' or by 'category' alone")
      ->default_str("inspection,category");
  sub->add_option("--shrinkage", opt->shrinkage,
                  "Shrink each force toward its group by the 'hierarchical' model (typical rate and spread "
                  "integrated out) or 'empirical' Bayes (fitted and treated as known)")
      ->default_str("hierarchical");
  sub->add_option(
         "--hyperprior", opt->hyperprior,
         "Hierarchical model's prior on (mu, M): 'albert[,S[,A,B]]' (mu ~ Beta(A,B), p(M) = S/(S+M)^2; "
         "proper) or 'bda3' ((alpha+beta)^(-5/2); improper)")
      ->default_str("albert");
  sub->add_option("--threshold", opt->thresholds,
                  "Report P(rate > T) of each force's shrunk posterior (repeatable; T in [0, 1])")
      ->allow_extra_args(false);
  sub->add_option("--rank-posterior", opt->rank_posterior,
                  "Rank from 'jeffreys', 'shrunk' (empirical) or 'hierarchical' posteriors (default: "
                  "hierarchical with hierarchical shrinkage, else jeffreys)");
  sub->add_option("--rank-intervals", opt->rank_intervals,
                  "Rank intervals: 'marginal' (each force's posterior interval alone) or 'simultaneous' "
                  "(also intervals that hold for all forces of a group at once, from Holm-adjusted Fisher "
                  "tests of every pair)")
      ->default_str("marginal");
  sub->add_option("--seed", opt->seed, "Seed for the Monte Carlo ranks and totals")
      ->default_str(std::to_string(random::default_seed));
  sub->add_option("--draws", opt->draws, "Monte Carlo draws for ranks and totals")
      ->default_str(std::to_string(compare::default_compare_draws));
  sub->add_option("--threads", opt->threads,
                  "Worker threads for the draws (default: all cores); results do not depend on it");
  sub->add_flag("--quiet", opt->quiet, "No progress bar");
  sub->add_option("--category", opt->categories, "Keep only rows of this category (repeatable)")
      ->allow_extra_args(false);
  sub->add_option("--inspection", opt->inspections, "Keep only rows of this inspection (repeatable)")
      ->allow_extra_args(false);
  add_format_option(*sub, opt->format);
  sub->add_option("--csv-section", opt->csv_section,
                  "With --format csv: rows, pairs, changes, totals or groups")
      ->default_str("rows");
  add_csv_raw_option(*sub, opt->csv_raw);
  sub->add_option("--output", opt->output,
                  "Write the result to this file (atomically) instead of standard output");
  sub->add_option("--plot", opt->plot_dir,
                  "Write SVG charts to this directory (created if missing): per group a funnel plot, a "
                  "caterpillar plot of the intervals and one of the rank intervals");
  sub->add_option("--report", opt->report,
                  "Write a self-contained HTML report (charts with their tables) to this file");
  add_budget_options(*sub, opt->budget);
  sub->callback([opt] { run_compare(*opt); });
}

}  // namespace inspectsim::cli
