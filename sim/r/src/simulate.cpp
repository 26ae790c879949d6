// simulate() and plan_scenario(): scenario files through the Monte Carlo engine.
#include <string>

#include "glue.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/plan/cost.hpp"
#include "inspectsim/plan/plan.hpp"
#include "inspectsim/plan/writers.hpp"
#include "inspectsim/simulate/cost.hpp"
#include "inspectsim/simulate/report.hpp"
#include "inspectsim/simulate/scenario.hpp"
#include "inspectsim/simulate/writers.hpp"

using namespace inspectsim;

namespace {

// The scenario from a file (as the CLI reads it) or from TOML text named `path` in messages.
simulate::SimulationSpec load(const std::string& scenario, const std::string& path, bool is_path) {
  return is_path ? simulate::load_scenario(path) : simulate::parse_scenario(scenario, path);
}

}  // namespace

// [[Rcpp::export(.simulate)]]
Rcpp::List simulate_glue(std::string scenario, std::string path, bool is_path, double replicates,
                         std::string seed, double threads, SEXP progress, double max_work, double max_memory,
                         std::string checkpoint, double checkpoint_interval) {
  return r::guarded([&] {
    simulate::SimulationSpec spec = load(scenario, path, is_path);
    if (const auto n = r::optional_whole(replicates)) spec.replicates = *n;
    if (const auto s = r::parse_seed(seed)) spec.seed = *s;
    const r::RunControl control(static_cast<unsigned>(r::optional_whole(threads).value_or(0)), progress);
    base::check_budget(simulate::simulation_cost(spec, control.options().threads),
                       r::budget(max_work, max_memory), spec.source_path);
    const simulate::Checkpoint keep{checkpoint, checkpoint_interval, ""};
    auto* res = new simulate::SimulationResult(simulate::run(spec, control.options(), keep));
    // The result is now R's: the checkpoint is of no more use.
    simulate::remove_checkpoint(keep);
    Rcpp::XPtr<simulate::SimulationResult> result(res, true);
    const std::vector<std::string> text = {"force", "category", "truth",  "method", "correct_grade",
                                           "name",  "declares", "league", "ties"};
    return Rcpp::List::create(
        Rcpp::Named("points") =
            r::frame_from_csv(simulate::render_simulation(*res, output::Format::csv), text),
        Rcpp::Named("comparisons") = r::frame_from_csv(
            simulate::render_simulation(*res, output::Format::csv, simulate::CsvSection::comparisons), text),
        Rcpp::Named("leagues") = r::frame_from_csv(
            simulate::render_simulation(*res, output::Format::csv, simulate::CsvSection::leagues), text),
        Rcpp::Named("provenance") = Rcpp::List::create(
            Rcpp::Named("version") = res->version, Rcpp::Named("seed") = std::to_string(res->spec.seed),
            Rcpp::Named("replicates") = static_cast<double>(res->spec.replicates),
            Rcpp::Named("scenario") = res->spec.source_path, Rcpp::Named("sha256") = res->spec.source_sha256),
        Rcpp::Named("json") = simulate::render_simulation(*res, output::Format::json),
        Rcpp::Named("text") = simulate::render_simulation(*res, output::Format::table),
        Rcpp::Named("result") = result);
  });
}

// [[Rcpp::export(.simulate_report)]]
Rcpp::List simulate_report_glue(SEXP result, std::string path) {
  return r::write_report<simulate::SimulationResult>(result, path, "simulate",
                                                     simulate::render_simulation_report);
}

// [[Rcpp::export(.plan_scenario)]]
Rcpp::List plan_scenario_glue(std::string scenario, std::string path, bool is_path, std::string cell,
                              std::string target, double replicates, std::string seed, double threads,
                              SEXP progress, double max_work, double max_memory) {
  return r::guarded([&] {
    const plan::ScenarioTarget t = plan::parse_scenario_target(target);
    simulate::SimulationSpec spec = load(scenario, path, is_path);
    spec.replicates = r::optional_whole(replicates).value_or(20000);  // as the CLI: the file's are not used
    if (const auto s = r::parse_seed(seed)) spec.seed = *s;
    const r::RunControl control(static_cast<unsigned>(r::optional_whole(threads).value_or(0)), progress);
    base::check_budget(plan::scenario_plan_cost(spec, cell, control.options().threads),
                       r::budget(max_work, max_memory), spec.source_path);
    const plan::ScenarioPlan p = plan::plan_scenario(spec, cell, t, control.options());
    return Rcpp::List::create(Rcpp::Named("csv") = plan::render_scenario_plan(p, output::Format::csv),
                              Rcpp::Named("json") = plan::render_scenario_plan(p, output::Format::json),
                              Rcpp::Named("text") = plan::render_scenario_plan(p, output::Format::table));
  });
}
