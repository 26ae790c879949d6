#include "inspectsim/budget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include <boost/math/distributions/normal.hpp>

#include "inspectsim/error.hpp"

namespace inspectsim {

namespace {

// Work weights, in units of about 1 ns of one core, measured on the simulate and compare commands
// (g++ 12 -O2; README.md, "Reliability"). Per replicate of a cell point:
constexpr double alias_draw = 3;           // fixed truth, plain sampling: one alias-table draw
constexpr double process_draw = 50;        // any process-level feature: a binomial draw, bookkeeping
constexpr double beta_truth = 200;         // a Beta truth per replicate
constexpr double replicate_interval = 20;  // per method, checking a replicate's own truth
constexpr double record_draw = 12;         // one record drawn without replacement (or by Wallenius)
constexpr double cluster_unit = 220;       // one cluster: a Beta rate and a binomial count
constexpr double inspector_draw = 50;      // misclassification: two binomial draws
// Once per count x = 0..n of a cell point (exact law, summaries):
constexpr double per_count = 50;
// Once per count of a distinct sample size and method: the interval table.
double interval_weight(Method m) {
  switch (m) {
    case Method::jeffreys:
    case Method::clopper_pearson: return 10000;  // a Boost Beta quantile per bound
    case Method::mid_p:
    case Method::likelihood_ratio: return 60000;  // root finding on the binomial tails
    case Method::wald:
    case Method::wald_cc: return 100;
    default: return 200;  // closed forms with a square root
  }
}
// Per table entry of a comparison: a difference interval, or Fisher's exact test (a walk over up
// to min(na, nb) tables, or a bisection beyond 4096).
constexpr double difference_test = 300;
double fisher_test(std::int64_t na, std::int64_t nb) {
  return std::min(20 + 10 * static_cast<double>(std::min(na, nb)), 50000.0);
}
// plan precision: one binomial probability of a count's law (Boost's pdf, an incomplete-beta
// derivative): 'plan precision --rate 0.5 --margin 0.001' summed 3.8e8 such terms with a Wilson
// interval each in 254 s of CPU (about 670 ns a term).
constexpr double law_term = 600;
// plan detect: one step of enumeration (a table, or a margin and record of Fisher's rejection
// regions): 12 ns measured for Fisher ('--from 0.5 --to 0.4', 5.5e6 steps in 0.067 s), 371 ns for
// the score intervals (Newcombe, 6.8e5 steps in 0.25 s).
constexpr double fisher_step = 12;
constexpr double score_step = 400;
// compare: one Beta draw for one row (ranks or totals), and one pairwise or change test.
constexpr double row_draw = 300;
constexpr double pair_test = 22000;

// Memory, in bytes. Per count x of a cell point: a histogram counter in every tally in flight,
// the simulated and exact distributions, and the output (JSON text and document).
constexpr double counter_bytes = 8;
constexpr double result_bytes_per_count = 16 + 100;
constexpr double table_bytes_per_count = 17;  // lower, upper, defined
constexpr double alias_bytes_per_count = 16;
constexpr double base_bytes = 16e6;  // the program itself, buffers

unsigned worker_threads(unsigned threads) {
  if (threads != 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

double replicate_weight(const CellPoint& p, std::size_t methods) {
  const bool beta = p.truth.kind == Truth::Kind::beta;
  if (!beta && !p.clusters && !p.inspector && !p.selection_odds) return alias_draw;
  double w = process_draw;
  if (beta) w += beta_truth + replicate_interval * static_cast<double>(methods);
  if (p.population && (beta || p.selection_odds)) w += record_draw * static_cast<double>(p.sample);
  if (p.clusters) w += cluster_unit * static_cast<double>(p.clusters->count);
  if (p.inspector) w += inspector_draw;
  return w;
}

std::string number(double v, const char* format = "%.3g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// A round figure at or above v, with two significant digits: the value to suggest for a limit.
double round_up(double v) {
  if (!(v > 0)) return 1;
  const double scale = std::pow(10.0, std::floor(std::log10(v)) - 1);
  return std::ceil(v / scale) * scale;
}

std::string duration(double units) {
  const double seconds = units / 1e9;
  if (seconds < 1) return "under a second";
  if (seconds < 120) return number(seconds, "%.0f") + " seconds";
  if (seconds < 7200) return number(seconds / 60, "%.0f") + " minutes";
  if (seconds < 48 * 3600) return number(seconds / 3600, "%.0f") + " hours";
  return number(seconds / 86400, "%.2g") + " days";
}

}  // namespace

Cost simulation_cost(const SimulationSpec& spec, unsigned threads) {
  Cost c;
  const double in_flight = 4.0 * worker_threads(threads) + 2;
  const auto replicates = static_cast<double>(spec.replicates);
  double method_weight = 0;
  for (Method m : spec.methods) method_weight += interval_weight(m);
  std::set<std::int64_t> sizes;
  std::int64_t largest = 0;
  for (const CellPoint& p : spec.points) {
    const auto counts = static_cast<double>(p.sample + 1);
    c.work += replicates * replicate_weight(p, spec.methods.size()) + per_count * counts;
    c.bytes += counts * (counter_bytes * in_flight + result_bytes_per_count);
    largest = std::max(largest, p.sample);
    if (sizes.insert(p.sample).second) {
      c.work += counts * method_weight;
      c.bytes +=
          counts * (table_bytes_per_count * static_cast<double>(spec.methods.size()) + alias_bytes_per_count);
    }
  }
  double tests = 0;
  for (const ComparisonSpec& cmp : spec.comparisons) {
    if (cmp.a >= spec.points.size() || cmp.b >= spec.points.size()) continue;
    const std::int64_t na = spec.points[cmp.a].sample, nb = spec.points[cmp.b].sample;
    const double cells = static_cast<double>(na + 1) * static_cast<double>(nb + 1);
    tests = std::max(tests, cells);
    c.work += cells * (cmp.fisher ? fisher_test(na, nb) : difference_test);
    c.bytes += cells + 2 * 4.0 * static_cast<double>(block_replicates) * in_flight;
  }
  c.bytes += base_bytes;
  c.detail = std::to_string(spec.points.size()) + " cell point" + (spec.points.size() == 1 ? "" : "s") +
             " x " + std::to_string(spec.replicates) + " replicates, samples up to " +
             std::to_string(largest);
  c.advice = "fewer replicates (--replicates), cell points or records sampled";
  if (!spec.comparisons.empty())
    c.detail += ", " + std::to_string(spec.comparisons.size()) + " comparison" +
                (spec.comparisons.size() == 1 ? "" : "s") + " of up to " + number(tests, "%.3g") +
                " pairs of counts";
  return c;
}

Cost scenario_plan_cost(const SimulationSpec& spec, std::string_view cell, unsigned threads) {
  // The points the planner simulates: the cell's, at the largest size it may try, and partners.
  SimulationSpec cut = spec;
  cut.points.clear();
  cut.comparisons.clear();
  std::int64_t cap = max_simulated_sample;
  std::map<std::size_t, std::size_t> index;  // spec point -> cut point
  for (std::size_t i = 0; i < spec.points.size(); ++i) {
    const CellPoint& p = spec.points[i];
    if (p.force + "/" + p.category != cell) continue;
    if (p.population) cap = std::min(cap, *p.population);
    index[i] = cut.points.size();
    cut.points.push_back(p);
  }
  if (cut.points.empty()) return {};
  for (CellPoint& p : cut.points) p.sample = cap;
  for (const ComparisonSpec& cmp : spec.comparisons) {
    const bool a_in = index.count(cmp.a) != 0, b_in = index.count(cmp.b) != 0;
    if (!a_in && !b_in) continue;
    ComparisonSpec c = cmp;
    for (std::size_t* end : {&c.a, &c.b}) {
      if (!index.count(*end)) {
        const std::size_t original = *end;
        index[original] = cut.points.size();
        cut.points.push_back(spec.points[original]);
      }
      *end = index[*end];
    }
    cut.comparisons.push_back(c);
  }
  Cost one = simulation_cost(cut, threads);
  const double candidates = 2 * std::ceil(std::log2(static_cast<double>(cap) + 1)) + 20;
  Cost c;
  c.work = 2 * candidates * one.work;
  c.bytes = one.bytes;
  c.advice = "fewer replicates (--replicates)";
  c.detail = "up to " + number(candidates, "%.0f") + " candidate sizes up to " + std::to_string(cap) +
             ", each " + one.detail;
  return c;
}

Cost precision_plan_cost(const PrecisionRequest& q) {
  Cost c;
  c.bytes = base_bytes;
  c.advice = "a wider --margin";
  if (!q.method || !(q.margin > 0) || !(q.rate > 0 && q.rate < 1)) return c;  // the planner's own limits
  const double cap = static_cast<double>(q.population ? *q.population : plan_max_sample);
  const double z = boost::math::quantile(
      boost::math::complement(boost::math::normal_distribution<double>(), (1 - q.confidence) / 2));
  const double pq = q.rate * (1 - q.rate);
  double n = z * z * pq / (q.margin * q.margin);
  if (q.criterion == WidthCriterion::assured) n *= 2;
  n = std::clamp(n, 1.0, cap);
  const double sizes =
      (n <= static_cast<double>(precision_scan_limit) ? n : n / 20) + 2 * std::log2(n + 1) + 11;
  const double law = std::min(n + 1, 16 * std::sqrt(n * pq) + 1);
  c.work = sizes * law * (law_term + interval_weight(*q.method));
  c.detail = "about " + number(sizes, "%.0f") + " sample sizes near " + number(n, "%.0f") + ", each " +
             number(law, "%.0f") + " counts";
  return c;
}

std::int64_t detect_step_limit(DetectTest test, const Budget& budget) {
  const double per_step = test == DetectTest::fisher ? fisher_step : score_step;
  return static_cast<std::int64_t>(std::min(budget.max_work / per_step, 9e18));
}

Cost comparison_cost(const ResultsTable& table, const CompareRequest& request) {
  auto kept = [](const std::vector<std::string>& wanted, const std::string& v) {
    return wanted.empty() || std::find(wanted.begin(), wanted.end(), v) != wanted.end();
  };
  std::map<std::tuple<std::string, std::string>, double> groups;
  double rows = 0;
  for (const ResultRow& r : table.rows) {
    if (!kept(request.categories, r.category) || !kept(request.inspections, r.inspection)) continue;
    rows += 1;
    const std::string inspection = request.group_by == GroupBy::category ? std::string() : r.inspection;
    groups[{inspection, r.category}] += 1;
  }
  const auto draws = static_cast<double>(request.draws);
  Cost c;
  // Ranks in each group, a total per force and inspection and one per inspection: three Beta
  // draws per row and draw; Fisher's test for each change (at most one per row).
  c.work = 3 * rows * draws * row_draw + rows * pair_test;
  double largest = 0;
  for (const auto& [key, n] : groups) {
    largest = std::max(largest, n);
    c.bytes += n * n * 8;  // rank counts
    if (request.pairs) c.work += n * (n - 1) / 2 * pair_test;
  }
  c.bytes += base_bytes + 2 * 8 * draws + rows * 4000;  // one total's draws at a time; the output
  c.advice = "fewer draws (--draws)";
  c.detail = number(rows, "%.0f") + " rows x " + std::to_string(request.draws) + " draws";
  if (request.pairs) c.detail += ", groups of up to " + number(largest, "%.0f") + " rows compared in pairs";
  return c;
}

void check_budget(const Cost& cost, const Budget& budget, const std::string& source) {
  const std::string where = source.empty() ? "" : source + ": ";
  if (cost.work > budget.max_work)
    throw InputError(where + "this run needs about " + number(cost.work) + " units of work (" + cost.detail +
                     "; roughly " + duration(cost.work) + " of one core), more than the budget of " +
                     number(budget.max_work) + "; use " + cost.advice +
                     ", or raise the budget with --max-work " + number(round_up(cost.work)));
  const double mb = cost.bytes / 1e6;
  if (mb > budget.max_memory_mb)
    throw InputError(where + "this run needs about " + number(mb, "%.0f") + " MB of memory (" + cost.detail +
                     "), more than the budget of " + number(budget.max_memory_mb, "%.0f") + " MB; use " +
                     cost.advice + ", or raise the budget with --max-memory " + number(round_up(mb), "%.0f"));
}

}  // namespace inspectsim
