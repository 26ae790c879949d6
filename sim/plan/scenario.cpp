// `plan scenario`: the smallest sample for one cell of a scenario at which the simulated inspection
// meets a target, for designs where no formula applies (clusters, inspector error, Beta truths).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "inspectsim/base/check.hpp"
#include "inspectsim/base/checkpoint.hpp"
#include "inspectsim/base/error.hpp"
#include "inspectsim/base/io.hpp"
#include "inspectsim/base/team.hpp"
#include "inspectsim/base/text.hpp"
#include "inspectsim/base/version.hpp"
#include "inspectsim/plan/plan.hpp"
#include "search.hpp"

namespace inspectsim::plan {

namespace {

constexpr std::int64_t scenario_scan_limit = 20;
// A candidate within this many standard errors of the target is simulated again with more replicates.
constexpr double undecided_se = 2.0;
constexpr std::int64_t replicate_growth = 4;
constexpr std::int64_t max_growth = 16;

std::string target_syntax() {
  return "METRIC>=VALUE with METRIC p_correct_grade, coverage:METHOD, power or power:I";
}

}  // namespace

ScenarioTarget parse_scenario_target(std::string_view text) {
  ScenarioTarget t;
  t.text = std::string(text);
  const std::size_t op = text.find(">=");
  if (op == std::string_view::npos)
    throw base::InputError(base::field("target") + " is '" + t.text + "', but must be " + target_syntax());
  const std::string metric(text.substr(0, op));
  const std::string value(text.substr(op + 2));
  char* end = nullptr;
  t.value = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !(t.value > 0 && t.value < 1))
    throw base::InputError(base::field("target") + " is '" + t.text + "': the value '" + value +
                           "' must be strictly between 0 and 1");
  const std::size_t colon = metric.find(':');
  const std::string name = metric.substr(0, colon);
  const std::string arg = colon == std::string::npos ? "" : metric.substr(colon + 1);
  if (name == "p_correct_grade" && colon == std::string::npos) {
    t.metric = ScenarioTarget::Metric::p_correct_grade;
  } else if (name == "coverage" && !arg.empty()) {
    t.metric = ScenarioTarget::Metric::coverage;
    t.method = stats::parse_method(arg);
  } else if (name == "power") {
    t.metric = ScenarioTarget::Metric::power;
    if (colon != std::string::npos) {
      char* e = nullptr;
      const long i = std::strtol(arg.c_str(), &e, 10);
      if (arg.empty() || e != arg.c_str() + arg.size() || i < 1)
        throw base::InputError(base::field("target") + " is '" + t.text + "': the comparison '" + arg +
                               "' must be a whole number from 1");
      t.comparison = static_cast<std::size_t>(i);
    }
  } else {
    throw base::InputError(base::field("target") + " is '" + t.text + "', but must be " + target_syntax());
  }
  return t;
}

namespace {

// The spec cut down to the cell's points and the partners of the chosen comparison.
struct CutSpec {
  simulate::SimulationSpec spec;
  std::vector<std::size_t> cell_points;   // indices into spec.points
  std::optional<std::size_t> comparison;  // index into spec.comparisons
};

CutSpec cut_spec(const simulate::SimulationSpec& full, std::string_view cell, const ScenarioTarget& target) {
  std::vector<std::size_t> in_cell;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < full.points.size(); ++i) {
    const std::string name = full.points[i].force + "/" + full.points[i].category;
    if (name == cell) in_cell.push_back(i);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (in_cell.empty()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + ("'" + n + "'");
    throw base::InputError(base::field("cell") + " '" + std::string(cell) + "' is not a cell of " +
                           full.source_path + "; its cells: " + list);
  }
  std::vector<std::size_t> keep = in_cell;
  std::optional<std::size_t> comparison;
  if (target.metric == ScenarioTarget::Metric::power) {
    std::vector<std::size_t> involved;  // comparisons of the cell, in file order
    for (std::size_t c = 0; c < full.comparisons.size(); ++c) {
      const auto& cs = full.comparisons[c];
      if (std::find(in_cell.begin(), in_cell.end(), cs.a) != in_cell.end() ||
          std::find(in_cell.begin(), in_cell.end(), cs.b) != in_cell.end())
        involved.push_back(c);
    }
    if (involved.empty())
      throw base::InputError(base::field("target") + " " + target.text + ": no comparison of " +
                             full.source_path + " involves the cell '" + std::string(cell) + "'");
    if (!target.comparison && involved.size() > 1)
      throw base::InputError(base::field("target") + " " + target.text + ": " +
                             std::to_string(involved.size()) + " comparisons involve the cell '" +
                             std::string(cell) +
                             "'; choose one with power:1 to power:" + std::to_string(involved.size()));
    const std::size_t pick = target.comparison ? *target.comparison : 1;
    if (pick > involved.size())
      throw base::InputError(base::field("target") + " " + target.text + ": the cell '" + std::string(cell) +
                             "' has " + std::to_string(involved.size()) +
                             " comparison(s); choose power:1 to power:" + std::to_string(involved.size()));
    comparison = involved[pick - 1];
    for (std::size_t p : {full.comparisons[*comparison].a, full.comparisons[*comparison].b})
      if (std::find(keep.begin(), keep.end(), p) == keep.end()) keep.push_back(p);
  }
  if (target.metric == ScenarioTarget::Metric::coverage &&
      std::find(full.methods.begin(), full.methods.end(), *target.method) == full.methods.end())
    throw base::InputError(base::field("target") + " " + target.text + ": the method '" +
                           std::string(stats::method_name(*target.method)) +
                           "' is not among the scenario's methods");
  if (target.metric == ScenarioTarget::Metric::p_correct_grade)
    for (std::size_t p : in_cell)
      if (full.points[p].grades.empty())
        throw base::InputError(base::field("target") + " " + target.text + ": the cell '" +
                               std::string(cell) + "' has no grades");

  std::sort(keep.begin(), keep.end());
  CutSpec cut;
  cut.spec = full;
  cut.spec.points.clear();
  cut.spec.comparisons.clear();
  std::map<std::size_t, std::size_t> index;
  for (std::size_t p : keep) {
    index[p] = cut.spec.points.size();
    cut.spec.points.push_back(full.points[p]);
  }
  for (std::size_t p : in_cell) cut.cell_points.push_back(index[p]);
  if (comparison) {
    simulate::ComparisonSpec c = full.comparisons[*comparison];
    c.a = index[c.a];
    c.b = index[c.b];
    cut.spec.comparisons.push_back(c);
    cut.comparison = 0;
  }
  return cut;
}

// The metric of one simulation: the smallest estimate over the cell's points (or the comparison).
ScenarioStep read_metric(const simulate::SimulationResult& r, const CutSpec& cut,
                         const ScenarioTarget& target) {
  ScenarioStep s;
  s.estimate.value = std::numeric_limits<double>::infinity();
  bool exact_everywhere = true;
  double exact_min = std::numeric_limits<double>::infinity();
  auto take = [&](const simulate::Estimate& e, const std::optional<double>& exact) {
    if (e.value < s.estimate.value) s.estimate = e;
    exact_everywhere = exact_everywhere && exact.has_value();
    if (exact) exact_min = std::min(exact_min, *exact);
  };
  if (target.metric == ScenarioTarget::Metric::power) {
    const auto& c = r.comparisons[*cut.comparison];
    take(c.p_declare, c.exact);
  } else {
    for (std::size_t p : cut.cell_points) {
      const simulate::PointResult& pr = r.points[p];
      if (target.metric == ScenarioTarget::Metric::p_correct_grade) {
        take(*pr.p_correct_grade, pr.exact_p_correct_grade);
      } else {
        for (const auto& m : pr.methods)
          if (m.method == *target.method) take(m.coverage, m.exact_coverage);
      }
    }
  }
  if (exact_everywhere) s.exact = exact_min;
  return s;
}

// ---- Checkpoints ------------------------------------------------------------------------------
// A search's progress is the candidates simulated so far, in order: the search is deterministic,
// so a resumed search asks for the same candidates again and takes each saved step as it was
// (every bit of its estimate kept), and its output is the uninterrupted search's.

// The steps as arrays, one per field, for the checkpoint (base::StateWriter) and the ranks.
struct StepArrays {
  std::vector<std::uint64_t> sample, replicates, meets, has_exact;
  std::vector<double> estimate, se, exact;

  explicit StepArrays(std::size_t n = 0)
      : sample(n), replicates(n), meets(n), has_exact(n), estimate(n), se(n), exact(n) {}
  explicit StepArrays(const std::vector<ScenarioStep>& steps) : StepArrays(steps.size()) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const ScenarioStep& st = steps[i];
      sample[i] = static_cast<std::uint64_t>(st.sample);
      replicates[i] = static_cast<std::uint64_t>(st.replicates);
      meets[i] = st.meets ? 1 : 0;
      has_exact[i] = st.exact ? 1 : 0;
      estimate[i] = st.estimate.value;
      se[i] = st.estimate.se;
      exact[i] = st.exact.value_or(0.0);
    }
  }
  // The steps; InputError naming `source` when the arrays cannot be steps of a search.
  std::vector<ScenarioStep> steps(const std::string& source) const {
    std::vector<ScenarioStep> out(sample.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (sample[i] < 1 || sample[i] > static_cast<std::uint64_t>(simulate::max_simulated_sample) ||
          replicates[i] < 1 || meets[i] > 1 || has_exact[i] > 1)
        throw base::InputError("checkpoint '" + source + "': step " + std::to_string(i + 1) +
                               " is not a step of a plan scenario search");
      out[i].sample = static_cast<std::int64_t>(sample[i]);
      out[i].replicates = static_cast<std::int64_t>(replicates[i]);
      out[i].meets = meets[i] == 1;
      out[i].estimate = {estimate[i], se[i]};
      if (has_exact[i] == 1) out[i].exact = exact[i];
    }
    return out;
  }
};

template <class T, class Visit>
requires std::same_as<std::remove_const_t<T>, StepArrays>
void fields(T& t, Visit& visit) {
  visit("sample", t.sample);
  visit("replicates", t.replicates);
  visit("meets", t.meets);
  visit("has_exact", t.has_exact);
  visit("estimate", t.estimate);
  visit("se", t.se);
  visit("exact", t.exact);
}

base::CheckpointState save_state(const StepArrays& a) {
  base::StateWriter writer;
  fields(a, writer);
  return writer.take();
}

// No search simulates more candidates than this (doubling and bisection up to the largest
// sample, then the scan): the bound of a checkpoint's size.
constexpr std::size_t max_saved_steps = 100000;

}  // namespace

ScenarioPlan plan_scenario(const simulate::SimulationSpec& spec, std::string_view cell,
                           const ScenarioTarget& target, const simulate::RunOptions& options,
                           const simulate::Checkpoint& checkpoint) {
  simulate::check_checkpoint(checkpoint);
  CutSpec cut = cut_spec(spec, cell, target);
  ScenarioPlan plan;
  plan.cell = std::string(cell);
  plan.target = target;
  plan.source_path = spec.source_path;
  plan.source_sha256 = spec.source_sha256;
  plan.seed = spec.seed;
  plan.replicates = spec.replicates;
  // The largest sample: the engine's limit, and no more than the smallest population of the cell.
  std::int64_t cap = simulate::max_simulated_sample;
  for (std::size_t p : cut.cell_points)
    if (cut.spec.points[p].population) cap = std::min(cap, *cut.spec.points[p].population);

  // The checkpoint: rank 0 alone reads and writes it, and the other ranks take its steps.
  base::Team* team = base::sharing(options.team);
  const bool keeper = !checkpoint.path.empty() && (team == nullptr || team->rank() == 0);
  const base::RunIdentity identity{
      "plan scenario",
      base::sha256_hex((checkpoint.input_sha256.empty() ? spec.source_sha256 : checkpoint.input_sha256) +
                       '\n' + std::string(cell) + '\n' + target.text),
      spec.seed, spec.replicates, max_saved_steps};  // its 'blocks' are candidates, at most this many
  StepArrays saved;
  if (keeper) {
    if (const auto file =
            base::read_checkpoint(checkpoint.path, identity,
                                  base::checkpoint_size_bound(save_state(StepArrays(max_saved_steps))))) {
      StepArrays a(static_cast<std::size_t>(std::min<std::uint64_t>(file->merged, max_saved_steps)));
      base::StateReader reader(file->state, checkpoint.path);
      fields(a, reader);
      reader.finish();
      saved = std::move(a);
    }
  }
  if (team != nullptr) base::take_from_rank0(*team, saved);
  const std::vector<ScenarioStep> replay = saved.steps(checkpoint.path);
  const auto interval =
      std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(checkpoint.interval_seconds * 1000)));
  auto last_save = std::chrono::steady_clock::now();
  auto save = [&](const std::vector<ScenarioStep>& steps) {
    if (!keeper) return;
    base::write_checkpoint(checkpoint.path, identity, steps.size(), save_state(StepArrays(steps)));
    last_save = std::chrono::steady_clock::now();
  };
  // Written once before the first candidate, so that a path that cannot be written is refused now.
  save(replay);

  std::map<std::int64_t, ScenarioStep> done;
  auto evaluate = [&](std::int64_t n) {
    if (plan.steps.size() < replay.size()) {
      const ScenarioStep& step = replay[plan.steps.size()];
      if (step.sample != n)
        throw base::InputError("checkpoint '" + checkpoint.path + "': its step " +
                               std::to_string(plan.steps.size() + 1) + " simulated a sample of " +
                               std::to_string(step.sample) + ", but this search asks for " +
                               std::to_string(n) + ": remove it to start afresh");
      plan.steps.push_back(step);
      done[n] = step;
      return step.meets;
    }
    simulate::SimulationSpec s = cut.spec;
    for (std::size_t p : cut.cell_points) s.points[p].sample = n;
    std::int64_t reps = spec.replicates;
    ScenarioStep step;
    while (true) {
      s.replicates = reps;
      try {
        step = read_metric(simulate::run(s, options), cut, target);
      } catch (const base::Interrupted&) {
        save(plan.steps);  // the candidates simulated before this one
        throw;
      }
      const bool undecided = std::abs(step.estimate.value - target.value) < undecided_se * step.estimate.se;
      if (!undecided || reps >= max_growth * spec.replicates) break;
      reps *= replicate_growth;
    }
    step.sample = n;
    step.replicates = reps;
    step.meets = step.estimate.value >= target.value;
    plan.steps.push_back(step);
    done[n] = step;
    if (keeper && std::chrono::steady_clock::now() - last_save >= interval) save(plan.steps);
    return step.meets;
  };
  const SearchOutcome s = smallest_n(evaluate, 1, cap, Scan::window, scenario_scan_limit);
  if (!s.n)
    throw base::InputError(base::field("target") + " " + target.text + ": no sample of up to " +
                           std::to_string(cap) + " records for '" + plan.cell + "' meets it (at " +
                           std::to_string(cap) + " the estimate is " +
                           base::format_number(done[cap].estimate.value) + ")");
  plan.sample = *s.n;
  plan.search = s.info;
  plan.at = done[plan.sample];
  if (done.count(plan.sample - 1)) plan.below = done[plan.sample - 1];
  return plan;
}

}  // namespace inspectsim::plan
