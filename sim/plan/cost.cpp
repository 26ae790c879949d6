#include "inspectsim/plan/cost.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <boost/math/distributions/normal.hpp>

#include "inspectsim/simulate/cost.hpp"

namespace inspectsim::plan {

base::Cost scenario_plan_cost(const simulate::SimulationSpec& spec, std::string_view cell, unsigned threads) {
  // The points the planner simulates: the cell's, at the largest size it may try, and partners.
  simulate::SimulationSpec cut = spec;
  cut.points.clear();
  cut.comparisons.clear();
  std::int64_t cap = simulate::max_simulated_sample;
  std::map<std::size_t, std::size_t> index;  // spec point -> cut point
  for (std::size_t i = 0; i < spec.points.size(); ++i) {
    const simulate::CellPoint& p = spec.points[i];
    if (p.force + "/" + p.category != cell) continue;
    if (p.population) cap = std::min(cap, *p.population);
    index[i] = cut.points.size();
    cut.points.push_back(p);
  }
  if (cut.points.empty()) return {};
  for (simulate::CellPoint& p : cut.points) p.sample = cap;
  for (const simulate::ComparisonSpec& cmp : spec.comparisons) {
    const bool a_in = index.count(cmp.a) != 0, b_in = index.count(cmp.b) != 0;
    if (!a_in && !b_in) continue;
    simulate::ComparisonSpec c = cmp;
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
  base::Cost one = simulate::simulation_cost(cut, threads);
  const double candidates = 2 * std::ceil(std::log2(static_cast<double>(cap) + 1)) + 20;
  base::Cost c;
  c.work = 2 * candidates * one.work;
  c.bytes = one.bytes;
  c.advice = "fewer replicates (" + base::field("replicates") + ")";
  c.detail = "up to " + base::cost_number(candidates, "%.0f") + " candidate sizes up to " +
             std::to_string(cap) + ", each " + one.detail;
  return c;
}

base::Cost precision_plan_cost(const PrecisionRequest& q) {
  base::Cost c;
  c.bytes = base::weights::base_bytes;
  c.advice = "a wider " + base::field("margin");
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
  c.work = sizes * law * (base::weights::law_term + simulate::interval_table_work(*q.method));
  c.detail = "about " + base::cost_number(sizes, "%.0f") + " sample sizes near " +
             base::cost_number(n, "%.0f") + ", each " + base::cost_number(law, "%.0f") + " counts";
  return c;
}

std::int64_t detect_step_limit(DetectTest test, const base::Budget& budget) {
  const double per_step = test == DetectTest::fisher ? base::weights::fisher_step : base::weights::score_step;
  return static_cast<std::int64_t>(std::min(budget.max_work / per_step, 9e18));
}

}  // namespace inspectsim::plan
